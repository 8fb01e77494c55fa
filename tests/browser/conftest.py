"""Real-browser tests: JupyterLab and Voila driven by Playwright in Chromium.

What this file provides (see README.md in this folder):

* ``notebook`` — every ``notebooks/*.ipynb``, found when the tests are
  collected, so a new case notebook is tested without editing anything here.
* ``lab_server`` / ``voila_server`` — one JupyterLab and one Voila server for
  the whole session, on 127.0.0.1 with a free port and a random token, serving
  *copies* of the notebooks from a temporary folder (JupyterLab autosaves).
  Jupyter's config, data and runtime folders, IPython's and Matplotlib's are
  temporary too, and so is ``CASEKIT_ANSWERS_DIR``. Each server is started in
  its own process group and stopped with SIGTERM at the end.
* ``chromium`` (one browser for the session) and ``browser_page`` (a fresh
  browser context per test; on failure its screenshot is saved).

Debian's Chromium at /usr/bin/chromium is used; ``playwright install`` is
never needed. In CI (``CI=true``) a missing Chromium or Playwright fails the
tests; elsewhere they are skipped with a message saying how to get them.

Nothing here touches nbval: the hooks below only act on tests in this folder,
and the environment of the servers is passed to them, never set globally.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_ui import NOTEBOOKS, REPO, SCREENSHOTS

# Debian's package; another build can be named with CASEKIT_CHROMIUM.
CHROMIUM = Path(os.environ.get("CASEKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI containers run as root
    "--disable-gpu",
    # Without these Chromium keeps calling hosts that are blocked here.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # small /dev/shm in containers
]
VIEWPORT = {"width": 1280, "height": 900}

# Generous: a loaded 2-core CI machine starts a server in about 3 s.
SERVER_START_TIMEOUT = 120.0
SERVER_STOP_TIMEOUT = 20.0

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

ANNOUNCEMENTS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


# --------------------------------------------------------------------------
# Which notebooks
# --------------------------------------------------------------------------

def notebook_files() -> list[Path]:
    """Every notebook of the course, both editions (English, then 中文 in
    notebooks/zh/), found at collection time."""
    return sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((NOTEBOOKS / "zh").glob("*.ipynb"))


def notebook_name(path: Path) -> str:
    """The notebook's path under notebooks/: ``01_dell.ipynb``, ``zh/01_dell.ipynb``."""
    return path.relative_to(NOTEBOOKS).as_posix()


def pytest_generate_tests(metafunc):
    # Only tests in this folder see this hook (pytest filters conftest hooks
    # by path), so nbval's collection of notebooks/ is not affected.
    if "notebook" in metafunc.fixturenames:
        files = notebook_files()
        metafunc.parametrize("notebook", [notebook_name(p) for p in files],
                             ids=[notebook_name(p).removesuffix(".ipynb").replace("/", "-") for p in files])


# --------------------------------------------------------------------------
# Skip outside CI, fail in CI
# --------------------------------------------------------------------------

def skip_or_fail(message: str) -> None:
    """Skip a test whose tools are missing; in CI, fail it instead."""
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def missing_tools() -> list[str]:
    """What is missing to run the browser tests, in words a user can act on."""
    problems = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problems.append(
            f"Chromium is not installed at {CHROMIUM}; install Debian's package with "
            "`sudo apt-get install chromium` (do not run `playwright install`)"
        )
    for module, package in (("playwright", "playwright"), ("jupyterlab", "jupyterlab"), ("voila", "voila")):
        if importlib.util.find_spec(module) is None:
            problems.append(f"the Python package {package} is missing; run `make test` "
                            "or `pip install -e '.[test]'`")
    return problems


@pytest.fixture(scope="session")
def browser_tools():
    """Skip (outside CI) or fail (in CI) when Chromium or Playwright is missing."""
    problems = missing_tools()
    if problems:
        message = "browser tests cannot run: " + "; ".join(problems)
        if IN_CI:
            pytest.fail(message + ". In CI (CI=true) the browser tests must run.", pytrace=False)
        pytest.skip(message)


# --------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _log_tail(path: Path, n: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    return "(no log)"


@dataclass
class Server:
    """A server process started by a fixture."""

    name: str
    port: int
    token: str
    root: Path
    answers: Path
    runtime: Path
    log: Path
    proc: subprocess.Popen = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str):
        """Call the Jupyter server's REST API (token in the header)."""
        request = urllib.request.Request(f"{self.base_url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every notebook session (and its kernel) on this server."""
        for session in self.api("GET", "/api/sessions"):
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self) -> None:
        stop_process(self.proc)
        kill_leftover_kernels(self.runtime)


def stop_process(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group, SIGKILL if it hangs."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def kill_leftover_kernels(runtime: Path) -> None:
    """Kernels run in their own sessions; a server stopped with SIGTERM shuts
    them down, but if one survives (a hung shutdown) end it. Only processes
    whose command line names this server's private runtime folder (their
    connection file) are touched: the kernels this server started."""
    marker = str(runtime)
    for proc_dir in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            cmdline = (proc_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if marker in cmdline and int(proc_dir.name) != os.getpid():
                os.kill(int(proc_dir.name), signal.SIGTERM)


def start_server(name: str, argv_for_port, *, env: dict, cwd: Path, log: Path, ready) -> tuple[subprocess.Popen, int]:
    """Start ``argv_for_port(port)`` on a free port and wait until ``ready(port)``.

    A port taken between choosing and binding makes the server exit at once;
    then another port is tried (three attempts)."""
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        with open(log, "ab") as fh:
            proc = subprocess.Popen(
                argv_for_port(port), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_error = f"{name} exited with code {proc.returncode} before it was ready"
                break
            if ready(port):
                return proc, port
            time.sleep(0.2)
        else:
            stop_process(proc)
            raise RuntimeError(f"{name} was not ready after {SERVER_START_TIMEOUT:.0f} s; "
                               f"end of its log {log}:\n{_log_tail(log)}")
    raise RuntimeError(f"{last_error}; end of its log {log}:\n{_log_tail(log)}")


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


@pytest.fixture(scope="session")
def jupyter_home(browser_tools, tmp_path_factory) -> dict:
    """Environment for the servers: every folder Jupyter, IPython and
    Matplotlib read or write is temporary, so a test never reads or changes a
    user's settings."""
    home = tmp_path_factory.mktemp("jupyter-home")
    env = os.environ.copy()
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        folder = home / var.lower()
        folder.mkdir()
        env[var] = str(folder)
    env["PYTHONUNBUFFERED"] = "1"
    config = Path(env["JUPYTER_CONFIG_DIR"])
    # No news pop-up (same as `jupyter labextension disable <plugin>`, but
    # written to the temporary user config, not into the environment).
    _write_json(config / "labconfig" / "page_config.json",
                {"disabledExtensions": {ANNOUNCEMENTS_PLUGIN: True}})
    settings = config / "lab" / "user-settings" / "@jupyterlab"
    _write_json(settings / "apputils-extension" / "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    # JupyterLab 4 keeps only the cells in view in the page ("windowing").
    # The tests inspect every cell's output, so render them all.
    _write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings",
                {"windowingMode": "none"})
    # A fresh MPLCONFIGDIR makes Matplotlib build its font cache and say so
    # on stderr, which the first notebook would show as an error output.
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                   check=True, timeout=300, capture_output=True)
    return env


@pytest.fixture(scope="session")
def notebook_snapshot(browser_tools, tmp_path_factory) -> Path:
    """One copy of notebooks/ taken when the first browser test starts, so
    that JupyterLab and Voila test the same files even while someone edits
    the originals."""
    snapshot = tmp_path_factory.mktemp("notebooks-snapshot")
    for nb in notebook_files():
        target = snapshot / notebook_name(nb)
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(nb, target)
    # The student copies of the exercises, where `make lab` shows them.
    exercises = NOTEBOOKS / "exercises"
    if exercises.is_dir():
        shutil.copytree(exercises, snapshot / "exercises")
    return snapshot


def _copy_notebooks(snapshot: Path, target: Path) -> Path:
    shutil.copytree(snapshot, target)
    return target


def _server_env(base_env: dict, tmp: Path) -> tuple[dict, Path, Path]:
    answers = tmp / "answers"
    runtime = tmp / "runtime"
    answers.mkdir()
    runtime.mkdir()
    env = dict(base_env, CASEKIT_ANSWERS_DIR=str(answers), JUPYTER_RUNTIME_DIR=str(runtime))
    return env, answers, runtime


def _status_ok(port: int, token: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as r:
            return r.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="session")
def lab_server(jupyter_home, notebook_snapshot, tmp_path_factory):
    """One JupyterLab server for all notebooks."""
    tmp = tmp_path_factory.mktemp("lab")
    root = _copy_notebooks(notebook_snapshot, tmp / "notebooks")
    env, answers, runtime = _server_env(jupyter_home, tmp)
    token = secrets.token_hex(24)
    log = tmp / "jupyterlab.log"

    def argv(port):
        return [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]

    proc, port = start_server("JupyterLab", argv, env=env, cwd=root, log=log,
                              ready=lambda p: _status_ok(p, token))
    server = Server("JupyterLab", port, token, root, answers, runtime, log, proc)
    yield server
    server.stop()


@pytest.fixture
def lab(lab_server):
    """The session's JupyterLab server; kernels a test started are shut down
    after it, so that no more than one runs at a time on a small machine."""
    yield lab_server
    lab_server.shut_down_kernels()


@pytest.fixture(scope="session")
def voila_server(jupyter_home, notebook_snapshot, tmp_path_factory):
    """One Voila server for all notebooks, serving /voila/render/<name>,
    with the projector template and environment of `make present`.

    Readiness is checked by connecting to the port: an HTTP GET of a page
    would execute a notebook."""
    from casekit import present

    tmp = tmp_path_factory.mktemp("voila")
    root = _copy_notebooks(notebook_snapshot, tmp / "notebooks")
    env, answers, runtime = _server_env(jupyter_home, tmp)
    # As `make present` runs it: the projector template, charts at double
    # resolution (the answers folder stays the test's own).
    env = present.present_env(answers, env)
    token = secrets.token_hex(24)
    log = tmp / "voila.log"

    def argv(port):
        return [
            sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", f"--Voila.root_dir={root}",
            f"--Voila.token={token}", "--show_tracebacks=True", "--template=projector",
            *present.EXECUTOR_OPTIONS, *present.template_options(),
        ]

    proc, port = start_server("Voila", argv, env=env, cwd=root, log=log, ready=port_open)
    server = Server("Voila", port, token, root, answers, runtime, log, proc)
    yield server
    server.stop()


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium(browser_tools):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    except Exception:
        pw.stop()
        raise
    yield browser
    browser.close()
    pw.stop()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def browser_page(chromium, request):
    """A fresh page in its own browser context. Dialogs (the "leave page?"
    question on reload) are accepted. Uncaught page errors are collected in
    ``page.errors``. A failing test leaves ``build/screenshots/FAILED-<test>.png``."""
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.errors = []
    page.on("dialog", lambda dialog: dialog.accept())
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(SCREENSHOTS / f"FAILED-{safe}.png"))
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# The run-time summary and ``record_figure`` are in tests/conftest.py, which
# the main process loads under pytest-xdist too.
