"""The course site (``make site``): one static website of the whole course,
English and 中文, built with Jupyter Book 1 (Sphinx) from the committed,
executed notebooks. Nothing is executed and nothing is fetched from the web:
require.js, the widget HTML manager and MathJax come from the npm packages in
``site/package.json`` (``npm ci``) and are served from the site itself.

Each edition is its own Jupyter Book project written to ``build/site-src/``
(English at the site's root, Chinese under ``zh/``), so each has its
interface language; both search indexes are built with Sphinx's Chinese
splitter (jieba, with ``site/search_words.txt`` for names such as 海底捞), so
either edition's search finds English words and Chinese terms.

What the build adds to the copies of the notebooks (the committed notebooks
are never changed): a link to the same page in the other edition and a link
to download the notebook; the discussion questions in their static form (the
worked answer folded until clicked); under each what-if (which renders from
its saved widget state), a note that it becomes live when the notebook is run;
the cell that reveals a poll's answer (tagged ``hide-output`` in the notebook,
see :func:`casekit.nbtools.hide_reveals`) folded whole under one "show the
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
from .nbtools import HIDE_OUTPUT_TAG, WIDGET_VIEW

__all__ = ["build", "prepare", "site_notebook", "EDITIONS"]

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
NODE_MODULES = SITE / "node_modules"
EDITIONS = ("en", "zh")
DISCUSSION = "<div class='casekit-static-discussion'"
WHAT_IF = "<div class='casekit-static-whatif'"

# npm files served by the site: into Sphinx's static folder, and the widget
# icon fonts at the site's root, where the widget manager asks for them.
STATIC = {
    "requirejs/require.js": "require.js",
    "@jupyter-widgets/html-manager/dist/embed-amd.js": "widgets/embed-amd.js",
    "mathjax/es5": "mathjax",
}
FONTS = "@jupyter-widgets/html-manager/dist"
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".eot", ".svg")

CSS = """\
.casekit-switch { text-align: right; margin: 0 0 0.5em 0; font-size: 0.95em; }
.casekit-switch a { margin-left: 1em; }
.casekit-live-note { border-left: 4px solid #0072B2; background: #f2f7fb; padding: 0.5em 0.9em;
  margin: 0.5em 0 1.2em 0; }
.casekit-static-discussion details > summary { cursor: pointer; color: #0072B2; font-weight: 600; }
html[lang|="zh"] body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; }
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


def _other(lang: str) -> str:
    return "zh" if lang == "en" else "en"


def _exists_in(lang: str, page: str) -> bool:
    """Whether the other edition has a page at the same path."""
    if page == "index" or page in ("instructors", "data", "sources") or page.startswith("data/"):
        return True
    if page.startswith("instructors/"):
        return any(p.stem == page.split("/", 1)[1] for p in _teaching_notes(lang))
    return any(p.stem == page for p in _source_notebooks(lang))


def switch_html(lang: str, page: str, *, download: str | None = None) -> str:
    """The line at the top of each page: the same page in the other edition
    (its index if it has no such page) and, on a case page, the notebook."""
    depth = page.count("/")
    other = _other(lang)
    target = page if _exists_in(other, page) else "index"
    prefix = "../" * depth + ("zh/" if lang == "en" else "../")
    lang_attr = "zh-CN" if other == "zh" else "en"
    parts = [f'<a class="casekit-other-edition" href="{prefix}{target}.html" hreflang="{lang_attr}">'
             f"{html.escape(_t('site.other_edition', lang))}</a>"]
    if download:
        parts.append(f'<a class="casekit-download" href="notebooks/{download}" download>'
                     f"{html.escape(_t('site.download', lang, name=download))}</a>")
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


def site_notebook(nb, lang: str, name: str):
    """The copy of a notebook the site shows (see the module docstring)."""
    import nbformat
    import copy

    nb = copy.deepcopy(nb)
    cells = [nbformat.v4.new_markdown_cell(switch_html(lang, Path(name).stem, download=name))]
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "markdown" and lang == "zh":
            cell.source = join_cjk_lines(cell.source)
        if cell.cell_type != "code":
            continue
        # Code folded under a "show code" button: the page is for reading.
        tags = cell.metadata.setdefault("tags", [])
        if HIDE_OUTPUT_TAG in tags:
            # A poll's reveal: code and result under one button that says what it hides.
            tags[:] = [t for t in tags if t not in ("hide-input", HIDE_OUTPUT_TAG)] + ["hide-cell"]
            cell.metadata["mystnb"] = {"code_prompt_show": _t("site.reveal_show", lang),
                                       "code_prompt_hide": _t("site.reveal_hide", lang)}
        elif "hide-input" not in tags:
            tags.append("hide-input")
        live = False
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = data.get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            if WIDGET_VIEW in data and page.startswith(DISCUSSION):
                del data[WIDGET_VIEW]  # the static form: worked answer in <details>
            elif WIDGET_VIEW in data and page.startswith(WHAT_IF):
                live = True
        if live:
            link = f'<a href="notebooks/{name}" download>{name}</a>'
            note = _code_html(_t("site.whatif_live", lang, name="\0")).replace("\0", link)
            cells.append(nbformat.v4.new_markdown_cell(f'<div class="casekit-live-note">{note}</div>'))
    nb.cells = cells
    return nb


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
    fonts = src / "_extra" / FONTS
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
    return f"# {_t('site.data_title', lang, file=ds.name + '.csv')}\n\n{ds.title}\n\n" + "\n".join(rows) + "\n"


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
    (src / "index.md").write_text(_page(index, lang, "index"), encoding="utf-8")

    downloads = src / "_extra" / "notebooks"
    downloads.mkdir(parents=True)
    for stem, path in notebooks.items():
        nb = nbformat.read(path, as_version=4)
        nbformat.write(site_notebook(nb, lang, path.name), src / f"{stem}.ipynb")
        shutil.copy2(path, downloads / path.name)

    (src / "instructors").mkdir()
    for stem, path in notes.items():
        (src / "instructors" / f"{stem}.md").write_text(
            _page(path.read_text(encoding="utf-8"), lang, f"instructors/{stem}"), encoding="utf-8")
    listing = "\n".join(f"* [{cases.get_case(s).title.get(lang) if s in _case_ids() else s}](instructors/{s}.md)"
                        for s in notes)
    (src / "instructors.md").write_text(
        _page((pages / "instructors.md").read_text(encoding="utf-8").replace("<!-- list -->", listing),
              lang, "instructors"), encoding="utf-8")

    (src / "data").mkdir()
    names = sorted(n for n in datasets.all_datasets() if datasets.get(n).dictionary_path.exists())
    for n in names:
        (src / "data" / f"{n}.md").write_text(_page(_data_page(n, lang), lang, f"data/{n}"), encoding="utf-8")
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    (src / "sources.md").write_text(_page(sources, lang, "sources"), encoding="utf-8")
    listing = "\n".join([f"* [{n}.csv](data/{n}.md)" for n in names] + ["", f"* [{'资料来源' if lang == 'zh' else 'Sources'}](sources.md)"])
    (src / "data.md").write_text(
        _page((pages / "data.md").read_text(encoding="utf-8").replace("<!-- list -->", listing), lang, "data"),
        encoding="utf-8")

    _copy_npm(src)
    toc = {"format": "jb-book", "root": "index", "parts": [
        {"caption": _t("site.cases", lang), "chapters": [{"file": s} for s in notebooks]},
        {"caption": _t("site.instructors", lang),
         "chapters": [{"file": "instructors", "sections": [{"file": f"instructors/{s}"} for s in notes]}]},
        {"caption": _t("site.reference", lang),
         "chapters": [{"file": "data", "sections": [{"file": f"data/{n}"} for n in names] + [{"file": "sources"}]}]},
    ]}
    if not notes:
        toc["parts"][1]["chapters"] = [{"file": "instructors"}]
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

    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _case_ids() -> set[str]:
    return set(cases.load_cases())


def build(out="build/site", *, work="build/site-src", quiet: bool = True) -> Path:
    """Build both editions: English at ``out``, Chinese at ``out/zh``.
    Returns the site folder (open ``index.html`` through a web server)."""
    out, work = Path(out), Path(work)
    if out.exists():
        shutil.rmtree(out)
    for lang in EDITIONS:
        src = prepare(work / lang, lang)
        if (work / f"{lang}-out").exists():  # Sphinx never removes old static files
            shutil.rmtree(work / f"{lang}-out")
        cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(src),
               "--path-output", str(work / f"{lang}-out"), "--builder", "html", "--all"]
        if quiet:
            cmd.append("--quiet")
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"jupyter-book build of the {lang} edition failed:\n"
                               f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        html_dir = work / f"{lang}-out" / "_build" / "html"
        shutil.copytree(html_dir, out if lang == "en" else out / "zh", dirs_exist_ok=True)
    return out


def _main(argv) -> int:
    if argv[:1] == ["build"] and len(argv) <= 2:
        out = build(argv[1] if len(argv) == 2 else "build/site")
        print(f"wrote the course site to {out}/ (English) and {out}/zh/ (中文)")
        print(f"view it: {Path(sys.executable).name} -m http.server --directory {out} 8000, "
              "then open http://127.0.0.1:8000/")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
