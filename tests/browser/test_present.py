"""`make present`: a case on a projector, as the back row sees it.

`make present CASE=<id>` runs `python -m casekit.present <id>`. For each case
this starts it exactly so (a real Voila with the projector template) and, in a
1920×1080 browser window, checks that

* the page runs with no error (layout and legibility on a projector are
  measured for every notebook in test_voila.py, whose Voila uses the same
  template and environment);
* the answer boxes start empty although a student's answers file exists in
  the presenter's answers folder, and typing in class writes nothing there;
* no maths is typeset from dollar amounts.

A wrong case id prints the valid ids and stops (no traceback, no server).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from browser_ui import (
    ANSWER_BOX,
    RUN_TIMEOUT_MS,
    STDERR_OUTPUT,
    WHAT_IF_CHART,
    assert_no_error_output,
    assert_no_stray_math,
    expect,
    screenshot,
)
from conftest import REPO, port_open, start_server, stop_process

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1920, "height": 1080}
# Layout and legibility are checked for every notebook in test_voila.py (its
# Voila runs with the same template and environment); here the command itself
# and the answers' isolation, for one case.
CASES = [("hotel_guarantee", "en"), ("haidilao", "zh")]
STUDENT_TEXT = "A STUDENT'S OWN ANSWER, never to be projected"


def test_wrong_case_id_lists_the_valid_ones():
    out = subprocess.run([sys.executable, "-m", "casekit.present", "hotel"], capture_output=True,
                         text=True, timeout=60, cwd=REPO)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "hotel_guarantee" in out.stderr and "dell" in out.stderr and "可选" in out.stderr


@pytest.mark.parametrize("case_id,lang", CASES)
def test_present_starts_empty_and_keeps_students_answers(case_id, lang, jupyter_home, tmp_path, chromium, screenshots):
    from casekit import cases, present
    from casekit.answers import AnswerBook

    notebook = present.notebook_for(case_id, lang)
    stem = notebook.removesuffix(".ipynb").rsplit("/", 1)[-1]
    # The presenting machine has a student's saved answers (e.g. the
    # instructor's laptop was used for a demo): they must not show or change.
    answers = tmp_path / "answers"
    answers.mkdir()
    student_file = answers / f"{stem}.json"
    book = AnswerBook(stem, folder=answers)
    first_q = cases.get_case(case_id).questions[0].id
    book.save(first_q, text=STUDENT_TEXT)
    before = student_file.read_bytes()
    listing = sorted(p.name for p in answers.iterdir())  # the answers file (and its lock file)
    env = dict(jupyter_home, CASEKIT_ANSWERS_DIR=str(answers), JUPYTER_RUNTIME_DIR=str(tmp_path))
    log = tmp_path / "present.log"
    proc, port = start_server(
        "make present", lambda p: [sys.executable, "-m", "casekit.present", case_id, "--lang", lang,
                                   "--port", str(p), "--no-browser"],
        env=env, cwd=REPO, log=log, ready=port_open)
    context = chromium.new_context(viewport=PROJECTOR, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    try:
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        slider = page.locator(".widget-slider").first
        failed = page.locator(STDERR_OUTPUT).first
        expect(slider.or_(failed).first, "the page ran").to_be_visible(timeout=RUN_TIMEOUT_MS)
        body = page.locator("body")
        expect(page.locator(ANSWER_BOX).first, "answer boxes are shown").to_be_attached(timeout=60_000)
        assert_no_error_output(body, page)
        assert_no_stray_math(body, REPO / "notebooks" / notebook)

        # Empty answer boxes; typing in class writes nothing to any student's file.
        boxes = page.locator(ANSWER_BOX)
        values = boxes.evaluate_all("els => els.map(e => e.value)")
        assert values and all(v == "" for v in values), f"answer boxes are not empty: {values}"
        boxes.first.scroll_into_view_if_needed()
        boxes.first.click()
        boxes.first.press_sequentially("typed in class")
        # Wait until the box says the text was saved (to the presenter's
        # temporary folder), so the check below sees any write it made.
        status = boxes.first.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]").get_by_text(
            re.compile(r"^Saved \(|^已保存（"))
        expect(status.first, "the typed text was saved").to_be_visible(timeout=30_000)
        page.locator(WHAT_IF_CHART).first.scroll_into_view_if_needed()
        if lang == "zh":
            expect(body, "the Chinese edition is presented").to_contain_text("查看参考答案")
        screenshot(page, screenshots / f"{lang}-{stem}-present-1920.png")
    finally:
        context.close()
        stop_process(proc)
    assert student_file.read_bytes() == before, "presenting changed a student's answers file"
    assert sorted(p.name for p in answers.iterdir()) == listing, \
        "presenting wrote into the students' answers folder"
    assert STUDENT_TEXT in json.loads(before)["answers"][first_q]["text"]
