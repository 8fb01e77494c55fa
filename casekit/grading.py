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
* :func:`grade` — a folder ``<folder>/<student>/<assignment>/<assignment>.ipynb``
  is autograded with a per-cell timeout. Students are graded in parallel, each
  in a temporary copy of the course with its own SQLite gradebook (SQLite does
  not like concurrent writers), by a pool of worker processes; the scores are
  read with nbgrader's Gradebook API and merged into one CSV per assignment
  (one row per student, one column per question, the total). Autograded
  notebooks go to ``autograded/`` as with plain nbgrader.
* :func:`feedback` — one HTML page per student and assignment in
  ``feedback/<student>/<assignment>/<assignment>.html``, built from the
  gradebook scores and the student's graded notebook. It never shows hidden
  test source or tracebacks (nbgrader's own ``generate_feedback`` shows both).
* :func:`benchmark` — plain serial ``nbgrader autograde`` against
  :func:`grade` on the same prepared submissions.

Command line (``make release``, ``make grade SUBMISSIONS=path``)::

    python -m casekit.grading release [ASSIGNMENT ...]
    python -m casekit.grading grade FOLDER [--timeout S] [--workers N] [--serial]
    python -m casekit.grading feedback ASSIGNMENT [--csv PATH]
    python -m casekit.grading bench [--students N]

Every command takes ``--course DIR`` (default: the repository's ``exercises/``).
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ._checks import check_number, check_positive

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
]

COURSE_DIR = Path(__file__).resolve().parent.parent / "exercises"
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


def _leaks(text: str, secrets) -> list[str]:
    """Secret lines found in ``text``: as a whole line, or (20 characters or
    more) anywhere."""
    lines = {x for x in map(_significant, text.splitlines()) if x}
    return sorted(s for s in secrets if s in lines or (len(s) >= 20 and s in text))


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
        cmd.append(f"--Execute.timeout={int(timeout)}")
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
    out = []
    for name in names:
        if name not in found:
            raise ValueError(f"`assignments` must name masters in {course / 'source'} "
                             f"({', '.join(found) or 'none found'}); got {name!r}")
        _nbgrader(course, "generate_assignment", name, "--force")
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

    @property
    def total(self) -> float:
        return float(sum(v for v in self.scores.values() if v is not None))


def find_submissions(folder, course_dir=None) -> list[tuple[str, str, Path]]:
    """``(student, assignment, notebook)`` for every submission in
    ``<folder>/<student>/<assignment>/``, for assignments that have a master.

    The notebook should be ``<assignment>.ipynb``; a folder with exactly one
    other ``.ipynb`` (e.g. renamed by a download) is accepted too.
    """
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"`submissions` must be a folder of <student>/<assignment>/ folders, got {root}")
    known = masters(course_dir)
    out = []
    for sdir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for adir in sorted(p for p in sdir.iterdir() if p.is_dir() and p.name in known):
            nb = adir / f"{adir.name}.ipynb"
            if not nb.is_file():
                others = [p for p in adir.glob("*.ipynb") if not p.name.startswith(".")]
                if len(others) != 1:
                    continue
                nb = others[0]
            out.append((sdir.name, adir.name, nb))
    return out


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


def _mp_context():
    """Worker processes forked from a server that has imported nbgrader once
    (the import takes about 2 s). Unlike "spawn", this works from any caller,
    a script, a notebook or standard input."""
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["nbgrader.apps"])
    return ctx


def _worker_init():
    """Start-up of a grading worker: import nbgrader once (about 2 s) while
    the other workers do the same."""
    os.environ.update(_env())
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.getLogger("sqlalchemy").setLevel(logging.ERROR)
    import nbgrader.apps  # noqa: F401


def _template_task(course, names, into) -> str:
    """Load the masters into a fresh gradebook (runs in a worker process)."""
    from nbgrader.apps import NbGraderAPI

    into = Path(into)
    into.mkdir(parents=True)
    shutil.copyfile(Path(course) / "nbgrader_config.py", into / "nbgrader_config.py")
    api = NbGraderAPI(config=_api_config(into, None))
    for name in names:
        shutil.copytree(Path(course) / "source" / name, into / "source" / name)
        res = api.generate_assignment(name, force=True)
        if not res.get("success"):
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{res.get('error', '')[-2000:]}")
    shutil.rmtree(into / "release", ignore_errors=True)
    return str(into)


def _autograde_task(task) -> dict:
    """Autograde one submission in its own copy of the course (runs in a worker process)."""
    import warnings

    from nbgrader.apps import NbGraderAPI

    template, work, student, assignment, notebook, timeout, grade_ids = task
    start = time.perf_counter()
    course = Path(work)
    shutil.copytree(template, course)
    dest = course / "submitted" / student / assignment
    dest.mkdir(parents=True)
    shutil.copyfile(notebook, dest / f"{assignment}.ipynb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api = NbGraderAPI(config=_api_config(course, timeout))
        res = api.autograde(assignment, student, force=True, create=True)
    scores = _read_scores(course / "gradebook.db", assignment, student, grade_ids)
    return {"success": bool(res.get("success")), "log": res.get("log", "")[-2000:],
            "error": res.get("error", ""), "scores": scores, "seconds": time.perf_counter() - start}


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
    return max(1, min(os.cpu_count() or 1, 8))


def grade(submissions, course_dir=None, *, timeout=None, workers=None, serial=False,
          feedback_pages=True, progress=True) -> dict:
    """Autograde every submission in ``submissions`` and write the gradebook CSVs.

    Parameters
    ----------
    submissions : folder
        ``<folder>/<student>/<assignment>/<assignment>.ipynb``.
    course_dir : folder, optional
        nbgrader course directory (default ``exercises/``).
    timeout : int > 0, optional
        Seconds per cell (default: ``Execute.timeout`` of the course config).
    workers : int >= 1, optional
        Parallel graders (default: the number of CPU cores, at most 8).
    serial : bool
        Run plain ``nbgrader autograde`` in the course itself instead (one
        process, the course's own gradebook.db: use it to grade written answers
        by hand in nbgrader's formgrader afterwards).
    feedback_pages : bool
        Also write the students' feedback pages (:func:`feedback`).

    Returns
    -------
    dict assignment → DataFrame of the CSV written to
    ``<course>/grades_<assignment>.csv``: ``student``, one column per question
    (empty until a hand-graded question is marked), ``total`` and ``notes``.
    """
    course = _course(course_dir)
    if timeout is not None:
        timeout = check_positive("timeout", timeout, integer=True)
    workers = _default_workers() if workers is None else check_number("workers", workers, low=1, integer=True)
    subs = find_submissions(submissions, course)
    if not subs:
        raise FileNotFoundError(f"no submissions found in {submissions}: expected "
                                f"<student>/<assignment>/<assignment>.ipynb for one of {list(masters(course))}")
    names = sorted({a for _, a, _ in subs})
    qs = {a: questions(masters(course)[a]) for a in names}
    shown_timeout = timeout or _api_config(course, None).Execute.get("timeout", "?")
    if progress:
        how = "serially (plain nbgrader)" if serial else f"with {workers} parallel worker(s)"
        print(f"grading {len(subs)} submission(s) of {', '.join(names)} {how}; "
              f"{shown_timeout} s per cell at most", flush=True)
    results = (_grade_serial if serial else _grade_parallel)(course, subs, names, qs, timeout, workers,
                                                             progress, shown_timeout)
    tables = {}
    for a in names:
        tables[a] = _write_csv(course, a, [r for r in results if r.assignment == a], qs[a])
        if progress:
            print(f"wrote {course / CSV_NAME.format(assignment=a)}", flush=True)
        if feedback_pages:
            pages = feedback(a, course, timeout=shown_timeout, quiet=True)
            if progress:
                print(f"wrote {len(pages)} feedback page(s) in {course / 'feedback'}", flush=True)
    return tables


def _grade_parallel(course, subs, names, qs, timeout, workers, progress, shown_timeout) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="casekit-grade-") as tmp:
        tmp = Path(tmp)
        with futures.ProcessPoolExecutor(max_workers=min(workers, len(subs)), mp_context=_mp_context(),
                                         initializer=_worker_init) as pool:
            template = pool.submit(_template_task, str(course), names, str(tmp / "template")).result()
            tasks = [(template, str(tmp / f"s{i}"), s, a, str(nb), timeout, [q.grade_id for q in qs[a]])
                     for i, (s, a, nb) in enumerate(subs)]
            pending = {pool.submit(_autograde_task, t): t for t in tasks}
            for i, fut in enumerate(futures.as_completed(pending), 1):
                _, work, s, a, *_ = pending[fut]
                r = Result(s, a)
                by_id = {}
                try:
                    out = fut.result()
                    r.seconds, by_id = out["seconds"], out["scores"]
                    if not out["success"]:
                        r.notes.append("could not be graded: " + _reason(out["error"] + "\n" + out["log"]))
                except Exception as exc:  # a worker died: grade the others
                    r.notes.append(f"grader crashed: {exc!r}")
                results.append(_collect(r, Path(work), course, qs[a], shown_timeout, by_id))
                _progress(i, len(tasks), r, qs[a], progress)
    return results


def _grade_serial(course, subs, names, qs, timeout, workers, progress, shown_timeout) -> list[Result]:
    submitted = course / "submitted"
    for s, a, nb in subs:
        dest = submitted / s / a / f"{a}.ipynb"
        if Path(nb).resolve() != dest.resolve():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(nb, dest)
    results = []
    for a in names:
        _nbgrader(course, "generate_assignment", a, "--force")
        students = [s for s, aa, _ in subs if aa == a]
        start = time.perf_counter()
        for s in students:  # one nbgrader call per student, so progress shows as it goes
            res = _nbgrader(course, "autograde", a, f"--student={s}", "--force", timeout=timeout, check=False)
            r = Result(s, a, seconds=time.perf_counter() - start)
            start = time.perf_counter()
            if res.returncode != 0:
                r.notes.append("could not be graded: " + _reason(res.stderr))
            results.append(_collect(r, course, course, qs[a], shown_timeout))
            _progress(len(results), len(subs), r, qs[a], progress)
    return results


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
    msg = f"{err.get('ename', 'Error')}: {_ANSI.sub('', err.get('evalue', ''))}".strip()
    if _leaks(msg, secrets):
        return _HIDDEN_FAIL
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
    table = pd.read_csv(path, dtype={"student": str}, keep_default_na=True, encoding="utf-8")
    qs = questions(found[assignment])
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


def benchmark(n_students=8, *, assignment="toolkit", timeout=30, workers=None, course_dir=None) -> dict:
    """Time plain serial ``nbgrader autograde`` against :func:`grade` on the
    same ``n_students`` prepared submissions (half fully answered, half blank),
    each in a fresh temporary copy of the course.

    Returns a dict with ``n_students``, ``workers``, ``serial_s``,
    ``parallel_s``, the per-submission figures, ``speedup`` and
    ``same_scores`` (both graders gave every student the same total).
    """
    n = check_number("n_students", n_students, low=1, integer=True)
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
        subs = tmp / "submissions"
        for i in range(n):
            nb = _filled(released, master) if i % 2 == 0 else nbformat.read(released, as_version=4)
            p = subs / f"student{i:02d}" / assignment / f"{assignment}.ipynb"
            p.parent.mkdir(parents=True)
            nbformat.write(nb, p)

        serial = fresh("serial")
        _nbgrader(serial, "generate_assignment", assignment, "--force")
        shutil.copytree(subs, serial / "submitted")
        t0 = time.perf_counter()
        _nbgrader(serial, "autograde", assignment, "--force", timeout=timeout)
        serial_s = time.perf_counter() - t0
        qs = questions(master)
        serial_totals = {s.name: sum(v or 0 for v in _read_scores(serial / "gradebook.db", assignment, s.name,
                                                                   [q.grade_id for q in qs]).values())
                         for s in subs.iterdir()}

        par = fresh("parallel")
        t0 = time.perf_counter()
        table = grade(subs, par, timeout=timeout, workers=workers, feedback_pages=False, progress=False)[assignment]
        parallel_s = time.perf_counter() - t0
        par_totals = dict(zip(table["student"], table["total"]))
        notes = dict(zip(table["student"], table["notes"]))
    diff = {s: {"serial": float(serial_totals.get(s, float("nan"))), "parallel": float(par_totals.get(s, float("nan"))),
                "notes": notes.get(s, "")}
            for s in sorted(set(serial_totals) | set(par_totals))
            if float(serial_totals.get(s, -1)) != float(par_totals.get(s, -2))}
    same = not diff
    return {
        "n_students": n,
        "workers": workers,
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

def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casekit.grading", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("release", help="write student copies to <course>/release/")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("grade", help="autograde <folder>/<student>/<assignment>/<assignment>.ipynb")
    p.add_argument("folder")
    p.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: the course config)")
    p.add_argument("--workers", type=int, default=None, help="parallel graders (default: CPU cores)")
    p.add_argument("--serial", action="store_true", help="plain nbgrader autograde in the course itself")
    p = sub.add_parser("feedback", help="(re)write feedback pages from the gradebook CSV")
    p.add_argument("assignment")
    p.add_argument("--csv", default=None)
    p = sub.add_parser("bench", help="serial nbgrader autograde against the parallel grader")
    p.add_argument("--students", type=int, default=8)
    for p in sub.choices.values():
        p.add_argument("--course", default=None, help="nbgrader course folder (default: exercises/)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "release":
            release(args.course, args.assignments or None)
        elif args.cmd == "grade":
            grade(args.folder, args.course, timeout=args.timeout, workers=args.workers, serial=args.serial)
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
