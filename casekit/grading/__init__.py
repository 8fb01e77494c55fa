"""Release, grade and give feedback on the course's exercise sets with nbgrader
(instructors only: nbgrader is the ``[instructor]`` extra, students never
need it).

The nbgrader course directory is ``exercises/`` (see its ``nbgrader_config.py``
and ``README.md``): masters in ``source/<assignment>/<assignment>.ipynb``,
written with the simple cell tags of :func:`casekit.nbtools.mark_exercise`.

* :func:`release` — student copies in ``release/``: solutions become a stub
  (``# YOUR CODE HERE`` / ``...``) so that "Run All" goes on, hidden tests are
  removed, visible tests stay as plain ``assert``\\ s with bilingual messages.
  Every copy is checked: no line of a solution or a hidden test may remain.
* :func:`grade` — every student folder of a submissions folder
  (:mod:`.submissions` finds the notebook and notes anything unusual) is
  snapshotted, then each notebook runs in a fresh kernel inside a sandbox
  (:mod:`.sandbox`), aligned with its master and scored by :mod:`.autograde`,
  with guard cells (:mod:`.guard`) that detect a tampered kernel. Several
  notebooks run at a time. One CSV per assignment: a row per student folder,
  a column per question, the total and the notes; graded notebooks go to
  ``autograded/`` as with plain nbgrader. ``serial=True`` runs plain
  ``nbgrader autograde`` instead (no sandbox).
* :func:`feedback` — one HTML page per student and assignment in
  ``feedback/<student>/<assignment>/<assignment>.html``, built from the
  gradebook scores and the student's graded notebook. It never shows hidden
  test source or tracebacks (nbgrader's own ``generate_feedback`` shows both).
* :func:`benchmark` — plain serial ``nbgrader autograde`` against
  :func:`grade` on the same prepared submissions.

Command line (``make release``, ``make grade SUBMISSIONS=path``)::

    python -m casekit.grading release [ASSIGNMENT ...]
    python -m casekit.grading grade FOLDER [--timeout S] [--workers N] [--sandbox KIND]
                                           [--allow-unsandboxed] [--serial]
                                           [--lms canvas,moodle] [--roster ROSTER.csv]
    python -m casekit.grading feedback ASSIGNMENT [--csv PATH]
    python -m casekit.grading bench [--students N]          (default 40)

Every command takes ``--course DIR`` (default: the repository's ``exercises/``).
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .._checks import check_number, check_positive
from . import autograde, sandbox, submissions

__all__ = [
    "COURSE_DIR",
    "masters",
    "questions",
    "secret_lines",
    "release",
    "find_submissions",
    "grade",
    "feedback",
    "benchmark",
    "lms_exports",
]

COURSE_DIR = Path(__file__).resolve().parents[2] / "exercises"
"""The nbgrader course directory of the repository."""

CSV_NAME = "grades_{assignment}.csv"
"""Gradebook CSV written by :func:`grade`, in the course directory (git-ignored)."""

_SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
_HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
_MIN_SECRET_LEN = 8  # shorter lines ("else:", "return x") are too common to be evidence
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# --------------------------------------------------------------------------
# Masters
# --------------------------------------------------------------------------

def _course(course_dir) -> Path:
    p = Path(COURSE_DIR if course_dir is None else course_dir).resolve()
    if not (p / "nbgrader_config.py").is_file():
        raise FileNotFoundError(f"`course_dir` must be an nbgrader course folder with nbgrader_config.py, got {p}")
    return p


def masters(course_dir=None) -> dict[str, Path]:
    """Every exercise master, by assignment name: ``source/<a>/<a>.ipynb``."""
    src = _course(course_dir) / "source"
    found = {}
    for d in sorted(src.iterdir()) if src.is_dir() else ():
        nb = d / f"{d.name}.ipynb"
        if d.is_dir() and nb.is_file():
            found[d.name] = nb
    return found


def _question_name(grade_id: str) -> str:
    return grade_id[: -len("_tests")] if grade_id.endswith("_tests") else grade_id


@dataclass(frozen=True)
class Question:
    """One graded cell of a master: ``name`` (CSV column), ``grade_id``,
    ``points``, ``auto`` (True for a test cell, False for a hand-graded one)."""

    name: str
    grade_id: str
    points: float
    auto: bool


def questions(master) -> list[Question]:
    """The graded cells of a master, in notebook order."""
    nb = nbformat.read(master, as_version=4)
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            gid = meta["grade_id"]
            out.append(Question(_question_name(gid), gid, float(meta.get("points", 0)),
                                auto=not meta.get("solution", False)))
    names = [q.name for q in out]
    if len(set(names)) != len(names):  # e.g. q1 (hand) and q1_tests: keep the raw ids
        out = [Question(q.grade_id, q.grade_id, q.points, q.auto) for q in out]
    return out


def _marked(source: str, markers) -> set[int]:
    """Numbers (from 1) of the lines between ``markers`` (begin, end) in one
    cell; the marker lines themselves are not included."""
    marked, on = set(), False
    for i, line in enumerate(source.splitlines(), 1):
        s = line.strip()
        if s.startswith(markers[0]):
            on = True
        elif s.startswith(markers[1]):
            on = False
        elif on:
            marked.add(i)
    return marked


def _blocks(source: str, markers) -> tuple[list[str], list[str]]:
    """Lines inside and outside ``markers`` (begin, end) in one cell; the
    marker lines are in neither."""
    lines = source.splitlines()
    inside = _marked(source, markers)
    is_marker = {i for i, line in enumerate(lines, 1) if line.strip().startswith(markers)}
    return ([line for i, line in enumerate(lines, 1) if i in inside],
            [line for i, line in enumerate(lines, 1) if i not in inside and i not in is_marker])


def _significant(line: str) -> str | None:
    s = line.strip().lstrip("#").strip()
    if len(s) < _MIN_SECRET_LEN or not re.search(r"\w", s):
        return None
    return s


def secret_lines(master) -> set[str]:
    """Stripped lines of a master that students must not see: solution code,
    model answers and hidden tests. Lines also found outside those blocks, or
    too short to tell (under 8 characters), are left out."""
    nb = nbformat.read(master, as_version=4)
    secret, public = set(), set()
    for cell in nb.cells:
        src = cell.source
        for markers in (_SOLUTION, _HIDDEN):
            src_in, _ = _blocks(src, markers)
            secret.update(x for x in map(_significant, src_in) if x)
        _, rest = _blocks("\n".join(_blocks(src, _SOLUTION)[1]), _HIDDEN)
        public.update(x for x in map(_significant, rest) if x)
    # a line a student can see anyway (e.g. quoted in a hint) is no secret
    return {s for s in secret if not any(s in p for p in public)}


_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00ad\u180e\u034f]")


def clean(text: str, limit: int | None = None) -> str:
    """Text safe to show: NFKC-normalised, without ANSI codes, control and
    zero-width characters (tabs and newlines kept), at most ``limit``
    characters."""
    text = unicodedata.normalize("NFKC", _ANSI.sub("", str(text)))
    text = "".join(ch for ch in _INVISIBLE.sub("", text)
                   if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Cn"))
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + " …"
    return text


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", clean(text))


def _leaks(text: str, secrets) -> list[str]:
    """Secret lines found in ``text``: as a whole line, or (20 characters or
    more) anywhere, also once the text is normalised (NFKC, no zero-width or
    control characters) and stripped of all white space."""
    lines = {x for x in map(_significant, clean(text).splitlines()) if x}
    flat = _compact(text)
    return sorted(s for s in secrets if s in lines or (len(s) >= 20 and s in text)
                  or (len(_compact(s)) >= 12 and _compact(s) in flat))


# --------------------------------------------------------------------------
# Running nbgrader
# --------------------------------------------------------------------------

def _env() -> dict:
    """Environment for nbgrader: the venv's bin first on PATH (nbgrader calls
    ``alembic`` by name) and UTF-8 I/O."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _nbgrader(course: Path, *args, timeout=None, check=True) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"]
    if timeout is not None:
        # iopub_timeout: how long nbclient waits for a finished cell's output
        # (4 s by default, which a loaded machine exceeds: "Timeout waiting
        # for IOPub output" then fails a correct notebook).
        cmd += [f"--Execute.timeout={int(timeout)}", f"--Execute.iopub_timeout={int(timeout)}"]
    res = subprocess.run(cmd, cwd=course, env=_env(), capture_output=True, text=True,
                         encoding="utf-8", errors="replace")
    if check and (res.returncode != 0 or "[ERROR]" in res.stderr and "error processing" in res.stderr):
        raise RuntimeError(f"nbgrader {' '.join(args)} failed (exit {res.returncode}):\n{res.stderr[-3000:]}")
    return res


def release(course_dir=None, assignments=None, *, quiet=False) -> list[Path]:
    """Write student copies of the masters to ``release/<a>/<a>.ipynb``.

    Each copy is checked after nbgrader writes it: no solution or hidden-test
    line of the master, no ``nbgrader`` import. Returns the released paths.
    """
    course = _course(course_dir)
    found = masters(course)
    names = list(found) if not assignments else list(assignments)
    for name in names:
        if name not in found:
            raise ValueError(f"`assignments` must name masters in {course / 'source'} "
                             f"({', '.join(found) or 'none found'}); got {name!r}")
    everything = {p.parent.name for p in (course / "source").glob("*/*.ipynb")}
    if len(names) > 1 and set(names) == everything:
        # One nbgrader process for every set ("*" is a glob over source/):
        # each process spends about 4 s importing nbgrader.
        _nbgrader(course, "generate_assignment", "*", "--force")
    else:
        for name in names:
            _nbgrader(course, "generate_assignment", name, "--force")
    out = []
    for name in names:
        released = course / "release" / name / f"{name}.ipynb"
        nb = nbformat.read(released, as_version=4)
        text = "\n".join(c.source for c in nb.cells)
        leaked = _leaks(text, secret_lines(found[name]))
        if leaked:
            raise RuntimeError(f"{released}: the student copy still shows master lines: {leaked[:3]}")
        if re.search(r"^\s*(import|from)\s+nbgrader", text, re.M):
            raise RuntimeError(f"{released}: the student copy imports nbgrader")
        if "kernelspec" not in nb.metadata:  # so that JupyterLab opens it without asking
            nb.metadata["kernelspec"] = dict(_KERNELSPEC)
            nbformat.write(nb, released)
        if not quiet:
            print(f"released {released.relative_to(course)}", flush=True)
        out.append(released)
    return out


# --------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------

@dataclass
class Result:
    """Autograding of one student's notebook for one assignment."""

    student: str
    assignment: str
    scores: dict = field(default_factory=dict)   # question name -> score or None (hand-graded, not yet)
    seconds: float = 0.0
    notes: list = field(default_factory=list)
    autograded: Path | None = None
    failed: bool = False                          # nothing could be graded

    @property
    def total(self) -> float:
        return float(sum(v for v in self.scores.values() if v is not None))


def find_submissions(folder, course_dir=None) -> list[tuple[str, str, Path]]:
    """``(student, assignment, notebook)`` for every student folder of
    ``folder`` that holds a notebook of an assignment with a master (see
    :func:`casekit.grading.submissions.scan` for the rules and notes)."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"`submissions` must be a folder of <student>/<assignment>/ folders, got {root}")
    entries, _ = submissions.scan(root, masters(course_dir))
    return [(e.student, e.assignment, e.notebook) for e in entries if e.notebook is not None]


def _read_scores(db: Path, assignment: str, student: str, grade_ids) -> dict:
    """Scores by grade id from an nbgrader gradebook (None: not graded yet)."""
    from nbgrader.api import Gradebook, MissingEntry

    by_id = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        for nb in sub.notebooks:
            for g in nb.grades:
                by_id[g.name] = (None if g.auto_score is None and g.manual_score is None
                                 else float(g.score))
    return {gid: by_id.get(gid) for gid in grade_ids} if by_id else {}


def _notes_from_notebook(path: Path, timeout) -> list[str]:
    notes = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # pragma: no cover - nbgrader wrote it
        return ["graded notebook unreadable"]
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError":
                gid = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {nb.cells.index(cell)}")
                notes.append(f"{gid}: stopped after {timeout} s")
        if cell.source.lstrip("# ").startswith("This cell (id:"):
            notes.append(f"{cell.metadata.get('nbgrader', {}).get('grade_id')}: deleted, restored from master")
    return notes


def _api_config(course: Path, timeout):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    cfg.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    cfg.CourseDirectory.root = str(course)
    if timeout is not None:
        cfg.Execute.timeout = int(timeout)
    return cfg


def _collect(result: Result, graded_course: Path, course: Path, qs, timeout, by_id=None) -> Result:
    src = graded_course / "autograded" / result.student / result.assignment
    nb = src / f"{result.assignment}.ipynb"
    if nb.is_file():
        dest = course / "autograded" / result.student / result.assignment
        if dest.resolve() != src.resolve():
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(src, dest)
        result.autograded = dest / nb.name
        result.notes += _notes_from_notebook(nb, timeout)
    if by_id is None:
        by_id = _read_scores(graded_course / "gradebook.db", result.assignment, result.student,
                             [q.grade_id for q in qs])
    result.scores = {q.name: by_id.get(q.grade_id) for q in qs} if by_id else {}
    if all(v is None for v in result.scores.values()) and not any("could not" in n for n in result.notes):
        result.notes.append("could not be graded")
    return result


def _reason(log: str) -> str:
    """The most telling error line of an nbgrader log or traceback."""
    lines = [l.strip() for l in log.splitlines()]
    for l in lines:
        if re.match(r"^[\w.]*(Error|Exception)\b.*:", l) and "NbGraderException" not in l:
            return l[:200]
    return next((l[:200] for l in reversed(lines) if l), "see nbgrader's log")


def _progress(i, n, r: Result, qs, show):
    if not show:
        return
    auto_max = sum(q.points for q in qs if q.auto)
    note = f"  [{'; '.join(r.notes)}]" if r.notes else ""
    print(f"[{i}/{n}] {r.student} · {r.assignment}: {r.total:g}/{auto_max:g} auto-graded points "
          f"({r.seconds:.1f} s){note}", flush=True)


def _default_workers() -> int:
    """CPU cores + 1 (a kernel waits for its client part of the time), at most 8."""
    return max(1, min((os.cpu_count() or 1) + 1, 8))


def grade(submissions_dir, course_dir=None, *, timeout=None, workers=None, serial=False,
          feedback_pages=True, progress=True, sandbox_kind="auto", allow_unsandboxed=False) -> dict:
    """Autograde every submission in ``submissions_dir`` and write the gradebook CSVs.

    Parameters
    ----------
    submissions_dir : folder
        ``<folder>/<student>/<assignment>/<assignment>.ipynb`` (other layouts
        are found too, with a note: see :mod:`casekit.grading.submissions`).
    course_dir : folder, optional
        nbgrader course directory (default ``exercises/``).
    timeout : int > 0, optional
        Seconds per cell (default: ``Execute.timeout`` of the course config).
    workers : int >= 1, optional
        Notebooks graded at the same time (default: CPU cores + 1, at most 8).
    serial : bool
        Run plain ``nbgrader autograde`` in the course itself instead (no
        sandbox: needs ``allow_unsandboxed``; the scores land in the course's
        gradebook.db for hand grading in nbgrader's formgrader).
    sandbox_kind : "auto", "bwrap", "podman", "docker" or "none"
        Where student kernels run (:mod:`casekit.grading.sandbox`).
    allow_unsandboxed : bool
        Grade even when no sandbox is available (student code then runs with
        your rights).
    feedback_pages : bool
        Also write the students' feedback pages (:func:`feedback`).

    Returns
    -------
    dict assignment → DataFrame of the CSV written to
    ``<course>/grades_<assignment>.csv``: ``student``, one column per question
    (empty until a hand-graded question is marked), ``total`` and ``notes``.
    ``table.attrs["failed"]`` lists the students who could not be graded.
    """
    course = _course(course_dir)
    if timeout is not None:
        timeout = check_positive("timeout", timeout, integer=True)
    workers = _default_workers() if workers is None else check_number("workers", workers, low=1, integer=True)
    root = Path(submissions_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"`submissions` must be a folder of <student>/<assignment>/ folders, got {root}")
    entries, warnings_ = submissions.scan(root, masters(course))
    if not entries:
        raise FileNotFoundError(f"no submissions found in {submissions_dir}: expected "
                                f"<student>/<assignment>/<assignment>.ipynb for one of {list(masters(course))}")
    kind = "none" if serial else sandbox.pick(sandbox_kind, allow_unsandboxed=allow_unsandboxed)
    if serial and not allow_unsandboxed:
        raise RuntimeError("--serial runs plain nbgrader without a sandbox: student code would run with your "
                           "rights. Pass --allow-unsandboxed (make grade ALLOW_UNSANDBOXED=1) to do it anyway.")
    names = sorted({e.assignment for e in entries})
    qs = {a: questions(masters(course)[a]) for a in names}
    shown_timeout = timeout or _api_config(course, None).Execute.get("timeout", "?")
    if progress:
        how = "serially (plain nbgrader, no sandbox)" if serial else (
            f"with {workers} worker(s), " + ("NO SANDBOX (--allow-unsandboxed)" if kind == "none"
                                             else f"each kernel in a {kind} sandbox"))
        print(f"grading {len(entries)} submission(s) of {', '.join(names)} {how}; "
              f"{shown_timeout} s per cell at most", flush=True)
        for w in warnings_:
            print(f"warning: {w}", flush=True)
    with tempfile.TemporaryDirectory(prefix="casekit-grade-") as tmp:
        tmp = Path(tmp)
        os.chmod(tmp, 0o711)
        # Snapshot every submission before the first kernel starts; grade the copies.
        snaps = []
        for i, e in enumerate(entries):
            snap = None
            if e.notebook is not None:
                snap = tmp / "snapshot" / f"{i}.ipynb"
                snap.parent.mkdir(exist_ok=True)
                shutil.copyfile(e.notebook, snap)
            snaps.append(snap)
        if serial:
            results = _grade_serial(course, entries, snaps, names, qs, timeout, progress, shown_timeout)
        else:
            results = _grade_sandboxed(course, entries, snaps, qs, timeout or shown_timeout, workers, kind,
                                       progress, tmp)
    tables = {}
    for a in names:
        rs = [r for r in results if r.assignment == a]
        tables[a] = _write_csv(course, a, rs, qs[a])
        tables[a].attrs["failed"] = sorted(r.student for r in rs if r.failed)
        if progress:
            print(f"wrote {course / CSV_NAME.format(assignment=a)}", flush=True)
        if feedback_pages:
            pages = feedback(a, course, timeout=shown_timeout, quiet=True)
            if progress:
                print(f"wrote {len(pages)} feedback page(s) in {course / 'feedback'}", flush=True)
    if progress:
        failed = [r for r in results if r.failed]
        noted = [r for r in results if r.notes and not r.failed]
        print(f"summary: {len(results)} submission(s): {len(results) - len(failed)} graded "
              f"({len(noted)} with notes), {len(failed)} could not be graded"
              + (": " + ", ".join(f"{r.student} · {r.assignment}" for r in failed) if failed else ""), flush=True)
    return tables


def _grade_one(course, entry, snap, qs, timeout, kind, work, text_stub, master_cells, warm=None) -> Result:
    r = Result(entry.student, entry.assignment, notes=list(entry.notes))
    start = time.perf_counter()
    if snap is None:
        r.failed = True
        r.scores = {q.name: None for q in qs}
        return r
    if entry.notebook is not None and entry.notebook.name != f"{entry.assignment}.ipynb" and not any(
            entry.notebook.name in n for n in r.notes):
        r.notes.append(f"graded {entry.notebook.name}")
    try:
        nb = nbformat.read(snap, as_version=4)
    except Exception as exc:
        r.failed = True
        r.notes.append(f"could not be graded: not a readable notebook ({type(exc).__name__})")
        r.scores = {q.name: None for q in qs}
        return r
    kernel = None
    try:
        kernel = warm.get() if warm is not None else None
        private = kernel.private if kernel is not None else work / "home"
        private.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(snap, private / f"{entry.assignment}.ipynb")
        sandbox.prepare_private(private)
        out = autograde.grade_notebook(master_cells, nb, private, kind=kind, timeout=float(timeout),
                                       text_stub=text_stub, kernel=kernel)
    except Exception as exc:  # grade the others
        r.failed = True
        r.notes.append(f"could not be graded: {type(exc).__name__}: {str(exc)[:200]}")
        r.scores = {q.name: None for q in qs}
        return r
    finally:
        if kernel is not None:
            kernel.kill()
            shutil.rmtree(kernel.private.parent, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    r.notes += out.notes
    r.scores = {q.name: out.scores.get(q.grade_id, 0.0 if q.auto else None) for q in qs}
    nb.cells = out.notebook
    dest = course / "autograded" / entry.student / entry.assignment / f"{entry.assignment}.ipynb"
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    r.autograded = dest
    r.seconds = time.perf_counter() - start
    return r


class _WarmKernels:
    """Fresh sandboxed kernels started ahead of need, ``ahead`` at a time, so
    that a kernel's start-up overlaps the previous notebook. Each is new and
    empty (no student has used it); its warm-up imports only what the master's
    own setup cells import."""

    def __init__(self, kind, tmp: Path, warmup: str, ahead: int, total: int):
        import collections

        self.kind, self.tmp, self.warmup, self.left = kind, tmp, warmup, total
        self.pool = futures.ThreadPoolExecutor(max_workers=max(1, ahead), thread_name_prefix="kernel-start")
        self.lock = threading.Lock()
        self.queue = collections.deque()
        self.n = 0
        for _ in range(min(ahead, total)):
            self._submit()

    def _submit(self):
        self.n += 1
        self.left -= 1
        self.queue.append(self.pool.submit(self._start, self.tmp / f"k{self.n}" / "home"))

    def _start(self, private: Path):
        private.mkdir(parents=True)
        k = autograde.Kernel(self.kind, private)
        k.start()
        if self.warmup:
            k.run(self.warmup, 120, store_history=False)
        return k

    def get(self) -> autograde.Kernel:
        with self.lock:
            fut = self.queue.popleft()
            if self.left > 0:
                self._submit()
        return fut.result()

    def close(self):
        self.pool.shutdown(wait=True)
        while self.queue:
            try:
                self.queue.popleft().result().kill()
            except Exception:  # pragma: no cover - a kernel that never started
                pass


def _warmup_code(master_cells) -> str:
    """The import lines of the master's own (not student) code cells."""
    lines = []
    for m in master_cells:
        if m.kind == "fixed" and m.cell.cell_type == "code":
            lines += [l for l in m.cell.source.splitlines() if re.match(r"(import|from)\s+[\w.]+", l)
                      and "(" not in l and not l.rstrip().endswith("\\")]
    return "\n".join(dict.fromkeys(lines))


def _grade_sandboxed(course, entries, snaps, qs, timeout, workers, kind, progress, tmp) -> list[Result]:
    text_stub = _api_config(course, None).ClearSolutions.get("text_stub", "YOUR ANSWER HERE")
    cells = {a: autograde.parse_master(masters(course)[a], text_stub) for a in qs}
    sandbox.mpl_cache()  # build matplotlib's font list once, before the workers start
    results = []
    todo = [(i, e, snap) for i, (e, snap) in enumerate(zip(entries, snaps))]
    warm = {}
    try:
        for a in qs:  # one stream of warm kernels per assignment
            n = sum(1 for _, e, snap in todo if e.assignment == a and snap is not None)
            if n:
                warm[a] = _WarmKernels(kind, tmp / f"warm-{len(warm)}", _warmup_code(cells[a]),
                                       min(workers, n), n)
        with futures.ThreadPoolExecutor(max_workers=min(workers, len(entries))) as pool:
            pending = {pool.submit(_grade_one, course, e, snap, qs[e.assignment], timeout, kind, tmp / f"w{i}",
                                   text_stub, cells[e.assignment], warm.get(e.assignment) if snap else None): e
                       for i, e, snap in todo}
            for i, fut in enumerate(futures.as_completed(pending), 1):
                r = fut.result()
                results.append(r)
                _progress(i, len(entries), r, qs[r.assignment], progress)
    finally:
        for w in warm.values():
            w.close()
    return results


def _grade_serial(course, entries, snaps, names, qs, timeout, progress, shown_timeout) -> list[Result]:
    """Plain ``nbgrader autograde`` in the course itself (no sandbox)."""
    submitted = course / "submitted"
    for e, snap in zip(entries, snaps):
        if snap is not None:
            dest = submitted / e.student / e.assignment / f"{e.assignment}.ipynb"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(snap, dest)
    results = []
    for a in names:
        _nbgrader(course, "generate_assignment", a, "--force")
        for e, snap in zip(entries, snaps):
            if e.assignment != a:
                continue
            r = Result(e.student, a, notes=list(e.notes))
            start = time.perf_counter()
            if snap is None:
                r.failed, r.scores = True, {q.name: None for q in qs[a]}
            else:  # one nbgrader call per student, so progress shows as it goes
                res = _nbgrader(course, "autograde", a, f"--student={glob_escape(e.student)}", "--force",
                                timeout=timeout, check=False)
                r.seconds = time.perf_counter() - start
                if res.returncode != 0:
                    r.notes.append("could not be graded: " + _reason(res.stderr))
                _collect(r, course, course, qs[a], shown_timeout)
                r.failed = all(v is None for v in r.scores.values())
            results.append(r)
            _progress(len(results), len(entries), r, qs[a], progress)
    return results


def glob_escape(student: str) -> str:
    """A student id as nbgrader's ``--student`` pattern (``x[1]`` is a glob)."""
    import glob

    return glob.escape(student)


def _write_csv(course: Path, assignment: str, results, qs):
    import pandas as pd

    rows = []
    for r in sorted(results, key=lambda r: r.student):
        row = {"student": r.student}
        row.update({q.name: r.scores.get(q.name) for q in qs})
        row["total"] = r.total
        row["notes"] = "; ".join(r.notes)
        rows.append(row)
    df = pd.DataFrame(rows, columns=["student", *[q.name for q in qs], "total", "notes"])
    df.to_csv(course / CSV_NAME.format(assignment=assignment), index=False, lineterminator="\n",
              encoding="utf-8")
    return df


# --------------------------------------------------------------------------
# Feedback
# --------------------------------------------------------------------------

_HIDDEN_FAIL = ("It passed the checks you can see but not the further checks used for grading: make the answer "
                "right in general, not only for the example. | 中文：你的答案通过了可见的检查，但没有通过评分时的其他检查；"
                "请确保答案在一般情况下都正确，而不只是对示例正确。")
_TIMEOUT = ("Your code ran longer than {t} s and was stopped (an endless loop?). | "
            "中文：你的代码运行超过 {t} 秒被停止（是否有死循环？）。")


_TAMPERED = ("Scored 0: the notebook changed how Python or the checks work (e.g. a redefined built-in function or "
             "a patched casekit function). Ask your instructor. | 中文：得 0 分：笔记本改变了 Python 或检查的运行方式"
             "（例如重新定义内置函数或修改 casekit 函数）。请联系老师。")
_MESSAGE_LIMIT = 400  # characters of a check's message shown to a student (it may quote their values)
_WITHHELD = ("The check failed; its message quoted the grader's checks, so it is not shown. | "
             "中文：检查未通过；其信息包含评分检查的内容，因此不予显示。")
_STOPPED = ("Your code stopped the notebook here (it exited, crashed or printed too much); the grader restarted "
            "it and went on. | 中文：你的代码在此处使笔记本停止（退出、崩溃或输出过多）；评分程序已重新启动并继续评分。")


def _failure(cell, secrets) -> str | None:
    """What to tell the student about a failed test cell, without hidden lines."""
    errs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errs:
        return None
    err = errs[-1]
    if err.get("ename") == "CellTimeoutError":
        return "timeout"
    tb = _ANSI.sub("", "\n".join(err.get("traceback", [])))
    m = re.search(rf"Cell In\[{cell.get('execution_count')}\], line (\d+)", tb)
    hidden = _marked(cell.source, _HIDDEN)
    if m is None or int(m.group(1)) in hidden:
        return _HIDDEN_FAIL
    if err.get("ename") in ("DeadKernelError", "OutputLimitError"):
        return _STOPPED
    msg = clean(f"{err.get('ename', 'Error')}: {err.get('evalue', '')}", _MESSAGE_LIMIT).strip()
    if _leaks(msg, secrets) or _leaks(err.get("evalue", ""), secrets):
        return _WITHHELD
    return msg


def _page(student, assignment, qs, row, graded_nb, secrets, timeout, text_stub) -> str:
    cells = {}
    timed_out = set()
    if graded_nb is not None:
        for c in graded_nb.cells:
            gid = c.metadata.get("nbgrader", {}).get("grade_id")
            if gid:
                cells[gid] = c
            if any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", [])):
                timed_out.add(_question_name(gid) if gid else None)
    e = html.escape
    rows = []
    tampered = "tampered kernel" in str(row.get("notes", ""))
    for q in qs:
        score = row.get(q.name)
        given = score is not None and score == score  # not None, not NaN
        if not q.auto:
            cell = cells.get(q.grade_id)
            if cell is not None and cell.source.strip() == text_stub.strip():
                status = "no answer written | 未作答"
            elif given:
                status = f"graded by hand: {score:g} of {q.points:g} | 人工评分"
            else:
                status = "to be graded by hand | 待人工评分"
        elif not given:
            status = "not graded (notebook missing or unreadable) | 未能评分"
        elif tampered and q.auto:
            status = _TAMPERED
        elif score >= q.points:
            status = "all checks passed | 全部通过"
        else:
            cell = cells.get(q.grade_id)
            why = _failure(cell, secrets) if cell is not None else None
            if why == "timeout" or q.name in timed_out:
                used = re.search(r"stopped after (\d+) s", str(row.get("notes", "")))
                why = _TIMEOUT.format(t=used.group(1) if used else timeout)
            status = why or "the check did not pass | 未通过检查"
        pts = f"{score:g}" if given else "–"
        rows.append(f"<tr><td>{e(q.name)}</td><td>{pts} / {q.points:g}</td><td>{e(status)}</td></tr>")
    total = sum(float(row.get(q.name)) for q in qs
                if row.get(q.name) is not None and row.get(q.name) == row.get(q.name))
    max_total = sum(q.points for q in qs)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Feedback · 反馈: {e(assignment)} · {e(student)}</title>"
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto}"
        "td,th{border:1px solid #bbb;padding:.4em;vertical-align:top}table{border-collapse:collapse}</style>"
        "</head><body>\n"
        f"<h1>Feedback · 反馈: {e(assignment)}</h1>\n<p>Student · 学生: <b>{e(student)}</b></p>\n"
        f"<p>Score so far · 目前得分: <b>{total:g} of {max_total:g}</b> points</p>\n"
        "<table><tr><th>Question · 题目</th><th>Points · 得分</th><th>Result · 结果</th></tr>\n"
        + "\n".join(rows) + "\n</table>\n"
        "<p>Open your notebook and run the check cells again to see what each visible check expects. | "
        "中文：打开你的笔记本，再次运行检查单元格，查看每个可见检查的要求。</p>\n</body></html>\n"
    )


def feedback(assignment, course_dir=None, *, csv=None, timeout=None, quiet=False) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<assignment>.html`` for every row
    of the gradebook CSV (edit hand-graded scores into the CSV, then run this
    again). Pages show scores and the visible checks' messages, never hidden
    test source or tracebacks."""
    import pandas as pd

    course = _course(course_dir)
    found = masters(course)
    if assignment not in found:
        raise ValueError(f"`assignment` must be one of {list(found)}; got {assignment!r}")
    path = Path(csv) if csv else course / CSV_NAME.format(assignment=assignment)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m casekit.grading grade <folder>` first")
    qs = questions(found[assignment])
    # ids such as NA, None, null or nan are ids, not missing values: read every cell as text
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for q in qs:
        if q.name in table:
            table[q.name] = [None if v.strip() == "" else float(v) for v in table[q.name]]
    secrets = secret_lines(found[assignment])
    cfg = _api_config(course, None)
    if timeout is None:
        timeout = cfg.Execute.get("timeout", "?")
    text_stub = cfg.ClearSolutions.get("text_stub", "YOUR ANSWER HERE")
    out = []
    for rec in table.to_dict("records"):
        student = str(rec["student"])
        nbp = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        graded = nbformat.read(nbp, as_version=4) if nbp.is_file() else None
        page = _page(student, assignment, qs, rec, graded, secrets, timeout, text_stub)
        leaked = _leaks(page, secrets) + _leaks(html.unescape(page), secrets)
        if leaked:  # a safeguard: never hand a hidden line to a student
            raise RuntimeError(f"feedback for {student} would show master lines: {leaked[:3]}")
        dest = course / "feedback" / student / assignment / f"{assignment}.html"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(page, encoding="utf-8")
        out.append(dest)
        if not quiet:
            print(f"wrote {dest.relative_to(course)}", flush=True)
    return out


# --------------------------------------------------------------------------
# Benchmark
# --------------------------------------------------------------------------

def _filled(released: Path, master: Path):
    """A student copy with the master's solutions typed in (markers removed)."""
    sol = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(master, as_version=4).cells
           if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(released, as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid in sol and c.metadata["nbgrader"].get("solution"):
            c.source = "\n".join(l for l in sol[gid].splitlines() if l.strip() not in _SOLUTION)
    return nb


def benchmark(n_students=40, *, assignment="toolkit", timeout=30, workers=None, course_dir=None,
              sandbox_kind="auto", rounds=4) -> dict:
    """Time plain serial ``nbgrader autograde`` (no sandbox) against
    :func:`grade` (every kernel sandboxed) on the same ``n_students`` prepared
    submissions (half fully answered, half blank), each in a fresh temporary
    copy of the course, in the same run.

    The two graders take turns: the submissions are split into ``rounds``
    equal parts, and each part is graded by both (which goes first
    alternates). On a shared machine the load changes over minutes; taking
    turns makes such a change hit both graders alike, so the ratio measures
    the graders, not the moment each ran in.

    Returns a dict with ``n_students``, ``workers``, ``rounds``, ``serial_s``,
    ``parallel_s``, the per-submission figures, ``speedup`` and
    ``same_scores`` (both graders gave every student the same total).
    """
    n = check_number("n_students", n_students, low=1, integer=True)
    rounds = min(check_number("rounds", rounds, low=1, integer=True), n)
    course = _course(course_dir)
    workers = _default_workers() if workers is None else check_number("workers", workers, low=1, integer=True)
    master = masters(course).get(assignment)
    if master is None:
        raise ValueError(f"`assignment` must be one of {list(masters(course))}; got {assignment!r}")
    with tempfile.TemporaryDirectory(prefix="casekit-bench-") as tmp:
        tmp = Path(tmp)

        def fresh(name):
            dest = tmp / name
            dest.mkdir()
            shutil.copyfile(course / "nbgrader_config.py", dest / "nbgrader_config.py")
            shutil.copytree(course / "source" / assignment, dest / "source" / assignment)
            return dest

        prep = fresh("prep")
        released = release(prep, [assignment], quiet=True)[0]
        qs = questions(master)
        kind = sandbox.pick(sandbox_kind)
        serial_s = parallel_s = 0.0
        serial_totals, par_totals, notes = {}, {}, {}
        for r in range(rounds):
            subs = tmp / f"submissions-{r}"  # this round's part: students r*n/rounds … (r+1)*n/rounds - 1
            for i in range(r * n // rounds, (r + 1) * n // rounds):
                nb = _filled(released, master) if i % 2 == 0 else nbformat.read(released, as_version=4)
                p = subs / f"student{i:02d}" / assignment / f"{assignment}.ipynb"
                p.parent.mkdir(parents=True)
                nbformat.write(nb, p)

            def run_serial(r=r, subs=subs):
                serial = fresh(f"serial-{r}")
                _nbgrader(serial, "generate_assignment", assignment, "--force")
                shutil.copytree(subs, serial / "submitted")
                t0 = time.perf_counter()
                _nbgrader(serial, "autograde", assignment, "--force", timeout=timeout)
                seconds = time.perf_counter() - t0
                for s in subs.iterdir():
                    serial_totals[s.name] = sum(v or 0 for v in _read_scores(
                        serial / "gradebook.db", assignment, s.name, [q.grade_id for q in qs]).values())
                return seconds

            def run_parallel(r=r, subs=subs):
                par = fresh(f"parallel-{r}")
                t0 = time.perf_counter()
                table = grade(subs, par, timeout=timeout, workers=workers, feedback_pages=False, progress=False,
                              sandbox_kind=kind)[assignment]
                seconds = time.perf_counter() - t0
                par_totals.update(zip(table["student"], table["total"]))
                notes.update(zip(table["student"], table["notes"]))
                return seconds

            if r % 2 == 0:
                serial_s += run_serial()
                parallel_s += run_parallel()
            else:
                parallel_s += run_parallel()
                serial_s += run_serial()
    diff = {s: {"serial": float(serial_totals.get(s, float("nan"))), "parallel": float(par_totals.get(s, float("nan"))),
                "notes": notes.get(s, "")}
            for s in sorted(set(serial_totals) | set(par_totals))
            if float(serial_totals.get(s, -1)) != float(par_totals.get(s, -2))}
    same = not diff
    return {
        "n_students": n,
        "workers": workers,
        "rounds": rounds,
        "sandbox": kind,
        "cpu_count": os.cpu_count(),
        "serial_s": round(serial_s, 2),
        "parallel_s": round(parallel_s, 2),
        "serial_s_per_submission": round(serial_s / n, 2),
        "parallel_s_per_submission": round(parallel_s / n, 2),
        "speedup": round(serial_s / parallel_s, 2),
        "same_scores": same,
        **({} if same else {"differences": diff}),
    }


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def lms_exports(tables: dict, course_dir=None, systems=("canvas", "moodle"), roster=None,
                progress=True, *, columns="all", moodle_user="idnumber") -> list[Path]:
    """Write each gradebook of :func:`grade` in the import layouts of Canvas
    and/or Moodle (:mod:`casekit.lms`): ``<course>/grades_<assignment>_<system>.csv``,
    one column per question and the total, students matched through
    ``roster`` (a CSV; see :mod:`casekit.lms`); ``columns="total"`` writes
    the total only, ``moodle_user="username"`` a Username column."""
    from .. import lms  # noqa: PLC0415

    course = _course(course_dir)
    if isinstance(systems, str):
        systems = [s.strip() for s in systems.split(",") if s.strip()]
    for system in systems:
        if system not in lms.SYSTEMS:
            raise ValueError(f"`lms` must list systems among {list(lms.SYSTEMS)}, got {system!r}")
    roster_table = lms.read_roster(roster) if roster is not None else None
    written = []
    for assignment, table in tables.items():
        points = {q.name: q.points for q in questions(masters(course)[assignment])}
        for system in systems:
            out = lms.gradebook_table(table, system, assignment=assignment, points=points, roster=roster_table,
                                      columns=columns, moodle_user=moodle_user)
            path = lms.write_csv(out, course / f"grades_{assignment}_{system}.csv")
            written.append(path)
            if progress:
                print(f"wrote {path} ({system} import)", flush=True)
                for note in out.attrs.get("notes", []):
                    print(f"warning ({path.name}): {note}", flush=True)
    return written


def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casekit.grading", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("release", help="write student copies to <course>/release/")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("grade", help="autograde <folder>/<student>/<assignment>/<assignment>.ipynb")
    p.add_argument("folder")
    p.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: the course config)")
    p.add_argument("--workers", type=int, default=None, help="parallel graders (default: CPU cores)")
    p.add_argument("--serial", action="store_true",
                   help="plain nbgrader autograde in the course itself (no sandbox: needs --allow-unsandboxed)")
    p.add_argument("--sandbox", default="auto", choices=("auto", *sandbox.KINDS),
                   help="where student kernels run (default: bwrap, else podman/docker)")
    p.add_argument("--allow-unsandboxed", action="store_true",
                   help="grade even without a sandbox (student code runs with your rights)")
    p.add_argument("--lms", default="", help="also write import CSVs for: canvas, moodle or canvas,moodle")
    p.add_argument("--roster", default=None, help="CSV matching the course's student ids to the LMS's")
    p.add_argument("--columns", default="all", choices=("all", "total"),
                   help="LMS import: every question and the total, or the total only")
    p.add_argument("--moodle-id", default="idnumber", choices=("idnumber", "username"),
                   help="Moodle import without a roster: the field the course's id fills")
    p = sub.add_parser("feedback", help="(re)write feedback pages from the gradebook CSV")
    p.add_argument("assignment")
    p.add_argument("--csv", default=None)
    p = sub.add_parser("bench", help="serial nbgrader autograde against the sandboxed parallel grader")
    p.add_argument("--students", type=int, default=40)
    for p in sub.choices.values():
        p.add_argument("--course", default=None, help="nbgrader course folder (default: exercises/)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "release":
            release(args.course, args.assignments or None)
        elif args.cmd == "grade":
            if args.lms:  # check the LMS options before any grading starts
                from .. import lms  # noqa: PLC0415

                bad = [x for x in args.lms.split(",") if x.strip() and x.strip() not in lms.SYSTEMS]
                if bad:
                    raise ValueError(f"`--lms` (LMS=) must list systems among {list(lms.SYSTEMS)}, got {bad}")
                if args.roster is not None:
                    lms.read_roster(args.roster)
            elif args.roster is not None:
                raise ValueError("`--roster` (ROSTER=) needs `--lms` (LMS=canvas, moodle or canvas,moodle)")
            tables = grade(args.folder, args.course, timeout=args.timeout, workers=args.workers, serial=args.serial,
                           sandbox_kind=args.sandbox, allow_unsandboxed=args.allow_unsandboxed)
            if args.lms:
                lms_exports(tables, args.course, args.lms, args.roster, columns=args.columns,
                            moodle_user=args.moodle_id)
            if any(t.attrs.get("failed") for t in tables.values()):
                return 2  # the summary names them
        elif args.cmd == "feedback":
            feedback(args.assignment, args.course, csv=args.csv)
        else:
            print(json.dumps(benchmark(args.students, course_dir=args.course), indent=2))
    except (FileNotFoundError, ValueError, RuntimeError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
