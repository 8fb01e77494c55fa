"""A student's answers, saved to disk so nothing is lost.

One JSON file per notebook, in a folder the student can write to:
``$CASEKIT_ANSWERS_DIR`` if set, else ``answers/`` under the working folder
(the notebook's folder when run in Jupyter).

Guarantees
----------
* Every change is written at once and atomically (a temporary file in the
  same folder, flushed to disk, then renamed over the old one), so a crash or
  a killed kernel mid-write leaves either the old or the new file, never half.
* Every save *merges*: under a lock (``fcntl.flock`` on a side file
  ``.<name>.lock``), it reads the file on disk, changes one question (or the
  student's name) and writes the file back. Two tabs, or a tab and a reopened
  notebook, saving different questions never lose each other's work. Where
  the operating system or the file system offers no lock, the save still
  merges, without the lock.
* Reopening the notebook (or restarting the kernel) reloads the answers.
* A corrupt, half-written or wrong-shaped file is never overwritten: it is
  moved aside to ``<name>.corrupt-<time>.json`` and :attr:`AnswerBook.notice`
  tells the student where it went. If it cannot be moved (a read-only
  folder), the book opens read-only and :attr:`AnswerBook.notice` says so.

The file format (``"format": "casekit-answers"``, version 1) is plain JSON
so that an instructor can collect a class's files with :func:`collect`::

    {"format": "casekit-answers", "version": 1,
     "notebook": "05_hotel_guarantee", "case": "hotel_guarantee",
     "student": "",
     "answers": {"q1": {"text": "...", "checked": [0, 2],
                        "updated": "2026-11-23T10:00:00+00:00"},
                 "poll:breakeven": {"vote": 1.5, "updated": "..."}}}

A poll's vote (:mod:`casekit.polls`) is saved like any answer, under the
question id ``poll:<poll id>``, as ``vote``: an option id (text) for a choice
poll, a finite number for a number poll. It is saved with the same lock, merge
and atomic rename as a text answer.

Limits (a course needs far less): :data:`MAX_TEXT` characters per answer,
:data:`MAX_KEY_POINTS` key points per question, :data:`MAX_FILE_BYTES` per
answers file, names of at most :data:`MAX_NAME` characters.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import numbers
import os
import tempfile
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

from .i18n import get_language, t
from ._checks import check_str

try:  # POSIX only; elsewhere saves merge without a lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = [
    "ANSWERS_ENV",
    "FORMAT",
    "VERSION",
    "MAX_TEXT",
    "MAX_KEY_POINTS",
    "MAX_NAME",
    "MAX_FILE_BYTES",
    "answers_dir",
    "AnswerBook",
    "CorruptAnswersWarning",
    "collect",
    "check_vote",
    "read_answers_file",
]

ANSWERS_ENV = "CASEKIT_ANSWERS_DIR"
STUDENT_ENV = "CASEKIT_STUDENT"
FORMAT = "casekit-answers"
VERSION = 1
MAX_TEXT = 1_000_000
"""Most characters in one answer (about 150,000 words)."""
MAX_KEY_POINTS = 50
"""Key points per question are numbered 0 … MAX_KEY_POINTS - 1."""
MAX_NAME = 200
"""Most characters in a notebook name, question id or student name."""
MAX_FILE_BYTES = 50_000_000
"""An answers file larger than this is not read (it cannot be a course's)."""
LOCK_TIMEOUT = 10.0
"""Seconds a save waits for another tab's save before giving up."""


_KEEP = object()  # save(): leave the vote as it is


class CorruptAnswersWarning(UserWarning):
    """An answers file could not be read (it was moved aside or skipped)."""


def answers_dir() -> Path:
    """The folder answers are saved in (not created until the first save)."""
    env = os.environ.get(ANSWERS_ENV, "").strip()
    return Path(env).expanduser() if env else Path.cwd() / "answers"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _check_text(name: str, value, *, allow_empty: bool, limit: int, one_line: bool) -> str:
    """Text that can be saved as UTF-8: no lone surrogates, within ``limit``
    characters, and (``one_line``) no line breaks or control characters."""
    check_str(name, value, allow_empty=allow_empty)
    if len(value) > limit:
        raise ValueError(f"`{name}` must have at most {limit:,} characters, got {len(value):,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"`{name}` contains a character that cannot be saved (a broken character "
            f"{value[exc.start]!r} at position {exc.start}); delete it and type it again"
        ) from None
    if one_line:
        bad = [ch for ch in value if ord(ch) < 32 or ord(ch) == 127]
        if bad:
            raise ValueError(
                f"`{name}` must be one line without control characters (no line breaks or tabs), "
                f"got {value!r:.80}"
            )
    return value


def _valid_name(name: str) -> str:
    _check_text("notebook", name, allow_empty=False, limit=MAX_NAME, one_line=True)
    if any(ch in name for ch in '/\\:*?"<>|') or name.startswith(".") or name != name.strip():
        raise ValueError(
            f"`notebook` must be a plain name such as '05_hotel_guarantee' "
            f"(no folders, special characters or spaces at the ends), got {name!r}"
        )
    return name[:-6] if name.endswith(".ipynb") else name


def _check_checked(checked) -> list[int]:
    rule = (f"`checked` must be a list of key-point numbers (whole numbers from 0 to "
            f"{MAX_KEY_POINTS - 1})")
    if isinstance(checked, (str, bytes, dict)) or not hasattr(checked, "__iter__"):
        raise TypeError(f"{rule}, got {checked!r:.80} ({type(checked).__name__})")
    items = list(checked)
    if len(items) > MAX_KEY_POINTS:
        raise ValueError(f"{rule}, got {len(items)} numbers")
    out = set()
    for i in items:
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"{rule}, got {checked!r:.80} (contains {i!r})")
        if not 0 <= i < MAX_KEY_POINTS:
            raise ValueError(f"{rule}, got {checked!r:.80} (contains {i!r})")
        out.add(int(i))
    return sorted(out)


def check_vote(vote):
    """A poll vote that can be saved: an option id (one line of text, at most
    :data:`MAX_NAME` characters) or a finite number; ``None`` clears it."""
    if vote is None:
        return None
    if isinstance(vote, str):
        return _check_text("vote", vote, allow_empty=False, limit=MAX_NAME, one_line=True)
    if isinstance(vote, bool) or not isinstance(vote, numbers.Real):
        raise TypeError(f"`vote` must be an option id (text) or a number, got {vote!r:.80} ({type(vote).__name__})")
    if not math.isfinite(float(vote)):
        raise ValueError(f"`vote` must be a finite number, got {vote!r}")
    return int(vote) if isinstance(vote, numbers.Integral) else float(vote)


def _valid_stored_vote(vote) -> bool:
    if vote is None:
        return True
    if isinstance(vote, str):
        return 0 < len(vote) <= MAX_NAME
    return type(vote) in (int, float) and math.isfinite(vote)


class _Unreadable(ValueError):
    """Why a file is not a valid answers file: a ``kind`` (a catalogue key
    ``answers.reason.<kind>``) and the technical ``detail``; ``str()`` is the
    English reason with the detail."""

    def __init__(self, kind: str, message: str, detail: str = ""):
        super().__init__(message)
        self.kind, self.detail = kind, detail


def _malformed(message: str) -> _Unreadable:
    return _Unreadable("malformed", message, message)


def _reason(exc: BaseException) -> str:
    """The reason a file could not be read, in the current language: the kind
    from the catalogue; in English the technical detail follows in brackets."""
    kind = getattr(exc, "kind", None) or "unreadable"
    text = t(f"answers.reason.{kind}")
    if get_language() != "en":
        return text
    detail = exc.detail if isinstance(exc, _Unreadable) else (getattr(exc, "strerror", None) or str(exc))
    return f"{text} ({detail})" if detail else text


def _in_kernel() -> bool:
    """True inside a Jupyter kernel (the widgets show a notice there)."""
    ipython = sys.modules.get("IPython")
    try:
        shell = ipython.get_ipython() if ipython is not None else None
    except Exception:  # an IPython too old or half imported
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def _check_payload(data) -> dict:
    """Raise ValueError, saying what is wrong, unless ``data`` is a
    version-1 answers document."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Unreadable("not_ours", "not a casekit answers file")
    if data.get("version") != VERSION:
        raise _Unreadable("bad_version", f"unknown version {data.get('version')!r}", f"{data.get('version')!r:.40}")
    for key in ("student", "notebook"):
        if key in data and not isinstance(data[key], str):
            raise _malformed(f"'{key}' must be text, got {data[key]!r:.60}")
    if data.get("case") is not None and not isinstance(data["case"], str):
        raise _malformed(f"'case' must be text or null, got {data['case']!r:.60}")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise _malformed("'answers' is not a mapping")
    for qid, entry in answers.items():
        if not isinstance(entry, dict):
            raise _malformed(f"answer {qid!r} is not a mapping")
        if not isinstance(entry.get("text", ""), str):
            raise _malformed(f"answer {qid!r} has a text that is not text")
        checked = entry.get("checked", [])
        if (not isinstance(checked, list)
                or not all(type(i) is int and 0 <= i < MAX_KEY_POINTS for i in checked)):
            raise _malformed(f"answer {qid!r} has a malformed checklist {checked!r:.60} "
                             f"(must be key-point numbers 0 to {MAX_KEY_POINTS - 1})")
        if not _valid_stored_vote(entry.get("vote")):
            raise _malformed(f"answer {qid!r} has a malformed vote {entry.get('vote')!r:.60} "
                             f"(must be an option id or a finite number)")
        if entry.get("updated") is not None and not isinstance(entry["updated"], str):
            raise _malformed(f"answer {qid!r} has a malformed time {entry['updated']!r:.60}")
    return data


def _read_payload(path: Path) -> dict:
    """Read and check one answers file; ValueError (with the reason) if it is
    not a valid answers file, OSError if it cannot be read."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _Unreadable("too_big", f"file is {size:,} bytes, more than an answers file can be", f"{size:,} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # Windows Notepad saves UTF-8 with a BOM; a save writes it without
    except UnicodeDecodeError as exc:
        raise _Unreadable("not_utf8", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                          f"{exc.reason} at byte {exc.start}") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise _Unreadable("too_deep", "JSON nested too deeply") from None
    except ValueError as exc:
        raise _Unreadable("not_json", f"not valid JSON ({exc})", str(exc)) from None
    return _check_payload(data)


def read_answers_file(path) -> dict:
    """One answers file, read and checked (for reading a class's files).

    Returns the document; raises ValueError saying what is wrong with a file
    that is not a valid answers file, OSError when it cannot be read."""
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a file path, got {path!r:.80} ({type(path).__name__})")
    if not Path(path).is_file():
        raise FileNotFoundError(f"`path` must be an answers file, got {str(path)!r:.200} (no such file)")
    return _read_payload(Path(path))


@contextlib.contextmanager
def _locked(folder: Path, stem: str):
    """Hold an exclusive lock on ``folder/.<stem>.lock`` (``fcntl.flock``).

    Where no lock can be had (no ``fcntl``, a read-only folder, a file system
    without locks) the block runs unlocked: the save still merges with what
    is on disk, only not under a lock. A lock held for longer than
    :data:`LOCK_TIMEOUT` seconds raises ``TimeoutError`` (an ``OSError``).
    """
    fd = None
    if fcntl is not None:
        try:
            fd = os.open(folder / f".{stem}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            fd = None
    if fd is None:
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"another program has held the lock on the answers file {stem}.json for "
                        f"more than {LOCK_TIMEOUT:g} s; save again in a moment") from None
                time.sleep(0.002)
            except OSError:  # no locks on this file system: go on unlocked
                break
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


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

    Attributes
    ----------
    notice : str or None
        A message for the student when the file could not be read.
    read_only : bool
        True when a damaged file could not be moved aside; saving then raises
        ``PermissionError`` rather than overwrite it.

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
        if case is not None:
            _check_text("case", case, allow_empty=False, limit=MAX_NAME, one_line=True)
        self.case = case
        if folder is not None and not isinstance(folder, (str, os.PathLike)):
            raise TypeError(f"`folder` must be a path or None, got {folder!r:.80} ({type(folder).__name__})")
        self.folder = Path(folder) if folder is not None else answers_dir()
        self.path = self.folder / f"{self.notebook}.json"
        self.notice: str | None = None
        self.read_only = False
        self._data = self._load()

    # -- reading ---------------------------------------------------------
    def _empty(self) -> dict:
        student = os.environ.get(STUDENT_ENV, "")
        try:
            _check_text("student", student, allow_empty=True, limit=MAX_NAME, one_line=True)
        except ValueError:
            student = ""
        return {"format": FORMAT, "version": VERSION, "notebook": self.notebook,
                "case": self.case, "student": student, "answers": {}}

    def _disk(self) -> dict:
        """The file on disk, checked; a damaged file is moved aside (with a
        notice) or, where it cannot be, the book turns read-only."""
        if not self.path.exists():
            return self._empty()
        try:
            return _read_payload(self.path)
        except FileNotFoundError:  # deleted meanwhile: start afresh
            return self._empty()
        except (ValueError, OSError) as exc:
            reason = exc
        try:
            moved = self._move_aside()
        except FileNotFoundError:
            return self._empty()
        except OSError as exc:
            self.read_only = True
            self.notice = t("answers.unreadable_stuck", file=self.path.name, reason=_reason(reason),
                            error=exc.strerror or exc, folder=self.folder, env=ANSWERS_ENV)
            self._warn()
            return self._empty()
        self.read_only = False
        self.notice = t("answers.unreadable_moved", file=self.path.name, reason=_reason(reason), kept=moved.name,
                        folder=self.folder)
        self._warn()
        return self._empty()

    def _warn(self) -> None:
        """A script gets the notice as a warning; in a notebook the widgets
        show it (a warning would add a red block with a line of code)."""
        if not _in_kernel():
            warnings.warn(self.notice, CorruptAnswersWarning, stacklevel=5)

    def _load(self) -> dict:
        if not self.path.exists():
            return self._empty()
        with self._lock_if_possible():
            return self._disk()

    def _lock_if_possible(self):
        if self.folder.is_dir():
            return _locked(self.folder, self.notebook)
        return contextlib.nullcontext()

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
        """The stored entry for a question: ``text``, ``checked``, ``vote``
        (a poll's, else None) and ``updated``."""
        check_str("question", question)
        entry = self._data["answers"].get(question, {})
        return {"text": entry.get("text", ""), "checked": list(entry.get("checked", [])),
                "vote": entry.get("vote"), "updated": entry.get("updated")}

    def vote(self, question: str):
        """A poll's saved vote (option id or number), or None."""
        return self.get(question)["vote"]

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
        _check_text("student", name, allow_empty=True, limit=MAX_NAME, one_line=True)
        self._update(lambda data: data.__setitem__("student", name))

    # -- writing ---------------------------------------------------------
    def save(self, question: str, *, text: str | None = None, checked=None, vote=_KEEP) -> None:
        """Save one question's answer at once (text, checklist, a poll's vote,
        or several of them; ``vote=None`` clears a vote).

        The save merges into the file on disk under a lock: only this
        question changes, whatever other tabs saved meanwhile is kept.
        """
        _check_text("question", question, allow_empty=False, limit=MAX_NAME, one_line=True)
        if text is not None:
            _check_text("text", text, allow_empty=True, limit=MAX_TEXT, one_line=False)
        if checked is not None:
            checked = _check_checked(checked)
        if vote is not _KEEP:
            vote = check_vote(vote)

        def change(data):
            entry = data["answers"].setdefault(question, {"text": "", "checked": []})
            if text is not None:
                entry["text"] = text
            if checked is not None:
                entry["checked"] = checked
            if vote is not _KEEP:
                if vote is None:
                    entry.pop("vote", None)
                else:
                    entry["vote"] = vote
            entry["updated"] = _now()

        self._update(change)

    def _update(self, change) -> None:
        """Read the file under the lock, apply ``change`` to it, write it back."""
        if self.read_only:
            raise PermissionError(self.notice or f"{self.path} is read-only")
        self.folder.mkdir(parents=True, exist_ok=True)
        with _locked(self.folder, self.notebook):
            data = self._disk()
            if self.read_only:
                raise PermissionError(self.notice)
            change(data)
            if self.case is not None:
                data["case"] = self.case
            data["notebook"] = self.notebook
            self._write(data)
        self._data = data

    def _write(self, data: dict) -> None:
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
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
        if questions is not None and not isinstance(questions, dict):
            raise TypeError(f"`questions` must be a dict of question id → question text, "
                            f"got {type(questions).__name__}")
        if questions is None and self.case:
            from . import cases  # noqa: PLC0415

            try:
                questions = {q.id: q.text.get(get_language()) for q in cases.get_case(self.case).questions}
            except ValueError:
                questions = None
        lines = [t("answers.md_title", notebook=self.notebook), ""]
        if self.student:
            lines += [t("answers.md_student", student=self.student), ""]
        ids = list(questions) if questions else self.questions
        for qid in ids:
            title = questions[qid] if questions else qid
            entry = self.get(str(qid))
            lines += [f"## {title}", "", entry["text"].strip() or t("answers.md_no_answer"), ""]
        return "\n".join(lines)

    def export_markdown(self, path=None, *, questions=None) -> Path:
        """Write :meth:`to_markdown` to ``path`` (default: beside the JSON)."""
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"`path` must be a file path or None, got {path!r:.80} ({type(path).__name__})")
        target = Path(path) if path is not None else self.path.with_suffix(".md")
        text = self.to_markdown(questions=questions)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def __repr__(self) -> str:
        return f"AnswerBook({self.notebook!r}, answered={len(self.questions)})"


_COLLECT_COLUMNS = ["file", "student", "notebook", "case", "question", "text", "words", "checked", "vote",
                    "updated"]


def collect(paths) -> pd.DataFrame:
    """Read many students' answer files into one table (class mode).

    Parameters
    ----------
    paths : iterable of paths, or one folder (searched recursively for *.json)

    Returns
    -------
    DataFrame with ``file``, ``student``, ``notebook``, ``case``, ``question``,
    ``text``, ``words``, ``checked`` (number of key points ticked), ``vote``
    (a poll's vote, else None) and ``updated``. A file that is not a valid answers file is set aside: it is
    left out of the table, listed in ``table.attrs["skipped"]`` (a DataFrame
    of ``file`` and ``reason``) and named in a warning. One bad file never
    stops the class.
    """
    if isinstance(paths, (str, os.PathLike)):
        folder = Path(paths)
        if not folder.is_dir():
            raise ValueError(f"`paths` must be a folder or a list of files; {folder} is not a folder")
        paths = sorted(p for p in folder.rglob("*.json") if ".corrupt-" not in p.name)
    elif isinstance(paths, (bytes, dict)) or not hasattr(paths, "__iter__"):
        raise TypeError(f"`paths` must be a folder or a list of file paths, got {type(paths).__name__}")
    rows, skipped = [], []
    for p in paths:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError(f"`paths` must list file paths, got {p!r:.80} ({type(p).__name__})")
        p = Path(p)
        try:
            data = _read_payload(p)
        except (ValueError, OSError, MemoryError) as exc:
            reason = str(exc) or type(exc).__name__
            skipped.append({"file": str(p), "reason": reason})
            warnings.warn(f"skipped {p}: {reason}", CorruptAnswersWarning, stacklevel=2)
            continue
        for qid, entry in data["answers"].items():
            text = entry.get("text", "")
            rows.append({"file": str(p), "student": data.get("student", ""),
                         "notebook": data.get("notebook"), "case": data.get("case"),
                         "question": qid, "text": text, "words": len(text.split()),
                         "checked": len(entry.get("checked", [])),
                         "vote": entry.get("vote"), "updated": entry.get("updated")})
    table = pd.DataFrame(rows, columns=_COLLECT_COLUMNS)
    table.attrs["skipped"] = pd.DataFrame(skipped, columns=["file", "reason"])
    return table
