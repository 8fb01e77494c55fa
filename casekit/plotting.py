"""Charts shared by the cases, in one colour-blind-safe style.

Every ``plot_*`` helper takes ``ax=None`` and returns the Axes it drew on; none
calls ``plt.show()``. Importing this module changes no global matplotlib
setting: use ``with casekit.plotting.style(): ...`` for the house look.
"""

from __future__ import annotations

import contextlib
import io

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ._checks import check_frame, check_number, check_probability, check_str, check_values

__all__ = [
    "PALETTE",
    "style",
    "new_axes",
    "get_axes",
    "plot_pareto",
    "plot_funnel",
    "plot_what_if",
    "figure_to_png",
]

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

_RC = {
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "legend.frameon": False,
    "svg.hashsalt": "casekit",
}


@contextlib.contextmanager
def style():
    """Context manager for the house style; restores matplotlib settings after.

    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     fig, ax = plt.subplots()
    """
    with mpl.rc_context(_RC):
        yield


def new_axes(figsize=(7.0, 4.0)):
    """A new Figure and Axes that do not go through pyplot (safe in callbacks)."""
    with style():
        fig = Figure(figsize=figsize)
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.17, top=0.89)
        ax = fig.add_subplot()
    return fig, ax


def get_axes(ax=None):
    """``ax`` itself, or a new Axes in the house style when ``ax`` is None
    (for case modules' own ``plot_*`` helpers)."""
    if ax is None:
        import matplotlib.pyplot as plt

        with style():
            _, ax = plt.subplots()
    return ax


_axes = get_axes  # short private name used inside this module


def _label(ax, title, xlabel, ylabel):
    ax.set_title(check_str("title", title))
    ax.set_xlabel(check_str("xlabel", xlabel))
    ax.set_ylabel(check_str("ylabel", ylabel))


def plot_pareto(table, *, ax=None, mark=0.2, title="Where the value comes from",
                xlabel="Share of customers, best first (%)",
                ylabel="Cumulative share of value (%)"):
    """Pareto (80/20) curve from :func:`casekit.metrics.pareto_table`.

    Draws the cumulative value share against the customer share, the line of
    perfect equality, and marks the share held by the top ``mark`` of
    customers.
    """
    df = check_frame("table", table, ["customer_share", "value_share"])
    m = check_probability("mark", mark, allow_zero=False)
    ax = _axes(ax)
    x = np.concatenate([[0.0], df["customer_share"].to_numpy()]) * 100
    y = np.concatenate([[0.0], df["value_share"].to_numpy()]) * 100
    ax.plot(x, y, color=PALETTE["blue"], lw=2, label="customers, best first")
    ax.plot([0, 100], [0, 100], color=PALETTE["black"], lw=1, ls=":", label="every customer equal")
    share = float(np.interp(m * 100, x, y))
    ax.axvline(m * 100, color=PALETTE["vermillion"], lw=1, ls="--")
    ax.annotate(f"top {m:.0%} → {share:.0f}% of value", xy=(m * 100, share),
                xytext=(m * 100 + 5, share - 15), color=PALETTE["vermillion"],
                arrowprops={"arrowstyle": "->", "color": PALETTE["vermillion"]})
    ax.set_xlim(0, 100)
    _label(ax, title, xlabel, ylabel)
    ax.legend(loc="lower right")
    return ax


def plot_funnel(counts, *, ax=None, title="Customer funnel", xlabel="Number of customers",
                ylabel="Stage"):
    """Horizontal funnel of stage counts (a Series, or a DataFrame with a
    ``count`` column, indexed by stage name in order)."""
    if isinstance(counts, pd.DataFrame):
        counts = check_frame("counts", counts, ["count"])["count"]
    if not isinstance(counts, pd.Series):
        raise TypeError(f"`counts` must be a pandas Series or DataFrame indexed by stage, got {type(counts).__name__}")
    vals = check_values("counts", counts, allow_negative=False)
    ax = _axes(ax)
    y = np.arange(len(vals))[::-1]
    ax.barh(y, vals, color=PALETTE["blue"])
    for yi, v in zip(y, vals):
        ax.text(v, yi, f" {v:,.0f} ({v / vals[0]:.0%})", va="center", fontsize=9)
    ax.set_yticks(y, [str(s) for s in counts.index])
    ax.set_xlim(0, vals.max() * 1.3)
    ax.grid(axis="y", visible=False)
    _label(ax, title, xlabel, ylabel)
    return ax


def plot_what_if(x, ys, *, ax=None, current=None, title="What if?", xlabel="Input",
                 ylabel="Result", zero_line=True):
    """Lines of one or more results against one input.

    Parameters
    ----------
    x : sequence of numbers
    ys : Series, sequence, or dict label → sequence (one line each)
    current : float, optional
        Marks the current value of the input with a vertical line.
    """
    xs = check_values("x", x)
    if not isinstance(ys, dict):
        ys = {ylabel: ys}
    ax = _axes(ax)
    for label, yv in ys.items():
        arr = check_values(f"ys[{label!r}]", yv)
        if arr.size != xs.size:
            raise ValueError(f"`ys[{label!r}]` must have one value per x ({xs.size}), got {arr.size}")
        ax.plot(xs, arr, lw=2, label=str(label))
    if zero_line:
        ax.axhline(0, color=PALETTE["black"], lw=0.8)
    if current is not None:
        ax.axvline(float(current), color=PALETTE["vermillion"], ls="--", lw=1, label="current setting")
    _label(ax, title, xlabel, ylabel)
    if len(ys) > 1 or current is not None:
        ax.legend(loc="best")
    return ax


def figure_to_png(fig, *, dpi: int | None = None) -> bytes:
    """Render a matplotlib Figure to PNG bytes with the Agg backend (for an
    ``ipywidgets.Image``); the figure is not shown or kept by pyplot.
    ``dpi`` overrides the figure's own resolution."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig, Figure):
        raise TypeError(f"`fig` must be a matplotlib Figure, got {type(fig).__name__}")
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    if dpi is not None:
        check_number("dpi", dpi, low=10, high=600)
    fig.savefig(buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1},
                **({"dpi": dpi} if dpi is not None else {}))
    return buf.getvalue()
