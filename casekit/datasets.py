"""The datasets shipped in ``data/``: one CSV per dataset with a data
dictionary beside it (``<name>.md``: title, how it was made, one line per
column with its unit).

Each dataset is declared once, in the module that simulates it, as a
:class:`Dataset` in that module's ``DATASETS`` tuple. The CSV is the
simulator's output for a fixed seed; ``tests/test_datasets.py`` rebuilds every
dataset and checks it equals the file.

When :func:`write` writes a CSV it records the file's row count and SHA-256
checksum in its dictionary (``<name>.md``). :func:`load` checks the file
against them and against the declared columns and types, so a damaged file
(truncated, header only, a Git LFS pointer, an empty cell in a bool column,
not UTF-8 …) raises :class:`DamagedDataError`, which names the file and the
command that rebuilds it, instead of loading wrong data.

Command line::

    python -m casekit.datasets write      # rebuild every CSV and dictionary
    python -m casekit.datasets check      # check every CSV against its recorded checksum
    python -m casekit.datasets list
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import io
import os
import pkgutil
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .i18n import get_language, t
from ._checks import check_choice, check_str

__all__ = ["Dataset", "DamagedDataError", "DATA_DIR", "course_modules", "all_datasets", "get", "load",
           "build", "write", "describe", "verify"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_KINDS = ("int", "float", "bool", "str", "datetime", "category", "ordered")

_CHECK_LINE = re.compile(r"^Check: ([0-9]+) rows, SHA-256 `([0-9a-f]{64})`", re.M)


class DamagedDataError(ValueError):
    """A file in ``data/`` does not match what :func:`write` wrote."""


@dataclass(frozen=True)
class Dataset:
    """Declaration of a shipped dataset.

    Parameters
    ----------
    name : str
        File stem in ``data/`` (``<name>.csv``).
    title : str
    description : str
        How it was made (simulator, seed, calibration) and what it is for.
    build : callable() -> DataFrame
        Rebuilds the data exactly (the simulator with its fixed seed).
    title_zh : str
        The title in the Chinese edition (the data dictionary page of the
        course site); empty: the English title is shown.
    columns : dict column → (kind, description with unit)
        ``kind`` is one of int, float, bool, str, datetime, ``category`` (levels
        sorted), ``category:a,b,c`` (levels in that order) or ``ordered:a,b,c``
        for an ordered category.
    """

    name: str
    title: str
    description: str
    build: Callable[[], pd.DataFrame]
    columns: dict
    title_zh: str = ""

    def __post_init__(self):
        if not isinstance(self.title_zh, str):
            raise TypeError(f"`title_zh` must be text (the title in Chinese), got {type(self.title_zh).__name__}")
        for field in ("name", "title", "description"):
            check_str(field, getattr(self, field))
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"`name` must be a file stem of lower-case letters, digits and _, got {self.name!r}")
        if not callable(self.build):
            raise TypeError(f"`build` must be a function that returns the DataFrame, got {type(self.build).__name__}")
        if not isinstance(self.columns, dict) or not self.columns:
            raise TypeError(f"`columns` must be a dict column → (kind, description), got {type(self.columns).__name__}")
        for col, spec in self.columns.items():
            if not (isinstance(spec, tuple) and len(spec) == 2 and all(isinstance(x, str) for x in spec)):
                raise ValueError(f"dataset {self.name!r}: column {col!r} must be (kind, description) in `columns`")
            kind = spec[0].split(":", 1)[0]
            if kind not in _KINDS:
                raise ValueError(f"dataset {self.name!r}: column {col!r} has kind {spec[0]!r} in `columns`; "
                                 f"use one of {_KINDS}")

    @property
    def csv_path(self) -> Path:
        return DATA_DIR / f"{self.name}.csv"

    @property
    def dictionary_path(self) -> Path:
        return DATA_DIR / f"{self.name}.md"


_TOOL_MODULES = {"bench", "nbtools", "grading"}  # tools, not course content


def course_modules():
    """Names of casekit's course modules (toolkit and cases): the ones that
    may declare ``DATASETS`` or ``build_*_widget`` functions."""
    import casekit

    for info in pkgutil.iter_modules(casekit.__path__):
        if not info.name.startswith("_") and info.name not in _TOOL_MODULES:
            yield f"casekit.{info.name}"


@functools.cache
def all_datasets() -> dict[str, Dataset]:
    """Every declared dataset, by name."""
    found: dict[str, Dataset] = {}
    for modname in course_modules():
        mod = importlib.import_module(modname)
        for ds in getattr(mod, "DATASETS", ()):
            if ds.name in found:
                raise ValueError(f"dataset name {ds.name!r} is declared twice")
            found[ds.name] = ds
    return dict(sorted(found.items()))


def get(name: str) -> Dataset:
    ds = _imported_dataset(name)
    if ds is not None:
        return ds
    sets = all_datasets()
    check_choice("name", name, sets)
    return sets[name]


def _imported_dataset(name) -> Dataset | None:
    # The dataset if a course module already imported, or the one its name starts with
    # (dell_customers → casekit.dell), declares it: found without importing every course module
    # as all_datasets does (a notebook has imported its case's module).
    if not isinstance(name, str):
        return None
    modules = list(course_modules())
    parts = name.split("_")
    owners = [f"casekit.{'_'.join(parts[:k])}" for k in range(len(parts), 0, -1)]
    for modname in [m for m in modules if m in sys.modules] + [m for m in owners if m in modules]:
        for ds in getattr(importlib.import_module(modname), "DATASETS", ()):
            if ds.name == name:
                return ds
    return None


def _coerce(df: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Give each column its declared type; ValueError (naming the column) for
    a value the type does not allow (an empty or odd cell in a bool or int
    column, a category level not declared)."""
    out = {}
    for col, (kind, _) in ds.columns.items():
        s = df[col]
        base, _, cats = kind.partition(":")
        if base == "int":
            if s.isna().any():
                raise ValueError(f"column {col!r} has an empty cell in row {int(s.isna().to_numpy().argmax()) + 1}")
            s = s.astype("int64")
        elif base == "float":
            s = s.astype("float64")
        elif base == "bool":
            mapped = s.map({True: True, False: False, "True": True, "False": False})
            if mapped.isna().any():
                i = int(mapped.isna().to_numpy().argmax())
                raise ValueError(f"column {col!r} must hold True or False, row {i + 1} has {s.iloc[i]!r}")
            s = mapped.astype(bool)
        elif base == "str":
            s = s.astype(object).where(s.notna(), None)
        elif base == "datetime":
            s = pd.to_datetime(s)
        elif base in ("category", "ordered"):
            levels = cats.split(",") if cats else sorted(pd.unique(s.dropna()).tolist())
            c = pd.Categorical(s, categories=levels, ordered=base == "ordered")
            lost = pd.isna(c) & s.notna().to_numpy()
            if lost.any():
                i = int(lost.argmax())
                raise ValueError(f"column {col!r} has {s.iloc[i]!r} in row {i + 1}, not one of its levels")
            s = c
        out[col] = s
    return pd.DataFrame(out)


def _fingerprint(raw: bytes) -> str:
    """SHA-256 of a CSV's bytes, line ends normalised (a Windows checkout's
    CRLF gives the same checksum)."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def _recorded(ds: Dataset) -> tuple[int, str] | None:
    """(rows, sha256) recorded in the dictionary by :func:`write`, or None."""
    try:
        text = ds.dictionary_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _CHECK_LINE.search(text)
    return (int(m.group(1)), m.group(2)) if m else None


def _damaged(ds: Dataset, reason: str) -> DamagedDataError:
    return DamagedDataError(
        f"The data file data/{ds.name}.csv is damaged: {reason}. Rebuild it with "
        f"`python -m casekit.datasets write {ds.name}` (in the course folder), or get a fresh copy "
        "of the course.\n"
        f"数据文件 data/{ds.name}.csv 已损坏。请在课程文件夹中运行 "
        f"`python -m casekit.datasets write {ds.name}` 重新生成，或重新获取课程文件。"
    )


def build(name: str) -> pd.DataFrame:
    """The dataset as the simulator makes it (columns in the declared order)."""
    ds = get(name)
    df = ds.build()
    missing = [c for c in ds.columns if c not in df.columns]
    extra = [c for c in df.columns if c not in ds.columns]
    if missing or extra:
        raise ValueError(f"dataset {name!r}: columns missing {missing}, undeclared {extra}")
    return _coerce(df[list(ds.columns)], ds)


def load(name: str) -> pd.DataFrame:
    """Read ``data/<name>.csv`` with the declared types (categories, dates),
    after checking it is the file :func:`write` wrote.

    Raises :class:`DamagedDataError` (a ValueError) naming the file and the
    command that rebuilds it when the file is damaged.

    >>> df = load("toolkit_customers")
    >>> df.shape[1]
    9
    """
    ds = get(name)
    if not ds.csv_path.exists():
        raise FileNotFoundError(f"data/{ds.name}.csv is missing; rebuild it with "
                                f"`python -m casekit.datasets write {ds.name}`")
    raw = ds.csv_path.read_bytes()
    return _parse(ds, raw)


def _parse(ds: Dataset, raw: bytes) -> pd.DataFrame:
    if raw.startswith(b"version https://git-lfs"):
        raise _damaged(ds, "it is a Git LFS pointer, not the data (run `git lfs pull`, or rebuild it)")
    if not raw.strip():
        raise _damaged(ds, "it is empty")
    recorded = _recorded(ds)
    if recorded is not None and _fingerprint(raw) != recorded[1]:
        lines = raw.count(b"\n") - 1 + (0 if raw.endswith(b"\n") else 1)
        raise _damaged(ds, f"it differs from the file written by the simulator (expected {recorded[0]:,} rows "
                           f"and checksum SHA-256 {recorded[1][:12]}…; it has about {max(lines, 0):,} rows)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _damaged(ds, f"it is not UTF-8 text (byte {exc.start})") from None
    try:
        df = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise _damaged(ds, f"it cannot be read as CSV ({str(exc).strip()[:120]})") from None
    if list(df.columns) != list(ds.columns):
        raise _damaged(ds, f"its header lists {', '.join(map(str, df.columns))[:200]}; "
                           f"expected {', '.join(ds.columns)}")
    if df.empty:
        raise _damaged(ds, "it has a header but no rows")
    if recorded is not None and len(df) != recorded[0]:
        raise _damaged(ds, f"it has {len(df):,} rows, expected {recorded[0]:,}")
    try:
        return _coerce(df, ds)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _damaged(ds, str(exc).splitlines()[0][:200]) from None


def verify(name: str) -> None:
    """Check ``data/<name>.csv`` against its recorded row count and checksum,
    its columns and types; raise :class:`DamagedDataError` if it is damaged,
    or ValueError if :func:`write` recorded no checksum for it."""
    ds = get(name)
    if _recorded(ds) is None:
        raise ValueError(f"`name`: data/{ds.name}.md records no checksum; run "
                         f"`python -m casekit.datasets write {ds.name}`")
    load(name)


def describe(name: str) -> pd.DataFrame:
    """The data dictionary as a table: column, type, description.

    In the Chinese edition the headers and descriptions come from the message
    catalogue (``datasets.<name>.<column>``); column names stay as they are,
    since code uses them."""
    ds = get(name)
    if get_language() == "zh":
        rows = [{t("datasets.header.column"): c, t("datasets.header.type"): k,
                 t("datasets.header.description"): t(f"datasets.{name}.{c}")} for c, (k, _) in ds.columns.items()]
        return pd.DataFrame(rows)
    return pd.DataFrame([{"column": c, "type": k, "description": d} for c, (k, d) in ds.columns.items()])


def write(name: str) -> Path:
    """(Re)build ``data/<name>.csv`` and its dictionary ``data/<name>.md``,
    which records the CSV's row count and SHA-256 checksum (both files are
    written atomically: temporary file, then rename)."""
    ds = get(name)
    df = build(name)
    DATA_DIR.mkdir(exist_ok=True)
    raw = df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    lines = [f"# {ds.title}", "", f"File: `{ds.name}.csv` · {len(df):,} rows · {len(df.columns)} columns", "",
             ds.description.strip(), "", "| column | type | meaning (unit) |", "|---|---|---|"]
    lines += [f"| `{c}` | {k} | {d} |" for c, (k, d) in ds.columns.items()]
    lines += ["", "Generated by `python -m casekit.datasets write`; do not edit by hand.", "",
              f"Check: {len(df)} rows, SHA-256 `{_fingerprint(raw)}` "
              "(`datasets.load` refuses a file that does not match).", ""]
    _write_atomic(ds.csv_path, raw)
    _write_atomic(ds.dictionary_path, "\n".join(lines).encode("utf-8"))
    return ds.csv_path


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _main(argv) -> int:
    if argv[:1] == ["write"]:
        names = argv[1:] or list(all_datasets())
        for n in names:
            print(f"wrote {write(n)}")
        return 0
    if argv[:1] == ["check"]:
        bad = 0
        for n in argv[1:] or list(all_datasets()):
            try:
                verify(n)
            except (ValueError, OSError) as exc:
                bad += 1
                print(str(exc).splitlines()[0], file=sys.stderr)
            else:
                print(f"ok    data/{n}.csv")
        return 1 if bad else 0
    if argv[:1] == ["list"]:
        for n, ds in all_datasets().items():
            print(f"{n:28s} {ds.title}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
