"""casekit.widgets: driven in Python by setting .value and reading results."""

import json

import ipywidgets as W
import pandas as pd
import pytest

from casekit import cases, widgets
from casekit.answers import AnswerBook

# The start-here question has a worked-answer template in the registry: feed
# every placeholder a number (all of its placeholders are numeric formats).
FIGURES = {name: 0.5 for name in cases.template_fields(
    cases.get_case("start_here").question("retention_claim").worked.en)}


def square_panel(chart=None):
    return widgets.what_if(
        lambda n, half: {"square": n * n, "half": half},
        {"n": widgets.slider("n", 3, 0, 10, 1), "half": widgets.toggle("half", False)},
        chart=chart, title="Squares",
    )


def test_what_if_recomputes_on_change():
    w = square_panel()
    assert w.result == {"square": 9, "half": False}
    assert "<td style='text-align:right'>9</td>" in w.html.value
    w.controls["n"].value = 4
    assert w.result["square"] == 16
    assert ">16<" in w.html.value
    assert "n=4" in repr(w) and "square: 16" in repr(w)


def test_what_if_text_form_is_not_cut_for_nbval():
    w = widgets.what_if(lambda n: {f"a long result label number {i}": i * n for i in range(8)},
                        {"n": widgets.slider("n", 1, 0, 5, 1)})
    text = w._repr_mimebundle_()["text/plain"]
    assert len(text) > 110 and text.endswith("a long result label number 7: 7")


def test_what_if_chart_goes_to_an_image():
    def chart(result, *, ax, n, half):
        ax.bar(["n²"], [result["square"]])
        ax.set_title("t")

    w = square_panel(chart)
    first = w.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    w.controls["n"].value = 9
    assert w.image.value != first


def test_what_if_shows_model_errors_instead_of_raising():
    def compute(x):
        if x > 5:
            raise ValueError("`x` must be at most 5, got 6")
        return {"x": x}

    w = widgets.what_if(compute, {"x": widgets.slider("x", 1, 0, 10, 1)})
    w.controls["x"].value = 6
    assert "Cannot compute" in w.html.value and "at most 5" in w.html.value
    assert w.error and "error:" in repr(w)
    w.controls["x"].value = 2
    assert w.error is None and w.result == {"x": 2}


def test_to_html_handles_frames_series_and_text():
    assert "<table" in widgets.to_html(pd.DataFrame({"a": [1.5]}))
    assert "1,234.50" in widgets.to_html(pd.Series({"profit": 1234.5}))
    assert widgets.to_html("a < b") == "<div>a &lt; b</div>"


def test_slider_kinds():
    assert isinstance(widgets.slider("n", 1, 0, 5, 1), W.IntSlider)
    s = widgets.slider("share", 0.5, 0, 1, 0.05, percent=True)
    assert isinstance(s, W.FloatSlider) and s.readout_format == ".0%"
    assert widgets.choice("c", [("Full", 1.0), ("Half", 0.5)]).value == 1.0


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: widgets.slider("n", 11, 0, 10, 1), ValueError, r"`value` must lie between `min` \(0\) and `max` \(10\), got 11"),
        (lambda: widgets.slider("n", 1, 0, 10, 0), ValueError, r"`step` must be a number in \(0, inf\), got 0"),
        (lambda: widgets.slider("", 1, 0, 10, 1), ValueError, r"`description` must be non-empty"),
        (lambda: widgets.choice("c", []), ValueError, r"`options` must list at least one choice"),
        (lambda: widgets.choice("c", ["a"], value="b"), ValueError, r"`value` must be one of 'a'; got 'b'"),
        (lambda: widgets.what_if(3, {"n": widgets.slider("n", 1, 0, 2, 1)}), TypeError, r"`compute` must be a function"),
        (lambda: widgets.what_if(lambda: 1, {}), ValueError, r"`controls` must be a non-empty dict"),
        (lambda: widgets.what_if(lambda n: 1, {"n": 3}), TypeError, r"`controls\['n'\]` must be an ipywidgets control"),
        (lambda: widgets.discussion("nope", "q1", worked_answer="x"), ValueError, r"`case_id` must be one of"),
        (lambda: widgets.discussion("start_here", "q9", worked_answer="x"), ValueError, r"`question_id` must be one of retention_claim"),
        (lambda: widgets.discussion("start_here", "retention_claim", figures={}), ValueError, r"`figures` lacks"),
        (lambda: widgets.discussion("start_here", "retention_claim", figures=FIGURES, book="b"), TypeError, r"`book` must be an AnswerBook"),
        (lambda: widgets.discussion("start_here", "retention_claim", figures=FIGURES, notebook=3), TypeError,
         r"`notebook` must be text"),
        (lambda: widgets.slider("n", 1.5, 0, 10, 0.5, fmt="abc"), ValueError, r"`fmt` must be a number format"),
        (lambda: widgets.slider("n", 1, 0, 10, 1, percent="yes"), TypeError, r"`percent` must be True or False"),
        (lambda: widgets.WhatIf(lambda n: {"n": n}, {"n": widgets.slider("n", 1, 0, 2, 1)}, chart=3), TypeError,
         r"`chart` must be a function or None"),
        (lambda: widgets.WhatIf(lambda n: {"n": n}, [1]), TypeError, r"`controls` must be a non-empty dict"),
        (lambda: widgets.what_if(lambda n: {"n": n}, {"n": widgets.slider("n", 1, 0, 2, 1)}, title=1.0), TypeError,
         r"`title` must be text"),
        (lambda: widgets.DiscussionQuestion("start_here", "q1", None, "x"), TypeError, r"`case` must be a registry case"),
    ],
)
def test_bad_input(call, exc, match, answers_dir):
    with pytest.raises(exc, match=match):
        call()


def test_discussion_saves_as_the_student_types(answers_dir):
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES)
    assert "Key term" in q.children[0].value and "顾客终身价值" in q.children[0].value
    q.answer.value = "It depends on the starting retention."
    saved = json.loads((answers_dir / "00_start_here.json").read_text(encoding="utf-8"))
    assert saved["answers"]["retention_claim"]["text"] == "It depends on the starting retention."
    assert "Saved (6 words)" in q.status.value
    q.checklist[1].value = True
    q.checklist[3].value = True
    assert AnswerBook("00_start_here").checked("retention_claim") == [1, 3]


def test_discussion_reloads_after_restart(answers_dir):
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES)
    q.answer.value = "first draft"
    q.checklist[0].value = True
    again = widgets.discussion("start_here", "retention_claim", figures=FIGURES)  # new kernel, same file
    assert again.answer.value == "first draft"
    assert again.checklist[0].value is True and again.checklist[1].value is False


def test_discussion_reveal_toggle():
    book = AnswerBook("t", folder=None)
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES, book=book)
    assert q.worked.layout.display == "none" and "A rule of thumb" in q.worked.value
    q.reveal.value = True
    assert q.worked.layout.display == "block" and q.reveal.description == "Hide worked answer"
    q.reveal.value = False
    assert q.worked.layout.display == "none"


def test_discussion_tells_the_student_about_a_corrupt_file(answers_dir):
    answers_dir.mkdir()
    (answers_dir / "00_start_here.json").write_text("{broken")
    with pytest.warns(UserWarning):
        q = widgets.discussion("start_here", "retention_claim", figures=FIGURES)
    assert "could not be read" in q.status.value


def test_discussion_reports_a_failed_save(answers_dir, monkeypatch):
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES)

    def fail(*a, **k):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(q.book, "save", fail)
    q.answer.value = "text"
    assert "Could not save your answer" in q.status.value and "read-only" in q.status.value


def test_start_here_customer_value_widget():
    from casekit import toolkit

    w = toolkit.build_customer_value_widget()
    assert w.result["lifetime value"] == 266.67
    assert w.result["value gain from +5 points of retention"] == "27.5%"
    assert w.result["customers kept per customer won (same money)"] == 5.0
    w.controls["retention"].value = 0.90
    assert w.result["lifetime value"] == 450.0
    w.controls["retention"].value = 0.95  # gain step is capped below 99%
    assert "value gain from +4 points of retention" in w.result
    assert bytes(w.image.value).startswith(b"\x89PNG")


# --------------------------------------------------------------------------
# Layout and static forms (issue: surfaces)
# --------------------------------------------------------------------------

def test_what_if_puts_controls_beside_the_chart_and_never_scales_it_up():
    w = widgets.what_if(lambda n: {"square": n * n}, {"n": widgets.slider("n", 3, 0, 10, 1)},
                        chart=lambda r, ax, n: ax.plot([0, n], [0, r["square"]]))
    left, chart = w.children
    assert "casekit-whatif" in w._dom_classes and w.layout.flex_flow == "row wrap"
    assert "casekit-whatif-controls" in left._dom_classes and "casekit-whatif-chart" in chart._dom_classes
    assert chart is w.image and chart.layout.max_width == f"{round(w.chart_size[0] * 100)}px"
    html_form = w.static_html()
    assert "data:image/png;base64," in html_form and "square" in html_form and "<b>3</b>" in html_form


def test_chart_resolution_doubles_when_presenting(monkeypatch):
    import struct

    monkeypatch.setenv("CASEKIT_PRESENT", "1")
    w = widgets.what_if(lambda n: {"n": n}, {"n": widgets.slider("n", 3, 0, 10, 1)},
                        chart=lambda r, ax, n: ax.plot([0, n]))
    width = struct.unpack(">I", w.image.value[16:20])[0]  # PNG header: width in pixels
    assert width == round(w.chart_size[0] * 200)


@pytest.mark.parametrize("text, expected", [
    ("", "0 words"),
    ("Retention pays.", "2 words"),
    ("服务就是产品，顾客满意度很高。我们应该", "17 字"),
    ("CLV 顾客终身价值 matters", "2 words + 6 字"),
])
def test_answer_length_counts_chinese_by_characters(text, expected):
    assert widgets.answer_length(text) == expected


def test_discussion_static_form_holds_the_worked_answer_collapsed(answers_dir):
    q = widgets.discussion("start_here", "retention_claim", figures=FIGURES)
    page = q.static_html()
    assert "<details><summary>Show worked answer" in page and "A rule of thumb, not a law." in page
    assert q._repr_mimebundle_()["text/html"] == page


def test_what_if_values_are_written_by_their_kind_in_the_active_language():
    from casekit import i18n

    def compute(cost):
        return {"cost": cost, "share": 0.25, "customers": 1234, "ratio": -2.5, "note": "as is"}

    kinds = {"cost": "usd", "share": "share"}
    w = widgets.what_if(compute, {"cost": widgets.slider("cost", 1500, 0, 3000, 100)}, kinds=kinds)
    assert "USD 1,500" in w.html.value and "25.0%" in w.html.value and "1,234" in w.html.value
    assert "−2.50" in w.html.value and "as is" in w.html.value
    assert "cost: USD 1,500; share: 25.0%" in repr(w)
    with i18n.language("zh"):
        w.controls["cost"].value = 2000
    assert "2,000 美元" in w.html.value
    with pytest.raises(ValueError, match=r"kinds\['cost'\]"):
        widgets.what_if(compute, {"cost": widgets.slider("cost", 1, 0, 3, 1)}, kinds={"cost": "dollars"})
    with pytest.raises(TypeError, match="kinds"):
        widgets.what_if(compute, {"cost": widgets.slider("cost", 1, 0, 3, 1)}, kinds=["usd"])
