"""casekit.cases: the registry loads, is complete and drives README and notebooks."""

import tomllib
from pathlib import Path

import pytest

from casekit import cases

ROOT = Path(__file__).resolve().parent.parent


def test_registry_loads_in_order():
    all_cases = cases.load_cases()
    numbers = [c.number for c in all_cases.values()]
    assert numbers == sorted(numbers)
    assert {"start_here", "dell", "haidilao", "ikea", "haier", "hotel_guarantee"} <= set(all_cases)


@pytest.mark.parametrize("case", list(cases.load_cases().values()), ids=lambda c: c.id)
def test_every_case_has_bilingual_title_and_summary(case):
    assert case.title.en and case.title.zh
    assert case.summary.en


@pytest.mark.parametrize("case", [c for c in cases.load_cases().values() if c.status == "ready"], ids=lambda c: c.id)
def test_ready_cases_are_complete(case):
    """A case marked ready has its notebook, objectives and fully bilingual questions."""
    assert (ROOT / "notebooks" / case.notebook).exists()
    assert len(case.objectives) >= 3
    assert all(o.en and o.zh for o in case.objectives)
    assert case.questions, "a ready case needs discussion questions"
    for q in case.questions:
        assert q.text.en and q.text.zh, q.id
        assert q.key_term.en and q.key_term.zh, q.id
        assert len(q.key_points) >= 3, f"{q.id} needs at least 3 key points"
        assert all(k.en and k.zh for k in q.key_points), q.id


def test_every_notebook_is_registered():
    registered = {c.notebook for c in cases.load_cases().values() if c.notebook}
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert nb.name in registered, f"{nb.name} is not in casekit/content/*.toml"


def test_text_falls_back_to_english():
    t = cases.Text(en="Hello")
    assert t.get("zh") == "Hello" and cases.Text("a", "乙").get("zh") == "乙"
    with pytest.raises(ValueError, match=r"`lang` must be one of 'en', 'zh'; got 'fr'"):
        t.get("fr")


def test_question_label_has_both_languages():
    q = cases.get_case("start_here").question("retention_claim")
    assert "customer lifetime value" in q.label() and "顾客终身价值" in q.label()


def test_course_table_and_readme_table():
    table = cases.course_table()
    assert list(table.columns)[:3] == ["no.", "case", "中文"]
    assert "start_here" not in table["case"].tolist()  # titles, not ids
    md = cases.readme_table()
    assert md.splitlines()[0].startswith("| No. | Case | 中文")
    assert len(md.splitlines()) == 2 + len(cases.load_cases())


def test_readme_case_table_is_generated_from_the_registry():
    assert cases.readme_block(ROOT / "README.md") == cases.readme_table(), \
        "README case table is stale: run `make readme`"
    assert cases.readme_block(ROOT / "README.zh-CN.md") == cases.readme_table("zh"), \
        "README.zh-CN.md case table is stale: run `make readme`"


def test_bad_ids():
    with pytest.raises(ValueError, match=r"`case_id` must be one of .*got 'nope'"):
        cases.get_case("nope")
    with pytest.raises(ValueError, match=r"`question_id` must be one of"):
        cases.get_case("start_here").question("q42")


@pytest.mark.parametrize(
    "raw, match",
    [
        ({"id": "Bad-Id", "title": {"en": "x"}}, r"'id' must be a lower-case identifier"),
        ({"id": "x", "status": "done", "title": {"en": "x"}}, r"'status' must be one of"),
        ({"id": "x", "title": {"zh": "只有中文"}}, r"must have English text under 'en'"),
        ({"id": "x", "title": {"en": "x", "fr": "y"}}, r"unknown language keys \['fr'\]"),
        ({"id": "x", "status": "ready", "title": {"en": "x"}}, r"a 'ready' case needs a 'notebook'"),
        ({"id": "x", "title": {"en": "x"}, "questions": [
            {"id": "q1", "text": "a", "key_term": "k"}, {"id": "q1", "text": "b", "key_term": "k"}]},
         r"question ids must be unique"),
    ],
)
def test_malformed_registry_entries_are_rejected(raw, match):
    with pytest.raises(ValueError, match=match):
        cases._parse(raw, "test.toml")


def test_content_files_are_valid_toml_named_by_id():
    for path in (ROOT / "casekit" / "content").glob("*.toml"):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        if path.name == "glossary.toml":  # the course glossary, not a case
            assert raw["terms"]
            continue
        assert path.stem == raw["id"]


def test_cli_prints_a_notebook(capsys):
    assert cases._main(["notebook", "start_here"]) == 0
    assert capsys.readouterr().out.strip() == "00_start_here.ipynb"
    assert cases._main(["bogus"]) == 2


# --------------------------------------------------------------------------
# Worked-answer templates and references
# --------------------------------------------------------------------------

def test_fill_requires_every_placeholder_and_every_figure():
    assert cases.fill("Gain USD {gain:,.0f} ({share:.1%}).", {"gain": 1234.5, "share": 0.25}) == \
        "Gain USD 1,234 (25.0%)."
    with pytest.raises(ValueError, match=r"`figures` lacks \['share'\]"):
        cases.fill("{gain} {share}", {"gain": 1})
    with pytest.raises(ValueError, match=r"`figures` has \['extra'\]"):
        cases.fill("{gain}", {"gain": 1, "extra": 2})
    with pytest.raises(ValueError, match=r"does not fit its placeholder"):
        cases.fill("{gain:,.0f}", {"gain": "text"})
    with pytest.raises(ValueError, match=r"plain names"):
        cases.template_fields("{a.b}")


def _worked_questions():
    return [(c, q) for c in cases.load_cases().values() for q in c.questions if q.worked is not None]


@pytest.mark.parametrize("case, q", _worked_questions(), ids=lambda x: getattr(x, "id", ""))
def test_worked_templates_hold_no_typed_figures(case, q):
    """Every figure in a worked answer is computed: outside its placeholders a
    template holds no digit except a four-digit year (and no dollar sign)."""
    import re
    import string

    for lang in ("en", "zh"):
        text = getattr(q.worked, lang)
        if not text:
            continue
        literal = "".join(lit for lit, *_ in string.Formatter().parse(text))
        stray = [m for m in re.findall(r"\d[\d.,]*", literal) if not re.fullmatch(r"(19|20)\d\d", m)]
        assert not stray, f"{case.id}.{q.id} ({lang}) types figures {stray}: pass them as placeholders"
        assert "$" not in literal, f"{case.id}.{q.id} ({lang}) has a dollar sign: write USD"


def test_references_parse_with_grades():
    for case in cases.load_cases().values():
        for r in case.references:
            assert r.grade in cases.GRADES and r.cite and r.supports.en
            assert "shared/" not in r.cite and "DOMAIN_FACTS" not in r.cite


def test_bad_reference_is_refused():
    raw = {"id": "x", "title": {"en": "X"}, "references": [{"id": "r", "cite": "A (2000)", "grade": "gossip",
                                                            "supports": {"en": "y"}}]}
    with pytest.raises(ValueError, match=r"'grade' must be one of"):
        cases._parse(raw, "x.toml")


def test_sources_page_is_up_to_date():
    """docs/sources.md is generated from the registry (`make sources`)."""
    page = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert page == cases.sources_page(), "run `make sources` to regenerate docs/sources.md"
    for case in cases.load_cases().values():
        for r in case.references:
            assert r.cite.replace("|", "\\|") in page
            assert r.cite_zh.replace("|", "\\|") in page


def test_show_objectives_and_references_render_markdown():
    md = cases.show_objectives("hotel_guarantee").data
    case = cases.get_case("hotel_guarantee")
    assert md.startswith("1. ") and case.objectives[0].en in md and case.objectives[0].zh in md
    assert cases.show_references("hotel_guarantee").data


def test_chinese_references_give_the_courses_words_in_chinese():
    """A course-written citation has a Chinese text (cite_zh), shown in the
    Chinese edition; a published one stays as published in both."""
    case = cases.get_case("hotel_guarantee")
    note = next(r for r in case.references if r.id == "cheats_folklore")
    paper = next(r for r in case.references if r.id == "hart1988")
    assert note.cite_zh and not paper.cite_zh
    zh, en = cases.show_references("hotel_guarantee", "zh").data, cases.show_references("hotel_guarantee", "en").data
    assert note.cite_zh in zh and note.cite not in zh and paper.cite in zh
    assert note.cite in en and note.cite_zh not in en
    with pytest.raises(ValueError, match="'cite_zh' must be text"):
        cases._parse({"id": "x", "title": {"en": "X"}, "references": [
            {"id": "r", "cite": "A (2000)", "cite_zh": 3, "grade": "evidence", "supports": {"en": "y"}}]}, "x.toml")


def test_bad_template_and_question_arguments_are_named():
    with pytest.raises(TypeError, match=r"`template` must be text"):
        cases.template_fields(3)
    with pytest.raises(ValueError, match=r"`template` must be a str.format template"):
        cases.template_fields("<p>{</p>")
    with pytest.raises(ValueError, match=r"`figures` has \['a'\].*`template`"):
        cases.fill("<p>no figures</p>", {"a": 1})
    with pytest.raises(TypeError, match=r"`question_id` must be text"):
        cases.get_case("start_here").question(["q1"])
    with pytest.raises(TypeError, match=r"`include_planned` must be True or False"):
        cases.course_table(include_planned="no")
