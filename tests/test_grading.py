"""Tests of the exercise pipeline (casekit.grading, exercises/).

Every master under exercises/source/ is found at collection time, so a new
case's exercise set is tested as soon as it lands. All nbgrader runs happen in
a temporary copy of the course folder: nothing is written into the repository.

Slow tests (nbgrader, notebook execution) carry the ``grading`` mark.
"""

from __future__ import annotations

import csv
import html
import math
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from casekit import grading
from casekit.grading import sandbox
from casekit.nbtools import mark_exercise

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "exercises"
MASTERS = {d.name: d / f"{d.name}.ipynb" for d in sorted((COURSE / "source").iterdir())
           if (d / f"{d.name}.ipynb").is_file()}
TIMEOUT = 20  # seconds per cell while grading in tests (room for a loaded 2-core machine: importing casekit took over 8 s under load)
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------
# helpers and fixtures
# --------------------------------------------------------------------------

def _copy_course(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copyfile(COURSE / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(COURSE / "source", dest / "source",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def _secret_lines(master: Path) -> set[str]:
    """Written independently of casekit.grading: solution, model-answer and
    hidden-test lines of at least 8 characters that appear nowhere else in the
    master (not even inside a longer line, e.g. a hint)."""
    marks = {"### BEGIN SOLUTION": True, "### END SOLUTION": False,
             "### BEGIN HIDDEN TESTS": True, "### END HIDDEN TESTS": False}
    secret, public = set(), set()
    for cell in nbformat.read(master, as_version=4).cells:
        inside = False
        for line in cell.source.splitlines():
            s = line.strip()
            if s in marks:
                inside = marks[s]
                continue
            s = s.lstrip("#").strip()
            if len(s) >= 8:
                (secret if inside else public).add(s)
    return {s for s in secret if not any(s in p for p in public)}


def _run(nb, cwd: Path, *, allow_errors=False):
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return _copy_course(tmp_path_factory.mktemp("course") / "exercises")


_RELEASED: dict = {}


def _released(course: Path, name: str) -> Path:
    """The student copy of one master (every master released at once, once
    per test module: one nbgrader run instead of one per master)."""
    if (course, name) not in _RELEASED:
        for path in grading.release(course, quiet=True):
            _RELEASED[(course, path.parent.name)] = path
    return _RELEASED[(course, name)]


# --------------------------------------------------------------------------
# masters (fast)
# --------------------------------------------------------------------------

def test_toolkit_master_is_found():
    assert "toolkit" in MASTERS
    assert grading.masters() == MASTERS


@pytest.mark.parametrize("name", MASTERS)
def test_master_is_marked_and_well_formed(name, tmp_path):
    master = MASTERS[name]
    nb = nbformat.read(master, as_version=4)
    # The committed metadata is what `python -m casekit.nbtools mark` writes.
    copy = tmp_path / master.name
    shutil.copyfile(master, copy)
    remarked = nbformat.read(mark_exercise(copy), as_version=4)
    assert [c.metadata for c in remarked.cells] == [c.metadata for c in nb.cells], \
        f"run `python -m casekit.nbtools mark {master.relative_to(REPO)}`"
    kinds = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert any(k.get("solution") and not k.get("grade") for k in kinds), "no solution cell"
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert tests, "no auto-graded test cell"
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in tests), "no hidden tests"
    for c in tests:
        assert "raises-exception" in c.metadata["tags"]
        visible = c.source.split("### BEGIN HIDDEN TESTS")[0]
        assert "assert " in visible, f"{_gid(c)}: no visible assert"
        assert CJK.search(visible) and re.search(r"[A-Za-z]{4,} [a-z]{3,}", visible), \
            f"{_gid(c)}: visible assert messages must be in English and 中文"
        assert "nbgrader" not in c.source


def test_toolkit_questions():
    qs = grading.questions(MASTERS["toolkit"])
    assert [(q.name, q.points, q.auto) for q in qs] == [
        ("q1", 2.0, True), ("q2", 2.0, True), ("q3", 3.0, True), ("q4", 3.0, False)]


def test_secret_lines_are_found():
    secrets = _secret_lines(MASTERS["toolkit"])
    assert "kept_share = retention / (1 + discount - retention)" in secrets
    assert any("metrics.concentration" in s for s in secrets)       # a hidden test
    assert any(s.startswith("A model answer") for s in secrets)       # the model answer
    assert not any("lifetime_value(margin, retention, discount)" in s for s in secrets)  # visible def line
    assert grading.secret_lines(MASTERS["toolkit"]) <= secrets


@pytest.mark.parametrize("call, exc, match", [
    (lambda c: grading.grade(c / "nowhere", c), FileNotFoundError, "submissions"),
    (lambda c: grading.grade(c, c, timeout=0), ValueError, "`timeout` must be"),
    (lambda c: grading.grade(c, c, workers=0), ValueError, "`workers` must be"),
    (lambda c: grading.grade(c, c, workers=1.5), ValueError, "`workers` must be"),
    (lambda c: grading.release(c, ["no_such_case"]), ValueError, "`assignments` must name masters"),
    (lambda c: grading.feedback("no_such_case", c), ValueError, "`assignment` must be one of"),
    (lambda c: grading.feedback("toolkit", c, csv=c / "missing.csv"), FileNotFoundError, "missing.csv"),
    (lambda c: grading.masters(c / "source"), FileNotFoundError, "nbgrader_config.py"),
    (lambda c: grading.benchmark(0, course_dir=c), ValueError, "`n_students` must be"),
    (lambda c: grading.benchmark(2, rounds=0, course_dir=c), ValueError, "`rounds` must be"),
])
def test_bad_input(tmp_path, call, exc, match):
    c = _copy_course(tmp_path / "exercises")
    with pytest.raises(exc, match=match):
        call(c)


def test_grade_without_submissions(tmp_path):
    c = _copy_course(tmp_path / "exercises")
    (tmp_path / "subs" / "alice" / "other_course").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="no submissions found"):
        grading.grade(tmp_path / "subs", c)


# --------------------------------------------------------------------------
# masters and student copies (executed)
# --------------------------------------------------------------------------

@pytest.mark.grading
@pytest.mark.parametrize("name", MASTERS)
def test_master_solutions_pass_every_test(name, course):
    """nbval cannot see failing test cells (they carry raises-exception), so
    run the master and require that no cell raised, except ungraded cells
    tagged raises-exception on purpose (a demonstration of an error)."""
    master = course / "source" / name / f"{name}.ipynb"
    nb = _run(nbformat.read(master, as_version=4), master.parent)
    failed = [(_gid(c) or i, e["ename"], e["evalue"][:200]) for i, c in enumerate(nb.cells) for e in _errors(c)
              if _gid(c) or "raises-exception" not in c.metadata.get("tags", [])]
    assert not failed, f"the master's own solutions fail: {failed}"


@pytest.mark.grading
@pytest.mark.parametrize("name", MASTERS)
def test_released_copy_runs_to_the_end_and_fails_unanswered(name, course):
    released = _released(course, name)
    nb = nbformat.read(released, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    sources = "\n".join(c.source for c in nb.cells)
    assert "NotImplementedError" not in sources
    assert not re.search(r"^\s*(import|from)\s+nbgrader", sources, re.M), "students must not need nbgrader"
    assert "### BEGIN" not in sources and "### END" not in sources
    # nbclient stops at the first error unless the cell is tagged raises-exception,
    # as JupyterLab's "Run All" does: every stub must run, every check may fail.
    _run(nb, released.parent)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[-1].execution_count is not None, "Run All stopped before the last cell"
    for c in code:
        meta = c.metadata.get("nbgrader", {})
        errs = _errors(c)
        if meta.get("grade"):
            assert errs, f"{meta['grade_id']}: passes without an answer"
            assert errs[0]["ename"] == "AssertionError", \
                f"{meta['grade_id']}: an unanswered question should fail an assert, got {errs[0]['ename']}"
            assert CJK.search(errs[0]["evalue"]) and re.search(r"[A-Za-z]{4,}", errs[0]["evalue"]), \
                f"{meta['grade_id']}: the message must say what is wrong in English and 中文"
        elif "raises-exception" not in c.metadata.get("tags", []):
            assert not errs, f"cell {meta.get('grade_id', '')} raised {errs[0]['ename'] if errs else ''}"
    manual = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")]
    assert all("YOUR ANSWER HERE" in c.source for c in manual)


@pytest.mark.grading
@pytest.mark.parametrize("name", MASTERS)
def test_no_solution_or_hidden_test_in_release(name, course):
    _released(course, name)
    secrets = _secret_lines(MASTERS[name])
    assert secrets, "no solution or hidden-test lines found in the master"
    files = [p for p in (course / "release" / name).rglob("*") if p.is_file()]
    assert files
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        raw = nbformat.reads(text, as_version=4) if p.suffix == ".ipynb" else None
        lines = {l.strip().lstrip("#").strip() for c in (raw.cells if raw else []) for l in c.source.splitlines()}
        lines |= {l.strip() for l in text.splitlines()}
        leaked = sorted(s for s in secrets if s in lines or (len(s) >= 20 and (s in text or
                        s.replace('"', '\\"') in text)))
        assert not leaked, f"{p.name} shows master lines: {leaked[:3]}"


# --------------------------------------------------------------------------
# grading prepared submissions of the toolkit set
# --------------------------------------------------------------------------

def _fill(nb, answers: dict):
    """Put answers into a student copy: grade_id → source (or None to delete the cell)."""
    cells = []
    for c in nb.cells:
        gid = _gid(c)
        if gid in answers:
            if answers[gid] is None:
                continue
            c.source = answers[gid]
        cells.append(c)
    nb.cells = cells
    return nb


def _solutions(master: Path) -> dict:
    out = {}
    for c in nbformat.read(master, as_version=4).cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("solution") and c.cell_type == "code":
            out[meta["grade_id"]] = "\n".join(l for l in c.source.splitlines()
                                              if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return out


ANSWER_Q4 = "The top fifth brings about 61% of revenue, not 80%; keep serving the other tiers too."
NAN = float("nan")
# A submission whose kernel speaks Chinese: the student ran casekit.set_language("zh")
# (the grader's sandbox passes no CASEKIT_LANG, so the notebook sets it).
ZH = "lang"
ZH_FIRST = 'import casekit\ncasekit.set_language("zh")\n\n'
PARTIAL = {"q1": "def lifetime_value(margin, retention, discount):\n    return 266.67\n",
           "q3": ('tier_summary = rfm.groupby("tier", observed=False).agg(\n'
                  '    customers=("monetary", "size"), revenue=("monetary", "sum"))\n'
                  'tier_summary["revenue_share"] = tier_summary["customers"] / '
                  'tier_summary["customers"].sum()\n')}

# student → (answers on top of the full solutions, expected q1, q2, q3, q4, total)
CASES = {
    "correct": ({}, (2, 2, 3, NAN, 7)),
    "blank": (None, (0, 0, 0, 0, 0)),
    # passes every visible check, fails hidden ones: q1 hard-coded, q3 shares of customers
    "partial": (PARTIAL, (0, 2, 0, NAN, 2)),
    # the same answers, graded in a kernel that speaks Chinese: the same scores
    "correct_zh": ({ZH: "zh"}, (2, 2, 3, NAN, 7)),
    "partial_zh": ({ZH: "zh", **PARTIAL}, (0, 2, 0, NAN, 2)),
}


def _write_subs(subs: Path, released: Path, solutions: dict, cases: dict, q4: str):
    for student, (answers, *_) in cases.items():
        nb = nbformat.read(released, as_version=4)
        if answers is not None:
            filled = {**solutions, "q4": q4, **answers}
            if filled.pop(ZH, None) == "zh":
                filled["q1"] = ZH_FIRST + filled["q1"]
            _fill(nb, filled)
        dest = subs / student / released.stem / released.name
        dest.parent.mkdir(parents=True)
        nbformat.write(nb, dest)


def _grade_cli(subs: Path, course: Path, *extra):
    proc = subprocess.run([sys.executable, "-m", "casekit.grading", "grade", str(subs),
                           "--course", str(course), "--timeout", str(TIMEOUT), *extra],
                          capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=900)
    return proc


def _rows(csv_path: Path) -> dict:
    with open(csv_path, encoding="utf-8", newline="") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def _scores(row, names) -> tuple:
    return tuple(float(row[k]) if row[k] != "" else NAN for k in names)


def _same(got, expected) -> bool:
    return all((math.isnan(g) and math.isnan(e)) or g == e for g, e in zip(got, expected))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The toolkit set: three prepared submissions, graded through `make grade`'s command line."""
    root = tmp_path_factory.mktemp("grading")
    course = _copy_course(root / "exercises")
    released = grading.release(course, ["toolkit"], quiet=True)[0]
    subs = root / "submissions"
    _write_subs(subs, released, _solutions(course / "source" / "toolkit" / "toolkit.ipynb"), CASES, ANSWER_Q4)
    proc = _grade_cli(subs, course, "--lms", "canvas,moodle")  # make grade … LMS=canvas,moodle
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return {"course": course, "rows": _rows(course / "grades_toolkit.csv"), "stdout": proc.stdout, "subs": subs}


@pytest.mark.grading
def test_grade_also_writes_canvas_and_moodle_imports(graded):
    course, rows = graded["course"], graded["rows"]
    with open(course / "grades_toolkit_canvas.csv", encoding="utf-8", newline="") as f:
        canvas = list(csv.DictReader(f))
    with open(course / "grades_toolkit_moodle.csv", encoding="utf-8", newline="") as f:
        moodle = {r["ID number"]: r for r in csv.DictReader(f)}
    assert canvas[0]["Student"].strip() == "Points Possible" and float(canvas[0]["toolkit total"]) == 10
    by_login = {r["SIS Login ID"]: r for r in canvas[1:]}
    assert set(by_login) == set(moodle) == set(rows)
    for student, row in rows.items():
        assert by_login[student]["toolkit total"] == moodle[student]["toolkit total"] != ""
        assert float(moodle[student]["toolkit total"]) == float(row["total"])
        assert moodle[student]["toolkit q1"] == by_login[student]["toolkit q1"]


@pytest.mark.grading
def test_grade_shows_progress_and_writes_one_row_per_student(graded):
    out = graded["stdout"]
    assert "bwrap sandbox" in out
    assert f"[{len(CASES)}/{len(CASES)}]" in out
    assert "grades_toolkit.csv" in out
    assert f"summary: {len(CASES)} submission(s): {len(CASES)} graded" in out
    rows = graded["rows"]
    assert sorted(rows) == sorted(CASES)
    assert list(next(iter(rows.values()))) == ["student", "q1", "q2", "q3", "q4", "total", "notes"]


@pytest.mark.grading
@pytest.mark.parametrize("student", CASES)
def test_each_toolkit_submission_gets_the_expected_score(graded, student):
    row = graded["rows"][student]
    got = _scores(row, ("q1", "q2", "q3", "q4", "total"))
    assert _same(got, CASES[student][1]), f"{student}: got {got}, expected {CASES[student][1]} ({row})"
    assert row["notes"] == ""


@pytest.mark.grading
def test_grading_gives_the_same_scores_in_both_languages(graded):
    """A submission whose kernel speaks Chinese gets the scores of the same
    answers in English (the checks and their messages are bilingual)."""
    rows = graded["rows"]
    for student in ("correct", "partial"):
        names = ("q1", "q2", "q3", "q4", "total")
        assert _same(_scores(rows[f"{student}_zh"], names), _scores(rows[student], names)), (rows[student],
                                                                                          rows[f"{student}_zh"])
    page = next((graded["course"] / "feedback" / "correct_zh").rglob("*.html")).read_text(encoding="utf-8")
    assert "7 of 10" in page


@pytest.mark.grading
def test_toolkit_feedback_says_what_is_wrong_without_hidden_lines(graded):
    course = graded["course"]
    pages = {p.parts[-3]: p.read_text(encoding="utf-8") for p in (course / "feedback").rglob("*.html")}
    assert sorted(pages) == sorted(CASES)
    secrets = _secret_lines(MASTERS["toolkit"])
    for student, page in pages.items():
        leaked = [s for s in secrets if s in page or html.escape(s) in page]
        assert not leaked, f"feedback for {student} shows {leaked[:2]}"
        assert "Traceback" not in page and "HIDDEN" not in page
    assert "7 of 10" in pages["correct"] and "to be graded by hand" in pages["correct"]
    assert "returned None" in pages["blank"] and "no answer written" in pages["blank"]
    assert "further checks" in pages["partial"]          # failed a hidden check only


@pytest.mark.grading
def test_feedback_can_be_rewritten_with_hand_grades(graded, tmp_path):
    course = graded["course"]
    table = (course / "grades_toolkit.csv").read_text(encoding="utf-8").splitlines()
    edited = [table[0]] + [re.sub(r"^(correct,2.0,2.0,3.0,)(,)", r"\g<1>2.5\2", l) for l in table[1:]]
    csv_path = tmp_path / "hand.csv"
    csv_path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    pages = grading.feedback("toolkit", course, csv=csv_path, quiet=True)
    page = next(p for p in pages if p.parts[-3] == "correct").read_text(encoding="utf-8")
    assert "graded by hand: 2.5 of 3" in page and "9.5 of 10" in page


@pytest.mark.grading
def test_serial_grading_needs_the_flag_and_gives_the_same_scores(graded, tmp_path):
    subs = tmp_path / "subs"
    for student in ("correct", "partial"):
        shutil.copytree(graded["subs"] / student, subs / student)
    course = _copy_course(tmp_path / "exercises")
    with pytest.raises(RuntimeError, match="allow-unsandboxed"):
        grading.grade(subs, course, timeout=TIMEOUT, serial=True, progress=False)
    table = grading.grade(subs, course, timeout=TIMEOUT, serial=True, progress=False,
                          allow_unsandboxed=True)["toolkit"]
    assert dict(zip(table["student"], table["total"])) == {"correct": 7.0, "partial": 2.0}
    assert (course / "gradebook.db").is_file()  # formgrader can take over for hand grading


@pytest.mark.grading
@pytest.mark.slow
def test_benchmark_takes_turns_and_both_graders_agree(tmp_path):
    """`make bench`'s grading figure on two submissions (one answered, one
    blank) in two rounds: each round is graded by serial nbgrader and by
    grade(), and both give every student the same total."""
    course = _copy_course(tmp_path / "exercises")
    result = grading.benchmark(2, rounds=2, course_dir=course, timeout=120)  # generous: a loaded machine
    assert result["same_scores"], result.get("differences")
    assert (result["n_students"], result["rounds"], result["sandbox"]) == (2, 2, "bwrap")


def test_grading_refuses_without_a_sandbox(tmp_path, monkeypatch):
    c = _copy_course(tmp_path / "exercises")
    nb = tmp_path / "subs" / "alice" / "toolkit" / "toolkit.ipynb"
    nb.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), nb)
    monkeypatch.setattr(sandbox, "available", lambda kind: kind == "none")
    with pytest.raises(RuntimeError, match="no sandbox found.*Refusing to grade"):
        grading.grade(tmp_path / "subs", c, progress=False)
    monkeypatch.undo()
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install bubblewrap"):
        sandbox.pick()
    assert sandbox.pick(allow_unsandboxed=True) == "none"


# --------------------------------------------------------------------------
# the scenarios, on a small fixture set (tests/grading_fixtures/drill.py)
# --------------------------------------------------------------------------

DRILL = {
    "q1": "def lifetime_value(margin, retention, discount):\n    return margin * retention / (1 + discount - retention)\n",
    "q2": "share = None\nshare = 3 / 5\n",
    "q3": "total = None\ntotal = 6 * 7\n",
    "q4": "Revenue is concentrated, so keep the best customers but serve the others well too.",
}
WRONG_ABS = "\ndef abs(x):\n    return 0\n"
SNOOP = '''
import os, pathlib, socket, subprocess, casekit
found = []
for top in ("/tmp", "/work", "/home", "/course", "/srv", "/mnt", "/root", "/var", "/opt"):
    for d, dirs, files in os.walk(top):
        dirs[:] = [x for x in dirs if x not in (".venv", "site-packages", "lib", "include", "share", "bin")]
        found += [os.path.join(d, f) for f in files if f.endswith((".ipynb", ".db", ".csv", ".py"))
                  and not d.startswith(os.getcwd()) and not d.startswith(("/course/data", "/course/casekit"))]
print("FOUND", sorted(found))
print("UID", os.getuid())
for target in (pathlib.Path(casekit.__file__).parents[1] / "exercises" / "pwned.txt", pathlib.Path("{victim}"),
               pathlib.Path("{course}") / "pwned.txt"):
    try:
        target.write_text("{{}}")
        print("WROTE", target)
    except OSError as e:
        print("BLOCKED", type(e).__name__)
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    print("NETWORK open")
except OSError:
    print("NETWORK blocked")
subprocess.Popen(["sleep", "4321.5"], start_new_session=True)
print("SPAWNED")
'''
LEAK_Q1 = '''import linecache, sys

class Sneaky(float):
    def __sub__(self, other):
        return 1.0
    def __repr__(self):
        lines = linecache.getlines(sys._getframe(1).f_code.co_filename)
        return "\\u200b".join("".join(lines))

def lifetime_value(margin, retention, discount):
    return Sneaky(1.0)
'''

# folder → (student id, set folder, file name, answers on top of DRILL (None: blank), expected
#           (q1, q2, q3, q4), words the notes must contain); written before the grader was.
SCENARIOS = {
    "correct": ("correct", "drill", "drill.ipynb", {}, (2, 2, 1, NAN), []),
    "blank": ("blank", "drill", "drill.ipynb", None, (0, 0, 0, 0), []),
    "partial": ("partial", "drill", "drill.ipynb",
                {"q1": "def lifetime_value(margin, retention, discount):\n    return 266.67\n"}, (0, 2, 1, NAN), []),
    "张三": ("张三", "drill", "drill.ipynb",
            {"q1": "def lifetime_value(margin, retention, discount):\n    留存率 = retention\n"
                   "    return margin * 留存率 / (1 + discount - 留存率)\n"}, (2, 2, 1, NAN), []),
    # 1. student code reaches nothing but its own notebook (the cell is an extra one)
    "snoop": ("snoop", "drill", "drill.ipynb", {"extra": SNOOP}, (2, 2, 1, NAN), []),
    # 2. checks a student cannot switch off: each with right answers, zeroed for tampering
    "transformer": ("transformer", "drill", "drill.ipynb",
                    {"q3": DRILL["q3"] + "get_ipython().input_transformers_cleanup.append("
                                         "lambda lines: [l.replace('assert ', 'pass #') for l in lines])\n"},
                    (0, 0, 0, NAN), ["tampered kernel", "input_transformers_cleanup"]),
    "global_abs": ("global_abs", "drill", "drill.ipynb", {"q1": DRILL["q1"] + WRONG_ABS},
                   (0, 0, 0, NAN), ["tampered kernel", "builtin abs redefined"]),
    "builtins_abs": ("builtins_abs", "drill", "drill.ipynb",
                     {"q1": DRILL["q1"] + "import builtins\nbuiltins.abs = lambda x: 0\n"},
                     (0, 0, 0, NAN), ["tampered kernel", "builtin abs replaced"]),
    "patched": ("patched", "drill", "drill.ipynb",
                {"q1": DRILL["q1"] + "metrics.clv = lambda *a, **k: 0.0\n"},
                (0, 0, 0, NAN), ["tampered kernel", "casekit casekit.metrics.clv"]),
    # 3. no leak through feedback
    "leak": ("leak", "drill", "drill.ipynb", {"q1": LEAK_Q1}, (0, 2, 1, NAN), []),
    # 4. accidents: deleted cells, stripped metadata, renamed id, extra points, loops, exits, huge output
    "x[1]": ("x[1]", "drill", "drill.ipynb", {"q2": None, "q2_tests": None}, (2, 0, 1, NAN),
             ["q2: answer cell deleted, restored empty", "q2_tests: deleted, restored from master"]),
    "nan": ("nan", "drill", "drill.ipynb", {"strip": True}, (2, 2, 1, NAN), ["matched by their content"]),
    "None": ("None", "drill", "drill.ipynb", {"rename": True}, (2, 2, 1, NAN),
             ["claiming points under the id 'bonus'", "cell id 'q1_mine' is not in the master"]),
    "c_loop": ("c_loop", None, "drill.ipynb", {"q2": "share = 3 / 5\nsum(range(10**13))\n"}, (2, 0, 1, NAN),
               ["flat layout", f"q2: stopped after {TIMEOUT} s (ignored the interrupt: kernel restarted)"]),
    "sigint": ("sigint", "drill", "drill.ipynb",
               {"q3": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntotal = 42\nwhile True:\n"
                      "    pass\n"}, (2, 2, 0, NAN), [f"q3: stopped after {TIMEOUT} s"]),
    "null": ("null", "drill", "drill.ipynb", {"q3": "import os\nos._exit(1)\n"}, (2, 2, 0, NAN),
             ["q3: the kernel died here"]),
    "NA": ("NA", "drill", "drill.ipynb", {"q1": DRILL["q1"] + 'print("x" * 200_000_000)\n'}, (2, 2, 1, NAN),
           ["q1: output cut"]),
    # 5. nobody silently dropped, nobody wrongly zeroed
    "stderr": ("stderr", "Drill", "drill.ipynb",
               {"q1": "import sys, warnings\n\ndef lifetime_value(margin, retention, discount):\n"
                      "    print('debug', margin, file=sys.stderr)\n    warnings.warn('a warning')\n"
                      "    return margin * retention / (1 + discount - retention)\n"}, (2, 2, 1, NAN),
               ["set folder named 'Drill'", "q1_tests: wrote to stderr"]),
    "two_copies": ("two_copies", "drill", "drill (1).ipynb", {}, (2, 2, 1, NAN),
                   ["2 notebooks in two_copies/drill: graded the newest, drill (1).ipynb; ignored drill.ipynb"]),
}
NOT_GRADED = {"broken": "could not be graded: not a readable notebook", "empty": "no notebook"}


def _drill_course(root: Path) -> Path:
    course = root / "exercises"
    (course / "source" / "drill").mkdir(parents=True)
    shutil.copyfile(COURSE / "nbgrader_config.py", course / "nbgrader_config.py")
    master = course / "source" / "drill" / "drill.ipynb"
    subprocess.run([str(Path(sys.executable).parent / "jupytext"), "--quiet", "--to", "ipynb", "-o", str(master),
                    str(REPO / "tests" / "grading_fixtures" / "drill.py")], check=True)
    mark_exercise(master)
    return course


def _drill_notebook(released: Path, answers, course: Path, subs: Path):
    nb = nbformat.read(released, as_version=4)
    if answers is None:
        return nb
    answers = dict(answers)
    strip, rename, extra = answers.pop("strip", False), answers.pop("rename", False), answers.pop("extra", None)
    _fill(nb, {**DRILL, **answers})
    if extra:
        victim = subs / "correct" / "drill" / "drill.ipynb"
        nb.cells.append(nbformat.v4.new_code_cell(extra.format(victim=victim, course=course)))
    if rename:
        next(c for c in nb.cells if _gid(c) == "q1").metadata["nbgrader"]["grade_id"] = "q1_mine"
        bonus = nbformat.v4.new_code_cell("print('I deserve points')")
        bonus.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "points": 10, "solution": False,
                                      "locked": False, "schema_version": 3, "task": False}
        nb.cells.append(bonus)
    if strip:
        for c in nb.cells:
            c.metadata.pop("nbgrader", None)
            c.metadata.pop("tags", None)
    return nb


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """Every scenario of the issue in one graded folder, through `make grade`'s command line."""
    import os
    import time

    root = tmp_path_factory.mktemp("drill")
    course = _drill_course(root)
    released = grading.release(course, ["drill"], quiet=True)[0]
    subs = root / "submissions"
    for folder, (student, setdir, name, answers, *_) in SCENARIOS.items():
        dest = subs / student / (setdir or "") / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(_drill_notebook(released, answers, course, subs), dest)
    stale = subs / "two_copies" / "drill" / "drill.ipynb"  # an older, blank copy next to the newer one
    nbformat.write(nbformat.read(released, as_version=4), stale)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    (subs / "broken" / "drill").mkdir(parents=True)
    (subs / "broken" / "drill" / "drill.ipynb").write_text("{ this is not json", encoding="utf-8")
    (subs / "empty" / "drill").mkdir(parents=True)
    victim_before = (subs / "correct" / "drill" / "drill.ipynb").read_bytes()
    proc = _grade_cli(subs, course)
    return {"course": course, "subs": subs, "proc": proc, "rows": _rows(course / "grades_drill.csv"),
            "victim_before": victim_before}


@pytest.mark.grading
def test_every_student_folder_gets_a_row_and_failures_give_a_nonzero_exit(drill):
    proc, rows = drill["proc"], drill["rows"]
    assert sorted(rows) == sorted([*SCENARIOS, *NOT_GRADED]), proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.returncode == 2, proc.stderr[-3000:]
    n = len(SCENARIOS) + len(NOT_GRADED)
    assert (f"summary: {n} submission(s): {len(SCENARIOS)} graded" in proc.stdout
            and f"{len(NOT_GRADED)} could not be graded: broken · drill, empty · drill" in proc.stdout), proc.stdout
    for student, why in NOT_GRADED.items():
        row = rows[student]
        assert [row[k] for k in ("q1", "q2", "q3", "q4")] == ["", "", "", ""] and why in row["notes"]


@pytest.mark.grading
@pytest.mark.parametrize("folder", SCENARIOS)
def test_each_scenario_gets_its_expected_scores_and_notes(drill, folder):
    student, *_, expected, words = SCENARIOS[folder]
    row = drill["rows"][student]
    got = _scores(row, ("q1", "q2", "q3", "q4"))
    assert _same(got, expected), f"{student}: got {got}, expected {expected} ({row['notes']})"
    assert float(row["total"]) == sum(x for x in expected if not math.isnan(x))
    for w in words:
        assert w in row["notes"], f"{student}: {w!r} not in the notes {row['notes']!r}"
    if not words:
        assert row["notes"] == "", f"{student}: unexpected notes {row['notes']!r}"


def _cell_text(nb, pred) -> str:
    return "".join(o.get("text", "") for c in nb.cells if pred(c) for o in c.get("outputs", []))


@pytest.mark.grading
def test_student_code_reaches_nothing_but_its_own_notebook(drill):
    course = drill["course"]
    nb = nbformat.read(course / "autograded" / "snoop" / "drill" / "drill.ipynb", as_version=4)
    out = _cell_text(nb, lambda c: "SPAWNED" in c.source)
    assert "FOUND []" in out, out       # no master, gradebook, other submission or repository notebook
    assert "UID 65534" in out            # an unprivileged user
    assert out.count("BLOCKED") == 3 and "WROTE" not in out
    assert "NETWORK blocked" in out and "SPAWNED" in out
    assert not (course / "pwned.txt").exists() and not (REPO / "exercises" / "pwned.txt").exists()
    assert (drill["subs"] / "correct" / "drill" / "drill.ipynb").read_bytes() == drill["victim_before"]
    leftovers = [p for p in Path("/proc").iterdir() if p.name.isdigit()
                 and b"4321.5" in (p / "cmdline").read_bytes()] if Path("/proc/self").exists() else []
    assert not leftovers, "a process started by a notebook outlived its grading"


@pytest.mark.grading
def test_restored_cells_are_in_their_place(drill):
    nb = nbformat.read(drill["course"] / "autograded" / "x[1]" / "drill" / "drill.ipynb", as_version=4)
    ids = [_gid(c) for c in nb.cells if _gid(c)]
    assert ids == ["q1", "q1_tests", "q2", "q2_tests", "q3", "q3_tests", "q4"]
    q2 = next(i for i, c in enumerate(nb.cells) if _gid(c) == "q2")
    assert "Question 2" in nb.cells[q2 - 1].source
    big = drill["course"] / "autograded" / "NA" / "drill" / "drill.ipynb"
    assert big.stat().st_size < 1_000_000   # the 200 MB print was cut


@pytest.mark.grading
def test_feedback_never_leaks_hidden_checks_even_through_a_repr(drill):
    course = drill["course"]
    pages = {p.parts[-3]: p.read_text(encoding="utf-8") for p in (course / "feedback").rglob("*.html")}
    assert {"NA", "None", "null", "nan", "x[1]"} <= set(pages)      # ids are not missing values
    secrets = _secret_lines(course / "source" / "drill" / "drill.ipynb")
    assert any("hidden check of the frozen" in s for s in secrets)

    def flat(t):
        t = unicodedata.normalize("NFKC", html.unescape(t))
        return re.sub(r"[\s\u200b-\u200f\u2060\ufeff]+", "", t)
    for student, page in pages.items():
        leaked = [s for s in secrets if flat(s) in flat(page)]
        assert not leaked, f"feedback for {student} shows {leaked[:2]}"
    assert "not shown" in pages["leak"]
    graded = nbformat.read(course / "autograded" / "leak" / "drill" / "drill.ipynb", as_version=4)
    err = next(o for c in graded.cells if _gid(c) == "q1_tests" for o in c.outputs if o.output_type == "error")
    assert flat("hidden check two") in flat(err["evalue"])   # the attack did put the hidden lines in the message
    assert "stopped after" in pages["c_loop"] or "longer than" in pages["c_loop"]
    assert "changed how Python or the checks work" in pages["transformer"]


# --------------------------------------------------------------------------
# pieces of the pipeline, without a kernel (fast)
# --------------------------------------------------------------------------

def test_clean_strips_invisible_and_control_characters_and_truncates():
    text = "a\u200bs\u200cs\u200de\u2060r\ufefft\x1b[31m \x07ok\u00ad"
    assert grading.clean(text) == "assert ok"
    assert grading.clean("ｆｕｌｌ　ｗｉｄｔｈ") == "full width"     # NFKC
    assert grading.clean("x" * 1000, 50) == "x" * 50 + " …"


def test_leak_check_sees_through_spacing_and_zero_width_characters():
    secret = "assert builtins.abs(share - 0.6) < 1e-9"
    spaced = "got " + "\u200b".join(secret) + " instead"
    assert grading._leaks(spaced, {secret}) == [secret]
    assert grading._leaks("got 0.5 instead", {secret}) == []


def test_scan_finds_every_student_folder(tmp_path):
    import os
    import time

    from casekit.grading import submissions

    def nb(path, age=0):
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(), path)
        if age:
            t = time.time() - age
            os.utime(path, (t, t))

    nb(tmp_path / "ok" / "toolkit" / "toolkit.ipynb")
    nb(tmp_path / "cased" / "TOOLKIT" / "toolkit.ipynb")
    nb(tmp_path / "flat" / "toolkit.ipynb")
    nb(tmp_path / "two" / "toolkit" / "toolkit.ipynb", age=600)
    nb(tmp_path / "two" / "toolkit" / "toolkit (2).ipynb")
    nb(tmp_path / "renamed" / "toolkit" / "my work.ipynb")
    (tmp_path / "nothing" / "toolkit").mkdir(parents=True)
    nb(tmp_path / "NA" / "toolkit" / "toolkit.ipynb")
    nb(tmp_path / "loose.ipynb")
    entries, warnings = submissions.scan(tmp_path, ["toolkit", "dell"])
    got = {e.student: (e.notebook.name if e.notebook else None, "; ".join(e.notes)) for e in entries}
    assert got == {
        "ok": ("toolkit.ipynb", ""),
        "cased": ("toolkit.ipynb", "set folder named 'TOOLKIT' instead of 'toolkit'"),
        "flat": ("toolkit.ipynb", "flat layout: notebook directly in flat/, not in flat/toolkit/"),
        "two": ("toolkit (2).ipynb", "2 notebooks in two/toolkit: graded the newest, toolkit (2).ipynb; "
                                     "ignored toolkit.ipynb"),
        "renamed": ("my work.ipynb", ""),
        "nothing": (None, "no notebook for toolkit in the student folder"),
        "NA": ("toolkit.ipynb", ""),
    }
    assert warnings == ["ignored loose.ipynb: not inside a student folder"]


def test_align_restores_deleted_cells_and_matches_stripped_ones():
    from casekit.grading import autograde

    def code(src, gid=None, **meta):
        c = nbformat.v4.new_code_cell(src)
        if gid:
            c.metadata["nbgrader"] = {"grade_id": gid, **meta}
        return c

    master = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Question 1"),
        code("x = None\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "q1", solution=True, grade=False),
        code("assert x is not None\n### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS", "q1_tests",
             grade=True, points=1, solution=False),
        nbformat.v4.new_markdown_cell("Question 2"),
        code("y = None\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION", "q2", solution=True, grade=False),
        code("assert y is not None\n### BEGIN HIDDEN TESTS\nassert y == 2\n### END HIDDEN TESTS", "q2_tests",
             grade=True, points=1, solution=False)])
    mc = autograde.parse_master(master)
    # q1's two cells deleted; q2's metadata stripped by another editor
    student = [nbformat.v4.new_markdown_cell("Question 1"), nbformat.v4.new_markdown_cell("Question 2"),
               code("y = None\ny = 2"), code("assert y is not None\n")]
    cells, notes = autograde.align(mc, student)
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells] == [
        None, "q1", "q1_tests", None, "q2", "q2_tests"]
    assert cells[2].source == master.cells[2].source and "# YOUR CODE HERE" in cells[1].source
    assert cells[4].source == "y = None\ny = 2"
    assert "assert y == 2" in cells[5].source
    assert notes == ["nbgrader cell data missing: cells matched by their content",
                     "q1: answer cell deleted, restored empty (scores 0)", "q1_tests: deleted, restored from master"]


def test_guard_fingerprint_is_the_same_in_every_process():
    """The clean fingerprint is computed in the grader's process and compared
    with the kernel's: it must not depend on the hash seed or addresses."""
    code = ("import json, pkgutil, importlib, casekit\n"
            "from casekit.grading import guard\n"
            "mods = [f'casekit.{m.name}' for m in pkgutil.iter_modules(casekit.__path__)]\n"
            "print(json.dumps(guard.expected('/x', mods), sort_keys=True))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and len(runs[0]) > 1000
