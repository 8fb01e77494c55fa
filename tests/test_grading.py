"""Tests of the exercise pipeline (casekit.grading, exercises/).

Every master under exercises/source/ is found at collection time, so a new
case's exercise set is tested as soon as it lands. All nbgrader runs happen in
a temporary copy of the course folder: nothing is written into the repository.

Slow tests (nbgrader, notebook execution) carry the ``grading`` mark.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from casekit import grading
from casekit.nbtools import mark_exercise

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "exercises"
MASTERS = {d.name: d / f"{d.name}.ipynb" for d in sorted((COURSE / "source").iterdir())
           if (d / f"{d.name}.ipynb").is_file()}
TIMEOUT = 10  # seconds per cell while grading in tests (short, with room for a loaded machine)
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
    """The student copy of one master (released once per test module)."""
    key = (course, name)
    if key not in _RELEASED:
        _RELEASED[key] = grading.release(course, [name], quiet=True)[0]
    return _RELEASED[key]


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

CHINESE = {
    "q1": ('def lifetime_value(margin, retention, discount):\n'
           '    """顾客终身价值"""\n'
           '    留存率 = retention\n'
           '    折现率 = discount\n'
           '    return margin * 留存率 / (1 + 折现率 - 留存率)\n'),
    "q2": ('# 收入最高的前 20% 顾客\n'
           '收入 = customers["revenue"].sort_values(ascending=False)\n'
           '前五分之一 = 收入.head(len(收入) // 5)\n'
           'top20_share = 前五分之一.sum() / 收入.sum()\n'),
    "q3": ('分组 = rfm.groupby("tier", observed=False)["monetary"]\n'
           'tier_summary = pd.DataFrame({"customers": 分组.size(), "revenue": 分组.sum()})\n'
           'tier_summary["revenue_share"] = tier_summary["revenue"] / tier_summary["revenue"].sum()\n'),
    "q4": "前 20% 的顾客贡献了约 61% 的收入，而不是 80%。公司应重点维护高价值客户，但不能忽视其他客户。",
}

# student → (answers on top of the full solutions, expected q1, q2, q3, q4, total)
NAN = float("nan")
CASES = {
    "correct": ({}, (2, 2, 3, NAN, 7)),
    "blank": (None, (0, 0, 0, 0, 0)),
    # passes every visible check, fails hidden ones: q1 hard-coded, q3 shares of customers
    "partial": ({"q1": "def lifetime_value(margin, retention, discount):\n    return 266.67\n",
                 "q3": ('tier_summary = rfm.groupby("tier", observed=False).agg(\n'
                        '    customers=("monetary", "size"), revenue=("monetary", "sum"))\n'
                        'tier_summary["revenue_share"] = tier_summary["customers"] / '
                        'tier_summary["customers"].sum()\n')},
                (0, 2, 0, NAN, 2)),
    "raises": ({"q2": 'top20_share = None\nraise RuntimeError("not finished 没做完")\n'}, (2, 0, 3, NAN, 5)),
    "loop": ({"q3": "tier_summary = None\nwhile True:\n    pass\n"}, (2, 2, 0, NAN, 4)),
    # a wrong q1 and a test cell emptied to pass: the test is restored from the master
    "edited_test": ({"q1": "def lifetime_value(margin, retention, discount):\n    return margin * retention\n",
                     "q1_tests": "assert True  # my answer is right"}, (0, 2, 3, NAN, 5)),
    # q2's test cell deleted (put back, passes), q3's answer cell deleted (fails)
    "deleted": ({"q2_tests": None, "q3": None}, (2, 2, 0, NAN, 4)),
    "张三": (CHINESE, (2, 2, 3, NAN, 7)),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade all prepared submissions once, through the command line of `make grade`."""
    root = tmp_path_factory.mktemp("grading")
    course = _copy_course(root / "exercises")
    released = grading.release(course, ["toolkit"], quiet=True)[0]
    solutions = _solutions(course / "source" / "toolkit" / "toolkit.ipynb")
    subs = root / "submissions"
    for student, (answers, _) in CASES.items():
        nb = nbformat.read(released, as_version=4)
        if answers is not None:
            _fill(nb, {**solutions, "q4": ANSWER_Q4, **answers})
        dest = subs / student / "toolkit" / "toolkit.ipynb"
        dest.parent.mkdir(parents=True)
        nbformat.write(nb, dest)
    broken = subs / "broken" / "toolkit" / "toolkit.ipynb"  # a file that is not a notebook
    broken.parent.mkdir(parents=True)
    broken.write_text("{ this is not json", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "casekit.grading", "grade", str(subs),
                           "--course", str(course), "--timeout", str(TIMEOUT)],
                          capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(course / "grades_toolkit.csv", encoding="utf-8", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return {"course": course, "rows": rows, "stdout": proc.stdout, "subs": subs}


@pytest.mark.grading
def test_grade_shows_progress_and_writes_one_row_per_student(graded):
    out = graded["stdout"]
    assert f"[{len(CASES) + 1}/{len(CASES) + 1}]" in out
    assert "grades_toolkit.csv" in out
    rows = graded["rows"]
    assert sorted(rows) == sorted([*CASES, "broken"])
    assert list(next(iter(rows.values()))) == ["student", "q1", "q2", "q3", "q4", "total", "notes"]


@pytest.mark.grading
@pytest.mark.parametrize("student", CASES)
def test_each_submission_gets_the_expected_score(graded, student):
    row = graded["rows"][student]
    expected = CASES[student][1]
    got = tuple(float(row[k]) if row[k] != "" else NAN for k in ("q1", "q2", "q3", "q4", "total"))
    for k, g, e in zip(("q1", "q2", "q3", "q4", "total"), got, expected):
        assert (math.isnan(g) and math.isnan(e)) or g == e, f"{student} {k}: got {g}, expected {e} ({row})"


@pytest.mark.grading
def test_a_broken_file_is_reported_not_fatal(graded):
    row = graded["rows"]["broken"]
    assert [row[k] for k in ("q1", "q2", "q3", "q4")] == ["", "", "", ""]
    assert float(row["total"]) == 0 and "could not be graded" in row["notes"]


@pytest.mark.grading
def test_grading_notes_and_restored_cells(graded):
    rows, course = graded["rows"], graded["course"]
    assert f"stopped after {TIMEOUT} s" in rows["loop"]["notes"]
    assert "q2_tests: deleted, restored from master" in rows["deleted"]["notes"]
    edited = nbformat.read(course / "autograded" / "edited_test" / "toolkit" / "toolkit.ipynb", as_version=4)
    q1_tests = next(c for c in edited.cells if _gid(c) == "q1_tests")
    assert "my answer is right" not in q1_tests.source and "266.67" in q1_tests.source
    chinese = nbformat.read(course / "autograded" / "张三" / "toolkit" / "toolkit.ipynb", as_version=4)
    assert "前五分之一" in "".join(c.source for c in chinese.cells)


@pytest.mark.grading
def test_feedback_reveals_no_hidden_test_or_solution(graded):
    course = graded["course"]
    pages = {p.parts[-3]: p.read_text(encoding="utf-8")
             for p in (course / "feedback").rglob("*") if p.is_file()}
    assert sorted(pages) == sorted([*CASES, "broken"])
    secrets = _secret_lines(MASTERS["toolkit"])
    for student, page in pages.items():
        leaked = [s for s in secrets if s in page or __import__("html").escape(s) in page]
        assert not leaked, f"feedback for {student} shows {leaked[:2]}"
        assert "Traceback" not in page and "HIDDEN" not in page
    # what the pages do say
    assert "7 of 10" in pages["correct"] and "to be graded by hand" in pages["correct"]
    assert "returned None" in pages["blank"] and "no answer written" in pages["blank"]
    assert "further checks" in pages["partial"]          # failed a hidden check only
    assert f"longer than {TIMEOUT} s" in pages["loop"]
    assert "张三" in pages["张三"]


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
    loop = next(p for p in pages if p.parts[-3] == "loop").read_text(encoding="utf-8")
    assert f"longer than {TIMEOUT} s" in loop  # the limit used when grading, from the notes


@pytest.mark.grading
def test_serial_grading_gives_the_same_scores(graded, tmp_path):
    subs = tmp_path / "subs"
    for student in ("correct", "partial"):
        shutil.copytree(graded["subs"] / student, subs / student)
    course = _copy_course(tmp_path / "exercises")
    table = grading.grade(subs, course, timeout=TIMEOUT, serial=True, progress=False)["toolkit"]
    assert dict(zip(table["student"], table["total"])) == {"correct": 7.0, "partial": 2.0}
    assert (course / "gradebook.db").is_file()  # formgrader can take over for hand grading
