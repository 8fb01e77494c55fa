"""A student's answers, saved to disk so nothing is lost.

One JSON file per notebook, in a folder the student can write to:
``$CASEKIT_ANSWERS_DIR`` if set, else ``answers/`` under the working folder
(the notebook's folder when run in Jupyter).

Guarantees
----------
* Every change is written at once and atomically (a temporary file in the
  same folder, flushed to disk, then renamed over the old one), so a crash or
  a killed kernel mid-write leaves either the old or the new file, never half.
* Reopening the notebook (or restarting the kernel) reloads the answers.
* A corrupt or half-written file is never overwritten: it is moved aside to
  ``<name>.corrupt-<time>.json`` and :attr:`AnswerBook.notice` tells the
  student where it went.

The file format (``"format": "casekit-answers"``, version 1) is plain JSON
so that an instructor can collect a class's files with :func:`collect`::

    {"format": "casekit-answers", "version": 1,
     "notebook": "05_hotel_guarantee", "case": "hotel_guarantee",
     "student": "",
     "answers": {"q1": {"text": "...", "checked": [0, 2],
                        "updated": "2026-11-23T10:00:00+00:00"}}}
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from ._checks import check_str

__all__ = [
    "ANSWERS_ENV",
    "FORMAT",
    "VERSION",
    "answers_dir",
    "AnswerBook",
    "CorruptAnswersWarning",
    "collect",
]

ANSWERS_ENV = "CASEKIT_ANSWERS_DIR"
STUDENT_ENV = "CASEKIT_STUDENT"
FORMAT = "casekit-answers"
VERSION = 1


class CorruptAnswersWarning(UserWarning):
    """An answers file could not be read and was moved aside."""


def answers_dir() -> Path:
    """The folder answers are saved in (not created until the first save)."""
    env = os.environ.get(ANSWERS_ENV, "").strip()
    return Path(env).expanduser() if env else Path.cwd() / "answers"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _valid_name(name: str) -> str:
    check_str("notebook", name)
    if any(ch in name for ch in '/\\:*?"<>|') or name.startswith("."):
        raise ValueError(
            f"`notebook` must be a plain name such as '05_hotel_guarantee' "
            f"(no folders or special characters), got {name!r}"
        )
    return name[:-6] if name.endswith(".ipynb") else name


def _check_payload(data) -> dict:
    """Raise ValueError unless ``data`` is a version-1 answers document."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a casekit answers file")
    if data.get("version") != VERSION:
        raise ValueError(f"unknown version {data.get('version')!r}")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise ValueError("'answers' is not a mapping")
    for qid, entry in answers.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("text", ""), str):
            raise ValueError(f"answer {qid!r} is malformed")
        checked = entry.get("checked", [])
        if not isinstance(checked, list) or not all(isinstance(i, int) for i in checked):
            raise ValueError(f"answer {qid!r} has a malformed checklist")
    return data


class AnswerBook:
    """The saved answers of one notebook.

    Parameters
    ----------
    notebook : str
        Notebook name without folder, e.g. ``"05_hotel_guarantee"``.
    case : str, optional
        Case id from the registry, stored in the file for collection.
    folder : path, optional
        Where to save; defaults to :func:`answers_dir`.

    Examples
    --------
    >>> import tempfile
    >>> book = AnswerBook("demo", folder=tempfile.mkdtemp())
    >>> book.save("q1", text="Payout cost and cheating.")
    >>> AnswerBook("demo", folder=book.folder).text("q1")
    'Payout cost and cheating.'
    """

    def __init__(self, notebook: str, *, case: str | None = None, folder=None):
        self.notebook = _valid_name(notebook)
        self.case = case
        self.folder = Path(folder) if folder is not None else answers_dir()
        self.path = self.folder / f"{self.notebook}.json"
        self.notice: str | None = None
        self._data = self._load()

    # -- reading ---------------------------------------------------------
    def _empty(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "notebook": self.notebook,
                "case": self.case, "student": os.environ.get(STUDENT_ENV, ""),
                "answers": {}}

    def _load(self) -> dict:
        if not self.path.exists():
            return self._empty()
        try:
            data = _check_payload(json.loads(self.path.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            moved = self._move_aside()
            self.notice = (
                f"Your saved answers file {self.path.name} could not be read ({exc}). "
                f"It was kept as {moved.name} in {self.folder}; a new file is started. "
                "Copy any text you need from the kept file."
            )
            warnings.warn(self.notice, CorruptAnswersWarning, stacklevel=3)
            return self._empty()
        return data

    def _move_aside(self) -> Path:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.notebook}.corrupt-{stamp}.json")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.notebook}.corrupt-{stamp}-{n}.json")
        os.replace(self.path, target)
        return target

    def reload(self) -> None:
        """Read the file again (e.g. after another tab saved)."""
        self._data = self._load()

    def get(self, question: str) -> dict:
        """The stored entry for a question: ``text``, ``checked``, ``updated``."""
        entry = self._data["answers"].get(question, {})
        return {"text": entry.get("text", ""), "checked": list(entry.get("checked", [])),
                "updated": entry.get("updated")}

    def text(self, question: str) -> str:
        return self.get(question)["text"]

    def checked(self, question: str) -> list[int]:
        return self.get(question)["checked"]

    @property
    def questions(self) -> list[str]:
        return list(self._data["answers"])

    @property
    def student(self) -> str:
        return self._data.get("student", "")

    @student.setter
    def student(self, name: str) -> None:
        self._data["student"] = check_str("student", name, allow_empty=True)
        self._write()

    # -- writing ---------------------------------------------------------
    def save(self, question: str, *, text: str | None = None, checked=None) -> None:
        """Save one question's answer at once (text, checklist or both)."""
        check_str("question", question)
        if text is not None:
            check_str("text", text, allow_empty=True)
        if checked is not None:
            checked = sorted({int(i) for i in checked})
        # Merge with what is on disk, so two widgets (or a re-run cell) never
        # overwrite each other's questions.
        if self.path.exists():
            try:
                disk = _check_payload(json.loads(self.path.read_text(encoding="utf-8")))
                mine = self._data["answers"].get(question)
                self._data["answers"] = dict(disk["answers"])
                if mine is not None:
                    self._data["answers"][question] = mine
            except (ValueError, UnicodeDecodeError, OSError):
                self._data = self._load()
        entry = self._data["answers"].setdefault(question, {"text": "", "checked": []})
        if text is not None:
            entry["text"] = text
        if checked is not None:
            entry["checked"] = checked
        entry["updated"] = _now()
        if self.case is not None:
            self._data["case"] = self.case
        self._write()

    def _write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(self._data, ensure_ascii=False, indent=1).encode("utf-8")
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{self.notebook}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
            dfd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    # -- export ----------------------------------------------------------
    def to_markdown(self, *, questions=None) -> str:
        """The answers as Markdown, for handing in.

        ``questions`` maps question id → question text, to print the question
        above each answer (defaults to the ids).
        """
        lines = [f"# Answers: {self.notebook}", ""]
        if self.student:
            lines += [f"Student: {self.student}", ""]
        ids = list(questions) if questions else self.questions
        for qid in ids:
            title = questions[qid] if questions else qid
            entry = self.get(qid)
            lines += [f"## {title}", "", entry["text"].strip() or "_(no answer yet)_", ""]
        return "\n".join(lines)

    def export_markdown(self, path=None, *, questions=None) -> Path:
        """Write :meth:`to_markdown` to ``path`` (default: beside the JSON)."""
        target = Path(path) if path is not None else self.path.with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.to_markdown(questions=questions), encoding="utf-8")
        return target

    def __repr__(self) -> str:
        return f"AnswerBook({self.notebook!r}, answered={len(self.questions)})"


def collect(paths) -> pd.DataFrame:
    """Read many students' answer files into one table (class mode).

    Parameters
    ----------
    paths : iterable of paths, or one folder (searched recursively for *.json)

    Returns
    -------
    DataFrame with ``file``, ``student``, ``notebook``, ``case``, ``question``,
    ``text``, ``words``, ``checked`` (number of key points ticked) and
    ``updated``. Files that are not valid answer files are skipped with a
    warning naming them.
    """
    if isinstance(paths, (str, os.PathLike)):
        folder = Path(paths)
        if not folder.is_dir():
            raise ValueError(f"`paths` must be a folder or a list of files; {folder} is not a folder")
        paths = sorted(p for p in folder.rglob("*.json") if ".corrupt-" not in p.name)
    rows = []
    for p in paths:
        p = Path(p)
        try:
            data = _check_payload(json.loads(p.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            warnings.warn(f"skipped {p}: {exc}", CorruptAnswersWarning, stacklevel=2)
            continue
        for qid, entry in data["answers"].items():
            text = entry.get("text", "")
            rows.append({"file": str(p), "student": data.get("student", ""),
                         "notebook": data.get("notebook"), "case": data.get("case"),
                         "question": qid, "text": text, "words": len(text.split()),
                         "checked": len(entry.get("checked", [])),
                         "updated": entry.get("updated")})
    cols = ["file", "student", "notebook", "case", "question", "text", "words", "checked", "updated"]
    return pd.DataFrame(rows, columns=cols)
