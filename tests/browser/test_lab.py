"""Every notebook in JupyterLab, in a real browser.

For each notebook in notebooks/: open it, clear the stored outputs, run all
cells from the Run menu, then check what a student sees — no error output,
every widget rendered, a what-if slider that recomputes its result, and an
answer box whose text reaches the answers file on disk and is read back from
it when the answer cell is run again.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

import pytest
from browser_ui import (
    ANSWER_BOX,
    WHAT_IF,
    assert_no_stray_math,
    assert_what_ifs_fit,
    screenshot,
    settle,
    RUN_TIMEOUT_MS,
    assert_no_error_output,
    assert_widgets_render,
    element_screenshot,
    move_what_if_slider,
    notebook_facts,
)
from browser_ui import Locator, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# The status bar's kernel text; the toolbar's execution indicator says idle
# before any kernel exists (RECIPES.md).
KERNEL_IDLE = re.compile(r"\| Idle$")
LAPTOP = {"width": 1366, "height": 768}
VIEWPORT = {"width": 1280, "height": 900}  # as in conftest


def kernel_idle(page: Page) -> Locator:
    return page.locator(".jp-StatusBar-Widget").get_by_text(KERNEL_IDLE)


def wait_for_notebook(page: Page) -> Locator:
    panel = page.locator(NOTEBOOK_PANEL)
    expect(panel, "the notebook panel").to_be_visible(timeout=90_000)
    # A notebook without kernel metadata (never executed) asks which kernel
    # to start; accept the default, Python 3. Executed notebooks carry
    # language_info and start their kernel at once.
    idle = kernel_idle(page)
    select = page.locator(".jp-Dialog").filter(has_text="Select Kernel").locator(".jp-Dialog-button.jp-mod-accept")
    expect(idle.or_(select), "the kernel started and is idle").to_be_visible(timeout=120_000)
    if select.is_visible():
        select.click()
    expect(idle, "the kernel started and is idle").to_be_visible(timeout=120_000)
    return panel


def open_notebook(page: Page, server, name: str) -> Locator:
    # ?reset: no tabs of an earlier test come back.
    page.goto(f"{server.base_url}/lab/tree/{name}?reset&token={server.token}")
    panel = wait_for_notebook(page)
    tab = name.rsplit("/", 1)[-1]
    expect(page.locator(".lm-TabBar-tab.lm-mod-current").filter(has_text=tab).first).to_be_visible()
    return panel


def menu(page: Page, top: str, item: str) -> None:
    """Click a menu entry by its exact name ("Run All Cells" would also match
    "Restart Kernel and Run All Cells…")."""
    page.locator(".lm-MenuBar").get_by_role("menuitem", name=top, exact=True).click()
    page.locator(".lm-Menu").get_by_role("menuitem", name=item, exact=True).click()


_RUN_STATE = """(sel) => {
  const panel = document.querySelector(sel);
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
      .map(p => p.textContent.trim());
  return {
    total: prompts.length,
    done: prompts.filter(t => /^\\[\\d+\\]:?$/.test(t)).length,
    running: prompts.filter(t => t.includes('*')).length,
    errors: panel.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
  };
}"""


def run_all_cells(page: Page, panel: Locator, code_cells: int) -> float:
    """Clear the outputs, Run All Cells, and wait until every code cell has an
    execution count (or a cell failed and the run stopped). Returns seconds."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    expect(panel.locator(".jp-OutputArea-output"), "outputs cleared before the run").to_have_count(0)
    expect(panel.locator(".jp-CodeCell"), "every code cell is in the page").to_have_count(code_cells)
    start = time.monotonic()
    menu(page, "Run", "Run All Cells")
    deadline = start + RUN_TIMEOUT_MS / 1000
    while True:
        state = page.evaluate(_RUN_STATE, NOTEBOOK_PANEL)
        if state["done"] == state["total"]:
            break
        if state["errors"] and not state["running"]:
            break  # a cell failed and Run All stopped; the error check reports it
        assert time.monotonic() < deadline, f"Run All Cells did not finish: {state}"
        time.sleep(0.25)
    expect(kernel_idle(page), "the kernel is idle after the run").to_be_visible(timeout=60_000)
    return time.monotonic() - start


def run_cell(page: Page, panel: Locator, index: int) -> None:
    """Run one code cell (by its index among the code cells) and wait until
    it has an execution count and the kernel is idle."""
    cell = panel.locator(".jp-CodeCell").nth(index)
    prompt = cell.locator(".jp-InputArea .jp-InputPrompt")
    prompt.scroll_into_view_if_needed()
    prompt.click()  # selects the cell in command mode
    expect(cell, "the cell to run is selected").to_have_class(re.compile(r"\bjp-mod-selected\b"))
    page.keyboard.press("Control+Enter")  # run it and stay on it
    expect(prompt, f"code cell {index + 1} ran").to_have_text(re.compile(r"^\[\d+\]:?$"), timeout=RUN_TIMEOUT_MS)
    expect(kernel_idle(page), "the kernel is idle after the cell").to_be_visible(timeout=60_000)


def answers_in(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [entry.get("text", "") for entry in data.get("answers", {}).values()]


def wait_for_answer_file(path: Path, text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in answers_in(path):
        assert time.monotonic() < deadline, (
            f"the typed answer did not reach {path} within {timeout:.0f} s; it holds {answers_in(path)!r}")
        time.sleep(0.2)


def test_notebook_in_jupyterlab(notebook, lab, browser_page, screenshots, record_figure):
    facts = notebook_facts(lab.root / notebook)  # the copy the server serves
    page = browser_page
    panel = open_notebook(page, lab, notebook)
    # More room for the notebook in the screenshots: hide the file browser.
    page.keyboard.press("Control+b")

    seconds = run_all_cells(page, panel, facts.code_cells)
    assert_no_error_output(panel, page)
    views = assert_widgets_render(panel, facts)

    move = move_what_if_slider(panel)
    record_figure(f"{facts.label} JupyterLab: Run All {seconds:.1f} s, {views} widget views; "
                  f"slider '{move.label}' → new result shown in {move.latency_ms:.0f} ms")
    expect(kernel_idle(page), "the kernel is idle after the slider move").to_be_visible()
    element_screenshot(page, panel.locator(WHAT_IF).first, screenshots / f"{facts.label}-lab.png")

    # No dollar amount (or anything else) typeset as maths in the prose.
    assert_no_stray_math(panel, lab.root / notebook)
    assert_readable_outputs(panel)
    assert_worked_answer_hidden_until_asked(panel, facts)

    # A student's laptop: 1366×768 with the file browser open. Every what-if
    # panel shows its first slider and its chart on screen together.
    page.keyboard.press("Control+b")
    page.set_viewport_size(LAPTOP)
    settle(page)
    panels = assert_what_ifs_fit(page, panel)
    assert panels >= 1, f"{notebook}: no what-if panel with a chart found"
    screenshot(page, screenshots / f"{facts.label}-lab-laptop-what-if.png")
    page.set_viewport_size(VIEWPORT)
    page.keyboard.press("Control+b")

    # An answer typed in the first discussion box is saved to disk at once.
    text = f"Browser check {secrets.token_hex(3)}: retention pays."
    box = panel.locator(ANSWER_BOX).first
    box.scroll_into_view_if_needed()
    box.click()
    box.fill("")  # both editions save to the same answers file in this test's folder
    box.press_sequentially(text)
    answers_file = lab.answers / f"{facts.stem}.json"
    wait_for_answer_file(answers_file, text)
    # A Chinese answer is counted in characters (字), not as one "word".
    boxes = panel.locator(ANSWER_BOX)
    if boxes.count() > 1:
        second = boxes.nth(1)
        second.scroll_into_view_if_needed()
        second.click()
        second.fill("")
        second.press_sequentially("服务就是产品，顾客满意。")
        status = second.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]").get_by_text(
            re.compile(facts.text(r"^Saved \(", r"^已保存（")))
        expect(status.first, "the saved status counts Chinese characters").to_contain_text(
            facts.text("Saved (10 字)", "已保存（10 字）"))
        # The status already counts 10 字 before the last key ("。") is saved:
        # wait for the whole text, so that no save is pending below.
        wait_for_answer_file(answers_file, "服务就是产品，顾客满意。")

    # Change the saved text in the file, as another editor would, then clear
    # every output (every widget view goes) and run again only the cell that
    # opens the answers file and the one showing the first discussion box:
    # the box must show the text now on disk, so it was stored there and is
    # read from there. The whole notebook already ran once above; running
    # every cell again would test nothing more, and reloading the page (about
    # 7 s) would only clear the views, as clearing the outputs does. That
    # answers outlive the kernel itself is tested in tests/test_answers.py.
    edited = f"{text} (edited on disk)"
    data = json.loads(answers_file.read_text(encoding="utf-8"))
    entries = [e for e in data["answers"].values() if e.get("text") == text]
    assert len(entries) == 1, f"the typed answer is not saved once in {answers_file}: {data['answers']}"
    entries[0]["text"] = edited
    answers_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    menu(page, "Edit", "Clear Outputs of All Cells")
    expect(panel.locator(ANSWER_BOX), "no answer box left after clearing the outputs").to_have_count(0)
    assert facts.answer_cells, f"{notebook}: no cell opens an AnswerBook"
    for index in facts.answer_cells:
        run_cell(page, panel, index)
    assert_no_error_output(panel, page)
    box = panel.locator(ANSWER_BOX).first
    expect(box, "the answer is back after clearing the outputs, read from the answers file").to_have_value(edited)
    element_screenshot(page, box.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]"),
                       screenshots / f"{facts.label}-lab-answer.png")


def assert_readable_outputs(panel: Locator) -> None:
    """What a reader sees in the outputs: no truncated table cells ("…" or
    "..."), no test markers, no Python object reprs such as PosixPath."""
    cells = panel.locator(".jp-OutputArea-output table td, .jp-OutputArea-output table th").all_inner_texts()
    cut = [c for c in cells if c.strip() in {"...", "…"} or c.strip().endswith("...")]
    assert not cut, f"truncated table cells: {cut[:5]}"
    text = "\n".join(panel.locator(".jp-OutputArea-output").all_inner_texts())
    for clutter in ("NBVAL", "PosixPath(", "np.float64("):
        assert clutter not in text, f"{clutter!r} is shown to readers"


def assert_worked_answer_hidden_until_asked(panel: Locator, facts) -> None:
    """Try first, then look: the worked answer is hidden until the student
    presses "Show worked answer", and then it shows computed text."""
    # The question's box, located by structure (the button's name changes
    # when it is pressed, so it cannot anchor the locator).
    box = panel.locator(".widget-vbox:has(> .widget-toggle-button)").first
    button = box.locator(":scope > .widget-toggle-button")
    worked = box.locator(":scope > .widget-html").last
    expect(button).to_have_text(re.compile(facts.text("Show worked answer", "查看参考答案")))
    expect(worked, "the worked answer is hidden at first").to_be_hidden()
    button.scroll_into_view_if_needed()
    button.click()
    expect(worked, "the worked answer shows after the click").to_be_visible()
    expect(button).to_have_text(re.compile(facts.text("Hide worked answer", "收起参考答案")))
    assert len(worked.inner_text().strip()) > 40, "the worked answer is empty"
    assert "{" not in worked.inner_text(), "an unfilled placeholder in the worked answer"
    button.click()
    expect(worked, "hidden again after a second click").to_be_hidden()


def test_a_polls_reveal_opens_folded_until_clicked(lab, browser_page, screenshots):
    """The stored result below a poll is not on screen when a student opens
    the notebook: JupyterLab shows it collapsed (metadata.jupyter.outputs_hidden)
    until a click on it."""
    import nbformat

    name = "05_hotel_guarantee.ipynb"
    cells = nbformat.read(lab.root / name, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    call = 'polls.poll("hotel_guarantee", "breakeven", book=book)'
    k = next(j for j, c in enumerate(code) if c.source.strip() == call) + 1  # the reveal, among code cells
    assert code[k].metadata["jupyter"]["outputs_hidden"] is True
    page = browser_page
    panel = open_notebook(page, lab, name)
    reveal = panel.locator(".jp-CodeCell").nth(k)
    reveal.scroll_into_view_if_needed()
    expect(reveal.locator(".jp-InputArea"), "the reveal's code is shown").to_contain_text("guarantee_decomposition")
    placeholder = reveal.locator(".jp-OutputPlaceholder")
    expect(placeholder, "the reveal's output is collapsed").to_be_visible()
    expect(reveal.locator(".jp-OutputArea-output"), "no result on screen before the click").to_be_hidden()
    # The collapsed bar previews the output's first line (tests/test_polls.py checks it in every notebook).
    assert "1.12%" not in placeholder.inner_text()[:240]
    expect(panel.locator(".jp-CodeCell").nth(k - 1).locator(".jp-OutputArea-output"),
           "the poll above it is shown").to_be_visible()
    element_screenshot(page, reveal, screenshots / "lab-poll-reveal-folded.png")
    placeholder.click()
    expect(reveal.locator(".jp-OutputArea-output table"), "the click shows the result").to_contain_text("1.12%")


def test_exercises_are_in_reach_and_their_checks_teach(lab, browser_page, screenshots):
    """A student who ran `make lab` finds the exercise sets in the file
    browser, opens one and runs it: each unanswered question's check fails
    with a short bilingual message (no long traceback), and the last cell lists
    every question's status."""
    page = browser_page
    page.goto(f"{lab.base_url}/lab/tree/00_start_here.ipynb?reset&token={lab.token}")
    wait_for_notebook(page)
    listing = page.locator(".jp-DirListing-content")
    folder = listing.get_by_text("exercises", exact=True)
    expect(folder, "an exercises folder in the file browser").to_be_visible()
    folder.dblclick()
    sets = sorted(p.name for p in (lab.root / "exercises").glob("*.ipynb"))
    assert sets, "no student copies in notebooks/exercises"
    for name in sets:
        expect(listing.get_by_text(name, exact=True), f"{name} is listed").to_be_visible()
    listing.get_by_text("toolkit.ipynb", exact=True).dblclick()
    panel = wait_for_notebook(page)
    cells = panel.locator(".jp-CodeCell")
    expect(cells.first).to_be_attached()
    menu(page, "Run", "Run All Cells")
    summary = panel.locator(".jp-OutputArea-output").filter(has_text="检查汇总")
    expect(summary.first, "the last cell lists every question's status").to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(kernel_idle(page)).to_be_visible(timeout=60_000)
    errors = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    texts = errors.all_inner_texts()
    assert texts, "an unanswered question's check should fail"
    for t in texts:
        lines = [line for line in t.splitlines() if line.strip()]
        assert len(lines) <= 8, f"a check failure shows a long traceback ({len(lines)} lines): {t[:300]}"
        assert re.search(r"[\u4e00-\u9fff]", t), f"a check message without Chinese: {t[:200]}"
        assert "np.float64" not in t
    text = summary.last.inner_text()
    assert "✗" in text or "not checked yet" in text
    screenshot(page, screenshots / "exercise-toolkit-lab.png")


def test_make_lab_lang_zh_opens_the_chinese_edition_in_a_chinese_jupyterlab(jupyter_home, chromium, tmp_path,
                                                                             screenshots):
    """`make lab LANG=zh` as a Chinese student runs it: JupyterLab's menus in
    Chinese (the zh_CN language pack) and the Chinese start page open."""
    from conftest import REPO, port_open, start_server, stop_process

    token = secrets.token_hex(8)
    # JUPYTER_PORT / JUPYTER_TOKEN set the server's port and token. BROWSER
    # is a script that notes the address `make lab` asks a browser to open;
    # the test opens that address, as the student's browser would. Its own
    # workspaces folder keeps other JupyterLab tests' layouts out.
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    env = dict(jupyter_home, JUPYTER_TOKEN=token, BROWSER=f"{browser} %s", JUPYTER_RUNTIME_DIR=str(tmp_path),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), CASEKIT_ANSWERS_DIR=str(tmp_path / "answers"))
    from conftest import free_port

    port = free_port()
    proc, _ = start_server("make lab LANG=zh", lambda _p: ["make", "-s", "lab", "LANG=zh"],
                           env={**env, "JUPYTER_PORT": str(port)}, cwd=REPO, log=tmp_path / "lab.log",
                           ready=lambda _p: port_open(port))
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        for _ in range(600):
            if opened.exists() and opened.read_text(encoding="utf-8").strip():
                break
            time.sleep(0.1)
        address = opened.read_text(encoding="utf-8").split()[0]
        page.goto(address if "://" in address else Path(address).as_uri())
        menubar = page.locator(".lm-MenuBar")
        expect(menubar.get_by_role("menuitem", name=re.compile("^文件")).first,
               "JupyterLab's menus are in Chinese").to_be_visible(timeout=90_000)
        expect(page.locator(".lm-TabBar-tab").filter(has_text="00_start_here.ipynb").first,
               "the start page is open").to_be_visible(timeout=90_000)
        panel = page.locator(NOTEBOOK_PANEL)
        expect(panel.locator(".jp-RenderedMarkdown h1").first, "the Chinese edition's title").to_contain_text(
            re.compile("[\u4e00-\u9fff]"), timeout=60_000)
        screenshot(page, screenshots / "zh-make-lab-1366.png")
    finally:
        context.close()
        stop_process(proc)
