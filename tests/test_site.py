"""The course site's build (casekit.site), without a browser: what the copies
of the notebooks gain and lose, the links between the editions, and the
project Jupyter Book is given. The built site is checked in a browser in
tests/browser/test_site_pages.py."""

import os
import json
from pathlib import Path

import nbformat
import pytest

from casekit import i18n, site
from casekit.nbtools import WIDGET_VIEW

ROOT = Path(__file__).resolve().parent.parent
HOTEL = ROOT / "notebooks" / "05_hotel_guarantee.ipynb"


def _outputs(nb, start):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "".join(o.get("data", {}).get("text/html", "")).startswith(start)]


def _state(nb):
    return nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]


def test_site_notebook_folds_worked_answers_and_explains_the_what_if():
    nb = nbformat.read(HOTEL, as_version=4)
    copy = site.site_notebook(nb, "en", HOTEL.name)
    # Discussion questions: the static form only, the key points folded with
    # the worked answer (nothing but the question shows before the click).
    discussions = _outputs(copy, site.DISCUSSION)
    assert discussions and all(WIDGET_VIEW not in o["data"] for o in discussions)
    for o in discussions:
        page = "".join(o["data"]["text/html"])
        assert page.index("<details>") < page.index("<ul>"), page[:300]
    # Polls: their static form (the site has no box to type in, no button).
    polls = _outputs(copy, site.POLL)
    assert polls and all(WIDGET_VIEW not in o["data"] for o in polls)
    # The what-if keeps its widget view (rendered from the saved state),
    # every control disabled, with a note ABOVE it: the course archive to run it in.
    what_ifs = _outputs(copy, site.WHAT_IF)
    assert what_ifs and all(WIDGET_VIEW in o["data"] for o in what_ifs)
    notes = [i for i, c in enumerate(copy.cells) if c.cell_type == "markdown" and "casekit-live-note" in c.source]
    assert len(notes) == len(what_ifs)
    assert all(site.WHAT_IF in site._html_of(copy.cells[i + 1]) for i in notes)
    assert f'href="{site.ARCHIVE}" download' in copy.cells[notes[0]].source
    assert f"notebooks/{HOTEL.name}" in copy.cells[notes[0]].source
    controls = [m["state"] for m in _state(copy).values() if "disabled" in m["state"]]
    assert controls and all(c["disabled"] for c in controls)
    assert not all(m["state"]["disabled"] for m in _state(nb).values() if "disabled" in m["state"])
    # No text about answer boxes, ticking or handing in: the site has none.
    shown = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
    for phrase in ("in the box", "each box", "Tick the points", "run the next cell"):
        assert phrase not in shown, phrase
    assert not any("export_markdown(" in c.source for c in copy.cells)
    # Code is folded, the first cell links the other edition and the archive,
    # and the committed notebook is untouched.
    code = [c for c in copy.cells if c.cell_type == "code"]
    reveals = [c for c in code if "hide-cell" in c.metadata.get("tags", [])]
    assert all("hide-input" in c.metadata.get("tags", []) for c in code if c not in reveals)
    # A poll's reveal is folded whole, under a button that says it is the result.
    folded = [c for c in nb.cells if "hide-output" in c.metadata.get("tags", [])]
    assert len(reveals) == len(folded) >= 2  # the two polls' reveals, and later cells tagged `reveal`
    # Inside the fold, no "vote first" line (it is for JupyterLab's folded bar).
    first = ["".join(c.outputs[0].get("text", "")) for c in reveals if c.outputs]
    assert first and not any(t.startswith("The answer to the poll above") for t in first), first[:3]
    assert all(c.metadata["mystnb"]["code_prompt_show"].startswith("Show the result") for c in reveals)
    assert not any("hide-output" in c.metadata.get("tags", []) for c in code)
    assert "casekit-other-edition" in copy.cells[0].source and site.ARCHIVE in copy.cells[0].source
    assert len(copy.cells) == len(nb.cells) + 1 + len(notes) - 2  # less the hand-in text and its cell
    assert not any("hide-input" in c.metadata.get("tags", []) for c in nb.cells)
    nbformat.validate(copy)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
                         + sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_every_case_page_has_static_discussions_polls_and_disabled_what_ifs(path):
    nb = nbformat.read(path, as_version=4)
    lang = "zh" if path.parent.name == "zh" else "en"
    copy = site.site_notebook(nb, lang, path.name)
    for start in (site.DISCUSSION, site.POLL):
        assert all(WIDGET_VIEW not in o["data"] for o in _outputs(copy, start)), start
    assert _outputs(copy, site.DISCUSSION), "every case has discussion questions"
    for o in _outputs(copy, site.DISCUSSION):
        page = "".join(o["data"]["text/html"])
        assert page.index("<details>") < page.index("<ul>")
    assert all(c["state"]["disabled"] for c in _state(copy).values() if "disabled" in c["state"])
    shown = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
    for phrase in ("in the box", "each box", "run the next cell", "每个答题框", "每个框里", "每个方框里", "每个文本框", "下面的框里", "运行下一个单元"):
        assert phrase not in shown, f"{path.name}: {phrase!r} on the site"


def test_fold_key_points_names_what_it_expects():
    with pytest.raises(ValueError, match="question, key points, worked answer"):
        site.fold_key_points("<div class='casekit-static-discussion'><p>q</p></div>", "en")


def test_site_links_point_at_the_guides_page_and_stop_urls_at_chinese_punctuation():
    en = site.site_links("See [class mode](../../docs/class_mode.md).", "en")
    assert en == "See [class mode](class_mode.md)."
    zh = site.site_links("见 [课堂模式](../../../docs/class_mode.zh-CN.md)。新闻稿，https://a.example/x.shtml；"
                         "另见（https://b.example/y）。", "zh")
    assert "](class_mode.md)" in zh
    assert "<https://a.example/x.shtml>；" in zh and "<https://b.example/y>）" in zh
    # English text and links already written out stay as they are.
    assert site.site_links("[x](https://c.example/z)", "zh") == "[x](https://c.example/z)"


def test_build_warnings_are_found_in_sphinx_output():
    out = "\x1b[91m/src/a.md:3: WARNING: 'myst' cross-reference target not found: 'b.md'\x1b[39;49;00m\nbuild ok"
    assert site.build_warnings(out) == ["/src/a.md:3: WARNING: 'myst' cross-reference target not found: 'b.md'"]


@pytest.mark.slow
def test_a_sphinx_warning_fails_the_build(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(json.dumps({"title": "t", "execute": {"execute_notebooks": "off"}}))
    (book / "_toc.yml").write_text(json.dumps({"format": "jb-book", "root": "index"}))
    (book / "index.md").write_text("# Page\n\nA [broken link](missing.md).\n")
    with pytest.raises(RuntimeError, match="missing.md"):
        site.jupyter_book(book, tmp_path / "out")
    (book / "index.md").write_text("# Page\n\nNo link.\n")
    site.jupyter_book(book, tmp_path / "out2")
    assert (tmp_path / "out2" / "_build" / "html" / "index.html").is_file()


def test_sources_page_speaks_the_editions_language():
    zh = site.sources_page("zh")
    assert zh.startswith("# 资料来源与证据等级") and "| 资料 | 支持的内容 | 证据等级 |" in zh
    assert "What it supports" not in zh and "make sources" not in zh
    assert "研究证据" in zh and "| evidence |" not in zh
    en = site.sources_page("en")
    assert "| Source | What it supports | Grade |" in en and "支持的内容" not in en


def test_chinese_data_dictionary_has_a_chinese_title():
    from casekit import datasets

    for name in datasets.all_datasets():
        assert datasets.get(name).title_zh, f"dataset {name} has no title_zh"
    page = site._data_page("hotel_stays", "zh")
    assert datasets.get("hotel_stays").title_zh in page and datasets.get("hotel_stays").title not in page


def test_course_archive_holds_the_course(tmp_path):
    import zipfile

    target = site.course_archive(tmp_path / site.ARCHIVE)
    names = zipfile.ZipFile(target).namelist()
    for needed in ("Makefile", "casekit/site.py", "notebooks/05_hotel_guarantee.ipynb", "data/hotel_stays.csv",
                   "notebooks/exercises/haidilao.ipynb"):
        assert f"crm-course/{needed}" in names, needed


def test_chinese_copy_speaks_chinese():
    nb = nbformat.read(HOTEL, as_version=4)
    copy = site.site_notebook(nb, "zh", HOTEL.name)
    note = next(c.source for c in copy.cells if "casekit-live-note" in c.source)
    assert "运行笔记本" in note and f'href="../{site.ARCHIVE}"' in note and "notebooks/zh/" in note
    assert "English edition" in copy.cells[0].source


@pytest.mark.parametrize("lang,page,href", [
    ("en", "index", "zh/index.html"),
    ("zh", "index", "../index.html"),
    ("en", "data/hotel_stays", "../zh/data/hotel_stays.html"),
    ("zh", "data/hotel_stays", "../../data/hotel_stays.html"),
    ("zh", "05_hotel_guarantee", "../05_hotel_guarantee.html"),
])
def test_switch_links_the_same_page_in_the_other_edition(lang, page, href):
    assert f'href="{href}"' in site.switch_html(lang, page)


def test_switch_falls_back_to_the_other_editions_index():
    # A page only one edition has: the link goes to the other's landing page.
    assert 'href="zh/index.html"' in site.switch_html("en", "99_not_a_case")


def test_site_messages_exist_in_both_languages():
    for key in ("site.other_edition", "site.download", "site.whatif_live", "site.cases", "site.instructors",
                "site.reference", "site.data_title", "site.table_header", "site.teaching_note", "site.code_show",
                "site.code_hide", "site.reveal_show", "site.reveal_hide", "site.poll_intro", "site.discussion_intro",
                "site.answer_summary", "site.sources_title", "site.sources_grades", "site.sources_header"):
        assert i18n.has(key), key


def test_prepare_writes_every_page_into_the_book(tmp_path):
    if not (site.NODE_MODULES / "requirejs").is_dir():
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail("npm packages not installed in CI: .ci/run and make test install them")
        pytest.skip("npm packages not installed (make site installs them)")
    src = site.prepare(tmp_path / "en", "en")
    toc = json.loads((src / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    files += [s["file"] for part in toc["parts"] for c in part["chapters"] for s in c.get("sections", [])]
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [f for f in files if f[:2].isdigit()] == notebooks
    notes = sorted(p.stem for p in (ROOT / "exercises" / "teaching_notes").glob("*.md"))
    assert [f.split("/")[1] for f in files if f.startswith("instructors/")] == notes + list(site.INSTRUCTOR_DOCS)
    assert "sources" in files and any(f.startswith("data/") for f in files)
    for f in files:
        assert (src / f"{f}.ipynb").exists() or (src / f"{f}.md").exists(), f
    index = (src / "index.md").read_text(encoding="utf-8")
    assert "<!-- cases -->" not in index and "(05_hotel_guarantee.ipynb)" in index
    config = json.loads((src / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    sphinx = config["sphinx"]["config"]
    assert sphinx["html_search_language"] == "zh"
    assert not any("http" in str(v) for v in sphinx["nb_ipywidgets_js"])
    assert (src / "_vendor" / "require.js").is_file() and (src / "_vendor" / "widgets" / "embed-amd.js").is_file()
    # The widget icon fonts where the pages ask for them.
    for folder in site.FONTS_AT:
        assert list((src / "_extra" / folder).glob("*.woff2")), folder
    assert "instructors/class_mode" in files
    assert "casekit-search.js" in sphinx["html_js_files"]


def test_chinese_lines_join_without_a_space_but_code_headings_and_english_keep_theirs():
    text = ("## 学习目标\n本节说明\n海底捞卖的是\n火锅。\nIt sells\nhot pot.\n\n"
            "```python\nx = '一'  # 说明\n第二行\n```\n* 要点一\n  继续")
    joined = site.join_cjk_lines(text)
    assert joined.startswith("## 学习目标\n本节说明海底捞卖的是火锅。\nIt sells\nhot pot.")
    assert "# 说明\n第二行" in joined
    assert joined.endswith("* 要点一继续")
