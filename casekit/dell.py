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

from . import _checks as _ck
from . import formatting
from ._checks import check_frame, check_number, check_probability, check_seed
from .datasets import Dataset
from .i18n import t
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
    "WHATIF_KEYS",
    "whatif_label",
    "model_name",
    "join_labels",
    "cash_labels",
    "gap_labels",
    "supply_preview",
    "summary_table",
    "working_capital_comparison",
    "working_capital_table",
    "whatif_table",
    "saving_table",
    "gap_table",
    "plot_stock_days",
    "plot_cash",
    "plot_price_gap",
    "plot_stress",
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

MAX_ACCOUNTS = 1_000_000
"""Most customer accounts :func:`dell_draws` draws (the course uses 5,000)."""
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
    _ck.check_number("dell_days", dell_days, low=0.0, high=365.0)
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
    _ck.check_number("dell_days", dell_days, low=0.0, high=365.0)
    _ck.check_number("rival_days", rival_days, low=0.0, high=365.0)
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
    _g1 = check_number("gap1", gap1, low=0.0, low_open=True, high=0.5)
    for _name, _df in (("supply_gap0", supply_gap0), ("supply_gap1", supply_gap1)):
        _ck.check_frame(_name, _df, ["model", "profit"])
        _have = set(_df["model"].astype(str))
        if not {"build_to_order", "build_to_stock"} <= _have:
            raise ValueError(f"`{_name}` must hold both models, build_to_order and build_to_stock "
                             f"(from make_dell_supply_chain), got {sorted(_have)}")
    _p0 = supply_gap0.groupby("model", observed=True)["profit"].sum()
    _p1 = supply_gap1.groupby("model", observed=True)["profit"].sum()
    if not np.isfinite(_p0.to_numpy(dtype=float)).all() or not np.isfinite(_p1.to_numpy(dtype=float)).all():
        raise ValueError("`supply_gap0` and `supply_gap1` must hold finite profits")
    if _p0["build_to_order"] == _p1["build_to_order"]:
        raise ValueError("`supply_gap1` must be simulated with the price gap `gap1` (its Dell profit equals "
                         "that of `supply_gap0`, so no break-even gap can be found)")
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
    _ck.check_at_most("accounts", accounts, MAX_ACCOUNTS)
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
    """Bar chart of a :func:`whatif_dell` result (English keys, or the
    reader's labels of :func:`whatif_label`): gross and profit margins, Dell
    against the rival. Returns the Axes."""
    _keys = ("Dell gross margin after write-downs (%)", "Dell profit margin (%)",
             "Rival gross margin after write-downs (%)", "Rival profit margin (%)")
    if not isinstance(result, dict):
        raise TypeError(f"`result` must be the dict from whatif_dell, got {type(result).__name__}")

    def value(key):
        if key in result:
            return result[key]
        label = whatif_label(key)
        if label in result:
            return result[label]
        raise TypeError(f"`result` must be the dict from whatif_dell (it has no {key!r}), got keys {sorted(result)[:4]}")

    dell_values = [value(_keys[0]), value(_keys[1])]
    rival_values = [value(_keys[2]), value(_keys[3])]
    check_number("price_gap", price_gap, low=0.0, high=0.5)
    from .plotting import PALETTE, get_axes

    ax = get_axes(ax)
    x = np.arange(2)
    ax.bar(x - 0.2, dell_values, 0.4, color=PALETTE["blue"], label=model_name("build_to_order"))
    ax.bar(x + 0.2, rival_values, 0.4, color=PALETTE["orange"], label=model_name("build_to_stock"))
    ax.set_xticks(x, [t("dell.chart.whatif_gross"), t("dell.chart.whatif_profit")])
    ax.axhline(0, color=PALETTE["black"], lw=0.8)
    ax.set_title(t("dell.chart.whatif_title", gap=100 * price_gap))
    ax.set_xlabel(t("dell.chart.whatif_xlabel"))
    ax.set_ylabel(t("dell.chart.share_of_revenue"))
    ax.legend(loc="upper right")
    return ax


def build_dell_widget(*, draws=None):
    """The what-if panel of the Dell notebook: six sliders (Dell's and the
    rival's inventory days, weekly price decline, growth, business share,
    price gap) → margins, CCC, cash and profit, with a bar chart.

    Returns the :class:`casekit.widgets.WhatIf` without displaying it. Its
    ``result`` is keyed by the reader's labels (:func:`whatif_label`), in
    the current language.

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
        return {whatif_label(k): v for k, v in whatif_dell(**values, draws=draws).items()}

    controls = {
        "dell_days": widgets.slider(t("dell.slider.dell_days"), 7, 2, 60, 1),
        "rival_days": widgets.slider(t("dell.slider.rival_days"), 28, 7, 80, 1),
        "weekly_decline": widgets.slider(t("dell.slider.weekly_decline"), 0.01, 0.003, 0.015, 0.001, fmt=".1%"),
        "growth": widgets.slider(t("dell.slider.growth"), 0.52, 0.0, 1.0, 0.02, percent=True),
        "business_share": widgets.slider(t("dell.slider.business_share"), 0.90, 0.10, 0.95, 0.05, percent=True),
        "price_gap": widgets.slider(t("dell.slider.price_gap"), 0.0, 0.0, 0.15, 0.01, percent=True),
    }
    # Shares and days with one decimal, USD millions as whole numbers.
    kinds = {whatif_label(k): "count" if "USD M" in k else "dec1" for k in WHATIF_KEYS}
    return widgets.what_if(compute, controls, chart=plot_dell_whatif, title=t("dell.widget_title"), kinds=kinds)


# --------------------------------------------------------------------------
# What readers see: labels, tables and charts (text from the catalogue,
# casekit/content/messages/dell.toml, in the current language)
# --------------------------------------------------------------------------

WHATIF_KEYS = {
    "Dell gross margin after write-downs (%)": "dell_gross",
    "Rival gross margin after write-downs (%)": "rival_gross",
    "Write-downs, Dell (% of revenue)": "dell_write_downs",
    "Write-downs, rival (% of revenue)": "rival_write_downs",
    "Dell CCC (days)": "dell_ccc",
    "Rival CCC (days)": "rival_ccc",
    "Cash from growth, Dell (USD M a year)": "dell_cash",
    "Cash from growth, rival (USD M a year)": "rival_cash",
    "Service cost (% of orders)": "service_cost",
    "Dell profit margin (%)": "dell_margin",
    "Rival profit margin (%)": "rival_margin",
    "Dell profit, year 1 (USD M)": "dell_profit",
    "Rival profit, year 1 (USD M)": "rival_profit",
    "Price gap the model can fund (%)": "funded_gap",
}
"""The keys of :func:`whatif_dell` (code, English) → their message names."""


def whatif_label(key) -> str:
    """The reader's label of a :func:`whatif_dell` key in the current language.

    >>> whatif_label("Dell CCC (days)")
    'Dell CCC (days)'
    """
    _ck.check_choice("key", key, WHATIF_KEYS)
    return t(f"dell.whatif.{WHATIF_KEYS[key]}")


def model_name(model) -> str:
    """The reader's name of a model, ``build_to_order`` or ``build_to_stock``.

    >>> model_name("build_to_stock")
    'rival, build to stock'
    """
    _ck.check_choice("model", model, MODELS)
    return t(f"dell.model.{model}")


def join_labels(names) -> str:
    """Labels joined into one line with the current language's separator."""
    names = _ck.check_sequence("names", names, allow_empty=True)
    return t("dell.list_sep").join(str(n) for n in names)


def cash_labels() -> dict:
    """Labels of the parameters of :func:`direct_model_cash`, current language."""
    return {n: t(f"dell.param.{n}") for n in CASH_LABELS}


def gap_labels() -> dict:
    """Labels of the parameters of :func:`funded_price_gap`, current language."""
    return {n: t(f"dell.param.{n}") for n in GAP_LABELS}


def _models_as_text(values):
    return [model_name(str(m)) for m in values]


def supply_preview(supply, rows=3) -> formatting.Table:
    """The first ``rows`` weeks of :func:`make_dell_supply_chain`, the columns
    the notebook discusses, with the reader's headers."""
    df = check_frame("supply", supply, ["model", "week", "date", "orders", "revenue", "inventory",
                                        "inventory_days", "working_capital"])
    n = check_number("rows", rows, low=1, high=50, integer=True)
    head = df.head(n).copy()
    head["model"] = _models_as_text(head["model"])
    cols = ["model", "week", "date", "orders", "revenue", "inventory", "inventory_days", "working_capital"]
    names = {"model": "model", "week": "week", "date": "date", "orders": "orders", "revenue": "revenue_m",
             "inventory": "inventory", "inventory_days": "inventory_days", "working_capital": "working_capital"}
    return formatting.table(head, {"orders": "dec1", "revenue": "dec1", "inventory": "dec1",
                                   "inventory_days": "dec1", "working_capital": "dec1", "model": "text",
                                   "date": lambda d: f"{d:%Y-%m-%d}"},
                            columns=cols, labels={c: t(f"dell.col.{k}") for c, k in names.items()})


def summary_table(summary) -> formatting.Table:
    """:func:`annual_summary` as the notebook shows it. The cash conversion
    cycle (``ccc_days``) is left out: section 2 shows this table, and the
    class guesses Dell's cycle in section 3 before the notebook computes it
    (poll ``ccc``)."""
    df = check_frame("summary", summary, ["revenue", "inventory_days", "write_down_share", "gross_margin",
                                          "cash_from_working_capital"]).reset_index()
    df = check_frame("summary", df, ["model", "year"])
    df["model"] = _models_as_text(df["model"])
    names = {"model": "model", "year": "year", "revenue": "revenue_m", "inventory_days": "stock_days",
             "write_down_share": "write_down_share", "gross_margin": "gross_margin",
             "cash_from_working_capital": "cash_from_working_capital"}
    return formatting.table(df, {"model": "text", "revenue": "count", "inventory_days": "dec1",
                                 "write_down_share": "share", "gross_margin": "share",
                                 "cash_from_working_capital": "dec1", "year": "int"},
                            columns=list(names), labels={c: t(f"dell.col.{k}") for c, k in names.items()})


def working_capital_comparison(*, revenue=REVENUE_1998, dso=DSO_DAYS, dpo=DPO_DAYS) -> pd.DataFrame:
    """:func:`working_capital_parts` for Dell (``DELL_DAYS``) and the rival
    (``RIVAL_DAYS``) side by side: columns ``build_to_order`` and
    ``build_to_stock``, rows receivables, inventory, payables, working
    capital (USD M).

    >>> round(float(working_capital_comparison().loc["working capital", "build_to_order"]), 1)
    27.0
    """
    return pd.DataFrame({
        "build_to_order": working_capital_parts(DELL_DAYS, dso, dpo, revenue),
        "build_to_stock": working_capital_parts(RIVAL_DAYS, dso, dpo, revenue),
    })


def working_capital_table(parts) -> formatting.Table:
    """:func:`working_capital_comparison` as the notebook shows it."""
    df = check_frame("parts", parts, list(MODELS)).copy()
    df.index = [t(f"dell.col.wc_part.{str(i).replace(' ', '_')}") for i in df.index]
    return formatting.table(df, {c: "dec1" for c in MODELS}, labels={c: model_name(c) for c in MODELS},
                            index_label=t("dell.col.wc_index"))


def whatif_table(runs, columns, *, index) -> formatting.Table:
    """A table of several :func:`whatif_dell` results (one row each):
    ``columns`` are whatif keys; ``index`` names what the rows vary,
    ``"price_gap"`` or ``"weekly_decline"``. Percentages get one decimal,
    money whole numbers."""
    columns = _ck.check_sequence("columns", columns)
    _ck.check_choice("index", index, ("price_gap", "weekly_decline"))
    for c in columns:
        _ck.check_choice("columns", c, WHATIF_KEYS)
    df = check_frame("runs", runs, list(columns))
    formats = {c: ("count" if "USD" in c else "percent") for c in columns}
    return formatting.table(df, formats, columns=list(columns), labels={c: whatif_label(c) for c in columns},
                            index_label=t(f"dell.col.{index}"))


def _tornado_table(name, table, figure_format, kind):
    df = check_frame(name, table, ["label", "low", "base", "high", "figure_low", "figure_high", "swing"])
    plain = "{:g}".format
    labels = {"low": t("dell.col.low"), "base": t("dell.col.base"), "high": t("dell.col.high"),
              "figure_low": t(f"dell.col.{kind}_low"), "figure_high": t(f"dell.col.{kind}_high"),
              "swing": t(f"dell.col.{kind}_swing")}
    return formatting.table(df.set_index("label"), {"low": plain, "base": plain, "high": plain,
                                                    "figure_low": figure_format, "figure_high": figure_format,
                                                    "swing": figure_format},
                            columns=list(labels), labels=labels, index_label=t("dell.col.assumption"))


def saving_table(saving) -> formatting.Table:
    """The tornado table of :func:`direct_model_cash` (USD M)."""
    return _tornado_table("saving", saving, "count", "saving")


def gap_table(gap) -> formatting.Table:
    """The tornado table of :func:`funded_price_gap` (per cent)."""
    return _tornado_table("gap", gap, "dec1", "gap")


def _by_model(supply, column):
    df = check_frame("supply", supply, ["model", "week", column])
    weeks = df.loc[df["model"] == "build_to_order", "week"].to_numpy()
    return weeks, {model_name(m): df.loc[df["model"] == m, column].to_numpy() for m in MODELS}


def plot_stock_days(supply, *, ax=None):
    """Inventory days of both firms, week by week. Returns the Axes."""
    from .plotting import plot_what_if

    weeks, days = _by_model(supply, "inventory_days")
    df = check_frame("supply", supply, ["date"])
    # Dell's fiscal year starts in February and is named by the calendar year it ends in
    first, last = (d.year + (1 if d.month >= 2 else 0) for d in (df["date"].min(), df["date"].max()))
    ax = plot_what_if(weeks, days, ax=ax, title=t("dell.chart.stock_title", first=first, last=last),
                      xlabel=t("dell.chart.week"), ylabel=t("dell.chart.stock_ylabel"), zero_line=False)
    ax.set_ylim(bottom=0)
    return ax


def plot_cash(supply, *, ax=None):
    """Cumulative cash released (+) or absorbed (−) by working capital, both
    firms. Returns the Axes."""
    from .plotting import plot_what_if

    weeks, cash = _by_model(supply, "cash_from_working_capital")
    return plot_what_if(weeks, {k: np.cumsum(v) for k, v in cash.items()}, ax=ax, title=t("dell.chart.cash_title"),
                        xlabel=t("dell.chart.week"), ylabel=t("dell.chart.cash_ylabel"))


def plot_price_gap(funded, *, ax=None, gaps=None):
    """Dell's and the rival's first-year profit margin as Dell's price gap
    grows (``gaps``, shares; default 0–15% by 1 point), with the break-even
    gap ``funded`` (per cent) marked. Returns the Axes."""
    from .plotting import PALETTE, plot_what_if

    f = check_number("funded", funded, low=0.0, high=50.0)
    grid = [g / 100 for g in range(0, 16)] if gaps is None else list(_ck.check_sequence("gaps", gaps))
    runs = [whatif_dell(price_gap=g) for g in grid]
    ax = plot_what_if([100 * g for g in grid],
                      {t("dell.chart.gap_dell"): [r["Dell profit margin (%)"] for r in runs],
                       t("dell.chart.gap_rival"): [r["Rival profit margin (%)"] for r in runs]},
                      ax=ax, title=t("dell.chart.gap_title"), xlabel=t("dell.chart.gap_xlabel"),
                      ylabel=t("dell.chart.margin_ylabel"))
    ax.axvline(f, color=PALETTE["vermillion"], ls="--", lw=1, label=t("dell.chart.break_even"))
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.4 * (high - low))     # room for the legend above the lines
    ax.legend(loc="upper right")
    return ax


def plot_stress(rival_days, *, ax=None, declines=None):
    """Both firms' first-year profit margin as component prices fall faster
    (``declines``, shares a week; default 0.3–1.5%), with the rival at
    ``rival_days`` of stock. Returns the Axes."""
    from .plotting import plot_what_if

    days = check_number("rival_days", rival_days, low=0.0, high=365.0)
    grid = [d / 1000 for d in range(3, 16)] if declines is None else list(_ck.check_sequence("declines", declines))
    runs = [whatif_dell(weekly_decline=d, rival_days=days) for d in grid]
    ax = plot_what_if([100 * d for d in grid],
                      {t("dell.chart.stress_dell", days=DELL_DAYS): [r["Dell profit margin (%)"] for r in runs],
                       t("dell.chart.stress_rival", days=days): [r["Rival profit margin (%)"] for r in runs]},
                      ax=ax, title=t("dell.chart.stress_title"), xlabel=t("dell.chart.stress_xlabel"),
                      ylabel=t("dell.chart.margin_ylabel"))
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    return ax


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
        title_zh="戴尔：按订单生产与按库存生产的逐周对比（模拟数据）",
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
        title_zh="戴尔：一年的企业客户与个人客户账户（模拟数据）",
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
