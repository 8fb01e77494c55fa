"""The course site (`make site`) in Chromium, served by a local web server
with no network: every page of both editions loads without asking any other
host for anything, logs no console error and shows every image; Chinese pages
are in Chinese; search finds English words and Chinese terms; a worked answer
opens on click; a what-if shows its saved state and says how to make it live.

The site is built once per session (about a minute per edition), into a
temporary folder, from the committed notebooks. ``CASEKIT_SITE_DIR`` names a
site already built (``make site``) to test instead: for working on the tests."""

from __future__ import annotations

import functools
import http.server
import os
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
    if os.environ.get("CASEKIT_SITE_DIR"):
        folder = Path(os.environ["CASEKIT_SITE_DIR"])
    else:
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


def _settle(page) -> None:
    """Wait for requests that come after the load: a widget's icon fonts are
    asked for once the widgets are drawn (at "network idle" none had failed
    yet; half a second later three had)."""
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_timeout(700)
    page.wait_for_load_state("networkidle")


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
    _settle(page)
    assert seen["foreign"] == [], f"{path} asks other hosts for {seen['foreign']}"
    assert seen["failed"] == [], f"{path}: failed requests {seen['failed']}"
    assert page.errors == [] and seen["console"] == [], f"{path}: errors {page.errors + seen['console']}"
    broken = page.evaluate("""() => [...document.images]
        .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))""")
    assert broken == [], f"{path}: broken images {broken}"
    text = page.locator("main").inner_text()
    if path.startswith("zh/"):
        assert page.locator("html").get_attribute("lang").startswith("zh"), f"{path} is not marked as Chinese"
        # Every Chinese page is in Chinese: the interface, the cases, the
        # teaching notes, the data dictionaries and the sources.
        if path.startswith("zh/data/"):
            # A short dictionary: every column's meaning is in Chinese.
            meanings = page.locator("main table tbody tr td:last-child").all_inner_texts()
            assert meanings and all(CJK.search(m) for m in meanings), f"{path}: {meanings}"
        else:
            assert len(CJK.findall(text)) > 100, f"{path} has little Chinese text"
        if path.startswith(("zh/data/", "zh/sources")):
            heading = page.locator("main h1").first.inner_text() + page.locator("main p").first.inner_text()
            assert CJK.search(heading), f"{path}: title or subtitle not in Chinese: {heading!r}"
            assert "do not edit" not in text and "What it supports" not in text, f"{path} shows English notes"
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
    ("zh/", "服务补救", "05_hotel_guarantee.html"),
    ("zh/", "lifetime", "00_start_here.html"),
    # Phrases longer than one dictionary word: split into the index's words.
    ("zh/", "客户关系管理", "index.html"),
    ("zh/", "数据字典", "data.html"),
    ("zh/", "顾客终身价值", "01_dell.html"),
], ids=["en-lifetime-value", "en-haidilao", "en-service-recovery", "zh-haidilao", "zh-service-recovery",
        "zh-lifetime", "zh-crm", "zh-data-dictionary", "zh-customer-lifetime-value"])
def test_search_finds_english_and_chinese_terms(site, browser_page, prefix, term, expected):
    _, base = site
    hrefs = _search(browser_page, base, prefix, term)
    assert hrefs, f"search for {term!r} found nothing"
    assert any(h.split("?")[0].split("#")[0] == expected for h in hrefs), \
        f"search for {term!r} did not find {expected}: {hrefs[:10]}"


CASE_PAGES = [p for p in PAGES if "/" not in p.removeprefix("zh/") and p.removeprefix("zh/")[:2].isdigit()]


@pytest.mark.parametrize("path", CASE_PAGES)
def test_worked_answers_open_on_click_and_what_ifs_are_static(site, browser_page, path, screenshots):
    folder, base = site
    assert (folder / path).exists(), f"{path} is not in the built site"
    page = browser_page
    page.goto(f"{base}/{path}", wait_until="networkidle")
    # Each discussion question shows only the question: its key points and
    # worked answer are folded together until clicked.
    questions = page.locator(".casekit-static-discussion")
    assert questions.count() >= 1, f"{path}: no discussion question"
    for k in range(questions.count()):
        details = questions.nth(k).locator("details")
        points = details.locator("ul").first
        expect(points, "the key points are folded until clicked").to_be_hidden()
        details.locator("summary").click()
        expect(points, "the key points open on click").to_be_visible()
        expect(details.locator(":scope > :not(summary)").last).to_be_visible()
    first = questions.first
    # Polls in their static form: the question, nothing to type in or click.
    polls = page.locator(".casekit-static-poll")
    assert polls.locator("input, textarea, button").count() == 0
    # Each what-if renders from its saved widget state, every control
    # disabled (nothing recomputes here), with the note ABOVE it.
    note = page.locator(".casekit-live-note")
    sliders = page.locator(".widget-hslider .noUi-target")
    if note.count() == 0:
        assert sliders.count() == 0, f"{path}: sliders without a note"
        return
    expect(sliders.first).to_be_visible()
    live = sliders.evaluate_all("els => els.filter(e => !e.hasAttribute('disabled')).length")
    assert live == 0, f"{path}: {live} sliders still move"
    assert page.locator(".jupyter-widgets select:not([disabled]), .jupyter-widgets input:not([disabled])").count() == 0
    above = note.first.evaluate("""n => { const w = document.querySelector('.widget-hslider');
        return !!(n.compareDocumentPosition(w) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    assert above, f"{path}: the live note is not above the what-if"
    href = note.first.locator("a[download]").get_attribute("href")
    response = page.request.get(f"{base}/{Path(path).parent / href}".replace("/./", "/"))
    assert response.ok and response.body()[:2] == b"PK", f"the course download {href} does not work"
    if "05_hotel" in path:
        label = path.replace("/", "-").removesuffix(".html")
        for width, height in ((1920, 1080), (1366, 768)):
            page.set_viewport_size({"width": width, "height": height})
            first.scroll_into_view_if_needed()
            screenshot(page, screenshots / f"site-{label}-answer-{width}.png")
            note.first.scroll_into_view_if_needed()
            screenshot(page, screenshots / f"site-{label}-whatif-{width}.png")


def test_no_download_menu_offers_the_sites_copy_of_a_notebook(site):
    folder, _ = site
    for path in ("05_hotel_guarantee.html", "zh/05_hotel_guarantee.html"):
        page = (folder / path).read_text(encoding="utf-8")
        assert "dropdown-download-buttons" not in page and "列印" not in page, path


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
        # "How to start" links the course archive (the notebooks run only in it).
        href = page.locator("main a.casekit-archive").first.get_attribute("href")
        response = page.request.get(f"{base}/{prefix}{href}")
        assert response.ok and response.body()[:2] == b"PK", f"{prefix}index.html: {href} does not download"


def test_site_opens_from_a_file_and_search_works_there(site, browser_page):
    """An instructor can open the built folder (or the unpacked zip) with no
    web server: pages and search work from file://, without errors."""
    folder, _ = site
    page = browser_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((folder / "zh" / "search.html").resolve().as_uri() + "?q=海底捞", wait_until="load")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    hrefs = [a.get_attribute("href") for a in results.all()]
    assert any(h.split("?")[0] == "02_haidilao.html" for h in hrefs), hrefs[:10]
    assert errors == [] and page.errors == [], errors + page.errors
