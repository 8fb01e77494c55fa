"""How sure are we? One-at-a-time sensitivity of a headline figure.

A simulated case answers only as well as its assumptions. This module takes a
function from named parameters to one headline figure, the base value and a
plausible low–high range of each assumed parameter, and recomputes the figure
at each end of each range, one parameter at a time (the others stay at their
base values). The result is a tidy table, largest swing first, and a tornado
chart.

* :class:`Assumption` — an assumed parameter: its value, plausible range, unit
  and why that range (case modules declare them in ``ASSUMPTIONS``).
* :func:`tornado` — the table.
* :func:`crosses` — which assumptions can move the figure across a threshold
  (for example 0: the conclusion flips).
* :func:`plot_tornado` — the chart.

Notes
-----
One-at-a-time ranges show which single assumption matters most; they do not
show interactions between assumptions (Saltelli et al. 2008, *Global
Sensitivity Analysis: The Primer*, ch. 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import i18n
from ._checks import check_mapping, check_str
from .plotting import PALETTE, get_axes

__all__ = ["Assumption", "tornado", "crosses", "plot_tornado"]

# At most this many parameters in one tornado (a chart of more is unreadable).
MAX_PARAMETERS = 30


@dataclass(frozen=True)
class Assumption:
    """An assumed model parameter with a plausible range.

    Parameters
    ----------
    value : float
        The value the model uses.
    low, high : float
        The plausible range (``low <= value <= high``).
    unit : str
        Unit of the value, e.g. "share of guests" or "minutes".
    note : str
        Why this range: a source, or "assumed".

    Examples
    --------
    >>> Assumption(0.02, 0.0, 0.04, "share of room-nights", "assumed").value
    0.02
    """

    value: float
    low: float
    high: float
    unit: str = ""
    note: str = ""

    def __post_init__(self):
        for name in ("value", "low", "high"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise TypeError(_both("sensitivity.err.not_number", name=name, value=repr(v)))
            if not math.isfinite(float(v)):
                raise ValueError(_both("sensitivity.err.not_finite", name=name, value=repr(v)))
        if not self.low <= self.value <= self.high:
            raise ValueError(_both("sensitivity.err.order", low=self.low, value=self.value, high=self.high))
        if not isinstance(self.unit, str) or not isinstance(self.note, str):
            raise TypeError("`unit` and `note` must be text")


def _both(key: str, /, **values) -> str:
    """An argument error in English and 中文 (``"English · 中文"``): exercise
    sets call these functions, and their readers read either language."""
    with i18n.language("en"):
        en = i18n.t(key, **values)
    with i18n.language("zh"):
        zh = i18n.t(key, **values)
    return f"{en} · {zh}"


def _as_assumption(name, spec) -> Assumption:
    if isinstance(spec, Assumption):
        return spec
    if isinstance(spec, (tuple, list)) and len(spec) == 3:
        base, low, high = spec
        try:
            return Assumption(base, low, high)
        except (TypeError, ValueError) as exc:
            raise type(exc)(_both("sensitivity.err.tuple", name=repr(name), spec=f"{spec!r:.80}")) from None
    raise TypeError(_both("sensitivity.err.not_spec", name=repr(name), spec=f"{spec!r:.80}"))


def _figure(func, params, name) -> float:
    out = func(**params)
    if isinstance(out, bool) or not isinstance(out, (int, float, np.integer, np.floating)):
        raise TypeError(_both("sensitivity.err.func_number", name=name, kind=type(out).__name__))
    return float(out)


def tornado(func: Callable[..., float], assumptions: Mapping, *, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Recompute a headline figure at each end of each assumption's range.

    Parameters
    ----------
    func : callable(**params) -> float
        The headline figure as a function of the named parameters. It is
        called once at the base values and twice per parameter.
    assumptions : mapping name -> Assumption or (base, low, high)
    labels : mapping name -> str, optional
        Human labels for the table and chart (default: the names).

    Returns
    -------
    DataFrame
        Index: parameter name. Columns: ``label``, ``low``, ``base``,
        ``high`` (parameter values), ``figure_low``, ``figure_base``,
        ``figure_high`` and ``swing`` (``|figure_high - figure_low|``),
        sorted by swing, largest first. ``attrs["base_figure"]`` holds the
        figure at the base values.

    Examples
    --------
    >>> t = tornado(lambda a, b: 2 * a + b, {"a": (1, 0, 2), "b": (1, 0, 4)})  # a tie keeps the given order
    >>> t["swing"].to_dict()
    {'a': 4.0, 'b': 4.0}
    >>> t.attrs["base_figure"]
    3.0
    """
    if not callable(func):
        raise TypeError(_both("sensitivity.err.func", kind=type(func).__name__))
    if not isinstance(assumptions, Mapping) or not assumptions:
        raise ValueError(_both("sensitivity.err.empty", value=f"{assumptions!r:.80}"))
    if len(assumptions) > MAX_PARAMETERS:
        raise ValueError(f"`assumptions` must have at most {MAX_PARAMETERS} entries, got {len(assumptions)}")
    labels = check_mapping("labels", labels, rule="checks.rule.name_texts")
    for name, label in labels.items():
        check_str(f"labels[{name!r}]", label)
    specs = {}
    for name, spec in assumptions.items():
        check_str("assumption name", name)
        specs[name] = _as_assumption(name, spec)
    for name in labels:
        if name not in specs:
            raise ValueError(f"`labels` names {name!r}, which is not in `assumptions` ({', '.join(specs)})")
    base = {n: a.value for n, a in specs.items()}
    base_figure = _figure(func, base, "the base values")
    rows = []
    for name, a in specs.items():
        lo = _figure(func, {**base, name: a.low}, f"{name}={a.low}")
        hi = _figure(func, {**base, name: a.high}, f"{name}={a.high}")
        rows.append({"parameter": name, "label": labels.get(name, name), "low": a.low, "base": a.value,
                     "high": a.high, "figure_low": lo, "figure_base": base_figure, "figure_high": hi,
                     "swing": abs(hi - lo)})
    table = pd.DataFrame(rows).set_index("parameter")
    # Stable sort: ties keep the order the assumptions were given in.
    table = table.sort_values("swing", ascending=False, kind="mergesort")
    table.attrs["base_figure"] = base_figure
    return table


def check_table(name: str, table) -> pd.DataFrame:
    """``table`` if it is a table returned by :func:`tornado`, else
    TypeError naming the argument ``name`` (for functions that take one)."""
    need = {"label", "figure_low", "figure_high", "figure_base", "swing"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        raise TypeError(_both("sensitivity.err.table", name=name, kind=type(table).__name__))
    return table


def _check_table(table) -> None:
    check_table("table", table)


def crosses(table: pd.DataFrame, value: float = 0.0) -> list[str]:
    """Names of the parameters whose range moves the figure across ``value``.

    A parameter "crosses" when the figure at one end of its range is on the
    other side of ``value`` than the base figure (or equal to it while the base
    figure is not). With ``value=0`` these are the assumptions that can flip
    the conclusion's sign.

    Examples
    --------
    >>> t = tornado(lambda a, b: a - b, {"a": (3, 2, 4), "b": (1, 0, 5)})
    >>> crosses(t, 0)
    ['b']
    """
    _check_table(table)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(value)):
        raise TypeError(_both("sensitivity.err.not_finite", name="value", value=f"{value!r:.80}"))
    base_side = np.sign(table.attrs.get("base_figure", table["figure_base"].iloc[0]) - value)
    out = []
    for name, row in table.iterrows():
        for end in (row["figure_low"], row["figure_high"]):
            side = np.sign(end - value)
            if side != base_side:
                out.append(name)
                break
    return out


COLUMNS = ("label", "unit", "low", "base", "high", "figure_low", "figure_base", "figure_high", "swing")
"""Columns a "How sure are we?" table may show (see :func:`column_labels`)."""


def column_labels(columns=COLUMNS) -> dict:
    """The reader's headers for a tornado table's columns, in the current
    language: pass as ``formatting.table(..., labels=column_labels())``."""
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ValueError(f"`columns` must be among {COLUMNS}, got {unknown}")
    return i18n.labels("sensitivity.columns", columns)


def plot_tornado(table: pd.DataFrame, *, ax=None, title: str | None = None,
                 xlabel: str | None = None, value_format: str = "{:,.0f}"):
    """Tornado chart: one bar per assumption from the figure at its low end to
    the figure at its high end; the vertical line is the base figure.

    Returns the Axes. Bars are drawn largest swing at the top.
    """
    _check_table(table)
    title = i18n.t("sensitivity.title") if title is None else check_str("title", title)
    xlabel = i18n.t("sensitivity.xlabel") if xlabel is None else check_str("xlabel", xlabel)
    check_str("value_format", value_format)
    try:
        value_format.format(1234.5)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise ValueError(f"`value_format` must be a format for one number such as '{{:,.0f}}', "
                         f"got {value_format!r:.80} ({type(exc).__name__}: {exc})") from None
    ax = get_axes(ax)
    t = table.iloc[::-1]
    base = float(table.attrs.get("base_figure", table["figure_base"].iloc[0]))
    y = np.arange(len(t))
    lo = t["figure_low"].to_numpy(float)
    hi = t["figure_high"].to_numpy(float)
    ax.barh(y, lo - base, left=base, color=PALETTE["sky"], height=0.6, label=i18n.t("sensitivity.legend_low"))
    ax.barh(y, hi - base, left=base, color=PALETTE["orange"], height=0.6, label=i18n.t("sensitivity.legend_high"))
    ax.axvline(base, color=PALETTE["black"], linewidth=1)
    ax.set_yticks(y, list(t["label"]))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    # The axis includes zero, so that bar lengths are not exaggerated.
    lo_all = min(float(np.min(np.minimum(lo, hi))), base, 0.0)
    hi_all = max(float(np.max(np.maximum(lo, hi))), base, 0.0)
    span = hi_all - lo_all
    pad = 0.02 * span if span > 0 else max(abs(base) * 0.02, 1e-9)
    for yi, a, b in zip(y, lo, hi):
        for v in ([a] if value_format.format(a) == value_format.format(b) else [a, b]):
            right = v >= base
            ax.text(v + (pad if right else -pad), yi, value_format.format(v), va="center",
                    ha="left" if right else "right", fontsize=9)
    ax.set_xlim(lo_all - 8 * pad if lo_all < 0 else 0.0, hi_all + 8 * pad if hi_all > 0 else 0.0)
    if base != 0:
        ax.axvline(0, color=PALETTE["black"], linewidth=0.6, alpha=0.5)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return ax
