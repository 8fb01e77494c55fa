"""Grades and participation in the import formats of Canvas and Moodle.

Two tables go to an LMS: the gradebook of an exercise set (``make grade``:
one column per question and the total) and the class's participation in a
case (the class view: answered 1 / not 0, per discussion question and poll).
Both are written as CSV (UTF-8, a header row, comma-separated):

**Canvas** (Grades → Import). Canvas matches a row to a student by one of
``Student`` (the name, "Last, First"), ``ID`` (Canvas's user id),
``SIS User ID`` or ``SIS Login ID``; ``Section`` is expected beside them. Every
other column is an assignment: a column whose name Canvas does not know
becomes a new assignment, so the per-question columns arrive as new
assignments. The layout is the one of Canvas's own gradebook export, which
Canvas reads back: ``Student, ID, SIS User ID, SIS Login ID, Section``, then
the score columns; the second row ``Points Possible`` gives each column's
maximum.

**Moodle** (Grade administration → Import → CSV file). The instructor maps
one column to a user field under "Identify user by" (here ``ID number``, or
``Email address``) and each score column to a grade item or to a new grade
item. The layout follows Moodle's own export: ``First name``, ``Last name``,
``ID number``, ``Email address``, then the score columns.

**Matching students.** The course knows a student by their folder or user
name (``s001``, ``jupyter-alice`` → ``alice``, an nbgrader id). A roster CSV
maps that to the LMS: a ``student`` column, and any of ``name``,
``first_name``, ``last_name``, ``canvas_id``, ``sis_user_id``,
``sis_login_id``, ``section``, ``idnumber``, ``email`` (export the LMS's
gradebook once and copy the columns over). With a roster, every roster
student gets a row (no score: an empty cell, which leaves the LMS's grade
alone; no answers file: participation 0) and a student of the course that
the roster lacks is *not* written, but listed in ``table.attrs["unmatched"]``
(the command line prints them). Without a roster, the course's id goes to
``SIS Login ID`` (Canvas) and ``ID number`` (Moodle).

Command line (``make grade … LMS=canvas,moodle ROSTER=roster.csv`` runs the
first after grading)::

    python -m casekit.lms grades exercises/grades_toolkit.csv --system canvas [--roster R] [--out F]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import pandas as pd

from ._checks import check_choice, check_str

__all__ = ["SYSTEMS", "ROSTER_COLUMNS", "read_roster", "gradebook_table", "participation_table",
           "grades_from_csv", "write_csv"]

SYSTEMS = ("canvas", "moodle")
ROSTER_COLUMNS = ("student", "name", "first_name", "last_name", "canvas_id", "sis_user_id", "sis_login_id",
                  "section", "idnumber", "email")
CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ID_COLUMNS = ["First name", "Last name", "ID number", "Email address"]
POINTS_POSSIBLE = "    Points Possible"


def read_roster(roster) -> pd.DataFrame:
    """A roster CSV (see the module docstring), indexed by ``student``; every
    cell text. ValueError naming the file and the rule when it is not one."""
    path = roster
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`roster` must be a CSV file path, got {path!r:.80} ({type(path).__name__})")
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"`roster` must be a CSV file, got {str(path)!r} (no such file)")
    try:
        table = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"`roster` must be a UTF-8 CSV file, got {str(path)!r} ({exc})") from None
    table.columns = [c.strip().lower() for c in table.columns]
    if "student" not in table.columns:
        raise ValueError(f"`roster` must have a 'student' column (the course's id of each student), "
                         f"got columns {list(table.columns)} in {str(path)!r}")
    unknown = set(table.columns) - set(ROSTER_COLUMNS)
    if unknown:
        raise ValueError(f"`roster` columns must be among {list(ROSTER_COLUMNS)}, got unknown {sorted(unknown)} "
                         f"in {str(path)!r}")
    table["student"] = table["student"].str.strip()
    dup = table["student"][table["student"].duplicated()].tolist()
    if dup or (table["student"] == "").any():
        raise ValueError(f"`roster` must list each student once with a non-empty 'student', got duplicates "
                         f"{dup[:5]} or blanks in {str(path)!r}")
    for c in ROSTER_COLUMNS:
        if c not in table.columns:
            table[c] = ""
    return table.set_index("student")


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def _identity(system: str, students, roster: pd.DataFrame | None, names: dict) -> tuple[pd.DataFrame, list]:
    """The identity columns of each student, and the students the roster lacks."""
    rows, unmatched = [], []
    order = list(roster.index) if roster is not None else list(students)
    known = set(students)
    if roster is not None:
        unmatched = sorted(s for s in known if s not in roster.index)
    for s in order:
        r = roster.loc[s] if roster is not None else None
        name = (r["name"] if r is not None and r["name"] else "") or names.get(s, "")
        first = r["first_name"] if r is not None and r["first_name"] else _split_name(name)[0]
        last = r["last_name"] if r is not None and r["last_name"] else _split_name(name)[1]
        if system == "canvas":
            display = f"{last}, {first}" if last and first else (name or s)
            rows.append({"_student": s, "Student": display,
                         "ID": r["canvas_id"] if r is not None else "",
                         "SIS User ID": r["sis_user_id"] if r is not None else "",
                         "SIS Login ID": r["sis_login_id"] if r is not None and r["sis_login_id"] else (
                             "" if r is not None else s),
                         "Section": r["section"] if r is not None else ""})
        else:
            rows.append({"_student": s, "First name": first, "Last name": last,
                         "ID number": r["idnumber"] if r is not None and r["idnumber"] else (
                             "" if r is not None else s),
                         "Email address": r["email"] if r is not None else ""})
    return pd.DataFrame(rows), unmatched


def _table(system: str, scores: pd.DataFrame, *, roster=None, names=None, points=None, missing="") -> pd.DataFrame:
    check_choice("system", system, SYSTEMS)
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"`scores` must be a DataFrame (rows: students, columns: items), got {type(scores).__name__}")
    if roster is not None and not isinstance(roster, pd.DataFrame):
        roster = read_roster(roster)
    names = dict(names or {})
    ident, unmatched = _identity(system, [str(s) for s in scores.index], roster, names)
    body = scores.copy()
    body.index = [str(s) for s in body.index]
    merged = ident.join(body, on="_student")
    for c in body.columns:
        merged[c] = merged[c].map(lambda v: missing if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    merged = merged.drop(columns="_student")
    if points is not None and system == "canvas":
        head = {c: "" for c in CANVAS_ID_COLUMNS}
        head["Student"] = POINTS_POSSIBLE
        head.update({c: points.get(c, "") for c in body.columns})
        merged = pd.concat([pd.DataFrame([head]), merged], ignore_index=True)
    merged.attrs["unmatched"] = unmatched
    return merged


def gradebook_table(grades: pd.DataFrame, system: str, *, assignment: str, points=None, roster=None,
                    names=None) -> pd.DataFrame:
    """A gradebook of ``make grade`` (``student``, one column per question,
    ``total``; the ``notes`` column is dropped) in ``system``'s import layout.
    Columns are named ``<assignment> <question>`` and ``<assignment> total``;
    ``points`` maps question → points possible (the total is their sum)."""
    check_str("assignment", assignment)
    if not isinstance(grades, pd.DataFrame) or "student" not in grades.columns or "total" not in grades.columns:
        raise ValueError(f"`grades` must be a gradebook table with 'student' and 'total' columns, got "
                         f"{list(getattr(grades, 'columns', []))}")
    questions = [c for c in grades.columns if c not in ("student", "total", "notes")]
    scores = grades.set_index(grades["student"].astype(str))[questions + ["total"]]
    scores.columns = [f"{assignment} {c}" for c in questions] + [f"{assignment} total"]
    pts = None
    if points is not None:
        pts = {f"{assignment} {q}": points[q] for q in questions if q in points}
        pts[f"{assignment} total"] = sum(points[q] for q in questions if q in points)
    return _table(system, scores, roster=roster, names=names, points=pts)


def participation_table(participation: pd.DataFrame, system: str, *, case: str, roster=None,
                        names=None) -> pd.DataFrame:
    """Participation (:func:`casekit.classstats.participation`: 1 answered,
    0 not, per question) in ``system``'s import layout, one column per
    question named ``<case> <question>`` plus ``<case> answered`` (how many
    it answered); a roster student without a file gets 0s."""
    check_str("case", case)
    if not isinstance(participation, pd.DataFrame):
        raise TypeError(f"`participation` must be a DataFrame (classstats.participation(...)), "
                        f"got {type(participation).__name__}")
    scores = participation.copy()
    scores.columns = [f"{case} {c}" for c in scores.columns]
    scores[f"{case} answered"] = participation.sum(axis=1)
    points = {c: 1 for c in scores.columns}
    points[f"{case} answered"] = participation.shape[1]
    return _table(system, scores, roster=roster, names=names, points=points, missing=0)


def grades_from_csv(csv_path, system: str, *, roster=None, course_dir=None) -> pd.DataFrame:
    """The gradebook CSV of ``make grade`` (``grades_<assignment>.csv``) in
    ``system``'s layout, with the points of each question from its master."""
    check_choice("system", system, SYSTEMS)
    for name, value in (("csv_path", csv_path), ("course_dir", course_dir)):
        if (value is not None or name == "csv_path") and (
                isinstance(value, bool) or not isinstance(value, (str, os.PathLike))):
            raise TypeError(f"`{name}` must be a path, got {value!r:.80} ({type(value).__name__})")
    if roster is not None and not isinstance(roster, pd.DataFrame):
        roster = read_roster(roster)
    p = Path(csv_path)
    if not p.is_file():
        raise ValueError(f"`csv_path` must be a gradebook CSV written by make grade, got {str(csv_path)!r} "
                         f"(no such file)")
    assignment = p.stem.removeprefix("grades_")
    grades = pd.read_csv(p, dtype={"student": str}, keep_default_na=True, encoding="utf-8")
    points = None
    try:
        from . import grading  # noqa: PLC0415 (nbgrader: the instructor extra)

        master = grading.masters(course_dir).get(assignment)
        if master is not None:
            points = {q.name: q.points for q in grading.questions(master)}
    except (ImportError, FileNotFoundError):
        points = None
    return gradebook_table(grades, system, assignment=assignment, points=points, roster=roster)


def write_csv(table: pd.DataFrame, path) -> Path:
    """Write an import table as UTF-8 CSV (every field quoted where needed)."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`table` must be a DataFrame (gradebook_table or participation_table), "
                        f"got {type(table).__name__}")
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a file path, got {path!r:.80} ({type(path).__name__})")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(p, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return p


def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casekit.lms", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grades", help="a make-grade gradebook CSV in Canvas's or Moodle's import layout")
    g.add_argument("csv")
    g.add_argument("--system", required=True, choices=SYSTEMS)
    g.add_argument("--roster", default=None)
    g.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    try:
        table = grades_from_csv(args.csv, args.system, roster=args.roster)
    except (TypeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(args.csv).with_name(f"{Path(args.csv).stem}_{args.system}.csv")
    write_csv(table, out)
    print(f"wrote {out}")
    for s in table.attrs.get("unmatched", []):
        print(f"warning: student {s!r} is not in the roster: left out of {out.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
