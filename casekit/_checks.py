"""Shared argument checks.

Every public function in casekit validates its input with these helpers, so
that all error messages have the same shape: they name the argument, state
the rule and show the value received, e.g.::

    ValueError: `retention` must be a number in [0, 1), got 1.2 · `retention` 必须是区间 [0, 1) 内的数，
    现在是 1.2

Exercise sets call casekit functions, and their readers read either language,
so every message is the English text, " · ", then the Chinese, both from the
``checks.*`` keys of the message catalogue (casekit/content/messages/common.toml).
A caller's own ``rule=`` is a catalogue key (or a key and its values).

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


class _Text:
    """A catalogue message with its values, written out in either language
    (a value may itself be a ``_Text`` or a ``_Pair``)."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values):
        self.key = key
        self.values = values

    def get(self, lang: str) -> str:
        from . import i18n  # noqa: PLC0415 (i18n imports this module)

        values = {k: v.get(lang) if isinstance(v, (_Text, _Pair)) else v for k, v in self.values.items()}
        with i18n.language(lang):
            return i18n.t(self.key, **values)


class _Pair:
    """Different wording per language (e.g. the English rule of a number is
    always its interval, the Chinese one says "大于 0 的数")."""

    __slots__ = ("en", "zh")

    def __init__(self, en, zh):
        self.en, self.zh = en, zh

    def get(self, lang: str) -> str:
        part = self.zh if lang == "zh" else self.en
        return part.get(lang) if isinstance(part, (_Text, _Pair)) else part


def both(key: str, /, **values) -> str:
    """The message ``key`` as ``"English · 中文"`` (also for a module's own
    argument errors)."""
    text = _Text(key, **values)
    return f"{text.get('en')} · {text.get('zh')}"


def add_note(exc: BaseException, key: str, /, **values) -> str:
    """The message of ``exc`` (raised by these checks) with the catalogue
    note ``key`` added to each language: English note after the English,
    Chinese note after the Chinese."""
    text = str(exc)
    note = _Text(key, **values)
    en, sep, zh = text.partition(" · ")
    if not sep:
        return f"{text} {note.get('en')}"
    return f"{en} {note.get('en')} · {zh}{note.get('zh')}"


def _rule(rule) -> _Text | str:
    """A caller's ``rule=``: a catalogue key, or ``(key, {values})``; other
    text is shown as it is in both languages."""
    from . import i18n  # noqa: PLC0415

    if isinstance(rule, tuple) and len(rule) == 2 and isinstance(rule[1], Mapping):
        return _Text(rule[0], **rule[1])
    if isinstance(rule, str) and i18n.has(rule):
        return _Text(rule)
    return str(rule)


def _number_rule(low, high, low_open, high_open, integer) -> _Pair:
    kind = _Text("checks.kind.whole" if integer else "checks.kind.number")
    interval = _fmt_interval(low, high, low_open or low is None, high_open or high is None)
    en = _Text("checks.rule.interval", kind=kind, interval=interval)
    if low is not None and high is not None:
        zh = en
    elif low is not None:
        zh = _Text("checks.rule.above" if low_open else "checks.rule.at_least", kind=kind, low=_fmt_bound(low))
    elif high is not None:
        zh = _Text("checks.rule.below" if high_open else "checks.rule.at_most", kind=kind, high=_fmt_bound(high))
    else:
        zh = _Text("checks.rule.finite", kind=kind)
    return _Pair(en, zh)


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
    def rule():
        return _number_rule(low, high, low_open, high_open, integer)

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(both("checks.must_type", name=name, rule=rule(), value=repr(value),
                              type=type(value).__name__))
    if (integer and not float(value).is_integer()) or not math.isfinite(float(value)):
        raise ValueError(both("checks.must", name=name, rule=rule(), value=repr(value)))
    v = float(value)
    bad = (
        (low is not None and (v < low or (low_open and v == low)))
        or (high is not None and (v > high or (high_open and v == high)))
    )
    if bad:
        raise ValueError(both("checks.must", name=name, rule=rule(), value=repr(value)))
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
        raise ValueError(both("checks.one_of", name=name, choices=listed, value=f"{value!r:.80}"))
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


def check_at_most(name: str, value, high) -> None:
    """Refuse a number above ``high`` (an upper bound on a size or a loop
    count); anything else is left to the argument's own check."""
    if isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_)):
        if math.isfinite(float(value)) and float(value) > high:
            raise ValueError(both("checks.at_most", name=name, high=f"{high:,}", value=repr(value)))


def check_array_like(name: str, values, *, rule="checks.rule.numbers", max_size: int | None = None) -> None:
    """Refuse what cannot be read as an array of numbers (text, a mapping, an
    object) with a TypeError naming the argument; bounds its size. ``rule``
    is a catalogue key, or ``(key, {values})``."""
    bad = isinstance(values, (str, bytes, dict, set, pd.DataFrame))
    if not bad:
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError, OverflowError):
            bad = True
    if bad:
        raise TypeError(both("checks.must_type", name=name, rule=_rule(rule), value=f"{values!r:.80}",
                              type=type(values).__name__))
    if max_size is not None and arr.size > max_size:
        raise ValueError(both("checks.max_values", name=name, max=f"{max_size:,}", n=f"{arr.size:,}"))


def check_sequence(name: str, values, *, max_len: int | None = None, allow_empty: bool = False) -> list:
    """A list or tuple (or array/Series) of items, not text or a mapping."""
    if isinstance(values, (str, bytes, dict, set)) or not isinstance(
            values, (list, tuple, range, np.ndarray, pd.Series, pd.Index)):
        raise TypeError(both("checks.must_type", name=name, rule=_Text("checks.rule.values"),
                              value=f"{values!r:.80}", type=type(values).__name__))
    out = list(values)
    if not out and not allow_empty:
        raise ValueError(both("checks.empty_list", name=name))
    if max_len is not None and len(out) > max_len:
        raise ValueError(both("checks.max_list", name=name, max=f"{max_len:,}", n=f"{len(out):,}"))
    return out


def check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(both("checks.must_type", name=name, rule=_Text("checks.rule.bool"), value=repr(value),
                              type=type(value).__name__))
    return bool(value)


def check_str(name: str, value, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(both("checks.must_type", name=name, rule=_Text("checks.rule.text"), value=repr(value),
                              type=type(value).__name__))
    if not allow_empty and not value.strip():
        raise ValueError(both("checks.empty_text", name=name, value=repr(value)))
    return value


def check_seed(name: str, seed) -> np.random.Generator:
    """Turn ``seed`` (None, an int >= 0 or a Generator) into one Generator.

    The global NumPy random state is never touched.
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(both("checks.must", name=name, rule=_Text("checks.rule.seed"), value=repr(seed)))
    return np.random.default_rng(int(seed))


def check_frame(name: str, frame, columns: Sequence[str] = ()) -> pd.DataFrame:
    """A DataFrame that has every column in ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(both("checks.not_frame", name=name, type=type(frame).__name__))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns))
        raise ValueError(both("checks.columns", name=name, missing=", ".join(map(str, missing)), have=have))
    return frame


def check_values(name: str, values, *, allow_negative: bool = True) -> np.ndarray:
    """A non-empty 1-D sequence of finite numbers, returned as a float array."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(both("checks.values_frame", name=name))
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(both("checks.values_type", name=name, value=f"{values!r:.80}")) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(both("checks.values_shape", name=name, shape=str(arr.shape)))
    if not np.all(np.isfinite(arr)):
        raise ValueError(both("checks.values_finite", name=name))
    if not allow_negative and np.any(arr < 0):
        raise ValueError(both("checks.values_negative", name=name, min=f"{arr.min():g}"))
    return arr


def check_mapping(name: str, value, *, allow_none: bool = True, rule="checks.rule.dict") -> dict:
    """A mapping (a dict), returned as a new dict; ``None`` gives ``{}`` when
    ``allow_none``. ``rule`` is a catalogue key, or ``(key, {values})``."""
    if value is None and allow_none:
        return {}
    if not isinstance(value, Mapping):
        shown = _Text("checks.rule.or_none", rule=_rule(rule)) if allow_none else _rule(rule)
        raise TypeError(both("checks.must_type", name=name, rule=shown, value=f"{value!r:.80}",
                              type=type(value).__name__))
    return dict(value)


def check_callable(name: str, value, *, allow_none: bool = False):
    """A function (anything callable), or None when ``allow_none``."""
    if value is None and allow_none:
        return None
    if not callable(value):
        rule = _Text("checks.rule.function")
        shown = _Text("checks.rule.or_none", rule=rule) if allow_none else rule
        raise TypeError(both("checks.must_type", name=name, rule=shown, value=f"{value!r:.80}",
                              type=type(value).__name__))
    return value


def check_optional_str(name: str, value, *, allow_empty: bool = True) -> str | None:
    """Text or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        shown = _Text("checks.rule.or_none", rule=_Text("checks.rule.text"))
        raise TypeError(both("checks.must_type", name=name, rule=shown, value=f"{value!r:.80}",
                              type=type(value).__name__))
    return check_str(name, value, allow_empty=allow_empty)


def check_path(name: str, value, *, suffixes: Sequence[str] = (), must_exist: bool = True) -> Path:
    """A file path (text or ``pathlib.Path``) with one of ``suffixes`` (if
    given); a missing file raises ``FileNotFoundError`` naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(both("checks.must_type", name=name, rule=_Text("checks.rule.path"),
                              value=f"{value!r:.80}", type=type(value).__name__))
    p = Path(value)
    if not str(value).strip():
        raise ValueError(both("checks.path_empty", name=name, value=repr(value)))
    if suffixes and p.suffix.lower() not in suffixes:
        joined = _Pair(*(_Text("checks.or").get(lang).join(suffixes) for lang in ("en", "zh")))
        raise ValueError(both("checks.path_suffix", name=name, suffixes=joined, value=f"{str(value)!r:.120}"))
    if must_exist and not p.is_file():
        raise FileNotFoundError(both("checks.path_missing", name=name, value=f"{str(value)!r:.120}"))
    return p
