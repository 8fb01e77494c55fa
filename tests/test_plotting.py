"""casekit.plotting: charts checked on the returned Axes (Agg backend)."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casekit import metrics, plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_import_changes_no_global_setting():
    import importlib

    before = dict(mpl.rcParams)
    importlib.reload(plotting)
    assert dict(mpl.rcParams) == before


def test_style_is_restored_after_the_context():
    before = mpl.rcParams["axes.spines.top"]
    with plotting.style():
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == plotting.PALETTE["blue"]
    assert mpl.rcParams["axes.spines.top"] == before


def test_plot_pareto_labels_and_mark():
    table = metrics.pareto_table([50, 20, 10, 10, 10])
    ax = plotting.plot_pareto(table, mark=0.2, title="T")
    assert ax.get_title() == "T" and "customers" in ax.get_xlabel() and "value" in ax.get_ylabel()
    curve = ax.lines[0]
    assert curve.get_ydata()[-1] == pytest.approx(100)
    assert any("top 20% → 50% of value" in t.get_text() for t in ax.texts)


def test_plot_funnel_bars_and_labels():
    funnel = metrics.loyalty_funnel(1000, satisfied=0.8, loyal_if_satisfied=0.5, refer_if_loyal=0.25)
    ax = plotting.plot_funnel(funnel)
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx([100, 400, 800, 1000])
    by_height = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert [label for _, label in by_height] == ["referrers", "loyal", "satisfied", "customers"]  # first stage on top


def test_plot_what_if_draws_one_line_per_series_and_marks_current():
    fig, ax = plotting.new_axes()
    out = plotting.plot_what_if([1, 2, 3], {"a": [1, 2, 3], "b": [3, 2, 1]}, ax=ax, current=2,
                                title="W", xlabel="x (unit)", ylabel="y (unit)")
    assert out is ax
    labels = [line.get_label() for line in ax.lines]
    assert "a" in labels and "b" in labels and "current setting" in labels
    assert ax.get_xlabel() == "x (unit)"


def test_figure_to_png_makes_png_bytes():
    fig, ax = plotting.new_axes()
    ax.plot([0, 1], [0, 1])
    png = plotting.figure_to_png(fig)
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: plotting.plot_pareto(pd.DataFrame({"x": [1]})), ValueError, r"`table` must have the column\(s\) customer_share, value_share"),
        (lambda: plotting.plot_pareto(metrics.pareto_table([1, 2]), mark=0), ValueError, r"`mark` must be a number in \(0, 1\]"),
        (lambda: plotting.plot_funnel([1, 2]), TypeError, r"`counts` must be a pandas Series or DataFrame"),
        (lambda: plotting.plot_funnel(pd.Series([1, -2])), ValueError, r"`counts` must contain no negative numbers"),
        (lambda: plotting.plot_what_if([1, 2], [1]), ValueError, r"must have one value per x \(2\), got 1"),
        (lambda: plotting.plot_what_if([1, 2], [1, 2], title=""), ValueError, r"`title` must be non-empty"),
        (lambda: plotting.figure_to_png("fig"), TypeError, r"`fig` must be a matplotlib Figure"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_texts_come_from_the_catalogue(lang):
    from casekit import i18n

    with i18n.language(lang), plotting.style():
        pareto = plotting.plot_pareto(metrics.pareto_table([50, 20, 10, 10, 10]))
        funnel = plotting.plot_funnel(pd.Series({"a": 10, "b": 5}))
        what_if = plotting.plot_what_if([1, 2], [3, 4], current=1)
        for ax, chart in ((pareto, "pareto"), (funnel, "funnel"), (what_if, "what_if")):
            assert ax.get_title() == i18n.t(f"plotting.{chart}.title")
            assert ax.get_xlabel() == i18n.t(f"plotting.{chart}.xlabel")
            assert ax.get_ylabel() == i18n.t(f"plotting.{chart}.ylabel")
        assert pareto.texts[0].get_text() == i18n.t("plotting.pareto.mark", top=0.2, share=50.0)
        assert i18n.t("plotting.what_if.current") in [line.get_label() for line in what_if.lines]
    if lang == "zh":
        assert pareto.get_title() == "价值从哪里来"
        assert "50%" in pareto.texts[0].get_text() and "前 20%" in pareto.texts[0].get_text()


def test_chinese_defaults_draw_without_missing_glyphs():
    import warnings

    from casekit import i18n

    if plotting.cjk_font() is None:
        pytest.fail("no Chinese font installed: " + plotting.install_hint())
    with i18n.language("zh"), plotting.style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plotting.new_axes()
        plotting.plot_pareto(metrics.pareto_table([50, 20, 10, 10, 10]), ax=ax)
        plotting.figure_to_png(fig)
        fig, ax = plotting.new_axes()
        plotting.plot_what_if([1, 2], {"一": [3, 4], "二": [4, 3]}, ax=ax, current=1)
        plotting.figure_to_png(fig)


def test_pareto_label_sits_below_the_line_of_equality():
    # The label must not be crossed by the curve or the diagonal (issue 16: labels must not overlap).
    ax = plotting.plot_pareto(metrics.pareto_table([50, 20, 10, 10, 10]), mark=0.2)
    x, y = ax.texts[0].get_position()
    assert y < x and y >= 0


def _moving_line(n, *, ax, title="Line", top=10):
    ax.plot([0, n], [0, n], label="line")
    ax.axvline(n, ls="--", label="now")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, top)
    ax.set_title(title)
    ax.set_xlabel("x (units)")
    ax.set_ylabel("y (units)")
    ax.legend(loc="upper left")


def _pixels(png):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_chart_canvas_redraw_matches_a_fresh_chart():
    from casekit.plotting import ChartCanvas

    canvas = ChartCanvas((4, 3))
    canvas.render(_moving_line, 3)
    moved = canvas.render(_moving_line, 7)           # frame restored, only the data drawn
    fresh = ChartCanvas((4, 3)).render(_moving_line, 7)
    assert len(canvas.fig.axes) == 1 and len(canvas.ax.lines) == 2  # the old lines are gone
    assert np.array_equal(_pixels(moved), _pixels(fresh))
    retitled = canvas.render(_moving_line, 7, title="Another title")
    assert not np.array_equal(_pixels(retitled), _pixels(fresh))
    assert np.array_equal(_pixels(retitled), _pixels(ChartCanvas((4, 3)).render(_moving_line, 7,
                                                                                 title="Another title")))
    rescaled = canvas.render(_moving_line, 7, title="Another title", top=20)   # only the axes' layer redrawn
    assert np.array_equal(_pixels(rescaled), _pixels(ChartCanvas((4, 3)).render(_moving_line, 7,
                                                                                title="Another title", top=20)))


def test_chart_canvas_keeps_limits_while_the_data_fit():
    from casekit.plotting import ChartCanvas

    def bars(h, *, ax):
        ax.bar([0, 1], [h, h / 2])

    canvas = ChartCanvas((4, 3))
    canvas.render(bars, 10.0)
    top = canvas.ax.get_ylim()[1]
    canvas.render(bars, 8.0)                          # fits and fills enough of the axis: same scale
    assert canvas.ax.get_ylim()[1] == top
    canvas.render(bars, 1.0)                          # would fill too little of it: rescaled
    assert canvas.ax.get_ylim()[1] < top * plotting.STEADY_SHARE
    canvas.render(bars, 30.0)                         # does not fit: rescaled
    assert canvas.ax.get_ylim()[1] > 30.0
