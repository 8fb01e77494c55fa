"""A reader without Python: the static page of each notebook (`make html`)
opened from disk in Chromium, with no network. Worked answers stay folded
until clicked; each what-if shows its default result and chart."""

from __future__ import annotations

import pytest
from browser_ui import NOTEBOOKS, expect, screenshot

from casekit import nbtools

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((NOTEBOOKS / "zh").glob("*.ipynb")),
                         ids=lambda p: f"zh-{p.stem}" if p.parent.name == "zh" else p.stem)
def test_static_page_offline(path, tmp_path, browser_page, screenshots):
    page_file = nbtools.export_html(path, tmp_path)
    page = browser_page
    hosts = []
    page.on("request", lambda r: hosts.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(page_file.as_uri())
    details = page.locator("details")
    expect(details.first, "worked answers are on the page").to_be_attached()
    first = details.first
    answer = first.locator(":scope > :not(summary)").first
    expect(answer, "the worked answer is folded until clicked").to_be_hidden()
    first.locator("summary").click()
    expect(answer, "the worked answer opens on click").to_be_visible()
    images = page.locator(".casekit-static-whatif img")
    if images.count():
        images.first.scroll_into_view_if_needed()
        page.wait_for_function("els => els.every(e => e.complete && e.naturalWidth > 0)",
                               arg=images.element_handles())
    label = f"zh-{path.stem}" if path.parent.name == "zh" else path.stem
    screenshot(page, screenshots / f"{label}-static.png")
    if path.parent.name == "zh":
        expect(first.locator("summary"), "the Chinese page's fold is in Chinese").to_have_text("查看参考答案")
    # The page works offline: it asks no host for anything.
    assert hosts == [], f"the static page requests {hosts}"
