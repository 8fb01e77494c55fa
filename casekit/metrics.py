"""CRM metrics shared by every case: retention, lifetime value, concentration,
RFM, word of mouth and service recovery.

All functions are pure: numbers or a DataFrame in, numbers or a new DataFrame
out; the input is never modified. Each formula is in its docstring with the
source it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date as _date

import numpy as np
import pandas as pd

from ._checks import (
    add_note,
    check_choice,
    check_frame,
    check_number,
    check_positive,
    check_probability,
    check_str,
    check_values,
)

__all__ = [
    "retention_rate",
    "churn_rate",
    "expected_lifetime",
    "margin_multiple",
    "clv",
    "clv_table",
    "retention_profit_lift",
    "max_retention_lift",
    "margin_growth_for_lift",
    "acquisition_vs_retention",
    "pareto_table",
    "concentration",
    "rfm_scores",
    "rfm_tiers",
    "TIER_LABELS",
    "word_of_mouth",
    "MAX_GENERATIONS",
    "TARP_LOYALTY",
    "TARP_COMPLAINT_RATE",
    "loyalty_after_complaint",
    "recovery_loyalty",
    "loyalty_funnel",
]


# --------------------------------------------------------------------------
# Retention and lifetime value
# --------------------------------------------------------------------------

def retention_rate(customers_at_start, still_customers) -> float:
    """Share of the customers at the start of a period who are still customers
    at its end (new customers won during the period are not counted).

    Examples
    --------
    >>> retention_rate(1000, 850)
    0.85
    """
    start = check_positive("customers_at_start", customers_at_start, integer=True)
    kept = check_number("still_customers", still_customers, low=0, integer=True)
    if kept > start:
        raise ValueError(
            f"`still_customers` must be at most `customers_at_start` ({start}), got {kept}"
        )
    return kept / start


def churn_rate(retention) -> float:
    """Churn (流失率) = 1 − retention.

    >>> round(churn_rate(0.8), 10)
    0.2
    """
    return 1.0 - check_probability("retention", retention)


def expected_lifetime(retention) -> float:
    """Expected number of periods a customer stays, counting the current one:
    1 / (1 − r) for a constant retention rate r < 1.

    >>> round(expected_lifetime(0.8), 9)
    5.0
    """
    r = check_probability("retention", retention, allow_one=False)
    return 1.0 / (1.0 - r)


def margin_multiple(retention, discount) -> float:
    """How many years of margin one customer is worth: r / (1 + d − r).

    Notes
    -----
    Gupta & Lehmann (2003), "Customers as assets", Journal of Interactive
    Marketing 17(1). At d = 10 %: 1.75, 2.67, 3.40, 4.50, 6.33 for
    r = .70, .80, .85, .90, .95.

    >>> round(margin_multiple(0.8, 0.10), 2)
    2.67
    """
    r = check_probability("retention", retention, allow_one=False)
    d = check_number("discount", discount, low=0.0, high=1.0)
    return r / (1.0 + d - r)


def clv(margin, retention, discount, *, horizon=None, acquisition_cost=0.0, margin_growth=0.0) -> float:
    """Customer lifetime value (顾客终身价值).

    Parameters
    ----------
    margin : float
        Yearly margin from one customer (currency units) in the first year,
        paid at the end of each year the customer is still there.
    retention : float in [0, 1)
        Share of customers who stay from one year to the next.
    discount : float in [0, 1]
        Yearly discount rate (cost of capital), e.g. 0.10.
    horizon : int >= 1 or None
        Number of years counted; ``None`` means no end (infinite horizon).
    acquisition_cost : float >= 0
        Cost of winning the customer, subtracted once.
    margin_growth : float in [−0.5, 0.5]
        Yearly growth of the margin with tenure, g (0 = constant margins).
        Reichheld & Sasser (1990) found that customers who stay longer buy
        more and cost less to serve, so their margin grows.

    Notes
    -----
    Infinite horizon (Gupta & Lehmann 2003)::

        CLV = m * r / (1 + d - r) - AC

    With the margin growing by g a year (year t pays m·(1 + g)**(t − 1))::

        CLV = m * r / (1 + d - r * (1 + g)) - AC,   needs r·(1 + g) < 1 + d

    Finite horizon T, the same cash flows cut after year T::

        CLV_T = m / (1 + g) * sum_{t=1..T} (r (1 + g) / (1 + d))**t - AC

    which tends to the infinite-horizon value as T grows.

    Examples
    --------
    >>> round(clv(100, 0.8, 0.10), 2)
    266.67
    >>> round(clv(100, 0.8, 0.10, horizon=1), 2)
    72.73
    >>> round(clv(100, 0.8, 0.10, margin_growth=0.10), 2)   # 80 / (1.1 − 0.88)
    363.64
    """
    m = check_number("margin", margin)
    r = check_probability("retention", retention, allow_one=False)
    d = check_number("discount", discount, low=0.0, high=1.0)
    ac = check_positive("acquisition_cost", acquisition_cost, allow_zero=True)
    g = check_number("margin_growth", margin_growth, low=-0.5, high=0.5)
    q = r * (1.0 + g) / (1.0 + d)
    if horizon is None:
        if q >= 1.0:
            raise ValueError(
                "`margin_growth` must keep retention × (1 + margin_growth) below 1 + discount "
                f"for a finite lifetime value, got {r} × {1 + g:g} >= {1 + d:g}"
            )
        return m * r / (1.0 + d - r * (1.0 + g)) - ac
    t = check_number("horizon", horizon, low=1, integer=True)
    total = t * q if abs(q - 1.0) < 1e-12 else q * (1.0 - q**t) / (1.0 - q)
    return m / (1.0 + g) * total - ac


def clv_table(retentions, *, margin=100.0, discount=0.10, horizon=None, acquisition_cost=0.0) -> pd.DataFrame:
    """CLV for several retention rates side by side (one row each).

    Columns: ``retention``, ``expected_years``, ``margin_multiple``, ``clv``.
    """
    rs = check_values("retentions", retentions)
    rows = []
    for r in rs:
        rows.append(
            {
                "retention": r,
                "expected_years": expected_lifetime(r),
                "margin_multiple": margin_multiple(r, discount),
                "clv": clv(margin, r, discount, horizon=horizon, acquisition_cost=acquisition_cost),
            }
        )
    return pd.DataFrame(rows)


def retention_profit_lift(retention, discount, *, delta=0.05, margin=1.0, horizon=None,
                          margin_growth=0.0) -> float:
    """Relative change in a customer's lifetime value when retention rises by
    ``delta`` (0.05 = five percentage points).

    This is the arithmetic behind the often-quoted "+5 % retention, +25 %
    profit" (Reichheld & Sasser 1990 found +25 % to +85 % by industry).
    ``margin_growth`` lets the yearly margin grow with tenure (see :func:`clv`).

    >>> round(retention_profit_lift(0.80, 0.10), 3)
    0.275
    >>> round(retention_profit_lift(0.80, 0.10, margin_growth=0.10), 3)
    0.417
    """
    r = check_probability("retention", retention, allow_one=False)
    dl = check_number("delta", delta, low=-1.0, high=1.0)
    if not 0.0 <= r + dl < 1.0:
        raise ValueError(
            f"`retention + delta` must stay in [0, 1) (check `delta`), got {r} + {dl} = {r + dl:g}"
        )
    before = clv(margin, r, discount, horizon=horizon, margin_growth=margin_growth)
    if before == 0:
        raise ValueError(f"`retention` must be > 0 for a relative change (and `margin` not 0), "
                         f"got retention {r:g}, margin {margin!r}")
    after = clv(margin, r + dl, discount, horizon=horizon, margin_growth=margin_growth)
    return after / before - 1.0


def max_retention_lift(discount, *, delta=0.05, margin_growth=0.0) -> float:
    """The largest relative gain in lifetime value that ``delta`` more points
    of retention can give, over every starting retention rate (infinite
    when margins grow at least as fast as the discount rate).

    The lift of :func:`retention_profit_lift` rises with the starting rate,
    so the largest lift is at the highest start the formula allows: retention
    after the rise just below 1, or just below (1 + d)/(1 + g) when margins
    grow. The value returned is that limit (a supremum).

    With constant margins and d = 10%, five points give at most
    (1/0.1) / (0.95/0.15) − 1 ≈ 57.9%: Reichheld & Sasser's +85% is out of
    reach unless margins grow with tenure.

    >>> round(max_retention_lift(0.10), 3)
    0.579
    """
    d = check_number("discount", discount, low=0.0, low_open=True, high=1.0)
    dl = check_number("delta", delta, low=0.0, low_open=True, high=0.5)
    g = check_number("margin_growth", margin_growth, low=-0.5, high=0.5)
    top = min(1.0, (1.0 + d) / (1.0 + g))          # retention after the rise stays below this
    after, before = top, top - dl
    if before <= 0:
        raise ValueError(f"`delta` must be below the highest retention the model allows ({top:.3f}), got {dl}")

    def value(r):
        return r / (1.0 + d - r * (1.0 + g))

    if g >= d:                                       # value grows without bound near the limit
        return float("inf")
    return value(after) / value(before) - 1.0


def margin_growth_for_lift(target, retention, discount, *, delta=0.05) -> float:
    """The yearly margin growth with tenure that makes ``delta`` more points
    of retention raise lifetime value by ``target`` (0.85 = +85%).

    Solved by bisection on :func:`retention_profit_lift` (the lift rises with
    margin growth). Raises ValueError if no growth in [0, 0.5] reaches it.

    >>> round(margin_growth_for_lift(0.275, 0.80, 0.10), 4)   # constant margins already give 27.5%
    0.0
    """
    tg = check_number("target", target, low=0.0, high=100.0)
    r = check_probability("retention", retention, allow_zero=False, allow_one=False)
    d = check_number("discount", discount, low=0.0, high=1.0)
    dl = check_number("delta", delta, low=0.0, low_open=True, high=0.5)
    if r + dl >= 1.0:
        raise ValueError(f"`retention + delta` must stay below 1, got {r} + {dl} = {r + dl:g}")
    hi = min(0.5, (1.0 + d) / (r + dl) - 1.0 - 1e-9)

    def lift(g):
        return retention_profit_lift(r, d, delta=dl, margin_growth=g)

    if lift(0.0) >= tg - 1e-12:
        return 0.0
    if lift(hi) < tg:
        raise ValueError(f"`target` {tg:g} cannot be reached with margin growth up to {hi:.3f}")
    lo = 0.0
    for _ in range(80):
        mid = (lo + hi) / 2.0
        if lift(mid) < tg:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def acquisition_vs_retention(budget, *, acquisition_cost, retention_cost, customer_value) -> pd.DataFrame:
    """Spend one budget on winning new customers or on keeping existing ones.

    Parameters
    ----------
    budget : float > 0
    acquisition_cost : float > 0
        Cost of winning one new customer.
    retention_cost : float > 0
        Cost of keeping one customer who would otherwise have left.
    customer_value : float
        Lifetime value of one customer (won or kept), before these costs.

    Returns
    -------
    DataFrame indexed by ``strategy`` ("win new", "keep existing") with
    ``cost_per_customer``, ``customers``, ``value`` and ``return_per_unit``
    (value created per unit of budget).

    Notes
    -----
    The sources quote acquisition as 5–6 times as costly as retention; the
    real ratio varies (3× to 25× in different retellings; no single study
    stands behind any of them).
    """
    b = check_positive("budget", budget)
    ac = check_positive("acquisition_cost", acquisition_cost)
    rc = check_positive("retention_cost", retention_cost)
    v = check_number("customer_value", customer_value)
    rows = []
    for name, cost in (("win new", ac), ("keep existing", rc)):
        n = b / cost
        rows.append({"strategy": name, "cost_per_customer": cost, "customers": n,
                     "value": n * v, "return_per_unit": n * v / b})
    return pd.DataFrame(rows).set_index("strategy")


# --------------------------------------------------------------------------
# Concentration (Pareto / 80-20)
# --------------------------------------------------------------------------

def pareto_table(values, *, ids=None) -> pd.DataFrame:
    """Customers sorted from most to least valuable, with cumulative shares.

    Parameters
    ----------
    values : sequence or Series of numbers
        One value per customer (revenue, profit...). Profit may be negative.
    ids : sequence, optional
        Customer ids; defaults to the Series index or 0..n-1.

    Returns
    -------
    DataFrame with ``customer``, ``value``, ``rank`` (1 = best),
    ``customer_share`` (cumulative share of customers, 0–1) and
    ``value_share`` (cumulative share of the total value, 0–1).
    With negative values ``value_share`` can rise above 1 and then fall:
    the "whale curve" of customer profitability.
    """
    arr = check_values("values", values)
    if ids is None:
        ids = values.index if isinstance(values, pd.Series) else np.arange(arr.size)
    elif isinstance(ids, (str, bytes, dict, set, pd.DataFrame)) or not isinstance(
            ids, (list, tuple, range, np.ndarray, pd.Series, pd.Index)):
        raise TypeError(f"`ids` must be a list of customer ids (one per value), got {ids!r:.80} "
                        f"({type(ids).__name__})")
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.shape[0] != arr.size:
        raise ValueError(f"`ids` must have one id per value ({arr.size}), got shape {ids.shape}")
    total = arr.sum()
    if total <= 0:
        raise ValueError(f"`values` must add up to more than 0 to compute shares, got total {total:g}")
    order = np.argsort(-arr, kind="stable")
    v = arr[order]
    n = arr.size
    return pd.DataFrame(
        {
            "customer": ids[order],
            "value": v,
            "rank": np.arange(1, n + 1),
            "customer_share": np.arange(1, n + 1) / n,
            "value_share": np.cumsum(v) / total,
        }
    )


def concentration(values, top=0.2) -> float:
    """Share of the total that comes from the top ``top`` share of customers.

    The "20/80 rule" says ``concentration(revenue, 0.2)`` ≈ 0.8; measured
    values are usually nearer 0.6–0.73 (Kim, Singh & Winer 2017).
    Fractional customers are interpolated linearly.

    >>> concentration([50, 20, 10, 10, 10], top=0.2)
    0.5
    """
    t = check_probability("top", top, allow_zero=False)
    table = pareto_table(values)
    x = np.concatenate([[0.0], table["customer_share"].to_numpy()])
    y = np.concatenate([[0.0], table["value_share"].to_numpy()])
    return float(np.interp(t, x, y))


# --------------------------------------------------------------------------
# RFM
# --------------------------------------------------------------------------

TIER_LABELS = ("P", "IP", "VIP", "2VIP", "3VIP")
"""Customer tiers after the service handbook: P 普通客户 (ordinary), IP 重要客户
(important), VIP, double VIP (双VIP) and triple VIP (三VIP)."""

_TIER_EDGES = (2, 6, 9, 11, 13, 15)  # RFM total 3–15 → five tiers


def _quantile_score(x: pd.Series, bins: int, *, reverse: bool) -> pd.Series:
    # Rank first so that ties do not collapse bins; 1 = worst, bins = best.
    ranks = x.rank(method="first", ascending=not reverse)
    scores = pd.qcut(ranks, q=min(bins, len(x)), labels=False) + 1
    return scores.astype("int64")


def rfm_scores(transactions, *, customer="customer_id", date="date", amount="amount",
               as_of=None, bins=5) -> pd.DataFrame:
    """Recency, frequency and monetary scores (1–``bins``) per customer.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer, date, amount : str
        Column names for the customer id, the purchase date and its value.
    as_of : date-like, optional
        Day the recency is measured from; defaults to the day after the last
        purchase in the data.
    bins : int in [2, 10]
        Number of score levels (5 gives the classic 125 RFM cells).

    Returns
    -------
    DataFrame indexed by customer with ``recency_days``, ``frequency``,
    ``monetary``, ``R``, ``F``, ``M`` (higher is better: recent, frequent,
    big spenders score high), ``rfm_cell`` (e.g. "545") and ``rfm_total``.

    Notes
    -----
    Quintile scoring with recency reversed (Tsiptsis & Chorianopoulos,
    *Data Mining Techniques in CRM*, 2009).
    """
    df = check_frame("transactions", transactions)
    for name, col in (("customer", customer), ("date", date), ("amount", amount)):
        check_str(name, col)
    missing = [(n, c) for n, c in (("customer", customer), ("date", date), ("amount", amount))
               if c not in df.columns]
    if missing:
        raise ValueError(f"`transactions` must have the column(s) {', '.join(c for _, c in missing)} "
                         f"(named by {', '.join(f'`{n}`' for n, _ in missing)}); "
                         f"it has: {', '.join(map(str, df.columns))}")
    b = check_number("bins", bins, low=2, high=10, integer=True)
    if df.empty:
        raise ValueError("`transactions` must have at least one row, got an empty table")
    dates = pd.to_datetime(df[date], errors="coerce")
    if dates.isna().any():
        raise ValueError(f"column `{date}` of `transactions` must hold dates; {int(dates.isna().sum())} could not be read")
    amounts = pd.to_numeric(df[amount], errors="coerce")
    if amounts.isna().any() or not np.all(np.isfinite(amounts.to_numpy(dtype=float))):
        raise ValueError(f"`amount`: column {amount!r} of `transactions` must hold finite numbers")
    if as_of is None:
        ref = dates.max() + pd.Timedelta(days=1)
    else:
        if isinstance(as_of, (bool, int, float, np.integer, np.floating)) or not isinstance(
                as_of, (str, pd.Timestamp, np.datetime64, _date)):
            raise TypeError(f"`as_of` must be a date such as '2025-12-31', got {as_of!r:.60} ({type(as_of).__name__})")
        try:
            ref = pd.Timestamp(as_of)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(f"`as_of` must be a date such as '2025-12-31', got {as_of!r:.60}") from None
        if pd.isna(ref) or ref < dates.max():
            raise ValueError(f"`as_of` must be on or after the last purchase ({dates.max():%Y-%m-%d}), "
                             f"got {as_of!r:.60}: recency cannot be negative")
    work = pd.DataFrame({"c": df[customer].to_numpy(), "d": dates.to_numpy(), "a": amounts.to_numpy()})
    g = work.groupby("c", sort=True)
    out = pd.DataFrame(
        {
            "recency_days": (ref - g["d"].max()).dt.days.astype("int64"),
            "frequency": g.size().astype("int64"),
            "monetary": g["a"].sum().astype(float),
        }
    )
    out.index.name = customer
    out["R"] = _quantile_score(out["recency_days"], b, reverse=True)
    out["F"] = _quantile_score(out["frequency"], b, reverse=False)
    out["M"] = _quantile_score(out["monetary"], b, reverse=False)
    out["rfm_cell"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    out["rfm_total"] = out["R"] + out["F"] + out["M"]
    return out


def rfm_tiers(scores, *, labels=TIER_LABELS) -> pd.Series:
    """Five tiers from the RFM total (3–15 with 5 bins).

    Totals 3–6 → first label, 7–9, 10–11, 12–13, 14–15 → last label.
    Returns an ordered categorical Series named ``tier``.
    """
    df = check_frame("scores", scores, ["rfm_total"])
    if isinstance(labels, (str, bytes, dict)) or not isinstance(labels, (list, tuple)):
        raise TypeError(f"`labels` must be a list of 5 names (one per tier), got {labels!r:.80}")
    if len(labels) != 5 or len(set(labels)) != 5 or not all(isinstance(x, str) and x for x in labels):
        raise ValueError(f"`labels` must have 5 names (one per tier, all different), got {labels!r:.80}")
    tiers = pd.cut(df["rfm_total"], bins=list(_TIER_EDGES), labels=list(labels))
    tiers = tiers.astype(pd.CategoricalDtype(list(labels), ordered=True))
    tiers.name = "tier"
    return tiers


# --------------------------------------------------------------------------
# Word of mouth and service recovery
# --------------------------------------------------------------------------

MAX_GENERATIONS = 100
"""Most rounds of retelling :func:`word_of_mouth` counts (a course needs a few)."""


def word_of_mouth(satisfied, dissatisfied, *, tell_satisfied=4.5, tell_dissatisfied=9.5,
                  pass_on=0.0, generations=1) -> pd.Series:
    """How many people hear about the firm from its customers.

    Parameters
    ----------
    satisfied, dissatisfied : float >= 0
        Numbers of customers.
    tell_satisfied, tell_dissatisfied : float >= 0
        People each one tells. TARP's 1980 study: satisfied complainants told
        4–5 people, dissatisfied ones 9–10 (the "4 vs 14–15" of the sources is
        a later retelling).
    pass_on : float in [0, 1)
        Share of listeners who tell the story on (same number of people).
    generations : int in [1, MAX_GENERATIONS]
        How many rounds of retelling are counted.

    Returns
    -------
    Series with ``positive``, ``negative``, ``net`` (positive − negative) and
    ``negative_per_positive``.

    Notes
    -----
    Reach of a group of n tellers who each tell k people:
    n·k·Σ_{g=0}^{G-1} (p·k)^g.
    """
    s = check_positive("satisfied", satisfied, allow_zero=True)
    d = check_positive("dissatisfied", dissatisfied, allow_zero=True)
    ks = check_positive("tell_satisfied", tell_satisfied, allow_zero=True)
    kd = check_positive("tell_dissatisfied", tell_dissatisfied, allow_zero=True)
    p = check_probability("pass_on", pass_on, allow_one=False)
    g = check_number("generations", generations, low=1, high=MAX_GENERATIONS, integer=True)

    def reach(n, k):
        return n * k * float(np.sum(np.power(p * k, np.arange(g, dtype=float))))

    with np.errstate(over="ignore", invalid="ignore"):
        pos, neg = reach(s, ks), reach(d, kd)
    if not (np.isfinite(pos) and np.isfinite(neg)):
        raise ValueError(f"`generations` ({g}) with `pass_on` ({p:g}) makes the reach overflow; "
                         "use fewer generations or a smaller pass_on")
    ratio = neg / pos if pos else float("inf")
    return pd.Series({"positive": pos, "negative": neg, "net": pos - neg,
                      "negative_per_positive": ratio})


TARP_LOYALTY = pd.DataFrame(
    {
        "small_loss": [0.37, 0.46, 0.70, 0.95],
        "large_loss": [0.09, 0.19, 0.54, 0.82],
    },
    index=pd.Index(["no_complaint", "complained_unresolved", "resolved", "resolved_quickly"],
                   name="outcome"),
)
"""Share of customers with a problem who would buy again, by what happened
(TARP 1986, as retold in Fast Company "What makes us loyal II"). ``small_loss``:
a problem costing under $5; ``large_loss``: over $100."""

TARP_COMPLAINT_RATE = 1 / 27
"""About 1 in 27 unhappy customers complains to the firm (TARP)."""


def loyalty_after_complaint(outcome, *, loss="small") -> float:
    """Repurchase rate after a problem, by outcome (TARP 1986).

    >>> loyalty_after_complaint("resolved_quickly")
    0.95
    """
    check_choice("outcome", outcome, TARP_LOYALTY.index)
    check_choice("loss", loss, ("small", "large"))
    return float(TARP_LOYALTY.loc[outcome, f"{loss}_loss"])


def recovery_loyalty(counts: Mapping, *, loss="small") -> pd.DataFrame:
    """Expected customers kept, given how many customers had each outcome.

    Parameters
    ----------
    counts : mapping outcome → number of customers
        Outcomes as in :data:`TARP_LOYALTY` (missing ones count as 0).

    Returns
    -------
    DataFrame indexed by outcome with ``customers``, ``loyalty`` and ``kept``,
    plus a ``total`` row whose ``loyalty`` is the overall rate.
    """
    if not isinstance(counts, Mapping):
        raise TypeError(f"`counts` must be a dict of outcome → number, got {type(counts).__name__}")
    check_choice("loss", loss, ("small", "large"))
    for k in counts:
        check_choice("counts", k, TARP_LOYALTY.index)
    try:
        n = pd.Series({o: check_positive("counts", counts.get(o, 0), allow_zero=True)
                       for o in TARP_LOYALTY.index})
    except (TypeError, ValueError) as exc:
        raise type(exc)(add_note(exc, "checks.note.counts")) from None
    if n.sum() <= 0:
        raise ValueError(f"`counts` must hold at least one customer, got {dict(counts)!r:.80}")
    rate = TARP_LOYALTY[f"{loss}_loss"]
    out = pd.DataFrame({"customers": n, "loyalty": rate, "kept": n * rate})
    total_n = out["customers"].sum()
    total_kept = out["kept"].sum()
    out.loc["total"] = [total_n, total_kept / total_n if total_n else float("nan"), total_kept]
    out.index.name = "outcome"
    return out


def loyalty_funnel(customers, *, satisfied, loyal_if_satisfied, refer_if_loyal) -> pd.DataFrame:
    """The satisfaction → loyalty → referral chain (满意 → 忠诚 → 推荐).

    Returns a DataFrame with one row per stage (``customers``, ``satisfied``,
    ``loyal``, ``referrers``) and columns ``count`` and ``share_of_start``.
    """
    n = check_positive("customers", customers)
    s = check_probability("satisfied", satisfied)
    l = check_probability("loyal_if_satisfied", loyal_if_satisfied)
    r = check_probability("refer_if_loyal", refer_if_loyal)
    counts = [n, n * s, n * s * l, n * s * l * r]
    return pd.DataFrame(
        {"stage": ["customers", "satisfied", "loyal", "referrers"],
         "count": counts, "share_of_start": [c / n for c in counts]}
    ).set_index("stage")
