"""Every notebook in Voila app mode, as an instructor projects it in class.

`make present CASE=<id>` runs Voila on one notebook; here one Voila server
serves copies of all of them at /voila/render/<name>. Each page must show no
code, no error output, every widget rendered, and a what-if slider that
recomputes its result.
"""

from __future__ import annotations

import re
import time

import pytest
from browser_ui import (
    RUN_TIMEOUT_MS,
    WHAT_IF,
    WHAT_IF_CHART,
    WHAT_IF_CONTROLS,
    assert_no_stray_math,
    STDERR_OUTPUT,
    assert_no_error_output,
    assert_widgets_render,
    element_screenshot,
    expect,
    full_screenshot,
    move_what_if_slider,
    notebook_facts,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1920, "height": 1080}


def assert_projector_legible(page) -> None:
    """Readable from the back of a room at 1920×1080: body text at least
    20 px, the widest chart at least 60% of the screen, and what-if controls
    beside a chart at least half the screen wide."""
    size = page.locator(".jp-RenderedMarkdown p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 20, f"body text is {size}px on the projector; it needs at least 20px"
    widths = page.locator(f".jp-RenderedImage img, {WHAT_IF_CHART}").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and max(widths) >= 0.6 * PROJECTOR["width"], (
        f"the widest chart is {max(widths or [0]):.0f}px of {PROJECTOR['width']}px (needs 60%)")
    panels = page.locator(WHAT_IF)
    for i in range(panels.count()):
        chart = panels.nth(i).locator(WHAT_IF_CHART)
        if not chart.count():
            continue
        controls = panels.nth(i).locator(WHAT_IF_CONTROLS).bounding_box()
        box = chart.bounding_box()
        assert box["x"] >= controls["x"] + controls["width"] - 1, f"what-if {i + 1}: chart not beside its controls"
        assert box["width"] >= 0.5 * PROJECTOR["width"], f"what-if {i + 1}: chart only {box['width']:.0f}px wide"

# What Voila shows when a cell raises and tracebacks are hidden.
VOILA_CELL_ERROR = "There was an error when executing"
# Markdown cells also have an input area (their rendered text); code cells
# must have none.
CODE_SELECTORS = ".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-CodeMirrorEditor, .cm-editor"


def open_in_voila(page, voila_server, notebook: str) -> None:
    """Open the notebook in Voila and wait until it has run: a slider shows,
    no cell failed, and Voila's "Executing cell …" spinner is gone (widget
    views may still be drawing)."""
    # Voila streams the page while the notebook runs: do not wait for "load".
    page.goto(f"{voila_server.base_url}/voila/render/{notebook}?token={voila_server.token}",
              wait_until="commit")
    slider = page.locator(".widget-slider").first
    # Fail at once when a cell fails, rather than wait for a slider that
    # will never come.
    failed = page.locator(STDERR_OUTPUT).or_(page.get_by_text(VOILA_CELL_ERROR)).first
    expect(slider.or_(failed).first, "a slider or an error is shown").to_be_visible(timeout=RUN_TIMEOUT_MS)
    assert_no_error_output(page.locator("body"), page)
    expect(slider, "a slider is shown").to_be_visible()
    expect(page.locator("#loading"), "Voila finished running the notebook").to_have_count(0, timeout=RUN_TIMEOUT_MS)


def widget_outputs_report(page) -> str:
    """What each widget output shows, for a failure message: rendered, or
    the text left in its place ("Loading widget...", "Error displaying
    widget: …"), and the page's console errors."""
    shown = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .filter(o => o.querySelector('.jupyter-widgets') || /widget/i.test(o.textContent.slice(0, 200)))
        .map(o => o.querySelector(':scope > .jupyter-widgets') ? 'rendered'
                  : 'not rendered: ' + o.textContent.trim().slice(0, 120))""")
    return f"widget outputs: {shown}; page errors: {page.errors[:5]}"


def test_notebook_in_voila(notebook, voila_server, browser_page, screenshots, record_figure):
    facts = notebook_facts(voila_server.root / notebook)  # the copy Voila serves
    page = browser_page
    page.set_viewport_size(PROJECTOR)  # as an instructor projects it
    start = time.monotonic()
    body = page.locator("body")
    open_in_voila(page, voila_server, notebook)
    try:
        views = assert_widgets_render(body, facts)
    except AssertionError as first_load:
        # Seen twice on a busy CI machine (1 page in 24 each time): after the
        # run, Voila's widget manager (ipywidgets 8) asks the kernel for every
        # widget's state and gives up after 4 s (fixed in its JavaScript), then
        # takes a slower path that can leave views undrawn. A presenter would
        # reload the page; the test does so once, says so in the figures, and
        # then requires every widget.
        report = widget_outputs_report(page)
        record_figure(f"{facts.label} Voila: first load drew too few widgets ({first_load.args[0].splitlines()[0]}; "
                      f"{report}); reloaded once")
        open_in_voila(page, voila_server, notebook)
        try:
            views = assert_widgets_render(body, facts)
        except AssertionError as second_load:
            raise AssertionError(f"{second_load}\nafter a reload too; {widget_outputs_report(page)}") from None
    seconds = time.monotonic() - start
    assert_no_error_output(body, page)
    expect(body, "no traceback on the page").not_to_contain_text("Traceback")
    expect(body, "no cell failed").not_to_contain_text(VOILA_CELL_ERROR)

    # App mode: code cells are hidden, their outputs shown.
    expect(page.locator(".jp-CodeCell"), "every code cell's output area").to_have_count(facts.code_cells)
    expect(page.locator(CODE_SELECTORS).locator("visible=true"), "no code is visible").to_have_count(0)
    text = body.inner_text()
    shown = [line for line in facts.code_lines if line in text]
    assert facts.code_lines, f"{notebook}: no code lines found to check"
    assert not shown, f"code is visible in Voila: {shown}"

    move = move_what_if_slider(body)
    record_figure(f"{facts.label} Voila: page with {views} widget views in {seconds:.1f} s; "
                  f"slider '{move.label}' → new result shown in {move.latency_ms:.0f} ms")
    assert_no_stray_math(body, voila_server.root / notebook)
    assert_projector_legible(page)
    if facts.zh:
        assert_chinese_page(body)
    element_screenshot(page, body.locator(WHAT_IF).first,
                       screenshots / f"{facts.label}-voila-what-if.png", chrome=40)
    full_screenshot(page, screenshots / f"{facts.label}-voila.png", "#rendered_cells")


def assert_chinese_page(body) -> None:
    """The Chinese edition as its readers see it: mostly Chinese, and its
    buttons and what-if labels in Chinese."""
    text = body.inner_text()
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    latin_words = len(re.findall(r"\b[A-Za-z]{3,}\b", text))
    assert han > 1000, f"only {han} Chinese characters on the page"
    assert latin_words < han / 10, f"{latin_words} English words against {han} Chinese characters"
    expect(body.get_by_role("button", name="查看参考答案").first, "the worked-answer button is in Chinese").to_be_attached()
