"""casekit.haidilao: the restaurant queue, the diners' loyalty chain, the
datasets and the what-if panel."""

import numpy as np
import pandas as pd
import pytest

from casekit import datasets, queueing
from casekit import haidilao as h


@pytest.fixture(scope="module")
def log():
    return pd.concat([h.make_haidilao_diners(3000, restaurant=r, seed=11) for r in ("standard", "haidilao")],
                     ignore_index=True)


@pytest.fixture(scope="module")
def styles():
    return h.compare_styles()


# ---------------------------------------------------------------- schemas

def test_diner_log_schema(log):
    assert list(log.columns) == list(h.DINER_SCHEMA)
    assert log["restaurant"].cat.ordered and list(log["restaurant"].cat.categories) == ["standard", "haidilao"]
    assert list(log["day_type"].cat.categories) == ["weekday", "weekend"]
    assert pd.api.types.is_datetime64_any_dtype(log["date"])
    for col in ("diner_id", "visit_no", "hour", "party_size", "friends_referred"):
        assert log[col].dtype == "int64", col
    for col in ("walked_away", "problem", "staff_gift", "came_back"):
        assert log[col].dtype == bool, col
    assert log["satisfaction"].dtype == "float64"


def test_diner_log_ranges_and_rules(log):
    assert log["date"].dt.year.eq(2025).all()
    assert log["hour"].between(10, 23).all() and log["party_size"].between(1, 6).all()
    assert (log["wait_min"] >= 0).all()
    walked = log["walked_away"]
    assert log.loc[walked, "satisfaction"].isna().all() and (log.loc[walked, "bill_rmb"] == 0).all()
    assert log.loc[~walked, "satisfaction"].between(1, 5).all()
    assert not (log["problem"] & walked).any() and not (log["staff_gift"] & walked).any()
    # Weekend days are weekend days.
    assert ((log["date"].dt.day_of_week >= 5) == (log["day_type"] == "weekend")).all()
    # Friends come only from delighted diners; gifts cost COMP_COST.
    assert (log.loc[log["friends_referred"] > 0, "satisfaction"] == 5).all()
    assert set(log["gift_rmb"].unique()) <= {0.0, h.COMP_COST}
    # Visit numbers run 1, 2, ... per diner and restaurant, in date order.
    g = log.sort_values("date", kind="stable").groupby(["restaurant", "diner_id"], observed=True)["visit_no"]
    assert (g.cumcount() + 1 == log.sort_values("date", kind="stable")["visit_no"]).all()
    # A diner who did not come back has no later visit.
    last = log.groupby(["restaurant", "diner_id"], observed=True)["visit_no"].transform("max")
    assert (~log.loc[log["visit_no"] == last, "came_back"]).all()


def test_standard_restaurant_has_no_gifts(log):
    std = log[log["restaurant"] == "standard"]
    assert not std["staff_gift"].any() and (std["gift_rmb"] == 0).all()


def test_day_log_schema_and_rules():
    d = h.make_haidilao_days(30, seed=3)
    assert list(d.columns) == list(h.DAY_SCHEMA)
    assert (d["parties_served"] + d["walked_away"] == d["parties_arrived"]).all()
    assert np.allclose(d["turns"], d["parties_served"] / h.TABLES, atol=1e-3)
    assert np.allclose(d["revpash_rmb"], d["revenue_rmb"] / (h.TABLES * h.SEATS_PER_TABLE * 14), atol=0.01)
    assert d.loc[d["day_type"] == "weekend", "parties_arrived"].mean() > d.loc[d["day_type"] == "weekday",
                                                                              "parties_arrived"].mean()
    # Weekend waitlists are longer, and a long list means a long quoted wait.
    peak = d.groupby("day_type", observed=True)["peak_waitlist"].mean()
    assert peak["weekend"] > 1.5 * peak["weekday"]
    assert (d["peak_wait_min"] >= 0).all() and d["peak_wait_min"].corr(d["peak_waitlist"]) > 0.9


# ---------------------------------------------------------------- seeds

def test_same_seed_same_frame_and_different_seeds_differ():
    pd.testing.assert_frame_equal(h.make_haidilao_diners(200, seed=5), h.make_haidilao_diners(200, seed=5))
    assert not h.make_haidilao_diners(200, seed=5).equals(h.make_haidilao_diners(200, seed=6))
    pd.testing.assert_frame_equal(h.make_haidilao_days(20, seed=5), h.make_haidilao_days(20, seed=5))
    assert not h.make_haidilao_days(20, seed=5).equals(h.make_haidilao_days(20, seed=6))


def test_common_random_numbers_same_first_visits(log):
    first = log[log["visit_no"] == 1].set_index(["diner_id", "restaurant"])[["date", "party_size"]].unstack()
    assert first[("date", "standard")].equals(first[("date", "haidilao")])
    assert first[("party_size", "standard")].equals(first[("party_size", "haidilao")])


def test_global_random_state_untouched():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    h.make_haidilao_diners(50, seed=np.random.default_rng(1))
    assert np.random.random() == before


# ---------------------------------------------------------------- calibration

def test_turnover_calibrated_to_haidilao_reports(styles):
    # Haidilao reported 4.0–5.0 turns a day in 2015–2019 (prospectus; annual results).
    assert 4.0 <= styles.loc["haidilao", "turns"] <= 5.0
    assert styles.loc["standard", "turns"] < styles.loc["haidilao", "turns"]


def test_spend_per_guest_about_100(log):
    served = log[~log["walked_away"]]
    per_guest = served["bill_rmb"].sum() / served["party_size"].sum()
    assert 94.6 <= per_guest <= 110.1   # Haidilao's reported range, 2017–2020


def test_haidilao_style_more_loyal_on_the_same_demand(styles, log):
    assert styles.loc["haidilao", "repeat_rate"] > styles.loc["standard", "repeat_rate"] + 0.02
    assert styles.loc["haidilao", "satisfied_share"] > styles.loc["standard", "satisfied_share"] + 0.05
    assert styles.loc["haidilao", "profit"] > styles.loc["standard", "profit"]
    # Copying the perks without the empowered staff cuts walk-aways but buys almost no loyalty.
    assert abs(styles.loc["perks_only", "repeat_rate"] - styles.loc["standard", "repeat_rate"]) < 0.01
    assert styles.loc["perks_only", "walk_share"] < styles.loc["standard", "walk_share"]
    gain_perks = styles.loc["perks_only", "profit"] - styles.loc["standard", "profit"]
    gain_full = styles.loc["haidilao", "profit"] - styles.loc["standard", "profit"]
    assert 0 < gain_perks < 0.3 * gain_full
    sat = log[~log["walked_away"]].groupby("restaurant", observed=True)["satisfaction"].mean()
    assert sat["haidilao"] > sat["standard"]


def test_log_agrees_with_the_store_model(log):
    # The log (agent by agent) and the store model (cached draws) use the same rules.
    for name in ("standard", "haidilao"):
        model = h.store_model(**h.STYLES[name])
        part = log[log["restaurant"] == name]
        assert part["walked_away"].mean() == pytest.approx(model["walk_share"], abs=0.015)
        served = part[~part["walked_away"]]
        assert (served["satisfaction"] >= 4).mean() == pytest.approx(model["satisfied_share"], abs=0.03)


def test_perceived_wait_and_walkaways_fall_with_perks():
    # An idle wait feels 1.36 times the clock (Larson); a fully occupied one feels like the clock.
    # So lavish perks cut the felt wait by 0.36 / 1.36 = 26.5%, not by 36%. Hand-worked:
    assert h.MAX_PERK_CUT == pytest.approx(0.2647, abs=1e-4)
    assert h.perceived_wait_factor(0.0) == 1.0
    assert h.perceived_wait_factor(1000.0) == pytest.approx(1 / 1.36)
    assert h.perceived_wait_factor(6.0) == pytest.approx(1 - 0.36 / 1.36 * (1 - np.exp(-1)))
    q0 = h.queue_day(600, perks=0.0)
    q1 = h.queue_day(600, perks=20.0)
    assert (q1["served"].sum() - q0["served"].sum()) > 5
    # Busier slots wait longer: weekend 18:00 against weekday 15:00.
    wk = q0.groupby(["day_type", "hour"])["mean_wait_min"].max()
    assert wk[("weekend", 18)] > 30 > 1 > wk[("weekday", 15)]


# ---------------------------------------------------------------- the transient queue

def test_queue_day_slots_and_flow():
    q = h.queue_day(600)
    assert len(q) == 2 * 18 * 4 and list(q["day_type"].unique()) == ["weekday", "weekend"]
    # The arrivals are the day's parties (weekday 600·7/7.8, weekend 1.4 times that).
    per_day = q.groupby("day_type")["arrivals"].sum()
    assert per_day["weekday"] == pytest.approx(600 * 7 / 7.8)
    assert per_day["weekend"] == pytest.approx(600 * 7 / 7.8 * 1.4)
    # No arrivals after midnight, and the list is empty again by the end of the night.
    assert (q.loc[q["clock"] >= 24, "arrivals"] == 0).all()
    assert q.groupby("day_type")["waitlist"].last().max() < 0.5
    assert ((q["walk_share"] >= 0) & (q["walk_share"] < 1)).all() and (q["utilisation"] <= 1 + 1e-9).all()


def test_queue_carries_over_after_the_peak():
    # A steady-state (hour by hour) model has no queue in an hour whose arrivals are below capacity;
    # the transient model still has one, left over from the peak before it.
    q = h.queue_day(600).set_index(["day_type", "clock"])
    capacity = h.TABLES * 60 / (h.DINING_MINUTES + h.RESET_MINUTES)      # parties per hour
    rate_21 = q.loc[("weekend", 21.0), "arrivals"] * 4
    assert rate_21 < 0.6 * capacity
    assert q.loc[("weekend", 21.0), "waitlist"] > 10
    # Every extra perk-kept party is served later, when arrivals have fallen.
    assert q.loc[("weekend", 19.75), "waitlist"] > q.loc[("weekend", 17.0), "waitlist"]


def test_transient_agrees_with_erlang_c_in_a_steady_off_peak_hour():
    # Weekday 15:00–16:00: few arrivals, tables far from full; lunch is long cleared.
    q = h.queue_day(600)
    slot = q[(q["day_type"] == "weekday") & (q["clock"] == 15.75)].iloc[0]
    lam = slot["arrivals"] * 4
    mu = 60 / (h.DINING_MINUTES + h.RESET_MINUTES)
    erlang = queueing.mmc(lam, mu, h.TABLES).iloc[0]
    assert erlang["utilisation"] < 0.5
    assert slot["mean_wait_min"] == pytest.approx(60 * erlang["mean_wait"], abs=0.5)
    assert slot["p_wait"] == pytest.approx(erlang["p_wait"], abs=0.02)


# ---------------------------------------------------------------- calibration to the press reports

def test_calibration_to_waitlists_turns_and_spend():
    cal = h.calibration()
    assert cal["within"].all(), cal[~cal["within"]]
    # The figures themselves, with the tolerances stated in casekit.haidilao.calibration:
    m = cal["model"]
    assert 4.0 <= m["table turns per day"] <= 5.0                       # prospectus / results
    # China Daily: about 100 people on an evening, double at weekends; 3.14 guests a party.
    assert h.WAITLIST_PARTIES == pytest.approx((100 / 3.14, 200 / 3.14))
    assert 0.75 * 31.8 <= m["peak waitlist, weekday (parties)"] <= 1.25 * 31.8
    assert 0.75 * 63.7 <= m["peak waitlist, weekend (parties)"] <= 1.25 * 63.7
    assert 1.5 <= m["weekend ÷ weekday waitlist"] <= 2.5                 # "doubling at weekends"
    assert 30 <= m["peak wait, weekday (minutes)"] <= 90
    assert 30 <= m["peak wait, weekend (minutes)"] <= 90
    assert h.GUESTS_PER_STORE_DAY == pytest.approx(962.9, abs=0.5)
    assert h.GUESTS_PER_STORE_DAY <= m["guests per store-day"] <= 2 * h.GUESTS_PER_STORE_DAY


def test_perks_cut_peak_walkaways_and_their_value_is_computed():
    v = h.perk_value(10.0)
    assert v["peak_walk_share_without"] - v["peak_walk_share"] > 0.03
    assert v["walk_share"] < v["walk_share_without"] and v["parties_kept"] > 3
    assert v["revenue_kept"] == pytest.approx(v["parties_kept"] * h.MEAN_PARTY * h.SPEND_PER_GUEST)
    assert v["value"] == pytest.approx(v["revenue_kept"] * (1 - h.FOOD_COST_SHARE) - v["perk_cost"])
    assert v["perk_cost"] > 0 and v["revenue_less_cost"] > v["value"]
    # Small perks are nearly free and still keep parties; lavish ones cost more than they keep.
    assert h.perk_value(3.0)["value"] > h.perk_value(30.0)["value"]
    assert h.perk_value(30.0)["value"] < 0


def test_spend_curve_for_perks_has_an_interior_peak():
    c = h.spend_curve([0, 5, 10, 20, 30], lever="perks")
    best = c["profit"].idxmax()
    assert 0 < best < 30 and c["marginal_profit"].iloc[-1] < 0
    assert c["walk_share"].iloc[-1] < c["walk_share"].iloc[0]


def test_plot_day_queues_draws_both_days():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    v = h.perk_value()
    ax = h.plot_day_queues({"with perks": v["queue"], "without perks": v["queue_without"]})
    assert len(ax.lines) == 4 and "weekend, without perks" in [l.get_label() for l in ax.lines]
    assert ax.get_ylabel() == "Parties waiting (parties)"
    plt.close("all")


# ---------------------------------------------------------------- formulas

def test_comp_shares_hand_worked():
    # 3 RMB per party with 30 RMB gifts: 10% of parties; problems are 12%, so 10/12 fixed, none surprised.
    fixed, surprised, bonus = h.comp_shares(3.0)
    assert fixed == pytest.approx(0.10 / 0.12) and surprised == 0.0 and bonus == pytest.approx(0.8)
    # 6 RMB: 20%, all problems fixed, (0.20 − 0.12) / 0.88 of the others surprised.
    fixed, surprised, bonus = h.comp_shares(6.0)
    assert fixed == 1.0 and surprised == pytest.approx(0.08 / 0.88)
    assert bonus == pytest.approx(0.8 * np.exp(-(0.08 / 0.88) / 0.3))


def test_day_summary_hand_worked():
    q = pd.DataFrame({"day_type": ["weekday", "weekend"], "hour": [12, 12], "arrivals": [70.0, 140.0],
                      "served": [63.0, 126.0], "mean_wait_min": [10.0, 20.0], "waiting_parties": [7.0, 14.0]})
    s = h.day_summary(q, tables=10, perks=5.0, empowerment=2.0)
    served = 5 / 7 * 63 + 2 / 7 * 126   # 81
    assert s["served"] == pytest.approx(served) and s["turns"] == pytest.approx(served / 10)
    assert s["walk_share"] == pytest.approx(0.1)
    assert s["revenue"] == pytest.approx(served * h.MEAN_PARTY * 100)
    assert s["revpash"] == pytest.approx(s["revenue"] / (10 * 4 * 14))
    assert s["perks_cost"] == pytest.approx(5 * (5 / 7 * 7 + 2 / 7 * 14))
    assert s["comps_cost"] == pytest.approx(2 * served)
    assert s["profit"] == pytest.approx(s["revenue"] * 0.6 - s["perks_cost"] - s["comps_cost"] - 600 * 10)


def test_loyalty_summary_hand_worked():
    out = {"score": np.array([5.0, 5.0, 3.0, np.nan]), "walked": np.array([False, False, False, True]),
           "return_p": np.array([0.85, 0.85, 0.35, 0.25])}
    s = h.loyalty_summary(out)
    r = (0.85 + 0.85 + 0.35 + 0.25) / 4
    assert s["repeat_rate"] == pytest.approx(r) and s["visits_per_diner"] == pytest.approx(1 / (1 - r))
    assert s["satisfied_share"] == pytest.approx(2 / 3) and s["delighted_share"] == pytest.approx(2 / 3)
    net = (0.08 * 2 * 4.5 - 0.04 * 1 * 9.5) / 4
    assert s["net_referrals"] == pytest.approx(net)
    assert s["demand_multiplier"] == pytest.approx((1 / (1 - r)) / (1 - (1 / (1 - r)) * net))


def test_mean_party_and_published_figures():
    assert h.MEAN_PARTY == pytest.approx(3.14)
    t = h.TURNOVER_BY_YEAR.set_index("year")
    assert t.loc["2020", "turnover_per_day"] == 3.5 and t.loc["2019", "stores"] == 768


def test_spend_curve_finds_where_gifts_stop_paying():
    c = h.spend_curve([0, 3, 6, 12, 30])
    best = c["profit"].idxmax()
    assert 0 < best < 30
    assert c.loc[30, "profit"] < c.loc[best, "profit"] and c.loc[0, "profit"] < c.loc[best, "profit"]
    assert c["marginal_profit"].iloc[-1] < 0 and np.isnan(c["marginal_profit"].iloc[0])


def test_expansion_lowers_turnover():
    e = h.expansion_path([0.0, 0.69, 1.5])
    assert e["turns"].is_monotonic_decreasing and e["new_parties"].is_monotonic_decreasing
    assert not e.loc[0.0, "below_floor"] and e.loc[1.5, "below_floor"]


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: h.make_haidilao_diners(0), ValueError, r"`n` must be a whole number in \[1, inf\), got 0"),
        (lambda: h.make_haidilao_diners(10, restaurant="fancy"), ValueError, r"`restaurant` must be one of"),
        (lambda: h.make_haidilao_diners(10, seed=-2), ValueError, r"`seed` must be None"),
        (lambda: h.make_haidilao_days(0), ValueError, r"`n_days` must be a whole number"),
        (lambda: h.store_model(new_parties=0), ValueError, r"`new_parties` must be a number in \(0, inf\)"),
        (lambda: h.store_model(tables=2.5), ValueError, r"`tables` must be a whole number"),
        (lambda: h.store_model(perks=-1), ValueError, r"`perks` must be a number in \[0, inf\), got -1"),
        (lambda: h.store_model(empowerment="lots"), TypeError, r"`empowerment` must be a number"),
        (lambda: h.store_model(service_dilution=1.5), ValueError, r"`service_dilution` must be a number in \[0, 1\]"),
        (lambda: h.store_model(draws="x"), TypeError, r"`draws` must be a DinerDraws"),
        (lambda: h.queue_day(-5), ValueError, r"`daily_parties` must be a number in \[0, inf\)"),
        (lambda: h.spend_curve([5, 1]), ValueError, r"`budgets` must be at least two increasing numbers"),
        (lambda: h.spend_curve([0, 1], lever="music"), ValueError, r"`lever` must be one of"),
        (lambda: h.expansion_path([-0.5]), ValueError, r"`growth` must be a list of numbers >= 0"),
        (lambda: h.expansion_path([0.5], cannibalisation=2), ValueError, r"`cannibalisation` must be a number in \[0, 1\]"),
        (lambda: h.compare_styles(["luxury"]), ValueError, r"`styles` must be one of"),
        (lambda: h.perk_value(-2), ValueError, r"`perks` must be a number in \[0, inf\), got -2"),
        (lambda: h.plot_day_queues({}), TypeError, r"`queues` must be a non-empty dict"),
        (lambda: h.plot_day_queues({"a": h.queue_day(100)}, what="queue"), ValueError, r"`what` must be one of"),
        (lambda: h.queue_day(100, patience_minutes=0), ValueError, r"`patience_minutes` must be a number in \(0, inf\)"),
        (lambda: h.simulate_day_queue([-1.0], [False]), ValueError, r"`daily_parties` must be 1 to 2,000 numbers"),
        (lambda: h.simulate_day_queue([100.0], [False, True]), ValueError, r"`weekend` must be booleans, one per day"),
        (lambda: h.simulate_day_queue([100.0], [False], dining_cv=-0.1), ValueError, r"`dining_cv` must be a number"),
        (lambda: h.dining_time_check(days=2), ValueError, r"`days` must be a whole number in \[5, 500\]"),
        (lambda: h.style_gain("standard"), ValueError, r"`style` must be one of"),
        (lambda: h.style_gain(figure="revenue"), ValueError, r"`figure` must be one of"),
        (lambda: h.style_gain(problem_rate="high"), TypeError, r"`problem_rate` must be a number"),
    ],
)
def test_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------- datasets and widget

@pytest.mark.parametrize("name", ["haidilao_diners", "haidilao_days"])
def test_shipped_csv_equals_the_simulator(name):
    ds = {d.name: d for d in h.DATASETS}[name]
    shipped = datasets._coerce(pd.read_csv(ds.csv_path), ds)
    rebuilt = datasets._coerce(ds.build()[list(ds.columns)], ds)
    pd.testing.assert_frame_equal(shipped, rebuilt, check_exact=False, rtol=1e-12, atol=1e-9)
    assert ds.csv_path.stat().st_size < 2_000_000


def test_widget_moves_the_right_way():
    w = h.build_store_widget()
    base = dict(w.result)
    assert 4.0 <= base["table turns per day"] <= 5.0
    w.controls["empowerment"].value = 0.0
    assert w.result["repeat rate (%)"] < base["repeat rate (%)"]
    assert w.result["table turns per day"] < base["table turns per day"]
    w.controls["empowerment"].value = 6.0
    w.controls["new_parties"].value = 250.0
    assert w.result["parties arriving per day"] > base["parties arriving per day"]
    assert w.result["walk-aways (% of parties)"] > base["walk-aways (% of parties)"]
    w.controls["tables"].value = 80
    assert "walk-aways" in w.html.value and "peak waitlist" in w.html.value and w.image.value
    assert w.error is None


# ---------------------------------------------------------------- the store's balance (grid search, cache)

def test_store_model_balance_and_cache():
    r = h.store_model(**h.STYLES["haidilao"])
    # The balance: parties per day = new parties × the multiplier the day's own outcomes give.
    # (within 1%: the multiplier moves in small steps, as 3,000 fixed draws cross thresholds)
    assert r["arrivals"] == pytest.approx(h.NEW_PARTIES * r["demand_multiplier"], rel=1e-2)
    # The vectorised multiplier equals loyalty_summary's.
    assert h._demand_multipliers(r["outcomes"]) == pytest.approx(r["demand_multiplier"])
    # A cached result is a copy: changing it does not change the next call.
    r["queue"]["waitlist"] = -1.0
    assert (h.store_model(**h.STYLES["haidilao"])["queue"]["waitlist"] >= 0).all()


# ---------------------------------------------------------------- realistic dining times (event simulation)

def test_event_simulation_matches_erlang_c_with_exponential_dining():
    # Steady demand all day, exponential dining times, nobody walks away (huge patience):
    # the simulated chance of waiting in mid-afternoon matches Erlang C for 30 tables.
    lam_hour = 14.0                                     # parties an hour
    mu = 60 / (h.DINING_MINUTES + h.RESET_MINUTES)
    erl = queueing.mmc(lam_hour, mu, 30).iloc[0]
    # A flat profile: patch the arrival profile for this test only.
    flat = h._profiles().copy()
    flat[:, :h._N_ARRIVAL_SLOTS] = 1.0 / h._N_ARRIVAL_SLOTS
    flat[:, h._N_ARRIVAL_SLOTS:] = 0.0
    old = h._profiles
    h._profiles = lambda: flat
    try:
        sim = h.simulate_day_queue(np.full(60, lam_hour * 14), np.zeros(60, bool), tables=30,
                                   dining_cv=None, patience_minutes=1e9, seed=3)
    finally:
        h._profiles = old
    mid = slice(4 * 5, 4 * 12)                           # 15:00–22:00, long after opening
    p_wait = sim["waiting"][:, mid].sum() / sim["joined"][:, mid].sum()
    assert p_wait == pytest.approx(erl["p_wait"], abs=0.05)
    assert sim["joined"].sum() == sim["arrivals"].sum()  # nobody left


def test_event_simulation_is_seeded_and_realistic_dining_lengthens_the_peak():
    a = h.simulate_day_queue([500.0, 700.0], [False, True], seed=4)
    b = h.simulate_day_queue([500.0, 700.0], [False, True], seed=4)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    t = h.dining_time_check(days=20)
    fluid, sim_exp, real = (t.loc[i] for i in t.index)
    # The event simulation with exponential dining checks the fluid model (within 20%) ...
    assert sim_exp["peak_waitlist_weekend"] == pytest.approx(fluid["peak_waitlist_weekend"], rel=0.2)
    # ... and realistic dining times (CV 0.2) make the evening list longer and send more parties away.
    assert real["peak_waitlist_weekday"] > 1.15 * sim_exp["peak_waitlist_weekday"]
    assert real["walk_share"] > sim_exp["walk_share"]
    assert (t["parties_kept"] > 0).all()


# ---------------------------------------------------------------- assumptions and "How sure are we?"

def test_assumptions_have_ranges_and_are_the_values_used():
    for name, a in h.ASSUMPTIONS.items():
        assert a.low <= a.value <= a.high, name
        assert a.low < a.high and a.unit and a.note, name
        assert getattr(h, name.upper()) == a.value, name
    assert set(h.GAIN_ASSUMPTIONS) <= set(h.ASSUMPTIONS)


def test_style_gain_moves_with_what_matters_and_restores_the_constants():
    from casekit import sensitivity
    base = h.style_gain()
    assert base > 0
    # Hand check: the gain is the Haidilao-style profit minus the standard one.
    hd, std = (h.store_model(**h.STYLES[k])["profit"] for k in ("haidilao", "standard"))
    assert base == pytest.approx(hd - std)
    t = sensitivity.tornado(h.style_gain, {k: h.ASSUMPTIONS[k] for k in ("problem_rate", "comp_cost",
                                                                       "fixed_cost_per_table_day")})
    assert t.loc["problem_rate", "swing"] > 1000 and t.loc["comp_cost", "swing"] > 0
    assert t.loc["fixed_cost_per_table_day", "swing"] == 0      # the same in both styles
    assert h.PROBLEM_RATE == 0.12 and h.COMP_COST == 30.0       # restored after the calls
    # The perks alone: a larger felt-wait effect makes them worth more.
    assert h.style_gain("perks_only", idle_overestimate=0.5) > h.style_gain("perks_only", idle_overestimate=0.2)
    with pytest.raises(ValueError, match="`params` must be one of"):
        h.style_gain(tables_per_waiter=3)


# ---------------------------------------------------------------- the teaching note quotes the model

@pytest.mark.parametrize("note_path", ["exercises/teaching_notes/haidilao.md",
                                       "exercises/teaching_notes/zh/haidilao.md"])
def test_teaching_note_figures_equal_the_computed_ones(note_path):
    import re
    from pathlib import Path

    from casekit import formatting, sensitivity

    note = (Path(__file__).resolve().parents[1] / note_path).read_text(encoding="utf-8")
    quoted = dict((name, text) for text, name in re.findall(r"\*\*([^*]+)\*\*<!-- fig:(\w+) -->", note))
    styles = h.compare_styles()
    hd, std = styles.loc["haidilao"], styles.loc["standard"]
    base = h.store_model(**h.STYLES["haidilao"])
    perks = h.perk_value(10.0)
    dining = h.dining_time_check()
    real, fluid = dining.loc["simulation, realistic"], dining.loc["fluid model, exponential"]
    cny = lambda x: formatting.money(x, "CNY")  # noqa: E731
    assumptions = {k: h.ASSUMPTIONS[k] for k in h.GAIN_ASSUMPTIONS}
    full = sensitivity.tornado(h.style_gain, assumptions)
    only = sensitivity.tornado(lambda **p: h.style_gain("perks_only", **p), assumptions)
    ends = lambda t: t[["figure_low", "figure_high"]].to_numpy()  # noqa: E731
    computed = {
        "turns_hd": f"{base['turns']:.2f}", "wl_wd": f"{base['peak_waitlist_weekday']:.0f}",
        "wl_we": f"{base['peak_waitlist_weekend']:.0f}", "wait_wd": f"{base['peak_wait_min_weekday']:.0f}",
        "wait_we": f"{base['peak_wait_min_weekend']:.0f}", "walk_hd": f"{base['walk_share']:.1%}",
        "revpash_hd": f"¥{base['revpash']:.1f}",
        "real_wl_wd": f"{real['peak_waitlist_weekday']:.0f}", "real_wl_we": f"{real['peak_waitlist_weekend']:.0f}",
        "real_walk": f"{real['walk_share']:.1%}",
        "peak_walk_without": f"{perks['peak_walk_share_without']:.1%}",
        "peak_walk_with": f"{perks['peak_walk_share']:.1%}", "kept": f"{fluid['parties_kept']:.1f}",
        "kept_real": f"{real['parties_kept']:.1f}", "perk_value": cny(perks["value"]),
        "turns_std": f"{std['turns']:.2f}", "sat_std": f"{std['satisfied_share']:.1%}",
        "sat_hd": f"{hd['satisfied_share']:.1%}", "mult_std": f"{std['demand_multiplier']:.2f}",
        "mult_hd": f"{hd['demand_multiplier']:.2f}", "profit_std": cny(std["profit"]), "profit_hd": cny(hd["profit"]),
        "gain_perks": cny(styles.loc["perks_only", "profit"] - std["profit"]),
        "gain_full": cny(hd["profit"] - std["profit"]),
        "perks_part": f"{(styles.loc['perks_only', 'profit'] - std['profit']) / (hd['profit'] - std['profit']):.0%}",
        "turns_2020": f"{h.expansion_path([0.69], cannibalisation=1.0).loc[0.69, 'turns']:.2f}",
        "full_min": cny(ends(full).min()), "full_max": cny(ends(full).max()),
        "perks_min": cny(ends(only).min()), "perks_max": cny(ends(only).max()),
    }
    assert set(quoted) == set(computed), set(quoted) ^ set(computed)
    wrong = {k: (quoted[k], computed[k]) for k in computed if quoted[k] != computed[k]}
    assert not wrong, f"teaching note figures differ from the model (note, model): {wrong}"


# ---------------------------------------------------------------- what readers see, in both languages

def test_reader_tables_are_labelled_and_translated_in_both_languages():
    from casekit import i18n

    styles = h.compare_styles(["standard", "haidilao"])
    with i18n.language("en"):
        en = h.table(styles, columns=["turns", "profit"])
    with i18n.language("zh"):
        zh = h.table(styles, columns=["turns", "profit"])
    assert list(en.frame.columns) == ["Table turns", "Profit per day"]
    assert list(zh.frame.columns) == ["翻台率", "每天利润"]
    assert list(en.frame.index) == ["standard", "Haidilao-style"]
    assert list(zh.frame.index) == ["普通餐厅", "海底捞式"]
    assert en.frame.index.name == "Service style" and zh.frame.index.name == "服务模式"
    # The same figures in both (money as ¥ in both editions).
    assert en.frame["Table turns"].tolist() == zh.frame["翻台率"].tolist()
    assert en.frame["Profit per day"].tolist() == zh.frame["每天利润"].tolist()
    # Booleans read yes/no in the reader's language; source notes are translated.
    with i18n.language("zh"):
        cal = h.table(h.calibration())
        turnover = h.turnover_table()
    assert set(cal.frame["在范围内"]) <= {"是", "否"}
    assert "2018 年招股书 [M]" in turnover.frame["来源"].tolist()
    assert "2024 上半年" in list(turnover.frame.index)
    with pytest.raises(ValueError, match="does not know"):
        h.table(styles.assign(mystery=1.0))


def test_reader_messages_and_labels_exist_in_both_languages():
    from casekit import i18n

    for lang in ("en", "zh"):
        with i18n.language(lang):
            labels = h.gain_labels()
            assert set(labels) == set(h.GAIN_ASSUMPTIONS) and all(labels.values())
            r = h.whatif_store(10.0, 6.0)
            assert len(r) == 11
    with i18n.language("zh"):
        assert "每天翻台率" in h.whatif_store(10.0, 6.0)
        assert h.settings_table().frame.index[0] == "餐桌数"


def test_reader_helpers_compute_what_the_notebook_used_to():
    diners = __import__("casekit.datasets", fromlist=["load"]).load("haidilao_diners")
    served = diners[~diners["walked_away"]]
    assert h.spend_per_guest(diners) == pytest.approx(served["bill_rmb"].sum() / served["party_size"].sum())
    back = h.return_by_score(diners)
    hand = served[served["restaurant"] == "haidilao"].groupby("satisfaction")["came_back"].mean()
    np.testing.assert_allclose(back["back_haidilao"].to_numpy(), hand.to_numpy())
    funnel = h.first_visit_funnel(diners, "haidilao")
    first = diners[(diners["restaurant"] == "haidilao") & (diners["visit_no"] == 1) & ~diners["walked_away"]]
    assert funnel["count"].iloc[0] == len(first)
    assert (np.diff(funnel["count"].to_numpy()) <= 0).all()
    fixes = h.problem_fixes(diners)
    assert fixes["problem_parties"].sum() == int(served["problem"].sum())
    peaks = h.waitlist_peaks(h.store_model(**h.STYLES["haidilao"])["queue"])
    assert peaks.loc["weekend", "peak"] > peaks.loc["weekday", "peak"] > peaks.loc["weekday", "at_21"]
    with pytest.raises(ValueError, match="`restaurant` must be one of"):
        h.first_visit_funnel(diners, "hotel")
