"""Charts shared by the cases, in one colour-blind-safe style.

Every ``plot_*`` helper takes ``ax=None`` and returns the Axes it drew on; none
calls ``plt.show()``. Importing this module changes no global matplotlib
setting: use ``with casekit.plotting.style(): ...`` for the house look.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import warnings

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .i18n import t
from ._checks import add_note, check_bool, check_frame, check_number, check_probability, check_str, check_values

__all__ = [
    "PALETTE",
    "style",
    "new_axes",
    "get_axes",
    "plot_pareto",
    "plot_funnel",
    "plot_what_if",
    "figure_to_png",
    "ChartCanvas",
    "CJK_FONTS",
    "cjk_font",
    "install_hint",
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


CJK_FONTS = (
    "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
    "PingFang SC", "Hiragino Sans GB", "SimHei", "Noto Sans SC", "Source Han Sans CN",
    "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Arial Unicode MS",
)
"""Fonts with Simplified Chinese glyphs, best first: Linux (Noto, Source Han,
WenQuanYi), Windows (Microsoft YaHei, SimHei), macOS (PingFang, Hiragino).
Charts use the first one installed for any character the Latin font lacks."""



def install_hint() -> str:
    """One line, in the current language, saying which Chinese font to
    install (catalogue key ``plotting.install_hint``)."""
    return t("plotting.install_hint")


STRICT_ENV = "CASEKIT_STRICT_GLYPHS"
"""When ``1`` (the test suite sets it), a character no font can draw is an
error instead of a warning and a tofu box (□)."""

# A Chinese font without a bold face is drawn in its regular weight; that is
# fine, so matplotlib's "Failed to find font weight bold" line is kept quiet.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

if os.environ.get(STRICT_ENV, "") == "1":
    warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")


@functools.cache
def _installed_families() -> frozenset:
    from matplotlib import font_manager

    return frozenset(f.name for f in font_manager.fontManager.ttflist)


_announced = {"done": False}


def cjk_font(*, announce: bool = False) -> str | None:
    """The installed Chinese font charts fall back to, or None. With
    ``announce`` and none installed, print once what to install."""
    installed = _installed_families()
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None and announce and not _announced["done"]:
        _announced["done"] = True
        print(install_hint())
    return found


def _font_rc() -> dict:
    """Latin text in DejaVu Sans, Chinese from the first installed CJK font
    (matplotlib falls back glyph by glyph along the list)."""
    fallback = cjk_font()
    families = ["DejaVu Sans"] + ([fallback] if fallback else [])
    return {"font.family": families, "axes.unicode_minus": True}


@contextlib.contextmanager
def style():
    """Context manager for the house style; restores matplotlib settings after.

    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     fig, ax = plt.subplots()
    """
    with mpl.rc_context({**_RC, **_font_rc()}):
        yield


MAX_FIGSIZE = 40.0
"""Largest width or height of a figure, in inches."""


def check_figsize(value, name: str = "figsize") -> None:
    """A figure size: (width, height) in inches, each in (0, :data:`MAX_FIGSIZE`];
    the error names the argument ``name``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"`{name}` must be (width, height) in inches, got {value!r:.80}")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not (
                0 < v <= MAX_FIGSIZE):
            raise ValueError(f"`{name}` must be (width, height) with each in (0, {MAX_FIGSIZE:g}] inches, "
                             f"got {value!r:.80}")


def new_axes(figsize=(7.0, 4.0)):
    """A new Figure and Axes that do not go through pyplot (safe in callbacks).

    ``figsize`` is (width, height) in inches, each in (0, :data:`MAX_FIGSIZE`].
    """
    check_figsize(figsize)
    with style():
        fig = Figure(figsize=figsize)
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.17, top=0.89)
        ax = fig.add_subplot()
    return fig, ax


def get_axes(ax=None):
    """``ax`` itself, or a new Axes in the house style when ``ax`` is None
    (for case modules' own ``plot_*`` helpers). Anything else than a
    matplotlib Axes or None raises TypeError naming ``ax``."""
    from matplotlib.axes import Axes

    if ax is None:
        import matplotlib.pyplot as plt

        with style():
            _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes (e.g. from plt.subplots()) or None, "
                        f"got {ax!r:.60} ({type(ax).__name__})")
    return ax


_axes = get_axes  # short private name used inside this module


def _check_labels(title, xlabel, ylabel) -> None:
    """Check the texts before anything is drawn."""
    for name, v in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        check_str(name, v)


def _defaults(chart, title, xlabel, ylabel):
    """The texts of a chart: each one given, or the catalogue's
    ``plotting.<chart>.<name>`` in the current language."""
    return tuple(t(f"plotting.{chart}.{name}") if value is None else value
                 for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)))


def _label(ax, title, xlabel, ylabel):
    ax.set_title(check_str("title", title))
    ax.set_xlabel(check_str("xlabel", xlabel))
    ax.set_ylabel(check_str("ylabel", ylabel))


def plot_pareto(table, *, ax=None, mark=0.2, title=None, xlabel=None, ylabel=None):
    """Pareto (80/20) curve from :func:`casekit.metrics.pareto_table`.

    Draws the cumulative value share against the customer share, the line of
    perfect equality, and marks the share held by the top ``mark`` of
    customers. Texts left as None come from the message catalogue
    (``plotting.pareto.*``), in the current language.
    """
    df = check_frame("table", table, ["customer_share", "value_share"])
    if df.empty:
        raise ValueError("`table` must have at least one row (from metrics.pareto_table)")
    m = check_probability("mark", mark, allow_zero=False)
    title, xlabel, ylabel = _defaults("pareto", title, xlabel, ylabel)
    _check_labels(title, xlabel, ylabel)
    ax = _axes(ax)
    x = np.concatenate([[0.0], df["customer_share"].to_numpy()]) * 100
    y = np.concatenate([[0.0], df["value_share"].to_numpy()]) * 100
    ax.plot(x, y, color=PALETTE["blue"], lw=2, label=t("plotting.pareto.curve"))
    ax.plot([0, 100], [0, 100], color=PALETTE["black"], lw=1, ls=":", label=t("plotting.pareto.equal"))
    share = float(np.interp(m * 100, x, y))
    ax.axvline(m * 100, color=PALETTE["vermillion"], lw=1, ls="--")
    ax.annotate(t("plotting.pareto.mark", top=m, share=share), xy=(m * 100, share),
                xytext=(m * 100 + 8, max(3.0, min(share - 15, m * 100 - 2))), color=PALETTE["vermillion"],
                arrowprops={"arrowstyle": "->", "color": PALETTE["vermillion"], "relpos": (0.0, 0.5)})
    ax.set_xlim(0, 100)
    _label(ax, title, xlabel, ylabel)
    ax.legend(loc="lower right")
    return ax


def plot_funnel(counts, *, ax=None, title=None, xlabel=None, ylabel=None):
    """Horizontal funnel of stage counts (a Series, or a DataFrame with a
    ``count`` column, indexed by stage name in order). Texts left as None
    come from the message catalogue (``plotting.funnel.*``)."""
    if isinstance(counts, pd.DataFrame):
        counts = check_frame("counts", counts, ["count"])["count"]
    if not isinstance(counts, pd.Series):
        raise TypeError(f"`counts` must be a pandas Series or DataFrame indexed by stage, got {type(counts).__name__}")
    vals = check_values("counts", counts, allow_negative=False)
    if vals[0] <= 0:
        raise ValueError(f"`counts` must start with a stage of more than 0 customers, got {vals[0]:g}")
    title, xlabel, ylabel = _defaults("funnel", title, xlabel, ylabel)
    _check_labels(title, xlabel, ylabel)
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


def plot_what_if(x, ys, *, ax=None, current=None, title=None, xlabel=None, ylabel=None,
                 zero_line=True):
    """Lines of one or more results against one input.

    Parameters
    ----------
    x : sequence of numbers
    ys : Series, sequence, or dict label → sequence (one line each)
    current : float, optional
        Marks the current value of the input with a vertical line.
    title, xlabel, ylabel : str, optional
        Left as None, they come from the message catalogue
        (``plotting.what_if.*``), in the current language.
    """
    xs = check_values("x", x)
    title, xlabel, ylabel = _defaults("what_if", title, xlabel, ylabel)
    _check_labels(title, xlabel, ylabel)
    if not isinstance(ys, dict):
        ys = {ylabel: ys}
    if not ys:
        raise ValueError("`ys` must hold at least one line, got an empty dict")
    lines = {}
    for label, yv in ys.items():
        try:
            arr = check_values("ys", yv)
        except (TypeError, ValueError) as exc:
            raise type(exc)(add_note(exc, "checks.note.line", label=repr(label))) from None
        if arr.size != xs.size:
            raise ValueError(f"`ys` line {label!r} must have one value per x ({xs.size}), got {arr.size}")
        lines[label] = arr
    zero_line = check_bool("zero_line", zero_line)
    if current is not None:
        current = check_number("current", current)
    ax = _axes(ax)
    for label, arr in lines.items():
        ax.plot(xs, arr, lw=2, label=str(label))
    if zero_line:
        ax.axhline(0, color=PALETTE["black"], lw=0.8)
    if current is not None:
        ax.axvline(current, color=PALETTE["vermillion"], ls="--", lw=1, label=t("plotting.what_if.current"))
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


# --------------------------------------------------------------------------
# A chart redrawn on every slider move (what-if panels)
# --------------------------------------------------------------------------

def _data_artists(ax, *, legend: bool = True) -> list:
    """What a chart function adds to ``ax`` on top of the axes' own frame:
    lines, bars, areas, texts, images and (with ``legend``) the legend."""
    found = [*ax.lines, *ax.patches, *ax.collections, *ax.texts, *ax.images, *ax.artists, *ax.tables]
    if legend and ax.legend_ is not None:
        found.append(ax.legend_)
    return found


def _legend_key(legend) -> tuple | None:
    """A legend's place, texts and keys (the legend is drawn with the frame)."""
    if legend is None:
        return None
    handles = tuple((str(h.get_label()), str(getattr(h, "get_color", lambda: None)()),
                     str(getattr(h, "get_linestyle", lambda: None)()), str(getattr(h, "get_marker", lambda: None)()),
                     str(getattr(h, "get_facecolor", lambda: None)()))
                    for h in legend.legend_handles)
    return (legend._loc, tuple(x.get_text() for x in legend.texts), handles, legend.get_visible())


def _frame_key(fig, ax) -> tuple:
    """The two layers of the frame a redraw can change, as keys (equal keys,
    equal pixels): the outer one (size, titles, the legend) and the axes'
    one (limits, ticks, tick labels, grid, axis labels)."""
    texts = [ax.title, ax._left_title, ax._right_title, *fig.texts]
    outer = (fig.get_size_inches().tobytes(), fig.dpi,
             tuple((x.get_text(), x.get_visible(), x.get_color()) for x in texts), _legend_key(ax.legend_))
    axes = [ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale()]
    for axis in (ax.xaxis, ax.yaxis):
        locs = tuple(float(v) for v in axis.get_majorticklocs())
        labels = tuple(label.get_text() for label in axis.get_majorticklabels())
        grid = tuple(tick.gridline.get_visible() for tick in axis.get_major_ticks())
        axes.append((locs, labels, grid, axis.label.get_text(), axis.get_visible()))
    return outer, tuple(axes)


STEADY_SHARE = 0.3
"""A what-if chart keeps its axis limits while the data's own limits fit in
them and span at least this share of them."""


class ChartCanvas:
    """One figure that a what-if panel redraws on every move, fast.

    :meth:`render` calls the chart function again on the same Axes (no new
    figure, no layout pass) and renders a PNG. The frame is kept as two saved
    layers: the outer one (title, spines, legend) and, on it, the axes' one
    (ticks, tick labels, grid, axis labels). Each is drawn again only when
    what it shows changed; then the chart's own artists (lines, bars, texts)
    are drawn on the saved frame. The legend stays where it was first
    placed while its entries stay the same.

    While the chart's data fit the axes' previous limits and fill at least
    :data:`STEADY_SHARE` of them, the limits stay put: the frame seldom
    changes, and the eye can compare one setting with the next.
    """

    def __init__(self, size=(6.5, 3.4), dpi: int = 100):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        check_figsize(size, "size")
        check_number("dpi", dpi, low=10, high=600)
        self.fig, self.ax = new_axes(size)
        self.fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self._frame = None
        self._outer = None
        self._background = None
        self._limits = None

    def _clear(self) -> None:
        """Remove what the last chart drew; keep the Axes and its ticks."""
        from matplotlib.transforms import Bbox

        ax = self.ax
        for extra in self.fig.axes[1:]:  # e.g. a twin axes made by the chart
            extra.remove()
        for container in list(ax.containers):
            container.remove()
        for artist in _data_artists(ax):
            artist.remove()
        ax.set_prop_cycle(None)  # the same colours in the same order every time
        ax.dataLim.set_points(Bbox.null().get_points())
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)

    def _steady_limits(self) -> None:
        """Keep the previous limits of an axis while the new ones fit in them
        and span at least :data:`STEADY_SHARE` of them."""
        ax = self.ax
        now = (ax.get_xlim(), ax.get_ylim())
        if self._limits is not None and len(self.fig.axes) == 1:
            for i, setter in ((0, ax.set_xlim), (1, ax.set_ylim)):
                (lo, hi), (plo, phi) = now[i], self._limits[i]
                if lo < hi and plo < phi and plo <= lo and hi <= phi and (hi - lo) >= STEADY_SHARE * (phi - plo):
                    setter(plo, phi)
        self._limits = (ax.get_xlim(), ax.get_ylim())

    def render(self, draw, *args, **kwargs) -> bytes:
        """``draw(*args, ax=ax, **kwargs)`` on the canvas's Axes → PNG bytes."""
        with style():  # ticks made while drawing get the house fonts too
            self._clear()
            draw(*args, ax=self.ax, **kwargs)
            self._steady_limits()
            return self._draw()

    def _draw(self) -> bytes:
        """Draw what changed of the frame, then the data; the PNG."""
        fig, ax, canvas = self.fig, self.ax, self.canvas
        artists = sorted(_data_artists(ax, legend=False), key=lambda a: a.get_zorder())
        for artist in artists:
            artist.set_animated(True)
        key = _frame_key(fig, ax) if len(fig.axes) == 1 else None
        if key is None or self._frame is None or key[0] != self._frame[0]:
            # Outer layer: everything but the axes' ticks, labels and data.
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_animated(True)
            canvas.draw()
            self._outer = canvas.copy_from_bbox(fig.bbox)
            self._frame = None
        if key is None or self._frame is None or key[1] != self._frame[1]:
            # Axes layer: ticks, tick labels, grid and axis labels on the outer layer.
            canvas.restore_region(self._outer)
            for axis in (ax.xaxis, ax.yaxis):
                ax.draw_artist(axis)
            self._background = canvas.copy_from_bbox(fig.bbox)
            self._frame = key
        else:
            canvas.restore_region(self._background)
        for artist in artists:
            ax.draw_artist(artist)
        return _png(canvas)


def _png(canvas) -> bytes:
    """The canvas's pixels as PNG bytes (fast compression, no metadata)."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()
