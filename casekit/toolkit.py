"""The start-here toolkit's what-if: what is one customer worth?

Kept here (not in the notebook) so that the notebook, the tests and the
benchmarks use the same function.
"""

from __future__ import annotations

from . import _checks as _ck
from . import metrics, plotting, widgets

__all__ = ["customer_value", "customer_value_chart", "build_customer_value_widget", "MAX_RETENTION"]

MAX_RETENTION = 0.98
"""Highest retention :func:`customer_value` takes: it adds up to five points of
retention, and lifetime value has no finite limit at 100%."""


def customer_value(retention, discount, margin, acquisition_cost, retention_cost) -> dict:
    """Lifetime value of one customer and what retention is worth.

    Returns a dict: lifetime value, margin multiple, the relative value gain
    from five more points of retention (capped below 99%; ``retention`` is
    at most :data:`MAX_RETENTION`, so at least one point), and how many
    customers the cost of winning one would keep.

    >>> customer_value(0.8, 0.1, 100, 250, 50)["lifetime value"]
    266.67
    """
    _ck.check_number("retention", retention, low=0.0, high=MAX_RETENTION)
    value = metrics.clv(margin, retention, discount)
    step = min(0.05, 0.989 - retention)
    gain = metrics.retention_profit_lift(retention, discount, delta=step)
    ratio = metrics.acquisition_vs_retention(1.0, acquisition_cost=acquisition_cost,
                                             retention_cost=retention_cost, customer_value=value)
    return {
        "lifetime value": round(value, 2),
        "years of margin (margin multiple)": round(metrics.margin_multiple(retention, discount), 2),
        f"value gain from +{step * 100:.0f} points of retention": f"{gain:.1%}",
        "customers kept per customer won (same money)":
            round(ratio.loc["keep existing", "customers"] / ratio.loc["win new", "customers"], 1),
    }


def customer_value_chart(result, *, ax, retention, discount, margin, **_):
    """Lifetime value against retention, with the current setting marked."""
    _ck.check_number("retention", retention, low=0.0, high=MAX_RETENTION)
    grid = [r / 100 for r in range(50, 96)]
    return plotting.plot_what_if(
        [100 * r for r in grid], {"lifetime value": [metrics.clv(margin, r, discount) for r in grid]},
        ax=ax, current=100 * retention, title="Lifetime value against retention",
        xlabel="Retention rate (% who stay each year)", ylabel="Lifetime value (currency units)",
        zero_line=False)


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
        },
        chart=customer_value_chart,
        title="What is one customer worth?",
    )
