"""The start-here toolkit's what-if: what is one customer worth?

Kept here (not in the notebook) so that the notebook, the tests and the
benchmarks use the same function.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import metrics, plotting, widgets
from ._checks import check_number, check_probability

__all__ = ["RETENTION_CAP", "customer_value", "customer_value_chart", "build_customer_value_widget",
           "SATISFIED", "CLAIMS", "CLAIMED", "CLAIMED_TEXT", "satisfaction_claims", "retention_lift_table"]

RETENTION_CAP = 0.99
"""Highest retention the "value gain" line raises retention to: five more
points, or fewer when that would pass 99%."""


def _points(step) -> str:
    """A number of percentage points without float noise: 0.05 → "5", 0.005 → "0.5"."""
    return f"{round(100 * step, 1):g}"


def customer_value(retention, discount, margin, acquisition_cost, retention_cost, margin_growth=0.0) -> dict:
    """Lifetime value of one customer and what retention is worth.

    Returns a dict: lifetime value, margin multiple, the relative value gain
    from five more points of retention (fewer when that would pass
    :data:`RETENTION_CAP`; no gain is shown at or above the cap), and how many
    customers the cost of winning one would keep. ``margin_growth`` lets the
    yearly margin grow with tenure (0 = constant margins, see
    :func:`casekit.metrics.clv`).

    >>> customer_value(0.8, 0.1, 100, 250, 50)["lifetime value"]
    266.67
    >>> customer_value(0.99, 0.1, 100, 250, 50)["value gain from more retention"]
    'none: retention is already 99% or more'
    """
    r = check_probability("retention", retention, allow_one=False)
    d = check_number("discount", discount, low=0.0, high=1.0)
    g = check_number("margin_growth", margin_growth, low=-0.5, high=0.5)
    value = metrics.clv(margin, r, d, margin_growth=g)
    # Five more points, capped at 99% and (with growing margins) below the
    # retention at which lifetime value has no finite limit.
    ceiling = min(RETENTION_CAP, (1.0 + d) / (1.0 + g) - 0.005)
    step = round(min(0.05, ceiling - r), 3)
    if step >= 0.001:
        gain = metrics.retention_profit_lift(r, d, delta=step, margin_growth=g)
        gain_item = (f"value gain from +{_points(step)} points of retention", f"{gain:.1%}")
    else:
        gain_item = ("value gain from more retention",
                     f"none: retention is already {ceiling:.0%} or more")
    ratio = metrics.acquisition_vs_retention(1.0, acquisition_cost=acquisition_cost,
                                             retention_cost=retention_cost, customer_value=value)
    return {
        "lifetime value": round(value, 2),
        "years of margin (margin multiple)": round(value / margin, 2) if margin else 0.0,
        gain_item[0]: gain_item[1],
        "customers kept per customer won (same money)":
            round(float(ratio.loc["keep existing", "customers"] / ratio.loc["win new", "customers"]), 1),
    }


def customer_value_chart(result, *, ax, retention, discount, margin, margin_growth=0.0, **_):
    """Lifetime value against retention, with constant margins and (when
    ``margin_growth`` > 0) with margins that grow with tenure; the current
    setting is marked."""
    grid = [r / 100 for r in range(0, 96)]
    lines = {"constant margin": [metrics.clv(margin, r, discount) for r in grid]}
    if margin_growth:
        ok = [r for r in grid if r * (1 + margin_growth) < (1 + discount) - 0.005]
        grid = ok
        lines = {"constant margin": [metrics.clv(margin, r, discount) for r in ok],
                 f"margin growing {margin_growth:.0%} a year":
                     [metrics.clv(margin, r, discount, margin_growth=margin_growth) for r in ok]}
    ax = plotting.plot_what_if(
        [100 * r for r in grid], lines,
        ax=ax, current=100 * retention, title="Lifetime value against retention",
        xlabel="Retention rate (% who stay each year)", ylabel="Lifetime value (currency units)",
        zero_line=False)
    ax.set_xlim(0, 100)
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    return ax


def build_customer_value_widget() -> widgets.WhatIf:
    """The start-here what-if panel (not displayed)."""
    return widgets.what_if(
        customer_value,
        {
            "retention": widgets.slider("Retention rate", 0.80, 0.50, 0.95, 0.01, percent=True),
            "discount": widgets.slider("Discount rate", 0.10, 0.0, 0.20, 0.01, percent=True),
            "margin": widgets.slider("Yearly margin per customer", 100, 10, 500, 10),
            "acquisition_cost": widgets.slider("Cost to win a customer", 250, 10, 1000, 10),
            "retention_cost": widgets.slider("Cost to keep a customer", 50, 10, 1000, 10),
            "margin_growth": widgets.slider("Margin growth per year of tenure", 0.0, 0.0, 0.10, 0.01,
                                            percent=True),
        },
        chart=customer_value_chart,
        title="What is one customer worth?",
    )


# --------------------------------------------------------------------------
# The service handbook's satisfaction claims, tested on the simulated firm
# --------------------------------------------------------------------------

SATISFIED = 4
"""Satisfaction scores at or above this count as satisfied (scale 1–5)."""

CLAIMS = {
    "satisfaction_doubles_profit": "Five more points of satisfied customers double profit",
    "very_satisfied_six_times": "Very satisfied customers are six times as likely to buy again",
    "repeat_customers_more_profit": "Repeat customers bring 20–80% more profit",
}
"""The three claims of the value-added service handbook tested by :func:`satisfaction_claims`."""

CLAIMED = {
    "satisfaction_doubles_profit": 1.0,     # +100% of profit
    "very_satisfied_six_times": 6.0,        # ratio of repurchase rates
    "repeat_customers_more_profit": 0.5,    # middle of 20–80%
}
"""The figure each claim states (the middle of a quoted range)."""

CLAIMED_TEXT = {
    "satisfaction_doubles_profit": "+100% profit",
    "very_satisfied_six_times": "6× the return rate",
    "repeat_customers_more_profit": "+20% to +80% profit",
}
"""Each claim's figure as the sources state it (for tables)."""


def _claim_figures(base, discount, points) -> tuple[float, float, float, float]:
    sat = base["satisfaction"].to_numpy()
    kept = base["retained"].to_numpy(dtype=float)
    margin = base["margin"].to_numpy(dtype=float)
    tenure = base["tenure_years"].to_numpy()
    happy = sat >= SATISFIED
    r_happy, r_unhappy = kept[happy].mean(), kept[~happy].mean()
    r_all = kept.mean()
    # `points` of all customers move from not satisfied to satisfied and keep
    # the satisfied customers' retention; profit = the base's lifetime value.
    r_new = min(r_all + points * (r_happy - r_unhappy), 0.999)
    profit_gain = metrics.margin_multiple(r_new, discount) / metrics.margin_multiple(r_all, discount) - 1.0
    r5, r4 = kept[sat == 5].mean(), kept[sat == SATISFIED].mean()
    repeat_gain = margin[tenure >= 1].mean() / margin[tenure == 0].mean() - 1.0
    return float(profit_gain), float(r5 / r4), float(1.0 / r4), float(repeat_gain)


def satisfaction_claims(base, *, discount=0.10, points=0.05, draws=400, seed=2024):
    """Test the handbook's three satisfaction claims on a customer base.

    Parameters
    ----------
    base : DataFrame from :func:`casekit.customers.make_customer_base`
        Needs ``satisfaction``, ``retained``, ``margin`` and ``tenure_years``.
    discount : float in [0, 1]
        Discount rate for the lifetime value of the base.
    points : float in (0, 0.5]
        Share of customers who move from not satisfied (1–3) to satisfied (4–5).
    draws : int in [50, 5000]
        Bootstrap resamples for the 90% interval (how sure we are).
    seed : int
        Seed of the bootstrap, so the interval is the same on every run.

    Returns
    -------
    DataFrame indexed by claim id with ``claim``, ``claimed`` (the figure the
    claim states), ``simulated`` (what the data gives), ``low`` and ``high``
    (90% bootstrap interval), ``unit`` ("share" or "ratio") and ``ceiling``
    (the largest ratio the data could show, for the six-times claim).

    Notes
    -----
    * Profit: retention of the moved customers rises from the not-satisfied
      to the satisfied rate; the figure is the change in the base's lifetime
      value, m·r/(1 + d − r) summed over customers.
    * Six times: retention at score 5 over retention at score 4. A ratio of
      repurchase rates can never exceed 1 / (rate of the satisfied), so when
      most satisfied customers already come back, "six times" is impossible.
    * Repeat customers: mean margin of customers with at least one year of
      tenure over that of first-year customers, minus 1.
    """
    from ._checks import check_frame, check_seed

    df = check_frame("base", base, ["satisfaction", "retained", "margin", "tenure_years"])
    d = check_number("discount", discount, low=0.0, high=1.0)
    p = check_number("points", points, low=0.0, low_open=True, high=0.5)
    n_draws = check_number("draws", draws, low=50, high=5000, integer=True)
    rng = check_seed("seed", seed)
    if len(df) < 20:
        raise ValueError(f"`base` must have at least 20 customers, got {len(df)}")
    profit, ratio, ceiling, repeat = _claim_figures(df, d, p)
    boot = np.empty((n_draws, 3))
    for i in range(n_draws):
        sample = df.iloc[rng.integers(0, len(df), len(df))]
        b_profit, b_ratio, _, b_repeat = _claim_figures(sample, d, p)
        boot[i] = (b_profit, b_ratio, b_repeat)
    low, high = np.nanpercentile(boot, [5, 95], axis=0)
    rows = {
        "satisfaction_doubles_profit": (profit, low[0], high[0], "share", np.nan),
        "very_satisfied_six_times": (ratio, low[1], high[1], "ratio", ceiling),
        "repeat_customers_more_profit": (repeat, low[2], high[2], "share", np.nan),
    }
    out = pd.DataFrame(
        [{"claim_id": k, "claim": CLAIMS[k], "claimed": CLAIMED[k], "simulated": v[0], "low": v[1],
          "high": v[2], "unit": v[3], "ceiling": v[4]} for k, v in rows.items()]
    ).set_index("claim_id")
    return out


def retention_lift_table(starts=(0.70, 0.80, 0.90), *, discount=0.10, delta=0.05,
                         margin_growths=(0.0, 0.05, 0.10)) -> pd.DataFrame:
    """Gain in lifetime value from ``delta`` more points of retention, for
    several starting rates (rows) and yearly margin growths (columns).

    >>> t = retention_lift_table((0.8,), margin_growths=(0.0,))
    >>> round(float(t.iloc[0, 0]), 3)
    0.275
    """
    rs = [check_probability("starts", r, allow_one=False) for r in starts]
    gs = [check_number("margin_growths", g, low=-0.5, high=0.5) for g in margin_growths]
    if not rs or not gs or len(rs) > 50 or len(gs) > 10:
        raise ValueError(f"`starts` (1–50 rates) and `margin_growths` (1–10 values) must not be empty, "
                         f"got {len(rs)} and {len(gs)}")
    rows = {}
    for r in rs:
        rows[r] = [metrics.retention_profit_lift(r, discount, delta=delta, margin_growth=g) for g in gs]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(gs))
    out.index.name = "retention before"
    return out
