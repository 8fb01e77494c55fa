"""The class slides (`make slides`) in Chromium at a projector's 1920×1080:
opened from disk (file://, as by a double-click) and from a web server, with
no network. Every slide fits the screen (or scrolls only inside a table
marked long by design), its text is legible, its charts load, and nothing is
asked of any other host. The decks are built once per session from the
committed notebooks, every case in both editions."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import skip_or_fail
from browser_ui import NOTEBOOKS, screenshot, settle

from casekit import slides

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1920, "height": 1080}
MIN_FONT_PX = 14  # on the 1280×720 slide, i.e. 21 px on a 1920×1080 screen


def _decks() -> list[Path]:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    paths += [NOTEBOOKS / "zh" / p.name for p in paths if (NOTEBOOKS / "zh" / p.name).exists()]
    return paths


DECKS = _decks()


def _deck_id(path: Path) -> str:
    return f"zh-{path.stem}" if path.parent.name == "zh" else path.stem


@pytest.fixture(scope="session")
def decks(browser_tools, tmp_path_factory) -> Path:
    """Every deck, built once into a temporary folder."""
    if not (slides.NODE_MODULES / "reveal.js").is_dir():
        skip_or_fail("the npm packages are not installed: run `make slides` (or `npm ci` in site/) first")
    out = tmp_path_factory.mktemp("slides")
    slides.copy_assets(out)
    for path in DECKS:
        slides.build_deck(path, out)
    return out


# What a slide looks like once reveal.js shows it: its size against the
# logical slide, boxes that scroll (and whether a long-table cell holds them),
# the smallest text, images not loaded.
MEASURE = """() => {
  const cfg = Reveal.getConfig(), s = Reveal.getCurrentSlide();
  const scrolls = [...s.querySelectorAll('*')].filter(e => {
    const st = getComputedStyle(e);
    const y = e.scrollHeight > e.clientHeight + 1 && !['visible', 'hidden', 'clip'].includes(st.overflowY);
    const x = e.scrollWidth > e.clientWidth + 1 && !['visible', 'hidden', 'clip'].includes(st.overflowX);
    return x || (y && !e.closest('.celltag_slide-scroll'));
  }).map(e => e.className || e.tagName);
  // Every element that holds text of its own (a span or div of the what-if
  // panel too, not only p, li, td...).
  const sizes = [...s.querySelectorAll('*')]
    .filter(e => e.offsetParent !== null && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  const images = [...s.querySelectorAll('img')];
  return {height: s.scrollHeight, width: s.scrollWidth, maxHeight: cfg.height, maxWidth: cfg.width,
          scrolls, minFont: Math.min(...sizes), images: images.length,
          broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).length,
          text: s.innerText.slice(0, 80)};
}"""


def _open(page, url: str) -> list[str]:
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).scheme not in
            ("file", "data", "blob") and not r.url.startswith("http://127.0.0.1:") else None)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    return foreign


@pytest.mark.parametrize("path", DECKS, ids=_deck_id)
def test_every_slide_fits_a_projector_from_file(decks, browser_page, path, screenshots):
    page = browser_page
    page.set_viewport_size(PROJECTOR)
    deck = decks / (f"zh-{path.stem}.html" if path.parent.name == "zh" else f"{path.stem}.html")
    foreign = _open(page, deck.as_uri())
    count = page.evaluate("Reveal.getTotalSlides()")
    assert count >= 8, f"{deck.name} has only {count} slides"
    problems = []
    for i in range(count):
        page.evaluate(f"Reveal.slide({i})")
        settle(page)
        m = page.evaluate(MEASURE)
        where = f"slide {i + 1} ({m['text']!r})"
        if m["height"] > m["maxHeight"] or m["width"] > m["maxWidth"]:
            problems.append(f"{where} overflows: {m['width']}×{m['height']} on a "
                            f"{m['maxWidth']}×{m['maxHeight']} slide")
        if m["scrolls"]:
            problems.append(f"{where} scrolls outside a long-table cell: {m['scrolls']}")
        if m["minFont"] < MIN_FONT_PX:
            problems.append(f"{where} has text at {m['minFont']:.1f}px (under {MIN_FONT_PX}px)")
        if m["broken"]:
            problems.append(f"{where} has {m['broken']} image(s) not loaded")
        if i in (0, 2) or m["images"]:
            screenshot(page, screenshots / f"slides-{_deck_id(path)}-{i + 1:02d}.png")
    assert not problems, f"{deck.name}:\n" + "\n".join(problems)
    assert foreign == [], f"{deck.name} asks the network for {foreign}"
    assert page.errors == [] and page.console_errors == [], page.errors + page.console_errors
    if path.parent.name == "zh":
        assert page.locator("html").get_attribute("lang") == "zh"


def test_decks_work_from_a_server_too(decks, browser_page, screenshots):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(decks)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser_page
        page.set_viewport_size({"width": 1366, "height": 768})
        foreign = _open(page, f"http://127.0.0.1:{server.server_address[1]}/05_hotel_guarantee.html")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("Reveal.getIndices().h === 1")
        screenshot(page, screenshots / "slides-05_hotel_guarantee-server-1366.png")
        assert foreign == [] and page.errors == [] and page.console_errors == []
    finally:
        server.shutdown()
        server.server_close()
