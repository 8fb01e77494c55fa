"""casekit.hotel: the hotel satisfaction-guarantee simulator, policies,
break-even, Hart's criteria and the what-if widget."""


import numpy as np
import pandas as pd
import pytest

from casekit import datasets, metrics
from casekit import hotel as h


@pytest.fixture(scope="module")
def draws():
    return h.draw_stays(200, seed=11)


@pytest.fixture(scope="module")
def stays():
    return h.make_hotel_stays(200, seed=11)


@pytest.fixture(scope="module")
def big():
    # A large chain-sized year, so the calibration targets are not lost in noise.
    return h.draw_stays(3000, seed=7)


# --------------------------------------------------------------------------
# Schema, ranges, seeds
# --------------------------------------------------------------------------

def test_schema_columns_order_and_dtypes(stays):
    assert list(stays.columns) == list(h.STAY_SCHEMA)
    assert stays["segment"].cat.ordered and list(stays["segment"].cat.categories) == list(h.SEGMENTS)
    assert stays["claim_type"].cat.ordered and list(stays["claim_type"].cat.categories) == list(h.CLAIM_TYPES)
    assert pd.api.types.is_datetime64_dtype(stays["check_in"])
    for col in ("stay_id", "guest_id", "nights", "satisfaction"):
        assert stays[col].dtype == "int64", col
    for col in ("room_rate", "refund_paid"):
        assert stays[col].dtype == "float64", col
    bools = [c for c, (kind, _) in h.STAY_SCHEMA.items() if kind == "bool"]
    assert len(bools) == 9 and all(stays[c].dtype == bool for c in bools)


def test_ranges_and_internal_consistency(stays, draws):
    assert stays["stay_id"].is_unique and stays["stay_id"].min() == 1
    assert stays["check_in"].dt.year.eq(2025).all() and stays["check_in"].is_monotonic_increasing
    assert stays["nights"].min() >= 1 and stays["room_rate"].gt(0).all()
    assert stays["satisfaction"].between(1, 5).all()
    # Room-nights sold = rooms × 365 × occupancy.
    assert stays["nights"].sum() == round(200 * 365 * 0.70) == draws.room_nights
    fails = stays[[f"fail_{d}" for d in h.DEPARTMENTS]].any(axis=1)
    # Only stays with a failure are fixed; only claims are refunded; refunds never exceed the bill.
    assert not (stays["fixed_on_spot"] & ~fails).any()
    assert (stays["invoked"] == (stays["claim_type"] != "none")).all()
    assert stays.loc[~stays["invoked"], "refund_paid"].eq(0).all()
    assert (stays["refund_paid"] <= stays["nights"] * stays["room_rate"] + 0.01).all()
    # Honest claims come from guests with an unfixed problem; opportunistic ones from guests without.
    honest = stays["claim_type"] == "honest"
    assert (fails & ~stays["fixed_on_spot"])[honest].all()
    assert not (fails & ~stays["fixed_on_spot"])[stays["claim_type"] == "opportunistic"].any()
    # Frequent guests: several stays per business guest, and every guest has one segment.
    per_guest = stays.groupby("guest_id")["segment"].nunique()
    assert per_guest.eq(1).all()
    visits = stays.groupby("guest_id", observed=True).agg(seg=("segment", "first"), n=("stay_id", "size"))
    assert visits.loc[visits["seg"] == "business", "n"].mean() > visits.loc[visits["seg"] == "leisure", "n"].mean()


def test_same_seed_same_frame_and_different_seeds_differ():
    pd.testing.assert_frame_equal(h.make_hotel_stays(30, seed=3), h.make_hotel_stays(30, seed=3))
    assert not h.make_hotel_stays(30, seed=3).equals(h.make_hotel_stays(30, seed=4))


def test_generator_seed_accepted_and_global_state_untouched():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    h.make_hotel_stays(20, seed=np.random.default_rng(1))
    assert np.random.random() == before


def test_shipped_dataset_equals_the_simulator():
    shipped = datasets.load("hotel_stays")
    pd.testing.assert_frame_equal(shipped, datasets.build("hotel_stays"))
    pd.testing.assert_frame_equal(shipped, h.make_hotel_stays(h.DATASET_ROOMS, seed=h.HOTEL_SEED),
                                  check_categorical=False)
    assert datasets.get("hotel_stays").csv_path.stat().st_size < 2_000_000


# --------------------------------------------------------------------------
# Calibration (Hampton Inn and TARP figures cited in casekit/content/hotel_guarantee.toml)
# --------------------------------------------------------------------------

def test_about_four_refunds_per_1000_room_nights_at_hampton_like_settings(big):
    r = h.evaluate_policy(big, h.HAMPTON_LIKE)
    assert 3.5 <= r["refunds_per_1000_room_nights"] <= 4.5       # Hampton Inn: about 4 [M]


def test_repeat_business_about_seven_times_refunds_at_hampton_like_settings(big):
    r = h.evaluate_policy(big, h.HAMPTON_LIKE)
    assert 6.0 <= r["repeat_to_refund"] <= 8.0                    # Hampton 1989–99: > USD 41 million vs > USD 6 million


def test_average_invocation_is_near_tarps_one_in_27():
    avg = float(np.dot(h.SEGMENT_MIX, h.INVOKE_RATE))
    assert avg == pytest.approx(metrics.TARP_COMPLAINT_RATE, abs=0.008)


def test_cheating_does_not_rise_with_the_refund_share(big):
    # Wirtz & Kum (2004): payout size does not drive opportunistic claims.
    counts = [h.evaluate_policy(big, h.Policy(refund_share=s), cheating_rate=0.005)["claims_opportunistic"]
              for s in (0.25, 0.5, 1.0)]
    assert counts[0] == counts[1] == counts[2] > 0
    rates = big.n_stays
    assert counts[0] / rates == pytest.approx(0.005 * 0.87, rel=0.15)   # eligible stays ≈ 87% of stays


def test_cheating_rate_is_the_share_of_eligible_stays(big):
    o = h._outcomes(big, h.Policy(), 1.0, 0.01, h.MARGIN)
    eligible = ~o["unhappy"]
    assert (o["claim"][eligible] == 2).mean() == pytest.approx(0.01, rel=0.1)
    # More opportunism in one-off segments (Wirtz & McColl-Kennedy 2010).
    seg = big.segment[eligible]
    opp = o["claim"][eligible] == 2
    assert opp[seg == 0].mean() < opp[seg == 1].mean()


def test_loyalty_follows_tarp(big):
    o = h._outcomes(big, h.NO_GUARANTEE, 1.0, 0.0, h.MARGIN)
    base = np.asarray(h.BASE_RETURN)[big.segment]
    rel = o["returned"].astype(float) / base          # unbiased estimate of the loyalty factor
    silent = o["outcome"] == h._SILENT
    unresolved = o["outcome"] == h._UNRESOLVED
    tarp = metrics.TARP_LOYALTY["small_loss"]
    assert rel[silent].mean() == pytest.approx(tarp["no_complaint"] / 0.95, abs=0.06)
    assert rel[unresolved].mean() == pytest.approx(tarp["complained_unresolved"] / 0.95, abs=0.06)


# --------------------------------------------------------------------------
# Policies on common random numbers
# --------------------------------------------------------------------------

def test_policies_share_the_same_guests_and_failures(draws):
    a = h.stays_frame(draws, h.NO_GUARANTEE)
    b = h.stays_frame(draws, h.Policy(refund_share=0.5, condition="one_claim"))
    same = ["stay_id", "guest_id", "segment", "check_in", "nights", "room_rate"] + [f"fail_{d}" for d in h.DEPARTMENTS]
    pd.testing.assert_frame_equal(a[same], b[same])
    assert a["refund_paid"].sum() == 0 and not a["invoked"].any()
    assert b["refund_paid"].sum() > 0


def test_evaluate_matches_the_frame(draws):
    r = h.evaluate_policy(draws, h.HAMPTON_LIKE)
    df = h.stays_frame(draws, h.HAMPTON_LIKE)
    assert r["refunds_paid"] == pytest.approx(df["refund_paid"].sum(), abs=1.0)
    paid = df["refund_paid"] > 0
    assert r["claims_honest"] == (paid & (df["claim_type"] == "honest")).sum()
    assert r["claims_opportunistic"] == (paid & (df["claim_type"] == "opportunistic")).sum()
    assert r["fixed_on_spot"] == df["fixed_on_spot"].sum()
    assert r["repeat_guests"] == df["returned"].sum()


def test_half_refund_halves_the_payout_with_the_same_claims(draws):
    full = h.evaluate_policy(draws, h.Policy(refund_share=1.0))
    half = h.evaluate_policy(draws, h.Policy(refund_share=0.5))
    assert half["refunds_paid"] == pytest.approx(full["refunds_paid"] / 2)
    assert half["claims_honest"] == full["claims_honest"]
    assert half["extra_room_nights"] == pytest.approx(full["extra_room_nights"] / 2)


def test_one_claim_per_guest_pays_at_most_one_claim_each(draws):
    df = h.stays_frame(draws, h.Policy(condition="one_claim"), cheating_rate=0.02)
    paid = df[df["refund_paid"] > 0]
    assert paid["guest_id"].is_unique
    # A guest's paid claim is his first claim of the year.
    first_claim = df[df["invoked"]].sort_values(["guest_id", "check_in", "stay_id"]).groupby("guest_id").head(1)
    assert set(paid["stay_id"]) == set(first_claim["stay_id"])
    free = h.stays_frame(draws, h.Policy(condition="none"), cheating_rate=0.02)
    assert (free["refund_paid"] > 0).sum() > len(paid)


def test_report_condition_refuses_unreported_honest_claims_and_deters_cheats(draws):
    rep = h.evaluate_policy(draws, h.Policy(condition="report"), cheating_rate=0.01)
    free = h.evaluate_policy(draws, h.Policy(condition="none"), cheating_rate=0.01)
    assert rep["claims_refused"] > 0 and free["claims_refused"] == 0
    assert rep["claims_opportunistic"] < free["claims_opportunistic"]
    assert rep["fixed_on_spot"] > free["fixed_on_spot"]          # guests are prompted to report


def test_empowerment_and_root_cause_work_as_described(draws):
    plain = h.evaluate_policy(draws, h.Policy())
    emp = h.evaluate_policy(draws, h.Policy(empowered=True))
    root = h.evaluate_policy(draws, h.Policy(root_cause=True))
    assert emp["fixed_on_spot"] > 1.5 * plain["fixed_on_spot"]
    assert emp["programme_cost"] == 200 * h.EMPOWER_COST_PER_ROOM
    # Failures fall over the year: about ROOT_CAUSE_CUT / 2 fewer on average.
    drop = 1 - root["stays_with_failure"] / plain["stays_with_failure"]
    assert drop == pytest.approx(h.ROOT_CAUSE_CUT / 2, abs=0.04)


def test_profit_formula_on_a_hand_worked_stay():
    # One stay, one guest: 2 nights at 100, a noise failure, no report, invoked, full refund.
    one = h.HotelDraws(
        n_rooms=1, occupancy=2 / 365, year=2025,
        segment=np.array([1]), guest=np.array([0]), day=np.array([0]), nights=np.array([2]),
        rate=np.array([100.0]), u_fail=np.array([[0.9, 0.9, 0.9, 0.0, 0.9]]),
        u_report=np.array([0.99]), u_fix=np.array([0.0]), u_voice=np.array([0.0]),
        u_cheat=np.array([0.9]), u_return=np.array([0.2]), z_sat=np.array([0.0]),
        u_guest=np.array([0.9]), guest_segment=np.array([1]),
    )
    m = 0.7
    paid = h.evaluate_policy(one, h.Policy(), margin=m, demand_uplift=0.0)
    # Leisure: base return 0.40; after a full refund TARP 0.70 / 0.95 → 0.295 > u_return 0.2: comes back.
    assert paid["claims_honest"] == 1 and paid["refunds_paid"] == 200
    assert paid["profit"] == pytest.approx(m * 200 - 200)
    none = h.evaluate_policy(one, h.NO_GUARANTEE, margin=m)
    # Without a guarantee: silent, 0.40 × 0.37 / 0.95 = 0.156 < 0.2: lost, with 1.2 stays next year.
    assert none["guests_lost"] == 1
    assert none["profit"] == pytest.approx(m * 200 * (1 - 1.2))


def test_guarantee_roi_matches_the_worked_example():
    # 100 rooms, 70% occupancy, USD 80, 0.4% of nights refunded → about USD 8,200 a year.
    r = h.guarantee_roi(25_550, 80, 0.7, 0.1, 0.03, 0.001, loyalty_gain=0.33, future_stays=10)
    assert r["payout"] == pytest.approx(25_550 * 0.004 * 80)
    assert r["payout"] == pytest.approx(8_200, rel=0.01)
    benefit = 25_550 * 0.1 * 0.03 * 0.33 * 10 * 80 * 0.7
    assert r["benefit"] == pytest.approx(benefit)
    assert r["breakeven_cheating_rate"] == pytest.approx((benefit - 25_550 * 0.003 * 80) / (25_550 * 80))
    # At the break-even rate, payout equals benefit.
    at = h.guarantee_roi(25_550, 80, 0.7, 0.1, 0.03, r["breakeven_cheating_rate"], loyalty_gain=0.33,
                         future_stays=10)
    assert at["net"] == pytest.approx(0, abs=1e-6)
    # A benefit below the honest refunds has no break-even: nan, printed "never pays" (not a negative rate).
    never = h.guarantee_roi(25_550, 80, 0.7, 0.1, 0.03, 0.0, loyalty_gain=0.1, future_stays=2)
    assert never["net"] < 0 and np.isnan(never["breakeven_cheating_rate"])
    assert h.format_breakeven(never["breakeven_cheating_rate"]) == "never pays"


# --------------------------------------------------------------------------
# Break-even and comparisons
# --------------------------------------------------------------------------

@pytest.mark.parametrize("baseline", [None, h.NO_GUARANTEE])
def test_breakeven_is_where_the_gain_changes_sign(draws, baseline):
    p = h.HAMPTON_LIKE
    be = h.breakeven_cheating_rate(draws, p, baseline=baseline)
    assert 0 < be < 0.2
    base_policy = h.PRACTICES_ONLY if baseline is None else baseline
    base = h.evaluate_policy(draws, base_policy, cheating_rate=be)["profit"]
    below = h.evaluate_policy(draws, p, cheating_rate=be * 0.98)["profit"]
    above = h.evaluate_policy(draws, p, cheating_rate=be * 1.02)["profit"]
    assert below > base >= above


def test_own_breakeven_is_lower_than_against_todays_hotel(draws):
    # Issue #12 item 10: against today's hotel the guarantee is credited with the practices it forces.
    own = h.breakeven_cheating_rate(draws)
    flattering = h.breakeven_cheating_rate(draws, baseline=h.NO_GUARANTEE)
    assert own == h.breakeven_cheating_rate(draws, baseline=h.PRACTICES_ONLY)
    assert 0 < own < flattering


def test_gain_curve_equals_direct_evaluation(draws):
    p = h.Policy(condition="one_claim", empowered=True)
    rates = [0.0, 0.004, 0.013, 0.03]
    curve = h.guarantee_gain_curve(draws, p, rates)
    base = h.evaluate_policy(draws, h.Policy(guarantee=False, empowered=True))["profit"]
    direct = [h.evaluate_policy(draws, p, cheating_rate=r)["profit"] - base for r in rates]
    assert np.allclose(curve["gain"].to_numpy(), direct, rtol=0, atol=1e-6)
    assert curve["gain"].is_monotonic_decreasing


def test_breakeven_edge_cases(draws):
    # With no demand uplift a bare guarantee loses money even if nobody cheats: no break-even at all.
    assert h.breakeven_cheating_rate(draws, h.Policy(), demand_uplift=0.0) is None
    assert h.breakeven_cheating_rate(draws, h.HAMPTON_LIKE, demand_uplift=0.0) is None
    assert h.guarantee_gain_curve(draws, h.Policy(), [0.0], demand_uplift=0.0)["gain"].iloc[0] < 0
    assert h.breakeven_cheating_rate(draws, h.HAMPTON_LIKE, demand_uplift=0.10) > \
        h.breakeven_cheating_rate(draws, h.HAMPTON_LIKE, demand_uplift=0.02)


def test_format_breakeven():
    assert h.format_breakeven(None) == "never pays" == h.NEVER_PAYS
    assert h.format_breakeven(float("nan")) == "never pays"
    assert h.format_breakeven(float("inf")) == "pays at any cheating rate"
    assert h.format_breakeven(0.011185) == "1.12%"
    assert h.format_breakeven(0.0199, decimals=1) == "2.0%"
    assert h.format_breakeven(0.0) == "0.00%"            # a real break-even at zero stays a number
    with pytest.raises(ValueError, match="`rate`"):
        h.format_breakeven(-0.01)
    with pytest.raises(TypeError, match="`rate`"):
        h.format_breakeven("1%")


# --------------------------------------------------------------------------
# The guarantee's own contribution (issue #12 item 10)
# --------------------------------------------------------------------------

def test_practices_of_keeps_the_practices_and_drops_the_promise():
    assert h.practices_of(h.HAMPTON_LIKE) == h.PRACTICES_ONLY
    assert h.practices_of(h.Policy(refund_share=0.5, condition="report")) == h.NO_GUARANTEE
    assert h.practices_of(h.Policy(empowered=True)) == h.Policy(guarantee=False, empowered=True)


def test_decomposition_adds_up_and_matches_direct_evaluation(draws):
    t = h.guarantee_decomposition(draws)
    assert list(t.index) == list(h.DECOMPOSITION_STEPS)
    today = h.evaluate_policy(draws, h.NO_GUARANTEE)["profit"]
    practices = h.evaluate_policy(draws, h.PRACTICES_ONLY)["profit"]
    full = h.evaluate_policy(draws, h.HAMPTON_LIKE)["profit"]
    assert t.loc["practices alone", "gain"] == pytest.approx(practices - today)
    assert t.loc["guarantee on top", "gain"] == pytest.approx(full - practices)
    assert t.loc["total over today's hotel", "gain"] == pytest.approx(full - today)
    assert t.loc["practices alone", "gain"] + t.loc["guarantee on top", "gain"] == \
        pytest.approx(t.loc["total over today's hotel", "gain"])
    # Without extra bookings the practices still pay, the promise on top does not.
    assert t.loc["practices alone", "gain_no_uplift"] == pytest.approx(t.loc["practices alone", "gain"])
    assert t.loc["guarantee on top", "gain_no_uplift"] < 0
    assert t.loc["guarantee on top", "breakeven_no_uplift"] is None
    assert t.loc["guarantee on top", "breakeven"] == h.breakeven_cheating_rate(draws)
    assert t.loc["total over today's hotel", "breakeven"] == \
        h.breakeven_cheating_rate(draws, baseline=h.NO_GUARANTEE)
    assert t.loc["practices alone", "breakeven"] is pd.NA
    assert h.format_breakeven(t.loc["practices alone", "breakeven"]) == "–"
    with pytest.raises(ValueError, match="`policy` must offer a guarantee"):
        h.guarantee_decomposition(draws, h.PRACTICES_ONLY)


def test_decomposition_on_a_hand_worked_case():
    # One guest, one stay without a problem (failure_scale=0), no cheating: the practices cost only
    # their programme, the promise adds only its extra bookings: gain = u · m · revenue.
    d = h.draw_stays(1, occupancy=0.01, seed=5)
    revenue = float(d.revenue.sum())
    t = h.guarantee_decomposition(d, failure_scale=0.0, cheating_rate=0.0, demand_uplift=0.02, margin=0.7)
    assert t.loc["practices alone", "gain"] == pytest.approx(-(40.0 + 60.0))
    assert t.loc["guarantee on top", "gain"] == pytest.approx(0.02 * 0.7 * revenue)
    assert t.loc["guarantee on top", "gain_no_uplift"] == pytest.approx(0.0)
    assert t.loc["guarantee on top", "breakeven_no_uplift"] is None       # gain 0: it never pays


# --------------------------------------------------------------------------
# Assumptions and "How sure are we?"
# --------------------------------------------------------------------------

def test_assumptions_have_ranges_around_the_values_the_model_uses():
    from casekit.sensitivity import Assumption

    assert set(h.ASSUMPTION_LABELS) == set(h.ASSUMPTIONS)
    for name, a in h.ASSUMPTIONS.items():
        assert isinstance(a, Assumption), name
        assert a.low <= a.value <= a.high and a.low < a.high, name
        assert a.unit and a.note, name
    # The values are the module's constants (or 1 for a multiplier of a tuple of constants).
    assert h.ASSUMPTIONS["cheating_rate"].value == h.CHEATING_RATE
    assert h.ASSUMPTIONS["demand_uplift"].value == h.DEMAND_UPLIFT
    assert h.ASSUMPTIONS["margin"].value == h.MARGIN
    for name in ("p_fix", "p_fix_empowered", "root_cause_cut", "fix_cost", "empower_cost_per_room",
                 "root_cause_cost_per_room", "p_report_prompted", "report_deterrence"):
        assert h.ASSUMPTIONS[name].value == getattr(h, name.upper()), name
    for name in h.ASSUMPTIONS:
        if name.endswith("_scale"):
            assert h.ASSUMPTIONS[name].value == 1.0, name


def test_other_assumptions_have_ranges_around_the_values_the_model_uses():
    import inspect

    for name, a in h.OTHER_ASSUMPTIONS.items():
        assert a.low <= a.value <= a.high and a.low < a.high and a.note, name
    assert h.OTHER_ASSUMPTIONS["occupancy"].value == inspect.signature(h.draw_stays).parameters["occupancy"].default
    assert h.OTHER_ASSUMPTIONS["rate_spread"].value == h.RATE_SPREAD
    assert h.OTHER_ASSUMPTIONS["cheat_stay_share"].value == h.CHEAT_STAY_SHARE
    assert h.OTHER_ASSUMPTIONS["uplift_kept_report"].value == h.UPLIFT_BY_CONDITION["report"]
    assert h.OTHER_ASSUMPTIONS["uplift_kept_one_claim"].value == h.UPLIFT_BY_CONDITION["one_claim"]
    assert not set(h.OTHER_ASSUMPTIONS) & set(h.ASSUMPTIONS)


def test_the_simulator_uses_the_assumed_values(draws):
    # At the assumed values the headline equals the plain evaluation; moving one changes it.
    plain = (h.evaluate_policy(draws, h.HAMPTON_LIKE)["profit"] - h.evaluate_policy(draws, h.PRACTICES_ONLY)["profit"])
    assert h.guarantee_own_gain(draws) == pytest.approx(plain)
    assert h.guarantee_own_gain(draws, **{n: a.value for n, a in h.ASSUMPTIONS.items()}) == pytest.approx(plain)
    for name in ("cheating_rate", "demand_uplift", "margin", "failure_scale", "invoke_scale", "root_cause_cut",
                 "p_fix_empowered", "stays_next_year_scale", "return_scale", "report_scale"):
        a = h.ASSUMPTIONS[name]
        assert h.guarantee_own_gain(draws, **{name: a.high}) != pytest.approx(plain), name
    # The report-condition parameters act on that design only.
    rep = h.Policy(condition="report")
    assert h.guarantee_own_gain(draws, rep, report_deterrence=0.25) != h.guarantee_own_gain(draws, rep)
    assert h.guarantee_own_gain(draws, rep, p_report_prompted=0.9) != h.guarantee_own_gain(draws, rep)
    # Manager-approval fixes act on designs without empowered staff.
    assert h.guarantee_own_gain(draws, h.Policy(), p_fix=0.5) != h.guarantee_own_gain(draws, h.Policy())
    with pytest.raises(ValueError, match="`params` may name only"):
        h.guarantee_own_gain(draws, loyalty=2)
    with pytest.raises(ValueError, match="`p_fix`"):
        h.guarantee_own_gain(draws, p_fix=1.5)


def test_how_sure_table_is_computed(draws):
    from casekit import sensitivity

    t = h.how_sure(draws)
    assert set(t.index) == set(h.ASSUMPTIONS)
    assert t.loc["fix_cost", "unit"] == "USD per fix"
    assert t.attrs["base_figure"] == pytest.approx(h.guarantee_own_gain(draws))
    # The assumptions that decide the promise's own gain move it most, and across zero.
    assert list(t.index[:2]) == ["demand_uplift", "cheating_rate"]
    assert t.loc["demand_uplift", "figure_low"] < 0 < t.loc["demand_uplift", "figure_high"]
    assert set(sensitivity.crosses(t, 0)) == {"demand_uplift", "cheating_rate"}
    # Costs both hotels pay, and fixes that need a manager (empowered in both), cannot matter.
    for name in ("empower_cost_per_room", "root_cause_cost_per_room", "p_fix", "p_report_prompted"):
        assert t.loc[name, "swing"] == pytest.approx(0.0, abs=1e-6), name
    assert t.loc["margin", "swing"] > 0


def test_compare_policies_side_by_side(draws):
    table = h.compare_policies(draws)
    assert list(table.columns) == list(h.DESIGNS)
    assert table.loc["gain_vs_first", "no guarantee"] == 0
    assert table.loc["refunds_paid", "half refund"] == pytest.approx(table.loc["refunds_paid", "bare guarantee"] / 2)


def test_hart_criteria():
    assert h.hart_criteria(h.HAMPTON_LIKE).eq(2).all()
    assert h.hart_criteria(h.NO_GUARANTEE).eq(0).all()
    half = h.hart_criteria(h.Policy(refund_share=0.5))
    assert half["meaningful"] == 1 and half["unconditional"] == 2
    rep = h.hart_criteria(h.Policy(condition="report"))
    assert rep["easy to invoke"] == 1 and rep["unconditional"] == 1
    table = h.hart_table()
    assert table.loc["score (of 10)", "Hampton-like"] == 10
    assert set(table.drop("score (of 10)").to_numpy().ravel()) <= {"yes", "partly", "no"}


def test_segment_reactions(stays):
    r = h.segment_reactions(stays)
    assert list(r.index) == list(h.SEGMENTS)
    assert (r["invoked_pct"] + r["left_silently_pct"] <= 100).all()
    assert r.loc["leisure", "invoked_pct"] > r.loc["group", "invoked_pct"]
    assert r["stays"].sum() == len(stays)


# --------------------------------------------------------------------------
# Bad arguments
# --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n_rooms": 0}, ValueError, "`n_rooms`"),
        ({"n_rooms": 2.5}, ValueError, "`n_rooms`"),
        ({"n_rooms": "200"}, TypeError, "`n_rooms`"),
        ({"occupancy": 0}, ValueError, "`occupancy`"),
        ({"occupancy": 1.2}, ValueError, "`occupancy`"),
        ({"seed": -1}, ValueError, "`seed`"),
        ({"seed": "abc"}, ValueError, "`seed`"),
        ({"segment_mix": (0.5, 0.5, 0.5)}, ValueError, "`segment_mix`"),
        ({"failure_scale": -1}, ValueError, "`failure_scale`"),
        ({"cheating_rate": 0.5}, ValueError, "`cheating_rate`"),
        ({"policy": "guarantee"}, TypeError, "`policy`"),
    ],
)
def test_bad_simulator_arguments(kwargs, exc, match):
    args = {"n_rooms": 10} | kwargs
    n = args.pop("n_rooms")
    with pytest.raises(exc, match=match):
        h.make_hotel_stays(n, **args)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"refund_share": 0}, ValueError, r"`refund_share` must be a number in \(0, 1\]"),
        ({"refund_share": 1.5}, ValueError, "`refund_share`"),
        ({"condition": "sometimes"}, ValueError, "`condition` must be one of"),
        ({"empowered": "yes"}, TypeError, "`empowered` must be True or False"),
        ({"guarantee": 1}, TypeError, "`guarantee`"),
    ],
)
def test_bad_policies(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        h.Policy(**kwargs)


def test_bad_evaluation_arguments(draws):
    with pytest.raises(TypeError, match="`draws` must be HotelDraws"):
        h.evaluate_policy(pd.DataFrame(), h.HAMPTON_LIKE)
    with pytest.raises(ValueError, match="`demand_uplift`"):
        h.evaluate_policy(draws, h.HAMPTON_LIKE, demand_uplift=-0.1)
    with pytest.raises(ValueError, match="`margin`"):
        h.evaluate_policy(draws, h.HAMPTON_LIKE, margin=2)
    with pytest.raises(ValueError, match="`policy` must offer a guarantee"):
        h.breakeven_cheating_rate(draws, h.NO_GUARANTEE)
    with pytest.raises(ValueError, match="`policies`"):
        h.compare_policies(draws, {})
    with pytest.raises(TypeError, match=r"`policies\['x'\]`"):
        h.compare_policies(draws, {"x": "no"})
    with pytest.raises(ValueError, match="`invoke_rate`"):
        h.guarantee_roi(100, 80, 0.7, 0.1, 1.5, 0.0, loyalty_gain=0.3, future_stays=2)
    with pytest.raises(ValueError, match="`stays` must have the column"):
        h.segment_reactions(pd.DataFrame({"segment": ["business"]}))


# --------------------------------------------------------------------------
# The what-if widget, driven from Python
# --------------------------------------------------------------------------

@pytest.fixture
def widget(draws):
    return h.build_guarantee_widget(draws)


def test_widget_starts_at_hampton_like_defaults(widget, draws):
    r = h.evaluate_policy(draws, h.HAMPTON_LIKE)
    assert widget.result["refunds paid (USD)"] == round(r["refunds_paid"])
    assert widget.image is not None and widget.image.value[:4] == b"\x89PNG"
    assert "break-even cheating rate" in widget.html.value
    assert widget.result["gain from the practices alone (USD)"] + widget.result["gain from the guarantee on top (USD)"] \
        == pytest.approx(round(r["profit"] - h.evaluate_policy(draws, h.NO_GUARANTEE)["profit"]), abs=1)
    assert "$" not in widget.html.value


def test_widget_half_refund_halves_refunds(widget):
    before = widget.result["refunds paid (USD)"]
    widget.controls["refund_share"].value = 0.5
    assert widget.result["refunds paid (USD)"] == pytest.approx(before / 2, abs=1)
    assert f"{widget.result['refunds paid (USD)']:,}" in widget.html.value


def test_widget_cheating_lowers_the_gain_but_not_the_breakeven(widget):
    gain0, be0 = widget.result["gain from the guarantee on top (USD)"], widget.result["break-even cheating rate of the promise"]
    widget.controls["cheating_pct"].value = 2.0
    assert widget.result["gain from the guarantee on top (USD)"] < gain0
    assert widget.result["claims paid: opportunistic"] > 0
    assert widget.result["break-even cheating rate of the promise"] == be0          # a property of the design, not of the rate


def test_widget_conditions_and_empowerment(widget):
    widget.controls["condition"].value = "report"
    assert widget.result["claims refused"] > 0
    fixed_gain = widget.result["gain from the guarantee on top (USD)"]
    widget.controls["empowered"].value = False
    assert widget.result["gain from the guarantee on top (USD)"] < fixed_gain


def test_widget_more_failures_more_refunds(widget):
    before = widget.result["refunds paid (USD)"]
    widget.controls["failure_scale"].value = 2.0
    assert widget.result["refunds paid (USD)"] > before
    assert "Cannot compute" not in widget.html.value


def test_widget_uplift_raises_gain(widget):
    before = widget.result["gain from the guarantee on top (USD)"]
    widget.controls["uplift_pct"].value = 6.0
    assert widget.result["gain from the guarantee on top (USD)"] > before
    assert widget.result["extra room-nights booked"] == round(0.06 * 200 * 365 * 0.7)


def test_whatif_function_matches_widget(draws, widget):
    widget.controls["refund_share"].value = 0.75
    assert widget.result == h.whatif_guarantee(draws, refund_share=0.75)


def test_plot_gain_curve_labels(draws):
    from casekit.plotting import new_axes

    fig, ax = new_axes()
    curve = h.guarantee_gain_curve(draws)
    h.plot_gain_curve(curve, ax=ax, current=0.001, breakeven=h.breakeven_cheating_rate(draws))
    assert ax.get_title() and "%" in ax.get_xlabel() and "USD" in ax.get_ylabel() and "$" not in ax.get_ylabel()
    assert len(ax.lines) >= 3


def test_plot_segment_reactions_and_design_gains(stays, draws):
    from casekit.plotting import new_axes

    fig, ax = new_axes()
    h.plot_segment_reactions(h.segment_reactions(stays), ax=ax)
    assert len(ax.patches) == 2 * len(h.SEGMENTS) and "%" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == list(h.SEGMENTS)
    fig, ax = new_axes()
    gains = pd.Series({"a": 10.0, "b": -5.0})
    h.plot_design_gains(gains, ax=ax)
    assert len(ax.patches) == 2 and ax.get_title() and "USD" in ax.get_xlabel()
    assert ax.patches[1].get_facecolor() != ax.patches[0].get_facecolor()     # a loss is coloured differently
    with pytest.raises(TypeError, match="`gains` must be a pandas Series"):
        h.plot_design_gains([1, 2])


def test_widget_default_uses_the_shipped_year():
    w = h.build_guarantee_widget()
    d = h.draw_stays(h.DATASET_ROOMS, seed=h.HOTEL_SEED)
    assert w.result == h.whatif_guarantee(d)
    with pytest.raises(TypeError, match="`draws` must be HotelDraws"):
        h.build_guarantee_widget("year")


def test_widget_says_never_pays_without_extra_bookings(widget):
    widget.controls["uplift_pct"].value = 0.0
    assert widget.result["break-even cheating rate of the promise"] == "never pays"
    assert widget.result["gain from the guarantee on top (USD)"] < 0 < widget.result["gain from the practices alone (USD)"]
    assert "never pays" in widget.html.value and "0.00%" not in widget.html.value


# --------------------------------------------------------------------------
# The teaching note quotes the computed figures
# --------------------------------------------------------------------------

def _note_figures(big):
    """Every figure the teaching note marks, computed as the notebook does."""
    from casekit import formatting as f
    from casekit import sensitivity

    d = h.draw_stays(h.DATASET_ROOMS, seed=h.HOTEL_SEED)
    year = h.evaluate_policy(d, h.HAMPTON_LIKE)
    chain = h.evaluate_policy(big, h.HAMPTON_LIKE)
    split = h.guarantee_decomposition(d)
    three = h.compare_policies(d, {"today": h.NO_GUARANTEE, "practices": h.PRACTICES_ONLY,
                                   "full": h.HAMPTON_LIKE})
    designs = h.compare_policies(d)
    stays = h.stays_frame(d, h.HAMPTON_LIKE)
    refunded = stays["refund_paid"] > 0
    today = h.stays_frame(d, h.NO_GUARANTEE)
    problem = today[[f"fail_{x}" for x in h.DEPARTMENTS]].any(axis=1)
    reactions = h.segment_reactions(stays)
    strict = h.stays_frame(d, h.DESIGNS["report during stay"])
    honest = strict[strict["claim_type"] == "honest"]
    sat = honest.groupby(honest["refund_paid"] > 0)["satisfaction"].mean()
    sure = h.how_sure(d)
    steady = sure.drop(index=sensitivity.crosses(sure, 0))
    be = {name: h.format_breakeven(h.breakeven_cheating_rate(d, h.DESIGNS[name]))
          for name in ("Hampton-like", "report during stay", "bare guarantee", "one claim per guest", "half refund")}
    g = designs.loc["gain_vs_first"]
    return {
        "refunds": f.money(year["refunds_paid"]),
        "refund_share": f.share(year["refunds_paid"] / d.revenue.sum(), decimals=2),
        "refunds_per_k": f"{year['refunds_per_1000_room_nights']:.1f}",
        "chain_per_k": f"{chain['refunds_per_1000_room_nights']:.1f}",
        "chain_ratio": f"{chain['repeat_to_refund']:.1f}",
        "total_gain": f.money(split.loc["total over today's hotel", "gain"]),
        "practices_gain": f.money(split.loc["practices alone", "gain"]),
        "own_gain": f.money(split.loc["guarantee on top", "gain"]),
        "own_gain_no_uplift": f.money(split.loc["guarantee on top", "gain_no_uplift"]),
        "fail_today": f.count(three.loc["stays_with_failure", "today"]),
        "fail_practices": f.count(three.loc["stays_with_failure", "practices"]),
        "fixed_today": f.count(three.loc["fixed_on_spot", "today"]),
        "fixed_practices": f.count(three.loc["fixed_on_spot", "practices"]),
        "kept_by_practices": f.count(three.loc["guests_lost", "today"] - three.loc["guests_lost", "practices"]),
        "kept_by_promise": f.count(three.loc["guests_lost", "practices"] - three.loc["guests_lost", "full"]),
        "opportunistic": f.count(year["claims_opportunistic"]),
        "paid_claims": f.count(year["claims_opportunistic"] + year["claims_honest"]),
        "own_be": h.format_breakeven(h.breakeven_cheating_rate(d)),
        "flattering_be": h.format_breakeven(h.breakeven_cheating_rate(d, baseline=h.NO_GUARANTEE)),
        "own_be_no_uplift": h.format_breakeven(split.loc["guarantee on top", "breakeven_no_uplift"]),
        "noise_share": f.share(stays.loc[refunded, "fail_noise"].sum() / refunded.sum()),
        "heard_share": f.share((today["complained"] & problem).sum() / problem.sum(), decimals=0),
        "leisure_invoked": f.percent(reactions.loc["leisure", "invoked_pct"]),
        "business_invoked": f.percent(reactions.loc["business", "invoked_pct"]),
        "group_invoked": f.percent(reactions.loc["group", "invoked_pct"]),
        "business_back_invoked": f.percent(reactions.loc["business", "came_back_if_invoked_pct"], decimals=0),
        "business_back_silent": f.percent(reactions.loc["business", "came_back_if_silent_pct"], decimals=0),
        "g_hampton": f.money(g["Hampton-like"]), "be_hampton": be["Hampton-like"],
        "g_report": f.money(g["report during stay"]), "be_report": be["report during stay"],
        "refused": f.count(designs.loc["claims_refused", "report during stay"]),
        "sat_refused": f"{sat[False]:.2f}", "sat_paid": f"{sat[True]:.2f}",
        "g_practices": f.money(g["practices only"]),
        "g_bare": f.money(g["bare guarantee"]), "be_bare": be["bare guarantee"],
        "g_one_claim": f.money(g["one claim per guest"]), "be_one_claim": be["one claim per guest"],
        "g_half": f.money(g["half refund"]), "be_half": be["half refund"],
        "steady_low": f.money(steady[["figure_low", "figure_high"]].min().min()),
    }


@pytest.mark.parametrize("folder, lang", [("", "en"), ("zh", "zh")], ids=["en", "zh"])
def test_teaching_note_quotes_the_computed_figures(big, folder, lang):
    # The Chinese note marks the same figures, formatted as the Chinese edition prints them
    # ("9,976 美元", "始终不划算").
    import re
    from pathlib import Path

    from casekit import i18n

    note = (Path(__file__).resolve().parents[1] / "exercises" / "teaching_notes" / folder / "hotel_guarantee.md"
            ).read_text(encoding="utf-8")
    quoted = re.findall(r"<!-- fig:(\w+) -->(.*?)<!-- /fig -->", note)
    with i18n.language(lang):
        figures = _note_figures(big)
    assert {name for name, _ in quoted} == set(figures), "every computed figure is quoted, and only those"
    for name, text in quoted:
        assert text == figures[name], f"teaching note quotes {name} = {text!r}, the model gives {figures[name]!r}"
    assert "$" not in note and "DOMAIN_FACTS" not in note and "shared/" not in note


def test_whatif_split_matches_direct_evaluation_after_caching(draws):
    # The what-if caches the hotels without a promise; the figures must still follow every setting.
    for fs, empowered in ((1.0, True), (1.5, True), (1.5, False)):
        r = h.whatif_guarantee(draws, failure_scale=fs, empowered=empowered, cheating_rate=0.01)
        p = h.Policy(empowered=empowered, root_cause=True)
        kw = {"failure_scale": fs, "cheating_rate": 0.01}
        today = h.evaluate_policy(draws, h.NO_GUARANTEE, **kw)["profit"]
        practices = h.evaluate_policy(draws, h.practices_of(p), **kw)["profit"]
        full = h.evaluate_policy(draws, p, **kw)["profit"]
        assert r["gain from the practices alone (USD)"] == round(practices - today)
        assert r["gain from the guarantee on top (USD)"] == round(full - practices)


# --------------------------------------------------------------------------
# The Chinese edition: the same figures, the reader's words from the catalogue
# --------------------------------------------------------------------------

def test_format_breakeven_in_chinese():
    from casekit import i18n

    with i18n.language("zh"):
        assert h.format_breakeven(None) == "始终不划算"
        assert h.format_breakeven(float("inf")) == "任何作弊率下都划算"
        assert h.format_breakeven(0.011185) == "1.12%"


def test_whatif_gives_the_same_figures_in_both_languages(draws):
    from casekit import i18n

    with i18n.language("en"):
        en = h.whatif_guarantee(draws, condition="report")
    with i18n.language("zh"):
        zh = h.whatif_guarantee(draws, condition="report")
        w = h.build_guarantee_widget(draws)
        assert w.controls["refund_share"].description == "退款比例"
        assert "美元" in w.html.value and "USD" not in w.html.value
    assert list(en.values()) == list(zh.values())
    assert "refunds paid (USD)" in en and "退款总额（美元）" in zh


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reader_tables_label_every_row_and_column(draws, stays, lang):
    import re

    from casekit import i18n

    english_word = re.compile(r"\b(?:the|of|and|to|a|over|with|per)\b")
    with i18n.language(lang):
        tables = [
            h.policy_table(h.compare_policies(draws, h.THREE_POLICIES), index="policy"),
            h.policy_table(h.compare_policies(draws), h.DESIGN_COLUMNS),
            h.decomposition_table(h.guarantee_decomposition(draws)),
            h.department_table(h.refunds_by_department(stays)),
            h.reactions_table(h.segment_reactions(stays)),
            h.segment_value_table(stays),
            h.tarp_table({o: metrics.loyalty_after_complaint(o) for o in metrics.TARP_LOYALTY.index}),
            h.hart_breakeven_table(draws),
            h.backlash_table(h.refused_claim_satisfaction(h.stays_frame(draws, h.DESIGNS["report during stay"]))),
        ]
        for table in tables:
            words = " ".join(map(str, [*table.frame.columns, *table.frame.index, table.frame.index.name or ""]))
            if lang == "zh":
                assert not english_word.search(words) and "USD" not in repr(table), words
                assert re.search(r"[\u4e00-\u9fff]", words), words
            else:
                assert not re.search(r"[\u4e00-\u9fff]", words), words
    # The numbers behind the tables are the same in both languages.
    with i18n.language("en"):
        en = h.hart_breakeven_table(draws).data
    with i18n.language("zh"):
        zh = h.hart_breakeven_table(draws).data
    assert en["score (of 10)"].tolist() == zh["score (of 10)"].tolist() == [0, 0, 9, 8, 6, 7, 10]


def test_refused_claim_satisfaction(draws):
    strict = h.stays_frame(draws, h.DESIGNS["report during stay"])
    b = h.refused_claim_satisfaction(strict)
    honest = strict[strict["claim_type"] == "honest"]
    assert b.loc["paid", "size"] + b.loc["refused", "size"] == len(honest)
    assert b.loc["refused", "mean"] < b.loc["paid", "mean"]
    by = h.refunds_by_department(h.stays_frame(draws, h.HAMPTON_LIKE))
    assert list(by.index) == list(h.DEPARTMENTS) and (by["refunded"] <= by["stays"]).all()


def test_how_sure_labels_follow_the_language(draws):
    from casekit import i18n

    with i18n.language("zh"):
        t = h.how_sure(draws)
        assert t.loc["fix_cost", "unit"] == "美元/次" and t.loc["cheating_rate", "label"] == "作弊率"
    with i18n.language("en"):
        t = h.how_sure(draws)
        # The English catalogue and the module's ASSUMPTION_LABELS / units cannot drift apart.
        assert t["label"].to_dict() == {n: h.ASSUMPTION_LABELS[n] for n in t.index}
        assert t["unit"].to_dict() == {n: h.ASSUMPTIONS[n].unit for n in t.index}


def test_draws_show_a_line_in_the_notebooks_language():
    from IPython.lib.pretty import pretty

    from casekit import i18n

    draws = h.draw_stays(h.DATASET_ROOMS, seed=h.HOTEL_SEED)
    with i18n.language("zh"):
        line = pretty(draws)
    assert line.startswith("模拟的一个酒店年度") and "住客 6,716 位" in line and "n_rooms" not in line
    with i18n.language("en"):
        assert pretty(draws).startswith("One simulated hotel-year: 100 rooms at 70% occupancy")
    assert repr(draws).startswith("HotelDraws(n_rooms=100,")  # the code form stays
