"""casekit.metrics: formulas checked on hand-worked numbers, bad input rejected."""

import math

import numpy as np
import pandas as pd
import pytest

from casekit import metrics
from casekit import metrics as m


# -- retention and CLV -------------------------------------------------------

def test_retention_and_churn():
    assert m.retention_rate(1000, 850) == pytest.approx(0.85)
    assert m.churn_rate(0.85) == pytest.approx(0.15)
    assert m.expected_lifetime(0.8) == pytest.approx(5.0)


@pytest.mark.parametrize("r, multiple", [(0.70, 1.75), (0.80, 2.67), (0.85, 3.40), (0.90, 4.50), (0.95, 6.33)])
def test_margin_multiple_matches_gupta_lehmann_table(r, multiple):
    # Gupta & Lehmann (2003) margin multiples at a 10% discount rate.
    assert round(m.margin_multiple(r, 0.10), 2) == multiple


def test_clv_infinite_horizon_formula():
    # m r / (1 + d - r) - AC = 100 * .8 / .3 - 50
    assert m.clv(100, 0.8, 0.10, acquisition_cost=50) == pytest.approx(100 * 0.8 / 0.3 - 50)


def test_clv_finite_horizon_is_the_discounted_sum():
    r, d, margin = 0.8, 0.10, 100
    by_hand = sum(margin * (r / (1 + d)) ** t for t in range(1, 4))
    assert m.clv(margin, r, d, horizon=3) == pytest.approx(by_hand)


def test_clv_finite_horizon_tends_to_infinite():
    assert m.clv(100, 0.9, 0.1, horizon=500) == pytest.approx(m.clv(100, 0.9, 0.1), rel=1e-9)
    assert m.clv(100, 0.9, 0.1, horizon=5) < m.clv(100, 0.9, 0.1)


def test_clv_zero_discount_finite():
    # with d = 0 the finite sum is m * sum r^t
    assert m.clv(10, 0.5, 0.0, horizon=2) == pytest.approx(10 * (0.5 + 0.25))


def test_retention_profit_lift_reproduces_hand_value():
    # raising r from .80 to .85 adds 27.5% at d = 10%: (.85/.25) / (.8/.3) − 1
    assert m.retention_profit_lift(0.80, 0.10) == pytest.approx(0.275, abs=5e-4)


def test_clv_with_margin_growth_hand_worked():
    # year t pays 100 · 1.1^(t−1): CLV = 100 · .8 / (1.1 − .8 · 1.1) = 80 / .22
    assert m.clv(100, 0.8, 0.10, margin_growth=0.10) == pytest.approx(80 / 0.22)
    by_hand = sum(100 * 1.1 ** (t - 1) * (0.8 / 1.1) ** t for t in range(1, 4))
    assert m.clv(100, 0.8, 0.10, horizon=3, margin_growth=0.10) == pytest.approx(by_hand)
    assert m.clv(100, 0.8, 0.10, horizon=2000, margin_growth=0.05) == pytest.approx(
        m.clv(100, 0.8, 0.10, margin_growth=0.05), rel=1e-9)
    # growth equal to the discount rate at full retention would be endless: refused
    with pytest.raises(ValueError, match="`margin_growth`"):
        m.clv(100, 0.95, 0.10, margin_growth=0.2)


def test_five_points_give_at_most_about_58_percent_with_constant_margins():
    # Issue 12 item 13: the supremum is at 95% → 100%: (1/0.1) / (0.95/0.15) − 1
    top = m.max_retention_lift(0.10)
    assert top == pytest.approx(1 / 0.1 / (0.95 / 0.15) - 1)
    assert 0.57 < top < 0.58
    for r in (0.5, 0.7, 0.8, 0.9, 0.94):
        assert m.retention_profit_lift(r, 0.10) < top
    # so Reichheld & Sasser's +85% needs margins that grow with tenure
    g = m.margin_growth_for_lift(0.85, 0.80, 0.10)
    assert 0.15 < g < 0.25
    assert m.retention_profit_lift(0.80, 0.10, margin_growth=g) == pytest.approx(0.85, abs=1e-6)
    assert m.max_retention_lift(0.10, margin_growth=0.05) > top
    assert m.max_retention_lift(0.10, margin_growth=0.10) == float("inf")


def test_margin_growth_for_lift_edges():
    assert m.margin_growth_for_lift(0.20, 0.80, 0.10) == 0.0        # constant margins already give more
    with pytest.raises(ValueError, match="`target`"):
        m.margin_growth_for_lift(50.0, 0.50, 0.10)
    with pytest.raises(ValueError, match="`retention \\+ delta`"):
        m.margin_growth_for_lift(0.85, 0.97, 0.10)


def test_clv_table_columns_and_order():
    t = m.clv_table([0.7, 0.9])
    assert list(t.columns) == ["retention", "expected_years", "margin_multiple", "clv"]
    assert t["clv"].is_monotonic_increasing


def test_acquisition_vs_retention():
    t = m.acquisition_vs_retention(1000, acquisition_cost=100, retention_cost=20, customer_value=50)
    assert t.loc["win new", "customers"] == pytest.approx(10)
    assert t.loc["keep existing", "customers"] == pytest.approx(50)
    assert t.loc["keep existing", "return_per_unit"] == pytest.approx(2.5)


# -- concentration -------------------------------------------------------------

def test_pareto_table_sorted_with_cumulative_shares():
    t = m.pareto_table(pd.Series([10, 50, 40], index=["a", "b", "c"]))
    assert list(t["customer"]) == ["b", "c", "a"]
    assert t["value_share"].tolist() == pytest.approx([0.5, 0.9, 1.0])
    assert t["customer_share"].iloc[-1] == pytest.approx(1.0)


def test_pareto_table_whale_curve_with_losses():
    t = m.pareto_table([100, 50, -30])
    assert t["value_share"].max() > 1.0  # profit peaks above 100% before loss-makers
    assert t["value_share"].iloc[-1] == pytest.approx(1.0)


def test_concentration_hand_worked_and_interpolated():
    assert m.concentration([50, 20, 10, 10, 10], top=0.2) == pytest.approx(0.5)
    # halfway through the second customer: (50 + 10) / 100
    assert m.concentration([50, 20, 10, 10, 10], top=0.3) == pytest.approx(0.6)
    assert m.concentration([1, 1, 1, 1], top=0.5) == pytest.approx(0.5)


# -- RFM -----------------------------------------------------------------------

@pytest.fixture
def purchases():
    return pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 3, 3, 4, 5],
        "date": pd.to_datetime(["2025-12-30", "2025-06-01", "2025-03-01", "2025-01-05",
                                "2025-11-01", "2025-10-01", "2025-07-01", "2025-12-01"]),
        "amount": [100, 100, 100, 20, 60, 60, 500, 10],
    })


def test_rfm_scores_hand_worked(purchases):
    s = m.rfm_scores(purchases, bins=5)
    assert s.loc[1, "recency_days"] == 1 and s.loc[1, "frequency"] == 3
    assert s.loc[1, "R"] == 5  # most recent
    assert s.loc[2, "R"] == 1  # least recent
    assert s.loc[1, "F"] == 5 and s.loc[4, "M"] == 5 and s.loc[5, "M"] == 1
    assert s.loc[1, "rfm_cell"] == f"{s.loc[1, 'R']}{s.loc[1, 'F']}{s.loc[1, 'M']}"
    assert (s["rfm_total"] == s["R"] + s["F"] + s["M"]).all()


def test_rfm_does_not_modify_input(purchases):
    before = purchases.copy()
    m.rfm_scores(purchases)
    pd.testing.assert_frame_equal(purchases, before)


def test_rfm_tiers_cut_points():
    scores = pd.DataFrame({"rfm_total": [3, 6, 7, 9, 10, 11, 12, 13, 14, 15]})
    tiers = m.rfm_tiers(scores)
    assert tiers.tolist() == ["P", "P", "IP", "IP", "VIP", "VIP", "2VIP", "2VIP", "3VIP", "3VIP"]
    assert tiers.cat.ordered


# -- word of mouth and recovery ---------------------------------------------------

def test_word_of_mouth_one_generation():
    w = m.word_of_mouth(100, 10, tell_satisfied=4, tell_dissatisfied=10)
    assert w["positive"] == 400 and w["negative"] == 100 and w["net"] == 300
    assert w["negative_per_positive"] == pytest.approx(0.25)


def test_word_of_mouth_generations_geometric():
    w = m.word_of_mouth(1, 0, tell_satisfied=2, pass_on=0.5, generations=3)
    # 1*2*(1 + 1 + 1) since p*k = 1
    assert w["positive"] == pytest.approx(6)


def test_tarp_table_and_lookup():
    assert m.loyalty_after_complaint("resolved_quickly") == 0.95
    assert m.loyalty_after_complaint("no_complaint", loss="large") == 0.09
    assert (m.TARP_LOYALTY["small_loss"].diff().dropna() > 0).all()  # better outcome, more loyal


def test_recovery_loyalty_total():
    t = m.recovery_loyalty({"resolved": 10, "no_complaint": 10})
    assert t.loc["total", "kept"] == pytest.approx(7 + 3.7)
    assert t.loc["total", "loyalty"] == pytest.approx(10.7 / 20)


def test_loyalty_funnel():
    f = m.loyalty_funnel(1000, satisfied=0.8, loyal_if_satisfied=0.5, refer_if_loyal=0.25)
    assert f["count"].tolist() == pytest.approx([1000, 800, 400, 100])


# -- bad input: every public function names the argument, the rule and the value ----

@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: m.retention_rate(0, 0), ValueError, r"`customers_at_start` must be a whole number in \(0, inf\), got 0"),
        (lambda: m.retention_rate(10, 11), ValueError, r"`still_customers` must be at most"),
        (lambda: m.retention_rate(10.5, 1), ValueError, r"`customers_at_start` must be a whole number"),
        (lambda: m.churn_rate(1.2), ValueError, r"`retention` must be a number in \[0, 1\], got 1.2"),
        (lambda: m.expected_lifetime(1.0), ValueError, r"`retention` must be a number in \[0, 1\), got 1.0"),
        (lambda: m.clv("100", 0.8, 0.1), TypeError, r"`margin` must be a number.*'100' \(str\)"),
        (lambda: m.clv(100, 1.0, 0.1), ValueError, r"`retention` must be a number in \[0, 1\), got 1.0"),
        (lambda: m.clv(100, 0.8, -0.1), ValueError, r"`discount` must be a number in \[0, 1\], got -0.1"),
        (lambda: m.clv(100, 0.8, 0.1, horizon=0), ValueError, r"`horizon` must be a whole number in \[1, inf\), got 0"),
        (lambda: m.clv(100, 0.8, 0.1, horizon=2.5), ValueError, r"`horizon` must be a whole number"),
        (lambda: m.clv(100, 0.8, 0.1, acquisition_cost=-1), ValueError, r"`acquisition_cost` must be a number in \[0, inf\)"),
        (lambda: m.clv(100, True, 0.1), TypeError, r"`retention` must be a number"),
        (lambda: m.clv(float("nan"), 0.8, 0.1), ValueError, r"`margin` must be a number"),
        (lambda: m.margin_multiple(0.8, 2), ValueError, r"`discount` must be a number in \[0, 1\], got 2"),
        (lambda: m.retention_profit_lift(0.97, 0.1), ValueError, r"`retention \+ delta` must stay in \[0, 1\)"),
        (lambda: m.retention_profit_lift(0.0, 0.1), ValueError, r"`retention` must be > 0"),
        (lambda: m.acquisition_vs_retention(0, acquisition_cost=1, retention_cost=1, customer_value=1), ValueError, r"`budget` must be"),
        (lambda: m.acquisition_vs_retention(1, acquisition_cost=0, retention_cost=1, customer_value=1), ValueError, r"`acquisition_cost` must be"),
        (lambda: m.pareto_table([]), ValueError, r"`values` must be a non-empty 1-D list"),
        (lambda: m.pareto_table([1, float("nan")]), ValueError, r"`values` must contain only finite numbers"),
        (lambda: m.pareto_table([-1, -2]), ValueError, r"`values` must add up to more than 0"),
        (lambda: m.pareto_table(pd.DataFrame({"a": [1]})), TypeError, r"but a DataFrame was passed"),
        (lambda: m.pareto_table([1, 2], ids=[1]), ValueError, r"`ids` must have one id per value"),
        (lambda: m.concentration([1, 2], top=0), ValueError, r"`top` must be a number in \(0, 1\], got 0"),
        (lambda: m.concentration(["a"]), TypeError, r"`values` must be a list or Series of numbers"),
        (lambda: m.rfm_scores([1, 2]), TypeError, r"`transactions` must be a pandas DataFrame, got list"),
        (lambda: m.rfm_scores(pd.DataFrame({"customer_id": [1]})), ValueError, r"`transactions` must have the column\(s\) date, amount"),
        (lambda: m.rfm_scores(pd.DataFrame({"customer_id": [1], "date": ["x"], "amount": [1]})), ValueError, r"column `date` of `transactions` must hold dates"),
        (lambda: m.rfm_scores(pd.DataFrame({"customer_id": [1], "date": ["2025-01-01"], "amount": [1]}), bins=1), ValueError, r"`bins` must be a whole number in \[2, 10\], got 1"),
        (lambda: m.rfm_scores(pd.DataFrame(columns=["customer_id", "date", "amount"])), ValueError, r"must have at least one row"),
        (lambda: m.rfm_tiers(pd.DataFrame({"x": [1]})), ValueError, r"`scores` must have the column\(s\) rfm_total"),
        (lambda: m.rfm_tiers(pd.DataFrame({"rfm_total": [3]}), labels=("a",)), ValueError, r"`labels` must have 5 names"),
        (lambda: m.word_of_mouth(-1, 0), ValueError, r"`satisfied` must be a number in \[0, inf\), got -1"),
        (lambda: m.word_of_mouth(1, 1, pass_on=1), ValueError, r"`pass_on` must be a number in \[0, 1\), got 1"),
        (lambda: m.word_of_mouth(1, 1, generations=0), ValueError, r"`generations` must be a whole number in \[1, 100\], got 0"),
        (lambda: m.loyalty_after_complaint("angry"), ValueError, r"`outcome` must be one of 'no_complaint'.*got 'angry'"),
        (lambda: m.loyalty_after_complaint("resolved", loss="medium"), ValueError, r"`loss` must be one of 'small', 'large'; got 'medium'"),
        (lambda: m.recovery_loyalty([1, 2]), TypeError, r"`counts` must be a dict"),
        (lambda: m.recovery_loyalty({"happy": 1}), ValueError, r"`counts` must be one of"),
        (lambda: m.recovery_loyalty({"resolved": -1}), ValueError, r"`counts` must be a number in \[0, inf\), got -1 \(each count"),
        (lambda: m.loyalty_funnel(100, satisfied=1.5, loyal_if_satisfied=0.5, refer_if_loyal=0.5), ValueError, r"`satisfied` must be a number in \[0, 1\], got 1.5"),
    ],
)
def test_bad_input_is_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_every_row_a_reader_sees_has_a_label_in_both_languages():
    from casekit import i18n

    spend = metrics.acquisition_vs_retention(100, acquisition_cost=5, retention_cost=1, customer_value=10)
    rows = {
        "metrics.strategy": list(spend.index),
        "metrics.outcome": list(metrics.recovery_loyalty({"resolved": 1}).index),
        "metrics.word_of_mouth": list(metrics.word_of_mouth(1, 1).index),
        "metrics.stage": list(metrics.loyalty_funnel(10, satisfied=0.5, loyal_if_satisfied=0.5,
                                                     refer_if_loyal=0.5).index),
        "metrics.columns": list(metrics.clv_table([0.5]).columns) + list(spend.columns)
        + ["customers", "loyalty", "kept"],
    }
    for prefix, names in rows.items():
        for name in names:
            key = f"{prefix}.{name}"
            assert i18n.has(key), key
            with i18n.language("en"):
                en = i18n.t(key)
            with i18n.language("zh"):
                zh = i18n.t(key)
            assert en and zh and en != zh, key
