"""The start-here toolkit's what-if: what is one customer worth?

Kept here (not in the notebook) so that the notebook, the tests and the
benchmarks use the same function.
"""

from __future__ import annotations

from . import metrics, plotting, widgets
from ._checks import check_number, check_probability

__all__ = ["RETENTION_CAP", "customer_value", "customer_value_chart", "build_customer_value_widget"]

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
