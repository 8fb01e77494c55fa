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


def test_site_notebook_folds_worked_answers_and_explains_the_what_if():
    nb = nbformat.read(HOTEL, as_version=4)
    copy = site.site_notebook(nb, "en", HOTEL.name)
    # Discussion questions: the static form only (worked answer in <details>).
    discussions = _outputs(copy, site.DISCUSSION)
    assert discussions and all(WIDGET_VIEW not in o["data"] for o in discussions)
    assert all("<details>" in "".join(o["data"]["text/html"]) for o in discussions)
    # The what-if keeps its widget view (rendered from the saved state) and
    # is followed by a note with the notebook to download.
    what_ifs = _outputs(copy, site.WHAT_IF)
    assert what_ifs and all(WIDGET_VIEW in o["data"] for o in what_ifs)
    notes = [c for c in copy.cells if c.cell_type == "markdown" and "casekit-live-note" in c.source]
    assert len(notes) == len(what_ifs)
    assert f'href="notebooks/{HOTEL.name}" download' in notes[0].source
    # Code is folded, the first cell links the other edition, and the
    # committed notebook is untouched.
    code = [c for c in copy.cells if c.cell_type == "code"]
    reveals = [c for c in code if "hide-cell" in c.metadata.get("tags", [])]
    assert all("hide-input" in c.metadata.get("tags", []) for c in code if c not in reveals)
    # A poll's reveal is folded whole, under a button that says it is the result.
    assert len(reveals) == len([c for c in nb.cells if "hide-output" in c.metadata.get("tags", [])]) == 2
    assert all(c.metadata["mystnb"]["code_prompt_show"].startswith("Show the result") for c in reveals)
    assert not any("hide-output" in c.metadata.get("tags", []) for c in code)
    assert "casekit-other-edition" in copy.cells[0].source
    assert len(copy.cells) == len(nb.cells) + 1 + len(notes)
    assert not any("hide-input" in c.metadata.get("tags", []) for c in nb.cells)
    nbformat.validate(copy)


def test_chinese_copy_speaks_chinese():
    nb = nbformat.read(HOTEL, as_version=4)
    copy = site.site_notebook(nb, "zh", HOTEL.name)
    note = next(c.source for c in copy.cells if "casekit-live-note" in c.source)
    assert "运行笔记本" in note
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
                "site.code_hide", "site.reveal_show", "site.reveal_hide"):
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
    assert [f.split("/")[1] for f in files if f.startswith("instructors/")] == notes
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
    assert (src / "_extra" / "notebooks" / HOTEL.name).read_bytes() == HOTEL.read_bytes()


def test_chinese_lines_join_without_a_space_but_code_headings_and_english_keep_theirs():
    text = ("## 学习目标\n本节说明\n海底捞卖的是\n火锅。\nIt sells\nhot pot.\n\n"
            "```python\nx = '一'  # 说明\n第二行\n```\n* 要点一\n  继续")
    joined = site.join_cjk_lines(text)
    assert joined.startswith("## 学习目标\n本节说明海底捞卖的是火锅。\nIt sells\nhot pot.")
    assert "# 说明\n第二行" in joined
    assert joined.endswith("* 要点一继续")
