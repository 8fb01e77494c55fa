"""The start-here toolkit's what-if: what is one customer worth?

Kept here (not in the notebook) so that the notebook, the tests and the
benchmarks use the same function.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _checks as _ck
from . import formatting, metrics, plotting, widgets
from .customers import OUTCOMES, SEGMENTS  # also declares the start-here datasets, so datasets.get finds them
from .i18n import labels, t
from ._checks import check_choice, check_number, check_probability

__all__ = ["RETENTION_CAP", "customer_value", "customer_value_chart", "build_customer_value_widget",
           "plot_lifetime_value", "SATISFIED", "CLAIMS", "CLAIMED", "claim_text", "claimed_text",
           "satisfaction_claims", "retention_lift_table", "outcome_retention", "rfm_tier_table",
           "sample_view", "clv_view", "lift_view", "spend_view", "outcome_view", "recovery_view",
           "word_of_mouth_view", "claims_view", "tier_view", "verdict_table"]

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
    :func:`casekit.metrics.clv`). The dict's keys are labels for readers, in
    the current language (``toolkit.value.*`` in the catalogue).

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
        gain_item = (t("toolkit.value.gain_step", points=_points(step)), f"{gain:.1%}")
    else:
        gain_item = (t("toolkit.value.gain_more"), t("toolkit.value.gain_none", ceiling=ceiling))
    ratio = metrics.acquisition_vs_retention(1.0, acquisition_cost=acquisition_cost,
                                             retention_cost=retention_cost, customer_value=value)
    return {
        t("toolkit.value.lifetime_value"): round(value, 2),
        t("toolkit.value.multiple"): round(value / margin, 2) if margin else 0.0,
        gain_item[0]: gain_item[1],
        t("toolkit.value.kept_per_won"):
            round(float(ratio.loc["keep existing", "customers"] / ratio.loc["win new", "customers"]), 1),
    }


def customer_value_chart(result, *, ax, retention, discount, margin, margin_growth=0.0, **_):
    """Lifetime value against retention, with constant margins and (when
    ``margin_growth`` > 0) with margins that grow with tenure; the current
    setting is marked."""
    _ck.check_probability("retention", retention, allow_one=False)
    _ck.check_number("discount", discount, low=0.0, high=1.0)
    _ck.check_number("margin", margin)
    _ck.check_number("margin_growth", margin_growth, low=-0.5, high=0.5)
    with plotting.style():      # the legend is made here: it needs the house (and Chinese) fonts
        return _customer_value_lines(ax, retention, discount, margin, margin_growth)


def _customer_value_lines(ax, retention, discount, margin, margin_growth):
    grid = [r / 100 for r in range(0, 96)]
    lines = {t("toolkit.value.constant"): [metrics.clv(margin, r, discount) for r in grid]}
    if margin_growth:
        ok = [r for r in grid if r * (1 + margin_growth) < (1 + discount) - 0.005]
        grid = ok
        lines = {t("toolkit.value.constant"): [metrics.clv(margin, r, discount) for r in ok],
                 t("toolkit.value.growing", growth=margin_growth):
                     [metrics.clv(margin, r, discount, margin_growth=margin_growth) for r in ok]}
    ax = plotting.plot_what_if(
        [100 * r for r in grid], lines,
        ax=ax, current=100 * retention, title=t("toolkit.value.chart_title"),
        xlabel=t("toolkit.value.xlabel"), ylabel=t("toolkit.value.ylabel"),
        zero_line=False)
    ax.set_xlim(0, 100)
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    return ax


def build_customer_value_widget() -> widgets.WhatIf:
    """The start-here what-if panel (not displayed), labelled in the current language."""
    def label(name):
        return t(f"toolkit.sliders.{name}")

    return widgets.what_if(
        customer_value,
        {
            "retention": widgets.slider(label("retention"), 0.80, 0.50, 0.95, 0.01, percent=True),
            "discount": widgets.slider(label("discount"), 0.10, 0.0, 0.20, 0.01, percent=True),
            "margin": widgets.slider(label("margin"), 100, 10, 500, 10),
            "acquisition_cost": widgets.slider(label("acquisition_cost"), 250, 10, 1000, 10),
            "retention_cost": widgets.slider(label("retention_cost"), 50, 10, 1000, 10),
            "margin_growth": widgets.slider(label("margin_growth"), 0.0, 0.0, 0.10, 0.01, percent=True),
        },
        chart=customer_value_chart,
        title=t("toolkit.value.title"),
    )


def plot_lifetime_value(*, margin=100.0, discount=0.10, margin_growth=0.05, ax=None):
    """Lifetime value against retention (0–95%), with constant margins and
    with margins growing ``margin_growth`` a year: the chart of the
    start-here notebook's section 1. Returns the Axes."""
    m = check_number("margin", margin, low=0.0, low_open=True)
    d = check_number("discount", discount, low=0.0, high=1.0)
    g = check_number("margin_growth", margin_growth, low=0.0, high=0.5)
    grid = [r / 100 for r in range(0, 96) if (r / 100) * (1 + g) < 1 + d - 0.005]
    ax = plotting.plot_what_if(
        [100 * r for r in grid],
        {t("toolkit.value.constant"): [metrics.clv(m, r, d) for r in grid],
         t("toolkit.value.growing", growth=g): [metrics.clv(m, r, d, margin_growth=g) for r in grid]},
        ax=ax, title=t("toolkit.lv_chart.title"), xlabel=t("toolkit.lv_chart.xlabel"),
        ylabel=t("toolkit.lv_chart.ylabel", margin=m), zero_line=False)
    ax.set_xlim(0, 100)
    ax.set_ylim(bottom=0)
    return ax


# --------------------------------------------------------------------------
# The service handbook's satisfaction claims, tested on the simulated firm
# --------------------------------------------------------------------------

SATISFIED = 4
"""Satisfaction scores at or above this count as satisfied (scale 1–5)."""

CLAIMS = ("satisfaction_doubles_profit", "very_satisfied_six_times", "repeat_customers_more_profit")
"""The three claims of the value-added service handbook tested by
:func:`satisfaction_claims`; their words are :func:`claim_text`."""

CLAIMED = {
    "satisfaction_doubles_profit": 1.0,     # +100% of profit
    "very_satisfied_six_times": 6.0,        # ratio of repurchase rates
    "repeat_customers_more_profit": 0.5,    # middle of 20–80%
}
"""The figure each claim states (the middle of a quoted range)."""


def claim_text(claim_id) -> str:
    """The claim in words, in the current language (``toolkit.claims.text.*``)."""
    check_choice("claim_id", claim_id, CLAIMS)
    return t(f"toolkit.claims.text.{claim_id}")


def claimed_text(claim_id) -> str:
    """The claim's figure as the sources state it, for tables (``toolkit.claims.figure.*``)."""
    check_choice("claim_id", claim_id, CLAIMS)
    return t(f"toolkit.claims.figure.{claim_id}")


def _claim_columns(base) -> tuple[np.ndarray, ...]:
    # The columns the claims use, as arrays (a bootstrap resample indexes them, not the table).
    return (base["satisfaction"].to_numpy(), base["retained"].to_numpy(dtype=float),
            base["margin"].to_numpy(dtype=float), base["tenure_years"].to_numpy())


def _claim_figures(columns, discount, points) -> tuple[float, float, float, float]:
    sat, kept, margin, tenure = columns
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
    columns = _claim_columns(df)
    profit, ratio, ceiling, repeat = _claim_figures(columns, d, p)
    boot = np.empty((n_draws, 3))
    for i in range(n_draws):
        picks = rng.integers(0, len(df), len(df))
        b_profit, b_ratio, _, b_repeat = _claim_figures(tuple(a[picks] for a in columns), d, p)
        boot[i] = (b_profit, b_ratio, b_repeat)
    low, high = np.nanpercentile(boot, [5, 95], axis=0)
    rows = {
        "satisfaction_doubles_profit": (profit, low[0], high[0], "share", np.nan),
        "very_satisfied_six_times": (ratio, low[1], high[1], "ratio", ceiling),
        "repeat_customers_more_profit": (repeat, low[2], high[2], "share", np.nan),
    }
    out = pd.DataFrame(
        [{"claim_id": k, "claim": claim_text(k), "claimed": CLAIMED[k], "simulated": v[0], "low": v[1],
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
    if isinstance(starts, (str, bytes, dict, set)) or not isinstance(starts, (list, tuple, np.ndarray, pd.Series)):
        raise TypeError(f"`starts` must be a list of numbers, got {starts!r:.60} ({type(starts).__name__})")

    if isinstance(margin_growths, (str, bytes, dict, set)) or not isinstance(margin_growths, (list, tuple, np.ndarray, pd.Series)):
        raise TypeError(f"`margin_growths` must be a list of numbers, got {margin_growths!r:.60} ({type(margin_growths).__name__})")

    _d = _ck.check_number("discount", discount, low=0.0, high=1.0)
    _dl = _ck.check_number("delta", delta, low=-1.0, high=1.0)
    for _r in starts:
        for _g in margin_growths:
            if _ck._is_number(_r) and _ck._is_number(_g) and (_r + _dl) * (1 + _g) >= 1 + _d:
                raise ValueError(f"`discount` ({_d:g}) is too low for `starts` {_r:g} + `delta` with "
                                 f"`margin_growths` {_g:g}: lifetime value has no finite limit")
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



# --------------------------------------------------------------------------
# The start-here notebook's tables, computed and labelled for readers
# --------------------------------------------------------------------------

def outcome_retention(base) -> pd.DataFrame:
    """Customers and the share still a customer a year later, by problem
    outcome (rows in the order of :data:`casekit.customers.OUTCOMES`)."""
    from ._checks import check_frame

    df = check_frame("base", base, ["outcome", "retained"])
    out = (df.groupby("outcome", observed=True)["retained"]
           .agg(customers="size", stayed="mean")
           .reindex([o for o in OUTCOMES if o in set(df["outcome"])]))
    return out


def rfm_tier_table(purchases) -> pd.DataFrame:
    """RFM tiers of the customers in ``purchases``: customers, revenue and
    share of revenue per tier (P … 3VIP, see :func:`casekit.metrics.rfm_tiers`)."""
    purchases = _frame("purchases", purchases, ["customer_id", "date", "amount"])
    if purchases.empty:
        raise ValueError("`purchases` must have at least one row, got an empty table")
    rfm = metrics.rfm_scores(purchases, customer="customer_id", date="date", amount="amount")
    rfm["tier"] = metrics.rfm_tiers(rfm)
    tiers = rfm.groupby("tier", observed=True).agg(customers=("monetary", "size"), revenue=("monetary", "sum"))
    tiers["share"] = tiers["revenue"] / tiers["revenue"].sum()
    return tiers


def _frame(name, df, columns, prefix=None) -> pd.DataFrame:
    """Check a table argument: a DataFrame with ``columns`` and, with
    ``prefix``, rows whose names all have a reader's label ``prefix.<row>``."""
    from ._checks import check_frame
    from .i18n import has

    df = check_frame(name, df, list(columns))
    if prefix is not None:
        unknown = [v for v in df.index if not isinstance(v, str) or not has(f"{prefix}.{v}")]
        if unknown:
            raise ValueError(f"`{name}` has rows with no reader's label ({prefix}.*): {unknown[:5]!r:.120}")
    return df


def _rows(df, prefix) -> pd.DataFrame:
    """``df`` with its index values replaced by their labels ``prefix.<value>``."""
    out = df.copy()
    out.index = [t(f"{prefix}.{v}") for v in df.index]
    return out


def sample_view(base, n=5) -> formatting.Table:
    """The first ``n`` customers of the base, with readers' labels (categories
    and yes/no in the current language)."""
    from ._checks import check_frame

    k = check_number("n", n, low=1, high=100, integer=True)
    cols = ["customer_id", "segment", "tenure_years", "revenue", "margin", "outcome", "satisfaction", "retained"]
    df = check_frame("base", base, cols).head(k)[cols].copy()
    for col, known in (("segment", SEGMENTS), ("outcome", OUTCOMES)):
        odd = [v for v in df[col] if v not in known]
        if odd:
            raise ValueError(f"`base` column {col!r} must hold {', '.join(known)}; got {odd[:3]!r:.80}")
    df["segment"] = [t(f"customers.segment.{v}") for v in df["segment"]]
    df["outcome"] = [t(f"metrics.outcome.{v}") for v in df["outcome"]]
    df["retained"] = [t("common.yes") if v else t("common.no") for v in df["retained"]]
    return formatting.table(df, {"revenue": "dec2", "margin": "dec2", "satisfaction": "int", "tenure_years": "int",
                                 "segment": "text", "outcome": "text", "retained": "text"},
                            labels=labels("customers.columns", cols))


def clv_view(table) -> formatting.Table:
    """A :func:`casekit.metrics.clv_table` for readers."""
    cols = ["retention", "expected_years", "margin_multiple", "clv"]
    table = _frame("table", table, cols)
    return formatting.table(table, {"retention": "share", "expected_years": "dec1", "margin_multiple": "dec2",
                                    "clv": "dec2"}, columns=cols, labels=labels("metrics.columns", cols))


def lift_view(table, *, delta=0.05) -> formatting.Table:
    """A :func:`retention_lift_table` for readers: one column per margin
    growth (a single constant-margin column is labelled as the gain)."""
    table = _frame("table", table, [])
    step = check_number("delta", delta, low=0.0, low_open=True, high=1.0)
    if table.empty or not all(_ck._is_number(g) for g in table.columns):
        raise ValueError(f"`table` must be a retention_lift_table (one column per margin growth), "
                         f"got columns {list(table.columns)[:5]!r:.80}")
    df = table.reset_index()
    first = df.columns[0]
    growths = list(table.columns)
    if growths == [0.0]:
        names = {growths[0]: t("toolkit.lifts.gain", points=_points(step))}
    else:
        names = {g: t("toolkit.lifts.growth", growth=g) for g in growths}
    names[first] = t("toolkit.lifts.before")
    return formatting.table(df, {c: "share" for c in df.columns}, labels=names)


def spend_view(spend) -> formatting.Table:
    """A :func:`casekit.metrics.acquisition_vs_retention` table for readers."""
    cols = ["cost_per_customer", "customers", "value", "return_per_unit"]
    spend = _frame("spend", spend, cols, "metrics.strategy")
    return formatting.table(_rows(spend, "metrics.strategy"),
                            {"cost_per_customer": "int", "customers": "count", "value": "int",
                             "return_per_unit": "dec2"},
                            columns=cols, labels=labels("metrics.columns", cols),
                            index_label=t("toolkit.budget_use"))


def outcome_view(stay) -> formatting.Table:
    """An :func:`outcome_retention` table for readers."""
    stay = _frame("stay", stay, ["customers", "stayed"], "metrics.outcome")
    return formatting.table(_rows(stay, "metrics.outcome"), {"customers": "count", "stayed": "share"},
                            labels=labels("toolkit.outcomes", ["customers", "stayed"]),
                            index_label=t("customers.columns.outcome"))


def recovery_view(recovery) -> formatting.Table:
    """A :func:`casekit.metrics.recovery_loyalty` table for readers."""
    cols = ["customers", "loyalty", "kept"]
    recovery = _frame("recovery", recovery, cols, "metrics.outcome")
    return formatting.table(_rows(recovery, "metrics.outcome"), {"customers": "count", "loyalty": "share",
                                                                  "kept": "dec1"},
                            columns=cols, labels=labels("metrics.columns", cols),
                            index_label=t("customers.columns.outcome"))


def word_of_mouth_view(wom) -> formatting.Table:
    """A :func:`casekit.metrics.word_of_mouth` Series for readers."""
    if not isinstance(wom, pd.Series):
        raise TypeError(f"`wom` must be the Series from metrics.word_of_mouth, got {type(wom).__name__}")
    _frame("wom", wom.to_frame("people"), ["people"], "metrics.word_of_mouth")
    if not all(_ck._is_number(v) for v in wom):
        raise TypeError(f"`wom` must hold numbers of people, got {list(wom)[:4]!r:.80}")
    df = _rows(wom.to_frame("people"), "metrics.word_of_mouth")
    return formatting.table(df, {"people": lambda v: formatting.number(v, decimals=2) if abs(v) < 10
                                 else formatting.count(v)},
                            labels={"people": t("toolkit.word_of_mouth.column")})


def _pct_or_ratio(v, unit, *, signed=True):
    if unit == "ratio":
        return f"{v:.2f}×"
    return f"{v:+.1%}" if signed else f"{v:.1%}"


def claims_view(claims) -> formatting.Table:
    """A :func:`satisfaction_claims` table for readers: the claim, its
    figure, the simulated firm's figure and the 90% interval."""
    from ._checks import check_frame

    df = check_frame("claims", claims, ["simulated", "low", "high", "unit"])
    unknown = [k for k in df.index if k not in CLAIMS]
    if unknown:
        raise ValueError(f"`claims` must be the table from satisfaction_claims (rows {list(CLAIMS)}), "
                         f"got rows {unknown[:3]!r:.80}")
    shown = pd.DataFrame({
        "claimed": [claimed_text(k) for k in df.index],
        "simulated": [_pct_or_ratio(v, u) for v, u in zip(df["simulated"], df["unit"])],
        "interval": [t("toolkit.claims.interval_range", low=_pct_or_ratio(lo, u), high=_pct_or_ratio(hi, u))
                     for lo, hi, u in zip(df["low"], df["high"], df["unit"])],
    }, index=[claim_text(k) for k in df.index])
    return formatting.table(shown, {c: "text" for c in shown.columns},
                            labels={c: t(f"toolkit.claims.{c}") for c in shown.columns},
                            index_label=t("toolkit.claims.header"))


def tier_view(tiers) -> formatting.Table:
    """An :func:`rfm_tier_table` for readers."""
    tiers = _frame("tiers", tiers, ["customers", "revenue", "share"])
    shown = tiers.copy()
    shown.index = pd.Index(list(tiers.index))   # formatting.table names the index it is given: not the caller's
    return formatting.table(shown, {"customers": "count", "revenue": "int", "share": "share"},
                            labels=labels("toolkit.tiers", ["customers", "revenue", "share"]),
                            index_label=t("toolkit.tiers.tier"))


_VERDICTS = (
    ("retention", "rule"), ("pareto", "rule"), ("acquisition", "folklore"), ("word_of_mouth", "folklore_quoted"),
    ("recovery", "evidence_loose"), ("satisfaction", "folklore"), ("six_times", "evidence_one"),
    ("repeat", "folklore"),
)


def verdict_table(*, lift, retention, ceiling, top20, sat_gain, ratio, repeat) -> formatting.Table:
    """The start-here notebook's summary: each popular claim, what the data
    and research say (with the figures computed in the notebook) and the
    verdict, in the current language."""
    values = {"lift": lift, "r": retention, "ceiling": ceiling, "top20": top20, "sat_gain": sat_gain,
              "ratio": ratio, "repeat": repeat}
    for name, v in values.items():
        check_number(name if name != "r" else "retention", v)
    rows = []
    for key, grade in _VERDICTS:
        rows.append({"claim": t(f"toolkit.verdicts.{key}.claim"),
                     "finding": t(f"toolkit.verdicts.{key}.finding", **values),
                     "verdict": t(f"toolkit.verdicts.grade.{grade}")})
    df = pd.DataFrame(rows)
    return formatting.table(df, {c: "text" for c in df.columns},
                            labels=labels("toolkit.verdicts.columns", df.columns))
