"""A class's answer files: where they are, and reading them all at once.

The class view (:mod:`casekit.classview`) and the participation export
(:mod:`casekit.lms`) read a class with :func:`load_class`. Three places are
understood (``layout``):

``"lms"``
    A folder of files handed in through an LMS and downloaded in one go.
    Each file is one student's ``answers/<notebook>.json``. The student is
    known by the first of: a folder per student (Moodle's
    ``<Full Name>_<id>_assignsubmission_file_`` gives name and id; any other
    folder name is the id), Canvas's file names
    (``<name>_<user id>_<submission id>_<file>`` gives the user id), the
    ``student`` field of the file, the file name.
``"hub"``
    The home folders of a JupyterHub, e.g. The Littlest JupyterHub's
    ``/home/jupyter-<user>``: every ``answers/*.json`` under each home
    folder (``<home>/**/notebooks/answers/``), the student being the user
    name without the ``jupyter-`` prefix.
``"exchange"``
    nbgrader's exchange: ``<exchange>/<course>/inbound/<student>+<assignment>+<time>/``,
    the student being the part before the first ``+``; where a student
    submitted more than once, only the latest submission of each assignment
    is read.
``"auto"`` (default)
    ``exchange`` for a folder named ``inbound`` or holding ``*/inbound``;
    ``hub`` for a folder holding ``jupyter-*`` folders; else ``lms``.

Every file that cannot be used is listed in :attr:`ClassAnswers.problems`
with a reason, and the class goes on: not JSON, half written (a truncated
file, or a ``.tmp`` file of a save in progress), foreign (valid JSON but not
a casekit answers file), set aside by the student's notebook (``*.corrupt-*``),
too large, unreadable.
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
]

LAYOUTS = ("auto", "lms", "hub", "exchange")
HUB_PREFIX = "jupyter-"
MAX_DEPTH = 8
"""Folder levels searched below a home folder or a submission."""

_MOODLE_DIR = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_\w*$")
_CANVAS_FILE = re.compile(r"^(?P<name>[a-z0-9\-]+?)(?:_late)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<rest>.+)$")
_SKIP_DIRS = {".git", ".ipynb_checkpoints", "__pycache__", "node_modules", ".cache", ".local", ".venv"}


@dataclass(frozen=True)
class AnswerFile:
    """One file found for the class: the student's id (and name where the
    source gives one) and where it is."""

    path: Path
    student: str
    name: str = ""


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
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    students: list
    source: str
    layout: str
    files: int = 0
    names: dict = field(default_factory=dict)

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


def _walk_json(folder: Path, depth: int = MAX_DEPTH):
    """Every file under ``folder`` that ends in .json or .tmp (answers files,
    and the temporary files of a save in progress), without following links
    out of the tree or going deeper than ``depth``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):
                if depth > 0 and e.name not in _SKIP_DIRS:
                    yield from _walk_json(Path(e.path), depth - 1)
            elif e.is_file(follow_symlinks=False) and (e.name.endswith(".json") or e.name.endswith(".tmp")):
                yield Path(e.path)
        except OSError:
            continue


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
        student, name = "", ""
        if len(rel) > 1:
            top = rel[0]
            m = _MOODLE_DIR.match(top)
            if m:
                student, name = m["id"], m["name"].strip()
            elif top != "answers":
                student = top
        if not student:
            m = _CANVAS_FILE.match(p.name)
            if m:
                student = m["id"]
        out.append(AnswerFile(p, student, name))
    return out


def _hub_files(root: Path) -> list[AnswerFile]:
    out = []
    try:
        homes = sorted((e for e in os.scandir(root) if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
    except OSError as exc:
        raise ValueError(f"`source` must be a readable folder of home folders, got {root} ({exc.strerror})") from None
    for home in homes:
        user = home.name[len(HUB_PREFIX):] if home.name.startswith(HUB_PREFIX) else home.name
        for p in _walk_json(Path(home.path)):
            if p.parent.name == "answers":
                out.append(AnswerFile(p, user))
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
    "half_written": "half written: the temporary file of a save in progress (the finished file replaces it)",
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
    if name.endswith(".tmp"):
        return "half_written", ""
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


def load_class(source, layout: str = "auto") -> ClassAnswers:
    """Read every answer file of a class into one :class:`ClassAnswers`.

    ``source`` is a folder; ``layout`` one of :data:`LAYOUTS`. A file that
    cannot be used never stops the class: it is listed in ``problems``
    (``file``, ``student``, ``kind`` of :data:`PROBLEMS`, ``detail``,
    ``reason`` in English).
    """
    found, layout = find_files(source, layout)
    rows, problems, students, names = [], [], set(), {}
    for f in found:
        data = None
        problem = None
        if f.path.name.endswith(".tmp") or ".corrupt-" in f.path.name:
            problem = _problem(f.path)
        else:
            try:
                data = read_answers_file(f.path)
            except (OSError, ValueError, MemoryError):
                problem = _problem(f.path) or ("unreadable", "changed while read")
        student = f.student or (data or {}).get("student", "") or f.path.stem
        students.add(student)
        if problem is not None:
            kind, detail = problem
            problems.append({"file": str(f.path), "student": student, "kind": kind, "detail": detail,
                             "reason": PROBLEMS[kind].format(detail=detail)})
            continue
        name = f.name or data.get("student", "")
        if name:
            names[student] = name
        for qid, entry in data["answers"].items():
            rows.append((student, name, str(f.path), data.get("notebook"), data.get("case"), qid,
                         entry.get("text", ""), list(entry.get("checked", [])), entry.get("vote"),
                         entry.get("updated")))
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
                        names=names)

