"""Shared argument checks.

Every public function in casekit validates its input with these helpers, so
that all error messages have the same shape: they name the argument, state
the rule and show the value received, e.g.::

    ValueError: `retention` must be a number in [0, 1), got 1.2

Private module: the helpers are used by casekit, not by students.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__: list[str] = []  # private helpers only


def _fmt_bound(v) -> str:
    """1000000 rather than 1e+06; 0.5 as 0.5."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:g}"


def _fmt_interval(low, high, low_open, high_open) -> str:
    left = "(" if low_open else "["
    right = ")" if high_open else "]"
    lo = "-inf" if low is None else _fmt_bound(low)
    hi = "inf" if high is None else _fmt_bound(high)
    return f"{left}{lo}, {hi}{right}"


def check_number(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
) -> float | int:
    """Return ``value`` as a float (or int) if it lies in the interval.

    Raises ``TypeError`` for non-numbers (including bools and strings) and
    ``ValueError`` for numbers outside the interval or not finite.
    """
    kind = "a whole number" if integer else "a number"
    rule = f"{kind} in {_fmt_interval(low, high, low_open or low is None, high_open or high is None)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be {rule}, got {value!r} ({type(value).__name__})")
    if integer and not float(value).is_integer():
        raise ValueError(f"`{name}` must be {rule}, got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"`{name}` must be {rule}, got {value!r}")
    v = float(value)
    bad = (
        (low is not None and (v < low or (low_open and v == low)))
        or (high is not None and (v > high or (high_open and v == high)))
    )
    if bad:
        raise ValueError(f"`{name}` must be {rule}, got {value!r}")
    return int(value) if integer else v


def check_probability(name: str, value, *, allow_one: bool = True, allow_zero: bool = True) -> float:
    """A share or probability in [0, 1] (ends optionally open)."""
    return check_number(name, value, low=0.0, high=1.0, low_open=not allow_zero, high_open=not allow_one)


def check_positive(name: str, value, *, allow_zero: bool = False, integer: bool = False):
    """A number > 0 (or >= 0 with ``allow_zero``)."""
    return check_number(name, value, low=0.0, low_open=not allow_zero, integer=integer)


def check_choice(name: str, value, choices: Iterable) -> object:
    """``value`` must be one of ``choices``."""
    choices = list(choices)
    if not _is_in(value, choices):
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {listed}; got {value!r:.80}")
    return value


def _is_in(value, choices) -> bool:
    """``value in choices`` that never raises (a DataFrame or an array
    compared with a choice is simply not that choice) and keeps True apart
    from 1."""
    for c in choices:
        if value is c:
            return True
        if isinstance(value, (bool, np.bool_)) != isinstance(c, (bool, np.bool_)):
            continue
        try:
            if bool(value == c):
                return True
        except (TypeError, ValueError):
            continue
    return False


def check_int(name: str, value, *, low: int | None = None, high: int | None = None) -> int:
    """A whole number in [low, high]: sizes and loop counts always get an
    upper bound, so a typo such as ``n=10**9`` is refused, not run."""
    return check_number(name, value, low=low, high=high, integer=True)


def _is_number(v) -> bool:
    return isinstance(v, (numbers.Real, np.number)) and not isinstance(v, (bool, np.bool_)) and math.isfinite(float(v))


def check_at_most(name: str, value, high, *, what: str = "") -> None:
    """Refuse a number above ``high`` (an upper bound on a size or a loop
    count); anything else is left to the argument's own check."""
    if isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_)):
        if math.isfinite(float(value)) and float(value) > high:
            raise ValueError(f"`{name}` must be at most {high:,}{what}, got {value!r}")


def check_array_like(name: str, values, *, rule: str = "a list of numbers", max_size: int | None = None) -> None:
    """Refuse what cannot be read as an array of numbers (text, a mapping, an
    object) with a TypeError naming the argument; bounds its size."""
    bad = isinstance(values, (str, bytes, dict, set, pd.DataFrame))
    if not bad:
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError, OverflowError):
            bad = True
    if bad:
        raise TypeError(f"`{name}` must be {rule}, got {values!r:.80} ({type(values).__name__})")
    if max_size is not None and arr.size > max_size:
        raise ValueError(f"`{name}` must hold at most {max_size:,} values, got {arr.size:,}")


def check_sequence(name: str, values, *, max_len: int | None = None, allow_empty: bool = False) -> list:
    """A list or tuple (or array/Series) of items, not text or a mapping."""
    if isinstance(values, (str, bytes, dict, set)) or not isinstance(
            values, (list, tuple, range, np.ndarray, pd.Series, pd.Index)):
        raise TypeError(f"`{name}` must be a list of values, got {values!r:.80} ({type(values).__name__})")
    out = list(values)
    if not out and not allow_empty:
        raise ValueError(f"`{name}` must list at least one value, got none")
    if max_len is not None and len(out) > max_len:
        raise ValueError(f"`{name}` must list at most {max_len:,} values, got {len(out):,}")
    return out


def check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def check_str(name: str, value, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be text (a str), got {value!r} ({type(value).__name__})")
    if not allow_empty and not value.strip():
        raise ValueError(f"`{name}` must be non-empty text, got {value!r}")
    return value


def check_seed(name: str, seed) -> np.random.Generator:
    """Turn ``seed`` (None, an int >= 0 or a Generator) into one Generator.

    The global NumPy random state is never touched.
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(
            f"`{name}` must be None, a whole number >= 0 or a numpy Generator, got {seed!r}"
        )
    return np.random.default_rng(int(seed))


def check_frame(name: str, frame, columns: Sequence[str] = ()) -> pd.DataFrame:
    """A DataFrame that has every column in ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be a pandas DataFrame, got {type(frame).__name__}"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns))
        raise ValueError(
            f"`{name}` must have the column(s) {', '.join(missing)}; it has: {have}"
        )
    return frame


def check_values(name: str, values, *, allow_negative: bool = True) -> np.ndarray:
    """A non-empty 1-D sequence of finite numbers, returned as a float array."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be one column of numbers (a Series or list), but a DataFrame was passed; "
            "pick a column, e.g. df['revenue']"
        )
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be a list or Series of numbers, got {values!r:.80}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D list of numbers, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must contain only finite numbers (no NaN or inf)")
    if not allow_negative and np.any(arr < 0):
        raise ValueError(f"`{name}` must contain no negative numbers, got min {arr.min():g}")
    return arr


def check_mapping(name: str, value, *, allow_none: bool = True, rule: str = "a dict") -> dict:
    """A mapping (a dict), returned as a new dict; ``None`` gives ``{}`` when
    ``allow_none``."""
    if value is None and allow_none:
        return {}
    if not isinstance(value, Mapping):
        extra = " or None" if allow_none else ""
        raise TypeError(f"`{name}` must be {rule}{extra}, got {value!r:.80} ({type(value).__name__})")
    return dict(value)


def check_callable(name: str, value, *, allow_none: bool = False):
    """A function (anything callable), or None when ``allow_none``."""
    if value is None and allow_none:
        return None
    if not callable(value):
        extra = " or None" if allow_none else ""
        raise TypeError(f"`{name}` must be a function{extra}, got {value!r:.80} ({type(value).__name__})")
    return value


def check_optional_str(name: str, value, *, allow_empty: bool = True) -> str | None:
    """Text or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be text (a str) or None, got {value!r:.80} ({type(value).__name__})")
    return check_str(name, value, allow_empty=allow_empty)


def check_path(name: str, value, *, suffixes: Sequence[str] = (), must_exist: bool = True) -> Path:
    """A file path (text or ``pathlib.Path``) with one of ``suffixes`` (if
    given); a missing file raises ``FileNotFoundError`` naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"`{name}` must be a file path (text or pathlib.Path), got {value!r:.80} "
                        f"({type(value).__name__})")
    p = Path(value)
    if not str(value).strip():
        raise ValueError(f"`{name}` must be a file path, got an empty text {value!r}")
    if suffixes and p.suffix.lower() not in suffixes:
        raise ValueError(f"`{name}` must be a file ending in {' or '.join(suffixes)}, got {str(value)!r:.120}")
    if must_exist and not p.is_file():
        raise FileNotFoundError(f"`{name}` must name an existing file, got {str(value)!r:.120} (not found)")
    return p
