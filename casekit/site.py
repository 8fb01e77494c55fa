"""The course site (``make site``): one static website of the whole course,
English and 中文, built with Jupyter Book 1 (Sphinx) from the committed,
executed notebooks. Nothing is executed and nothing is fetched from the web:
require.js, the widget HTML manager and MathJax come from the npm packages in
``site/package.json`` (``npm ci``) and are served from the site itself.

Each edition is its own Jupyter Book project written to ``build/site-src/``
(English at the site's root, Chinese under ``zh/``), so each has its
interface language; both search indexes are built with Sphinx's Chinese
splitter (jieba, with ``site/search_words.txt`` for names such as 海底捞), and
a small script breaks a Chinese query into the index's words (``SEARCH_JS``),
so either edition's search finds English words and Chinese phrases. The site
works from its folder (file://) as well as from a web server; ``make site``
also packs it into ``build/course-site.zip`` for any web server or learning
platform. A Sphinx warning (a broken link) fails the build.

What the build adds to the copies of the notebooks (the committed notebooks
are never changed): a link to the same page in the other edition and to the
course archive (``crm-course.zip``, ``git archive`` of HEAD: the notebooks
run only with casekit and the data); polls and discussion questions in their
static form (the key points and the worked answer folded until clicked),
with static-site words where the notebook speaks of answer boxes; each
what-if rendered from its saved widget state with every control disabled,
under a note that it becomes live when the notebook is run; the cell that
reveals a poll's answer (tagged ``hide-output`` in the notebook, see
:func:`casekit.nbtools.hide_reveals`) folded whole under one "show the
result" button, so the answer is not on the page below the poll.

Command line::

    python -m casekit.site build [build/site]
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

# nbformat is imported inside the functions that read or write notebooks: importing
# it takes seconds (jsonschema builds its format checkers), and every notebook that
# loads data would pay for it (casekit.datasets imports every course module).

from . import cases, datasets, i18n
from .nbtools import HIDE_OUTPUT_TAG, WIDGET_VIEW, without_answer_line

__all__ = ["build", "prepare", "site_notebook", "EDITIONS"]

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
NODE_MODULES = SITE / "node_modules"
EDITIONS = ("en", "zh")
DISCUSSION = "<div class='casekit-static-discussion'"
WHAT_IF = "<div class='casekit-static-whatif'"
POLL = "<div class='casekit-static-poll'"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# The archive of the whole course (casekit, data, notebooks, Makefile) the
# site offers for download: the notebooks run only inside it.
ARCHIVE = "crm-course.zip"
SITE_ZIP = "course-site.zip"  # the built site in one file, beside its folder

# npm files served by the site: into Sphinx's static folder, and the widget
# icon fonts where the widget manager asks for them, relative to the page:
# its two style sheets name them at ``@jupyter-widgets/<hash>.woff2`` and at
# ``@jupyter-widgets/html-manager/dist/<hash>.woff2``.
STATIC = {
    "requirejs/require.js": "require.js",
    "@jupyter-widgets/html-manager/dist/embed-amd.js": "widgets/embed-amd.js",
    "mathjax/es5": "mathjax",
}
FONTS = "@jupyter-widgets/html-manager/dist"
FONTS_AT = ("@jupyter-widgets", "@jupyter-widgets/html-manager/dist")
FONT_SUFFIXES = (".woff", ".woff2", ".ttf")  # what browsers ask for

CSS = """\
.casekit-switch { text-align: right; margin: 0 0 0.5em 0; font-size: 0.95em; }
.casekit-switch a { margin-left: 1em; }
.casekit-live-note { border-left: 4px solid #0072B2; background: #f2f7fb; padding: 0.5em 0.9em;
  margin: 0.5em 0 1.2em 0; }
.casekit-static-discussion details > summary { cursor: pointer; color: #0072B2; font-weight: 600; }
.casekit-static-poll { margin: 0.5em 0 1em 0; }
/* Chinese has no italic: a browser slants the glyphs (synthetic italic). */
:lang(zh) em, :lang(zh) i { font-style: normal; }
html[lang|="zh"] body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; }
"""


# Loaded before Sphinx's searchtools.js, which keeps a splitQuery already
# defined. Sphinx's Chinese index holds jieba's words, but a query is looked
# up whole: 客户关系管理 finds nothing unless jieba kept it as one word. So a
# run of Chinese characters in the query is broken into the index's own
# words, longest first (客户关系管理 → 客户关系 + 管理, or whatever the
# index holds); a character no word covers stays a term of its own. And a
# page opened from a file (file://) cannot fetch the excerpts of the
# results: there the results are listed without them.
SEARCH_JS = r"""
if (location.protocol === "file:") DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
var splitQuery = (query) => {
  const han = /[\u3400-\u9fff\uf900-\ufaff]/u;
  const words = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(term => term);
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const known = (w) => (index.terms && w in index.terms) || (index.titleterms && w in index.titleterms);
  const out = [];
  for (const word of words) {
    if (!han.test(word) || known(word)) { out.push(word); continue; }
    // Latin and Chinese parts apart (e.g. "CRM客户"), then each Chinese run.
    for (const part of word.split(/([\u3400-\u9fff\uf900-\ufaff]+)/u).filter(p => p)) {
      if (!han.test(part)) { out.push(part); continue; }
      let i = 0;
      while (i < part.length) {
        let j = Math.min(part.length, i + 12);
        while (j > i + 1 && !known(part.slice(i, j))) j--;
        out.push(part.slice(i, j));
        i = j;
      }
    }
  }
  return out;
};
"""


def _t(key: str, lang: str, **values) -> str:
    with i18n.language(lang):
        return i18n.t(key, **values)


def _code_html(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


def _source_notebooks(lang: str) -> list[Path]:
    folder = ROOT / "notebooks" / ("zh" if lang == "zh" else "")
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def _teaching_notes(lang: str) -> list[Path]:
    folder = ROOT / "exercises" / "teaching_notes" / ("zh" if lang == "zh" else "")
    return sorted(folder.glob("*.md"))


# Guides for instructors in docs/ the teaching notes link to: shown on the
# site under "For instructors" (as instructors/<name>.html).
INSTRUCTOR_DOCS = {"class_mode": {"en": "docs/class_mode.md", "zh": "docs/class_mode.zh-CN.md"}}


def _other(lang: str) -> str:
    return "zh" if lang == "en" else "en"


def _exists_in(lang: str, page: str) -> bool:
    """Whether the other edition has a page at the same path."""
    if page == "index" or page in ("instructors", "data", "sources") or page.startswith("data/"):
        return True
    if page.startswith("instructors/"):
        name = page.split("/", 1)[1]
        return name in INSTRUCTOR_DOCS or any(p.stem == name for p in _teaching_notes(lang))
    return any(p.stem == page for p in _source_notebooks(lang))


def switch_html(lang: str, page: str, *, archive: str | None = None) -> str:
    """The line at the top of each page: the same page in the other edition
    (its index if it has no such page) and, on a case page, the course
    archive to run it in."""
    depth = page.count("/")
    other = _other(lang)
    target = page if _exists_in(other, page) else "index"
    prefix = "../" * depth + ("zh/" if lang == "en" else "../")
    lang_attr = "zh-CN" if other == "zh" else "en"
    parts = [f'<a class="casekit-other-edition" href="{prefix}{target}.html" hreflang="{lang_attr}">'
             f"{html.escape(_t('site.other_edition', lang))}</a>"]
    if archive:
        parts.append(f'<a class="casekit-download" href="{archive}" download>'
                     f"{html.escape(_t('site.download', lang, name=ARCHIVE))}</a>")
    return f'<p class="casekit-switch">{"".join(parts)}</p>'


_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def join_cjk_lines(text: str) -> str:
    """Join Markdown lines of a paragraph broken between two Chinese
    characters: Markdown reads a line break as a space, which Chinese does not
    use. Headings and code blocks (between ``` fences) stay as they are."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        body = line.lstrip()
        previous = out[-1] if out else ""
        if (not fenced and out and body and _CJK.match(body) and previous and _CJK.match(previous[-1])
                and not previous.lstrip().startswith("#") and not previous.lstrip().startswith("```")):
            out[-1] = previous + body
        else:
            out.append(line)
    return "\n".join(out)


def _html_of(cell) -> str:
    """The start of a code cell's casekit static form (``<div class='casekit-static-…'``), or ''."""
    for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
        page = out.get("data", {}).get("text/html", "")
        page = "".join(page) if isinstance(page, list) else page
        if page.startswith("<div class='casekit-static-"):
            return page[:page.index("'", len("<div class='")) + 1]
    return ""


def fold_key_points(page: str, lang: str) -> str:
    """A discussion question's static form with its key points folded, with
    the worked answer, under one summary: the site shows the question only
    until the reader clicks."""
    m = re.match(r"(?s)(<div class='casekit-static-discussion'><p>.*?</p>)(<ul>.*?</ul>)"
                 r"<details><summary>.*?</summary>(.*)</details></div>$", page)
    if not m:
        raise ValueError(f"a discussion question's static form must be question, key points, worked answer; "
                         f"got {page[:120]!r}")
    summary = html.escape(_t("site.answer_summary", lang))
    return f"{m.group(1)}<details><summary>{summary}</summary>{m.group(2)}{m.group(3)}</details></div>"


def _disable_controls(nb) -> None:
    """Every control of the saved widget state disabled: on the site nothing
    recomputes, so a slider that moved would show a result that does not follow."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model in state.values():
        if "disabled" in model.get("state", {}):
            model["state"]["disabled"] = True


_DOC_LINK = re.compile(r"\]\((?:\.\./)+docs/(" + "|".join(INSTRUCTOR_DOCS) + r")(?:\.zh-CN)?\.md\)")
# A bare URL in Chinese text: it ends at Chinese punctuation, a space or a bracket.
_BARE_URL = re.compile(r"(?<![(<\"'=])\bhttps?://[^\s<>()\u3000-\u303f\uff00-\uffef]+")


def site_links(text: str, lang: str) -> str:
    """A page's Markdown with links fit for the site: links to an
    instructors' guide in docs/ point at its page beside the teaching notes,
    and in Chinese text a bare URL stops before Chinese punctuation (the
    linkifier would take "。" or "；" into the address)."""
    text = _DOC_LINK.sub(r"](\1.md)", text)
    if lang == "zh":
        text = _BARE_URL.sub(lambda m: f"<{m.group(0).rstrip('.,;:')}>" + m.group(0)[len(m.group(0).rstrip('.,;:')):],
                             text)
    return text


def site_notebook(nb, lang: str, name: str):
    """The copy of a notebook the site shows (see the module docstring).

    For a reader without a kernel: polls and discussion questions in their
    static form, their introductions and the discussion heading's
    instructions in static-site words (no answer boxes to type in), the cell
    that exports one's answers left out, and each what-if's controls
    disabled, with a note above it saying how to make it live."""
    import nbformat
    import copy

    nb = copy.deepcopy(nb)
    _disable_controls(nb)
    kinds = [_html_of(c) for c in nb.cells]
    archive = ("../" if lang == "zh" else "") + ARCHIVE
    cells = [nbformat.v4.new_markdown_cell(switch_html(lang, Path(name).stem, archive=archive))]
    for i, cell in enumerate(nb.cells):
        following = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if cell.cell_type == "markdown":
            if following is not None and "export_markdown(" in _src(following):
                continue  # "to hand in your answers, run the next cell"
            if kinds[i + 1:i + 2] == [POLL] and cell.source.lstrip().startswith("**"):
                cell.source = _t("site.poll_intro", lang)
            elif kinds[i + 1:i + 2] == [DISCUSSION] and cell.source.lstrip().startswith("## "):
                cell.source = cell.source.lstrip().split("\n", 1)[0] + "\n\n" + _t("site.discussion_intro", lang)
            if lang == "zh":
                cell.source = join_cjk_lines(cell.source)
            cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        if "export_markdown(" in _src(cell):
            continue
        # Code folded under a "show code" button: the page is for reading.
        tags = cell.metadata.setdefault("tags", [])
        if HIDE_OUTPUT_TAG in tags:
            # A poll's reveal: code and result under one button that says what it hides.
            tags[:] = [t for t in tags if t not in ("hide-input", HIDE_OUTPUT_TAG)] + ["hide-cell"]
            cell.metadata["mystnb"] = {"code_prompt_show": _t("site.reveal_show", lang),
                                       "code_prompt_hide": _t("site.reveal_hide", lang)}
            # The fold's button says what it hides: no "vote first" line inside.
            cell = without_answer_line(cell)
        elif "hide-input" not in tags:
            tags.append("hide-input")
        live = False
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = data.get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            if WIDGET_VIEW in data and page.startswith((DISCUSSION, POLL)):
                del data[WIDGET_VIEW]  # the static form
            if page.startswith(DISCUSSION):
                data["text/html"] = fold_key_points(page, lang)
            elif WIDGET_VIEW in data and page.startswith(WHAT_IF):
                live = True
        if live:
            notebook = f"notebooks/{'zh/' if lang == 'zh' else ''}{name}"
            link = f'<a class="casekit-archive" href="{archive}" download>{ARCHIVE}</a>'
            note = _code_html(_t("site.whatif_live", lang, archive="\0", name=notebook)).replace("\0", link)
            cells.append(nbformat.v4.new_markdown_cell(f'<div class="casekit-live-note">{note}</div>'))
        cells.append(cell)
    nb.cells = cells
    return nb


def _src(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


# MathJax 3: the one bundle Sphinx loads and what it loads on demand.
MATHJAX_KEEP = {"tex-mml-chtml.js", "input", "output", "ui", "a11y", "adaptors"}


def _npm_ignore(folder, names):
    skip = {n for n in names if n.endswith(".map") or n in ("sre", "svg")}
    if Path(folder).name == "es5":
        skip |= {n for n in names if n not in MATHJAX_KEEP}
    return skip


def _copy_npm(src: Path) -> None:
    if not (NODE_MODULES / "requirejs").is_dir():
        raise FileNotFoundError(f"{NODE_MODULES} is missing: run `npm ci` in site/ (make site does)")
    static = src / "_vendor"
    for frm, to in STATIC.items():
        s, d = NODE_MODULES / frm, static / to
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True, ignore=_npm_ignore)
        else:
            shutil.copy2(s, d)
    (static / "casekit-site.css").write_text(CSS, encoding="utf-8")
    (static / "casekit-search.js").write_text(SEARCH_JS, encoding="utf-8")
    for folder in FONTS_AT:
        fonts = src / "_extra" / folder
        fonts.mkdir(parents=True, exist_ok=True)
        for f in (NODE_MODULES / FONTS).iterdir():
            if f.suffix in FONT_SUFFIXES:
                shutil.copy2(f, fonts / f.name)


def _case_table(lang: str, notebooks: dict[str, Path], notes: set[str]) -> str:
    lines = [_t("site.table_header", lang), "|---|---|---|---|"]
    for c in cases.load_cases().values():
        if c.status != "ready" or not c.notebook:
            continue
        own, other = (c.title.zh, c.title.en) if lang == "zh" else (c.title.en, c.title.zh)
        stem = Path(c.notebook).stem
        title = f"[{own}]({stem}.ipynb)" if stem in notebooks else own
        note = f"[{_t('site.teaching_note', lang)}](instructors/{c.id}.md)" if c.id in notes else ""
        lines.append(f"| {c.number} | {title} | {other} | {note} |")
    return "\n".join(lines)


def _page(text: str, lang: str, page: str) -> str:
    """A Markdown page with the edition switch above its title."""
    text = site_links(text, lang)
    return switch_html(lang, page) + "\n\n" + (join_cjk_lines(text) if lang == "zh" else text)


def _data_page(name: str, lang: str) -> str:
    ds = datasets.get(name)
    english = ds.dictionary_path.read_text(encoding="utf-8")
    if lang == "en":
        return english
    try:
        with i18n.language("zh"):
            table = datasets.describe(name)
    except ValueError:  # no Chinese data dictionary for it yet
        return english
    rows = ["| " + " | ".join(table.columns) + " |", "|---|---|---|"]
    rows += ["| `" + str(r.iloc[0]) + "` | " + " | ".join(str(v).replace("|", "\\|") for v in r.iloc[1:]) + " |"
             for _, r in table.iterrows()]
    title = ds.title_zh or ds.title
    return f"# {_t('site.data_title', lang, file=ds.name + '.csv')}\n\n{title}\n\n" + "\n".join(rows) + "\n"


def sources_page(lang: str) -> str:
    """The references page of one edition, from the registry: every case's
    sources with what each supports and its evidence grade, in that
    edition's language (citations of published works as published; the
    course's own words in Chinese where the registry has them)."""
    out = [f"# {_t('site.sources_title', lang)}", "", _t("site.sources_grades", lang), ""]
    for case in cases.load_cases().values():
        if not case.references:
            continue
        out += [f"## {case.title.get(lang)}", "", _t("site.sources_header", lang), "|---|---|---|"]
        for r in case.references:
            cite = r.citation(lang) if hasattr(r, "citation") else r.cite
            grade = r.grade if lang == "en" else cases.GRADE_ZH[r.grade]
            cells = (cite, r.supports.get(lang) or r.supports.en, grade)
            out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def prepare(src, lang: str) -> Path:
    """Write one edition's Jupyter Book project into ``src``."""
    import nbformat
    src = Path(src)
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    pages = SITE / "pages" / lang
    notebooks = {p.stem: p for p in _source_notebooks(lang)}
    notes = {p.stem: p for p in _teaching_notes(lang)}

    index = (pages / "index.md").read_text(encoding="utf-8")
    index = index.replace("<!-- cases -->", _case_table(lang, notebooks, set(notes)))
    index = index.replace("<!-- archive -->", ("../" if lang == "zh" else "") + ARCHIVE)
    (src / "index.md").write_text(_page(index, lang, "index"), encoding="utf-8")

    for stem, path in notebooks.items():
        nb = nbformat.read(path, as_version=4)
        nbformat.write(site_notebook(nb, lang, path.name), src / f"{stem}.ipynb")

    (src / "instructors").mkdir()
    for stem, path in notes.items():
        (src / "instructors" / f"{stem}.md").write_text(
            _page(path.read_text(encoding="utf-8"), lang, f"instructors/{stem}"), encoding="utf-8")
    guides = {}
    for stem, files in INSTRUCTOR_DOCS.items():
        text = (ROOT / files[lang]).read_text(encoding="utf-8")
        # The other edition's file: the switch at the top of the page links it.
        text = re.sub(r"^.*\]\(" + re.escape(Path(files[_other(lang)]).name) + r"\).*\n", "", text, flags=re.M)
        (src / "instructors" / f"{stem}.md").write_text(_page(text, lang, f"instructors/{stem}"), encoding="utf-8")
        guides[stem] = text.split("\n", 1)[0].lstrip("# ").strip()
    listing = "\n".join(f"* [{cases.get_case(s).title.get(lang) if s in _case_ids() else s}](instructors/{s}.md)"
                        for s in notes)
    listing += "\n\n" + "\n".join(f"* [{title}](instructors/{stem}.md)" for stem, title in guides.items())
    (src / "instructors.md").write_text(
        _page((pages / "instructors.md").read_text(encoding="utf-8").replace("<!-- list -->", listing),
              lang, "instructors"), encoding="utf-8")

    (src / "data").mkdir()
    names = sorted(n for n in datasets.all_datasets() if datasets.get(n).dictionary_path.exists())
    for n in names:
        (src / "data" / f"{n}.md").write_text(_page(_data_page(n, lang), lang, f"data/{n}"), encoding="utf-8")
    (src / "sources.md").write_text(_page(sources_page(lang), lang, "sources"), encoding="utf-8")
    listing = "\n".join([f"* [{n}.csv](data/{n}.md)" for n in names] + ["", f"* [{'资料来源' if lang == 'zh' else 'Sources'}](sources.md)"])
    (src / "data.md").write_text(
        _page((pages / "data.md").read_text(encoding="utf-8").replace("<!-- list -->", listing), lang, "data"),
        encoding="utf-8")

    _copy_npm(src)
    toc = {"format": "jb-book", "root": "index", "parts": [
        {"caption": _t("site.cases", lang), "chapters": [{"file": s} for s in notebooks]},
        {"caption": _t("site.instructors", lang),
         "chapters": [{"file": "instructors", "sections": [{"file": f"instructors/{s}"}
                                                             for s in [*notes, *guides]]}]},
        {"caption": _t("site.reference", lang),
         "chapters": [{"file": "data", "sections": [{"file": f"data/{n}"} for n in names] + [{"file": "sources"}]}]},
    ]}
    toc["parts"] = [part for part in toc["parts"] if part["chapters"]]  # a part needs chapters
    (src / "_toc.yml").write_text(json.dumps(toc, ensure_ascii=False, indent=1), encoding="utf-8")
    title = "客户关系管理与服务营销：开放案例课程" if lang == "zh" else "Serving customers well: a CRM case course"
    config = {
        "title": title, "author": "", "copyright": "", "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False,
                 "use_download_button": False, "home_page_in_navbar": True, "extra_footer": ""},
        "launch_buttons": {"binderhub_url": "", "jupyterhub_url": "", "colab_url": "", "thebe": False},
        "sphinx": {"config": {
            "language": "zh_CN" if lang == "zh" else "en",
            "html_search_language": "zh",
            "html_search_options": {"dict": str(SITE / "search_words.txt")},
            "html_static_path": ["_vendor"],
            "html_extra_path": ["_extra"],
            "html_css_files": ["casekit-site.css"],
            "html_js_files": ["casekit-search.js"],
            "html_show_sourcelink": False,
            "html_favicon": str(SITE / "favicon.svg"),
            # The theme's colour mode; without one the theme logs an error.
            "html_context": {"default_mode": "light"},
            "mathjax_path": "mathjax/tex-mml-chtml.js",
            "nb_ipywidgets_js": {"require.js": {}, "widgets/embed-amd.js": {}},
            "nb_code_prompt_show": _t("site.code_show", lang),
            "nb_code_prompt_hide": _t("site.code_hide", lang),
            "suppress_warnings": ["myst.header", "mystnb.unknown_mime_type"],
        }},
    }
    config["sphinx"]["extra_extensions"] = ["casekit.site"]
    (src / "_config.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return src


def setup(app):
    """The site's own small Sphinx extension (loaded by the build): each
    page's scripts are listed once, without Thebe's (Jupyter Book 1 registers
    them twice, and the second declaration is a console error; the site runs
    no code)."""

    def dedupe_scripts(app, pagename, templatename, context, doctree):
        seen, kept = set(), []
        for js in context.get("script_files", []):
            attrs = getattr(js, "attributes", {}) or {}
            body = attrs.get("body", "")
            if "thebe" in str(js) or "THEBE" in body:
                continue
            key = (str(js), tuple(sorted((k, str(v)) for k, v in attrs.items())))
            if key not in seen:
                seen.add(key)
                kept.append(js)
        context["script_files"] = kept

    def no_download_button(app, config):
        # The theme's download menu offers the site's modified copy of the
        # notebook and a print item; the course archive is the download.
        config.html_theme_options["use_download_button"] = False

    app.connect("config-inited", no_download_button)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _case_ids() -> set[str]:
    return set(cases.load_cases())


def course_archive(target) -> Path:
    """The whole course as one zip (``git archive`` of the committed HEAD:
    casekit, data, notebooks, Makefile), which the site offers for download:
    a notebook runs only with casekit and the data beside it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=zip", "--prefix=crm-course/",
                             "-o", str(target.resolve()), "HEAD"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"the course archive needs the course's git repository at {ROOT}: "
                           f"`git archive` failed: {result.stderr.strip()}")
    return target


def zip_site(folder, target) -> Path:
    """The built site as one zip (its files at the zip's root), to put on any
    web server or learning platform."""
    import zipfile

    folder, target = Path(folder), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(folder).as_posix())
    return target


def build_warnings(output: str) -> list[str]:
    """The warning and error lines of a Sphinx run's output."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    return [line for line in plain.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)]


def jupyter_book(src, out, *, what: str = "the site") -> None:
    """Run Jupyter Book 1 (Sphinx, HTML) on the project ``src`` into ``out``;
    any Sphinx warning (a broken link, a page missing from the table of
    contents) fails it, with every warning in the error."""
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(src),
           "--path-output", str(out), "--builder", "html", "--all", "--warningiserror", "--keep-going"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    warnings = build_warnings(result.stdout + "\n" + result.stderr)
    if result.returncode != 0 or warnings:
        detail = ("\n".join(warnings) if warnings else f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        raise RuntimeError(f"jupyter-book build of {what} failed (Sphinx warnings fail the build):\n{detail}")


def build(out="build/site", *, work="build/site-src", archive: bool = True) -> Path:
    """Build both editions: English at ``out``, Chinese at ``out/zh``, and
    the course archive at ``out/crm-course.zip``. A Sphinx warning (a broken
    link, a missing page) fails the build. Returns the site folder."""
    out, work = Path(out), Path(work)
    if out.exists():
        shutil.rmtree(out)
    for lang in EDITIONS:
        src = prepare(work / lang, lang)
        if (work / f"{lang}-out").exists():  # Sphinx never removes old static files
            shutil.rmtree(work / f"{lang}-out")
        jupyter_book(src, work / f"{lang}-out", what=f"the {lang} edition")
        html_dir = work / f"{lang}-out" / "_build" / "html"
        shutil.copytree(html_dir, out if lang == "en" else out / "zh", dirs_exist_ok=True)
    if archive:
        course_archive(out / ARCHIVE)
    return out


def _main(argv) -> int:
    if argv[:1] == ["build"] and len(argv) <= 2:
        out = build(argv[1] if len(argv) == 2 else "build/site")
        packed = zip_site(out, out.parent / SITE_ZIP)
        print(f"wrote the course site to {out}/ (English) and {out}/zh/ (中文)")
        print(f"open {out / 'index.html'} in a browser (no web server needed), or serve it: "
              f"{Path(sys.executable).name} -m http.server --directory {out} 8000, then open http://127.0.0.1:8000/")
        print(f"wrote {packed}: the whole site in one file, for any web server or learning platform")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
