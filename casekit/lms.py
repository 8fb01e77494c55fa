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

Canvas reads ``ID`` as its own user id and the SIS columns as logins
(``app/models/gradebook_importer.rb``, ``process_student``); Moodle can
identify a user by id, ID number, email address or username
(``grade/import/csv/classes/load_data.php``, ``map_user_data_with_value``).

**Matching students.** The answers know a student by a course id (a folder
or user name: ``s001``, ``jupyter-alice`` → ``alice``, an nbgrader id), by
Canvas's user id (Canvas's file names), or by a Moodle participant id
(Moodle's file names: it means nothing outside the assignment). A roster
CSV maps them to the LMS: any of ``student`` (the course's id),
``name``, ``first_name``, ``last_name``, ``canvas_id``, ``sis_user_id``,
``sis_login_id``, ``section``, ``idnumber``, ``email``, ``username``
(export the LMS's gradebook or participants once and copy the columns
over); :func:`match_student` says how a row is found. With a roster, every
roster student gets a row (no score: an empty cell, which leaves the LMS's
grade alone; no answers file: participation 0) and a student the roster
lacks is *not* written, but listed in ``table.attrs["unmatched"]``. Without
a roster, a Canvas user id goes to ``ID``, a course id to ``SIS Login ID``
(Canvas) and to ``ID number`` or, with ``moodle_user="username"``, a
``Username`` column (Moodle); a Moodle participant id goes nowhere. Every
student written without an id the LMS can match is in
``table.attrs["no_id"]``; ``table.attrs["notes"]`` says both in words (the
command line and the class view show them).

**One graded item.** Every score column becomes a graded item in the LMS.
``columns="total"`` (``COLUMNS=total``) writes the total only.

Command line (``make grade … LMS=canvas,moodle ROSTER=roster.csv`` runs the
first after grading)::

    python -m casekit.lms grades exercises/grades_toolkit.csv --system canvas [--roster R]
                             [--columns all|total] [--moodle-id idnumber|username] [--out F]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import unicodedata
from pathlib import Path

import pandas as pd

from ._checks import check_choice, check_str

__all__ = ["SYSTEMS", "COLUMN_CHOICES", "MOODLE_USER", "ROSTER_COLUMNS", "read_roster", "match_student",
           "gradebook_table", "participation_table", "export_notes", "grades_from_csv", "write_csv"]

SYSTEMS = ("canvas", "moodle")
COLUMN_CHOICES = ("all", "total")
"""``columns``: every question and the total, or the total only (one
graded item in the LMS per export)."""
MOODLE_USER = ("idnumber", "username")
"""``moodle_user``: the Moodle user field the course's id fills without a
roster (``username`` adds a ``Username`` column: TLJH logins are usernames)."""
ROSTER_COLUMNS = ("student", "name", "first_name", "last_name", "canvas_id", "sis_user_id", "sis_login_id",
                  "section", "idnumber", "email", "username")
ROSTER_KEYS = ("student", "username", "sis_login_id", "email", "idnumber", "canvas_id", "sis_user_id", "name")
"""A roster row is known by the first of these it fills."""
CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ID_COLUMNS = ["First name", "Last name", "ID number", "Email address"]
POINTS_POSSIBLE = "    Points Possible"


def read_roster(roster) -> pd.DataFrame:
    """A roster CSV (see the module docstring), indexed by each student's key
    (``student``, else the first of :data:`ROSTER_KEYS` the row fills);
    every cell text. ValueError naming the file and the rule when it is not one."""
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
    unknown = set(table.columns) - set(ROSTER_COLUMNS)
    if unknown:
        raise ValueError(f"`roster` columns must be among {list(ROSTER_COLUMNS)}, got unknown {sorted(unknown)} "
                         f"in {str(path)!r}")
    if not set(table.columns) & set(ROSTER_KEYS):
        raise ValueError(f"`roster` must have a column that names each student (one of {list(ROSTER_KEYS)}), "
                         f"got columns {list(table.columns)} in {str(path)!r}")
    for c in ROSTER_COLUMNS:
        table[c] = table[c].str.strip() if c in table.columns else ""
    keys = table[list(ROSTER_KEYS)].apply(lambda r: next((v for v in r if v), ""), axis=1)
    dup = keys[keys.duplicated()].tolist()
    if dup or (keys == "").any():
        raise ValueError(f"`roster` must list each student once, each with an id, user name, email or name, "
                         f"got duplicates {dup[:5]} or a row with none of them in {str(path)!r}")
    table.index = pd.Index(keys, name="student")
    return table.drop(columns="student")


def _norm_name(name: str) -> str:
    """A name for comparing: NFC (an NFD name from an older Mac's unzip
    equals the roster's), commas as spaces, spaces collapsed, case folded."""
    return unicodedata.normalize("NFC", " ".join(str(name).replace(",", " ").split())).casefold()


def _roster_names(row) -> set:
    out = {_norm_name(row["name"])} if row["name"] else set()
    if row["first_name"] or row["last_name"]:
        out |= {_norm_name(f"{row['first_name']} {row['last_name']}"),
                _norm_name(f"{row['last_name']} {row['first_name']}"),
                _norm_name(f"{row['last_name']}{row['first_name']}")}
    return out - {""}


def match_student(roster: pd.DataFrame, student: str, *, kind: str = "course", name: str = ""):
    """The roster key of a student found in the answers, or None.

    A Canvas user id (``kind="canvas_user"``) is looked up in ``canvas_id``;
    a course id in the roster's key, ``username``, ``sis_login_id``,
    ``email`` or ``idnumber``. A Moodle participant id means nothing outside
    its assignment, so that student is matched by ``name`` (the roster's
    ``name``, or first and last name, in either order, case ignored), as is
    any student the ids do not match. A name shared by two roster students
    matches neither."""
    if not isinstance(roster, pd.DataFrame) or not set(ROSTER_COLUMNS[1:]) <= set(roster.columns):
        raise TypeError(f"`roster` must be a roster table (lms.read_roster(...)), got {type(roster).__name__}")
    if isinstance(student, bool) or not isinstance(student, (str, int)):
        raise TypeError(f"`student` must be an id (text), got {student!r:.80} ({type(student).__name__})")
    from .classroom import ID_KINDS  # noqa: PLC0415 (classroom imports this module lazily)

    check_choice("kind", kind, ID_KINDS)
    if not isinstance(name, str):
        raise TypeError(f"`name` must be text, got {name!r:.80} ({type(name).__name__})")
    student = str(student)
    if kind == "canvas_user":
        hit = roster.index[roster["canvas_id"] == student]
        if len(hit) == 1:
            return hit[0]
    elif kind in ("course", "file_field"):
        if student in roster.index:
            return student
        for col in ("username", "sis_login_id", "email", "idnumber"):
            hit = roster.index[roster[col] == student]
            if len(hit) == 1:
                return hit[0]
    if name:
        want = _norm_name(name)
        hit = [k for k, row in roster.iterrows() if want in _roster_names(row)]
        if len(hit) == 1:
            return hit[0]
    return None


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def _identity(system: str, keys, roster: pd.DataFrame | None, names: dict, kinds: dict,
              moodle_user: str) -> tuple[pd.DataFrame, list]:
    """The identity columns of each student, and the students written
    without an id the LMS can match (Moodle participant ids without a roster)."""
    rows, no_id, from_file = [], [], []
    for s in keys:
        r = roster.loc[s] if roster is not None else None
        kind = "course" if r is not None else kinds.get(s, "course")
        if kind == "file_field":
            from_file.append(s)
        name = (r["name"] if r is not None and r["name"] else "") or names.get(s, "")
        first = r["first_name"] if r is not None and r["first_name"] else _split_name(name)[0]
        last = r["last_name"] if r is not None and r["last_name"] else _split_name(name)[1]
        get = (lambda c: r[c]) if r is not None else (lambda c: "")
        if system == "canvas":
            display = f"{last}, {first}" if last and first else (name or s)
            row = {"_student": s, "Student": display, "ID": get("canvas_id"), "SIS User ID": get("sis_user_id"),
                   "SIS Login ID": get("sis_login_id"), "Section": get("section")}
            if r is None and kind == "canvas_user":
                row["ID"] = s  # Canvas matches ID against its user id (gradebook_importer.rb)
            elif r is None and kind in ("course", "file_field"):
                row["SIS Login ID"] = s
            if not (row["ID"] or row["SIS User ID"] or row["SIS Login ID"]):
                no_id.append(s)
        else:
            row = {"_student": s, "First name": first, "Last name": last, "ID number": get("idnumber"),
                   "Email address": get("email")}
            if moodle_user == "username":
                row["Username"] = get("username")
            if r is None and kind in ("course", "file_field"):
                row["Username" if moodle_user == "username" else "ID number"] = s
            if not (row["ID number"] or row["Email address"] or row.get("Username")):
                no_id.append(s)
        rows.append(row)
    return pd.DataFrame(rows), no_id, from_file


def _table(system: str, scores: pd.DataFrame, *, roster=None, names=None, points=None, missing="",
           id_kinds=None, moodle_user="idnumber") -> pd.DataFrame:
    check_choice("system", system, SYSTEMS)
    check_choice("moodle_user", moodle_user, MOODLE_USER)
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"`scores` must be a DataFrame (rows: students, columns: items), got {type(scores).__name__}")
    if roster is not None and not isinstance(roster, pd.DataFrame):
        roster = read_roster(roster)
    names = dict(names or {})
    kinds = dict(id_kinds or {})
    body = scores.copy()
    body.index = [str(s) for s in body.index]
    unmatched = []
    if roster is not None:
        # Rows may already be the roster's keys (a class read with the roster);
        # else match each student of the course to the roster.
        keys = {}
        for s in body.index:
            k = match_student(roster, s, kind=kinds.get(s, "course"), name=names.get(s, ""))
            if k is None or k in keys.values():
                unmatched.append(s)
            else:
                keys[s] = k
        body = body.loc[list(keys)].rename(index=keys)
        order = list(roster.index)
    else:
        order = list(body.index)
    ident, no_id, from_file = _identity(system, order, roster, names, kinds, moodle_user)
    merged = ident.join(body, on="_student")
    for c in body.columns:
        merged[c] = merged[c].map(lambda v: missing if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    merged = merged.drop(columns="_student")
    if points is not None and system == "canvas":
        head = {c: "" for c in CANVAS_ID_COLUMNS}
        head["Student"] = POINTS_POSSIBLE
        head.update({c: points.get(c, "") for c in body.columns})
        merged = pd.concat([pd.DataFrame([head]), merged], ignore_index=True)
    merged.attrs["unmatched"] = sorted(unmatched)
    merged.attrs["no_id"] = no_id
    merged.attrs["from_file"] = from_file
    merged.attrs["notes"] = export_notes(merged, system)
    return merged


def export_notes(table: pd.DataFrame, system: str) -> list[str]:
    """What an instructor must know before importing ``table`` (English): who
    was left out because the roster lacks them, who is written without an id
    the LMS can match."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"`table` must be an import table (gradebook_table or participation_table), "
                        f"got {type(table).__name__}")
    check_choice("system", system, SYSTEMS)
    notes = [f"{s!r} is not in the roster: left out" for s in table.attrs.get("unmatched", [])]
    where = "ID, SIS User ID or SIS Login ID" if system == "canvas" else "ID number, Email address or Username"
    notes += [f"{s!r} has no {where} (a Moodle participant id or no roster entry): give a roster (ROSTER=) "
              f"or match the row by hand" for s in table.attrs.get("no_id", [])]
    column = "SIS Login ID" if system == "canvas" else "ID number (or Username)"
    notes += [f"{s!r} is written to {column} from the student field inside the file (the file's name did "
              f"not give an id): check it is the student's login before importing, or give a roster (ROSTER=)"
              for s in table.attrs.get("from_file", [])]
    return notes


def _keep(columns: str, scores: pd.DataFrame, total: str) -> pd.DataFrame:
    check_choice("columns", columns, COLUMN_CHOICES)
    return scores[[total]] if columns == "total" else scores


def gradebook_table(grades: pd.DataFrame, system: str, *, assignment: str, points=None, roster=None,
                    names=None, columns: str = "all", moodle_user: str = "idnumber") -> pd.DataFrame:
    """A gradebook of ``make grade`` (``student``, one column per question,
    ``total``; the ``notes`` column is dropped) in ``system``'s import layout.
    Columns are named ``<assignment> <question>`` and ``<assignment> total``
    (only the total with ``columns="total"``); ``points`` maps question →
    points possible (the total is their sum)."""
    check_str("assignment", assignment)
    if not isinstance(grades, pd.DataFrame) or "student" not in grades.columns or "total" not in grades.columns:
        raise ValueError(f"`grades` must be a gradebook table with 'student' and 'total' columns, got "
                         f"{list(getattr(grades, 'columns', []))}")
    questions = [c for c in grades.columns if c not in ("student", "total", "notes")]
    scores = grades.set_index(grades["student"].astype(str))[questions + ["total"]]
    scores.columns = [f"{assignment} {c}" for c in questions] + [f"{assignment} total"]
    scores = _keep(columns, scores, f"{assignment} total")
    pts = None
    if points is not None:
        pts = {f"{assignment} {q}": points[q] for q in questions if q in points}
        pts[f"{assignment} total"] = sum(points[q] for q in questions if q in points)
    return _table(system, scores, roster=roster, names=names, points=pts, moodle_user=moodle_user)


def participation_table(participation: pd.DataFrame, system: str, *, case: str, roster=None,
                        names=None, id_kinds=None, columns: str = "all",
                        moodle_user: str = "idnumber") -> pd.DataFrame:
    """Participation (:func:`casekit.classstats.participation`: 1 answered,
    0 not, per question) in ``system``'s import layout, one column per
    question named ``<case> <question>`` plus ``<case> answered`` (how many
    it answered; only that column with ``columns="total"``); a roster
    student without a file gets 0s. ``id_kinds`` (``ClassAnswers.id_kinds``)
    says which ids are Canvas user ids or Moodle participant ids."""
    check_str("case", case)
    if not isinstance(participation, pd.DataFrame):
        raise TypeError(f"`participation` must be a DataFrame (classstats.participation(...)), "
                        f"got {type(participation).__name__}")
    scores = participation.copy()
    scores.columns = [f"{case} {c}" for c in scores.columns]
    scores[f"{case} answered"] = participation.sum(axis=1)
    points = {c: 1 for c in scores.columns}
    points[f"{case} answered"] = participation.shape[1]
    scores = _keep(columns, scores, f"{case} answered")
    return _table(system, scores, roster=roster, names=names, points=points, missing=0, id_kinds=id_kinds,
                  moodle_user=moodle_user)


def grades_from_csv(csv_path, system: str, *, roster=None, course_dir=None, columns: str = "all",
                    moodle_user: str = "idnumber") -> pd.DataFrame:
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
    return gradebook_table(grades, system, assignment=assignment, points=points, roster=roster, columns=columns,
                           moodle_user=moodle_user)


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
    g.add_argument("--columns", default="all", choices=COLUMN_CHOICES, help="total: the total column only")
    g.add_argument("--moodle-id", default="idnumber", choices=MOODLE_USER,
                   help="Moodle field for the course's id without a roster")
    g.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    try:
        table = grades_from_csv(args.csv, args.system, roster=args.roster, columns=args.columns,
                                moodle_user=args.moodle_id)
    except (TypeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(args.csv).with_name(f"{Path(args.csv).stem}_{args.system}.csv")
    write_csv(table, out)
    print(f"wrote {out}")
    for note in table.attrs.get("notes", []):
        print(f"warning ({out.name}): {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
