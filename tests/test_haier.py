"""Haier (海尔) case: the service-records simulator, the SQLite database, the
closed loop, the service-network model and its what-if widget."""

import sqlite3

import numpy as np
import pandas as pd
import pytest

from casekit import cases, datasets, haier, i18n, metrics, sqlkit


@pytest.fixture(scope="module")
def rec():
    return haier.default_records()


@pytest.fixture(scope="module")
def kpis(rec):
    return haier.yearly_kpis(rec.tickets)


# --------------------------------------------------------------------------
# Schema and ranges
# --------------------------------------------------------------------------

@pytest.mark.parametrize("table, schema", [
    ("customers", haier.CUSTOMER_SCHEMA), ("appliances", haier.APPLIANCE_SCHEMA),
    ("tickets", haier.TICKET_SCHEMA), ("upgrades", haier.UPGRADE_SCHEMA)])
def test_columns_in_schema_order(rec, table, schema):
    assert list(rec.tables()[table].columns) == list(schema)


def test_dtypes(rec):
    t, a, c = rec.tickets, rec.appliances, rec.customers
    for col in ("requested_at", "dispatched_at", "arrived_at", "fixed_at"):
        assert pd.api.types.is_datetime64_any_dtype(t[col]), col
    assert t["follow_up_call"].dtype == bool and t["fed_back_to_rnd"].dtype == bool
    assert t["revisits"].dtype == "int64" and t["satisfaction"].dtype == "float64"
    assert list(t["category"].cat.categories) == list(haier.CATEGORIES)
    assert list(a["product"].cat.categories) == list(haier.PRODUCTS)
    assert list(c["area"].cat.categories) == list(haier.AREAS)
    assert pd.api.types.is_datetime64_any_dtype(a["sold_on"])


def test_ranges_and_order_of_events(rec):
    t, a = rec.tickets, rec.appliances
    assert (t["dispatched_at"] >= t["requested_at"]).all()
    assert (t["arrived_at"] >= t["dispatched_at"]).all()
    fixed = t["fixed_at"].notna()
    assert (t.loc[fixed, "fixed_at"] >= t.loc[fixed, "arrived_at"]).all()
    assert t["revisits"].between(0, 20).all()
    assert (t.loc[~fixed, "revisits"] >= 1).all()  # never fixed means the first visit failed
    s = t["satisfaction"]
    assert s.dropna().isin([1, 2, 3, 4, 5]).all()
    assert s.notna().eq(t["follow_up_call"]).all()  # satisfaction only from a follow-up call
    assert t["requested_at"].is_monotonic_increasing
    assert t["ticket_id"].tolist() == list(range(1, len(t) + 1))
    assert t["requested_at"].min().year == haier.FIRST_YEAR
    assert t["requested_at"].max() <= haier.END_DATE
    hours = t["requested_at"].dt.hour
    assert hours.between(8, 19).all()  # hotline calls in the day
    assert a["price_yuan"].gt(0).all()
    assert a["purchase_no"].isin([1, 2]).all()
    assert (a["model_year"] == a["sold_on"].dt.year).all()
    # keys: every ticket's appliance and customer exist, and match
    merged = t.merge(a[["appliance_id", "customer_id"]], on="appliance_id", suffixes=("", "_a"))
    assert len(merged) == len(t) and (merged["customer_id"] == merged["customer_id_a"]).all()
    # a ticket comes within the 3-year service window of its appliance
    m = t.merge(a[["appliance_id", "sold_on"]], on="appliance_id")
    assert ((m["requested_at"] - m["sold_on"]) <= pd.Timedelta(days=3 * 365.25 + 1)).all()


def test_sizes_stay_small():
    assert haier.DB_PATH.stat().st_size < 4_000_000
    for name in ("haier_customers", "haier_appliances", "haier_tickets", "haier_upgrades"):
        assert datasets.get(name).csv_path.stat().st_size < 2_000_000


# --------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------

def test_same_seed_same_records():
    a = haier.make_haier_records(800, seed=7)
    b = haier.make_haier_records(800, seed=7)
    for name in a.tables():
        pd.testing.assert_frame_equal(a.tables()[name], b.tables()[name])


def test_different_seeds_differ():
    a = haier.make_haier_records(800, seed=7).tickets
    b = haier.make_haier_records(800, seed=8).tickets
    assert len(a) != len(b) or not a["requested_at"].equals(b["requested_at"])


def test_generator_seed_is_used_not_global_state():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    haier.make_haier_records(100, seed=np.random.default_rng(3))
    assert np.random.random() == before


# --------------------------------------------------------------------------
# The database: committed file == fresh rebuild, row for row
# --------------------------------------------------------------------------

def _dump(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        rows = {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                for t in ("customers", "appliances", "tickets", "upgrades")}
    finally:
        con.close()
    return schema, rows


def test_committed_database_equals_fresh_rebuild(tmp_path):
    fresh = haier.build_database(tmp_path / "fresh.sqlite",
                                 records=haier.make_haier_records(haier.N_CUSTOMERS, seed=haier.HAIER_SEED))
    schema_c, rows_c = _dump(haier.DB_PATH)
    schema_f, rows_f = _dump(fresh)
    assert schema_c == schema_f
    for table in rows_f:
        assert len(rows_c[table]) == len(rows_f[table]), table
        assert rows_c[table] == rows_f[table], f"table {table} differs from a fresh rebuild"


def test_rebuild_is_byte_for_byte_deterministic(tmp_path):
    rec = haier.make_haier_records(300, seed=11)
    a = haier.build_database(tmp_path / "a.sqlite", records=rec)
    b = haier.build_database(tmp_path / "b.sqlite", records=haier.make_haier_records(300, seed=11))
    assert a.read_bytes() == b.read_bytes()


def test_database_equals_simulator_output(rec):
    for name, frame in rec.tables().items():
        db = haier.query(f"SELECT * FROM {name} ORDER BY rowid")
        assert list(db.columns) == list(frame.columns)
        assert len(db) == len(frame)
    t = haier.query("SELECT * FROM tickets ORDER BY ticket_id")
    sim = rec.tickets
    for col in ("requested_at", "arrived_at", "fixed_at"):
        pd.testing.assert_series_equal(pd.to_datetime(t[col]), sim[col], check_dtype=False, check_names=False)
    assert (t["follow_up_call"].to_numpy() == sim["follow_up_call"].to_numpy()).all()
    np.testing.assert_array_equal(pd.to_numeric(t["satisfaction"]).to_numpy(dtype=float),
                                  sim["satisfaction"].to_numpy())
    assert t["category"].tolist() == sim["category"].astype(str).tolist()


def test_csv_exports_equal_simulator():
    for name in ("haier_customers", "haier_appliances", "haier_tickets", "haier_upgrades"):
        pd.testing.assert_frame_equal(datasets.load(name), datasets.build(name))


def test_column_comments_document_every_column():
    sql = haier.query("SELECT sql FROM sqlite_master WHERE name = 'tickets'")["sql"].item()
    for col, (_, desc) in haier.TICKET_SCHEMA.items():
        assert f"    {col} " in sql and "--" in sql.split(f"    {col} ")[1].splitlines()[0]
    assert "(1 = yes, 0 = no)" in sql and "NULL" in sql


def test_query_helper_explains_errors():
    with pytest.raises(sqlkit.SQLError) as info:
        haier.query("SELECT * FROM ticket")
    assert info.value.problem == "unknown table"
    assert "appliances, customers, tickets, upgrades" in str(info.value)
    with pytest.raises(sqlkit.SQLError) as info:
        haier.query("SELECT response_time FROM tickets")
    assert "tickets: ticket_id, appliance_id" in str(info.value)


# --------------------------------------------------------------------------
# Calibration and model behaviour
# --------------------------------------------------------------------------

@pytest.mark.parametrize("years, target", [((1992, 1997), 0.63), ((1999, 2002), 0.80), ((2003, 2007), 0.88)])
def test_first_time_fix_matches_aberdeen_benchmarks(rec, years, target):
    t = rec.tickets
    y = t["requested_at"].dt.year
    sel = t[y.between(*years)]
    ftfr = (sel["revisits"] == 0).mean()
    assert abs(ftfr - target) < 0.03, f"{years}: {ftfr:.3f} vs {target}"


def test_upgrades_change_their_levers(kpis):
    # 1998 star service brings follow-up calls and feedback to R&D;
    # 2000 neighbourhood service shortens response.
    assert kpis.loc[1998, "follow_up"] > kpis.loc[1997, "follow_up"] + 0.4
    assert kpis.loc[2000, "response_hours"] < 0.75 * kpis.loc[1999, "response_hours"]
    assert kpis.loc[1998, "fed_back"] > 0.4 > kpis.loc[1997, "fed_back"]


def test_no_move_service_is_delivery_not_repair():
    # The 1994 upgrade delivers and installs (fewer installation faults); it does not speed up repairs.
    no_move = haier.UPGRADES[0]
    assert no_move[1] == "no_move" and "deliver" in no_move[5]
    assert "response" not in no_move[6] and "install_all" in no_move[6]
    lv = haier.service_levels(1992, 1995)
    assert lv.loc[1994, "response_hours"] == lv.loc[1993, "response_hours"]
    assert lv.loc[1994, "install_factor"] < lv.loc[1993, "install_factor"]


def test_repurchase_follows_tarp_rates_raised_by_satisfaction(rec):
    # Customers whose worst first-appliance ticket came before any courtesy upgrade buy again at TARP's rates;
    # later ones at the rate raised by the courtesy in force (repurchase_probability).
    t, a = rec.tickets, rec.appliances
    first = a.loc[a["purchase_no"] == 1, "appliance_id"]
    tt = t[t["appliance_id"].isin(first)].assign(outcome=lambda d: haier.ticket_outcomes(d).astype(str))
    lv = haier.service_levels(haier.FIRST_YEAR, haier.END_DATE.year)
    tt["shift"] = lv["satisfaction_shift"].reindex(tt["requested_at"].dt.year).to_numpy()
    rank = tt["outcome"].map({o: i for i, o in enumerate(haier.OUTCOMES)})
    worst = tt.assign(rank=rank).sort_values(["customer_id", "rank", "shift"], ascending=[True, True, False])
    worst = worst.groupby("customer_id").head(1).set_index("customer_id")
    again = a.groupby("customer_id")["purchase_no"].max() > 1
    worst["again"] = again.reindex(worst.index).to_numpy()
    worst["p"] = [haier.repurchase_probability(o, haier.satisfaction_lift(o, d))
                  for o, d in zip(worst["outcome"], worst["shift"])]
    for outcome, g in worst.groupby("outcome"):
        se = np.sqrt((g["p"] * (1 - g["p"])).sum()) / len(g)
        assert abs(g["again"].mean() - g["p"].mean()) < 4 * se + 0.01, outcome
    # without courtesy the rate is TARP's exactly
    assert haier.repurchase_probability("resolved", 0.0) == pytest.approx(0.54)


def test_repurchase_probability_by_hand():
    # odds 0.54/0.46 times 2 per point: p = 2.3478 / 3.3478
    assert haier.repurchase_probability("resolved", 1.0, odds=2.0) == pytest.approx(1.08 / 0.46 / (1 + 1.08 / 0.46))
    assert haier.repurchase_probability("resolved_quickly", 0.5, odds=1.0) == pytest.approx(0.82)
    # a shift of 1 point on a mid-scale score shows almost fully; near the top of the scale it is capped
    assert 0.95 < haier.satisfaction_lift("resolved", 1.0) <= 1.0
    assert haier.satisfaction_lift("resolved_quickly", 1.0) < 0.8


def test_satisfaction_feeds_lifetime_value(kpis):
    # Issue #12 item 5: an upgrade that raises satisfaction must be able to move loyalty and CLV.
    k = kpis.copy()
    base = haier.service_value(k)
    k["satisfaction_lift"] = k["satisfaction_lift"] + 0.3
    higher = haier.service_value(k)
    assert (higher["loyalty"] > base["loyalty"]).all() and (higher["clv"] > base["clv"]).all()
    off = haier.service_value(k, satisfaction_odds=1.0)
    k["satisfaction_lift"] = 0.0
    assert np.allclose(off["clv"], haier.service_value(k, satisfaction_odds=1.0)["clv"])  # link off: no effect
    # the same in the network model: courtesy raises loyalty unless the link is switched off
    m0 = haier.network_model(3000, 0.8, 0.5)
    assert haier.network_model(3000, 0.8, 0.5, courtesy=0.2)["loyalty"] > m0["loyalty"]
    assert haier.network_model(3000, 0.8, 0.5, courtesy=0.2, satisfaction_odds=1.0)["loyalty"] == pytest.approx(
        m0["loyalty"])


def test_satisfaction_lift_in_kpis_by_hand():
    t = pd.DataFrame({
        "requested_at": pd.to_datetime(["2000-01-01 08:00"] * 2),
        "arrived_at": pd.to_datetime(["2000-01-01 10:00"] * 2),
        "fixed_at": pd.to_datetime(["2000-01-01 12:00", "2000-01-05 08:00"]),
        "revisits": [0, 1], "follow_up_call": [True, True], "satisfaction": [5.0, 3.0],
        "fed_back_to_rnd": [False, False],
    })
    k = haier.yearly_kpis(t)
    exp_quick = haier.satisfaction_lift("resolved_quickly", 0) + float(haier._expected_score(4.3))
    exp_slow = float(haier._expected_score(3.3))
    assert k.loc[2000, "satisfaction_lift"] == pytest.approx(((5 - exp_quick) + (3 - exp_slow)) / 2)


def test_closed_loop_cuts_design_failures_only(rec):
    f = haier.failures_by_model_year(rec)
    design = f[list(haier.DESIGN_CATEGORIES)].sum(axis=1)
    early, late = design.loc[1992:1997].mean(), design.loc[2001:2004].mean()
    assert late < 0.7 * early
    usage_early, usage_late = f.loc[1992:1997, "usage"].mean(), f.loc[2001:2004, "usage"].mean()
    assert abs(usage_late - usage_early) < 0.35 * usage_early  # the control stays roughly flat


def test_no_feedback_no_learning():
    r0 = haier.failure_rates([1992, 2005], learning_rate=0.0)
    cool = r0[(r0["category"] == "cooling") & (r0["product"] == "fridge")]["rate"].to_numpy()
    assert cool[0] == cool[1]
    r1 = haier.failure_rates([1992, 2005])
    cool1 = r1[(r1["category"] == "cooling") & (r1["product"] == "fridge")]["rate"].to_numpy()
    assert cool1[1] < cool1[0]


def test_closed_loop_formula_by_hand():
    # model year 1994: two years of 5% feedback before it → exp(-0.35 * 0.10)
    r = haier.failure_rates([1994])
    rate = r[(r["product"] == "fridge") & (r["category"] == "cooling")]["rate"].item()
    assert rate == pytest.approx(0.10 * np.exp(-0.35 * 0.10))
    usage = r[(r["product"] == "fridge") & (r["category"] == "usage")]["rate"].item()
    assert usage == pytest.approx(0.04)


def test_service_levels_by_hand():
    lv = haier.service_levels(1992, 2003)
    assert lv.loc[1993, "response_hours"] == pytest.approx(96.0)
    assert lv.loc[1994, "response_hours"] == pytest.approx(96.0)
    assert lv.loc[2003, "response_hours"] == pytest.approx(96 * 0.85 * 0.60 * 0.75)
    assert lv.loc[1997, "ftfr"] == 0.63 and lv.loc[1999, "ftfr"] == 0.80 and lv.loc[2003, "ftfr"] == 0.88
    assert lv.loc[2001, "install_factor_ac"] == pytest.approx(0.75 * 0.6 * 0.5)
    assert lv.loc[2001, "install_factor"] == pytest.approx(0.75 * 0.6)
    assert lv.loc[1997, "satisfaction_shift"] == pytest.approx(0.10 + 0.15 + 0.20)


def test_ticket_outcomes_by_hand():
    t = pd.DataFrame({
        "requested_at": pd.to_datetime(["2000-01-01 08:00"] * 3),
        "fixed_at": pd.to_datetime(["2000-01-02 08:00", "2000-01-05 08:00", None]),
    })
    assert haier.ticket_outcomes(t).tolist() == ["resolved_quickly", "resolved", "unresolved"]


# --------------------------------------------------------------------------
# The network model
# --------------------------------------------------------------------------

def test_network_formulas_by_hand():
    m = haier.network_model(5000, 0.8, 0.5, problem_rate=0.2, installed_base=1_000_000)
    assert m["response_hours"] == pytest.approx(6 + 14)
    assert m["visits"] == pytest.approx(1_000_000 * 0.2 / 0.8)  # U·φ/FTFR
    unresolved = 0.2 * 0.3 * (1 - 0.6 * 0.5)
    assert m["unresolved"] == pytest.approx(unresolved)
    mix = m["fixed_quickly"] * 0.82 + m["resolved"] * 0.54 + unresolved * 0.19  # no courtesy: TARP's rates
    assert m["loyalty"] == pytest.approx(0.8 * 0.80 + 0.2 * mix)
    cost = (m["visits"] * 80 + 1_000_000 * 0.2 * 0.5 * 5 + 5000 * 30_000) / 1_000_000
    assert m["service_cost"] == pytest.approx(cost)
    assert m["clv"] == pytest.approx(metrics.clv(400 - cost, m["loyalty"], 0.10))
    # four times the outlets halves the travel time
    assert haier.network_model(20_000, 0.8, 0.5)["response_hours"] == pytest.approx(6 + 7)


def test_network_directions():
    base = haier.network_model(3000, 0.8, 0.5)
    assert haier.network_model(6000, 0.8, 0.5)["response_hours"] < base["response_hours"]
    assert haier.network_model(3000, 0.9, 0.5)["loyalty"] > base["loyalty"]
    assert haier.network_model(3000, 0.8, 0.9)["loyalty"] > base["loyalty"]
    curve = haier.network_curve(0.8, 0.5)
    best = curve["clv"].idxmax()
    assert curve.index.min() < best < curve.index.max()  # an interior optimum: outlets cost money


def test_service_vs_product_scenarios():
    s = haier.service_vs_product()
    assert list(s.index) == ["before", "product_only", "service_only", "both"]
    assert s.loc["both", "clv"] > s.loc["before", "clv"]
    assert s.loc["product_only", "problem_rate"] < s.loc["service_only", "problem_rate"]
    shown = haier.reader_table(s, {"clv": "dec1"})
    assert list(shown.frame.index) == ["1993 (before the upgrades)", "better product only", "better service only",
                                       "both"]
    with i18n.language("zh"):
        shown = haier.reader_table(s, {"clv": "dec1"})
    assert list(shown.frame.index) == ["1993年（升级之前）", "只改进产品", "只改进服务", "两者都改进"]
    assert "终身价值（元）" in shown.frame.columns
    # the data behind the table is unchanged: same figures in both languages
    assert shown.frame["终身价值（元）"].tolist() == haier.reader_table(s, {"clv": "dec1"}).frame[
        "lifetime value (yuan)"].tolist()


def test_service_value_rises_with_the_upgrades(kpis):
    v = haier.service_value(kpis)
    assert v.loc[2004, "clv"] > v.loc[1993, "clv"]
    assert (v["loyalty"].between(0, 1)).all()
    eff = haier.upgrade_effects(kpis)
    assert list(eff.index) == [u[0] for u in haier.UPGRADES]
    assert eff.loc[2000, "response_hours"] < 0 and eff.loc[2000, "clv"] > 0


# --------------------------------------------------------------------------
# Bad arguments
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, match", [
    ({"n": 5}, ValueError, "`n` must be a whole number"),
    ({"n": 100.5}, ValueError, "`n`"),
    ({"n": "many"}, TypeError, "`n`"),
    ({"n": 100, "seed": -1}, ValueError, "`seed`"),
    ({"n": 100, "learning_rate": -0.1}, ValueError, "`learning_rate`"),
    ({"n": 100, "city_share": 1.5}, ValueError, "`city_share`"),
])
def test_simulator_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        haier.make_haier_records(**kwargs)


@pytest.mark.parametrize("args, kwargs, exc, match", [
    ((0, 0.8, 0.5), {}, ValueError, "`outlets`"),
    ((1000, 0.0, 0.5), {}, ValueError, "`fix_rate`"),
    ((1000, 1.2, 0.5), {}, ValueError, "`fix_rate`"),
    ((1000, 0.8, -0.1), {}, ValueError, "`follow_up`"),
    ((1000, 0.8, 0.5), {"problem_rate": 2}, ValueError, "`problem_rate`"),
    ((1000, 0.8, 0.5), {"installed_base": 0}, ValueError, "`installed_base`"),
    (("many", 0.8, 0.5), {}, TypeError, "`outlets`"),
])
def test_network_model_rejects_bad_arguments(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        haier.network_model(*args, **kwargs)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: haier.failure_rates([1980]), ValueError, "`model_years`"),
    (lambda: haier.service_levels(2000, 1990), ValueError, "`last_year`"),
    (lambda: haier.yearly_kpis(pd.DataFrame({"x": [1]})), ValueError, "`tickets` must have the column"),
    (lambda: haier.build_database("x.sqlite", records="no"), TypeError, "`records`"),
    (lambda: haier.service_value(pd.DataFrame({"fixed_quickly": [0.5]})), ValueError, "`kpis`"),
])
def test_helpers_reject_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --------------------------------------------------------------------------
# Registry and widget
# --------------------------------------------------------------------------

def test_registry_entry_complete():
    case = cases.get_case("haier")
    assert len(case.objectives) >= 3
    assert [q.id for q in case.questions] == [f"q{i}" for i in range(1, len(case.questions) + 1)]
    assert len(case.questions) >= 5
    for q in case.questions:
        assert q.text.zh and q.key_term.zh
        assert 3 <= len(q.key_points) <= 5
        assert all(p.en and p.zh for p in q.key_points)
    assert case.key_terms


def test_widget_moves_the_right_way():
    w = haier.build_network_widget()
    loyalty_before = float(w.result["loyalty (retention)"].rstrip("%"))
    response_before = w.result["response time (hours, request → arrival)"]
    w.controls["outlets"].value = 8000
    assert w.result["response time (hours, request → arrival)"] < response_before
    assert "8,000" in repr(w) or "outlets=8,000" in repr(w)
    w.controls["fix_rate"].value = 0.92
    w.controls["follow_up"].value = 1.0
    assert float(w.result["loyalty (retention)"].rstrip("%")) > loyalty_before
    assert "lifetime value per customer" in w.html.value
    with i18n.language("zh"):
        z = haier.build_network_widget()
    assert z.result["忠诚度（顾客保留率）"] == f"{loyalty_before:.1f}%"
    assert z.controls["outlets"].description == "服务网点数"
    assert w.image is not None and len(w.image.value) > 1000




# --------------------------------------------------------------------------
# Assumptions and the headline figure's sensitivity
# --------------------------------------------------------------------------

_CONSTANT = {"travel_hours": "TRAVEL_HOURS_AT_REF", "margin": "MARGIN_YUAN"}


def test_assumptions_have_ranges_and_are_used():
    import inspect

    defaults = inspect.signature(haier.network_model).parameters
    for name, a in haier.ASSUMPTIONS.items():
        assert a.low <= a.value <= a.high, name
        assert a.low < a.high and a.unit and a.note, name
        assert getattr(haier, _CONSTANT.get(name, name.upper())) == a.value, name  # the simulator's constant
    for name in haier.NETWORK_ASSUMPTIONS:
        assert defaults[name].default == haier.ASSUMPTIONS[name].value, name  # the model's default


def test_network_gain_by_hand():
    lv = haier.service_levels(1992, 2007)
    def clv(year):
        travel = lv.loc[year, "response_hours"] - haier.DISPATCH_HOURS
        outlets = 5000 * (14 / travel) ** 2
        return haier.network_model(outlets, lv.loc[year, "ftfr"], lv.loc[year, "follow_up"],
                                   courtesy=lv.loc[year, "satisfaction_shift"])["clv"]
    assert haier.network_gain() == pytest.approx(clv(2003) - clv(1993))
    assert haier.network_gain(margin=500) > haier.network_gain()
    with pytest.raises(ValueError, match="`params`"):
        haier.network_gain(outlets=10)


def test_network_gain_sensitivity_table():
    from casekit import sensitivity

    params = {n: haier.ASSUMPTIONS[n] for n in haier.NETWORK_ASSUMPTIONS}
    table = sensitivity.tornado(haier.network_gain, params)
    assert table.attrs["base_figure"] == pytest.approx(haier.network_gain())
    assert len(table) == len(params) and (table["swing"] >= 0).all()
    assert table["swing"].max() > 10  # yuan per customer: some assumption matters
    # satisfaction feeds loyalty, so its odds ratio moves the gain (it could not before issue #12)
    odds = sensitivity.tornado(haier.network_gain, {"satisfaction_odds": haier.ASSUMPTIONS["satisfaction_odds"]})
    assert odds["swing"].iloc[0] > 1.0
    # with no outlet cost, the size of the customer base cancels out of CLV per customer
    base = sensitivity.tornado(lambda **p: haier.network_gain(outlet_cost=0.0, **p),
                               {"installed_base": haier.ASSUMPTIONS["installed_base"]})
    assert base["swing"].iloc[0] == pytest.approx(0.0, abs=1e-9)


# --------------------------------------------------------------------------
# The teaching note quotes the computed figures
# --------------------------------------------------------------------------

NOTES = ("exercises/teaching_notes/haier.md", "exercises/teaching_notes/zh/haier.md")


def _note_figures(note=NOTES[0]):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / note).read_text("utf-8")
    return [(m.group(2), m.group(1)) for m in re.finditer(r"([\d,]+(?:\.\d+)?)%?<!-- fig:(\w+) -->", text)]


def _computed_figures():
    rec = haier.default_records()
    k = haier.yearly_kpis(rec.tickets)
    eff = haier.upgrade_effects(k)
    precision = haier.satisfaction_by_year(rec.tickets)
    rep = haier.repurchase_by_outcome(rec)["repurchase"]
    f = haier.failures_by_model_year(rec)
    design = f[list(haier.DESIGN_CATEGORIES)].sum(axis=1)
    curve = haier.network_curve(0.88, 0.90)
    sc = haier.service_vs_product()["clv"]
    base = sc["before"]
    odds = haier.ASSUMPTIONS["satisfaction_odds"]
    table = haier.sensitivity_table()
    ends = table[["figure_low", "figure_high"]]
    return {
        "appliances": f"{len(rec.appliances):,}", "tickets": f"{len(rec.tickets):,}",
        "response_1993": f"{k.loc[1993, 'response_hours']:.1f}", "response_2000": f"{k.loc[2000, 'response_hours']:.1f}",
        "response_2003": f"{k.loc[2003, 'response_hours']:.1f}",
        "ftfr_1998": f"{100 * k.loc[1998, 'first_visit_fix']:.1f}", "ftfr_1999": f"{100 * k.loc[1999, 'first_visit_fix']:.1f}",
        "follow_1998": f"{100 * k.loc[1998, 'follow_up']:.1f}",
        "best_step": f"{eff.loc[1998:, 'clv'].max():.0f}",
        "three_free": f"{haier.courtesy_value(1995):.0f}", "five_ones": f"{haier.courtesy_value(1997):.0f}",
        "five_ones_low": f"{haier.courtesy_value(1997, satisfaction_odds=odds.low):.0f}",
        "five_ones_high": f"{haier.courtesy_value(1997, satisfaction_odds=odds.high):.0f}",
        "calls_97": f"{precision.loc[1997, 'calls']}", "se_97": f"{precision.loc[1997, 'standard_error']:.2f}",
        "wave_gain": f"{haier.network_gain():.0f}",
        "rep_never": f"{100 * rep['unresolved']:.0f}", "rep_slow": f"{100 * rep['resolved']:.0f}",
        "rep_none": f"{100 * rep['no_ticket']:.0f}", "rep_quick": f"{100 * rep['resolved_quickly']:.0f}",
        "design_early": f"{design.loc[1992:1997].mean():.1f}", "design_late": f"{design.loc[2001:2004].mean():.1f}",
        "usage_early": f"{f.loc[1992:1997, 'usage'].mean():.1f}", "usage_late": f"{f.loc[2001:2004, 'usage'].mean():.1f}",
        "best_outlets": f"{int(curve['clv'].idxmax()):,}", "best_clv": f"{curve['clv'].max():.0f}",
        "clv_1000": f"{curve.loc[1000, 'clv']:.0f}", "clv_5000": f"{curve.loc[5000, 'clv']:.0f}",
        "gain_product": f"{sc['product_only'] - base:.0f}", "gain_service": f"{sc['service_only'] - base:.0f}",
        "gain_both": f"{sc['both'] - base:.0f}",
        "gain_min": f"{ends.min().min():.0f}", "gain_max": f"{ends.max().max():.0f}",
    }


@pytest.mark.parametrize("note", NOTES)
def test_teaching_note_quotes_the_computed_figures(note):
    quoted, computed = _note_figures(note), _computed_figures()
    assert {k for k, _ in quoted} == set(computed), {k for k, _ in quoted} ^ set(computed)
    wrong = [(k, v, computed[k]) for k, v in quoted if v != computed[k]]
    assert not wrong, f"teaching note (quoted, computed): {wrong}"


def test_service_value_by_hand():
    # One year: half the problems fixed quickly, 10% never; satisfaction one point above what outcomes predict.
    k = pd.DataFrame({"fixed_quickly": [0.5], "unresolved": [0.1], "visits_per_ticket": [1.5],
                      "satisfaction_lift": [1.0]}, index=pd.Index([2000], name="year"))
    v = haier.service_value(k, satisfaction_odds=2.0)

    def raised(p):  # odds p/(1-p) doubled by one point of lift
        o = 2 * p / (1 - p)
        return o / (1 + o)
    loyalty = 0.75 * 0.80 + 0.25 * (0.5 * raised(0.82) + 0.4 * raised(0.54) + 0.1 * raised(0.19))
    assert v.loc[2000, "loyalty"] == pytest.approx(loyalty)
    assert raised(0.54) == pytest.approx(0.7013, abs=1e-4)
    cost = 0.25 * 1.5 * 80
    assert v.loc[2000, "clv"] == pytest.approx((400 - cost) * loyalty / (1 + 0.10 - loyalty))
    # the old, outcome-only model is the special case odds = 1
    plain = 0.75 * 0.80 + 0.25 * (0.5 * 0.82 + 0.4 * 0.54 + 0.1 * 0.19)
    assert haier.service_value(k, satisfaction_odds=1.0).loc[2000, "loyalty"] == pytest.approx(plain)


def test_courtesy_value_by_hand():
    lv = haier.service_levels(1992, 2007)
    travel = lv.loc[1997, "response_hours"] - haier.DISPATCH_HOURS
    outlets = 5000 * (14 / travel) ** 2
    args = (outlets, lv.loc[1997, "ftfr"], lv.loc[1997, "follow_up"])
    with_it = haier.network_model(*args, courtesy=0.45)["clv"]  # 1994 + 1995 + 1997 courtesy
    without = haier.network_model(*args, courtesy=0.25)["clv"]   # without the 1997 "five ones" (+0.20)
    assert haier.courtesy_value(1997) == pytest.approx(with_it - without)
    with pytest.raises(ValueError, match="`year`"):
        haier.courtesy_value(1998)


def test_satisfaction_precision_by_year(rec):
    p = haier.satisfaction_by_year(rec.tickets)
    called = rec.tickets["follow_up_call"].groupby(rec.tickets["requested_at"].dt.year).sum()
    assert (p["calls"] == called.loc[p.index]).all()
    # few calls before 1998, many after: the standard error shrinks accordingly
    assert p.loc[1995:1997, "standard_error"].min() > 2 * p.loc[1998:2002, "standard_error"].max()


# --------------------------------------------------------------------------
# The Chinese edition: every reader-facing string in the chosen language
# --------------------------------------------------------------------------

def _chart_texts(ax):
    texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    for axis in ax.figure.axes:
        texts += [axis.get_ylabel()]
        legend = axis.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


@pytest.mark.parametrize("draw", ["yearly", "closed_loop", "network"])
def test_charts_follow_the_language(kpis, rec, draw):
    import re

    import matplotlib.pyplot as plt

    def make():
        fig, ax = plt.subplots()
        if draw == "yearly":
            haier.plot_yearly(kpis, ax=ax)
        elif draw == "closed_loop":
            haier.plot_closed_loop(haier.failures_by_model_year(rec).loc[1992:2004], ax=ax)
        else:
            haier.plot_network(ax=ax)
        texts = _chart_texts(ax)
        plt.close(fig)
        return texts

    with i18n.language("en"):
        en = make()
    with i18n.language("zh"):
        zh = make()
    assert len(en) == len(zh) >= 4
    assert all(re.search(r"[a-z]{3}", t) for t in en if not t[:4].isdigit())
    english_word = re.compile(r"\b(?!R&D\b)[A-Za-z]{3,}\b")
    for text in zh:
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not english_word.search(text.replace("R&D", "")), text
    # the same numbers in both editions' labels
    assert [re.findall(r"\d[\d,]*", t) for t in en] == [re.findall(r"\d[\d,]*", t) for t in zh]


def test_reader_tables_and_labels_follow_the_language(kpis):
    effects = haier.upgrade_effects(kpis)
    assert effects.loc[2000, "upgrade"] == "Star service in neighbourhoods"
    with i18n.language("zh"):
        zh_effects = haier.upgrade_effects(kpis)
        shown = haier.show_upgrades()
        labels = haier.network_labels()
        table = haier.reader_table(pd.DataFrame({"first_experience": ["resolved quickly", "no ticket"],
                                                 "repurchase": [0.86, 0.81]}), {"repurchase": "share"})
    assert zh_effects.loc[2000, "upgrade"] == "星级服务进社区"
    assert zh_effects.drop(columns=["upgrade", "lever"]).equals(effects.drop(columns=["upgrade", "lever"]))
    assert list(shown.frame.columns) == ["年份", "服务升级", "在模拟中改变什么"]
    assert shown.frame.iloc[-1].tolist() == ["2003", "全程管家 365", "全部杠杆"]
    assert set(labels) == set(haier.NETWORK_ASSUMPTIONS) and labels["discount"] == "贴现率"
    assert haier.NETWORK_LABELS["discount"] == "discount rate"  # the English constant is unchanged
    assert table.frame.iloc[:, 0].tolist() == ["迅速解决", "没有报修"]
    assert list(table.frame.columns) == ["第一次服务经历", "再购率"]
    with pytest.raises(ValueError, match="`caption` must name a caption"):
        haier.reader_table(effects, caption="no such caption")
    with pytest.raises(ValueError, match="`index_label` must name"):
        haier.reader_table(effects, index_label="nonsense")
    with pytest.raises(TypeError, match="`df` must be"):
        haier.reader_table([1, 2])


def test_messages_have_the_same_numbers_in_both_languages():
    import re

    values = dict(gap=0.05, year=1995, step=0.15, gain=18.2, calls=34, se=0.11, since=1998, upgrade="x",
                  phi=0.25, base=1e7, total=2138.4, never=0.22, slow=0.59, quick=0.86, none=0.81, early=18.3,
                  late=7.9, a=1992, b=1997, c=2001, d=2004, change=-0.57, outlets=3250, clv=936.0, small=1000,
                  small_clv=898.0, small_hours=37.0, source=5000, source_clv=931.0, source_hours=20.0,
                  product=179.0, service=243.0, both=308.0, name="04_haier.md", low=97.0, high=323.0, names="x")
    keys = [k for k in i18n.catalogue() if k.startswith("haier.say.")]
    assert len(keys) >= 15
    for key in keys:
        fields = i18n.fields(i18n.catalogue()[key]["en"])
        args = {f: values[f] for f in fields}
        with i18n.language("en"):
            en = i18n.t(key, **args)
        with i18n.language("zh"):
            zh = i18n.t(key, **args)
        assert sorted(re.findall(r"\d[\d,.]*\d|\d", en)) == sorted(re.findall(r"\d[\d,.]*\d|\d", zh)), key


def test_reader_names_of_the_upgrades_match_the_data():
    # The catalogue shows the upgrades' names; the data (upgrades table, CSV) keeps its own. They must agree.
    for _, key, en, zh, lever, *_ in haier.UPGRADES:
        with i18n.language("en"):
            assert haier.upgrade_name(key) == en
            assert haier.lever_label(lever) == lever
        with i18n.language("zh"):
            assert haier.upgrade_name(key).replace(" ", "") == zh.replace(" ", "")
    with pytest.raises(ValueError, match="`key` must be one of"):
        haier.upgrade_name("no_such_upgrade")
    with pytest.raises(ValueError, match="`lever` must be one of"):
        haier.lever_label("price")
    with i18n.language("zh"):
        assert haier.join_names([]) == "无" and haier.join_names(["甲", "乙"]) == "甲、乙"
    assert haier.join_names(["a", "b"]) == "a, b"
