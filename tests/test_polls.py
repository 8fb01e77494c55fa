"""Class polls: the registry, the model answers, the widget and the saved vote."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pytest

from casekit import i18n, polls
from casekit.answers import AnswerBook, check_vote, read_answers_file

READY = ("dell", "haidilao", "ikea", "haier", "hotel_guarantee")


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

@pytest.mark.parametrize("case_id", READY)
def test_every_case_has_at_least_two_polls_in_both_languages(case_id):
    from casekit import cases

    found = polls.polls_for(case_id)
    assert len(found) >= 2
    questions = {q.id for q in cases.get_case(case_id).questions}
    for p in found:
        assert p.discussion in questions
        for text in (p.question, p.open, p.show):
            assert text.en.strip() and text.zh.strip()
            assert "$" not in text.en + text.zh
        assert p.notebook.strip() and p.computed_by.strip()
        if p.kind == "choice":
            assert all(o.text.en and o.text.zh for o in p.options)
            assert set(p.answers) <= set(p.option_ids())
        else:
            assert p.min <= p.answer <= p.max and p.unit.en and p.unit.zh
    assert {p.kind for p in polls.load_polls()[case_id]} <= set(polls.KINDS)


def test_course_has_both_kinds_of_poll():
    kinds = [p.kind for found in polls.load_polls().values() for p in found]
    assert kinds.count("choice") >= 3 and kinds.count("number") >= 5


# Each model answer recomputed from casekit, as `computed_by` says.
def _dell_ccc():
    from casekit import dell

    return dell.cash_conversion_cycle(dell.DELL_DAYS, dell.DSO_DAYS, dell.DPO_DAYS)


def _dell_gap():
    from casekit import dell

    return dell.funded_price_gap()


def _haidilao_budget():
    from casekit import haidilao

    return haidilao.spend_curve([0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30], lever="empowerment")["profit"].idxmax()


def _haidilao_copy():
    from casekit import haidilao

    s = haidilao.compare_styles()
    return 100 * (s.loc["perks_only", "profit"] - s.loc["standard", "profit"]) / (
        s.loc["haidilao", "profit"] - s.loc["standard", "profit"])


def _ikea_unplanned():
    from casekit import datasets

    v = datasets.load("ikea_visits")
    store = v[v["store"] == "transparent"]
    return 100 * store["impulse_spend"].sum() / store["basket"].sum()


def _ikea_ten_years():
    from casekit import ikea

    g = ikea.growth_needed(ikea.SALES_GROWTH_CLAIM, same_store_growth=ikea.SAME_STORE_GROWTH_FY2012, years=10)
    return g.loc[10, "sales (index)"]


def _haier_outlets():
    from casekit import haier

    return int(haier.network_curve(0.88, 0.90)["clv"].idxmax())


def _hotel_breakeven():
    from casekit import hotel

    return 100 * hotel.breakeven_cheating_rate(hotel.draw_stays(hotel.DATASET_ROOMS, seed=hotel.HOTEL_SEED))


NUMBER_ANSWERS = {
    ("dell", "ccc"): (_dell_ccc, 0),
    ("dell", "price_gap"): (_dell_gap, 2),
    ("haidilao", "gift_budget"): (_haidilao_budget, 0),
    ("haidilao", "copycat_share"): (_haidilao_copy, 1),
    ("ikea", "unplanned"): (_ikea_unplanned, 0),
    ("ikea", "ten_years"): (_ikea_ten_years, 1),
    ("haier", "best_outlets"): (_haier_outlets, 0),
    ("hotel_guarantee", "breakeven"): (_hotel_breakeven, 2),
}


@pytest.mark.parametrize("key", sorted(NUMBER_ANSWERS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_number_poll_answer_is_what_casekit_computes(key):
    compute, digits = NUMBER_ANSWERS[key]
    assert polls.get_poll(*key).answer == pytest.approx(round(float(compute()), digits))


def test_every_number_poll_answer_is_recomputed_here():
    numbers = {(p.case, p.id) for found in polls.load_polls().values() for p in found if p.kind == "number"}
    assert numbers == set(NUMBER_ANSWERS)


def test_choice_poll_answers_follow_the_models():
    from casekit import haidilao, haier, hotel, ikea

    designs = hotel.compare_policies(hotel.draw_stays(hotel.DATASET_ROOMS, seed=hotel.HOTEL_SEED))
    best = designs.loc["gain_vs_first"].idxmax()
    assert best == "Hampton-like" and polls.get_poll("hotel_guarantee", "design").answer == "hampton_like"

    copy = ikea.copycat_table()["change vs rival (¥)"]
    assert copy["copy the low price without flat-pack"] < 0 < copy["copy labels and no-push rule"]
    assert set(polls.get_poll("ikea", "hardest_pillar").answers) == {"cost", "logistics"}

    gain = haidilao.compare_styles()["profit"]
    gain = gain - gain["standard"]
    assert gain["haidilao"] > 0  # the service pays ("neither" is wrong)
    assert gain["empowerment_only"] > 0.5 * gain["haidilao"] and gain["empowerment_only"] > 3 * gain["perks_only"]
    assert polls.get_poll("haidilao", "sells").answer == "staff"

    rep = haier.query("""
        WITH first AS (
            SELECT t.customer_id,
                   MIN(CASE WHEN t.fixed_at IS NULL THEN 0
                            WHEN (julianday(t.fixed_at) - julianday(t.requested_at)) * 24 <= 48 THEN 2
                            ELSE 1 END) AS outcome
            FROM tickets AS t JOIN appliances AS a ON a.appliance_id = t.appliance_id
            WHERE a.purchase_no = 1 GROUP BY t.customer_id),
        bought AS (SELECT customer_id, MAX(purchase_no) > 1 AS again FROM appliances GROUP BY customer_id)
        SELECT COALESCE(f.outcome, 3) AS outcome, AVG(b.again) AS repurchase
        FROM bought AS b LEFT JOIN first AS f USING (customer_id) GROUP BY 1""").set_index("outcome")["repurchase"]
    assert rep[2] >= rep[3] - 0.02  # quickly fixed: as often as no problem, or more
    assert polls.get_poll("haier", "quick_fix").answer == "same_or_more"


def _parse(**changes):
    raw = {"id": "x", "kind": "number", "discussion": "q1", "question": {"en": "Q?", "zh": "问？"},
           "unit": {"en": "%", "zh": "%"}, "min": 0, "max": 10, "step": 1, "answer": 3,
           "computed_by": "f()", "notebook": "before cell 3",
           "open": {"en": "now", "zh": "现在"}, "show": {"en": "later", "zh": "稍后"}}
    raw.update(changes)
    return polls._parse_poll(raw, "hotel_guarantee", "test.toml poll 0")


@pytest.mark.parametrize("changes,match", [
    ({"kind": "slider"}, "`kind` must be one of"),
    ({"discussion": "q9"}, "`discussion` must be a question id"),
    ({"answer": 11}, "`answer` must lie between"),
    ({"max": -1}, "needs `min` < `max`"),
    ({"question": {"en": "Q?"}}, "both languages"),
    ({"question": {"en": "Q?", "zh": "问", "fr": "Q"}}, "both languages|unknown language"),
    ({"kind": "choice", "options": [{"id": "a", "en": "A", "zh": "甲"}], "answer": "a"}, "2 to 12 options"),
    ({"kind": "choice", "options": [{"id": "a", "en": "A", "zh": "甲"}, {"id": "b", "en": "B", "zh": "乙"}],
      "answer": "c"}, "`answer` must be an option id"),
    ({"computed_by": ""}, "`computed_by` must be"),
    ({"id": "not an id"}, "`id` must be a plain name"),
])
def test_bad_poll_definitions_say_what_is_wrong(changes, match):
    with pytest.raises(ValueError, match=match):
        _parse(**changes)


def test_unknown_poll_lists_the_valid_ones():
    with pytest.raises(ValueError, match="breakeven"):
        polls.get_poll("hotel_guarantee", "nope")


def test_placement_names_every_poll_with_its_cell_and_moments():
    for lang in ("en", "zh"):
        text = polls.placement(lang)
        for found in polls.load_polls().values():
            for p in found:
                assert f"`{p.id}`" in text and p.notebook in text and p.open.get(lang) in text


# --------------------------------------------------------------------------
# The saved vote
# --------------------------------------------------------------------------

@pytest.mark.parametrize("vote,error", [(True, TypeError), (float("nan"), ValueError), (math.inf, ValueError),
                                        ("two\nlines", ValueError), ("", ValueError), ([1], TypeError)])
def test_bad_votes_are_refused_with_the_argument_named(vote, error):
    with pytest.raises(error, match="`vote`"):
        check_vote(vote)


def test_a_vote_merges_with_the_text_answers_and_can_be_cleared(tmp_path):
    book = AnswerBook("05_hotel_guarantee", case="hotel_guarantee", folder=tmp_path)
    book.save("q1", text="Managers fear cheating.")
    other = AnswerBook("05_hotel_guarantee", case="hotel_guarantee", folder=tmp_path)  # another tab
    other.save("poll:breakeven", vote=1.5)
    data = read_answers_file(tmp_path / "05_hotel_guarantee.json")
    assert data["answers"]["q1"]["text"] == "Managers fear cheating."
    assert data["answers"]["poll:breakeven"]["vote"] == 1.5
    book.reload()
    assert book.vote("poll:breakeven") == 1.5 and book.vote("q1") is None
    book.save("poll:breakeven", vote=None)
    assert "vote" not in read_answers_file(book.path)["answers"]["poll:breakeven"]
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.parametrize("vote", [True, "x" * 300, [1], {"a": 1}])
def test_a_file_with_a_malformed_vote_is_not_an_answers_file(tmp_path, vote):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"format": "casekit-answers", "version": 1, "answers": {"poll:x": {"vote": vote}}}))
    with pytest.raises(ValueError, match="malformed vote"):
        read_answers_file(path)


# --------------------------------------------------------------------------
# The widget
# --------------------------------------------------------------------------

def test_choice_poll_saves_the_vote_and_shows_it_again(tmp_path):
    book = AnswerBook("05_hotel_guarantee", case="hotel_guarantee", folder=tmp_path)
    w = polls.poll("hotel_guarantee", "design", book=book, lang="en")
    assert w.choices.value is None and w.vote is None
    w.choices.value = "half_refund"
    assert w.vote == "half_refund" and "Half refund" in w.status.value
    again = polls.poll("hotel_guarantee", "design", book=AnswerBook("05_hotel_guarantee", folder=tmp_path))
    assert again.choices.value == "half_refund"


@pytest.mark.parametrize("typed,saved", [("1.5", 1.5), ("1,5", 1.5), (" 2 % ", 2.0), ("0", 0.0), ("5", 5.0),
                                         ("１．２", 1.2), ("1.2％", 1.2), ("１，５", 1.5), ("\u3000２\u3000", 2.0)])
def test_number_poll_reads_what_students_type(tmp_path, typed, saved):
    book = AnswerBook("n", folder=tmp_path)
    w = polls.poll("hotel_guarantee", "breakeven", book=book, lang="en")
    w.guess.value = typed
    assert w.vote == saved


@pytest.mark.parametrize("typed,message", [("abc", "not a number"), ("7", "outside the range"),
                                           ("-1", "outside the range"), ("nan", "outside the range")])
def test_number_poll_says_what_to_type_and_saves_nothing(tmp_path, typed, message):
    book = AnswerBook("n", folder=tmp_path)
    w = polls.poll("hotel_guarantee", "breakeven", book=book, lang="en")
    w.guess.value = typed
    assert message in w.status.value and "0 to 5" in w.status.value
    assert w.vote is None and not book.path.exists()


@pytest.mark.parametrize("typed", ["-8", "−8", "－8", "\uff0d８", "−8.0", "- 8"])
def test_a_negative_guess_is_read_with_any_minus_sign(typed):
    assert polls.parse_number(typed, polls.get_poll("dell", "ccc")) == -8  # the notebook prints "−8" (U+2212)


def test_number_poll_thousands_and_the_vote_button(tmp_path):
    book = AnswerBook("h", folder=tmp_path)
    w = polls.poll("haier", "best_outlets", book=book, lang="en")
    w.guess.value = "3,250"
    assert w.vote == 3250
    book.save("poll:best_outlets", vote=None)
    w.vote_button.click()
    assert w.vote == 3250


def test_poll_in_chinese_and_static_form(tmp_path):
    book = AnswerBook("h", folder=tmp_path)
    w = polls.poll("hotel_guarantee", "design", book=book, lang="zh")
    assert [label for label, _ in w.choices.options][0] == "不做承诺"
    html = w.static_html()
    assert "你会为酒店选择哪一种承诺设计" in html and "汉普顿式" in html
    assert repr(w) == ("Poll(case='hotel_guarantee', poll='design', kind='choice', "
                       "options=['none', 'half_refund', 'report_during_stay', 'one_claim', 'hampton_like'])")
    with i18n.language("zh"):
        w2 = polls.poll("hotel_guarantee", "breakeven", book=book)
        w2.guess.value = "九"
        assert "不是数字" in w2.status.value


def test_poll_widget_refuses_a_wrong_book():
    with pytest.raises(TypeError, match="`book` must be an AnswerBook"):
        polls.PollWidget(polls.get_poll("dell", "ccc"), "answers.json")


def test_class_mode_guide_lists_every_poll_as_generated(tmp_path):
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    for name, lang in (("class_mode.md", "en"), ("class_mode.zh-CN.md", "zh")):
        copy = tmp_path / name
        copy.write_text((docs / name).read_text(encoding="utf-8"), encoding="utf-8")
        assert not polls.write_placement(copy), \
            "run: python -m casekit.polls docs docs/class_mode.md docs/class_mode.zh-CN.md"
        text = copy.read_text(encoding="utf-8")
        for found in polls.load_polls().values():
            for p in found:
                assert p.question.get(lang) in text and p.open.get(lang) in text
    stale = tmp_path / "stale.md"
    stale.write_text(f"x\n{polls.PLACEMENT_BEGIN}\nold\n{polls.PLACEMENT_END}\n", encoding="utf-8")
    assert polls.write_placement(stale) and "`breakeven`" in stale.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="markers"):
        polls.write_placement(_no_markers(tmp_path))


def _no_markers(tmp_path):
    p = tmp_path / "plain.md"
    p.write_text("no markers\n", encoding="utf-8")
    return p


# --------------------------------------------------------------------------
# The polls in the case notebooks and the teaching notes
# --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
# The code cell that reveals each poll's answer: the poll must stand just before it.
REVEALS = {
    ("dell", "ccc"): "ccc_dell = dell.cash_conversion_cycle(",
    ("dell", "price_gap"): "gaps = [",
    ("haidilao", "sells"): "styles = haidilao.compare_styles()",
    ("haidilao", "gift_budget"): "curve = haidilao.spend_curve(budgets",
    ("haidilao", "copycat_share"): "copy = styles.loc[",
    ("ikea", "unplanned"): 'i = store["impulse_spend"].sum()',
    ("ikea", "hardest_pillar"): "copycat = ikea.copycat_table()",
    ("ikea", "ten_years"): "growth = ikea.growth_needed(",
    ("haier", "quick_fix"): "repurchase_sql = haier.query(",
    ("haier", "best_outlets"): "curve = haier.network_curve(",
    ("hotel_guarantee", "breakeven"): "split = hotel.guarantee_decomposition(draws)",
    ("hotel_guarantee", "design"): "designs = hotel.compare_policies(draws)",
}
EDITIONS = {"en": ROOT / "notebooks", "zh": ROOT / "notebooks" / "zh"}


def _placed_polls():
    return [(c, p.id) for c in READY for p in polls.polls_for(c)]


def test_every_poll_of_the_registry_has_its_reveal_cell_named():
    assert sorted(_placed_polls()) == sorted(REVEALS)


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("case_id,poll_id", sorted(REVEALS))
def test_each_poll_stands_in_its_notebook_just_before_the_reveal(case_id, poll_id, lang):
    import nbformat
    from casekit import cases

    path = EDITIONS[lang] / cases.get_case(case_id).notebook
    cells = nbformat.read(path, as_version=4).cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    first = cells[code[0]].source
    assert re.search(r"^from casekit import .*\bpolls\b", first, re.M), f"{path.name}: import polls in the first cell"
    assert re.search(r"^book = AnswerBook\(", first, re.M), f"{path.name}: open the answers book in the first cell"
    call = f'polls.poll("{case_id}", "{poll_id}", book=book)'
    at = [i for i in code if cells[i].source.strip() == call]
    assert len(at) == 1, f"{path.name}: {len(at)} cells are `{call}`"
    i = at[0]
    lead = cells[i - 1]
    assert lead.cell_type == "markdown" and lead.source.strip(), f"{path.name}: a lead-in before the poll {poll_id}"
    reveal = [j for j in code if REVEALS[(case_id, poll_id)] in cells[j].source]
    assert len(reveal) == 1, f"{path.name}: the reveal cell of {poll_id} must be one cell, found {len(reveal)}"
    assert reveal[0] == code[code.index(i) + 1], f"{path.name}: poll {poll_id} is not the code cell just before the reveal"
    # Executed: the cell shows the question in the edition's language.
    shown = "".join("".join(o.get("data", {}).get("text/html", "")) for o in cells[i].get("outputs", []))
    question = html.escape(polls.get_poll(case_id, poll_id).question.get(lang))
    assert question in shown, f"{path.name}: the poll {poll_id} has not been run (no question in its output)"


@pytest.mark.parametrize("lang,folder", [("en", "teaching_notes"), ("zh", "teaching_notes/zh")])
@pytest.mark.parametrize("case_id", READY)
def test_each_teaching_note_opens_and_shows_its_polls(case_id, lang, folder):
    path = ROOT / "exercises" / folder / f"{case_id}.md"
    text = path.read_text(encoding="utf-8")
    heading = "## 75-minute class plan" if lang == "en" else re.search(r"^## 75 ?分钟课堂安排$", text, re.M).group(0)
    plan = text.split(heading, 1)[1].split("\n## ", 1)[0]
    for p in polls.polls_for(case_id):
        assert f"`{p.id}`" in plan, f"{path.name} ({lang}): the class plan does not say when to open poll {p.id}"
    assert "make class ANSWERS=" in plan and "docs/class_mode" in plan, f"{path.name} ({lang}): how to show the polls"


# --------------------------------------------------------------------------
# No answer on screen before the vote
# --------------------------------------------------------------------------

# How the notebooks print each number poll's answer: format strings for the
# model answer that casekit computes (NUMBER_ANSWERS), e.g. "1.12%" and "1.1%".
# A negative number is looked for with "-" and with "−".
SHOWN = {
    ("dell", "ccc"): ("{:.0f}", "{:.1f}"),                # "Dell -8 days", a table's "−8.0"
    ("dell", "price_gap"): ("{:.2f}%", "{:.1f}%"),        # "funds a price gap of 2.5%"
    ("haidilao", "gift_budget"): ("¥{:.0f}",),            # "highest at ¥5 per table served"
    ("haidilao", "copycat_share"): ("{:.1f}%", "{:.0f}%"),  # "bring 8% of the full style's gain"
    ("ikea", "unplanned"): ("{:.0f}%", "{:.1f}%"),        # "i = 60.0% unplanned"
    ("ikea", "ten_years"): ("{:.1f}", "{:.2f}"),          # the compounding table's "9.31"
    ("haier", "best_outlets"): ("{:,.0f}",),              # "Best network: 3,250 outlets"
    ("hotel_guarantee", "breakeven"): ("{:.2f}%", "{:.1f}%"),  # "Break-even of the promise itself: 1.12%"
}
# Earlier cells that print one of those strings for another figure (read by hand).
OTHER_FIGURE = {
    ("dell", "price_gap"): ("summary = dell.annual_summary(supply)",),  # the rival's write-downs, 2.5% of revenue
}


def _cell_text(cell) -> str:
    parts = [cell.source]
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        for value in out.get("data", {}).values():
            if isinstance(value, (str, list)):
                parts.append("".join(value))
    return html.unescape("\n".join(parts))


def _shown_forms(key) -> list[re.Pattern]:
    compute, _ = NUMBER_ANSWERS[key]
    value = float(compute())
    forms = set()
    for fmt in SHOWN[key]:
        text = fmt.format(value)
        forms |= {text, text.replace("-", "\u2212")}
    # Not part of a longer number: "8" is not "18", "0.8" or "8.5"; "−8" is "−8 days" and "−8.0".
    return [re.compile(r"(?<![\d.,])" + re.escape(f) + r"(?!\d|[.,]\d)") for f in sorted(forms)]


def _poll_and_reveal(cells, case_id, poll_id):
    call = f'polls.poll("{case_id}", "{poll_id}", book=book)'
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    at = [i for i in code if cells[i].source.strip() == call]
    assert len(at) == 1, f"{len(at)} cells are `{call}`"
    return at[0], code[code.index(at[0]) + 1]


def _cells(case_id, lang):
    import nbformat
    from casekit import cases

    path = EDITIONS[lang] / cases.get_case(case_id).notebook
    return path, nbformat.read(path, as_version=4).cells


def test_every_number_poll_says_how_its_answer_is_shown():
    assert set(SHOWN) == set(NUMBER_ANSWERS)


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("key", sorted(SHOWN), ids=lambda k: f"{k[0]}-{k[1]}")
def test_no_cell_before_a_poll_shows_its_answer(key, lang):
    path, cells = _cells(key[0], lang)
    poll_at, reveal_at = _poll_and_reveal(cells, *key)
    forms = _shown_forms(key)
    # The forms are how the notebook prints the answer: the reveal or a later cell shows one.
    later = "\n".join(_cell_text(c) for c in cells[reveal_at:])
    assert any(f.search(later) for f in forms), f"{path.name}: {key[1]}: no cell from the reveal on prints " \
        f"the answer as {[f.pattern for f in forms]}; update SHOWN"
    for i, cell in enumerate(cells[:poll_at]):
        if any(anchor in cell.source for anchor in OTHER_FIGURE.get(key, ())):
            continue
        text = _cell_text(cell)
        for f in forms:
            m = f.search(text)
            assert m is None, (f"{path.name}: cell {i}, before poll {key[1]}, shows its answer: "
                               f"…{text[max(0, m.start() - 60):m.end() + 20]}…")


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("case_id,poll_id", sorted(REVEALS))
def test_the_reveal_below_a_poll_opens_with_its_output_hidden(case_id, poll_id, lang):
    path, cells = _cells(case_id, lang)
    _, reveal_at = _poll_and_reveal(cells, case_id, poll_id)
    meta = cells[reveal_at].metadata
    assert meta.get("jupyter", {}).get("outputs_hidden") is True, \
        f"{path.name}: the reveal of {poll_id} (cell {reveal_at}) opens with its output shown"
    assert "hide-output" in meta.get("tags", []), f"{path.name}: the reveal of {poll_id} has no hide-output tag"


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("key", sorted(SHOWN), ids=lambda k: f"{k[0]}-{k[1]}")
def test_later_cells_of_a_polls_section_that_show_its_answer_open_folded(key, lang):
    """A reader who scrolls on from a poll meets no answer in its section
    (up to the next heading): such cells carry the ``reveal`` tag and open
    folded like the reveal itself."""
    path, cells = _cells(key[0], lang)
    _, reveal_at = _poll_and_reveal(cells, *key)
    forms = _shown_forms(key)
    i = reveal_at + 1
    while i < len(cells) and not (cells[i].cell_type == "markdown" and cells[i].source.lstrip().startswith("#")):
        cell = cells[i]
        if cell.cell_type == "code" and any(f.search(_cell_text(cell)) for f in forms):
            assert cell.metadata.get("jupyter", {}).get("outputs_hidden") is True, (
                f"{path.name}: cell {i} shows the answer of {key[1]} unfolded: tag it `reveal` and run "
                f"python -m casekit.slides mark")
        i += 1


@pytest.mark.parametrize("case_id", READY)
def test_both_editions_place_and_hide_the_polls_alike(case_id):
    en, zh = _cells(case_id, "en")[1], _cells(case_id, "zh")[1]
    assert len(en) == len(zh)
    for p in polls.polls_for(case_id):
        at_en, at_zh = _poll_and_reveal(en, case_id, p.id), _poll_and_reveal(zh, case_id, p.id)
        assert at_en == at_zh, f"{p.id}: poll and reveal at cells {at_en} (en), {at_zh} (zh)"
    hidden = [[i for i, c in enumerate(cells) if c.metadata.get("jupyter", {}).get("outputs_hidden")
               or "hide-output" in c.metadata.get("tags", [])] for cells in (en, zh)]
    tagged = [i for i, c in enumerate(en) if c.cell_type == "code" and "reveal" in c.metadata.get("tags", [])]
    assert hidden[0] == hidden[1] == sorted({_poll_and_reveal(en, case_id, p.id)[1] for p in polls.polls_for(case_id)}
                                            | set(tagged))


def _tiny_notebook(*sources):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s[3:]) if s.startswith("md:") else nbformat.v4.new_code_cell(s)
                for s in sources]
    return nb


def test_hide_reveals_folds_the_code_cell_after_each_poll_and_only_it():
    from casekit.nbtools import hide_reveals

    nb = _tiny_notebook("x = 1", 'polls.poll("dell", "ccc", book=book)', "md:between", "ccc = 1", "y = 2")
    nb.cells[4].metadata.update({"tags": ["hide-output", "keep"], "jupyter": {"outputs_hidden": True}})  # stale
    assert hide_reveals(nb) == [3] and hide_reveals(nb) == [3]  # idempotent
    assert nb.cells[3].metadata == {"tags": ["hide-output"], "jupyter": {"outputs_hidden": True}}
    assert nb.cells[4].metadata == {"tags": ["keep"]} and nb.cells[0].metadata == {}
    nb.cells[4].metadata["tags"] = ["keep", "reveal"]  # a later cell that shows the answer again
    assert hide_reveals(nb) == [3, 4]
    assert nb.cells[4].metadata == {"tags": ["keep", "reveal", "hide-output"], "jupyter": {"outputs_hidden": True}}
    plain = _tiny_notebook("x = 1", "y = 2")
    plain.cells[1].metadata["tags"] = ["hide-output"]
    assert hide_reveals(plain) == [] and plain.cells[1].metadata["tags"] == ["hide-output"]  # no poll: untouched


def _unfolded_copy(tmp_path, name="05_hotel_guarantee.ipynb"):
    import nbformat

    nb = nbformat.read(EDITIONS["en"] / name, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("jupyter", None)
        cell.metadata["tags"] = [t for t in cell.metadata.get("tags", []) if t != "hide-output"]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _folded(path) -> list[int]:
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    return [i for i, c in enumerate(cells)
            if c.metadata.get("jupyter", {}).get("outputs_hidden") and "hide-output" in c.metadata.get("tags", [])]


def test_slides_mark_and_execute_fold_the_reveals(tmp_path, monkeypatch):
    from casekit import nbtools, slides

    cells = _cells("hotel_guarantee", "en")[1]
    expected = sorted({_poll_and_reveal(cells, "hotel_guarantee", p)[1] for p in ("breakeven", "design")}
                      | {i for i, c in enumerate(cells) if "reveal" in c.metadata.get("tags", [])})
    assert len(expected) > 2  # the breakeven section has later cells that show the answer
    monkeypatch.setattr(slides, "_english_twin", lambda p: EDITIONS["en"] / Path(p).name)
    path = _unfolded_copy(tmp_path)
    assert _folded(path) == []
    slides.mark(path)
    assert _folded(path) == expected
    path = _unfolded_copy(tmp_path)
    monkeypatch.setattr(nbtools, "run", lambda nb, folder, **kw: nb)  # no kernel: only what execute saves
    nbtools.execute(path)
    assert _folded(path) == expected


# JupyterLab shows a folded output as one line: the first non-empty line of the
# first output, its MIME types tried in this order (OutputArea's placeholder,
# getOutputPlaceholderText in @jupyterlab/cells 4). On a wide screen about 240
# characters of it are visible.
LAB_PREVIEW_MIMES = ("text/html", "image/svg+xml", "application/pdf", "text/markdown", "text/plain",
                     "application/vnd.jupyter.stderr", "application/vnd.jupyter.stdout", "text")
LAB_PREVIEW_CHARS = 240


def _lab_preview(cell) -> str:
    outputs = cell.get("outputs", [])
    if not outputs:
        return ""
    first = outputs[0]
    if first["output_type"] == "stream":
        data = {f"application/vnd.jupyter.{first['name']}": first["text"]}
    else:
        data = first.get("data", {})
    for mime in LAB_PREVIEW_MIMES:
        if isinstance(data.get(mime), (str, list)):
            text = "".join(data[mime])
            return next((line for line in text.split("\n") if line), "")
    return ""


def _folded_cells(cells) -> list[int]:
    return [i for i, c in enumerate(cells) if c.metadata.get("jupyter", {}).get("outputs_hidden")]


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("case_id", READY)
def test_every_folded_cell_shows_the_neutral_line_on_its_bar(case_id, lang):
    """Each folded cell (a poll's reveal or a later cell tagged ``reveal``)
    prints first ``polls.answer_below()``: its bar says "the answer to the
    poll above", never the answer, raw HTML or a figure's repr."""
    path, cells = _cells(case_id, lang)
    with i18n.language(lang):
        line = i18n.t("polls.answer_below")
    folded = _folded_cells(cells)
    assert len(folded) >= len(polls.polls_for(case_id))
    for i in folded:
        assert cells[i].source.lstrip().startswith("polls.answer_below()"), \
            f"{path.name}: folded cell {i} must call polls.answer_below() first"
        bar = _lab_preview(cells[i])[:LAB_PREVIEW_CHARS]
        assert bar == line, f"{path.name}: the bar of folded cell {i} shows {bar!r}, not {line!r}"


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("key", sorted(SHOWN), ids=lambda k: f"{k[0]}-{k[1]}")
def test_a_folded_reveal_does_not_show_the_answer_on_its_bar(key, lang):
    path, cells = _cells(key[0], lang)
    _, reveal_at = _poll_and_reveal(cells, *key)
    bar = _lab_preview(cells[reveal_at])[:LAB_PREVIEW_CHARS]
    for f in _shown_forms(key):
        assert not f.search(bar), f"{path.name}: the folded reveal of {key[1]} shows its answer on its bar: {bar!r}"


def _section_after(cells, reveal_at) -> list[int]:
    """The cells after a poll's reveal, up to the next heading."""
    out = []
    for i in range(reveal_at + 1, len(cells)):
        if cells[i].cell_type == "markdown" and cells[i].source.lstrip().startswith("#"):
            break
        out.append(i)
    return out


def _unfolded(cell) -> bool:
    return not cell.metadata.get("jupyter", {}).get("outputs_hidden")


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("key", sorted(SHOWN), ids=lambda k: f"{k[0]}-{k[1]}")
def test_no_markdown_of_a_polls_section_states_its_number(key, lang):
    """Markdown cannot fold: below a reveal, up to the next heading, it
    interprets the folded result without restating the figure."""
    path, cells = _cells(key[0], lang)
    _, reveal_at = _poll_and_reveal(cells, *key)
    forms = _shown_forms(key)
    for i in _section_after(cells, reveal_at):
        if cells[i].cell_type != "markdown":
            continue
        text = html.unescape(cells[i].source)
        for f in forms:
            m = f.search(text)
            assert m is None, (f"{path.name}: markdown cell {i} states the answer of {key[1]}: "
                               f"…{text[max(0, m.start() - 60):m.end() + 20]}…")


CHOICES = sorted((p.case, p.id) for found in polls.load_polls().values() for p in found if p.kind == "choice")


def _label_pattern(label: str, lang: str) -> re.Pattern:
    if lang == "en":  # a word, in any case: "Cost" is also "cost", not "costly"
        return re.compile(r"(?<!\w)" + re.escape(label) + r"(?!\w)", re.I)
    return re.compile(re.escape(label))


@pytest.mark.parametrize("lang", sorted(EDITIONS))
@pytest.mark.parametrize("key", CHOICES, ids=lambda k: f"{k[0]}-{k[1]}")
def test_no_unfolded_cell_of_a_polls_section_names_the_model_choice(key, lang):
    """Below a choice poll's reveal, up to the next heading, no markdown and
    no unfolded output names the model's option (its label in the registry)."""
    path, cells = _cells(key[0], lang)
    _, reveal_at = _poll_and_reveal(cells, *key)
    poll = polls.get_poll(*key)
    patterns = [_label_pattern(poll.label(a, lang), lang) for a in poll.answers]
    for i in _section_after(cells, reveal_at):
        if not _unfolded(cells[i]):
            continue
        text = cells[i].source if cells[i].cell_type == "markdown" else _cell_text(cells[i])[len(cells[i].source):]
        for pattern in patterns:
            m = pattern.search(html.unescape(text))
            assert m is None, (f"{path.name}: cell {i} names the model answer of {key[1]} unfolded: "
                               f"…{text[max(0, m.start() - 60):m.end() + 20]}…")


def test_the_choice_label_check_sees_a_stated_answer():
    assert _label_pattern("Cost", "en").search("the hardest is the cost system")
    assert not _label_pattern("Cost", "en").search("costly copies")
    assert _label_pattern("物流", "zh").search("成本与物流体系")
