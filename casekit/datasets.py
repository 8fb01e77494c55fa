"""The datasets shipped in ``data/``: one CSV per dataset with a data
dictionary beside it (``<name>.md``: title, how it was made, one line per
column with its unit).

Each dataset is declared once, in the module that simulates it, as a
:class:`Dataset` in that module's ``DATASETS`` tuple. The CSV is the
simulator's output for a fixed seed; ``tests/test_datasets.py`` rebuilds every
dataset and checks it equals the file.

Command line::

    python -m casekit.datasets write      # rebuild every CSV and dictionary
    python -m casekit.datasets list
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._checks import check_choice

__all__ = ["Dataset", "DATA_DIR", "course_modules", "all_datasets", "get", "load", "build", "write", "describe"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_KINDS = ("int", "float", "bool", "str", "datetime", "category", "ordered")


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

    def __post_init__(self):
        for col, spec in self.columns.items():
            if not (isinstance(spec, tuple) and len(spec) == 2):
                raise ValueError(f"dataset {self.name!r}: column {col!r} must be (kind, description)")
            kind = spec[0].split(":", 1)[0]
            if kind not in _KINDS:
                raise ValueError(f"dataset {self.name!r}: column {col!r} has kind {spec[0]!r}; use one of {_KINDS}")

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
    sets = all_datasets()
    check_choice("name", name, sets)
    return sets[name]


def _coerce(df: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    out = {}
    for col, (kind, _) in ds.columns.items():
        s = df[col]
        base, _, cats = kind.partition(":")
        if base == "int":
            s = s.astype("int64")
        elif base == "float":
            s = s.astype("float64")
        elif base == "bool":
            s = s.map({True: True, False: False, "True": True, "False": False}).astype(bool)
        elif base == "str":
            s = s.astype(object).where(s.notna(), None)
        elif base == "datetime":
            s = pd.to_datetime(s)
        elif base == "category":
            levels = cats.split(",") if cats else sorted(pd.unique(s.dropna()).tolist())
            s = pd.Categorical(s, categories=levels, ordered=False)
        elif base == "ordered":
            s = pd.Categorical(s, categories=cats.split(","), ordered=True)
        out[col] = s
    return pd.DataFrame(out)


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
    """Read ``data/<name>.csv`` with the declared types (categories, dates).

    >>> df = load("toolkit_customers")
    >>> df.shape[1]
    9
    """
    ds = get(name)
    if not ds.csv_path.exists():
        raise FileNotFoundError(f"{ds.csv_path} is missing; run `python -m casekit.datasets write`")
    return _coerce(pd.read_csv(ds.csv_path), ds)


def describe(name: str) -> pd.DataFrame:
    """The data dictionary as a table: column, type, description."""
    ds = get(name)
    return pd.DataFrame([{"column": c, "type": k, "description": d} for c, (k, d) in ds.columns.items()])


def write(name: str) -> Path:
    """(Re)build ``data/<name>.csv`` and its dictionary ``data/<name>.md``."""
    ds = get(name)
    df = build(name)
    DATA_DIR.mkdir(exist_ok=True)
    df.to_csv(ds.csv_path, index=False, lineterminator="\n")
    lines = [f"# {ds.title}", "", f"File: `{ds.name}.csv` · {len(df):,} rows · {len(df.columns)} columns", "",
             ds.description.strip(), "", "| column | type | meaning (unit) |", "|---|---|---|"]
    lines += [f"| `{c}` | {k} | {d} |" for c, (k, d) in ds.columns.items()]
    lines += ["", "Generated by `python -m casekit.datasets write`; do not edit by hand.", ""]
    ds.dictionary_path.write_text("\n".join(lines), encoding="utf-8")
    return ds.csv_path


def _main(argv) -> int:
    if argv[:1] == ["write"]:
        names = argv[1:] or list(all_datasets())
        for n in names:
            print(f"wrote {write(n)}")
        return 0
    if argv[:1] == ["list"]:
        for n, ds in all_datasets().items():
            print(f"{n:28s} {ds.title}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
