"""The course site (`make site`) in Chromium, served by a local web server
with no network: every page of both editions loads without asking any other
host for anything, logs no console error and shows every image; Chinese pages
are in Chinese; search finds English words and Chinese terms; a worked answer
opens on click; a what-if shows its saved state and says how to make it live.

The site is built once per session (about a minute per edition), into a
temporary folder, from the committed notebooks."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import skip_or_fail
from browser_ui import NOTEBOOKS, REPO, expect, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZH_NOTEBOOKS = NOTEBOOKS / "zh"
NOTES = REPO / "exercises" / "teaching_notes"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _pages() -> list[str]:
    """Every page the site must have (paths under the site's root), found
    from the repository's files when the tests are collected."""
    from casekit import datasets

    data = sorted(n for n in datasets.all_datasets() if datasets.get(n).dictionary_path.exists())
    out = []
    for prefix, nbs, notes in (("", NOTEBOOKS, NOTES), ("zh/", ZH_NOTEBOOKS, NOTES / "zh")):
        out += [f"{prefix}index.html", f"{prefix}instructors.html", f"{prefix}data.html", f"{prefix}sources.html"]
        out += [f"{prefix}{p.stem}.html" for p in sorted(nbs.glob("[0-9][0-9]_*.ipynb"))]
        out += [f"{prefix}instructors/{p.stem}.html" for p in sorted(notes.glob("*.md"))]
        out += [f"{prefix}data/{n}.html" for n in data]
    return out


PAGES = _pages()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log on the test output
        pass


@pytest.fixture(scope="session")
def site(browser_tools, tmp_path_factory):
    """Build the site once and serve it on 127.0.0.1 (a free port)."""
    from casekit import site as course_site

    if not (course_site.NODE_MODULES / "requirejs").is_dir():
        skip_or_fail("the npm packages are not installed: run `make site` (or `npm ci` in site/) first")
    tmp = tmp_path_factory.mktemp("site")
    folder = course_site.build(tmp / "site", work=tmp / "src")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _watch(page, base: str) -> dict:
    """Record requests to any other host, failed requests, console errors."""
    seen = {"foreign": [], "failed": [], "console": []}
    host = urlparse(base).netloc
    page.on("request", lambda r: seen["foreign"].append(r.url)
            if urlparse(r.url).scheme not in ("data", "blob", "about") and urlparse(r.url).netloc != host else None)
    page.on("response", lambda r: seen["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    return seen


def test_every_page_is_in_the_build(site):
    folder, _ = site
    missing = [p for p in PAGES if not (folder / p).is_file()]
    assert not missing, f"pages missing from the site: {missing}"
    assert len(PAGES) > 20


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline(site, browser_page, path, screenshots):
    folder, base = site
    page = browser_page
    seen = _watch(page, base)
    page.goto(f"{base}/{path}", wait_until="networkidle")
    assert seen["foreign"] == [], f"{path} asks other hosts for {seen['foreign']}"
    assert seen["failed"] == [], f"{path}: failed requests {seen['failed']}"
    assert page.errors == [] and seen["console"] == [], f"{path}: errors {page.errors + seen['console']}"
    broken = page.evaluate("""() => [...document.images]
        .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))""")
    assert broken == [], f"{path}: broken images {broken}"
    text = page.locator("main").inner_text()
    if path.startswith("zh/"):
        assert page.locator("html").get_attribute("lang").startswith("zh"), f"{path} is not marked as Chinese"
        # The interface (navigation, search box) is Chinese on every page;
        # the landing page, the cases and the teaching notes are in Chinese.
        assert CJK.search(page.locator("body").inner_text()), f"{path} shows no Chinese"
        if not path.startswith(("zh/data", "zh/sources")):
            assert len(CJK.findall(text)) > 100, f"{path} has little Chinese text"
    # Each page links to the same page in the other edition.
    switch = page.locator("a.casekit-other-edition")
    expect(switch).to_have_count(1)
    if ".html" in path and "/" not in path.removeprefix("zh/") and path.removeprefix("zh/")[:2].isdigit():
        # A case page: its widgets rendered from their saved state, no error.
        for problem in ("Error displaying widget", "Loading widget..."):
            assert problem not in text, f"{path}: {problem}"
        label = path.replace("/", "-").removesuffix(".html")
        screenshot(page, screenshots / f"site-{label}.png")


def _search(page, base: str, prefix: str, term: str) -> list[str]:
    page.goto(f"{base}/{prefix}search.html?q={term}", wait_until="networkidle")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    return [a.get_attribute("href") for a in results.all()]


@pytest.mark.parametrize("prefix,term,expected", [
    ("", "lifetime value", "00_start_here.html"),
    ("", "海底捞", "02_haidilao.html"),
    ("", "服务补救", "05_hotel_guarantee.html"),
    ("zh/", "海底捞", "02_haidilao.html"),
    ("zh/", "服务补救", None),
    ("zh/", "lifetime", None),
], ids=["en-lifetime-value", "en-haidilao", "en-service-recovery", "zh-haidilao", "zh-service-recovery",
        "zh-lifetime"])
def test_search_finds_english_and_chinese_terms(site, browser_page, prefix, term, expected):
    _, base = site
    hrefs = _search(browser_page, base, prefix, term)
    assert hrefs, f"search for {term!r} found nothing"
    if expected:
        assert any(h.split("?")[0].split("#")[0].endswith(expected) for h in hrefs), \
            f"search for {term!r} did not find {expected}: {hrefs[:10]}"


@pytest.mark.parametrize("path", ["05_hotel_guarantee.html", "zh/05_hotel_guarantee.html"])
def test_worked_answer_opens_on_click_and_what_if_shows_its_saved_state(site, browser_page, path, screenshots):
    folder, base = site
    assert (folder / path).exists(), f"{path} is not in the built site"
    page = browser_page
    page.goto(f"{base}/{path}", wait_until="networkidle")
    first = page.locator(".casekit-static-discussion details").first
    answer = first.locator(":scope > :not(summary)").first
    expect(answer, "the worked answer is folded until clicked").to_be_hidden()
    first.locator("summary").click()
    expect(answer, "the worked answer opens on click").to_be_visible()
    # The what-if renders from its saved widget state: sliders at their
    # defaults, the result table, and a note with the notebook to download.
    expect(page.locator(".widget-slider, .jupyter-widgets.widget-hslider").first).to_be_visible()
    note = page.locator(".casekit-live-note")
    expect(note).to_have_count(1)
    href = note.locator("a[download]").get_attribute("href")
    response = page.request.get(f"{base}/{Path(path).parent / href}".replace("/./", "/"))
    assert response.ok and b'"cells"' in response.body(), f"the notebook download {href} does not work"
    label = path.replace("/", "-").removesuffix(".html")
    for width, height in ((1920, 1080), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        first.scroll_into_view_if_needed()
        screenshot(page, screenshots / f"site-{label}-answer-{width}.png")
        note.scroll_into_view_if_needed()
        screenshot(page, screenshots / f"site-{label}-whatif-{width}.png")


def test_language_switch_goes_to_the_same_page(site, browser_page):
    folder, base = site
    page = browser_page
    page.goto(f"{base}/02_haidilao.html", wait_until="networkidle")
    page.locator("a.casekit-other-edition").click()
    page.wait_for_load_state("networkidle")
    twin = (folder / "zh" / "02_haidilao.html").exists()
    assert page.url.endswith("/zh/02_haidilao.html" if twin else "/zh/index.html"), page.url
    page.locator("a.casekit-other-edition").click()
    page.wait_for_load_state("networkidle")
    back = "/02_haidilao.html" if twin else "/index.html"
    assert page.url.endswith(back) and "/zh/" not in page.url, page.url


def test_landing_page(site, browser_page, screenshots):
    _, base = site
    page = browser_page
    for prefix in ("", "zh/"):
        for width, height in ((1920, 1080), (1366, 768)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{base}/{prefix}index.html", wait_until="networkidle")
            screenshot(page, screenshots / f"site-{prefix.strip('/') or 'en'}-index-{width}.png")
        # The case table links every case that has a page in this edition.
        links = page.locator("main table a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any("05_hotel_guarantee.html" in h for h in links) or prefix == "zh/", links
