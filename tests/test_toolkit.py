"""casekit.toolkit: the start-here what-if and the handbook's satisfaction claims."""

import numpy as np
import pandas as pd
import pytest

from casekit import datasets, metrics, toolkit


def test_customer_value_gain_label_at_high_retention():
    # issue 14 item 12: no "+-0 points" and no negative gain near the cap
    for r in (0.95, 0.985, 0.989):
        out = toolkit.customer_value(r, 0.10, 100, 250, 50)
        keys = [k for k in out if k.startswith("value gain")]
        assert len(keys) == 1 and "-" not in keys[0]
        gain = float(out[keys[0]].rstrip("%"))
        assert gain > 0
    assert "value gain from +0.5 points of retention" in toolkit.customer_value(0.985, 0.10, 100, 250, 50)
    capped = toolkit.customer_value(0.99, 0.10, 100, 250, 50)
    assert capped["value gain from more retention"].startswith("none")
    assert toolkit.customer_value(0.8, 0.1, 100, 250, 50)["value gain from +5 points of retention"] == "27.5%"


def test_customer_value_margin_growth_raises_value_and_gain():
    flat = toolkit.customer_value(0.8, 0.1, 100, 250, 50)
    grow = toolkit.customer_value(0.8, 0.1, 100, 250, 50, margin_growth=0.10)
    assert grow["lifetime value"] == pytest.approx(round(80 / 0.22, 2))
    key = "value gain from +5 points of retention"
    assert float(grow[key].rstrip("%")) > float(flat[key].rstrip("%"))
    assert isinstance(flat["customers kept per customer won (same money)"], float)


def test_widget_has_margin_growth_slider_and_handles_impossible_settings():
    w = toolkit.build_customer_value_widget()
    assert "margin_growth" in w.controls
    w.controls["margin_growth"].value = 0.05
    assert w.error is None and w.result["lifetime value"] > 266.67
    w.controls["discount"].value = 0.0
    w.controls["retention"].value = 0.95
    w.controls["margin_growth"].value = 0.10      # 0.95 × 1.1 > 1: no finite value
    assert w.error is not None and "margin_growth" in w.error


def test_retention_lift_table_matches_metrics():
    t = toolkit.retention_lift_table((0.7, 0.9), margin_growths=(0.0, 0.05))
    assert t.loc[0.9, 0.05] == pytest.approx(metrics.retention_profit_lift(0.9, 0.10, margin_growth=0.05))
    assert (t[0.05] > t[0.0]).all()
    with pytest.raises(ValueError, match="`starts`"):
        toolkit.retention_lift_table((1.2,))


def _hand_base():
    # 100 customers: 40 score 5 (36 stay), 40 score 4 (18 stay), 20 score 2 (4 stay).
    sat = [5] * 40 + [4] * 40 + [2] * 20
    kept = [True] * 36 + [False] * 4 + [True] * 18 + [False] * 22 + [True] * 4 + [False] * 16
    tenure = [0] * 50 + [3] * 50
    margin = [100.0] * 50 + [150.0] * 50
    return pd.DataFrame({"satisfaction": sat, "retained": kept, "margin": margin, "tenure_years": tenure})


def test_satisfaction_claims_hand_worked():
    t = toolkit.satisfaction_claims(_hand_base(), draws=50, seed=1)
    ratio = t.loc["very_satisfied_six_times"]
    assert ratio["simulated"] == pytest.approx(0.9 / 0.45)          # 90% against 45%
    assert ratio["ceiling"] == pytest.approx(1 / 0.45)
    assert t.loc["repeat_customers_more_profit", "simulated"] == pytest.approx(0.5)   # 150 against 100
    # satisfied 54/80 stay, others 4/20; all 58/100. Five points move: r = .58 + .05 × (.675 − .2)
    r_new = 0.58 + 0.05 * (54 / 80 - 4 / 20)
    expected = metrics.margin_multiple(r_new, 0.10) / metrics.margin_multiple(0.58, 0.10) - 1
    assert t.loc["satisfaction_doubles_profit", "simulated"] == pytest.approx(expected)
    assert (t["low"] <= t["simulated"] + 1e-12).all() and (t["simulated"] <= t["high"] + 1e-12).all()


def test_satisfaction_claims_on_the_shipped_data_are_seeded_and_far_from_the_claims():
    base = datasets.load("toolkit_customers")
    a = toolkit.satisfaction_claims(base, draws=100)
    b = toolkit.satisfaction_claims(base, draws=100)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["satisfaction_doubles_profit", "high"] < 0.5 * toolkit.CLAIMED["satisfaction_doubles_profit"]
    assert a.loc["very_satisfied_six_times", "ceiling"] < toolkit.CLAIMED["very_satisfied_six_times"]
    lo, hi = a.loc["repeat_customers_more_profit", ["low", "high"]]
    assert lo < 0 < hi                                   # margins do not depend on tenure in the simulator


def test_satisfaction_claims_rejects_bad_input():
    with pytest.raises(ValueError, match="`base`"):
        toolkit.satisfaction_claims(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="`draws`"):
        toolkit.satisfaction_claims(_hand_base(), draws=5)
    with pytest.raises(ValueError, match="`points`"):
        toolkit.satisfaction_claims(_hand_base(), points=0)
    with pytest.raises(ValueError, match="at least 20"):
        toolkit.satisfaction_claims(_hand_base().head(10))
    assert np.isfinite(toolkit.satisfaction_claims(_hand_base(), draws=50)["simulated"]).all()


def test_claim_texts_cover_every_claim():
    assert set(toolkit.CLAIMED_TEXT) == set(toolkit.CLAIMS) == set(toolkit.CLAIMED)
