"""casekit.datasets: every CSV in data/ equals its simulator's output for its seed."""

import pandas as pd
import pytest

from casekit import datasets

NAMES = list(datasets.all_datasets())


def test_every_declared_dataset_has_files():
    for name in NAMES:
        ds = datasets.get(name)
        assert ds.csv_path.exists(), f"{ds.csv_path} missing: run python -m casekit.datasets write {name}"
        assert ds.dictionary_path.exists()


def test_every_csv_in_data_is_declared():
    declared = {datasets.get(n).csv_path.name for n in NAMES}
    for csv in datasets.DATA_DIR.glob("*.csv"):
        assert csv.name in declared, f"{csv.name} is not declared in any casekit module's DATASETS"


@pytest.mark.parametrize("name", NAMES)
def test_shipped_csv_equals_the_simulator(name):
    shipped = datasets.load(name)
    rebuilt = datasets.build(name)
    pd.testing.assert_frame_equal(shipped, rebuilt, check_exact=False, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_dictionary_lists_every_column(name):
    text = datasets.get(name).dictionary_path.read_text(encoding="utf-8")
    for column in datasets.get(name).columns:
        assert f"`{column}`" in text


def test_describe_is_a_table():
    d = datasets.describe("toolkit_customers")
    assert list(d.columns) == ["column", "type", "description"]
    assert d["column"].tolist()[0] == "customer_id"


def test_unknown_dataset():
    with pytest.raises(ValueError, match=r"`name` must be one of .*got 'nope'"):
        datasets.load("nope")


def test_bad_declaration():
    with pytest.raises(ValueError, match=r"column 'a' has kind 'decimal'"):
        datasets.Dataset("x", "t", "d", lambda: None, {"a": ("decimal", "x")})
    with pytest.raises(ValueError, match=r"must be \(kind, description\)"):
        datasets.Dataset("x", "t", "d", lambda: None, {"a": "int"})
