"""A simulated customer base for the CRM toolkit (start-here notebook and
exercises): one row per customer, and one row per purchase for RFM.

Every simulator takes ``seed`` and draws from one ``numpy.random.Generator``
made from it; the same seed gives an identical frame on every machine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import check_frame, check_number, check_positive, check_probability, check_seed
from .datasets import Dataset
from .metrics import TARP_LOYALTY

__all__ = ["CUSTOMER_SCHEMA", "PURCHASE_SCHEMA", "SEGMENTS", "OUTCOMES",
           "make_customer_base", "make_purchases", "DATASETS", "TOOLKIT_SEED"]

SEGMENTS = ("occasional", "regular", "key")
OUTCOMES = ("no_problem", "no_complaint", "complained_unresolved", "resolved", "resolved_quickly")

CUSTOMER_SCHEMA = {
    "customer_id": ("int", "customer number"),
    "segment": ("ordered:occasional,regular,key",
                "occasional / regular / key, by yearly revenue (key = top 10%, regular = next 40%)"),
    "tenure_years": ("int", "whole years as a customer so far (years)"),
    "revenue": ("float", "revenue from the customer this year (currency units)"),
    "margin": ("float", "contribution margin this year = revenue × margin rate (currency units)"),
    "had_problem": ("bool", "had a service problem this year (True/False)"),
    "outcome": ("category:" + ",".join(OUTCOMES), "what happened to the problem: no_problem, no_complaint, "
                "complained_unresolved, resolved, resolved_quickly"),
    "satisfaction": ("int", "satisfaction at year end, 1 = very dissatisfied … 5 = very satisfied (score)"),
    "retained": ("bool", "still a customer one year later (True/False)"),
}

PURCHASE_SCHEMA = {
    "customer_id": ("int", "customer number, as in the customer base"),
    "date": ("datetime", "day of the purchase (date)"),
    "amount": ("float", "value of the purchase (currency units)"),
}

# Defaults, with where they come from.
BASE_RETENTION = 0.85       # customers without a problem; assumption in the range of the
                            # retail/insurance retention benchmarks (63–83%, vendor compilations).
REVENUE_SIGMA = 1.1         # lognormal spread: top 20% give ≈ 60–65% of revenue, as measured by
                            # Kim, Singh & Winer (2017), not the folklore 80%.
_SATISFACTION_BY_OUTCOME = {  # mean satisfaction (1–5), an assumption for teaching
    "no_problem": 4.2, "no_complaint": 2.6, "complained_unresolved": 1.8,
    "resolved": 3.6, "resolved_quickly": 4.4,
}


MAX_N = 2_000_000
"""Most customers :func:`make_customer_base` makes (the benchmark uses 1,000,000)."""
MAX_TENURE_YEARS = 60
"""Longest tenure drawn (the firm's age, in years)."""


def make_customer_base(n=2000, *, seed=None, mean_revenue=1000.0, revenue_sigma=REVENUE_SIGMA,
                       margin_rate=0.25, problem_rate=0.25, complain_rate=0.30,
                       resolved_share=0.45, quick_share=0.30,
                       base_retention=BASE_RETENTION) -> pd.DataFrame:
    """Simulate ``n`` customers of a firm over one year.

    Parameters
    ----------
    n : int in [1, MAX_N]
        Number of customers.
    seed : None, int or numpy Generator
    mean_revenue : float > 0
        Mean yearly revenue per customer.
    revenue_sigma : float > 0
        Spread of the lognormal revenue; larger means more concentrated.
    margin_rate : float in [0, 1]
        Contribution margin as a share of revenue.
    problem_rate : float in [0, 1]
        Share of customers who have a service problem in the year.
    complain_rate : float in [0, 1]
        Share of those who complain to someone at the firm (an assumption;
        TARP found only about 1 in 27 complaints reaches head office).
    resolved_share, quick_share : float in [0, 1]
        Of the complaints, the share resolved (slowly) and resolved quickly;
        the rest stay unresolved. Their sum must be at most 1.
    base_retention : float in [0, 1]
        Retention of customers who had no problem (1 = nobody leaves; tenure
        is then capped at :data:`MAX_TENURE_YEARS`).

    Returns
    -------
    DataFrame with the columns of :data:`CUSTOMER_SCHEMA`, in that order.

    Notes
    -----
    Customers with a problem stay with TARP's small-loss probabilities
    (37% no complaint, 46% unresolved, 70% resolved, 95% resolved quickly).

    Examples
    --------
    >>> df = make_customer_base(100, seed=1)
    >>> list(df.columns) == list(CUSTOMER_SCHEMA)
    True
    """
    n = check_number("n", n, low=1, high=MAX_N, integer=True)
    rng = check_seed("seed", seed)
    mu_rev = check_positive("mean_revenue", mean_revenue)
    sigma = check_positive("revenue_sigma", revenue_sigma)
    m = check_probability("margin_rate", margin_rate)
    p_problem = check_probability("problem_rate", problem_rate)
    p_complain = check_probability("complain_rate", complain_rate)
    p_res = check_probability("resolved_share", resolved_share)
    p_quick = check_probability("quick_share", quick_share)
    if p_res + p_quick > 1:
        raise ValueError(
            f"`resolved_share + quick_share` must be at most 1, got {p_res} + {p_quick} = {p_res + p_quick:g}"
        )
    r0 = check_probability("base_retention", base_retention)

    # Draw every random number once, in a fixed order.
    z_rev = rng.standard_normal(n)
    # Tenure (whole years so far) is geometric; it is capped at the firm's
    # age MAX_TENURE_YEARS, so base_retention = 1 (nobody ever leaves) works.
    tenure = np.minimum(rng.geometric(max(1 - r0, 1e-9), n) - 1, MAX_TENURE_YEARS)
    u_problem = rng.random(n)
    u_complain = rng.random(n)
    u_outcome = rng.random(n)
    u_stay = rng.random(n)
    z_sat = rng.standard_normal(n)

    # Lognormal with the requested mean: mean = exp(mu + sigma^2 / 2).
    revenue = np.round(np.exp(np.log(mu_rev) - sigma**2 / 2 + sigma * z_rev), 2)
    cut_key, cut_regular = np.quantile(revenue, [0.90, 0.50])
    segment_code = (revenue >= cut_regular).astype(int) + (revenue >= cut_key).astype(int)

    had_problem = u_problem < p_problem
    complained = had_problem & (u_complain < p_complain)
    outcome_code = np.zeros(n, dtype=int)                       # no_problem
    outcome_code[had_problem & ~complained] = 1                 # no_complaint
    comp_code = np.where(u_outcome < p_quick, 4, np.where(u_outcome < p_quick + p_res, 3, 2))
    outcome_code[complained] = comp_code[complained]

    loyalty = np.array([r0, *TARP_LOYALTY["small_loss"].to_numpy()])
    retained = u_stay < loyalty[outcome_code]
    sat_mean = np.array([_SATISFACTION_BY_OUTCOME[o] for o in OUTCOMES])
    satisfaction = np.clip(np.rint(sat_mean[outcome_code] + 0.7 * z_sat), 1, 5).astype("int64")

    return pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype="int64"),
            "segment": pd.Categorical.from_codes(segment_code, categories=list(SEGMENTS), ordered=True),
            "tenure_years": tenure.astype("int64"),
            "revenue": revenue,
            "margin": np.round(revenue * m, 2),
            "had_problem": had_problem,
            "outcome": pd.Categorical.from_codes(outcome_code, categories=list(OUTCOMES)),
            "satisfaction": satisfaction,
            "retained": retained,
        }
    )


def make_purchases(customers, *, seed=None, year=2025, mean_ticket=100.0) -> pd.DataFrame:
    """Split each customer's yearly revenue into dated purchases (for RFM).

    Customers who were not retained stop buying part-way through the year, so
    their last purchase is older (low recency score).

    Returns a DataFrame with the columns of :data:`PURCHASE_SCHEMA`, sorted by
    date then customer.
    """
    df = check_frame("customers", customers, ["customer_id", "revenue", "retained"])
    if df.empty:
        raise ValueError("`customers` must have at least one row, got an empty table")
    rev_check = pd.to_numeric(df["revenue"], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(rev_check)) or np.any(rev_check < 0):
        raise ValueError("`customers` must have a `revenue` column of finite numbers >= 0")
    rng = check_seed("seed", seed)
    year = check_number("year", year, low=1900, high=2100, integer=True)
    ticket = check_positive("mean_ticket", mean_ticket)
    rev = df["revenue"].to_numpy(dtype=float)
    k = np.maximum(1, rng.poisson(np.maximum(rev / ticket, 0.5)))
    # A customer who leaves is active for a random part of the year.
    active_days = np.where(df["retained"].to_numpy(bool), 365, rng.integers(30, 330, len(df)))
    cid = np.repeat(df["customer_id"].to_numpy(), k)
    days = np.floor(rng.random(cid.size) * np.repeat(active_days, k)).astype(int)
    weights = rng.gamma(2.0, 1.0, cid.size)
    totals = np.bincount(np.repeat(np.arange(len(df)), k), weights=weights)
    amount = np.round(weights / np.repeat(totals, k) * np.repeat(rev, k), 2)
    out = pd.DataFrame(
        {"customer_id": cid.astype("int64"),
         "date": pd.Timestamp(f"{year}-01-01") + pd.to_timedelta(days, unit="D"),
         "amount": amount}
    )
    return out.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)


TOOLKIT_SEED = 2024
"""Seed of the shipped toolkit datasets."""


def _toolkit_customers() -> pd.DataFrame:
    return make_customer_base(2000, seed=TOOLKIT_SEED)


def _toolkit_purchases() -> pd.DataFrame:
    return make_purchases(_toolkit_customers(), seed=TOOLKIT_SEED + 1)


DATASETS = (
    Dataset(
        name="toolkit_customers",
        title="Toolkit customer base (simulated)",
        title_zh="工具箱的顾客群（模拟数据）",
        description=(
            "2,000 simulated customers of a service firm over one year, made by "
            f"`casekit.customers.make_customer_base(2000, seed={TOOLKIT_SEED})`. Revenue is lognormal "
            "(top 20% of customers give about 60% of revenue, as measured by Kim, Singh & Winer 2017); "
            "customers with a problem stay with TARP's 1986 rates by complaint outcome. "
            "Used by the start-here notebook and the toolkit exercises."
        ),
        build=_toolkit_customers,
        columns=CUSTOMER_SCHEMA,
    ),
    Dataset(
        name="toolkit_purchases",
        title="Toolkit purchases (simulated)",
        title_zh="工具箱的购买记录（模拟数据）",
        description=(
            "One row per purchase by the toolkit customers during 2025, made by "
            f"`casekit.customers.make_purchases(customers, seed={TOOLKIT_SEED + 1})`. "
            "Customers who left stop buying part-way through the year. Used for RFM scoring."
        ),
        build=_toolkit_purchases,
        columns=PURCHASE_SCHEMA,
    ),
)
