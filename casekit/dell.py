"""Dell case (戴尔：顾客使产品成型): build-to-order against build-to-stock, week
by week, and where Dell's profit and cash came from.

A direct, build-to-order (按订单生产) maker and a build-to-stock (按库存生产)
rival face the same uncertain demand while component prices fall every week.
The rival keeps weeks of finished stock; stock loses value as component
prices fall (obsolescence, 存货贬值), and it ties up cash. The build-to-order
maker holds about a week of stock, is paid by customers before it pays its
suppliers (a negative cash conversion cycle, 现金周转期), so growth ties up
almost no cash (receivables carry the selling price, so working capital stays
slightly positive; see :func:`working_capital`). The customer half of the
case (segments, whale curve, CLV) is in :mod:`casekit.dell_customers`.

Figures and their grades ([S] filing, [M] secondary retelling, [F] found only
in the source text; full citations in the ``[[references]]`` of
``casekit/content/dell.toml``):

* FY1998 revenue USD 12.3 B; inventory about 7 days [S, 10-Q]; Compaq about
  23 days, Gateway about 14 [M]; days of supply 1993–95 Dell 32–55, Compaq
  60–73, IBM 48–64 [M];
* components 75–80% of cost, falling 0.7–1% a week [M]; holding one week of
  stock instead of four gives about 3% lower component cost, roughly 2% more
  profit [M] (Thompson–Strickland case excerpt);
* cash conversion cycle about −8 days in the late 1990s [M];
* growth 52% a year (source text); 59% FY98, 48% FY99 [M];
* "built in 8 hours" and "10–15% below the lowest competitor" appear only in
  the source text [F].
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._checks import check_frame, check_number, check_probability, check_seed
from .datasets import Dataset
from .sensitivity import Assumption
from .dell_customers import (
    BUSINESS_REVENUE_SHARE,
    BUSINESS_SEGMENTS,
    CUSTOMER_SCHEMA,
    make_dell_customers,
)

__all__ = [
    "REVENUE_1998",
    "GROWTH",
    "COGS_SHARE",
    "COMPONENT_SHARE",
    "WEEKLY_DECLINE",
    "DELL_DAYS",
    "RIVAL_DAYS",
    "DSO_DAYS",
    "DPO_DAYS",
    "COST_OF_CAPITAL",
    "DEMAND_CV",
    "DECLINE_SPREAD",
    "MODELS",
    "SUPPLY_SCHEMA",
    "DELL_SEED",
    "make_dell_supply_chain",
    "annual_summary",
    "cash_conversion_cycle",
    "working_capital",
    "working_capital_parts",
    "cash_from_growth",
    "ASSUMPTIONS",
    "dell_growth_cash",
    "direct_model_cash",
    "cash_assumptions",
    "CASH_LABELS",
    "funded_price_gap",
    "gap_assumptions",
    "GAP_LABELS",
    "obsolescence_advantage",
    "break_even_price_gap",
    "DellDraws",
    "dell_draws",
    "whatif_dell",
    "plot_dell_whatif",
    "build_dell_widget",
    "DATASETS",
]

# --------------------------------------------------------------------------
# Named constants, with sources
# --------------------------------------------------------------------------

REVENUE_1998 = 12_300.0
"""Dell's FY1998 revenue, USD millions [S: 10-Q; also the source text]."""

GROWTH = 0.52
"""Yearly revenue growth quoted in the source text (52%); filings give 59%
(FY98) and 48% (FY99) [M]."""

COGS_SHARE = 0.80
"""Cost of goods sold as a share of revenue, c ≈ 0.8 (assumption: a gross
margin of about 20%; see :data:`ASSUMPTIONS` for its range)."""

COMPONENT_SHARE = 0.75
"""Components as a share of the cost of goods, k: 75–80% [M]."""

WEEKLY_DECLINE = 0.01
"""Weekly fall in component prices, δ: 0.7–1% a week [M]; the issue asks for a
range of 0.3–1.5% on the slider."""

DELL_DAYS = 7.0
"""Dell's inventory, days of cost of goods: about 7 in FY1998 [S]."""

RIVAL_DAYS = 28.0
"""The build-to-stock rival's inventory in days: four weeks, the
Thompson–Strickland comparison [M]; Compaq was about 23 days in 1997 and
60–73 in 1993–95 [M]."""

DSO_DAYS = 36.0
"""Days sales outstanding (money owed by customers). Assumption: with
DSI 7 and DPO 51 it gives the CCC of about −8 days reported for Dell in the
late 1990s [M]. The rival is given the same terms, so only inventory differs."""

DPO_DAYS = 51.0
"""Days payables outstanding (money owed to suppliers); see :data:`DSO_DAYS`."""

COST_OF_CAPITAL = 0.10
"""Yearly cost of the money tied up in working capital (assumption; the course
uses 10% as its discount rate everywhere)."""

DEMAND_CV = 0.10
"""Week-to-week spread of orders around the growth trend (coefficient of
variation; assumption)."""

DECLINE_SPREAD = 0.30
"""Spread of the weekly component price fall around its mean (lognormal
sigma; assumption: some weeks prices fall faster than others)."""

ASSUMPTIONS = {
    "dso": Assumption(DSO_DAYS, 30.0, 42.0, "days",
                      "assumed: 36 days gives Dell's reported cycle of about −8 days with DSI 7 and DPO 51; "
                      "±6 days covers a quarter's swing in customer credit"),
    "dpo": Assumption(DPO_DAYS, 45.0, 60.0, "days",
                      "assumed: 51 days gives the −8-day cycle; suppliers' terms of six to eight and a half weeks"),
    "cogs_share": Assumption(COGS_SHARE, 0.75, 0.85, "share of revenue",
                             "assumed: gross margins of 15–25% bracket the PC makers of the late 1990s"),
    "rival_days": Assumption(RIVAL_DAYS, 14.0, 65.0, "days",
                             "Gateway about 14 days and Compaq about 23 in 1997; Compaq 60–73 in 1993–95 (retold [M])"),
    "dell_days": Assumption(DELL_DAYS, 5.0, 13.0, "days",
                            "7 days reported for FY1998 [S]; the range is assumed, around the reported figure"),
    "growth": Assumption(GROWTH, 0.48, 0.59, "share a year",
                         "52% in the source text; 59% (FY98) and 48% (FY99) in the filings [M]"),
    "weekly_decline": Assumption(WEEKLY_DECLINE, 0.007, 0.015, "share a week",
                                 "0.7–1% a week in the Thompson–Strickland excerpt [M]; up to 1.5% assumed for fast years"),
    "cost_of_capital": Assumption(COST_OF_CAPITAL, 0.06, 0.14, "share a year",
                                  "assumed: the course's 10% discount rate ± 4 points"),
    "demand_cv": Assumption(DEMAND_CV, 0.05, 0.20, "coefficient of variation",
                            "assumed: week-to-week noise in orders"),
    "decline_spread": Assumption(DECLINE_SPREAD, 0.10, 0.50, "lognormal sigma",
                                 "assumed: how unevenly component prices fall from week to week"),
}
"""Assumed (or loosely sourced) parameters of the Dell simulation, each with
the plausible range used in the notebook's "How sure are we?" section."""

FY1998_START = pd.Timestamp("1997-02-03")
"""First Monday of Dell's fiscal 1998 (the year ran from 2 February 1997)."""

MODELS = ("build_to_order", "build_to_stock")

DELL_SEED = 1998
"""Seed of the shipped Dell datasets and of the notebook."""

SUPPLY_SCHEMA = {
    "model": ("ordered:" + ",".join(MODELS), "build_to_order (Dell, direct) or build_to_stock (rival)"),
    "week": ("int", "week number, 1 = first week of fiscal 1998 (week)"),
    "date": ("datetime", "Monday the week starts (date)"),
    "year": ("int", "year of the simulation: 1, 2, 3 (year)"),
    "component_price_index": ("float", "price of a fixed basket of components, 1.0 in week 1 (index)"),
    "weekly_decline": ("float", "fall in component prices this week (share, e.g. 0.01 = 1%)"),
    "orders": ("float", "customer orders at the market list price (USD M)"),
    "revenue": ("float", "sales booked: orders met × the firm's price (USD M)"),
    "cogs": ("float", "cost of goods sold at current component prices (USD M)"),
    "inventory": ("float", "stock held at the end of the week, at cost (USD M)"),
    "inventory_days": ("float", "inventory ÷ weekly cost of goods × 7 (days)"),
    "write_down": ("float", "value lost by the stock as component prices fell this week (USD M)"),
    "gross_profit": ("float", "revenue − cogs − write_down (USD M)"),
    "receivables": ("float", "money owed by customers: DSO/7 × average weekly revenue of the last 8 weeks (USD M)"),
    "payables": ("float", "money owed to suppliers: DPO/7 × average weekly cost of goods of the last 8 weeks (USD M)"),
    "working_capital": ("float", "receivables + inventory − payables: receivables at the selling price, the others at cost (USD M)"),
    "ccc_days": ("float", "cash conversion cycle = inventory days + DSO − DPO (days)"),
    "cash_from_working_capital": ("float", "cash released (+) or absorbed (−) by the change in working capital (USD M)"),
    "capital_charge": ("float", "cost of the money in working capital this week, negative = earned (USD M)"),
    "profit": ("float", "gross_profit − capital_charge, before other overheads (USD M)"),
}

# --------------------------------------------------------------------------
# Closed-form formulas
# --------------------------------------------------------------------------


def cash_conversion_cycle(dsi, dso, dpo) -> float:
    """Cash conversion cycle (现金周转期) in days: CCC = DSI + DSO − DPO.

    Days between paying suppliers and being paid by customers. Negative means
    customers pay before suppliers are paid.

    >>> cash_conversion_cycle(7, 36, 51)
    -8.0
    """
    a = check_number("dsi", dsi, low=0.0)
    b = check_number("dso", dso, low=0.0)
    c = check_number("dpo", dpo, low=0.0)
    return a + b - c


def working_capital(dsi, dso, dpo, revenue, *, cogs_share=COGS_SHARE) -> float:
    """Working capital tied up in the cash cycle (USD, same unit as ``revenue``).

    Receivables are money customers owe at the *selling* price; inventory and
    payables are at cost::

        WC = R/365 · DSO + c·R/365 · DSI − c·R/365 · DPO
           = R/365 · (DSO + c · (DSI − DPO))

    with R the yearly revenue and c the cost of goods as a share of revenue.
    So a negative cash conversion cycle (DSI + DSO − DPO < 0) does not by
    itself mean negative working capital: receivables carry the margin.

    Examples
    --------
    Hand example: R = 365 (1 a day), c = 0.5, DSI 10, DSO 20, DPO 40.
    Receivables 20 · 1 = 20, inventory 10 · 0.5 = 5, payables 40 · 0.5 = 20,
    so WC = 20 + 5 − 20 = 5.

    >>> working_capital(10, 20, 40, 365, cogs_share=0.5)
    5.0
    >>> round(working_capital(7, 36, 51, 12_300), 1)   # Dell, FY1998
    27.0
    """
    a = check_number("dsi", dsi, low=0.0)
    b = check_number("dso", dso, low=0.0)
    d = check_number("dpo", dpo, low=0.0)
    r = check_number("revenue", revenue, low=0.0)
    c = check_probability("cogs_share", cogs_share)
    return r / 365.0 * (b + c * (a - d))


def working_capital_parts(dsi, dso, dpo, revenue, *, cogs_share=COGS_SHARE) -> dict:
    """The three parts of :func:`working_capital` (USD, same unit as ``revenue``):
    receivables at the selling price, inventory and payables at cost, and
    their sum.

    >>> working_capital_parts(10, 20, 40, 365, cogs_share=0.5)
    {'receivables': 20.0, 'inventory': 5.0, 'payables': 20.0, 'working capital': 5.0}
    """
    wc = working_capital(dsi, dso, dpo, revenue, cogs_share=cogs_share)
    day = float(revenue) / 365.0
    c = float(cogs_share)
    return {"receivables": day * float(dso), "inventory": c * day * float(dsi),
            "payables": c * day * float(dpo), "working capital": wc}


def cash_from_growth(dsi, dso, dpo, revenue, growth, *, cogs_share=COGS_SHARE) -> float:
    """Cash that a year of growth releases (+) or absorbs (−): the change in
    :func:`working_capital` when revenue grows by ``growth``, −WC · g.

    Dell's −8-day cycle still leaves working capital slightly positive
    (receivables are worth more than their cost), so 52% growth *absorbs*
    about USD 14 M rather than releasing cash.

    >>> round(cash_from_growth(7, 36, 51, 12_300, 0.52), 1)
    -14.0
    """
    g = check_number("growth", growth, low=-1.0)
    return -working_capital(dsi, dso, dpo, revenue, cogs_share=cogs_share) * g


def dell_growth_cash(dell_days=DELL_DAYS, dso=DSO_DAYS, dpo=DPO_DAYS, cogs_share=COGS_SHARE,
                     growth=GROWTH, revenue=REVENUE_1998) -> float:
    """Cash (USD M) that a year of growth releases (+) or absorbs (−) for
    Dell itself: :func:`cash_from_growth` with Dell's days of stock.

    >>> round(dell_growth_cash(), 1)
    -14.0
    """
    return cash_from_growth(dell_days, dso, dpo, revenue, growth, cogs_share=cogs_share)


def direct_model_cash(dell_days=DELL_DAYS, rival_days=RIVAL_DAYS, dso=DSO_DAYS, dpo=DPO_DAYS,
                      cogs_share=COGS_SHARE, growth=GROWTH, revenue=REVENUE_1998) -> float:
    """Cash (USD M) the direct, build-to-order model saves in a year of growth
    compared with a build-to-stock rival on the same payment terms:
    Dell's cash from growth minus the rival's, = g · c · R/365 · (D_rival − D_dell).

    Payment terms (DSO, DPO) are the same for both firms, so they cancel: only
    stock days, the cost share and growth matter.

    >>> round(direct_model_cash(), 1)
    294.4
    """
    dell_cash = cash_from_growth(dell_days, dso, dpo, revenue, growth, cogs_share=cogs_share)
    rival_cash = cash_from_growth(rival_days, dso, dpo, revenue, growth, cogs_share=cogs_share)
    return dell_cash - rival_cash


CASH_LABELS = {
    "rival_days": "Rival's stock (days)",
    "dell_days": "Dell's stock (days)",
    "dso": "Customers pay in (days, DSO)",
    "dpo": "Dell pays suppliers in (days, DPO)",
    "cogs_share": "Cost of goods (share of revenue)",
    "growth": "Revenue growth (share a year)",
}
"""Human labels of the parameters of :func:`direct_model_cash` for tables and charts."""


def cash_assumptions(*, versus_rival=True) -> dict:
    """The assumptions (with ranges) that :func:`direct_model_cash`
    (``versus_rival=True``) or :func:`dell_growth_cash` (``False``) depend on,
    for :func:`casekit.sensitivity.tornado`.

    >>> sorted(cash_assumptions(versus_rival=False))
    ['cogs_share', 'dell_days', 'dpo', 'dso', 'growth']
    """
    if not isinstance(versus_rival, bool):
        raise TypeError(f"`versus_rival` must be True or False, got {versus_rival!r}")
    names = [n for n in CASH_LABELS if versus_rival or n != "rival_days"]
    return {n: ASSUMPTIONS[n] for n in names}


GAP_LABELS = {
    "rival_days": "Rival's stock (days)",
    "weekly_decline": "Component price fall (share a week)",
    "dell_days": "Dell's stock (days)",
    "growth": "Revenue growth (share a year)",
}
"""Human labels of the parameters of :func:`funded_price_gap`."""


def funded_price_gap(dell_days=DELL_DAYS, rival_days=RIVAL_DAYS, weekly_decline=WEEKLY_DECLINE,
                     growth=GROWTH) -> float:
    """The price gap (per cent) at which Dell's first-year profit equals the
    rival's, from the cached what-if draws (:func:`whatif_dell`).

    >>> 2 < funded_price_gap() < 3
    True
    """
    return float(whatif_dell(dell_days=dell_days, rival_days=rival_days, weekly_decline=weekly_decline,
                             growth=growth)["Price gap the model can fund (%)"])


def gap_assumptions() -> dict:
    """The assumptions (with ranges) that :func:`funded_price_gap` depends on."""
    return {n: ASSUMPTIONS[n] for n in GAP_LABELS}


def obsolescence_advantage(weekly_decline, dell_days, rival_days, *, component_share=COMPONENT_SHARE) -> float:
    """Rule of thumb for the cost advantage of holding less stock while
    component prices fall: k · δ · (D_rival − D_dell) / 7.

    Parameters
    ----------
    weekly_decline : float in [0, 0.2]
        δ, the weekly fall in component prices.
    dell_days, rival_days : float >= 0
        Days of inventory of each firm.
    component_share : float in [0, 1]
        k, components as a share of the cost of goods.

    Returns
    -------
    float
        The advantage as a share of the cost of goods (the rule of thumb is
        often quoted as "% of revenue"; base case 2.25%).

    Notes
    -----
    Each extra week of stock means components bought a week earlier, at a
    price δ higher. Strictly, as a share of *revenue* the advantage is
    c times this (c ≈ 0.8 gives 1.8%), which is what the weekly simulation
    measures; both round to the "roughly 2% more profit" of the
    Thompson–Strickland excerpt (one week of stock instead of four, about
    3% lower component cost).

    >>> round(obsolescence_advantage(0.01, 7, 28), 4)
    0.0225
    """
    d = check_number("weekly_decline", weekly_decline, low=0.0, high=0.2)
    a = check_number("dell_days", dell_days, low=0.0)
    b = check_number("rival_days", rival_days, low=0.0)
    k = check_probability("component_share", component_share)
    return k * d * (b - a) / 7.0


# --------------------------------------------------------------------------
# The weekly simulation
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DellDraws:
    """Random numbers drawn once and reused (common random numbers): the
    what-if panel recomputes from them instead of simulating anew.

    Attributes
    ----------
    z_demand, z_decline : arrays of length ``weeks`` (standard normal)
    customers : the simulated account base (:func:`make_dell_customers`)
    """

    z_demand: np.ndarray
    z_decline: np.ndarray
    customers: pd.DataFrame

    @property
    def weeks(self) -> int:
        return int(self.z_demand.size)


def _check_params(weeks, revenue, growth, weekly_decline, dell_days, rival_days, dso, dpo,
                  cogs_share, component_share, demand_cv, price_gap, cost_of_capital):
    return dict(
        weeks=check_number("weeks", weeks, low=52, high=520, integer=True),
        revenue=check_number("revenue", revenue, low=0.0, low_open=True),
        growth=check_number("growth", growth, low=-0.5, high=3.0),
        weekly_decline=check_number("weekly_decline", weekly_decline, low=0.0, high=0.05),
        dell_days=check_number("dell_days", dell_days, low=0.0, high=365.0),
        rival_days=check_number("rival_days", rival_days, low=0.0, high=365.0),
        dso=check_number("dso", dso, low=0.0, high=365.0),
        dpo=check_number("dpo", dpo, low=0.0, high=365.0),
        cogs_share=check_probability("cogs_share", cogs_share, allow_zero=False),
        component_share=check_probability("component_share", component_share),
        demand_cv=check_number("demand_cv", demand_cv, low=0.0, high=1.0),
        price_gap=check_number("price_gap", price_gap, low=0.0, high=0.5),
        cost_of_capital=check_number("cost_of_capital", cost_of_capital, low=0.0, high=1.0),
    )


BALANCE_WEEKS = 8
"""Receivables and payables are DSO/7 (DPO/7) times the average weekly flow
of the last ``BALANCE_WEEKS`` weeks (fewer at the start)."""


def _trailing_mean(x, w):
    """Mean of the last ``w`` values along the last axis (fewer at the start)."""
    c = np.cumsum(x, axis=-1)
    shifted = np.zeros_like(c)
    shifted[..., w:] = c[..., :-w]
    n = np.minimum(np.arange(1, x.shape[-1] + 1), w)
    return (c - shifted) / n


def _simulate(z_demand, z_decline, p) -> dict:
    """Both firms, all weeks, from stored draws; returns arrays of shape (2, weeks)."""
    n = z_demand.size
    t = np.arange(n)
    g = p["growth"]
    # Trend scaled so that the first 52 weeks add up to `revenue` in expectation.
    lg = np.log1p(g)
    per_week = p["revenue"] / 52.0 * (lg / g if abs(g) > 1e-12 else 1.0)
    trend = per_week * np.exp(lg * t / 52.0)
    sd = p["demand_cv"]
    orders = trend * np.exp(sd * z_demand - sd**2 / 2)
    spread = ASSUMPTIONS["decline_spread"].value
    delta = p["weekly_decline"] * np.exp(spread * z_decline - spread**2 / 2)
    delta = np.minimum(delta, 0.5)
    index = np.cumprod(np.concatenate([[1.0], 1.0 - delta[:-1]]))
    c, k = p["cogs_share"], p["component_share"]

    # Build to order: components pulled for the expected week ahead; every order met.
    dell_sales = orders
    dell_inv = p["dell_days"] / 7.0 * c * trend
    # Build to stock: make to forecast (the trend) and keep `rival_days` of stock;
    # stock absorbs the forecast error, a stock-out loses the sale.
    cover = trend * (1.0 + p["rival_days"] / 7.0)
    rival_sales = np.minimum(orders, cover)
    rival_inv = c * (cover - rival_sales)

    sales = np.vstack([dell_sales, rival_sales])
    inv = np.vstack([dell_inv, rival_inv])
    price = np.array([[1.0 - p["price_gap"]], [1.0]])
    revenue = sales * price
    cogs = c * sales
    write_down = delta * k * inv
    gross = revenue - cogs - write_down
    # Balances owed reflect the last few weeks of flows, not one noisy week.
    rev_avg = _trailing_mean(revenue, BALANCE_WEEKS)
    cogs_avg = _trailing_mean(cogs, BALANCE_WEEKS)
    receivables = p["dso"] / 7.0 * rev_avg
    payables = p["dpo"] / 7.0 * cogs_avg
    # Working capital: receivables at the selling price, stock and payables at cost.
    wc = receivables + inv - payables
    inv_days = inv / cogs * 7.0
    ccc = inv_days + p["dso"] - p["dpo"]
    cash = -np.diff(wc, axis=1, prepend=wc[:, :1])
    charge = wc * p["cost_of_capital"] / 52.0
    return dict(
        index=index, delta=delta, orders=orders, revenue=revenue, cogs=cogs, inventory=inv,
        inventory_days=inv_days, write_down=write_down, gross_profit=gross, receivables=receivables,
        payables=payables, working_capital=wc, ccc_days=ccc, cash_from_working_capital=cash,
        capital_charge=charge, profit=gross - charge,
    )


def make_dell_supply_chain(weeks=156, *, seed=None, revenue=REVENUE_1998, growth=GROWTH,
                           weekly_decline=WEEKLY_DECLINE, dell_days=DELL_DAYS, rival_days=RIVAL_DAYS,
                           dso=DSO_DAYS, dpo=DPO_DAYS, cogs_share=COGS_SHARE,
                           component_share=COMPONENT_SHARE, demand_cv=DEMAND_CV, price_gap=0.0,
                           cost_of_capital=COST_OF_CAPITAL) -> pd.DataFrame:
    """Simulate a build-to-order maker (Dell) and a build-to-stock rival,
    week by week, on the same orders and the same falling component prices.

    Parameters
    ----------
    weeks : int in [52, 520]
        Number of weeks (156 = three fiscal years from February 1997).
    seed : None, int or numpy Generator
    revenue : float > 0
        Expected orders in the first 52 weeks, USD millions (12,300 = Dell FY1998).
    growth : float in [−0.5, 3]
        Yearly growth of orders (0.52 = the source's 52%).
    weekly_decline : float in [0, 0.05]
        Mean weekly fall in component prices, δ.
    dell_days, rival_days : float in [0, 365]
        Target inventory of each firm, days of cost of goods.
    dso, dpo : float in [0, 365]
        Days sales outstanding and days payables outstanding (both firms).
    cogs_share : float in (0, 1]
        Cost of goods as a share of list-price revenue, c.
    component_share : float in [0, 1]
        Components as a share of the cost of goods, k.
    demand_cv : float in [0, 1]
        Week-to-week spread of orders around the trend.
    price_gap : float in [0, 0.5]
        How far the build-to-order firm prices below the rival (0.10 = 10%).
    cost_of_capital : float in [0, 1]
        Yearly cost of money tied up in working capital.

    Returns
    -------
    DataFrame with the columns of :data:`SUPPLY_SCHEMA`: ``weeks`` rows for
    ``build_to_order`` then ``weeks`` rows for ``build_to_stock``.

    Notes
    -----
    Orders follow a growth trend times lognormal noise. Both firms see the same
    orders (common random numbers). The build-to-order firm holds
    ``dell_days`` of expected cost and meets every order. The build-to-stock
    rival makes to forecast (the trend) and keeps ``rival_days`` of stock, so
    its end-of-week stock is c·(trend·(1 + D/7) − sales): an order-up-to
    policy, with lost sales if orders exceed what is on hand. Stock is valued
    at current cost; each week it loses δ_t·k of its value (the write-down).
    Receivables = DSO/7 weeks of revenue, payables = DPO/7 weeks of cost of
    goods (weekly flows averaged over the last 8 weeks); CCC = DSI + DSO −
    DPO. Working capital = receivables (at the selling price) + inventory −
    payables (both at cost), as in :func:`working_capital`. The capital
    charge is working capital × cost of capital / 52. The first week's cash from working capital is 0.

    Examples
    --------
    >>> df = make_dell_supply_chain(seed=1)
    >>> df.shape
    (312, 20)
    >>> float(df.loc[df["model"] == "build_to_order", "ccc_days"].mean()).__round__(0)
    -8.0
    """
    p = _check_params(weeks, revenue, growth, weekly_decline, dell_days, rival_days, dso, dpo,
                      cogs_share, component_share, demand_cv, price_gap, cost_of_capital)
    rng = check_seed("seed", seed)
    z_demand = rng.standard_normal(p["weeks"])
    z_decline = rng.standard_normal(p["weeks"])
    return _frame(_simulate(z_demand, z_decline, p), p["weeks"])


def _frame(sim: dict, weeks: int) -> pd.DataFrame:
    week = np.arange(1, weeks + 1)
    both = lambda a: np.concatenate([a, a])  # noqa: E731 - same series for both firms
    out = {
        "model": pd.Categorical.from_codes(np.repeat([0, 1], weeks), categories=list(MODELS), ordered=True),
        "week": both(week).astype("int64"),
        "date": both(FY1998_START + pd.to_timedelta(7 * (week - 1), unit="D")),
        "year": both((week - 1) // 52 + 1).astype("int64"),
        "component_price_index": both(sim["index"]),
        "weekly_decline": both(sim["delta"]),
        "orders": both(sim["orders"]),
    }
    for col in list(SUPPLY_SCHEMA)[7:]:
        out[col] = sim[col].ravel()
    df = pd.DataFrame(out)
    df["date"] = pd.to_datetime(df["date"])
    floats = [c for c, (k, _) in SUPPLY_SCHEMA.items() if k == "float"]
    df[floats] = df[floats].round(6) + 0.0   # + 0.0 turns -0.0 into 0.0
    return df


def annual_summary(supply) -> pd.DataFrame:
    """Year-by-year totals for each model from :func:`make_dell_supply_chain`.

    Returns a DataFrame indexed by (``model``, ``year``) with ``revenue``,
    ``write_down``, ``gross_profit``, ``profit``, ``cash_from_working_capital``
    (USD M, sums over the year), ``working_capital`` (USD M, end of year),
    ``inventory_days`` and ``ccc_days`` (days, averages), ``gross_margin``
    and ``profit_margin`` (share of revenue) and ``write_down_share``
    (write-downs as a share of revenue).
    """
    df = check_frame("supply", supply, ["model", "year", "revenue", "cogs", "inventory", "write_down",
                                        "gross_profit", "profit", "cash_from_working_capital",
                                        "working_capital", "ccc_days"])
    g = df.groupby(["model", "year"], observed=True)
    out = g[["revenue", "write_down", "gross_profit", "profit", "cash_from_working_capital"]].sum()
    out["working_capital"] = g["working_capital"].last()
    out["inventory_days"] = g["inventory"].mean() / g["cogs"].mean() * 7.0
    out["ccc_days"] = g["ccc_days"].mean()
    out["gross_margin"] = out["gross_profit"] / out["revenue"]
    out["profit_margin"] = out["profit"] / out["revenue"]
    out["write_down_share"] = out["write_down"] / out["revenue"]
    return out


def break_even_price_gap(supply_gap0, supply_gap1, *, gap1) -> float:
    """The price gap at which the build-to-order firm's profit over the whole
    simulation equals the rival's.

    Profit is linear in the price gap (revenue and receivables scale with
    ``1 − gap``; costs, stock and payables do not change), so two runs on the
    same draws (same seed), at gap 0 and at ``gap1``, give it exactly.

    >>> a = make_dell_supply_chain(seed=3)
    >>> b = make_dell_supply_chain(seed=3, price_gap=0.1)
    >>> 0 < break_even_price_gap(a, b, gap1=0.1) < 0.1
    True
    """
    g1 = check_number("gap1", gap1, low=0.0, low_open=True, high=0.5)

    def totals(df, name):
        df = check_frame(name, df, ["model", "profit"])
        s = df.groupby("model", observed=True)["profit"].sum()
        return s["build_to_order"], s["build_to_stock"]

    d0, r0 = totals(supply_gap0, "supply_gap0")
    d1, _ = totals(supply_gap1, "supply_gap1")
    slope = (d0 - d1) / g1          # profit lost per unit of price gap
    return float((d0 - r0) / slope)


# --------------------------------------------------------------------------
# What-if: sliders → margin, CCC, profit (from cached draws)
# --------------------------------------------------------------------------


def dell_draws(seed=DELL_SEED, *, weeks=156, accounts=5000) -> DellDraws:
    """Draw the random numbers for the what-if panel once.

    The supply chain uses the same draws as
    :func:`make_dell_supply_chain` with this seed; the customer base is
    :func:`make_dell_customers` with ``seed + 1`` (so the default draws are
    the shipped datasets).

    >>> d = dell_draws(7, weeks=52, accounts=100)
    >>> d.weeks, len(d.customers)
    (52, 100)
    """
    w = check_number("weeks", weeks, low=52, high=520, integer=True)
    n = check_number("accounts", accounts, low=10, integer=True)
    rng = check_seed("seed", seed)
    z_demand = rng.standard_normal(w)
    z_decline = rng.standard_normal(w)
    # an int seed gives the shipped customer dataset (seed + 1); a Generator goes on drawing
    customer_seed = seed + 1 if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) else rng
    return DellDraws(z_demand, z_decline, make_dell_customers(n, seed=customer_seed))


@functools.lru_cache(maxsize=8)
def _segment_rates(draws: DellDraws):
    cust = draws.customers
    g = cust.groupby("segment", observed=False)[["revenue", "gross_margin", "service_cost"]].sum()
    business = g.index.isin(BUSINESS_SEGMENTS)
    within = g["revenue"] / np.where(business, g["revenue"][business].sum(), g["revenue"][~business].sum())
    gm = (g["gross_margin"] / g["revenue"]).to_numpy()
    sc = (g["service_cost"] / g["revenue"]).to_numpy()
    ref = float(g["revenue"][business].sum() / g["revenue"].sum())
    return business, within.to_numpy(), gm, sc, ref


def _mix(draws: DellDraws, business_share: float):
    business, within, gm, sc, ref = _segment_rates(draws)
    w = within * np.where(business, business_share, 1.0 - business_share)
    w_ref = within * np.where(business, ref, 1.0 - ref)
    return float(w @ gm), float(w @ sc), float(w_ref @ gm)


def whatif_dell(dell_days=DELL_DAYS, rival_days=RIVAL_DAYS, weekly_decline=WEEKLY_DECLINE, growth=GROWTH,
                business_share=BUSINESS_REVENUE_SHARE, price_gap=0.0, *, draws=None) -> dict:
    """First-year margin, cash conversion cycle and profit of Dell and a
    build-to-stock rival for one setting of the sliders.

    Parameters
    ----------
    dell_days, rival_days : float in [0, 365]
        Inventory days of each firm.
    weekly_decline : float in [0, 0.05]
        Mean weekly fall in component prices.
    growth : float in [−0.5, 3]
        Yearly growth of orders.
    business_share : float in (0, 1)
        Share of revenue from business accounts. It sets the customer mix:
        the gross margin and the service cost per dollar of orders come from
        the simulated account base, segment by segment; the cost-of-goods
        share moves away from :data:`COGS_SHARE` by the change in mix margin.
    price_gap : float in [0, 0.5]
        How far Dell prices below the rival.
    draws : DellDraws, optional
        Cached draws (default: :func:`dell_draws` at :data:`DELL_SEED`).

    Returns
    -------
    dict label → value (percentages as numbers, money in USD M).

    Notes
    -----
    Profit = revenue − cost of goods − write-downs − capital charge −
    customer service cost, before other overheads. Both firms serve the same
    customer mix; service cost is a share of orders at list price, so a price
    cut does not change it. Profit is linear in the price gap: each unit of
    gap costs one unit of orders, less the capital charge saved on smaller
    receivables, which gives the price gap at which Dell's
    first-year profit equals the rival's.

    >>> r = whatif_dell()
    >>> r["Dell CCC (days)"] < 0 < r["Rival CCC (days)"]
    True
    """
    draws = _default_draws() if draws is None else draws
    if not isinstance(draws, DellDraws):
        raise TypeError(f"`draws` must be a DellDraws from dell_draws(), got {type(draws).__name__}")
    b = check_probability("business_share", business_share, allow_zero=False, allow_one=False)
    gm, sc, gm_ref = _mix(draws, b)
    cogs = min(max(COGS_SHARE + gm_ref - gm, 0.01), 1.0)
    p = _check_params(draws.weeks, REVENUE_1998, growth, weekly_decline, dell_days, rival_days, DSO_DAYS,
                      DPO_DAYS, cogs, COMPONENT_SHARE, DEMAND_CV, price_gap, COST_OF_CAPITAL)
    sim = _simulate(draws.z_demand, draws.z_decline, p)
    y1 = slice(0, 52)
    rev = sim["revenue"][:, y1].sum(axis=1)
    units = sim["cogs"][:, y1].sum(axis=1) / cogs          # orders met, at list price
    gross = sim["gross_profit"][:, y1].sum(axis=1)
    profit = sim["profit"][:, y1].sum(axis=1) - sc * units
    # Each unit of gap costs one unit of orders, less the capital charge saved on
    # the smaller receivables (receivables scale with 1 − gap).
    rec_charge = sim["receivables"][0, y1].sum() * p["cost_of_capital"] / 52.0 / (1.0 - p["price_gap"])
    per_unit_gap = units[0] - rec_charge
    gap = (profit[0] + p["price_gap"] * per_unit_gap - profit[1]) / per_unit_gap
    ccc = sim["ccc_days"][:, y1].mean(axis=1)
    wd = sim["write_down"][:, y1].sum(axis=1)
    cost_y1 = sim["cogs"][:, y1].sum(axis=1)
    dsi = ccc - p["dso"] + p["dpo"]
    cash = [cash_from_growth(dsi[i], p["dso"], p["dpo"], rev[i], p["growth"],
                             cogs_share=min(cost_y1[i] / rev[i], 1.0)) for i in (0, 1)]

    def pct(x):
        return round(float(100 * x), 2)

    return {
        "Dell gross margin after write-downs (%)": pct(gross[0] / rev[0]),
        "Rival gross margin after write-downs (%)": pct(gross[1] / rev[1]),
        "Write-downs, Dell (% of revenue)": pct(wd[0] / rev[0]),
        "Write-downs, rival (% of revenue)": pct(wd[1] / rev[1]),
        "Dell CCC (days)": round(float(ccc[0]), 1),
        "Rival CCC (days)": round(float(ccc[1]), 1),
        "Cash from growth, Dell (USD M a year)": round(float(cash[0])),
        "Cash from growth, rival (USD M a year)": round(float(cash[1])),
        "Service cost (% of orders)": pct(sc),
        "Dell profit margin (%)": pct(profit[0] / rev[0]),
        "Rival profit margin (%)": pct(profit[1] / rev[1]),
        "Dell profit, year 1 (USD M)": round(float(profit[0])),
        "Rival profit, year 1 (USD M)": round(float(profit[1])),
        "Price gap the model can fund (%)": pct(gap),
    }


@functools.lru_cache(maxsize=1)
def _default_draws() -> DellDraws:
    return dell_draws(DELL_SEED)


def plot_dell_whatif(result, *, ax=None, price_gap=0.0, **_):
    """Bar chart of a :func:`whatif_dell` result: gross and profit margins,
    Dell against the rival. Returns the Axes."""
    from .plotting import PALETTE, get_axes

    ax = get_axes(ax)
    x = np.arange(2)
    dell = [result["Dell gross margin after write-downs (%)"], result["Dell profit margin (%)"]]
    rival = [result["Rival gross margin after write-downs (%)"], result["Rival profit margin (%)"]]
    ax.bar(x - 0.2, dell, 0.4, color=PALETTE["blue"], label="Dell, build to order")
    ax.bar(x + 0.2, rival, 0.4, color=PALETTE["orange"], label="Rival, build to stock")
    ax.set_xticks(x, ["Gross margin after write-downs", "Profit margin (before overheads)"])
    ax.axhline(0, color=PALETTE["black"], lw=0.8)
    ax.set_title(f"Dell vs rival, year 1, Dell {100 * price_gap:.0f}% cheaper")
    ax.set_xlabel("Measure")
    ax.set_ylabel("Share of revenue (%)")
    ax.legend(loc="upper right")
    return ax


def build_dell_widget(*, draws=None):
    """The what-if panel of the Dell notebook: six sliders (Dell's and the
    rival's inventory days, weekly price decline, growth, business share,
    price gap) → margins, CCC, cash and profit, with a bar chart.

    Returns the :class:`casekit.widgets.WhatIf` without displaying it.

    >>> w = build_dell_widget()
    >>> w.controls["price_gap"].value = 0.10
    >>> w.result["Dell profit, year 1 (USD M)"] < w.result["Rival profit, year 1 (USD M)"]
    True
    """
    from . import widgets

    draws = _default_draws() if draws is None else draws
    if not isinstance(draws, DellDraws):
        raise TypeError(f"`draws` must be a DellDraws from dell_draws(), got {type(draws).__name__}")

    def compute(**values):
        return whatif_dell(**values, draws=draws)

    controls = {
        "dell_days": widgets.slider("Dell inventory (days)", 7, 2, 60, 1),
        "rival_days": widgets.slider("Rival inventory (days)", 28, 7, 80, 1),
        "weekly_decline": widgets.slider("Component price fall per week", 0.01, 0.003, 0.015, 0.001, fmt=".1%"),
        "growth": widgets.slider("Revenue growth per year", 0.52, 0.0, 1.0, 0.02, percent=True),
        "business_share": widgets.slider("Business share of revenue", 0.90, 0.10, 0.95, 0.05, percent=True),
        "price_gap": widgets.slider("Dell's price below rival", 0.0, 0.0, 0.15, 0.01, percent=True),
    }
    return widgets.what_if(compute, controls, chart=plot_dell_whatif,
                           title="Build to order vs build to stock: what funds a lower price?")


# --------------------------------------------------------------------------
# Shipped datasets
# --------------------------------------------------------------------------


def _supply_dataset() -> pd.DataFrame:
    return make_dell_supply_chain(156, seed=DELL_SEED)


def _customer_dataset() -> pd.DataFrame:
    return make_dell_customers(5000, seed=DELL_SEED + 1)


DATASETS = (
    Dataset(
        name="dell_supply_chain",
        title="Dell: build to order vs build to stock, week by week (simulated)",
        description=(
            "156 weeks (fiscal 1998–2000) for a build-to-order maker (Dell) and a build-to-stock rival facing "
            f"the same orders and the same falling component prices, made by "
            f"`casekit.dell.make_dell_supply_chain(156, seed={DELL_SEED})`. Scaled to Dell's FY1998 revenue of "
            "USD 12.3 B [S] growing 52% a year (source text); components 75% of cost falling 1% a week [M]; "
            "inventory 7 days for Dell [S] and 28 for the rival (the Thompson–Strickland comparison [M]); "
            "DSO 36 and DPO 51 days (giving Dell's reported CCC of about −8 days [M]). Working capital counts "
            "receivables at the selling price, stock and payables at cost. Money in USD millions."
        ),
        build=_supply_dataset,
        columns=SUPPLY_SCHEMA,
    ),
    Dataset(
        name="dell_customers",
        title="Dell: business and consumer accounts for one year (simulated)",
        description=(
            "5,000 simulated Dell accounts (large, medium and small business, and consumers), made by "
            f"`casekit.dell_customers.make_dell_customers(5000, seed={DELL_SEED + 1})`. Business accounts give "
            "about 90% of revenue and online orders about 30% (ZDNet 1999 [M]); order values, margins, service "
            "costs, price sensitivity and retention are teaching assumptions (see SEGMENT_PARAMS). Money in USD."
        ),
        build=_customer_dataset,
        columns=CUSTOMER_SCHEMA,
    ),
)
