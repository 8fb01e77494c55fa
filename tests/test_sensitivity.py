"""casekit.sensitivity: the tornado table on functions with known sensitivities."""

import matplotlib

matplotlib.use("Agg")

import re

import pytest

from casekit import sensitivity as S


def linear(a, b, c):
    return 3 * a - 2 * b + 0 * c


RANGES = {"a": (1.0, 0.0, 2.0), "b": (1.0, 0.5, 4.0), "c": (5.0, 0.0, 10.0)}


def test_tornado_known_swings_and_order():
    t = S.tornado(linear, RANGES, labels={"a": "price"})
    # Exact swings of a linear function: |slope| × range width.
    assert t.loc["a", "swing"] == pytest.approx(6.0)
    assert t.loc["b", "swing"] == pytest.approx(7.0)
    assert t.loc["c", "swing"] == 0.0
    assert list(t.index) == ["b", "a", "c"]  # largest swing first
    assert t.attrs["base_figure"] == pytest.approx(1.0)
    assert t.loc["b", "figure_high"] == pytest.approx(3 - 8)
    assert t.loc["a", "label"] == "price" and t.loc["b", "label"] == "b"


def test_tornado_nonlinear_uses_both_ends():
    t = S.tornado(lambda x: (x - 1) ** 2, {"x": (1.0, 0.0, 3.0)})
    assert t.loc["x", "figure_low"] == 1.0 and t.loc["x", "figure_high"] == 4.0
    assert t.loc["x", "swing"] == 3.0


def test_crosses_names_only_assumptions_that_flip_the_sign():
    t = S.tornado(linear, RANGES)
    assert S.crosses(t, 0) == ["b", "a"]     # b = 4 gives 3 - 8 < 0; a = 0 gives -2
    assert S.crosses(t, -3) == ["b"]         # only b reaches below -3
    assert S.crosses(t, 100) == []
    assert set(S.crosses(t, 2.0)) == {"b", "a"}


def test_assumption_objects_and_checks():
    a = S.Assumption(0.02, 0.0, 0.04, "share", "assumed")
    t = S.tornado(lambda u: 100 * u, {"u": a})
    assert t.loc["u", "figure_high"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match=r"`low` <= `value` <= `high`"):
        S.Assumption(5, 0, 1)
    with pytest.raises(TypeError, match=r"`value` must be a number"):
        S.Assumption("x", 0, 1)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: S.tornado("f", RANGES), TypeError, r"`func` must be a function"),
    (lambda: S.tornado(linear, {}), ValueError, r"`assumptions` must be a non-empty"),
    (lambda: S.tornado(linear, {"a": 3}), TypeError, r"`assumptions\['a'\]` must be an Assumption"),
    (lambda: S.tornado(linear, {"a": (1, 2, 3)}), ValueError, r"`assumptions\['a'\]`"),
    (lambda: S.tornado(linear, RANGES, labels={"zz": "?"}), ValueError, r"`labels` names 'zz'"),
    (lambda: S.tornado(lambda a, b, c: "x", RANGES), TypeError, r"`func` must return a number"),
    (lambda: S.crosses("t", 0), TypeError, r"`table` must be the DataFrame"),
    (lambda: S.tornado(linear, RANGES, labels=["a"]), TypeError, r"`labels` must be a dict"),
    (lambda: S.plot_tornado(S.tornado(linear, RANGES), value_format=None), TypeError, r"`value_format` must be text"),
    (lambda: S.plot_tornado(S.tornado(linear, RANGES), value_format="{:d}"), ValueError,
     r"`value_format` must be a format for one number"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_plot_tornado_draws_one_bar_pair_per_assumption():
    t = S.tornado(linear, RANGES, labels={"a": "price", "b": "cost", "c": "noise"})
    ax = S.plot_tornado(t, xlabel="profit (USD)")
    assert [tl.get_text() for tl in ax.get_yticklabels()] == ["noise", "price", "cost"]  # largest at top
    assert len(ax.patches) == 2 * len(t)
    assert ax.get_xlabel() == "profit (USD)" and ax.get_title()
    lo, hi = ax.get_xlim()
    assert lo < -5 and hi > 3  # every bar end is inside the axes


def test_plot_tornado_axis_includes_zero():
    t = S.tornado(lambda a: 100 + a, {"a": (10.0, 5.0, 20.0)})
    ax = S.plot_tornado(t)
    lo, hi = ax.get_xlim()
    assert lo == 0.0 and hi > 120  # all figures positive: the axis starts at zero


def test_argument_errors_are_in_english_and_chinese():
    """Exercise sets call tornado and crosses: a tuple in the wrong order
    (haidilao q5) names the argument, the rule and the value in both languages."""
    with pytest.raises(ValueError) as err:
        S.tornado(linear, {"a": (22, 25, 28)})
    en, zh = str(err.value).split(" · ")
    assert "`assumptions['a']`" in en and "low <= base <= high" in en and "(22, 25, 28)" in en
    assert "`assumptions['a']`" in zh and "下限 ≤ 基准 ≤ 上限" in zh and "(22, 25, 28)" in zh
    for call in (lambda: S.Assumption(5, 0, 1), lambda: S.crosses("t", 0), lambda: S.tornado(linear, {"a": 3})):
        with pytest.raises((TypeError, ValueError)) as err:
            call()
        assert " · " in str(err.value) and re.search(r"[\u4e00-\u9fff]", str(err.value).split(" · ")[1])
