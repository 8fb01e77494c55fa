"""One house formatter for every number and table a reader sees.

Money with thousands separators and its currency written out ("USD 1,234",
never a dollar sign: JupyterLab renders ``$…$`` as maths), counts as whole
numbers, shares as percentages. :func:`table` turns a DataFrame into a
display object that shows the whole table (no "…" truncation), with human
column labels and formatted cells, and a plain-text form that nbval checks.

Examples
--------
>>> money(1234567.8)
'USD 1,234,568'
>>> money(1234.6)
'USD 1,235'
>>> money(-2.5e6, unit="CNY")
'−¥2,500,000'
>>> share(0.2346)
'23.5%'
>>> count(1927.0)
'1,927'
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .i18n import get_language, t
from ._checks import check_choice, check_int, check_mapping, check_optional_str, check_sequence, check_str

__all__ = ["money", "count", "share", "percent", "number", "KINDS", "Table", "table"]

MINUS = "−"  # a real minus sign reads better than a hyphen in tables
_CURRENCY = {"USD": "USD ", "CNY": "¥", "EUR": "EUR ", "SEK": "SEK "}
# In the Chinese edition a currency's name follows the number: "1,234 美元".
_CURRENCY_ZH = {"USD": "美元", "EUR": "欧元", "SEK": "瑞典克朗"}


def _is_missing(x) -> bool:
    return x is None or (isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isnan(float(x))) \
        or x is pd.NA or x is pd.NaT


def _real(name, x) -> float:
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a number, got {x!r}")
    return float(x)


MAX_DECIMALS = 12
"""Most decimals a formatter shows (more is noise, and a typo such as
``decimals=10**9`` must not build a billion-digit string)."""


def _options(decimals, missing) -> int:
    """Check the options every formatter shares; return ``decimals``."""
    check_str("missing", missing, allow_empty=True)
    return check_int("decimals", decimals, low=0, high=MAX_DECIMALS)


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text


def money(x, unit: str = "USD", *, decimals: int = 0, missing: str = "–") -> str:
    """``money(1234.5)`` → ``'USD 1,235'``; ``unit`` is "USD", "CNY" (¥), "EUR" or "SEK".

    In the Chinese edition (``casekit.set_language("zh")``) the currency's
    Chinese name follows the number, ``'1,235 美元'``; yuan stay ``'¥1,235'``."""
    check_choice("unit", unit, _CURRENCY)
    decimals = _options(decimals, missing)
    if _is_missing(x):
        return missing
    v = _real("x", x)
    if math.isinf(v):
        return _signed("∞", v < 0)
    body = f"{abs(v):,.{decimals}f}"
    negative = round(v, decimals) < 0
    if unit in _CURRENCY_ZH and get_language() == "zh":
        return _signed(f"{body} {_CURRENCY_ZH[unit]}", negative)
    return _signed(f"{_CURRENCY[unit]}{body}", negative)


def count(x, *, missing: str = "–") -> str:
    """A count as a whole number with separators: ``count(1353724.0)`` → ``'1,353,724'``."""
    check_str("missing", missing, allow_empty=True)
    if _is_missing(x):
        return missing
    v = _real("x", x)
    if math.isinf(v):
        return _signed("∞", v < 0)
    r = round(v)
    return _signed(f"{abs(r):,.0f}", r < 0)


def share(x, *, decimals: int = 1, missing: str = "–") -> str:
    """A share in [0, 1] as a percentage: ``share(0.25)`` → ``'25.0%'``."""
    decimals = _options(decimals, missing)
    if _is_missing(x):
        return missing
    return percent(_real("x", x) * 100, decimals=decimals)


def percent(x, *, decimals: int = 1, missing: str = "–") -> str:
    """A number already in percent: ``percent(25)`` → ``'25.0%'``."""
    text = number(x, decimals=decimals, missing=missing)
    if _is_missing(x) or math.isinf(float(x)):
        return text
    return f"{text}%"


def number(x, *, decimals: int = 2, missing: str = "–") -> str:
    """A plain number with separators: ``number(1234.567, decimals=1)`` → ``'1,234.6'``."""
    decimals = _options(decimals, missing)
    if _is_missing(x):
        return missing
    v = _real("x", x)
    if math.isinf(v):
        return _signed("∞", v < 0)
    negative = round(v, decimals) < 0
    return _signed(f"{abs(v):,.{decimals}f}", negative)


def _text(x) -> str:
    if _is_missing(x):
        return "–"
    if isinstance(x, bool) or isinstance(x, np.bool_):
        return t("common.yes") if x else t("common.no")
    return str(x)


KINDS: dict[str, Callable] = {
    "usd": lambda x: money(x, "USD"),
    "cny": lambda x: money(x, "CNY"),
    "count": count,
    "int": count,
    "share": share,
    "percent": percent,
    "dec1": lambda x: number(x, decimals=1),
    "dec2": lambda x: number(x, decimals=2),
    "text": _text,
}


def _auto(series: pd.Series) -> Callable:
    if pd.api.types.is_bool_dtype(series):
        return _text
    if pd.api.types.is_integer_dtype(series):
        return count
    if pd.api.types.is_float_dtype(series):
        vals = series.dropna()
        if len(vals) and np.all(np.isclose(vals, np.round(vals))) and vals.abs().max() >= 10:
            return count
        return KINDS["dec2"] if len(vals) and vals.abs().max() < 10 else KINDS["dec1"]
    return _text


class Table:
    """A formatted table for readers: renders as HTML (whole table, numbers
    right-aligned) and as plain text (what nbval compares).

    Attributes
    ----------
    frame : DataFrame of strings, the cells as shown
    data : DataFrame, the numbers behind them (for tests and further work)
    """

    def __init__(self, frame: pd.DataFrame, data: pd.DataFrame, *, caption: str | None = None,
                 numeric: Mapping[str, bool] | None = None):
        for name, value in (("frame", frame), ("data", data)):
            if not isinstance(value, pd.DataFrame):
                raise TypeError(f"`{name}` must be a pandas DataFrame, got {value!r:.80} ({type(value).__name__})")
        self.frame = frame
        self.data = data
        self.caption = check_optional_str("caption", caption)
        self._numeric = check_mapping("numeric", numeric, rule="checks.rule.column_flags")

    def _repr_html_(self) -> str:
        head_cells = "".join(f"<th style='text-align:{'right' if self._numeric.get(c) else 'left'}'>"
                             f"{html.escape(str(c))}</th>" for c in self.frame.columns)
        index_name = self.frame.index.name or ""
        show_index = not isinstance(self.frame.index, pd.RangeIndex)
        head = (f"<th>{html.escape(str(index_name))}</th>" if show_index else "") + head_cells
        rows = []
        for idx, row in self.frame.iterrows():
            cells = "".join(
                f"<td style='text-align:{'right' if self._numeric.get(c) else 'left'}'>{html.escape(v)}</td>"
                for c, v in row.items())
            lead = f"<th style='text-align:left'>{html.escape(str(idx))}</th>" if show_index else ""
            rows.append(f"<tr>{lead}{cells}</tr>")
        cap = f"<caption style='caption-side:bottom;text-align:left'><i>{html.escape(self.caption)}</i></caption>" \
            if self.caption else ""
        return (f"<table class='casekit-table dataframe'>{cap}<thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.max_columns", None,
                               "display.width", 250, "display.max_rows", None):
            text = self.frame.to_string(index=not isinstance(self.frame.index, pd.RangeIndex))
        return text + (f"\n{self.caption}" if self.caption else "")

    def __len__(self) -> int:
        return len(self.frame)


def table(df, formats: Mapping | None = None, *, labels: Mapping[str, str] | None = None,
          columns=None, index_label: str | None = None, caption: str | None = None) -> Table:
    """Format a DataFrame (or Series) for readers.

    Parameters
    ----------
    df : DataFrame or Series
    formats : mapping column -> kind or callable, optional
        Kinds: "usd", "cny", "count", "int", "share" (0.25 → 25.0%),
        "percent" (25 → 25.0%), "dec1", "dec2", "text". Columns not named
        are formatted by dtype (whole numbers as counts, others with one or
        two decimals).
    labels : mapping column -> human label, optional
    columns : list, optional
        Which columns to show, in order (default: all).
    index_label : str, optional
        A label for the index column.
    caption : str, optional
        One line under the table.

    Examples
    --------
    >>> t = table(pd.DataFrame({"rev": [1234.6], "p": [0.25]}), {"rev": "usd", "p": "share"},
    ...           labels={"rev": "revenue", "p": "share paid"})
    >>> t.frame.iloc[0].tolist()
    ['USD 1,235', '25.0%']
    """
    if isinstance(df, pd.Series):
        df = df.to_frame(name=df.name if df.name is not None else "value")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"`df` must be a pandas DataFrame or Series, got {type(df).__name__}")
    formats = check_mapping("formats", formats, rule="checks.rule.column_formats")
    labels = check_mapping("labels", labels, rule="checks.rule.column_labels")
    check_optional_str("index_label", index_label)
    check_optional_str("caption", caption)
    if columns is None:
        columns = list(df.columns)
    else:
        columns = check_sequence("columns", columns, allow_empty=True)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise ValueError(f"`columns` names {missing}, not in the table's columns {list(df.columns)}")
    for name, mapping in (("formats", formats), ("labels", labels)):
        unknown = [c for c in mapping if c not in df.columns]
        if unknown:
            raise ValueError(f"`{name}` names {unknown}, not in the table's columns {list(df.columns)}")
    out = {}
    numeric = {}
    for c in columns:
        f = formats.get(c)
        if f is None:
            f = _auto(df[c])
        elif isinstance(f, str):
            check_choice(f"formats[{c!r}]", f, KINDS)
            f = KINDS[f]
        elif not callable(f):
            raise TypeError(f"`formats[{c!r}]` must be a kind name or a function, got {f!r}")
        label = labels.get(c, c)
        out[label] = [f(v) for v in df[c].tolist()]
        numeric[label] = f is not _text and (pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]))
    # A copy of the index: naming it must not rename the caller's.
    frame = pd.DataFrame(out, index=df.index.copy())
    if index_label is not None:
        frame.index.name = index_label
    return Table(frame, df[columns].copy(), caption=caption, numeric=numeric)
