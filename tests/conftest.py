"""Shared test set-up.

Loaded at start-up (tests/ is in pytest's testpaths), so the environment set
here also reaches the kernels nbval starts for the notebooks: students'
answers written while testing go to a temporary folder, never into the repo.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[1]

_ANSWERS_TMP = None


def pytest_configure(config):
    global _ANSWERS_TMP
    _ANSWERS_TMP = tempfile.mkdtemp(prefix="casekit-answers-")
    os.environ["CASEKIT_ANSWERS_DIR"] = _ANSWERS_TMP
    # A character no installed font can draw (a tofu box in a chart) is an
    # error in every kernel the tests start, so nbval fails on it.
    os.environ["CASEKIT_STRICT_GLYPHS"] = "1"


def pytest_unconfigure(config):
    if _ANSWERS_TMP:
        shutil.rmtree(_ANSWERS_TMP, ignore_errors=True)


@pytest.fixture
def answers_dir(tmp_path, monkeypatch):
    """A fresh answers folder for one test."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("CASEKIT_ANSWERS_DIR", str(folder))
    return folder


# Notebooks under tests/ (grading fixtures) are data, not nbval tests.
collect_ignore_glob = ["**/*.ipynb"]


# --------------------------------------------------------------------------
# Running in parallel (`make test` runs `pytest -n 2 --dist loadgroup`)
# --------------------------------------------------------------------------

def _expensive_fixtures(item) -> list[str]:
    """Fixtures wider than one test that the test's own file defines (a
    graded course, a built site): tests sharing one stay on one worker, so
    it is built once."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    module = item.nodeid.split("::")[0]
    names = []
    for name in info.names_closure:
        for fixturedef in info.name2fixturedefs.get(name, ()):
            if fixturedef.scope != "function" and fixturedef.baseid == module:
                names.append(name)
    return sorted(set(names))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist's ``--dist loadgroup``: a notebook's nbval cells
    share one kernel, so they run on one worker in order; tests sharing a
    module-wide fixture of their file run on one worker. All other tests
    (each browser test of one notebook, unit tests) are spread freely; the
    session servers and Chromium are then started once per worker."""
    shared = {}
    parent: dict = {}  # fixtures used by one test are joined: (module, fixture) → its group

    def find(key):
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for item in items:
        path = Path(str(item.path)).resolve()
        try:
            rel = path.relative_to(REPO).as_posix()
        except ValueError:
            rel = path.as_posix()
        if path.suffix == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(rel))
            continue
        names = _expensive_fixtures(item)
        if names:
            shared[item] = (rel, names)
            for name in names[1:]:
                parent[find((rel, name))] = find((rel, names[0]))
    for item, (rel, names) in shared.items():
        item.add_marker(pytest.mark.xdist_group("::".join(find((rel, names[0])))))


# --------------------------------------------------------------------------
# Summary of the browser tests (also under xdist: the figures travel in the
# reports' user_properties, the summary is printed by the main process)
# --------------------------------------------------------------------------

BROWSER_TESTS = "tests/browser/"
FIGURE = "browser_figure"
_BROWSER: dict = {"start": None, "end": None, "outcomes": {}, "figures": []}


def _is_browser(nodeid: str) -> bool:
    return nodeid.startswith(BROWSER_TESTS)


def pytest_runtest_logreport(report):
    if not _is_browser(report.nodeid):
        return
    now = time.monotonic()
    if _BROWSER["start"] is None:
        # The first report arrives when the first test's set-up is done:
        # count from the start of that set-up.
        _BROWSER["start"] = now - getattr(report, "duration", 0.0)
    _BROWSER["end"] = now
    if report.when == "call" or report.outcome != "passed":
        failed_outside_test = report.failed and report.when != "call"
        _BROWSER["outcomes"][report.nodeid] = "error" if failed_outside_test else report.outcome
    if report.when == "teardown":
        _BROWSER["figures"] += [value for key, value in report.user_properties if key == FIGURE]


@pytest.fixture
def record_figure(request):
    """Tests note measured figures (e.g. slider latency) for the summary."""
    def record(text: str) -> None:
        request.node.user_properties.append((FIGURE, text))
    return record


_SESSION_START = time.time()


def _record_full_run(terminalreporter) -> None:
    """After a run of the whole suite (no paths given, as `make test` runs
    it), write its wall time and counts to build/test-run.json; `make bench`
    reports the last one (the issue's target: the suite in five minutes)."""
    import json
    import sys

    config = terminalreporter.config
    if hasattr(config, "workerinput") or config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        return
    stats = terminalreporter.stats
    counts = {k: len([r for r in stats.get(k, []) if getattr(r, "when", "call") in ("call", "setup", "collect")])
              for k in ("passed", "failed", "error", "skipped")}
    record = {"finished": time.strftime("%Y-%m-%d %H:%M", time.localtime()),
              "wall_seconds": round(time.time() - _SESSION_START, 1),
              "workers": getattr(config.option, "numprocesses", None) or 1, "cpus": os.cpu_count(),
              "ci": bool(os.environ.get("CI")), "python": sys.version.split()[0], **counts}
    out = REPO / "build" / "test-run.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=2), encoding="utf-8")


def pytest_terminal_summary(terminalreporter):
    _record_full_run(terminalreporter)
    if _BROWSER["start"] is None:
        return
    counts: dict[str, int] = {}
    for outcome in _BROWSER["outcomes"].values():
        counts[outcome] = counts.get(outcome, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no results"
    elapsed = _BROWSER["end"] - _BROWSER["start"]
    terminalreporter.section("browser tests (JupyterLab and Voila in Chromium)")
    for line in sorted(_BROWSER["figures"]):
        terminalreporter.write_line(line)
    terminalreporter.write_line(
        f"browser tests: {summary}; {elapsed:.1f} s from the first to the last "
        f"(servers and Chromium start included; run in parallel with other tests under -n); "
        f"screenshots in build/screenshots/"
    )
