"""Tests of the IKEA case model (casekit.ikea)."""

import functools
import re

import numpy as np
import pandas as pd
import pytest

from casekit import datasets, ikea


@pytest.fixture(scope="module")
def visits():
    return ikea.compare_stores(4000, seed=11)


@pytest.fixture(scope="module")
def households():
    return ikea.make_ikea_catalogue(20000, seed=12)


# --------------------------------------------------------------------------
# Schema, dtypes, ranges
# --------------------------------------------------------------------------

def test_visit_schema_columns_and_dtypes():
    df = ikea.make_ikea_visits(300, seed=1)
    assert list(df.columns) == list(ikea.VISIT_SCHEMA)
    assert df["store"].dtype.ordered and list(df["store"].cat.categories) == list(ikea.STORES)
    assert df["segment"].dtype.ordered and list(df["segment"].cat.categories) == list(ikea.SEGMENTS)
    for col, (kind, _) in ikea.VISIT_SCHEMA.items():
        if kind == "int":
            assert df[col].dtype == np.int64, col
        elif kind == "float":
            assert df[col].dtype == np.float64, col
        elif kind == "bool":
            assert df[col].dtype == bool, col


def test_household_schema_columns_and_dtypes(households):
    assert list(households.columns) == list(ikea.HOUSEHOLD_SCHEMA)
    assert households["segment"].dtype.ordered
    assert households["got_catalogue"].dtype == bool
    assert households["visits"].dtype == np.int64


def test_visit_ranges_and_identities(visits):
    v = visits
    assert v["dwell_min"].gt(0).all()
    assert (v["labels_read"] <= v["items_looked"]).all()
    assert v["satisfaction"].between(1, 5).all()
    assert np.allclose(v["basket"], v["planned_spend"] + v["impulse_spend"], atol=0.011)
    assert (v.loc[~v["bought_planned"], "planned_spend"] == 0).all()
    assert (v.loc[~v["bought_impulse"], "impulse_spend"] == 0).all()
    assert (v.loc[~v["ate"], "food_spend"] == 0).all()
    assert (v.loc[~v["planned"], "bought_planned"] == False).all()  # noqa: E712
    food_only = v["segment"] == "food_only"
    assert (v.loc[food_only, "basket"] == 0).all() and v.loc[food_only, "ate"].all()
    buyers = v["bought_planned"] | v["bought_impulse"]
    assert not (v["regret"] & ~buyers).any()
    assert not v.loc[v["store"] == "transparent", "pushed"].any()


def test_household_ranges(households):
    h = households
    assert (h["visits_triggered"] <= h["visits"]).all()
    assert (h.loc[~h["got_catalogue"], "visits_triggered"] == 0).all()
    assert (h["spend_triggered"] <= h["spend"] + 1e-9).all()
    assert h["distance_km"].ge(0).all()


# --------------------------------------------------------------------------
# Determinism and common random numbers
# --------------------------------------------------------------------------

def test_same_seed_same_frame():
    pd.testing.assert_frame_equal(ikea.compare_stores(500, seed=5), ikea.compare_stores(500, seed=5))
    pd.testing.assert_frame_equal(ikea.make_ikea_catalogue(800, seed=5), ikea.make_ikea_catalogue(800, seed=5))


def test_different_seeds_differ():
    a, b = ikea.make_ikea_visits(500, seed=1), ikea.make_ikea_visits(500, seed=2)
    assert not a["basket"].equals(b["basket"])
    assert not ikea.make_ikea_catalogue(800, seed=1)["visits"].equals(ikea.make_ikea_catalogue(800, seed=2)["visits"])


def test_common_random_numbers_pair_visitors(visits):
    a = visits[visits["store"] == "transparent"].reset_index(drop=True)
    b = visits[visits["store"] == "sales_staff"].reset_index(drop=True)
    assert (a["visit_id"] == b["visit_id"]).all()
    assert (a["segment"] == b["segment"]).all()
    assert (a["planned"] == b["planned"]).all()
    # Visitors never pushed keep the same dwell time in both stores.
    same = ~b["pushed"]
    assert np.allclose(a.loc[same, "dwell_min"], b.loc[same, "dwell_min"])
    # make_ikea_visits with one seed reproduces compare_stores' rows.
    solo = ikea.make_ikea_visits(4000, store="sales_staff", seed=11)
    pd.testing.assert_frame_equal(solo, b)


def test_global_numpy_state_untouched():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    ikea.compare_stores(200, seed=3)
    assert np.random.random() == before


# --------------------------------------------------------------------------
# Calibration (stated tolerances)
# --------------------------------------------------------------------------

def test_impulse_share_calibrated(visits):
    s = ikea.store_summary(visits)
    # Transparent store: impulse share equals the set 60% (Penn) within 0.5 points.
    assert s.loc["transparent", "impulse share of goods"] == pytest.approx(ikea.IMPULSE_SHARE, abs=0.005)
    # The sales-staff store gets less unplanned spending (shorter, pushed visits).
    assert s.loc["sales_staff", "impulse share of goods"] < s.loc["transparent", "impulse share of goods"] - 0.05


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7])
def test_impulse_share_follows_argument(share):
    v = ikea.make_ikea_visits(3000, seed=8, impulse_share=share)
    assert v["impulse_spend"].sum() / v["basket"].sum() == pytest.approx(share, abs=0.005)


def test_food_only_share_of_diners(visits):
    t = visits[(visits["store"] == "transparent") & visits["ate"]]
    share = (t["segment"] == "food_only").mean()
    assert share == pytest.approx(ikea.FOOD_ONLY_SHARE_OF_DINERS, abs=0.03)


def test_visit_length_two_to_three_hours(visits):
    t = visits[(visits["store"] == "transparent") & (visits["segment"] != "food_only")]
    assert 120 <= t["dwell_min"].mean() <= 180


def test_store_comparison_direction(visits):
    s = ikea.store_summary(visits)
    tr, ss = s.loc["transparent"], s.loc["sales_staff"]
    assert ss["cost per visitor (¥)"] > 3 * tr["cost per visitor (¥)"]
    assert tr["revenue per visitor (¥)"] > ss["revenue per visitor (¥)"]
    assert tr["satisfaction (1-5)"] > ss["satisfaction (1-5)"]
    assert ss["regret (share of buyers)"] > tr["regret (share of buyers)"]
    assert tr["labels read"] > 2 * ss["labels read"]


def test_pushing_alone_raises_planned_conversion_for_same_labels():
    d = ikea.draw_visits(4000, seed=3)
    quiet = ikea.visit_outcomes(d, label_quality=0.3, push_share=0.0)
    pushy = ikea.visit_outcomes(d, label_quality=0.3, push_share=1.0)
    assert pushy["bought_planned"].mean() > quiet["bought_planned"].mean()
    assert pushy["dwell_min"].mean() < quiet["dwell_min"].mean()


def test_catalogue_pays_for_home_makers_not_day_trippers(households):
    t = ikea.catalogue_economics(households)
    assert t.loc["first_home", "ROI"] > 0 and t.loc["family", "ROI"] > 0
    h_all = ikea.make_ikea_catalogue(20000, reach=1.0, seed=12)
    t_all = ikea.catalogue_economics(h_all)
    assert t_all.loc["day_out", "ROI"] < 0
    assert t_all.loc["food_only", "ROI"] == pytest.approx(-1.0)


def test_targeted_beats_untargeted_and_ads(households):
    t = ikea.catalogue_vs_ads(households)
    assert t.loc["targeted catalogue", "ROI"] > t.loc["untargeted catalogue", "ROI"]
    assert t.loc["targeted catalogue", "ROI"] > t.loc["mass advertising", "ROI"]


def test_ektorp_calibration():
    r = ikea.flatpack_price(ikea.EKTORP_VOLUME_CUT)
    assert r["price cut"] == pytest.approx(ikea.EKTORP_PRICE_CUT, abs=1e-12)
    assert ikea.LOGISTICS_SHARE == pytest.approx(0.28)


# --------------------------------------------------------------------------
# Formulas on hand-worked cases
# --------------------------------------------------------------------------

def test_revenue_per_visitor_by_hand():
    # 0.5 · 400 / (1 − 0.6) + 0.3 · 20 = 500 + 6
    assert ikea.revenue_per_visitor(0.5, 400, 0.6, 0.3, 20) == pytest.approx(506.0)
    assert ikea.revenue_per_visitor(1.0, 100, 0.0, 0.0, 50) == pytest.approx(100.0)


def test_flatpack_formulas_by_hand():
    r = ikea.flatpack_price(0.5, logistics_share=0.2, elasticity=2.0, reference_margin=0.3)
    dp = 0.1
    q = (1 - dp) ** -2
    assert r["price cut"] == pytest.approx(dp)
    assert r["quantity ratio"] == pytest.approx(q)
    assert r["revenue ratio"] == pytest.approx(0.9 * q)
    assert r["margin rate"] == pytest.approx((0.3 + 0.1 - 0.1) / 0.9)
    assert r["gross margin ratio"] == pytest.approx(q)  # full pass-through keeps money margin per unit
    half = ikea.flatpack_price(0.5, logistics_share=0.2, elasticity=2.0, pass_through=0.5, reference_margin=0.3)
    assert half["margin rate"] == pytest.approx((0.3 + 0.1 - 0.05) / 0.95)


def test_ikea_effect_by_hand():
    assert ikea.ikea_effect_wtp(100.0) == pytest.approx(163.0)
    assert ikea.ikea_effect_wtp(100.0, build_success=0.0) == pytest.approx(100.0)
    r = ikea.flatpack_price(0.0, ikea_effect=0.5, build_success=1.0, elasticity=1.0)
    assert r["quantity ratio"] == pytest.approx(1.5)


def test_gross_margin_by_hand():
    assert ikea.gross_margin_rate(0.14) == pytest.approx(0.35 / 0.86)
    assert ikea.gross_margin_rate(0.14, volume_cut=0.0) == pytest.approx(0.21 / 0.86)
    assert ikea.gross_margin_rate(0.0, volume_cut=0.0) == pytest.approx(0.35)


def test_growth_needed_by_hand():
    t = ikea.growth_needed(0.25, same_store_growth=0.05, years=10)
    assert t.loc[10, "sales (index)"] == pytest.approx(1.25 ** 10)
    assert t.loc[1, "stores (index)"] == pytest.approx(1.25 / 1.05)
    assert t.loc[10, "sales (index)"] == pytest.approx(t.loc[10, "sales per store (index)"] * t.loc[10, "stores (index)"])


def test_catalogue_economics_by_hand():
    h = pd.DataFrame({
        "segment": pd.Categorical(["family", "family", "day_out"], categories=list(ikea.SEGMENTS), ordered=True),
        "got_catalogue": [True, False, True],
        "visits_triggered": [1, 0, 0],
        "spend_triggered": [500.0, 0.0, 0.0],
    })
    t = ikea.catalogue_economics(h, copy_cost=10.0, gross_margin=0.4)
    assert t.loc["family", "contribution (¥)"] == pytest.approx(0.4 * 500 - 10)
    assert t.loc["family", "ROI"] == pytest.approx(19.0)
    assert t.loc["day_out", "ROI"] == pytest.approx(-1.0)
    assert t.loc["all", "cost (¥)"] == pytest.approx(20.0)


def test_paired_differences_by_hand():
    base = dict(segment=pd.Categorical(["family"] * 2, categories=list(ikea.SEGMENTS), ordered=True))
    df = pd.DataFrame({
        "visit_id": [1, 1], "store": ["transparent", "sales_staff"], **base,
        "basket": [100.0, 70.0], "food_spend": [0.0, 0.0], "staff_min": [0.0, 12.0], "satisfaction": [5, 4],
    })
    t = ikea.paired_differences(df)
    assert t.loc["all visitors", "basket (¥)"] == pytest.approx(-30.0)
    assert t.loc["all visitors", "staff minutes"] == pytest.approx(12.0)


def test_copycat_price_without_flatpack_loses():
    t = ikea.copycat_table()
    assert t.loc["copy the low price without flat-pack", "change vs rival (¥)"] < 0
    assert t.loc["copy the low price with flat-pack logistics", "change vs rival (¥)"] > 0
    assert t.loc["copy labels and no-push rule", "change vs rival (¥)"] > 0
    # A catalogue at a rival's small print run costs more per copy than it earns.
    assert t.loc["copy the catalogue", "change vs rival (¥)"] < 0
    big = ikea.copycat_table(rival_copies=200e6)
    assert big.loc["copy the catalogue", "change vs rival (¥)"] > t.loc["copy the catalogue", "change vs rival (¥)"]


# --------------------------------------------------------------------------
# Shipped data
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ikea_visits", "ikea_households"])
def test_shipped_csv_equals_simulator(name):
    pd.testing.assert_frame_equal(datasets.load(name), datasets.build(name))


def test_csv_size_under_two_megabytes():
    for name in ("ikea_visits", "ikea_households"):
        assert datasets.get(name).csv_path.stat().st_size < 2_000_000


# --------------------------------------------------------------------------
# Bad arguments
# --------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: ikea.make_ikea_visits(0), r"`n` must be a whole number"),
    (lambda: ikea.make_ikea_visits(10, store="mall"), r"`store` must be one of"),
    (lambda: ikea.make_ikea_visits(10, seed=-1), r"`seed` must be None"),
    (lambda: ikea.make_ikea_visits(10, label_quality=1.5), r"`label_quality` must be a number in \[0, 1\]"),
    (lambda: ikea.make_ikea_visits(10, push_share=-0.1), r"`push_share` must be"),
    (lambda: ikea.make_ikea_visits(10, impulse_share=0.95), r"`impulse_share` must be a number in \[0, 0.9\]"),
    (lambda: ikea.make_ikea_catalogue(10, reach=2), r"`reach` must be"),
    (lambda: ikea.make_ikea_catalogue(10, targeted="yes"), r"`targeted` must be True or False"),
    (lambda: ikea.catalogue_economics(pd.DataFrame({"x": [1]})), r"`households` must have the column"),
    (lambda: ikea.catalogue_economics(ikea.make_ikea_catalogue(10, seed=1), copy_cost=0), r"`copy_cost` must be"),
    (lambda: ikea.flatpack_price(1.2), r"`volume_cut` must be"),
    (lambda: ikea.flatpack_price(0.5, elasticity=-1), r"`elasticity` must be"),
    (lambda: ikea.ikea_effect_wtp(100, build_success=2), r"`build_success` must be"),
    (lambda: ikea.revenue_per_visitor(0.5, 400, 1.0, 0.3, 20), r"`impulse_share` must be a number in \[0, 1\)"),
    (lambda: ikea.revenue_per_visitor(0.5, -1, 0.5, 0.3, 20), r"`basket` must be"),
    (lambda: ikea.growth_needed(0.25, years=0), r"`years` must be"),
    (lambda: ikea.whatif_store(price_cut=0.6), r"`price_cut` must be a number in \[0, 0.5\]"),
    (lambda: ikea.whatif_store(catalogue_reach="all"), r"`catalogue_reach` must be"),
    (lambda: ikea.visit_outcomes("draws", label_quality=0.5, push_share=0), r"`draws` must be VisitDraws"),
    (lambda: ikea.store_summary([1, 2]), r"`visits` must be a pandas DataFrame"),
    (lambda: ikea.paired_differences(ikea.make_ikea_visits(20, seed=1)), r"`visits` must hold both stores"),
    (lambda: ikea.build_store_widget(speed=1), r"`defaults` must use the names"),
])
def test_bad_arguments_rejected(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------
# What-if and widget
# --------------------------------------------------------------------------

def test_whatif_reuses_cached_draws_and_is_deterministic():
    assert ikea.whatif_store() == ikea.whatif_store()
    base = ikea.whatif_store(catalogue_reach=0.0)
    assert base["visits a year (m)"] == pytest.approx(ikea.STORE_VISITS_PER_YEAR / 1e6, abs=5e-4)


def test_whatif_directions():
    base = ikea.whatif_store()
    assert ikea.whatif_store(impulse_share=0.3)["revenue per visitor (¥)"] < base["revenue per visitor (¥)"]
    assert ikea.whatif_store(catalogue_reach=1.0)["visits a year (m)"] > base["visits a year (m)"]
    assert ikea.whatif_store(catalogue_reach=1.0)["cost per visitor (¥)"] > base["cost per visitor (¥)"]
    assert ikea.whatif_store(price_cut=0.25)["visits a year (m)"] > base["visits a year (m)"]
    # A higher elasticity makes the same price cut more profitable.
    lo = ikea.whatif_store(price_cut=0.25, elasticity=1.0)["contribution a year (¥ m)"]
    hi = ikea.whatif_store(price_cut=0.25, elasticity=3.5)["contribution a year (¥ m)"]
    assert hi > lo


def test_widget_driven_in_python():
    w = ikea.build_store_widget()
    before = w.result
    assert "contribution per visitor" in w.html.value
    assert w.image is not None and len(w.image.value) > 1000
    w.controls["push_share"].value = 0.8
    after = w.result
    assert after["cost per visitor (¥)"] > before["cost per visitor (¥)"]
    assert after["satisfaction (1-5)"] < before["satisfaction (1-5)"]
    assert f"{after['cost per visitor (¥)']:,.2f}" in w.html.value
    w.controls["label_quality"].value = 0.0
    assert w.result["impulse share of goods"] != after["impulse share of goods"]
    assert "push_share=0.80" in repr(w)


def test_cagr_by_hand():
    assert ikea.cagr(100, 121, 2) == pytest.approx(0.10)
    assert ikea.cagr(100, 100 * 1.25 ** 10, 10) == pytest.approx(0.25)
    with pytest.raises(ValueError, match=r"`start` must be"):
        ikea.cagr(0, 10, 1)


def test_revenue_per_visitor_near_reported(visits):
    # Calibration target: EUR 27.9 bn / 690 m visits (FY2013, IKEA Group) ≈ ¥330 per visit; tolerance ±10%.
    rpv = ikea.store_summary(visits).loc["transparent", "revenue per visitor (¥)"]
    assert rpv == pytest.approx(ikea.REVENUE_PER_VISIT, rel=0.10)


def test_store_formats_table_separates_push_and_labels():
    t = ikea.store_formats_table()
    base = t.loc["transparent (rich labels, no push)"]
    push = t.loc["rich labels, staff push"]
    thin = t.loc["thin labels, no push"]
    assert push["planned conversion"] > base["planned conversion"]  # pushing closes planned sales
    assert push["impulse share of goods"] < base["impulse share of goods"]
    assert push["contribution per visitor (¥)"] < base["contribution per visitor (¥)"]
    assert thin["planned conversion"] < base["planned conversion"]
    assert thin["dwell (min)"] == pytest.approx(base["dwell (min)"])  # labels do not change dwell
    with pytest.raises(ValueError, match=r"`settings\['x'\]` must be a pair"):
        ikea.store_formats_table({"x": 0.5})


def test_knowledge_table_and_breakeven():
    v = ikea.make_ikea_visits(3000, seed=2)
    t = ikea.knowledge_table(v)
    assert t["visitors"].sum() == (v["segment"] != "food_only").sum()
    assert t["bought anything"].iloc[-1] > t["bought anything"].iloc[0]
    with pytest.raises(ValueError, match=r"`bands` must be increasing"):
        ikea.knowledge_table(v, bands=(0, 10, 5))
    e = ikea.breakeven_elasticity()
    at = ikea.whatif_store(price_cut=ikea.BASE_PRICE_CUT, elasticity=e + 0.05)["contribution a year (¥ m)"]
    keep = ikea.whatif_store(price_cut=0.0, elasticity=e + 0.05)["contribution a year (¥ m)"]
    assert at >= keep
    at_lo = ikea.whatif_store(price_cut=ikea.BASE_PRICE_CUT, elasticity=e - 0.3)["contribution a year (¥ m)"]
    keep_lo = ikea.whatif_store(price_cut=0.0, elasticity=e - 0.3)["contribution a year (¥ m)"]
    assert at_lo < keep_lo


# --------------------------------------------------------------------------
# Assumptions, the headline figure and its sensitivity
# --------------------------------------------------------------------------

_CONSTANT_OF = {
    "push_dwell_cut": "PUSH_DWELL_CUT", "push_close": "PUSH_CLOSE", "staff_knowledge": "STAFF_KNOWLEDGE",
    "sales_minutes": "SALES_MINUTES", "ask_minutes": "ASK_MINUTES",
    "labels_for_half_informed": "LABELS_FOR_HALF_INFORMED", "label_read_max": "LABEL_READ_MAX",
    "p_buy_knowledge": "P_BUY_KNOWLEDGE", "p_impulse_knowledge": "P_IMPULSE_KNOWLEDGE",
    "sat_push": "SAT_PUSH", "regret_push": "REGRET_PUSH", "staff_wage": "STAFF_WAGE",
    "label_cost": "LABEL_COST", "reference_margin": "REFERENCE_MARGIN", "food_margin": "FOOD_MARGIN",
    "price_elasticity": "PRICE_ELASTICITY", "visit_price_share": "VISIT_PRICE_SHARE",
    "copy_cost": "COPY_COST", "ad_cost_per_household": "AD_COST_PER_HOUSEHOLD", "ad_uplift": "AD_UPLIFT",
    "catalogue_design_cost": "CATALOGUE_DESIGN_COST",
}


def test_every_assumption_has_a_range_and_is_the_value_the_model_uses():
    from casekit.sensitivity import Assumption

    for name, a in {**ikea.ASSUMPTIONS, **ikea.GAP_ASSUMPTIONS}.items():
        assert isinstance(a, Assumption), name
        assert a.low <= a.value <= a.high and a.low < a.high, name
        assert a.note and a.unit, name
    for name, const in _CONSTANT_OF.items():
        assert ikea.ASSUMPTIONS[name].value == getattr(ikea, const), name
    assert ikea.ASSUMPTIONS["sales_push_share"].value == ikea.STORE_FORMATS["sales_staff"]["push_share"]
    assert ikea.ASSUMPTIONS["sales_label_quality"].value == ikea.STORE_FORMATS["sales_staff"]["label_quality"]
    assert set(ikea.GAP_LABELS) == set(ikea.GAP_ASSUMPTIONS)


def test_behaviour_assumptions_drive_the_simulator():
    d = ikea.draw_visits(3000, seed=21)
    base = ikea.visit_outcomes(d, label_quality=0.3, push_share=0.8)
    # Passing each value explicitly changes nothing: the simulator uses these values.
    same = ikea.visit_outcomes(d, label_quality=0.3, push_share=0.8,
                               params={k: ikea.ASSUMPTIONS[k].value for k in ikea._BEHAVIOUR})
    for key in ("basket", "staff_min", "satisfaction", "regret"):
        assert np.array_equal(base[key], same[key]), key
    # Moving each one to its high end changes some outcome.
    for k in ikea._BEHAVIOUR:
        hi = ikea.visit_outcomes(d, label_quality=0.3, push_share=0.8, params={k: ikea.ASSUMPTIONS[k].high})
        changed = any(not np.array_equal(base[c], hi[c])
                      for c in ("basket", "dwell_min", "labels_read", "staff_min", "satisfaction", "regret"))
        assert changed, k
    with pytest.raises(ValueError, match=r"`params` must use the names"):
        ikea.visit_outcomes(d, label_quality=0.3, push_share=0.8, params={"speed": 1})


def test_self_service_gap_matches_the_shipped_data():
    s = ikea.store_summary(datasets.load("ikea_visits"))
    for measure, col in (("contribution", "contribution per visitor (¥)"), ("revenue", "revenue per visitor (¥)")):
        want = s.loc["transparent", col] - s.loc["sales_staff", col]
        assert ikea.self_service_gap(measure) == pytest.approx(want, abs=0.01), measure


def test_self_service_gap_by_hand_for_costs():
    # Staff cost enters the gap linearly: d gap / d wage = (staff min ss − staff min tr) / 60.
    o_tr = ikea.visit_outcomes(ikea._default_draws(), label_quality=0.9, push_share=0.0)
    o_ss = ikea.visit_outcomes(ikea._default_draws(), label_quality=0.3, push_share=0.8)
    slope = (o_ss["staff_min"].mean() - o_tr["staff_min"].mean()) / 60
    assert ikea.self_service_gap(staff_wage=80) - ikea.self_service_gap(staff_wage=30) == pytest.approx(50 * slope)
    # Label cost: the transparent store pays 0.9 per ¥, the sales-staff store 0.3.
    assert ikea.self_service_gap(label_cost=3.0) - ikea.self_service_gap(label_cost=0.0) == pytest.approx(-3.0 * 0.6)
    # Revenue does not depend on costs or margins.
    assert ikea.self_service_gap("revenue", staff_wage=80, reference_margin=0.25) == pytest.approx(
        ikea.self_service_gap("revenue"))


def test_gap_tornado_is_computed():
    from casekit import sensitivity

    t = sensitivity.tornado(ikea.self_service_gap, ikea.GAP_ASSUMPTIONS, labels=ikea.GAP_LABELS)
    assert t.attrs["base_figure"] == pytest.approx(ikea.self_service_gap())
    # Assumptions that feed money move the gap ...
    for name in ("push_dwell_cut", "sales_label_quality", "staff_wage", "impulse_share"):
        assert t.loc[name, "swing"] > 1.0, name
    # ... satisfaction and regret are inputs that feed nothing: zero swing.
    assert t.loc["sat_push", "swing"] == 0.0
    assert t.loc["regret_push", "swing"] == 0.0
    # Without the assumed shorter visits, pushing alone no longer loses revenue so clearly.
    assert ikea.self_service_gap(push_dwell_cut=0.0) < ikea.self_service_gap()


def test_catalogue_vs_ads_spends_the_same_by_hand():
    h = pd.DataFrame({
        "segment": pd.Categorical(["family", "family"], categories=list(ikea.SEGMENTS), ordered=True),
        "distance_km": [0.0, 0.0],
    })
    t = ikea.catalogue_vs_ads(h, budget_per_household=2.0, copy_cost=4.0, ad_cost=2.0, ad_uplift=0.01)
    # Budget ¥4: one copy, or ads that reach both households.
    assert t["cost (¥)"].tolist() == [4.0, 4.0, 4.0]
    fam = ikea.SEGMENTS.index("family")
    assert t.loc["targeted catalogue", "extra visits"] == pytest.approx(ikea.BASE_VISIT_RATE[fam] * ikea.CATALOGUE_UPLIFT[fam])
    assert t.loc["mass advertising", "households reached"] == pytest.approx(2.0)
    assert t.loc["mass advertising", "extra visits"] == pytest.approx(2 * ikea.BASE_VISIT_RATE[fam] * 0.01)
    # Half the budget: half a copy's expected gain, ads reach one household.
    half = ikea.catalogue_vs_ads(h, budget_per_household=1.0, copy_cost=4.0, ad_cost=2.0, ad_uplift=0.01)
    assert half.loc["targeted catalogue", "extra visits"] == pytest.approx(
        0.5 * ikea.BASE_VISIT_RATE[fam] * ikea.CATALOGUE_UPLIFT[fam])
    assert half.loc["mass advertising", "households reached"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"`budget_per_household` must be at most `ad_cost`"):
        ikea.catalogue_vs_ads(h, budget_per_household=3.0)


def test_catalogue_vs_ads_equal_spend_on_the_shipped_data():
    t = ikea.catalogue_vs_ads(datasets.load("ikea_households"))
    n = len(datasets.load("ikea_households"))
    assert np.allclose(t["cost (¥)"], ikea.AD_COST_PER_HOUSEHOLD * n)
    assert t.loc["mass advertising", "households reached"] == pytest.approx(n)


def test_reported_figures_are_consistent():
    # Group sales go with group-owned stores (298 in FY2012), not with all IKEA stores.
    assert ikea.STORES_FY2012 == 298
    assert ikea.NET_MARGIN_FY2012 == pytest.approx(3.2 / 27.6)
    assert ikea.REVENUE_PER_VISIT == pytest.approx(27.9e9 / 690e6 * 8.16)
    assert ikea.STORE_VISITS_PER_YEAR == pytest.approx(690e6 / 303)
    # The model's contribution margin on sales is far above a net margin: it is not profit.
    s = ikea.store_summary(datasets.load("ikea_visits")).loc["transparent"]
    assert s["contribution per visitor (¥)"] / s["revenue per visitor (¥)"] > 2 * ikea.NET_MARGIN_FY2012


def test_no_pointer_outside_the_repository():
    from pathlib import Path

    root = Path(ikea.__file__).resolve().parents[1]
    for rel in ("casekit/ikea.py", "casekit/content/ikea.toml", "exercises/teaching_notes/ikea.md",
                "exercises/teaching_notes/zh/ikea.md", "casekit/content/messages/ikea.toml",
                "notebooks/03_ikea.ipynb", "notebooks/zh/03_ikea.ipynb"):
        text = (root / rel).read_text(encoding="utf-8")
        for bad in ("../shared", "DOMAIN_FACTS", "fact sheet"):
            assert bad not in text, (rel, bad)


def test_pushing_alone_hinges_on_the_assumed_shorter_visit():
    t = ikea.pushing_alone_table((0.0, 0.3, 0.5))
    # The gap grows with the assumed cut in visit length ...
    assert t["contribution gap (¥)"].is_monotonic_increasing
    # ... and without it, pushing alone raises revenue (the gap is negative).
    assert t.loc[0.0, "revenue gap (¥)"] < 0 < t.loc[0.3, "revenue gap (¥)"]


def test_worst_case_combines_the_worst_ends():
    from casekit import sensitivity

    t = sensitivity.tornado(ikea.self_service_gap, ikea.GAP_ASSUMPTIONS)
    w = ikea.self_service_worst_case(t)
    assert w["params"]["push_dwell_cut"] == 0.0 and w["params"]["impulse_share"] == 0.3
    assert w["contribution"] < min(t["figure_low"].min(), t["figure_high"].min())
    with pytest.raises(ValueError, match=r"must be a tornado over GAP_ASSUMPTIONS"):
        ikea.self_service_worst_case(sensitivity.tornado(lambda a: a, {"a": (1, 0, 2)}).assign(low=0, high=2))


# --------------------------------------------------------------------------
# The teaching note quotes the computed figures
# --------------------------------------------------------------------------

NOTES = ("exercises/teaching_notes/ikea.md", "exercises/teaching_notes/zh/ikea.md")


def _note_figures(rel=NOTES[0]):
    from pathlib import Path
    import re

    text = (Path(ikea.__file__).resolve().parents[1] / rel).read_text(encoding="utf-8")
    found = {}
    for m in re.finditer(r"([−-]?)¥?([\d,]+(?:\.\d+)?)(%?)\s*<!-- fig:(\w+) -->", text):
        sign, digits, pct, name = m.groups()
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        value = float(digits.replace(",", "")) * (-1 if sign else 1)
        found[name] = (value, decimals, bool(pct))
    return found


def _computed_figures():
    from casekit import sensitivity

    v, h = datasets.load("ikea_visits"), datasets.load("ikea_households")
    s = ikea.store_summary(v)
    f = ikea.store_formats_table()
    tr = f.loc["transparent (rich labels, no push)"]
    roi = ikea.catalogue_economics(h)
    roi_all = ikea.catalogue_economics(ikea.make_ikea_catalogue(len(h), reach=1.0, seed=ikea.IKEA_SEED + 1))
    ads = ikea.catalogue_vs_ads(h)
    cc = ikea.copycat_table()["change vs rival (¥)"]
    now = ikea.whatif_store()
    best = ikea.whatif_store(label_quality=1.0, push_share=0.0, catalogue_reach=1.0, price_cut=0.25)
    gap = sensitivity.tornado(ikea.self_service_gap, ikea.GAP_ASSUMPTIONS)
    c = "contribution per visitor (¥)"
    return {
        "rpv": s.loc["transparent", "revenue per visitor (¥)"],
        "rpv_reported": ikea.REVENUE_PER_VISIT,
        "contribution_share": 100 * s.loc["transparent", c] / s.loc["transparent", "revenue per visitor (¥)"],
        "net_margin": 100 * ikea.NET_MARGIN_FY2012,
        "contrib_tr": s.loc["transparent", c], "contrib_ss": s.loc["sales_staff", c],
        "cost_tr": s.loc["transparent", "cost per visitor (¥)"], "cost_ss": s.loc["sales_staff", "cost per visitor (¥)"],
        "push_contrib": f.loc["rich labels, staff push", c] - tr[c],
        "thin_contrib": f.loc["thin labels, no push", c] - tr[c],
        "push_no_dwell_revenue": -ikea.pushing_alone_table((0.0,)).loc[0.0, "revenue gap (¥)"],
        "roi_targeted": roi.loc["all", "ROI"], "roi_all": roi_all.loc["all", "ROI"],
        "roi_cat": ads.loc["targeted catalogue", "ROI"], "roi_random": ads.loc["untargeted catalogue", "ROI"],
        "roi_ads": ads.loc["mass advertising", "ROI"],
        "breakeven": ikea.breakeven_elasticity(),
        "copy_labels": cc["copy labels and no-push rule"], "copy_catalogue": cc["copy the catalogue"],
        "copy_price": cc["copy the low price without flat-pack"],
        "copy_flatpack": cc["copy the low price with flat-pack logistics"],
        "step": 100 * ((best["revenue per visitor (¥)"] * best["visits a year (m)"])
                       / (now["revenue per visitor (¥)"] * now["visits a year (m)"]) - 1),
        "real_growth": 100 * ikea.cagr(ikea.SALES_1997_USD_BN, ikea.SALES_FY2012_EUR_BN * ikea.USD_PER_EUR_2012, 15),
        "store_growth": 100 * ikea.cagr(ikea.STORES_1997, ikea.STORES_FY2012, 15),
        "gap": gap.attrs["base_figure"],
        "gap_min": gap[["figure_low", "figure_high"]].min().min(),
        "gap_worst": ikea.self_service_worst_case(gap)["contribution"],
    }


@functools.cache
def _computed_once():
    return _computed_figures()


@pytest.mark.parametrize("rel", NOTES)
def test_teaching_note_quotes_the_computed_figures(rel):
    quoted, computed = _note_figures(rel), _computed_once()
    assert set(quoted) == set(computed), (sorted(set(quoted) ^ set(computed)))
    for name, (value, decimals, _) in quoted.items():
        assert value == pytest.approx(round(computed[name], decimals), abs=0.51 * 10 ** -decimals), name


def test_contribution_curves_match_whatif():
    t = ikea.contribution_curves([0.0, 0.14, 0.3], [1.0, 3.5])
    for e in (1.0, 3.5):
        for p in (0.0, 0.14, 0.3):
            want = ikea.whatif_store(price_cut=p, elasticity=e)["contribution a year (¥ m)"]
            assert t.loc[p, f"ε = {e:g}"] == pytest.approx(want, abs=0.051)


def test_both_teaching_notes_carry_the_same_figures():
    assert _note_figures(NOTES[0]) == _note_figures(NOTES[1])


# --------------------------------------------------------------------------
# Both editions: what a reader sees comes from the catalogue
# --------------------------------------------------------------------------

def _views(lang="en"):
    v, h = datasets.load("ikea_visits"), datasets.load("ikea_households")
    store = v[v["store"] == "transparent"]
    return {
        "catalogue_runs": ikea.CATALOGUE_RUNS, "spending": ikea.spending_by_segment(store),
        "knowledge": ikea.knowledge_table(store), "summary": ikea.store_summary(v),
        "paired": ikea.paired_differences(v), "formats": ikea.store_formats_table(),
        "pushing": ikea.pushing_alone_table(), "roi": ikea.catalogue_economics(h),
        "vs_ads": ikea.catalogue_vs_ads(h), "flatpack": ikea.flatpack_table(),
        "ikea_effect": ikea.ikea_effect_table(), "copycat": ikea.copycat_table(),
        "growth": ikea.growth_needed(years=3),
        "gap": sensitivity_table(lang),
    }


@functools.cache
def sensitivity_table(lang="en"):
    from casekit import i18n, sensitivity

    with i18n.language(lang):
        return sensitivity.tornado(ikea.self_service_gap, ikea.GAP_ASSUMPTIONS, labels=ikea.gap_labels())


def test_every_view_has_a_table():
    assert set(_views()) == set(ikea.VIEWS)


@pytest.mark.parametrize("view", ikea.VIEWS)
def test_views_are_chinese_in_the_chinese_edition(view):
    from casekit import i18n

    with i18n.language("en"):
        en = ikea.show(view, _views("en")[view]).frame
    with i18n.language("zh"):
        zh = ikea.show(view, _views("zh")[view]).frame
    assert en.shape == zh.shape
    # Same figures in both editions: every cell that holds a digit is the same text.
    for a, b in zip(en.to_numpy().ravel(), zh.to_numpy().ravel()):
        if any(ch.isdigit() for ch in str(a)) and not re.search(r"[a-zA-Z¥]", str(a)):
            assert str(a) == str(b), (view, a, b)
    # Headers, row labels and text cells: no English words left in Chinese.
    cells = [str(x) for x in zh.to_numpy().ravel()]
    for label in list(zh.columns) + [str(x) for x in zh.index] + [str(zh.index.name or "")] + cells:
        assert not re.search(r"[a-z]{3,}", label), (view, label)


def test_show_rejects_bad_input():
    with pytest.raises(ValueError, match="view"):
        ikea.show("nope", ikea.CATALOGUE_RUNS)
    with pytest.raises((TypeError, ValueError), match="table"):
        ikea.show("summary", ikea.CATALOGUE_RUNS)


def test_printed_messages_have_the_same_figures_in_both_languages():
    from casekit import i18n

    values = dict(b=0.502, B=256.4, i=0.6, f=0.313, F=20.13, funnel=328.15, measured=328.15, rpv=330.0)
    for key, names in (("ikea.say.funnel_parts", "b B i f F"), ("ikea.say.funnel_check", "funnel measured"),
                       ("ikea.say.group_rpv", "rpv")):
        kw = {n: values[n] for n in names.split()}
        with i18n.language("en"):
            en = i18n.t(key, **kw)
        with i18n.language("zh"):
            zh = i18n.t(key, **kw)
        assert sorted(re.findall(r"\d[\d,.]*", en)) == sorted(re.findall(r"\d[\d,.]*", zh)), key


def test_gap_labels_follow_the_language():
    from casekit import i18n

    with i18n.language("en"):
        assert ikea.gap_labels() == ikea.GAP_LABELS
    with i18n.language("zh"):
        zh = ikea.gap_labels()
    assert set(zh) == set(ikea.GAP_ASSUMPTIONS)
    assert all(re.search(r"[\u4e00-\u9fff]", v) for v in zh.values())
    with i18n.language("zh"):
        assert ikea.name_list([]) == "无"
        assert "冲动购买" in ikea.name_list(["impulse_share"])


def test_charts_are_labelled_in_chinese():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from casekit import i18n

    v = datasets.load("ikea_visits")
    store = v[v["store"] == "transparent"]
    with i18n.language("zh"):
        axes = [ikea.plot_funnel(store), ikea.plot_spending(ikea.spending_by_segment(store)),
                ikea.plot_store_comparison(ikea.store_summary(v)),
                ikea.plot_catalogue_roi(ikea.catalogue_economics(datasets.load("ikea_households"))),
                ikea.plot_price_curves(ikea.contribution_curves([0.0, 0.14, 0.3], [1.8])),
                ikea.plot_gap_tornado(sensitivity_table("zh"), top=5)]
        for ax in axes:
            texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
            texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
            if ax.get_legend() is not None:
                texts += [t.get_text() for t in ax.get_legend().get_texts()]
            for text in texts:
                assert not re.search(r"[a-z]{3,}", text), text
            assert re.search(r"[\u4e00-\u9fff]", ax.get_title())
            plt.close(ax.figure)


def test_widget_result_follows_the_language():
    from casekit import i18n

    with i18n.language("zh"):
        w = ikea.build_store_widget()
    assert "每位访客贡献（元）" in w.result
    before = w.result["每位访客贡献（元）"]
    w.controls["push_share"].value = 0.8
    assert w.result["每位访客贡献（元）"] < before
    assert w.result["每位访客贡献（元）"] == ikea.whatif_store(push_share=0.8)["contribution per visitor (¥)"]
