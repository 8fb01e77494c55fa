"""Dell case (戴尔：顾客使产品成型), part 2: a simulated base of Dell's
accounts, business (large, medium, small) and consumer, with what each one
brings in and costs to serve.

The supply-chain model is in :mod:`casekit.dell`; this module answers the
other half of the case: *where does the profit come from, customer by
customer?* Every simulator takes ``seed`` and draws from one
``numpy.random.Generator``; the same seed gives an identical frame.

Figures and their grades ([M] secondary retelling; full citations in the
``[[references]]`` of ``casekit/content/dell.toml``):

* about 90% of revenue from medium and large organisations [M, ZDNet 1999];
* online sales about 30% of revenue in Q1 1999 [M, ZDNet];
* everything else (order values, margins, service costs, retention, price
  sensitivity) is a teaching assumption, chosen so that the revenue-weighted
  gross margin is near Dell's cost of goods of about 80% of revenue
  (c ≈ 0.8, as in :data:`casekit.dell.COGS_SHARE`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _checks as _ck
from . import formatting
from ._checks import check_frame, check_number, check_probability, check_seed
from .i18n import t
from .metrics import clv
from .sensitivity import Assumption

__all__ = [
    "SEGMENTS",
    "BUSINESS_SEGMENTS",
    "CHANNELS",
    "CUSTOMER_SCHEMA",
    "BUSINESS_REVENUE_SHARE",
    "SEGMENT_PARAMS",
    "make_dell_customers",
    "segment_profit",
    "segment_clv",
    "shift_resources",
    "ASSUMPTIONS",
    "SEGMENT_ASSUMPTIONS",
    "segment_name",
    "accounts_preview",
    "segment_table",
    "clv_table",
    "segment_needs",
    "needs_table",
    "shift_table",
    "service_cost_rates",
    "cost_rate_table",
    "plot_whale",
]

SEGMENTS = ("large_business", "medium_business", "small_business", "consumer")
BUSINESS_SEGMENTS = SEGMENTS[:3]
CHANNELS = ("online", "phone")

BUSINESS_REVENUE_SHARE = 0.90
"""Share of revenue from organisations: about 90% [M] (ZDNet 1999; the case
text says business customers are 90% of Dell's business)."""

# One row per segment. All values are teaching assumptions unless a source is
# named; they are chosen to give the patterns the case describes: consumers
# buy on price (high price sensitivity, low retention), business buyers need a
# built relationship (account teams, high retention).
SEGMENT_PARAMS = pd.DataFrame(
    {
        # share of accounts (assumption: a long tail of consumers)
        "account_share": [0.005, 0.045, 0.20, 0.75],
        # mean yearly revenue per account, USD (assumption); the consumer mean
        # is recomputed from `business_share` so that revenue splits as asked
        "mean_revenue": [1_500_000.0, 150_000.0, 15_000.0, 2_500.0],
        # lognormal spread of revenue within the segment (assumption)
        "revenue_sigma": [0.8, 0.8, 0.9, 0.9],
        # mean orders a year (assumption)
        "orders_per_year": [120.0, 24.0, 4.0, 1.2],
        # gross margin before service cost, share of revenue (assumption; large
        # accounts get volume discounts, consumers are price buyers). The
        # revenue-weighted mean is about 0.20 = 1 − c with c ≈ 0.8.
        "gross_margin": [0.17, 0.21, 0.24, 0.18],
        # relationship cost per account a year, USD: senior sales team, custom
        # software, inventory tracking for the big ones; catalogues and
        # advertising for consumers (assumption)
        "account_cost": [60_000.0, 8_000.0, 600.0, 150.0],
        # support calls a year per account (assumption)
        "support_calls": [200.0, 40.0, 8.0, 3.0],
        # probability the account orders online (assumption; gives online
        # ≈ 30% of revenue, as ZDNet reported for Q1 1999 [M])
        "online_share": [0.25, 0.30, 0.35, 0.45],
        # price elasticity of units (assumption: consumers buy on price)
        "price_elasticity": [-1.0, -1.5, -2.0, -3.0],
        # yearly retention (assumption, in the range of published industry benchmarks)
        "retention": [0.92, 0.88, 0.80, 0.55],
    },
    index=pd.Index(SEGMENTS, name="segment"),
)
"""Per-segment parameters of :func:`make_dell_customers` (teaching
assumptions; only the 90% business share and ≈30% online share are sourced)."""

ORDER_COST = {"phone": 60.0, "online": 15.0}
"""Cost of taking and handling one order, USD (assumption: a phone order needs
a sales representative; an online order is mostly self-service)."""

CALL_COST = {"phone": 25.0, "online": 8.0}
"""Cost of one support contact, USD (assumption; online accounts use web
self-help for part of their questions)."""

COST_SIGMA = 0.6
"""Lognormal spread of the yearly account cost (assumption: some accounts need
far more attention than their size suggests)."""

MARGIN_SD = 0.04
"""Spread (standard deviation) of the gross-margin rate between accounts of a
segment (assumption: negotiated discounts differ)."""

CUSTOMER_SCHEMA = {
    "account_id": ("int", "account number"),
    "segment": ("ordered:" + ",".join(SEGMENTS),
                "large_business / medium_business / small_business / consumer"),
    "customer_type": ("ordered:business,consumer", "business (organisation) or consumer (individual)"),
    "channel": ("category", "how the account mostly orders: phone or online"),
    "orders": ("int", "orders placed in the year (count)"),
    "order_value": ("float", "average value of one order (USD)"),
    "revenue": ("float", "revenue from the account in the year (USD)"),
    "gross_margin": ("float", "revenue minus cost of goods, before service costs (USD)"),
    "service_cost": ("float", "cost to sell to and serve the account: account team, orders, support (USD)"),
    "profit": ("float", "gross_margin − service_cost; can be negative (USD)"),
    "price_elasticity": ("float", "% change in units bought for a 1% price rise (negative; unitless)"),
    "retention": ("float", "probability the account buys again next year (0–1)"),
    "retained": ("bool", "the account did buy again next year (True/False)"),
}


MAX_N = 1_000_000
"""Most customers :func:`make_dell_customers` makes (the course uses 5,000)."""

def make_dell_customers(n=5000, *, seed=None, business_share=BUSINESS_REVENUE_SHARE) -> pd.DataFrame:
    """Simulate ``n`` Dell accounts over one year.

    Parameters
    ----------
    n : int >= 10
        Number of accounts.
    seed : None, int or numpy Generator
    business_share : float in (0, 1)
        Expected share of revenue from business accounts (default 0.90,
        ZDNet 1999 [M]). The mean consumer revenue is set so that, in
        expectation, revenue splits this way.

    Returns
    -------
    DataFrame with the columns of :data:`CUSTOMER_SCHEMA`, in that order.

    Notes
    -----
    Per account: revenue is lognormal with the segment mean
    (``mean·exp(σz − σ²/2)``); orders are 1 + Poisson(mean − 1); channel is
    online with the segment's probability; the gross-margin rate is the
    segment rate + N(0, MARGIN_SD), clipped to [−0.05, 0.40];
    service cost = account cost × lognormal(COST_SIGMA, mean 1) + orders × order cost
    + Poisson(support calls) × call cost (costs by channel); retention is
    Beta with the segment mean (concentration 40); ``retained`` is one draw.

    Examples
    --------
    >>> df = make_dell_customers(200, seed=1)
    >>> list(df.columns) == list(CUSTOMER_SCHEMA)
    True
    """
    _ck.check_at_most("n", n, MAX_N)
    n = check_number("n", n, low=10, integer=True)
    rng = check_seed("seed", seed)
    b = check_probability("business_share", business_share, allow_zero=False, allow_one=False)
    p = SEGMENT_PARAMS

    # Segment sizes: fixed counts from the shares (largest remainder to consumers).
    counts = np.floor(p["account_share"].to_numpy() * n).astype(int)
    counts = np.maximum(counts, 1)
    counts[-1] = n - counts[:-1].sum()
    seg = np.repeat(np.arange(len(SEGMENTS)), counts)

    mean_rev = p["mean_revenue"].to_numpy().copy()
    business_rev = float((counts[:3] * mean_rev[:3]).sum())
    mean_rev[3] = business_rev * (1 - b) / b / counts[3]

    # Every random number once, in a fixed order.
    z_rev = rng.standard_normal(n)
    k_orders = rng.poisson(np.maximum(p["orders_per_year"].to_numpy()[seg] - 1.0, 0.0))
    u_channel = rng.random(n)
    z_margin = rng.standard_normal(n)
    z_cost = rng.standard_normal(n)
    calls = rng.poisson(p["support_calls"].to_numpy()[seg])
    z_elastic = rng.standard_normal(n)
    r_mean = p["retention"].to_numpy()[seg]
    retention = rng.beta(40 * r_mean, 40 * (1 - r_mean))
    u_stay = rng.random(n)

    sigma = p["revenue_sigma"].to_numpy()[seg]
    revenue = np.round(mean_rev[seg] * np.exp(sigma * z_rev - sigma**2 / 2), 2)
    orders = (1 + k_orders).astype("int64")
    online = u_channel < p["online_share"].to_numpy()[seg]
    gm_rate = np.clip(p["gross_margin"].to_numpy()[seg] + MARGIN_SD * z_margin, -0.05, 0.40)
    gross_margin = np.round(revenue * gm_rate, 2)
    order_cost = np.where(online, ORDER_COST["online"], ORDER_COST["phone"])
    call_cost = np.where(online, CALL_COST["online"], CALL_COST["phone"])
    account_cost = p["account_cost"].to_numpy()[seg] * np.exp(COST_SIGMA * z_cost - COST_SIGMA**2 / 2)
    service = np.round(account_cost + orders * order_cost + calls * call_cost, 2)
    elasticity = np.minimum(p["price_elasticity"].to_numpy()[seg] * np.exp(0.2 * z_elastic), -0.1)

    return pd.DataFrame(
        {
            "account_id": np.arange(1, n + 1, dtype="int64"),
            "segment": pd.Categorical.from_codes(seg, categories=list(SEGMENTS), ordered=True),
            "customer_type": pd.Categorical.from_codes((seg == 3).astype(int),
                                                       categories=["business", "consumer"], ordered=True),
            "channel": pd.Categorical.from_codes((~online).astype(int), categories=list(CHANNELS)),
            "orders": orders,
            "order_value": np.round(revenue / orders, 2),
            "revenue": revenue,
            "gross_margin": gross_margin,
            "service_cost": service,
            "profit": np.round(gross_margin - service, 2),
            "price_elasticity": np.round(elasticity, 3),
            "retention": np.round(retention, 4),
            "retained": u_stay < retention,
        }
    )


_NEED = ("segment", "revenue", "gross_margin", "service_cost", "profit", "retention")


def segment_profit(customers) -> pd.DataFrame:
    """Revenue, costs and profit by segment.

    Returns a DataFrame indexed by segment with ``accounts``, ``revenue``,
    ``gross_margin``, ``service_cost``, ``profit`` (USD), ``revenue_share`` and
    ``profit_share`` (0–1), ``profit_per_account`` (USD), ``margin_rate``
    (profit / revenue), ``loss_making_share`` (share of accounts with
    profit < 0) and ``retention`` (mean, 0–1).

    >>> t = segment_profit(make_dell_customers(500, seed=2))
    >>> round(float(t["revenue_share"].sum()), 6)
    1.0
    """
    df = check_frame("customers", customers, _NEED)
    g = df.groupby("segment", observed=False)
    out = pd.DataFrame(
        {
            "accounts": g.size().astype("int64"),
            "revenue": g["revenue"].sum(),
            "gross_margin": g["gross_margin"].sum(),
            "service_cost": g["service_cost"].sum(),
            "profit": g["profit"].sum(),
        }
    )
    out["revenue_share"] = out["revenue"] / out["revenue"].sum()
    out["profit_share"] = out["profit"] / out["profit"].sum()
    out["profit_per_account"] = out["profit"] / out["accounts"].where(out["accounts"] > 0)
    out["margin_rate"] = out["profit"] / out["revenue"]
    out["loss_making_share"] = g["profit"].apply(lambda s: float((s < 0).mean()) if len(s) else np.nan)
    out["retention"] = g["retention"].mean()
    return out


def segment_clv(customers, *, discount=0.10) -> pd.DataFrame:
    """Customer lifetime value (顾客终身价值) per account, by segment.

    Uses :func:`casekit.metrics.clv` with the segment's mean yearly profit per
    account as the margin and its mean retention, over an infinite horizon.

    Returns a DataFrame indexed by segment with ``profit_per_account`` (USD a
    year), ``retention`` (0–1), ``clv_per_account`` (USD) and
    ``customer_equity`` (accounts × CLV, USD).

    Notes
    -----
    CLV = m·r/(1 + d − r) (Gupta & Lehmann 2003).
    """
    table = segment_profit(customers)
    d = check_number("discount", discount, low=0.0, high=1.0)
    values = [clv(m, r, d) if n > 0 else np.nan   # a segment with no accounts has no CLV
              for n, m, r in zip(table["accounts"], table["profit_per_account"], table["retention"])]
    out = table[["accounts", "profit_per_account", "retention"]].copy()
    out["clv_per_account"] = values
    out["customer_equity"] = out["clv_per_account"] * out["accounts"]
    return out


RETENTION_RESPONSE = 0.05
"""Change in yearly retention per unit change in the log of service spend on
an account (assumption: doubling the spend adds about 3.5 points; halving it
takes about 3.5 points away)."""

MAX_RETENTION = 0.98
"""Ceiling on retention in :func:`shift_resources` (assumption)."""


def shift_resources(customers, *, shift=0.2, top=0.2, discount=0.10, response=RETENTION_RESPONSE) -> pd.DataFrame:
    """Move part of the service budget from the less profitable accounts to
    the most profitable ones, and compare profit and customer equity.

    Parameters
    ----------
    customers : DataFrame from :func:`make_dell_customers`
    shift : float in [0, 1]
        Share of the service spend taken from the *donor* accounts (those
        outside the top ``top`` by profit).
    top : float in (0, 1)
        Share of accounts, ranked by profit, that receive the freed budget in
        proportion to their current spend.
    discount : float in [0, 1]
        Yearly discount rate for lifetime value.
    response : float >= 0
        Retention change per unit change in log service spend.

    Returns
    -------
    DataFrame indexed by ``group`` ("top accounts", "other accounts", "all")
    with ``accounts``, ``service_before``, ``service_after`` (USD),
    ``retention_before``, ``retention_after`` (0–1), ``profit_before``,
    ``profit_after`` (USD this year) and ``equity_before``, ``equity_after``
    (sum of account CLVs, USD).

    Notes
    -----
    The total service budget is unchanged. Retention moves by
    ``response · ln(spend_after / spend_before)``, clipped to
    [0, MAX_RETENTION]. Account CLV = m·r/(1 + d − r) (Gupta & Lehmann 2003),
    summed per group; accounts with negative profit have negative CLV, so
    losing them *raises* equity.
    """
    df = check_frame("customers", customers, _NEED)
    s = check_probability("shift", shift)
    t = check_probability("top", top, allow_zero=False, allow_one=False)
    d = check_number("discount", discount, low=0.0, high=1.0)
    resp = check_number("response", response, low=0.0)
    # validated scalar inputs for the CLV formula
    clv(1.0, 0.5, d)

    profit = df["profit"].to_numpy(float)
    spend = df["service_cost"].to_numpy(float)
    gm = df["gross_margin"].to_numpy(float)
    r0 = df["retention"].to_numpy(float)
    order = np.argsort(-profit, kind="stable")
    is_top = np.zeros(len(df), bool)
    is_top[order[: max(1, int(round(t * len(df))))]] = True

    freed = s * spend[~is_top].sum()
    new_spend = spend.copy()
    new_spend[~is_top] *= 1 - s
    top_total = spend[is_top].sum()
    new_spend[is_top] += freed * spend[is_top] / top_total
    with np.errstate(divide="ignore"):
        ratio = np.where(spend > 0, new_spend / np.where(spend > 0, spend, 1.0), 1.0)
        change = resp * np.log(np.maximum(ratio, 1e-9))
    r1 = np.clip(r0 + change, 0.0, MAX_RETENTION)
    p1 = gm - new_spend

    def equity(m, r):
        return m * r / (1.0 + d - r)   # metrics.clv, vectorised over accounts

    rows = {}
    for name, mask in (("top accounts", is_top), ("other accounts", ~is_top), ("all", np.ones(len(df), bool))):
        rows[name] = {
            "accounts": int(mask.sum()),
            "service_before": spend[mask].sum(),
            "service_after": new_spend[mask].sum(),
            "retention_before": r0[mask].mean(),
            "retention_after": r1[mask].mean(),
            "profit_before": profit[mask].sum(),
            "profit_after": p1[mask].sum(),
            "equity_before": equity(profit[mask], r0[mask]).sum(),
            "equity_after": equity(p1[mask], r1[mask]).sum(),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "group"
    return out


ASSUMPTIONS = {
    "order_cost_phone": Assumption(ORDER_COST["phone"], 30.0, 90.0, "USD per order",
                                   "assumed: a sales representative's time for one phone order"),
    "order_cost_online": Assumption(ORDER_COST["online"], 5.0, 30.0, "USD per order",
                                    "assumed: mostly self-service handling of a web order"),
    "call_cost_phone": Assumption(CALL_COST["phone"], 10.0, 40.0, "USD per contact",
                                  "assumed: one support call to an agent"),
    "call_cost_online": Assumption(CALL_COST["online"], 3.0, 15.0, "USD per contact",
                                   "assumed: web self-help answers part of the questions"),
    "cost_sigma": Assumption(COST_SIGMA, 0.3, 0.9, "lognormal sigma",
                             "assumed: how unevenly accounts need attention"),
    "margin_sd": Assumption(MARGIN_SD, 0.02, 0.06, "share of revenue",
                            "assumed: spread of negotiated discounts within a segment"),
    "retention_response": Assumption(RETENTION_RESPONSE, 0.0, 0.10, "retention per unit of log spend",
                                     "assumed: 0 means service spend does not move retention at all"),
    "max_retention": Assumption(MAX_RETENTION, 0.95, 0.99, "share a year",
                                "assumed: even the best-served accounts leave sometimes"),
}
"""Assumed parameters of the Dell account simulation, each with a plausible
range (see :data:`casekit.dell.ASSUMPTIONS` for the supply chain)."""

_SEGMENT_UNITS = {
    "account_share": "share of accounts", "mean_revenue": "USD a year", "revenue_sigma": "lognormal sigma",
    "orders_per_year": "orders a year", "gross_margin": "share of revenue", "account_cost": "USD a year",
    "support_calls": "calls a year", "online_share": "probability", "price_elasticity": "elasticity",
    "retention": "share a year",
}


def _segment_assumptions() -> dict:
    """One Assumption per teaching value of :data:`SEGMENT_PARAMS`: ±25% around
    the value (shares and retention kept inside [0, 0.99])."""
    out = {}
    for param, unit in _SEGMENT_UNITS.items():
        for segment, v in SEGMENT_PARAMS[param].items():
            lo, hi = sorted((0.75 * v, 1.25 * v))
            if unit in ("share of accounts", "share of revenue", "probability", "share a year"):
                lo, hi = max(lo, 0.0), min(hi, 0.99)
            out[f"{param}:{segment}"] = Assumption(float(v), float(lo), float(hi), unit,
                                                   "assumed: ±25% around the teaching value (no source)")
    return out


SEGMENT_ASSUMPTIONS = _segment_assumptions()
"""Plausible ranges of the per-segment teaching values (``"param:segment"`` →
Assumption). Only the 90% business share and the ≈30% online share are
sourced; every value here is an assumption, so each gets a ±25% range."""


# --------------------------------------------------------------------------
# What readers see: tables and the whale curve (text from the catalogue,
# casekit/content/messages/dell.toml, in the current language)
# --------------------------------------------------------------------------

_GROUPS = {"top accounts": "top", "other accounts": "other", "all": "all"}


def segment_name(segment) -> str:
    """The reader's name of a segment (``large_business`` …), current language.

    >>> segment_name("large_business")
    'large business'
    """
    _ck.check_choice("segment", segment, SEGMENTS)
    return t(f"dell_customers.segment.{segment}")


def _named_index(df, kind):
    out = df.copy()
    if kind == "segment":
        out.index = [segment_name(str(s)) for s in out.index]
    else:
        out.index = [t(f"dell_customers.group.{_GROUPS[str(g)]}") for g in out.index]
    return out


def _labels(names):
    return {c: t(f"dell_customers.col.{k}") for c, k in names.items()}


def accounts_preview(customers, rows=3) -> formatting.Table:
    """The first ``rows`` accounts of :func:`make_dell_customers`, the columns
    the notebook discusses, with the reader's headers."""
    cols = ["account_id", "segment", "channel", "orders", "revenue", "service_cost", "profit", "retention"]
    df = check_frame("customers", customers, cols)
    n = check_number("rows", rows, low=1, high=50, integer=True)
    head = df.head(n)[cols].copy()
    head["segment"] = [segment_name(str(s)) for s in head["segment"]]
    head["channel"] = [t(f"dell_customers.channel.{c}") for c in head["channel"]]
    return formatting.table(head, {"revenue": "usd", "service_cost": "usd", "profit": "usd", "orders": "count",
                                   "account_id": "text", "retention": "dec2"},
                            labels=_labels({c: c for c in cols}))


def segment_table(segments) -> formatting.Table:
    """:func:`segment_profit` as the notebook shows it."""
    cols = ["accounts", "revenue_share", "profit_share", "profit_per_account", "loss_making_share", "retention"]
    df = _named_index(check_frame("segments", segments, cols), "segment")
    return formatting.table(df, {"accounts": "count", "revenue_share": "share", "profit_share": "share",
                                 "profit_per_account": "usd", "loss_making_share": "share", "retention": "share"},
                            columns=cols, labels=_labels({c: c for c in cols}),
                            index_label=t("dell_customers.col.segment"))


def clv_table(clv_by_segment) -> formatting.Table:
    """:func:`segment_clv` as the notebook shows it."""
    names = {"accounts": "accounts", "profit_per_account": "profit_per_account_year", "retention": "retention",
             "clv_per_account": "clv_per_account", "customer_equity": "customer_equity"}
    df = _named_index(check_frame("clv_by_segment", clv_by_segment, list(names)), "segment")
    return formatting.table(df, {"accounts": "count", "profit_per_account": "usd", "retention": "share",
                                 "clv_per_account": "usd", "customer_equity": "usd"},
                            columns=list(names), labels=_labels(names), index_label=t("dell_customers.col.segment"))


def segment_needs(accounts) -> pd.DataFrame:
    """Mean order value (USD), orders a year, price elasticity and retention
    by segment: what each kind of customer needs.

    >>> list(segment_needs(make_dell_customers(200, seed=1)).columns)
    ['order_value', 'orders', 'price_elasticity', 'retention']
    """
    cols = ["order_value", "orders", "price_elasticity", "retention"]
    df = check_frame("accounts", accounts, ["segment", *cols])
    return df.groupby("segment", observed=True)[cols].mean()


def needs_table(needs) -> formatting.Table:
    """:func:`segment_needs` as the notebook shows it."""
    names = {"order_value": "order_value", "orders": "orders_a_year", "price_elasticity": "price_elasticity",
             "retention": "retention"}
    df = _named_index(check_frame("needs", needs, list(names)), "segment")
    return formatting.table(df, {"order_value": "usd", "orders": "dec1", "price_elasticity": "dec1",
                                 "retention": "share"},
                            labels=_labels(names), index_label=t("dell_customers.col.segment"))


def shift_table(shift) -> formatting.Table:
    """:func:`shift_resources` as the notebook shows it."""
    cols = ["accounts", "service_before", "service_after", "retention_before", "retention_after",
            "equity_before", "equity_after"]
    df = check_frame("shift", shift, cols)
    unknown = [g for g in df.index if g not in _GROUPS]
    if unknown:
        raise ValueError(f"`shift` must be indexed by {list(_GROUPS)} (from shift_resources), got {unknown}")
    df = _named_index(df, "group")
    return formatting.table(df, {"accounts": "count", "service_before": "usd", "service_after": "usd",
                                 "retention_before": "share", "retention_after": "share", "equity_before": "usd",
                                 "equity_after": "usd"},
                            columns=cols, labels=_labels({c: c for c in cols}),
                            index_label=t("dell_customers.col.group"))


def service_cost_rates(accounts) -> pd.DataFrame:
    """Service cost per dollar of revenue by segment (rows) and channel
    (columns ``online``, ``phone``).

    >>> r = service_cost_rates(make_dell_customers(500, seed=1))
    >>> bool(r.loc["consumer", "phone"] > r.loc["consumer", "online"])
    True
    """
    df = check_frame("accounts", accounts, ["segment", "channel", "service_cost", "revenue"])
    sums = df.groupby(["segment", "channel"], observed=True)[["service_cost", "revenue"]].sum()
    rates = (sums["service_cost"] / sums["revenue"]).unstack()
    rates.columns = [str(c) for c in rates.columns]
    return rates


def cost_rate_table(rates) -> formatting.Table:
    """:func:`service_cost_rates` as the notebook shows it."""
    df = _named_index(check_frame("rates", rates, []), "segment")
    bad = [c for c in df.columns if c not in CHANNELS]
    if bad:
        raise ValueError(f"`rates` must have channel columns {list(CHANNELS)} (from service_cost_rates), got {bad}")
    return formatting.table(df, {c: "share" for c in df.columns},
                            labels={c: t("dell_customers.col.cost_rate", channel=t(f"dell_customers.channel.{c}"))
                                    for c in df.columns},
                            index_label=t("dell_customers.col.segment"))


def plot_whale(profit_curve, *, ax=None):
    """The whale curve: cumulative share of total profit against the share
    of accounts, most profitable first (from
    :func:`casekit.metrics.pareto_table` of account profit), with the 100%
    line and the peak marked. Returns the Axes."""
    from .plotting import PALETTE, get_axes

    df = check_frame("profit_curve", profit_curve, ["customer_share", "value_share"])
    if df.empty:
        raise ValueError("`profit_curve` must have at least one row (from metrics.pareto_table)")
    ax = get_axes(ax)
    x = np.concatenate([[0.0], df["customer_share"].to_numpy(float)]) * 100
    y = np.concatenate([[0.0], df["value_share"].to_numpy(float)]) * 100
    peak = int(np.argmax(y))
    ax.plot(x, y, color=PALETTE["blue"], lw=2, label=t("dell_customers.chart.whale_line"))
    ax.axhline(100, color=PALETTE["black"], lw=0.8, ls=":", label=t("dell_customers.chart.whale_total"))
    ax.plot([x[peak]], [y[peak]], "o", color=PALETTE["vermillion"])
    ax.annotate(t("dell_customers.chart.whale_peak", share=x[peak] / 100, profit=y[peak] / 100),
                xy=(x[peak], y[peak]), xytext=(max(x[peak] - 45, 2), y[peak] * 0.55), color=PALETTE["vermillion"],
                arrowprops={"arrowstyle": "->", "color": PALETTE["vermillion"]})
    ax.set_xlim(0, 100)
    ax.set_ylim(0, max(110.0, float(y.max()) * 1.1))
    ax.set_title(t("dell_customers.chart.whale_title"))
    ax.set_xlabel(t("dell_customers.chart.whale_xlabel"))
    ax.set_ylabel(t("dell_customers.chart.whale_ylabel"))
    ax.legend(loc="lower right")
    return ax
