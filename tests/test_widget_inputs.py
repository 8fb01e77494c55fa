"""Issue #14: widget controls validate their input, and the discussion
widget never raises out of a save (it says what went wrong instead)."""

import pytest

from casekit import cases, widgets
from casekit.answers import AnswerBook

FIGURES = {name: 0.5 for name in cases.template_fields(
    cases.get_case("start_here").question("retention_claim").worked.en)}


@pytest.mark.parametrize("value", ["False", "yes", 1, 0, None, [True]])
def test_toggle_value_must_be_true_or_false(value):
    with pytest.raises(TypeError, match="`value` must be True or False"):
        widgets.toggle("x", value)


def test_toggle_accepts_booleans():
    assert widgets.toggle("x", False).value is False
    assert widgets.toggle("x", True).value is True


@pytest.mark.parametrize("options, exc", [("abc", TypeError), ({"a": 1}, TypeError), (5, TypeError),
                                          ([], ValueError), ([("a", 1, 2)], ValueError),
                                          (list(range(1001)), ValueError)])
def test_choice_options_must_be_a_list(options, exc):
    with pytest.raises(exc, match="`options` must"):
        widgets.choice("x", options)


def test_choice_accepts_values_and_pairs():
    assert widgets.choice("x", ["a", "b"]).value == "a"
    assert widgets.choice("x", [("A", 1), ("B", 2)], value=2).value == 2


def test_broken_character_in_answer_is_reported_not_raised(tmp_path):
    book = AnswerBook("nb", folder=tmp_path)
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES, book=book)
    q.answer.value = "good text"
    q.answer.value = "bad \ud800 text"  # a lone surrogate, e.g. from a broken paste
    assert "Could not save your answer" in q.status.value and "`text` contains" in q.status.value
    assert AnswerBook("nb", folder=tmp_path).text("retention_claim") == "good text"


def test_read_only_book_is_reported_in_the_widget(tmp_path, monkeypatch):
    import casekit.answers as answers

    (tmp_path / "nb.json").write_bytes(b"{broken")
    monkeypatch.setattr(answers.os, "replace",
                        lambda s, d: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    with pytest.warns(answers.CorruptAnswersWarning):
        book = AnswerBook("nb", folder=tmp_path)
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES, book=book)
    assert "NOT being saved" in q.status.value
    q.answer.value = "typed anyway"
    assert "Could not save your answer" in q.status.value
    assert (tmp_path / "nb.json").read_bytes() == b"{broken"
