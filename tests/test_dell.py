"""Tests of the Dell case: casekit.dell (build to order vs build to stock)
and casekit.dell_customers (accounts, segment profit, CLV, resource shift)."""

import numpy as np
import pandas as pd
import pytest

from casekit import datasets, dell, metrics
from casekit.dell_customers import (
    CUSTOMER_SCHEMA,
    SEGMENTS,
    make_dell_customers,
    segment_clv,
    segment_profit,
    shift_resources,
)

KIND_DTYPES = {"int": "int64", "float": "float64", "bool": "bool"}


@pytest.fixture(scope="module")
def supply():
    return dell.make_dell_supply_chain(156, seed=11)


@pytest.fixture(scope="module")
def accounts():
    return make_dell_customers(5000, seed=12)


def _check_schema(df, schema):
    assert list(df.columns) == list(schema)
    for col, (kind, _) in schema.items():
        base, _, cats = kind.partition(":")
        if base in KIND_DTYPES:
            assert str(df[col].dtype) == KIND_DTYPES[base], col
        elif base == "datetime":
            assert pd.api.types.is_datetime64_any_dtype(df[col]), col
        elif base == "ordered":
            assert isinstance(df[col].dtype, pd.CategoricalDtype) and df[col].cat.ordered, col
            assert list(df[col].cat.categories) == cats.split(","), col
        elif base == "category":
            assert isinstance(df[col].dtype, pd.CategoricalDtype), col


# --------------------------------------------------------------------------
# Supply chain: schema, determinism, ranges, calibration
# --------------------------------------------------------------------------

def test_supply_schema(supply):
    _check_schema(supply, dell.SUPPLY_SCHEMA)
    assert len(supply) == 2 * 156
    assert list(supply["model"].unique()) == list(dell.MODELS)
    assert supply["date"].iloc[0] == pd.Timestamp("1997-02-03")
    assert supply.groupby("model", observed=True)["week"].apply(lambda s: s.tolist() == list(range(1, 157))).all()


def test_supply_same_seed_same_frame_and_different_seeds_differ():
    a = dell.make_dell_supply_chain(104, seed=5)
    b = dell.make_dell_supply_chain(104, seed=5)
    pd.testing.assert_frame_equal(a, b)
    c = dell.make_dell_supply_chain(104, seed=6)
    assert not np.allclose(a["orders"], c["orders"])


def test_supply_ranges(supply):
    assert (supply["inventory"] >= 0).all()
    assert (supply["orders"] > 0).all()
    assert supply["weekly_decline"].between(0, 0.5).all()
    idx = supply.loc[supply["model"] == "build_to_order", "component_price_index"].to_numpy()
    assert idx[0] == 1.0 and np.all(np.diff(idx) < 0)
    # the build-to-order firm meets every order; the rival never sells more than ordered
    bto = supply[supply["model"] == "build_to_order"]
    bts = supply[supply["model"] == "build_to_stock"]
    np.testing.assert_allclose(bto["revenue"], bto["orders"], rtol=1e-9)
    assert (bts["revenue"].to_numpy() <= bts["orders"].to_numpy() + 1e-9).all()


def test_supply_calibration(supply):
    s = dell.annual_summary(supply)
    # scale: first-year revenue ≈ USD 12.3 B, growth ≈ 52% (source text)
    assert s.loc[("build_to_order", 1), "revenue"] == pytest.approx(dell.REVENUE_1998, rel=0.05)
    growth = s.loc[("build_to_order", 2), "revenue"] / s.loc[("build_to_order", 1), "revenue"] - 1
    assert growth == pytest.approx(dell.GROWTH, abs=0.06)
    # inventory days: Dell ≈ 7 [S], rival ≈ 28; CCC Dell ≈ −8 [M]
    assert s.loc["build_to_order", "inventory_days"].mean() == pytest.approx(7, abs=0.5)
    assert s.loc["build_to_stock", "inventory_days"].mean() == pytest.approx(28, abs=2)
    assert s.loc["build_to_order", "ccc_days"].mean() == pytest.approx(-8, abs=0.5)
    assert (s.loc["build_to_stock", "ccc_days"] > 10).all()
    # write-down gap ≈ c·k·δ·ΔD/7 = 1.8% of revenue (the rule of thumb says 2.25% of cost)
    gap = (s.loc["build_to_stock", "write_down_share"] - s.loc["build_to_order", "write_down_share"]).mean()
    expected = dell.COGS_SHARE * dell.obsolescence_advantage(0.01, 7, 28)
    assert gap == pytest.approx(expected, abs=0.004)
    # receivables carry the selling price, so growth absorbs a little cash even
    # for Dell; the rival absorbs at least ten times as much, every year
    dell_cash = s.loc["build_to_order", "cash_from_working_capital"]
    rival_cash = s.loc["build_to_stock", "cash_from_working_capital"]
    assert (rival_cash < 0).all()
    assert (dell_cash.abs() * 10 < rival_cash.abs()).all()


def test_supply_identities():
    df = dell.make_dell_supply_chain(60 + 52, seed=3)
    c, k = dell.COGS_SHARE, dell.COMPONENT_SHARE
    np.testing.assert_allclose(df["write_down"], df["weekly_decline"] * k * df["inventory"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(df["gross_profit"], df["revenue"] - df["cogs"] - df["write_down"], atol=1e-5)
    np.testing.assert_allclose(df["ccc_days"], df["inventory_days"] + dell.DSO_DAYS - dell.DPO_DAYS, atol=1e-5)
    # working capital: receivables at the selling price, inventory and payables at cost
    np.testing.assert_allclose(df["working_capital"], df["receivables"] + df["inventory"] - df["payables"],
                               atol=1e-4)
    np.testing.assert_allclose(df["payables"] / df["receivables"], c * dell.DPO_DAYS / dell.DSO_DAYS, rtol=1e-4)
    np.testing.assert_allclose(df["profit"], df["gross_profit"] - df["capital_charge"], atol=1e-5)
    np.testing.assert_allclose(df["capital_charge"], df["working_capital"] * dell.COST_OF_CAPITAL / 52, atol=1e-5)


def test_no_price_decline_means_no_write_down():
    df = dell.make_dell_supply_chain(52, seed=1, weekly_decline=0.0)
    assert (df["write_down"] == 0).all()


def test_no_demand_noise_no_lost_sales_and_exact_inventory():
    df = dell.make_dell_supply_chain(52, seed=1, demand_cv=0.0, rival_days=21)
    bts = df[df["model"] == "build_to_stock"]
    np.testing.assert_allclose(bts["revenue"], bts["orders"])
    np.testing.assert_allclose(bts["inventory_days"], 21.0, atol=1e-4)


def test_break_even_price_gap_equalises_profit():
    a = dell.make_dell_supply_chain(156, seed=8)
    b = dell.make_dell_supply_chain(156, seed=8, price_gap=0.1)
    gap = dell.break_even_price_gap(a, b, gap1=0.1)
    assert 0.01 < gap < 0.05        # inventory speed alone funds a few points, not 10–15%
    c = dell.make_dell_supply_chain(156, seed=8, price_gap=gap)
    tot = c.groupby("model", observed=True)["profit"].sum()
    assert tot["build_to_order"] == pytest.approx(tot["build_to_stock"], rel=1e-4)


# --------------------------------------------------------------------------
# Formulas on hand-worked cases
# --------------------------------------------------------------------------

def test_cash_conversion_cycle():
    assert dell.cash_conversion_cycle(7, 36, 51) == -8
    assert dell.cash_conversion_cycle(28, 36, 51) == 13


def test_working_capital_hand_example():
    # R = 365, so one day of sales is 1 and one day of cost of goods is c = 0.5.
    # Receivables 20 days × 1 = 20 (selling price); inventory 10 × 0.5 = 5 and
    # payables 40 × 0.5 = 20 (at cost): WC = 20 + 5 − 20 = 5, although the
    # cash conversion cycle is 10 + 20 − 40 = −10 days.
    assert dell.cash_conversion_cycle(10, 20, 40) == -10
    assert dell.working_capital(10, 20, 40, 365, cogs_share=0.5) == pytest.approx(5.0)
    # the old formula, CCC · c · R/365, would have said −5
    assert dell.working_capital(10, 20, 40, 365, cogs_share=0.5) != pytest.approx(-10 * 0.5)
    # with c = 1 (no margin) the two agree
    assert dell.working_capital(10, 20, 40, 365, cogs_share=1.0) == pytest.approx(-10)
    # growth of 50% ties up half the working capital
    assert dell.cash_from_growth(10, 20, 40, 365, 0.5, cogs_share=0.5) == pytest.approx(-2.5)


def test_dell_working_capital_matches_independent_recomputation():
    # Issue 12: about +USD 27 M, and 52% growth absorbs about USD 14 M
    r, c = 12_300, 0.8
    by_hand = r / 365 * 36 + c * r / 365 * 7 - c * r / 365 * 51
    assert dell.working_capital(7, 36, 51, r) == pytest.approx(by_hand)
    assert dell.working_capital(7, 36, 51, r) == pytest.approx(27.0, abs=0.1)
    assert dell.cash_from_growth(7, 36, 51, r, 0.52) == pytest.approx(-14.0, abs=0.1)
    assert dell.dell_growth_cash() == pytest.approx(-14.0, abs=0.1)


def test_direct_model_cash_is_the_stock_difference():
    # g · c · R/365 · (D_rival − D_dell), payment terms cancel
    expected = 0.52 * 0.8 * 12_300 / 365 * (28 - 7)
    assert dell.direct_model_cash() == pytest.approx(expected)
    assert dell.direct_model_cash(dso=20, dpo=70) == pytest.approx(expected)
    assert dell.direct_model_cash(rival_days=7) == pytest.approx(0.0)


def test_assumptions_have_ranges_and_are_used():
    import inspect

    from casekit import dell_customers as dc
    for table in (dell.ASSUMPTIONS, dc.ASSUMPTIONS):
        for name, a in table.items():
            assert a.low <= a.value <= a.high, name
            assert a.low < a.high, name
            assert a.note, name
    defaults = inspect.signature(dell.make_dell_supply_chain).parameters
    for name in ("dso", "dpo", "cogs_share", "rival_days", "dell_days", "growth", "cost_of_capital",
                 "demand_cv"):
        assert defaults[name].default == dell.ASSUMPTIONS[name].value, name
    assert dell.DECLINE_SPREAD == dell.ASSUMPTIONS["decline_spread"].value
    assert dc.ORDER_COST["phone"] == dc.ASSUMPTIONS["order_cost_phone"].value
    assert dc.CALL_COST["online"] == dc.ASSUMPTIONS["call_cost_online"].value
    assert dc.RETENTION_RESPONSE == dc.ASSUMPTIONS["retention_response"].value
    sig = inspect.signature(dc.shift_resources).parameters
    assert sig["response"].default == dc.ASSUMPTIONS["retention_response"].value
    assert len(dc.SEGMENT_ASSUMPTIONS) == dc.SEGMENT_PARAMS.shape[1] * len(dc.SEGMENTS)
    for name, a in dc.SEGMENT_ASSUMPTIONS.items():
        param, segment = name.split(":")
        assert a.value == dc.SEGMENT_PARAMS.loc[segment, param]
        assert a.low <= a.value <= a.high and a.low < a.high


def test_how_sure_tables_are_computed():
    from casekit import sensitivity

    t = sensitivity.tornado(dell.direct_model_cash, dell.cash_assumptions(versus_rival=True))
    assert t.attrs["base_figure"] == pytest.approx(dell.direct_model_cash())
    assert t.loc["rival_days", "swing"] > 100          # the rival's stock matters most
    assert t.loc["dso", "swing"] == pytest.approx(0.0)  # payment terms cancel between the firms
    assert t.loc["dpo", "swing"] == pytest.approx(0.0)
    assert sensitivity.crosses(t, 0) == []              # the direct model always saves cash
    own = sensitivity.tornado(dell.dell_growth_cash, dell.cash_assumptions(versus_rival=False))
    assert own.loc["dso", "swing"] > 0
    assert set(sensitivity.crosses(own, 0)) >= {"dso", "dpo"}   # Dell's own sign hinges on terms


def test_obsolescence_advantage():
    assert dell.obsolescence_advantage(0.01, 7, 28) == pytest.approx(0.0225)   # the rule of thumb's base case
    assert dell.obsolescence_advantage(0.01, 7, 7) == 0
    assert dell.obsolescence_advantage(0.02, 7, 35, component_share=0.5) == pytest.approx(0.5 * 0.02 * 4)


# --------------------------------------------------------------------------
# Bad arguments
# --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"weeks": 10}, ValueError, "`weeks` must be a whole number in \\[52, 520\\]"),
        ({"weeks": 100.5}, ValueError, "`weeks`"),
        ({"seed": -1}, ValueError, "`seed`"),
        ({"weekly_decline": 0.2}, ValueError, "`weekly_decline` must be a number in \\[0, 0.05\\], got 0.2"),
        ({"dell_days": -1}, ValueError, "`dell_days`"),
        ({"rival_days": 400}, ValueError, "`rival_days`"),
        ({"price_gap": 0.9}, ValueError, "`price_gap`"),
        ({"growth": "fast"}, TypeError, "`growth`"),
        ({"cogs_share": 0}, ValueError, "`cogs_share`"),
        ({"dso": -5}, ValueError, "`dso`"),
    ],
)
def test_supply_rejects_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        dell.make_dell_supply_chain(**kwargs)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: dell.cash_conversion_cycle(-1, 30, 30), ValueError, "`dsi`"),
        (lambda: dell.working_capital(5, 30, 40, -10), ValueError, "`revenue`"),
        (lambda: dell.working_capital(-5, 30, 40, 10), ValueError, "`dsi`"),
        (lambda: dell.cash_from_growth(5, 30, 40, 100, -2), ValueError, "`growth`"),
        (lambda: dell.cash_assumptions(versus_rival="yes"), TypeError, "`versus_rival`"),
        (lambda: dell.obsolescence_advantage(-0.01, 7, 28), ValueError, "`weekly_decline`"),
        (lambda: dell.obsolescence_advantage(0.01, 7, 28, component_share=1.5), ValueError, "`component_share`"),
        (lambda: dell.whatif_dell(business_share=0.0), ValueError, "`business_share`"),
        (lambda: dell.whatif_dell(rival_days=-3), ValueError, "`rival_days`"),
        (lambda: dell.whatif_dell(draws="cached"), TypeError, "`draws`"),
        (lambda: dell.build_dell_widget(draws=3), TypeError, "`draws`"),
        (lambda: dell.dell_draws(1, accounts=2), ValueError, "`accounts`"),
        (lambda: dell.dell_draws(1, weeks=20), ValueError, "`weeks`"),
        (lambda: dell.annual_summary(pd.DataFrame({"x": [1]})), ValueError, "`supply` must have the column"),
        (lambda: dell.break_even_price_gap(None, None, gap1=0), ValueError, "`gap1`"),
        (lambda: make_dell_customers(5), ValueError, "`n`"),
        (lambda: make_dell_customers(100, business_share=1.0), ValueError, "`business_share`"),
        (lambda: make_dell_customers(100, seed="x"), ValueError, "`seed`"),
        (lambda: segment_profit([1, 2]), TypeError, "`customers` must be a pandas DataFrame"),
        (lambda: shift_resources(make_dell_customers(100, seed=1), shift=1.5), ValueError, "`shift`"),
        (lambda: shift_resources(make_dell_customers(100, seed=1), top=1.0), ValueError, "`top`"),
        (lambda: segment_clv(make_dell_customers(100, seed=1), discount=2), ValueError, "`discount`"),
    ],
)
def test_functions_reject_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --------------------------------------------------------------------------
# Customer base
# --------------------------------------------------------------------------

def test_customer_schema_and_determinism(accounts):
    _check_schema(accounts, CUSTOMER_SCHEMA)
    assert len(accounts) == 5000
    pd.testing.assert_frame_equal(make_dell_customers(300, seed=4), make_dell_customers(300, seed=4))
    assert not make_dell_customers(300, seed=4)["revenue"].equals(make_dell_customers(300, seed=5)["revenue"])


def test_customer_ranges(accounts):
    assert (accounts["revenue"] > 0).all()
    assert (accounts["orders"] >= 1).all()
    assert (accounts["service_cost"] > 0).all()
    assert accounts["retention"].between(0, 1).all()
    assert (accounts["price_elasticity"] < 0).all()
    np.testing.assert_allclose(accounts["profit"], accounts["gross_margin"] - accounts["service_cost"], atol=0.011)
    assert set(accounts["segment"]) == set(SEGMENTS)


def test_customer_calibration(accounts):
    rev = accounts["revenue"]
    business = rev[accounts["customer_type"] == "business"].sum() / rev.sum()
    assert business == pytest.approx(0.90, abs=0.03)                    # ZDNet 1999 [M]
    online = rev[accounts["channel"] == "online"].sum() / rev.sum()
    assert online == pytest.approx(0.30, abs=0.06)                      # ZDNet Q1 1999 [M]
    assert accounts["gross_margin"].sum() / rev.sum() == pytest.approx(1 - dell.COGS_SHARE, abs=0.015)
    # consumers buy on price and stay less; business accounts stay longer
    t = segment_profit(accounts)
    assert t.loc["consumer", "retention"] < t.loc["small_business", "retention"] < t.loc["large_business", "retention"]
    # a whale curve: some accounts lose money, so the cumulative profit share peaks above 100%
    table = metrics.pareto_table(accounts["profit"], ids=accounts["account_id"])
    assert table["value_share"].max() > 1.0
    assert (accounts["profit"] < 0).mean() > 0.1


def test_business_share_argument_moves_the_mix():
    low = make_dell_customers(4000, seed=2, business_share=0.5)
    share = low.loc[low["customer_type"] == "business", "revenue"].sum() / low["revenue"].sum()
    assert share == pytest.approx(0.5, abs=0.05)


def test_segment_profit_on_a_hand_worked_frame():
    df = pd.DataFrame({
        "segment": pd.Categorical(["large_business", "consumer", "consumer"], categories=list(SEGMENTS), ordered=True),
        "revenue": [1000.0, 100.0, 100.0],
        "gross_margin": [200.0, 20.0, 20.0],
        "service_cost": [50.0, 10.0, 40.0],
        "profit": [150.0, 10.0, -20.0],
        "retention": [0.9, 0.5, 0.7],
    })
    t = segment_profit(df)
    assert t.loc["large_business", "profit"] == 150
    assert t.loc["consumer", "profit"] == -10
    assert t.loc["consumer", "loss_making_share"] == 0.5
    assert t.loc["consumer", "retention"] == pytest.approx(0.6)
    assert t["revenue_share"].sum() == pytest.approx(1.0)
    c = segment_clv(df, discount=0.1)
    assert c.loc["large_business", "clv_per_account"] == pytest.approx(metrics.clv(150, 0.9, 0.1))
    assert c.loc["consumer", "clv_per_account"] == pytest.approx(metrics.clv(-5, 0.6, 0.1))


def test_shift_resources(accounts):
    none = shift_resources(accounts, shift=0.0)
    assert none.loc["all", "equity_after"] == pytest.approx(none.loc["all", "equity_before"])
    out = shift_resources(accounts, shift=0.3, top=0.2)
    # the budget only moves
    assert out.loc["all", "service_after"] == pytest.approx(out.loc["all", "service_before"])
    assert out.loc["top accounts", "service_after"] > out.loc["top accounts", "service_before"]
    assert out.loc["top accounts", "retention_after"] > out.loc["top accounts", "retention_before"]
    assert out.loc["other accounts", "retention_after"] < out.loc["other accounts", "retention_before"]
    assert out.loc["top accounts", "accounts"] == 1000
    # equity is the sum of account CLVs (metrics.clv, Gupta & Lehmann)
    m, r = accounts["profit"].to_numpy(), accounts["retention"].to_numpy()
    assert out.loc["all", "equity_before"] == pytest.approx(sum(metrics.clv(a, b, 0.1) for a, b in zip(m, r)))


# --------------------------------------------------------------------------
# What-if and widget
# --------------------------------------------------------------------------

def test_whatif_directions():
    base = dell.whatif_dell()
    assert base["Dell CCC (days)"] < 0 < base["Rival CCC (days)"]
    # growth absorbs a little cash for Dell, ten times more for the rival
    dell_cash, rival_cash = base["Cash from growth, Dell (USD M a year)"], base["Cash from growth, rival (USD M a year)"]
    assert rival_cash < dell_cash <= 0
    assert abs(dell_cash) * 10 < abs(rival_cash)
    assert base["Dell profit, year 1 (USD M)"] > base["Rival profit, year 1 (USD M)"]
    cheap = dell.whatif_dell(price_gap=0.10)
    assert cheap["Rival profit, year 1 (USD M)"] == base["Rival profit, year 1 (USD M)"]
    # a 10% gap costs about 10% of first-year orders (≈ USD 1.2 B)
    lost = base["Dell profit, year 1 (USD M)"] - cheap["Dell profit, year 1 (USD M)"]
    assert lost == pytest.approx(0.10 * dell.REVENUE_1998, rel=0.05)
    assert cheap["Price gap the model can fund (%)"] == pytest.approx(base["Price gap the model can fund (%)"], abs=0.01)
    # faster price falls and slower rivals widen the gap Dell can fund
    assert dell.whatif_dell(weekly_decline=0.015)["Price gap the model can fund (%)"] > base["Price gap the model can fund (%)"]
    assert dell.whatif_dell(rival_days=60)["Write-downs, rival (% of revenue)"] > base["Write-downs, rival (% of revenue)"]
    # if Dell held as much stock as the rival, the write-downs would match
    same = dell.whatif_dell(dell_days=28, rival_days=28)
    assert same["Write-downs, Dell (% of revenue)"] == pytest.approx(same["Write-downs, rival (% of revenue)"], abs=0.1)
    # consumers cost more to serve per dollar than business accounts
    assert dell.whatif_dell(business_share=0.5)["Service cost (% of orders)"] > base["Service cost (% of orders)"]
    # faster growth needs more cash, far more for the rival
    fast = dell.whatif_dell(growth=0.9)
    assert fast["Cash from growth, rival (USD M a year)"] < rival_cash
    assert fast["Cash from growth, Dell (USD M a year)"] > fast["Cash from growth, rival (USD M a year)"]


def test_whatif_draws_are_the_shipped_datasets():
    d = dell.dell_draws(dell.DELL_SEED)
    pd.testing.assert_frame_equal(d.customers, make_dell_customers(5000, seed=dell.DELL_SEED + 1))
    rng = np.random.default_rng(dell.DELL_SEED)
    np.testing.assert_array_equal(d.z_demand, rng.standard_normal(156))
    again = dell.dell_draws(np.random.default_rng(3), weeks=52, accounts=50)
    pd.testing.assert_frame_equal(again.customers, dell.dell_draws(np.random.default_rng(3), weeks=52, accounts=50).customers)


def test_widget_driven_in_python():
    w = dell.build_dell_widget()
    assert set(w.controls) == {"dell_days", "rival_days", "weekly_decline", "growth", "business_share", "price_gap"}
    before_html = w.html.value
    before = w.result["Dell profit, year 1 (USD M)"]
    w.controls["price_gap"].value = 0.12
    assert w.html.value != before_html
    assert w.result["Dell profit, year 1 (USD M)"] < before
    assert w.image.value[:4] == b"\x89PNG"
    w.controls["rival_days"].value = 60
    assert w.result["Write-downs, rival (% of revenue)"] > 2.6
    assert "Price gap the model can fund" in repr(w)


def test_shipped_datasets_match_the_simulators():
    for name in ("dell_supply_chain", "dell_customers"):
        pd.testing.assert_frame_equal(datasets.load(name), datasets.build(name))
    assert datasets.get("dell_customers").csv_path.stat().st_size < 2_000_000


def test_plot_dell_whatif_returns_labelled_axes():
    import matplotlib

    matplotlib.use("Agg")
    from casekit.plotting import new_axes

    fig, ax = new_axes()
    out = dell.plot_dell_whatif(dell.whatif_dell(price_gap=0.05), ax=ax, price_gap=0.05)
    assert out is ax
    assert "5% cheaper" in ax.get_title()
    assert ax.get_ylabel() == "Share of revenue (%)"
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 4 and heights[0] > heights[1]   # gross margin above profit margin for Dell


def _note_figures(lang="en"):
    """The headline figures the teaching note quotes, computed as the notebook computes them,
    written as the English (``lang="en"``) or the Chinese note (``"zh"``) writes them: the same
    digits, the unit in the note's language."""
    from casekit import datasets, sensitivity

    s = dell.annual_summary(datasets.load("dell_supply_chain"))
    supply = datasets.load("dell_supply_chain")
    cash = supply.groupby("model", observed=True)["cash_from_working_capital"].sum()
    terms = (dell.DSO_DAYS, dell.DPO_DAYS, dell.REVENUE_1998)
    base, g10, g15 = dell.whatif_dell(), dell.whatif_dell(price_gap=0.10), dell.whatif_dell(price_gap=0.15)
    slow = dell.whatif_dell(weekly_decline=0.003, rival_days=65)
    fast = dell.whatif_dell(weekly_decline=0.015, rival_days=65)
    saving = sensitivity.tornado(dell.direct_model_cash, dell.cash_assumptions())
    ccc = dell.cash_conversion_cycle(dell.DELL_DAYS, dell.DSO_DAYS, dell.DPO_DAYS)
    pct = lambda x: f"{x:.1f}%"            # noqa: E731 - numbers already in per cent
    share = lambda x: f"{x:.1%}"           # noqa: E731
    if lang == "zh":
        usd = lambda x: f"{x:,.0f} 百万美元".replace("-", "−")   # noqa: E731
        days = "天"
    else:
        usd = lambda x: f"USD {x:,.0f} M".replace("USD -", "USD −")   # noqa: E731
        days = "days"
    return {
        "dell_days": f"{s.loc['build_to_order', 'inventory_days'].iloc[0]:.1f} {days}",
        "rival_days": f"{s.loc['build_to_stock', 'inventory_days'].iloc[0]:.1f}",
        "wd_dell": share(s.loc["build_to_order", "write_down_share"].mean()),
        "wd_rival": share(s.loc["build_to_stock", "write_down_share"].mean()),
        "wd_gap": f"{(s.loc['build_to_stock', 'write_down_share'] - s.loc['build_to_order', 'write_down_share']).mean():.2%}",
        "wc_dell": usd(dell.working_capital(dell.DELL_DAYS, *terms)),
        "wc_rival": usd(dell.working_capital(dell.RIVAL_DAYS, *terms)),
        "dell_need": usd(-dell.cash_from_growth(dell.DELL_DAYS, *terms, dell.GROWTH)),
        "rival_need": usd(-dell.cash_from_growth(dell.RIVAL_DAYS, *terms, dell.GROWTH)),
        "old_rule": usd(ccc * dell.COGS_SHARE * dell.REVENUE_1998 / 365),
        "sim_dell": usd(-cash["build_to_order"]),
        "sim_rival": usd(-cash["build_to_stock"]),
        "margin_dell": pct(base["Dell profit margin (%)"]),
        "margin_rival": pct(base["Rival profit margin (%)"]),
        "funded": pct(base["Price gap the model can fund (%)"]),
        "funded_slow": pct(dell.whatif_dell(rival_days=65, weekly_decline=0.015)["Price gap the model can fund (%)"]),
        "margin_10": pct(g10["Dell profit margin (%)"]),
        "margin_15": pct(g15["Dell profit margin (%)"]).replace("-", "−"),
        "stress_wd_slow": pct(slow["Write-downs, rival (% of revenue)"]),
        "stress_wd_fast": pct(fast["Write-downs, rival (% of revenue)"]),
        "stress_margin_slow": pct(slow["Rival profit margin (%)"]),
        "stress_margin_fast": pct(fast["Rival profit margin (%)"]),
        "stress_cash": usd(-fast["Cash from growth, rival (USD M a year)"]),
        "saving": usd(saving.attrs["base_figure"]),
        "saving_min": usd(saving[["figure_low", "figure_high"]].min().min()),
        "gap_max": pct(sensitivity.tornado(dell.funded_price_gap, dell.gap_assumptions())[
            ["figure_low", "figure_high"]].max().max()),
    }


NOTES = {"en": "exercises/teaching_notes/dell.md", "zh": "exercises/teaching_notes/zh/dell.md"}


@pytest.mark.parametrize("lang", sorted(NOTES))
def test_teaching_note_quotes_the_computed_figures(lang):
    import re
    from pathlib import Path

    note = (Path(__file__).resolve().parents[1] / NOTES[lang]).read_text(encoding="utf-8")
    flat = re.sub(r"\s+", " ", note)
    figures = _note_figures(lang)
    marked = set(re.findall(r"<!-- fig:(\w+) -->", note))
    assert marked == set(figures), f"markers {sorted(marked ^ set(figures))} differ"
    for name, text in figures.items():
        assert f"{text} <!-- fig:{name} -->" in flat, f"teaching note should quote {text!r} for {name}"


def test_funded_price_gap_table_is_computed():
    from casekit import sensitivity

    t = sensitivity.tornado(dell.funded_price_gap, dell.gap_assumptions())
    assert t.attrs["base_figure"] == pytest.approx(dell.whatif_dell()["Price gap the model can fund (%)"])
    assert t.index[0] == "rival_days" and t.loc["rival_days", "swing"] > 1
    assert t.loc["growth", "swing"] == pytest.approx(0.0, abs=0.02)   # first-year margins do not depend on growth
    assert sensitivity.crosses(t, 10) == []                          # never near the case text's 10–15%


# --------------------------------------------------------------------------
# The two editions: every reader-facing string from the catalogue
# --------------------------------------------------------------------------

def _digits(text):
    import re

    return sorted(re.findall(r"\d[\d,]*(?:\.\d+)?", str(text)))


def test_every_whatif_key_has_a_label_in_both_languages():
    from casekit import i18n

    result = dell.whatif_dell()
    assert set(result) == set(dell.WHATIF_KEYS)
    for key in result:
        with i18n.language("en"):
            assert dell.whatif_label(key) == key
        with i18n.language("zh"):
            label = dell.whatif_label(key)
        assert label != key and any("\u4e00" <= ch <= "\u9fff" for ch in label), key
        assert _digits(label) == _digits(key), key      # "year 1" stays "第 1 年"
    with pytest.raises(ValueError, match="`key`"):
        dell.whatif_label("Dell profit")


def test_tables_show_the_same_digits_in_both_languages(supply, accounts):
    from casekit import dell_customers, i18n, sensitivity

    summary = dell.annual_summary(supply)
    segments = segment_profit(accounts)
    shift = shift_resources(accounts)
    saving = sensitivity.tornado(dell.direct_model_cash, dell.cash_assumptions())
    makers = {
        "supply_preview": lambda: dell.supply_preview(supply),
        "summary": lambda: dell.summary_table(summary),
        "working_capital": lambda: dell.working_capital_table(dell.working_capital_comparison()),
        "saving": lambda: dell.saving_table(saving),
        "accounts": lambda: dell_customers.accounts_preview(accounts),
        "segments": lambda: dell_customers.segment_table(segments),
        "clv": lambda: dell_customers.clv_table(segment_clv(accounts)),
        "needs": lambda: dell_customers.needs_table(dell_customers.segment_needs(accounts)),
        "shift": lambda: dell_customers.shift_table(shift),
        "cost_rate": lambda: dell_customers.cost_rate_table(dell_customers.service_cost_rates(accounts)),
    }
    for name, make in makers.items():
        with i18n.language("en"):
            en = make()
        with i18n.language("zh"):
            zh = make()
        assert _digits(repr(en)) == _digits(repr(zh)), name
        headers = " ".join(map(str, [*zh.frame.columns, zh.frame.index.name or ""]))
        assert any("\u4e00" <= ch <= "\u9fff" for ch in headers), name
        assert not any(w in headers.split() for w in ("the", "of", "and", "to")), name
    with i18n.language("zh"):
        t = dell.summary_table(summary)
        assert set(t.frame["企业"]) == {"戴尔（按订单生产）", "对手（按库存生产）"}
        t = dell_customers.segment_table(segments)
        assert list(t.frame.index) == ["大型企业", "中型企业", "小型企业", "个人消费者"]


def test_widget_in_chinese_is_keyed_by_chinese_labels():
    from casekit import i18n

    with i18n.language("zh"):
        w = dell.build_dell_widget()
        profit = "戴尔第 1 年利润（百万美元）"
        assert profit in w.result and "Dell profit, year 1 (USD M)" not in w.result
        assert w.controls["price_gap"].description == "戴尔比对手低的价格"
        before = w.result[profit]
        w.controls["price_gap"].value = 0.12
        assert w.result[profit] < before
        assert w.image.value[:4] == b"\x89PNG"
        assert "这一模式能支撑的价格差" in repr(w)
    with i18n.language("en"):
        assert dell.build_dell_widget().result["Dell profit, year 1 (USD M)"] == pytest.approx(before)


def test_charts_in_chinese_are_labelled_in_chinese(supply, accounts):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from casekit import dell_customers, i18n, plotting

    curve = metrics.pareto_table(accounts["profit"], ids=accounts["account_id"])
    charts = {
        "stock": lambda ax: dell.plot_stock_days(supply, ax=ax),
        "cash": lambda ax: dell.plot_cash(supply, ax=ax),
        "gap": lambda ax: dell.plot_price_gap(2.5, ax=ax, gaps=[0.0, 0.05, 0.1]),
        "stress": lambda ax: dell.plot_stress(65, ax=ax, declines=[0.003, 0.015]),
        "whatif": lambda ax: dell.plot_dell_whatif(dell.whatif_dell(), ax=ax),
        "whale": lambda ax: dell_customers.plot_whale(curve, ax=ax),
    }
    for name, draw in charts.items():
        with i18n.language("zh"), plotting.style():
            fig, ax = plotting.new_axes()
            draw(ax)
            fig.canvas.draw()
            texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
            texts += [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
            plt.close(fig)
        for text in texts:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (name, text)
        assert ax.get_ylim()[0] <= 0 or name in ("cash", "gap"), name    # axes from zero
    with i18n.language("en"):
        fig, ax = plotting.new_axes()
        dell.plot_stock_days(supply, ax=ax)
        assert ax.get_title() == "Stock held, week by week (fiscal 1998–2000)"
        plt.close(fig)


def test_display_helpers_name_the_bad_argument(accounts):
    from casekit import dell_customers

    with pytest.raises(ValueError, match="`model`"):
        dell.model_name("build_to_forecast")
    with pytest.raises(ValueError, match="`index`"):
        dell.whatif_table(pd.DataFrame([dell.whatif_dell()]), ["Dell CCC (days)"], index="week")
    with pytest.raises((ValueError, TypeError), match="`supply`"):
        dell.supply_preview(pd.DataFrame({"week": [1]}))
    with pytest.raises(ValueError, match="`shift`"):
        dell_customers.shift_table(shift_resources(accounts).rename(index={"all": "everyone"}))
    with pytest.raises(ValueError, match="`rates`"):
        dell_customers.cost_rate_table(pd.DataFrame({"fax": [0.1]}, index=["consumer"]))
    with pytest.raises(ValueError, match="`segment`"):
        dell_customers.segment_name("enterprise")
    with pytest.raises(ValueError, match="`profit_curve`"):
        dell_customers.plot_whale(pd.DataFrame({"customer_share": [], "value_share": []}))


def test_english_catalogue_labels_match_the_module_constants():
    from casekit import i18n

    with i18n.language("en"):
        assert dell.cash_labels() == dell.CASH_LABELS
        assert dell.gap_labels() == dell.GAP_LABELS
    with i18n.language("zh"):
        assert all(label != dell.CASH_LABELS[n] for n, label in dell.cash_labels().items())
