"""casekit.formatting: one house formatter for readers' numbers and tables."""

import numpy as np
import pandas as pd
import pytest

from casekit import formatting as F


@pytest.mark.parametrize("func, value, expected", [
    (F.money, 6_000_000, "USD 6,000,000"),
    (F.money, -1234.6, "−USD 1,235"),
    (F.money, np.float64(9975.720000000001), "USD 9,976"),
    (F.count, 1927.0, "1,927"),
    (F.count, 1353724.0, "1,353,724"),
    (F.share, 0.2346, "23.5%"),
    (F.percent, 57.04, "57.0%"),
    (F.number, 1234.567, "1,234.57"),
    (F.money, float("nan"), "–"),
    (F.count, None, "–"),
])
def test_values(func, value, expected):
    assert func(value) == expected


def test_no_dollar_sign_anywhere():
    assert "$" not in F.money(5) + F.money(5, "CNY") + F.money(5, "EUR")
    assert F.money(5, "CNY") == "¥5"


def test_bad_values():
    with pytest.raises(TypeError, match=r"`x` must be a number, got 'abc'"):
        F.money("abc")
    with pytest.raises(ValueError, match=r"`unit` must be one of"):
        F.money(1, "GBP")


def test_table_formats_labels_and_whole_table():
    df = pd.DataFrame({"revenue": [1234.6, 2e6], "share_paid": [0.25, 0.5], "guests": [3.0, 1927.0],
                       "long": ["x" * 120, "y"]}, index=["a", "b"])
    t = F.table(df, {"revenue": "usd", "share_paid": "share"}, labels={"share_paid": "share paid"})
    assert t.frame.loc["a", "revenue"] == "USD 1,235"
    assert t.frame.loc["b", "share paid"] == "50.0%"
    assert t.frame.loc["b", "guests"] == "1,927"
    text, page = repr(t), t._repr_html_()
    assert "x" * 120 in text and "x" * 120 in page   # never cut with "…"
    assert "…" not in text and "..." not in text
    assert "text-align:right" in page and "<th" in page
    assert t.data.loc["a", "revenue"] == 1234.6  # the numbers stay available


def test_table_columns_and_errors():
    df = pd.DataFrame({"a": [1, 2], "b": [0.1, 0.2]})
    assert list(F.table(df, columns=["b"]).frame.columns) == ["b"]
    with pytest.raises(ValueError, match=r"`columns` names \['z'\]"):
        F.table(df, columns=["z"])
    with pytest.raises(ValueError, match=r"`formats\['a'\]` must be one of"):
        F.table(df, {"a": "dollars"})
    with pytest.raises(ValueError, match=r"`labels` names \['q'\]"):
        F.table(df, labels={"q": "x"})
    with pytest.raises(TypeError, match=r"`df` must be a pandas DataFrame"):
        F.table([1, 2])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: F.money(1.0, decimals=10**9), ValueError, r"`decimals` must be a whole number in \[0, 12\], got 1000000000"),
    (lambda: F.share(0.5, decimals=None), TypeError, r"`decimals` must be a whole number"),
    (lambda: F.number(1.0, decimals=-1), ValueError, r"`decimals`.*got -1"),
    (lambda: F.count(1, missing=0), TypeError, r"`missing` must be text"),
    (lambda: F.table(pd.DataFrame({"a": [1.0]}), "usd"), TypeError, r"`formats` must be a dict"),
    (lambda: F.table(pd.DataFrame({"a": [1.0]}), labels=["x"]), TypeError, r"`labels` must be a dict"),
    (lambda: F.table(pd.DataFrame({"a": [1.0]}), columns=3), TypeError, r"`columns` must be a list"),
    (lambda: F.table(pd.DataFrame({"a": [1.0]}), index_label=[]), TypeError, r"`index_label` must be text"),
    (lambda: F.Table(pd.DataFrame(), pd.DataFrame(), numeric=1), TypeError, r"`numeric` must be a dict"),
])
def test_options_are_checked(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_index_label_leaves_the_callers_frame_alone():
    df = pd.DataFrame({"a": [1, 2]}, index=pd.Index(["x", "y"], name="orig"))
    t1 = F.table(df, index_label="first")
    t2 = F.table(df, index_label="second")
    assert df.index.name == "orig"
    assert t1.frame.index.name == "first" and t2.frame.index.name == "second"
