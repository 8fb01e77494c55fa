"""What the browser tests look for in a page, shared by JupyterLab and Voila.

Both render notebook outputs with JupyterLab's output areas and ipywidgets 8,
so the same selectors work in both. Facts about a notebook (how many widget
outputs it shows, which lines are code) are read from the committed file, so
nothing here is specific to one case.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the browser_tools fixture skips or fails with a message
    Locator = Page = expect = None

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "build" / "screenshots"

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
# A rendered widget view is an output area child carrying .jupyter-widgets.
WIDGET_OUTPUT = ".jp-OutputArea-output > .jupyter-widgets"
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
WIDGET_PROBLEMS = ("Error displaying widget", "Loading widget...")
SLIDER_HANDLE = ".noUi-handle[role='slider']"
ANSWER_BOX = ".widget-textarea textarea"
WHAT_IF = ".casekit-whatif"
WHAT_IF_CONTROLS = ".casekit-whatif-controls"
WHAT_IF_CHART = ".casekit-whatif-chart"
# What MathJax (2 or 3) leaves in a page where it typeset maths.
MATH = "mjx-container, .MathJax, .MathJax_Display, .MathJax_Preview"

# A notebook cell may take a while on a loaded 2-core machine.
RUN_TIMEOUT_MS = 240_000


@dataclass(frozen=True)
class NotebookFacts:
    """What the committed notebook says the page should show."""

    path: Path
    code_cells: int
    widget_outputs: int
    code_lines: tuple[str, ...]  # distinctive code lines, to check code is hidden
    # Code-cell indexes (from 0) of the cell that opens the answers file
    # (``AnswerBook(``) and of the cell that shows the first discussion box.
    answer_cells: tuple[int, ...] = ()

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def zh(self) -> bool:
        """A notebook of the Chinese edition (notebooks/zh/)."""
        return self.path.parent.name == "zh"

    @property
    def label(self) -> str:
        """Unique per edition, for screenshots: ``zh-02_haidilao``."""
        return f"zh-{self.stem}" if self.zh else self.stem

    def text(self, en: str, zh: str) -> str:
        """What the page says, in the notebook's edition."""
        return zh if self.zh else en


def notebook_facts(path: Path) -> NotebookFacts:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    widget_outputs = sum(
        1 for c in code for o in c.get("outputs", []) if WIDGET_VIEW_MIME in o.get("data", {})
    )
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] != "code")
    lines = []
    for cell in code:
        for line in "".join(cell["source"]).splitlines():
            line = line.strip()
            if len(line) >= 15 and not line.startswith("#") and line not in prose:
                lines.append(line)
                break
    sources = ["".join(cell["source"]) for cell in code]
    book = next((i for i, src in enumerate(sources) if "AnswerBook(" in src), None)
    answer_cells: tuple[int, ...] = ()
    if book is not None:
        box = next((i for i, src in enumerate(sources) if i >= book and "discussion(" in src), book)
        answer_cells = tuple(sorted({book, box}))
    return NotebookFacts(path, len(code), widget_outputs, tuple(lines[:8]), answer_cells)


# --------------------------------------------------------------------------
# Checks shared by JupyterLab and Voila
# --------------------------------------------------------------------------

def _excerpt(text: str, head: int = 300, tail: int = 1200) -> str:
    """A traceback's start and its end (where the exception is named)."""
    text = text.strip()
    return text if len(text) <= head + tail else f"{text[:head]}\n[...]\n{text[-tail:]}"


def assert_no_error_output(area: Locator, page: Page) -> None:
    """No stderr or traceback output, and no uncaught error in the page."""
    stderr = area.locator(STDERR_OUTPUT)
    texts = [_excerpt(t) for t in stderr.all_text_contents()]
    assert not texts, "a cell wrote to stderr or raised:\n" + "\n---\n".join(texts)
    bad = area.locator(".jp-RenderedText").filter(has_text=re.compile(r"Traceback|Error displaying widget"))
    texts = [_excerpt(t) for t in bad.all_text_contents()]
    assert not texts, "error text in an output:\n" + "\n---\n".join(texts)
    widget_errors = [e for e in page.errors if "widget" in e.lower() or "model" in e.lower()]
    assert not widget_errors, f"uncaught widget errors in the page: {widget_errors}"


def assert_widgets_render(area: Locator, facts: NotebookFacts) -> int:
    """Every widget output the committed notebook has is rendered, none is
    left at "Loading widget..." or shows "Error displaying widget", and every
    chart image has loaded. Returns the number of widget views."""
    assert facts.widget_outputs > 0, (
        f"{facts.path.name} stores no widget outputs: a case notebook has what-if "
        "widgets and discussion boxes (CONTRIBUTING.md); re-execute it with "
        "`python -m casekit.nbtools execute`"
    )
    views = area.locator(WIDGET_OUTPUT)
    expect(views, "widget views rendered, as many as the committed notebook shows").to_have_count(
        facts.widget_outputs, timeout=60_000)
    for problem in WIDGET_PROBLEMS:
        expect(area.get_by_text(problem), f'"{problem}" left on the page').to_have_count(0, timeout=30_000)
    wait_for_images(area)
    return views.count()


def wait_for_images(area: Locator) -> None:
    """Every chart image (an Image widget) has loaded a real picture."""
    images = area.locator(".widget-image")
    if images.count():
        area.page.wait_for_function(
            "els => els.every(e => e.complete && e.naturalWidth > 0)", arg=images.element_handles(),
            timeout=30_000)


@dataclass
class SliderMove:
    label: str
    before: str
    after: str
    latency_ms: float


def move_what_if_slider(area: Locator) -> SliderMove:
    """Press an arrow key on the first what-if slider and check its result
    HTML changes. A what-if panel (casekit.widgets.what_if, class
    ``casekit-whatif``) holds a column of controls (an optional title, the
    controls, the result HTML) and, beside it, an optional chart image."""
    panel = area.locator(WHAT_IF).first
    expect(panel, "a what-if panel").to_be_attached()
    slider = panel.locator(f"{WHAT_IF_CONTROLS} > .widget-slider").first
    result = panel.locator(f"{WHAT_IF_CONTROLS} > .widget-html").last
    handle = slider.locator(SLIDER_HANDLE)
    handle.scroll_into_view_if_needed()
    expect(handle).to_be_visible()
    chart = panel.locator(WHAT_IF_CHART)
    chart_before = chart.first.get_attribute("src") if chart.count() else None
    before = result.inner_text().strip()
    assert before, "the what-if result is empty before the slider moves"
    # noUiSlider rounds aria-valuenow to one decimal; aria-valuetext is exact.
    value = handle.get_attribute("aria-valuetext")
    handle.focus()
    start = time.perf_counter()
    handle.press("ArrowRight")
    try:
        expect(handle).not_to_have_attribute("aria-valuetext", value, timeout=3_000)
    except AssertionError:  # already at its maximum: move it down instead
        start = time.perf_counter()
        handle.press("ArrowLeft")
        expect(handle, "the slider handle moved").not_to_have_attribute("aria-valuetext", value)
    expect(result, "the what-if result changed after the slider moved").not_to_have_text(before, timeout=30_000)
    latency = 1000 * (time.perf_counter() - start)
    if chart_before is not None:
        # The chart is redrawn after the table; give it a moment (a chart
        # need not depend on every control, so this is not asserted).
        with contextlib.suppress(AssertionError):
            expect(chart.first).not_to_have_attribute("src", chart_before, timeout=5_000)
        wait_for_images(panel)
    label = slider.locator(".widget-label").first.inner_text().strip()
    return SliderMove(label, before, result.inner_text().strip(), latency)


def settle(page: Page) -> None:
    """Wait until the page has laid out and painted what just changed (a new
    viewport size, a scroll): two animation frames, instead of a fixed pause."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def screenshot(page: Page, path: Path) -> None:
    """The viewport, as a person sees it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def full_screenshot(page: Page, path: Path, scroller: str, *, max_height: int = 16_000) -> None:
    """The whole page, for pages that scroll inside an element (Voila's
    #rendered_cells) where Playwright's ``full_page`` sees only the viewport:
    the viewport is made as tall as the content for the shot."""
    size = page.viewport_size
    extra = page.locator(scroller).evaluate("e => e.scrollHeight - e.clientHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max_height, size["height"] + extra)})
    try:
        settle(page)  # the layout at the new size
        screenshot(page, path)
    finally:
        page.set_viewport_size(size)


def element_screenshot(page: Page, locator: Locator, path: Path, *, chrome: int = 200,
                       max_height: int = 2_400) -> None:
    """The viewport scrolled to ``locator``, made tall enough (for the shot
    only) to show all of it, e.g. a what-if panel with its chart. ``chrome``
    is room for JupyterLab's menus, toolbar and status bar."""
    size = page.viewport_size
    height = locator.evaluate("e => e.getBoundingClientRect().height")
    needed = min(max_height, int(height) + chrome)
    if needed > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": needed})
    try:
        settle(page)  # the layout at the new size
        scroll_to_top_of(locator)
        screenshot(page, path)
    finally:
        page.set_viewport_size(size)


def scroll_to_top_of(locator: Locator) -> None:
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")


# --------------------------------------------------------------------------
# Layout checks: no stray maths, what-ifs that fit a laptop screen
# --------------------------------------------------------------------------

def formula_cells(path: Path) -> set[int]:
    """Indexes (among markdown cells) of the cells that really hold a formula
    (``$$…$$`` or ``\\(…\\)``); only these may render maths."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    md = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    return {i for i, c in enumerate(md) if "$$" in "".join(c["source"]) or "\\(" in "".join(c["source"])}


def assert_no_stray_math(area: Locator, path: Path, cell_selector: str = ".jp-MarkdownCell") -> None:
    """No maths rendered anywhere (a dollar amount typeset as LaTeX), except
    in the markdown cells that hold a real formula."""
    allowed = formula_cells(path)
    cells = area.locator(cell_selector)
    stray = []
    for i in range(cells.count()):
        if i not in allowed and cells.nth(i).locator(MATH).count():
            stray.append(cells.nth(i).inner_text()[:160])
    assert not stray, f"maths rendered in prose (a $ sign?): {stray}"
    outputs = area.locator(".jp-OutputArea-output").locator(MATH)
    assert outputs.count() == 0, f"maths rendered in an output: {outputs.first.inner_text()[:160]}"


def in_viewport(page: Page, locator: Locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= size["height"] + 1 \
        and box["x"] + box["width"] <= size["width"] + 1


def assert_what_ifs_fit(page: Page, area: Locator) -> int:
    """Each what-if panel with a chart: once scrolled to its first slider,
    that slider and the whole chart are on screen together. Returns the number
    of panels checked."""
    panels = area.locator(WHAT_IF)
    checked = 0
    for i in range(panels.count()):
        panel = panels.nth(i)
        chart = panel.locator(WHAT_IF_CHART)
        if not chart.count():
            continue
        slider = panel.locator(f"{WHAT_IF_CONTROLS} > .widget-slider").first
        panel.evaluate("e => e.scrollIntoView({block: 'start'})")
        settle(page)
        assert in_viewport(page, chart.first), (
            f"what-if panel {i + 1}: the chart is not fully on screen at "
            f"{page.viewport_size} (box {chart.first.bounding_box()})")
        if slider.count():
            assert in_viewport(page, slider), (
                f"what-if panel {i + 1}: its first slider and its chart are not on screen together")
        checked += 1
    return checked
