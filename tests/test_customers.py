"""casekit.customers: the toolkit simulator."""

import re

import numpy as np
import pandas as pd
import pytest

from casekit import customers
from casekit import customers as c
from casekit import metrics


@pytest.fixture(scope="module")
def base():
    return c.make_customer_base(20_000, seed=7)


def test_schema_columns_and_dtypes(base):
    assert list(base.columns) == list(c.CUSTOMER_SCHEMA)
    assert base["segment"].cat.ordered and list(base["segment"].cat.categories) == list(c.SEGMENTS)
    assert base["customer_id"].dtype == "int64" and base["retained"].dtype == bool
    assert base["satisfaction"].between(1, 5).all()
    assert (base["margin"] <= base["revenue"]).all() and (base["revenue"] > 0).all()


def test_same_seed_same_frame_and_different_seeds_differ():
    pd.testing.assert_frame_equal(c.make_customer_base(500, seed=3), c.make_customer_base(500, seed=3))
    assert not c.make_customer_base(500, seed=3).equals(c.make_customer_base(500, seed=4))


def test_generator_seed_is_accepted_and_global_state_untouched():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    c.make_customer_base(100, seed=np.random.default_rng(1))
    assert np.random.random() == before


def test_calibration(base):
    # Top 20% give 55–70% of revenue (Kim, Singh & Winer 2017 measured 60–73%).
    assert 0.55 <= metrics.concentration(base["revenue"], 0.2) <= 0.70
    assert base["revenue"].mean() == pytest.approx(1000, rel=0.05)
    assert base["had_problem"].mean() == pytest.approx(0.25, abs=0.015)
    # Retention by outcome follows TARP's small-loss rates.
    rates = base.groupby("outcome", observed=True)["retained"].mean()
    assert rates["no_complaint"] == pytest.approx(0.37, abs=0.04)
    assert rates["resolved_quickly"] == pytest.approx(0.95, abs=0.04)
    assert rates["no_problem"] == pytest.approx(c.BASE_RETENTION, abs=0.02)


def test_segments_by_revenue(base):
    assert (base["segment"] == "key").mean() == pytest.approx(0.10, abs=0.01)
    med = base.groupby("segment", observed=True)["revenue"].median()
    assert med["occasional"] < med["regular"] < med["key"]


def test_purchases_add_up_to_revenue():
    small = c.make_customer_base(300, seed=5)
    p = c.make_purchases(small, seed=6)
    assert list(p.columns) == list(c.PURCHASE_SCHEMA)
    totals = p.groupby("customer_id")["amount"].sum()
    assert np.allclose(totals.reindex(small["customer_id"]).to_numpy(), small["revenue"].to_numpy(), atol=0.05 * 3)
    assert p["date"].dt.year.eq(2025).all()
    # Customers who left stop buying earlier in the year.
    last = p.groupby("customer_id")["date"].max()
    left = small.set_index("customer_id")["retained"]
    assert last[~left].mean() < last[left].mean()


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n": 0}, ValueError, r"`n` must be a whole number in \[1, 2000000\], got 0"),
        ({"n": 10, "seed": -1}, ValueError, r"`seed` must be None, a whole number >= 0"),
        ({"n": 10, "seed": "abc"}, ValueError, r"`seed` must be None"),
        ({"n": 10, "problem_rate": 1.5}, ValueError, r"`problem_rate` must be a number in \[0, 1\], got 1.5"),
        ({"n": 10, "mean_revenue": 0}, ValueError, r"`mean_revenue` must be a number in \(0, inf\), got 0"),
        ({"n": 10, "resolved_share": 0.8, "quick_share": 0.3}, ValueError, r"`resolved_share \+ quick_share` must be at most 1"),
    ],
)
def test_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        c.make_customer_base(**kwargs)


def test_purchases_bad_input():
    with pytest.raises(ValueError, match=r"`customers` must have the column\(s\) revenue, retained"):
        c.make_purchases(pd.DataFrame({"customer_id": [1]}))
    with pytest.raises(ValueError, match=r"`mean_ticket` must be a number in \(0, inf\)"):
        c.make_purchases(c.make_customer_base(5, seed=1), mean_ticket=0)


def test_every_column_and_category_has_a_label_in_both_languages():
    from casekit import i18n

    for ds in customers.DATASETS:
        assert i18n.has(f"datasets.{ds.name}.title")
        for column in ds.columns:
            assert i18n.has(f"datasets.{ds.name}.{column}"), (ds.name, column)
            with i18n.language("en"):
                assert i18n.t(f"datasets.{ds.name}.{column}") == ds.columns[column][1]
    for prefix, names in (("customers.segment", customers.SEGMENTS), ("metrics.outcome", customers.OUTCOMES),
                          ("customers.columns", customers.CUSTOMER_SCHEMA)):
        for name in names:
            with i18n.language("zh"):
                assert re.search(r"[\u4e00-\u9fff]", i18n.t(f"{prefix}.{name}")), (prefix, name)
