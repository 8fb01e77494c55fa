"""A class's answer files: where they are, and reading them all at once.

The class view (:mod:`casekit.classview`) and the participation export
(:mod:`casekit.lms`) read a class with :func:`load_class`. Three places are
understood (``layout``):

``"lms"``
    A folder of files handed in through an LMS and downloaded in one go.
    Each file is one student's ``answers/<notebook>.json``. The student is
    known by the first of: Moodle's names (a folder
    ``<Full Name>_<participant id>_assignsubmission_file_``, or a file
    ``<Full Name>_<participant id>_assignsubmission_file_<file>`` when the
    download has no folders: the name, and a participant id that only this
    assignment knows), any other folder per student (its name is the id),
    Canvas's file names (``<name>_<user id>_<submission id>_<file>``: Canvas's
    user id), the ``student`` field of the file, the file name.
    :attr:`ClassAnswers.id_kinds` records which kind of id each student has
    (:data:`ID_KINDS`), so that an export puts it in the right column.
``"hub"``
    The home folders of a JupyterHub, e.g. The Littlest JupyterHub's
    ``/home/jupyter-<user>``: the ``*.json`` files of every ``answers``
    folder at most :data:`HUB_DEPTH` levels below a home folder, outside
    hidden folders (``.conda``, ``.cache``, ``.local`` … are never walked),
    the student being the user name without the ``jupyter-`` prefix.
``"exchange"``
    nbgrader's exchange: ``<exchange>/<course>/inbound/<student>+<assignment>+<time>/``,
    the student being the part before the first ``+``; where a student
    submitted more than once, only the latest submission of each assignment
    is read.
``"auto"`` (default)
    ``exchange`` for a folder named ``inbound`` or holding ``*/inbound``;
    ``hub`` for a folder holding ``jupyter-*`` folders; else ``lms``.

**Who is the class.** Every student with a file, unless a roster says
otherwise: with ``roster`` (:func:`casekit.lms.read_roster`), the class is
the roster's students, each file is matched to one of them
(:func:`casekit.lms.match_student`) and a file of anyone else (the
instructor's own home folder on a hub, a guest) is left out and named in
:attr:`ClassAnswers.outside`. ``exclude`` leaves out ids or user names
without a roster.

Every file that cannot be used is listed in :attr:`ClassAnswers.problems`
with a reason, and the class goes on: not JSON, half written (a truncated
file), foreign (valid JSON but not a casekit answers file), set aside by the
student's notebook (``*.corrupt-*``), too large, unreadable. The temporary
file of a save in progress (``.<notebook>.*.tmp``, renamed over the answers
file a moment later) is not a problem and is not read.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._checks import check_choice
from .answers import read_answers_file

__all__ = [
    "LAYOUTS",
    "AnswerFile",
    "ClassAnswers",
    "find_files",
    "detect_layout",
    "load_class",
    "student_label",
    "PROBLEMS",
    "ID_KINDS",
]

LAYOUTS = ("auto", "lms", "hub", "exchange")
HUB_PREFIX = "jupyter-"
MAX_DEPTH = 8
"""Folder levels searched below a download folder or a submission."""
HUB_DEPTH = 4
"""Folder levels below a home folder where an ``answers`` folder is looked
for (``~/crm-course/notebooks/answers`` is 3)."""
ID_KINDS = ("course", "canvas_user", "moodle_participant", "file_field")
"""What a student's id is: the course's own (a folder, user or nbgrader
name), the file's own ``student`` field (what the student typed: an export
notes it), Canvas's user id (from Canvas's file
names), or a Moodle participant id (from Moodle's names: it identifies the
student in one assignment only, so only a roster can match it)."""

# Moodle: fullname (underscores made spaces) _ participant id _ plugin _ type _
# (mod/assign/locallib.php, download_submissions); a folder, or the start of
# each file's name in a download without folders.
_MOODLE_DIR = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_$")
_MOODLE_FILE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_(?P<rest>.+)$")
# Canvas: sortable name made lower case, then "_LATE" for late work, the user
# id, the attachment id, the file's name (lib/content_zipper.rb: get_filename
# keeps Unicode word characters, so 黄敏 and josé stay; "LATE" is upper case).
_CANVAS_FILE = re.compile(r"^(?P<name>[\w\-]+?)(?:_late)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<rest>.+)$", re.IGNORECASE)
_SKIP_DIRS = {"__pycache__", "node_modules", "site-packages"}


@dataclass(frozen=True)
class AnswerFile:
    """One file found for the class: the student's id (and name where the
    source gives one) and where it is."""

    path: Path
    student: str
    name: str = ""
    id_kind: str = "course"


@dataclass
class ClassAnswers:
    """A class's answers, read once.

    Attributes
    ----------
    table : DataFrame
        One row per student and question: ``student`` (id), ``name``,
        ``file``, ``notebook``, ``case``, ``question``, ``text``, ``checked``
        (list of key-point numbers), ``vote``, ``updated``.
    problems : DataFrame
        ``file``, ``student``, ``kind``, ``detail``, ``reason``: every file
        that could not be used (see :data:`PROBLEMS`).
    students : list of str
        Every student found (with a usable file or not), sorted.
    source, layout : where the answers were read from.
    names : dict
        Student → name, where a file or the roster gives one.
    id_kinds : dict
        Student → kind of id (:data:`ID_KINDS`); "course" when absent.
    outside : list of (id, name)
        With a roster or ``exclude``: who handed in a file but is not in
        the class (not counted, not shown).
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    students: list
    source: str
    layout: str
    files: int = 0
    names: dict = field(default_factory=dict)
    id_kinds: dict = field(default_factory=dict)
    outside: list = field(default_factory=list)

    @property
    def size(self) -> int:
        """Students in the class (everyone who handed in a file)."""
        return len(self.students)

    def cases(self) -> list[str]:
        return sorted(c for c in self.table["case"].dropna().unique() if c)

    def rows(self, case: str, question: str) -> pd.DataFrame:
        """The rows of one case's question (one per student who saved it)."""
        t = self.table
        return t[(t["case"] == case) & (t["question"] == question)]


def student_label(student: str) -> str:
    """A short anonymous label for a student (the same every time, revealing
    nothing): ``"#3fa2"``."""
    return "#" + hashlib.sha256(str(student).encode("utf-8")).hexdigest()[:4]


def _answer_file(e) -> bool:
    """A ``.json`` file that is not hidden: hidden files are the temporary
    files of a save in progress (``.<notebook>.*.tmp``) and other programs'."""
    return e.name.endswith(".json") and not e.name.startswith(".") and e.is_file(follow_symlinks=False)


def _walk_json(folder: Path, depth: int = MAX_DEPTH):
    """Every answers-like file under ``folder`` (see :func:`_answer_file`),
    without following links out of the tree, entering hidden folders or going
    deeper than ``depth``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):
                if depth > 0 and not e.name.startswith(".") and e.name not in _SKIP_DIRS:
                    yield from _walk_json(Path(e.path), depth - 1)
            elif _answer_file(e):
                yield Path(e.path)
        except OSError:
            continue


def _answers_folders(folder: Path, depth: int = HUB_DEPTH):
    """Every folder named ``answers`` at most ``depth`` levels below
    ``folder``, outside hidden folders; only folders are listed on the way."""
    try:
        entries = sorted((e for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.name.startswith(".") or e.name in _SKIP_DIRS:
            continue
        if e.name == "answers":
            yield Path(e.path)
        elif depth > 1:
            yield from _answers_folders(Path(e.path), depth - 1)


def detect_layout(folder) -> str:
    """``"exchange"``, ``"hub"`` or ``"lms"`` for a folder (see the module docstring)."""
    if isinstance(folder, bool) or not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"`folder` must be a folder path, got {folder!r:.80} ({type(folder).__name__})")
    folder = Path(folder)
    if folder.name == "inbound" or any(p.is_dir() for p in folder.glob("*/inbound")):
        return "exchange"
    try:
        if any(e.is_dir() and e.name.startswith(HUB_PREFIX) for e in os.scandir(folder)):
            return "hub"
    except OSError:
        pass
    return "lms"


def _lms_files(root: Path) -> list[AnswerFile]:
    out = []
    for p in _walk_json(root):
        rel = p.relative_to(root).parts
        student, name, kind = "", "", "course"
        if len(rel) > 1:
            top = rel[0]
            m = _MOODLE_DIR.match(top)
            if m:
                student, name, kind = m["id"], m["name"].strip(), "moodle_participant"
            elif top != "answers":
                student = top
        if not student:
            m = _MOODLE_FILE.match(p.name)
            if m:
                student, name, kind = m["id"], m["name"].strip(), "moodle_participant"
        if not student:
            m = _CANVAS_FILE.match(p.name)
            if m:
                student, kind = m["id"], "canvas_user"
        out.append(AnswerFile(p, student, name, kind))
    return out


def _hub_files(root: Path) -> list[AnswerFile]:
    out = []
    try:
        homes = sorted((e for e in os.scandir(root) if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
    except OSError as exc:
        raise ValueError(f"`source` must be a readable folder of home folders, got {root} ({exc.strerror})") from None
    for home in homes:
        if home.name.startswith("."):
            continue
        user = home.name[len(HUB_PREFIX):] if home.name.startswith(HUB_PREFIX) else home.name
        for answers in _answers_folders(Path(home.path)):
            try:
                files = sorted((e for e in os.scandir(answers) if _answer_file(e)), key=lambda e: e.name)
            except OSError:
                continue
            out.extend(AnswerFile(Path(e.path), user) for e in files)
    return out


def _exchange_files(root: Path) -> list[AnswerFile]:
    inbounds = [root] if root.name == "inbound" else sorted(p for p in root.glob("*/inbound") if p.is_dir())
    latest: dict = {}
    for inbound in inbounds:
        for sub in sorted(p for p in inbound.iterdir() if p.is_dir()):
            parts = sub.name.split("+")
            if len(parts) < 3:
                continue
            student, assignment, stamp = parts[0], parts[1], parts[2]
            key = (inbound, student, assignment)
            if key not in latest or stamp > latest[key][0]:
                latest[key] = (stamp, sub, student)
    out = []
    for _, sub, student in sorted(latest.values(), key=lambda v: str(v[1])):
        out.extend(AnswerFile(p, student) for p in _walk_json(sub))
    return out


def find_files(source, layout: str = "auto") -> tuple[list[AnswerFile], str]:
    """The answer files of a class and the layout used (see the module docstring)."""
    check_choice("layout", layout, LAYOUTS)
    if isinstance(source, bool) or not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"`source` must be a folder path, got {source!r:.80} ({type(source).__name__})")
    root = Path(source).expanduser()
    if not root.is_dir():
        raise ValueError(f"`source` must be a folder of answer files, got {str(source)!r} (no such folder)")
    if layout == "auto":
        layout = detect_layout(root)
    finder = {"lms": _lms_files, "hub": _hub_files, "exchange": _exchange_files}[layout]
    return finder(root), layout


PROBLEMS = {
    "set_aside": "set aside by the student's notebook because it was damaged",
    "empty": "empty file (half written?)",
    "damaged": "damaged or half written: {detail}",
    "foreign": "foreign: valid JSON but not a casekit answers file",
    "invalid": "a casekit answers file with a fault: {detail}",
    "unreadable": "cannot be read ({detail})",
}
"""Kinds of unreadable file (``problems["kind"]``) and their reason in English
(the class view shows them from the message catalogue, ``classview.reason.<kind>``)."""


def _problem(path: Path) -> tuple[str, str] | None:
    """(kind, detail) of a file that cannot be used, or None."""
    name = path.name
    if ".corrupt-" in name:
        return "set_aside", ""
    try:
        read_answers_file(path)
    except OSError as exc:  # the OS's reason only: its message would repeat the path (a user name)
        return "unreadable", exc.strerror or type(exc).__name__
    except (ValueError, MemoryError) as exc:
        detail = str(exc) or type(exc).__name__
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        if size == 0:
            return "empty", ""
        if detail.startswith("not a casekit answers file"):
            return "foreign", ""
        if detail.startswith(("not valid JSON", "not UTF-8", "JSON nested", "file is")):
            return "damaged", detail
        return "invalid", detail
    return None


def _check_exclude(exclude) -> set:
    if exclude is None:
        return set()
    if isinstance(exclude, str):
        exclude = [x for x in exclude.split(",")]
    if not hasattr(exclude, "__iter__") or not all(isinstance(x, str) for x in exclude):
        raise TypeError(f"`exclude` must be ids or user names (a list, or text separated by commas), "
                        f"got {exclude!r:.80}")
    return {x.strip() for x in exclude if x.strip()}


def load_class(source, layout: str = "auto", *, roster=None, exclude=None) -> ClassAnswers:
    """Read every answer file of a class into one :class:`ClassAnswers`.

    ``source`` is a folder; ``layout`` one of :data:`LAYOUTS`. A file that
    cannot be used never stops the class: it is listed in ``problems``
    (``file``, ``student``, ``kind`` of :data:`PROBLEMS`, ``detail``,
    ``reason`` in English).

    ``roster`` (a CSV path or :func:`casekit.lms.read_roster`'s table)
    makes the class the roster's students: students are then the roster's
    keys, and a file nobody in the roster matches is left out (named in
    ``outside``). ``exclude`` (ids or user names) leaves students out.
    """
    found, layout = find_files(source, layout)
    excluded = _check_exclude(exclude)
    if roster is not None:
        from . import lms  # noqa: PLC0415 (lms reads rosters; it does not import this module)

        if not isinstance(roster, pd.DataFrame):
            roster = lms.read_roster(roster)
    rows, problems, names, kinds = [], [], {}, {}
    students = set(roster.index) if roster is not None else set()
    outside: dict = {}
    for f in found:
        data = None
        problem = None
        if ".corrupt-" in f.path.name:
            problem = _problem(f.path)
        else:
            try:
                data = read_answers_file(f.path)
            except (OSError, ValueError, MemoryError):
                problem = _problem(f.path) or ("unreadable", "changed while read")
        student = f.student or (data or {}).get("student", "") or f.path.stem
        name = f.name or (data or {}).get("student", "")
        if not f.student and (data or {}).get("student", ""):
            f = AnswerFile(f.path, student, f.name, "file_field")
        if student in excluded or name in excluded:
            outside[student] = name
            continue
        if roster is not None:
            key = lms.match_student(roster, student, kind=f.id_kind, name=name)
            if key is None:
                outside[student] = name
                continue
            student, kind = key, "course"
            name = roster.loc[key, "name"] or name
        else:
            kind = f.id_kind
        students.add(student)
        if kind != "course":
            kinds[student] = kind
        if problem is not None:
            kind_, detail = problem
            problems.append({"file": str(f.path), "student": student, "kind": kind_, "detail": detail,
                             "reason": PROBLEMS[kind_].format(detail=detail)})
            continue
        if name:
            names[student] = name
        for qid, entry in data["answers"].items():
            rows.append((student, name, str(f.path), data.get("notebook"), data.get("case"), qid,
                         entry.get("text", ""), list(entry.get("checked", [])), entry.get("vote"),
                         entry.get("updated")))
    if roster is not None:
        for key in roster.index:
            if key not in names and roster.loc[key, "name"]:
                names[key] = roster.loc[key, "name"]
    table = pd.DataFrame(rows, columns=["student", "name", "file", "notebook", "case", "question", "text",
                                        "checked", "vote", "updated"])
    # One student may hand in the same notebook twice (two downloads): keep the latest save.
    if not table.empty:
        table = (table.sort_values(["updated", "file"], na_position="first")
                 .drop_duplicates(["student", "case", "question"], keep="last")
                 .sort_values(["case", "question", "student"]).reset_index(drop=True))
    return ClassAnswers(table=table, problems=pd.DataFrame(problems, columns=["file", "student", "kind", "detail",
                                                                           "reason"]),
                        students=sorted(students), source=str(source), layout=layout, files=len(found),
                        names=names, id_kinds=kinds, outside=sorted(outside.items()))
