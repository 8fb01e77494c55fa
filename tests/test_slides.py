"""Class slides: the slide metadata in the notebooks (casekit.slides).

* every case notebook, English and 中文, carries slide metadata that makes
  a valid deck: the metadata is the source (edit it in JupyterLab), checked
  for its structure (title first, takeaways last, a what-if, a slide type on
  every cell), not against ``casekit.slides.DECKS``, which only seeds it;
* the two editions of a case make the same deck;
* marking is idempotent and changes cell metadata only;
* a deck has no code and no script or style from the web.

The decks themselves are checked in a browser in tests/browser/test_slide_decks.py.
"""

import os
import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from casekit import slides

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EN = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
ZH = [NOTEBOOKS / "zh" / p.name for p in EN if (NOTEBOOKS / "zh" / p.name).exists()]


def _rel(p):
    return str(Path(p).relative_to(ROOT))


def test_every_case_notebook_has_a_deck():
    for path in EN + ZH:
        nb = nbformat.read(path, as_version=4)
        assert any(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells), _rel(path)


@pytest.mark.parametrize("path", EN + ZH, ids=_rel)
def test_slide_metadata_makes_a_valid_deck(path):
    assert slides.problems(path) == []


def _pair(tmp_path, edit):
    """Copies of the hotel notebook's two editions, ``edit(nb)`` applied to both."""
    out = []
    for src, target in ((NOTEBOOKS / "05_hotel_guarantee.ipynb", tmp_path / "05_hotel_guarantee.ipynb"),
                        (NOTEBOOKS / "zh" / "05_hotel_guarantee.ipynb", tmp_path / "zh" / "05_hotel_guarantee.ipynb")):
        nb = nbformat.read(src, as_version=4)
        edit(nb)
        target.parent.mkdir(exist_ok=True)
        nbformat.write(nb, target)
        out.append(target)
    return out


def _skipped_chart(nb) -> int:
    """A code cell left off the deck that shows a table or a chart."""
    return next(i for i, c in enumerate(nb.cells) if c.metadata["slideshow"]["slide_type"] == "skip"
                and any({"image/png", "text/html"} & set(o.get("data", {})) for o in c.get("outputs", [])))


def test_a_deck_edited_in_jupyterlab_is_valid(tmp_path):
    # An instructor puts one more chart on a slide, in both editions: the
    # notebooks' metadata is the deck, so the check accepts it.
    def edit(nb):
        nb.cells[_skipped_chart(nb)].metadata["slideshow"] = {"slide_type": "slide"}
    en, zh = _pair(tmp_path, edit)
    assert slides.problems(en) == [] and slides.problems(zh) == []
    assert len(slides.structure(en)) == len(slides.structure(NOTEBOOKS / en.name)) + 1


@pytest.mark.parametrize("what,edit,message", [
    ("no title", lambda nb: nb.cells[0].metadata.update(slideshow={"slide_type": "skip"}), "start with the title"),
    ("no takeaways", lambda nb: [c.metadata.update(slideshow={"slide_type": "skip"}) for c in nb.cells
                                 if c.source.startswith(("## Key takeaways", "## 要点总结"))], "end with the takeaways"),
    ("no what-if", lambda nb: [c.metadata.update(slideshow={"slide_type": "skip"}) for c in nb.cells
                               if "build_guarantee_widget(" in c.source], "show the what-if"),
    ("a cell without a type", lambda nb: nb.cells[5].metadata.pop("slideshow"), "cell 5 has slide type None"),
])
def test_problems_finds_a_deck_without_its_structure(tmp_path, what, edit, message):
    en, zh = _pair(tmp_path, edit)
    assert any(message in p for p in slides.problems(en)), (what, slides.problems(en))
    assert any(message in p for p in slides.problems(zh)), (what, slides.problems(zh))


def test_problems_finds_editions_that_differ(tmp_path):
    en, zh = _pair(tmp_path, lambda nb: None)
    nb = nbformat.read(zh, as_version=4)
    nb.cells[_skipped_chart(nb)].metadata["slideshow"] = {"slide_type": "slide"}
    nbformat.write(nb, zh)
    assert slides.problems(en) == []
    assert any("differs from the English one" in p for p in slides.problems(zh)), slides.problems(zh)


@pytest.mark.parametrize("path", EN + ZH, ids=_rel)
def test_a_deck_shows_the_title_the_objectives_and_the_takeaways(path):
    deck = slides.structure(path)
    starts = [d for d in deck if d[0] == "slide"]
    assert 8 <= len(starts) <= 25, f"{_rel(path)}: {len(starts)} slides"
    assert deck[0][:3] == ("slide", "markdown", "title")
    nb = nbformat.read(path, as_version=4)
    on_slides = [c for c in nb.cells if c.metadata["slideshow"]["slide_type"] != "skip"]
    code = "\n".join(c.source for c in on_slides if c.cell_type == "code")
    assert "show_objectives(" in code
    assert "build_" in code and "_widget(" in code, "the what-if at its default settings is on a slide"
    charts = sum(any("image/png" in o.get("data", {}) for o in c.get("outputs", [])) for c in on_slides)
    assert charts >= 2, f"{_rel(path)}: only {charts} charts on slides"


@pytest.mark.parametrize("zh", ZH, ids=_rel)
def test_both_editions_make_the_same_deck(zh):
    en = NOTEBOOKS / zh.name
    assert slides.structure(zh) == slides.structure(en)


def test_mark_is_idempotent_and_changes_metadata_only(tmp_path):
    src = NOTEBOOKS / "05_hotel_guarantee.ipynb"
    target = tmp_path / "notebooks" / src.name
    target.parent.mkdir()
    original = nbformat.read(src, as_version=4)
    for cell in original.cells:  # start from no slide metadata at all
        cell.metadata.pop("slideshow", None)
        cell.metadata["tags"] = [t for t in cell.metadata.get("tags", []) if t not in slides.SLIDE_TAGS]
    nbformat.write(original, target)
    slides.mark(target)
    once = target.read_text(encoding="utf-8")
    slides.mark(target)
    assert target.read_text(encoding="utf-8") == once, "marking twice changed the file"
    marked = nbformat.read(target, as_version=4)
    assert slides.problems(target) == []
    for a, b in zip(original.cells, marked.cells, strict=True):
        assert (a.cell_type, a.source, a.get("outputs"), a.get("execution_count")) == \
               (b.cell_type, b.source, b.get("outputs"), b.get("execution_count"))
        assert b.metadata["slideshow"]["slide_type"] in ("slide", "-", "skip")


def test_an_anchor_must_match_exactly_one_cell():
    nb = nbformat.read(NOTEBOOKS / "05_hotel_guarantee.ipynb", as_version=4)
    with pytest.raises(ValueError, match="must match one code cell, matched 0"):
        slides.anchors(nb, [["code:no such code anywhere"]])
    with pytest.raises(ValueError, match=r"must match one code cell, matched \d\d?"):
        slides.anchors(nb, [["code:plotting.style()"]])
    with pytest.raises(ValueError, match="must match one '## ' heading"):
        slides.anchors(nb, [["heading:No such heading"]])
    with pytest.raises(ValueError, match="must start with title, heading:"):
        slides.anchors(nb, [["cell:3"]])


def test_the_choice_fails_loudly_on_a_notebook_with_other_sections():
    nb = nbformat.read(NOTEBOOKS / "05_hotel_guarantee.ipynb", as_version=4)
    descriptors = slides.anchors(nb, slides.DECKS["05_hotel_guarantee"])
    fewer = copy.deepcopy(nb)
    fewer.cells = [c for c in fewer.cells if not c.source.startswith(("## Key takeaways", "## Sources"))]
    with pytest.raises(ValueError, match="needs '## ' heading number"):
        slides.plan(fewer, descriptors, name="fewer")


def test_a_deck_has_no_code_and_nothing_from_the_web(tmp_path):
    if not (slides.NODE_MODULES / "reveal.js").is_dir():
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail("npm packages not installed in CI: .ci/run and make test install them")
        pytest.skip("npm packages not installed (make slides installs them)")
    deck = slides.build_deck(NOTEBOOKS / "05_hotel_guarantee.ipynb", tmp_path)
    page = deck.read_text(encoding="utf-8")
    assert "mermaid" not in page
    urls = re.findall(r"""(?:src|href)=["'](https?:[^"']+)""", page)
    assert urls == [], f"the deck loads {urls}"
    assert "build_guarantee_widget" not in page, "code shows on the slides"
    assert not re.search(r'class="[^"]*(jp-CodeMirrorEditor|hl-ipython3)', page), "code is on the slides"
    # What it loads is beside it once the assets are copied.
    slides.copy_assets(tmp_path)
    for ref in re.findall(r"""(?:src|href)=["']((?:reveal\.js|vendor)/[^"'?]+)""", page):
        assert (tmp_path / ref).is_file(), f"{ref} is missing beside the deck"


def test_npm_packages_are_pinned():
    package = json.loads((ROOT / "site" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "site" / "package-lock.json").read_text(encoding="utf-8"))
    for name, spec in package["dependencies"].items():
        version = spec.split("@")[-1]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} must be pinned to one version, not {spec!r}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name


def test_wrong_case_or_edition_names_the_choices(tmp_path):
    with pytest.raises(ValueError, match="`case` must be one of"):
        slides.build_decks(tmp_path, case="nope")
    with pytest.raises(ValueError, match="`lang` must be one of"):
        slides.build_decks(tmp_path, lang="fr")


@pytest.mark.parametrize("path", EN, ids=_rel)
def test_every_slide_has_a_heading_and_no_code_talk(path):
    decks = []
    for p in (path, NOTEBOOKS / "zh" / path.name):
        cells = slides._deck_notebook(p).cells
        starts = [c for c in cells if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
        untitled = [c.source[:60] for c in starts if not (c.cell_type == "markdown" and c.source.lstrip().startswith("#"))]
        assert untitled == [], f"{_rel(p)}: slides without a heading: {untitled}"
        shown = [c.source for c in cells if c.cell_type == "markdown"
                 and c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "-")]
        talk = [s[:80] for s in shown if re.search(r"`[^`]+`|\bSQL\b", s)]
        assert talk == [], f"{_rel(p)}: code talk on slides: {talk}"
        decks.append(len(starts))
    assert decks[0] == decks[1], f"{path.name}: {decks[0]} slides in English, {decks[1]} in Chinese"


def test_code_talk_is_left_out_of_a_slide():
    text = "## 4. Value\n\nA network brings technicians closer.\n\n* **Outlets:** `network_model` walks a chain.\n* Plain point."
    assert slides._without_code_talk(text) == "## 4. Value\n\nA network brings technicians closer.\n\n* Plain point."


@pytest.mark.parametrize("path", EN + ZH, ids=_rel)
def test_no_slide_announces_what_the_deck_leaves_out(path):
    """A slide's text that ends with a colon leads into what comes next: the
    next cell of the deck must continue that slide (slide type '-')."""
    cells = slides._deck_notebook(path).cells
    for k, cell in enumerate(cells):
        if cell.cell_type != "markdown" or not cell.source.rstrip().endswith((":", "：")):
            continue
        nxt = cells[k + 1] if k + 1 < len(cells) else None
        kind = nxt.metadata.get("slideshow", {}).get("slide_type") if nxt is not None else None
        assert kind in ("-", "fragment"), f"{_rel(path)}: a slide ends “…{cell.source.rstrip()[-60:]}” but its next cell is not on it"


def test_a_dangling_lead_sentence_is_dropped():
    assert slides._without_dangling_lead("A.\n\nTables turn fast. They also report spend per guest:") == \
        "A.\n\nTables turn fast."
    assert slides._without_dangling_lead("门店每天翻台。它们还报告人均消费：") == "门店每天翻台。"
    assert slides._without_dangling_lead("Here it is:") == "Here it is."
    assert slides._without_dangling_lead("No colon.") == "No colon."


def test_the_deck_leaves_out_the_folded_bars_line():
    import nbformat

    from casekit import i18n, slides

    nb = slides._deck_notebook(NOTEBOOKS / "zh" / "05_hotel_guarantee.ipynb")
    with i18n.language("zh"):
        line = i18n.t("polls.answer_below")
    reveals = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("polls.answer_below()")]
    assert reveals, "the deck shows at least one poll's reveal"
    shown = "".join("".join(o.get("text", "")) for c in reveals for o in c.get("outputs", []))
    assert line not in shown
    source = nbformat.read(NOTEBOOKS / "zh" / "05_hotel_guarantee.ipynb", as_version=4)
    assert any(line in "".join(o.get("text", "")) for c in source.cells for o in c.get("outputs", []))
