"""`make class`: the class view in Voila, as the projector shows it.

A seeded simulated class (60 students, English and Chinese answers, some
blank, some damaged files; casekit.classsim) is written to a temporary
folder. `python -m casekit.classview <folder>` is started exactly as
`make class ANSWERS=<folder>` starts it, and in a 1920×1080 window the test

* picks a poll and checks the count (answered of the class), the chart and
  the vote counts against the same figures computed in Python, then reveals
  the model answer;
* picks a discussion question and checks the key-point counts and that the
  three sample answers are answers of the class;
* checks that no student's name or id appears anywhere on the projected page,
  and (the same check's control) that the instructor's view does show them.
"""

from __future__ import annotations

import re
import sys

import pytest
from browser_ui import RUN_TIMEOUT_MS, STDERR_OUTPUT, assert_no_error_output, expect, screenshot
from conftest import REPO, port_open, start_server, stop_process

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1920, "height": 1080}
CASE = "hotel_guarantee"
COUNT = ".casekit-class-count"


@pytest.fixture(scope="module")
def simulated_class(tmp_path_factory):
    from casekit import classsim

    folder = tmp_path_factory.mktemp("class")
    manifest = classsim.make_class_answers(folder, 60, case=CASE, seed=7)
    return folder, manifest


def _open(chromium, jupyter_home, tmp_path, folder, *, instructor: bool, lang: str = "en"):
    env = dict(jupyter_home, JUPYTER_RUNTIME_DIR=str(tmp_path))
    log = tmp_path / ("instructor.log" if instructor else "class.log")
    argv = [sys.executable, "-m", "casekit.classview", str(folder), "--no-browser", "--lang", lang]
    if instructor:
        argv.append("--instructor")
    proc, port = start_server("make class", lambda p: argv + ["--port", str(p)], env=env, cwd=tmp_path, log=log,
                              ready=port_open)
    context = chromium.new_context(viewport=PROJECTOR, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
    failed = page.locator(STDERR_OUTPUT).first
    expect(page.locator(COUNT).or_(failed).first, "the class view ran").to_be_visible(timeout=RUN_TIMEOUT_MS)
    assert_no_error_output(page.locator("body"), page)
    return proc, context, page


def _pick(page, label_start: str, value_text: str) -> None:
    """Choose an option of the drop-down whose label starts with ``label_start``."""
    select = page.locator(".widget-dropdown", has=page.locator(f"label:text-matches('^{label_start}')")).locator(
        "select")
    option = select.locator("option", has_text=value_text).first
    select.select_option(label=option.inner_text())


def test_class_view_projects_the_class_without_names(simulated_class, chromium, jupyter_home, tmp_path, screenshots):
    from casekit import classroom, classstats, polls

    folder, manifest = simulated_class
    data = classroom.load_class(folder)
    poll = polls.get_poll(CASE, "design")
    counts = classstats.poll_counts(data, poll)
    n_poll, total = classstats.answered(data, CASE, poll.key)
    n_q1, _ = classstats.answered(data, CASE, "q1")
    points = classstats.key_points(data, CASE, "q1")
    texts = {s.strip() for s in data.rows(CASE, "q1")["text"] if s.strip()}
    assert total == 60 and 0 < n_poll < 60 and len(data.problems) == 4

    proc, context, page = _open(chromium, jupyter_home, tmp_path, folder, instructor=False)
    try:
        body = page.locator("body")
        count = page.locator(COUNT)
        expect(count).to_have_attribute("data-total", "60")
        # A discussion question first (the default): key points and samples.
        expect(count).to_have_attribute("data-answered", str(n_q1))
        rows = page.locator(".casekit-class-kp tr")
        expect(rows).to_have_count(len(points))
        for i, r in points.iterrows():
            assert rows.nth(i).get_attribute("data-ticked") == str(r["ticked"])
        samples = page.locator(".casekit-class-sample")
        expect(samples).to_have_count(3)
        for s in samples.all_inner_texts():
            shown = s.split(":", 1)[1].strip().rstrip("…")
            assert any(t.startswith(shown) for t in texts), f"sample not from the class: {shown[:80]}"
        expect(page.locator(".casekit-class-words span").first).to_be_visible()
        expect(page.locator(".casekit-class-problems")).to_have_attribute("data-n", "4")
        screenshot(page, screenshots / "class-view-question-1920.png")

        # The poll: count, chart and votes.
        _pick(page, "Question", poll.question.en[:30])
        expect(count).to_have_attribute("data-answered", str(n_poll))
        chart = page.locator(".casekit-class-chart")
        expect(chart).to_be_visible()
        assert (chart.get_attribute("src") or "").startswith(("data:image/png", "blob:"))
        box = chart.bounding_box()
        assert box and box["width"] >= 800, f"the chart is too small for a projector: {box}"
        votes = page.locator(".casekit-class-votes tr")
        expect(votes).to_have_count(len(counts))
        for option, n in counts.items():
            row = page.locator(f".casekit-class-votes tr[data-option='{option}'] td").nth(1)
            expect(row).to_have_text(str(n))
        expect(page.locator(".casekit-class-votes")).not_to_contain_text("model answer")
        page.get_by_role("button", name="Reveal the answer").click()
        marked = page.locator(f".casekit-class-votes tr[data-option='{poll.answer}']")
        expect(marked).to_contain_text("model answer")
        screenshot(page, screenshots / "class-view-poll-1920.png")
        # A number poll: the revealed model answer's label sits above the bars.
        _pick(page, "Question", polls.get_poll(CASE, "breakeven").question.en[:30])
        expect(page.locator(".casekit-class-guesses")).to_be_visible()
        reveal = page.get_by_role("button", name="Reveal the answer")
        expect(reveal).not_to_have_class(re.compile(r"mod-active"))  # a new poll starts hidden
        reveal.click()
        expect(page.locator(".casekit-class-guesses")).to_contain_text("model answer")
        screenshot(page, screenshots / "class-view-number-poll-1920.png")

        # No name or id of any student anywhere on the projected page.
        text = body.inner_text() + page.content()
        for name in manifest["name"]:
            assert name not in text, f"a student's name is projected: {name}"
        for sid in manifest["student"]:
            assert f">{sid}<" not in text and f" {sid} " not in text, f"a student id is projected: {sid}"
        assert not page.errors, page.errors
    finally:
        context.close()
        stop_process(proc)


def test_instructor_view_shows_names_the_projected_one_hides(simulated_class, chromium, jupyter_home, tmp_path,
                                                            screenshots):
    folder, manifest = simulated_class
    readable = manifest[manifest["kind"].isin(["ok", "blank"])]
    proc, context, page = _open(chromium, jupyter_home, tmp_path, folder, instructor=True)
    try:
        roster = page.locator(".casekit-class-roster")
        expect(roster).to_be_visible()
        for name in readable["name"].head(5):
            expect(roster).to_contain_text(name)
        page.get_by_role("button", name="Participation → Canvas CSV").click()
        expect(page.locator("body")).to_contain_text("participation_hotel_guarantee_canvas.csv")
        rows = (tmp_path / "class-exports" / "participation_hotel_guarantee_canvas.csv").read_text().splitlines()
        assert len(rows) == 2 + len(manifest)  # header, Points Possible, every student of the class
        roster.scroll_into_view_if_needed()
        screenshot(page, screenshots / "class-view-instructor-1920.png")
    finally:
        context.close()
        stop_process(proc)


def test_class_view_in_chinese(simulated_class, chromium, jupyter_home, tmp_path, screenshots):
    """`make class LANG=zh`: the same view in Chinese; Chinese answers are
    counted as words (segmented), not as whole sentences."""
    from casekit import classroom, classstats, i18n

    folder, _ = simulated_class
    data = classroom.load_class(folder)
    with i18n.language("zh"):
        words = classstats.frequent_words(data, CASE, "q1")
    chinese = [w for w, _ in words if any("\u3400" <= ch <= "\u9fff" for ch in w)]
    assert chinese and all(len(w) <= 6 for w in chinese)
    proc, context, page = _open(chromium, jupyter_home, tmp_path, folder, instructor=False, lang="zh")
    try:
        expect(page.locator(COUNT)).to_contain_text("名学生中有")
        expect(page.locator(".casekit-class-words")).to_contain_text(chinese[0])
        expect(page.locator("body")).to_contain_text("答案示例（匿名）")
        screenshot(page, screenshots / "class-view-zh-1920.png")
    finally:
        context.close()
        stop_process(proc)


POLL_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "poll", "metadata": {}, "outputs": [],
               "source": "import casekit\ncasekit.set_language('en')\nfrom casekit import polls\n"
                         "from casekit.answers import AnswerBook\n"
                         "book = AnswerBook('05_hotel_guarantee', case='hotel_guarantee')\n"
                         "display(polls.poll('hotel_guarantee', 'breakeven', book=book))\n"
                         "polls.poll('hotel_guarantee', 'design', book=book)"}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5}


def test_students_poll_votes_reach_the_answers_file_and_the_class_view(chromium, jupyter_home, tmp_path):
    """A student guesses and votes in the page; the answers file holds both,
    and the class view reading that folder counts them."""
    import json

    from casekit import classroom, classstats, present

    (tmp_path / "poll.ipynb").write_text(json.dumps(POLL_NOTEBOOK), encoding="utf-8")
    answers = tmp_path / "class" / "s001"
    env = present.present_env(answers, dict(jupyter_home, JUPYTER_RUNTIME_DIR=str(tmp_path)))
    proc, port = start_server(
        "Voila", lambda p: [sys.executable, "-m", "voila", "--no-browser", f"--port={p}", "--Voila.ip=127.0.0.1",
                            "--template=projector", "poll.ipynb"],
        env=env, cwd=tmp_path, log=tmp_path / "voila.log", ready=port_open)
    context = chromium.new_context(viewport=PROJECTOR, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        expect(page.locator(".casekit-poll").nth(1)).to_be_visible(timeout=RUN_TIMEOUT_MS)
        guess = page.locator(".casekit-poll input[type=text]")
        guess.fill("nine")
        guess.press("Enter")
        expect(page.locator(".casekit-poll").first).to_contain_text("not a number")
        guess.fill("1,4")
        guess.press("Enter")
        expect(page.locator(".casekit-poll").first).to_contain_text("Saved your guess: 1.4 % of stays")
        page.get_by_text("Half refund").click()
        expect(page.locator(".casekit-poll").nth(1)).to_contain_text("Saved your vote: Half refund")
    finally:
        context.close()
        stop_process(proc)
    saved = json.loads((answers / "05_hotel_guarantee.json").read_text(encoding="utf-8"))["answers"]
    assert saved["poll:breakeven"]["vote"] == 1.4 and saved["poll:design"]["vote"] == "half_refund"
    data = classroom.load_class(tmp_path / "class")
    assert classstats.answered(data, "hotel_guarantee", "poll:design") == (1, 1)
