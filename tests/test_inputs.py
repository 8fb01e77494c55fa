"""Issue #14, items 10-12: the examples the outside fuzz found, one test each.

Bad input gets a ValueError/TypeError that names the argument; sizes and
loop counts have an upper bound and are refused at once above it; valid edge
inputs work.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casekit import (customers, dell, dell_customers, haidilao, haier, hotel, ikea, metrics, plotting,
                     queueing, toolkit)


# -- item 10: clear errors -----------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: plotting.plot_pareto(metrics.pareto_table([3.0, 1.0]), ax="abc"),
    lambda: plotting.plot_what_if([0, 1], [1, 2], ax="abc"),
    lambda: plotting.get_axes("abc"),
    lambda: plotting.get_axes(plt.figure()),  # a Figure is not an Axes
    lambda: haier.plot_yearly(haier.yearly_kpis(haier.make_haier_records(100, seed=1).tickets), ax="abc"),
])
def test_plot_ax_must_be_an_axes(call):
    with pytest.raises(TypeError, match="`ax` must be a matplotlib Axes"):
        call()
    plt.close("all")


def test_get_axes_passes_an_axes_through():
    fig, ax = plt.subplots()
    assert plotting.get_axes(ax) is ax
    plt.close(fig)


def test_service_vs_product_refuses_the_unused_outlets():
    with pytest.raises(TypeError, match="`outlets` is not used"):
        haier.service_vs_product(outlets=1000)
    assert len(haier.service_vs_product()) == 4


@pytest.mark.parametrize("ids, exc", [("abc", TypeError), (5, TypeError), ([1, 2], ValueError),
                                      ([[1], [2], [3]], ValueError)])
def test_pareto_table_ids(ids, exc):
    with pytest.raises(exc, match="`ids`"):
        metrics.pareto_table([3.0, 1.0, 2.0], ids=ids)


@pytest.fixture(scope="module")
def purchases():
    return customers.make_purchases(customers.make_customer_base(60, seed=1), seed=2)


@pytest.mark.parametrize("as_of, exc", [(123, TypeError), (1.5, TypeError), ("not a date", ValueError),
                                        ("2000-01-01", ValueError), ([], TypeError)])
def test_rfm_as_of_is_a_date_after_the_last_purchase(purchases, as_of, exc):
    with pytest.raises(exc, match="`as_of`"):
        metrics.rfm_scores(purchases, as_of=as_of)


def test_rfm_recency_is_never_negative(purchases):
    last = purchases["date"].max()
    out = metrics.rfm_scores(purchases, as_of=last)
    assert out["recency_days"].min() == 0
    out = metrics.rfm_scores(purchases, as_of=str((last + pd.Timedelta(days=10)).date()))
    assert out["recency_days"].min() == 10


@pytest.mark.parametrize("kw", ["customer", "date", "amount"])
def test_rfm_column_names_are_named(purchases, kw):
    with pytest.raises(ValueError, match=f"`{kw}`"):
        metrics.rfm_scores(purchases, **{kw: "nope"})
    with pytest.raises(TypeError, match=f"`{kw}`"):
        metrics.rfm_scores(purchases, **{kw: 5})


@pytest.mark.parametrize("counts", [{}, {"resolved": 0}])
def test_recovery_loyalty_without_customers_is_refused(counts):
    with pytest.raises(ValueError, match="`counts` must hold at least one customer"):
        metrics.recovery_loyalty(counts)


def test_recovery_loyalty_total_is_a_number():
    out = metrics.recovery_loyalty({"resolved": 10})
    assert np.isfinite(out.loc["total", "loyalty"])


def test_catalogue_vs_ads_on_an_empty_frame():
    empty = ikea.make_ikea_catalogue(50, seed=1).iloc[0:0]
    with pytest.raises(ValueError, match="`households` must have at least one row"):
        ikea.catalogue_vs_ads(empty)


@pytest.fixture(scope="module")
def supply():
    return dell.make_dell_supply_chain(seed=3), dell.make_dell_supply_chain(seed=3, price_gap=0.1)


def test_break_even_price_gap_on_a_one_row_frame(supply):
    a, b = supply
    with pytest.raises(ValueError, match="`supply_gap0` must hold both models"):
        dell.break_even_price_gap(a.iloc[:1], b, gap1=0.1)
    with pytest.raises(ValueError, match="`supply_gap1` must be simulated with the price gap"):
        dell.break_even_price_gap(a, a, gap1=0.1)
    assert 0 < dell.break_even_price_gap(a, b, gap1=0.1) < 0.1


@pytest.fixture(scope="module")
def visit_inputs():
    d = haidilao.draw_diners(40, seed=1)
    q = haidilao.queue_day(190.0)
    slot = np.minimum((d.slot * len(q)).astype(int), len(q) - 1)
    return dict(queue=q, slot_index=slot, wait_u=d.wait_u, wait_e=d.wait_e, walk_u=d.walk_u,
                problem_u=d.problem_u, comp_u=d.comp_u, score_z=d.score_z)


@pytest.mark.parametrize("name, bad, exc", [
    ("queue", "abc", TypeError),
    ("queue", pd.DataFrame({"x": [1]}), TypeError),
    ("slot_index", "abc", TypeError),
    ("slot_index", np.array([10_000] * 40), ValueError),
    ("slot_index", np.arange(3), ValueError),
    ("wait_u", np.full(40, 2.0), ValueError),
    ("walk_u", [np.nan] * 40, ValueError),
    ("wait_e", np.full(40, -1.0), ValueError),
    ("score_z", {"a": 1}, TypeError),
    ("comp_u", 0.5, TypeError),
])
def test_visit_outcomes_checks_its_arrays(visit_inputs, name, bad, exc):
    kwargs = {**visit_inputs, name: bad}
    with pytest.raises(exc, match=f"`{name}`"):
        haidilao.visit_outcomes(**kwargs)


def test_visit_outcomes_valid(visit_inputs):
    out = haidilao.visit_outcomes(**visit_inputs)
    assert out["score"].shape == (40,)


# -- item 11: upper bounds -----------------------------------------------------

HUGE = 10**9


@pytest.mark.parametrize("call, name", [
    (lambda: customers.make_customer_base(HUGE), "n"),
    (lambda: dell_customers.make_dell_customers(HUGE), "n"),
    (lambda: dell.dell_draws(accounts=HUGE), "accounts"),
    (lambda: dell.make_dell_supply_chain(weeks=HUGE), "weeks"),
    (lambda: haidilao.draw_diners(HUGE), "n"),
    (lambda: haidilao.make_haidilao_diners(HUGE), "n"),
    (lambda: haidilao.make_haidilao_days(HUGE), "n_days"),
    (lambda: haier.make_haier_records(HUGE), "n"),
    (lambda: hotel.draw_stays(HUGE), "n_rooms"),
    (lambda: hotel.make_hotel_stays(HUGE), "n_rooms"),
    (lambda: ikea.draw_visits(HUGE), "n"),
    (lambda: ikea.make_ikea_visits(HUGE), "n"),
    (lambda: ikea.compare_stores(HUGE), "n"),
    (lambda: ikea.make_ikea_catalogue(HUGE), "n"),
    (lambda: haidilao.queue_day(190.0, tables=HUGE), "tables"),
    (lambda: haidilao.day_summary(haidilao.queue_day(190.0), tables=HUGE), "tables"),
    (lambda: haidilao.store_model(tables=HUGE), "tables"),
    (lambda: haidilao.compare_styles(tables=HUGE), "tables"),
    (lambda: haidilao.spend_curve([0.0], tables=HUGE), "tables"),
    (lambda: haidilao.expansion_path([0.5], tables=HUGE), "tables"),
    (lambda: haidilao.calibration(tables=HUGE), "tables"),
    (lambda: haidilao.perk_value(tables=HUGE), "tables"),
    (lambda: haidilao.whatif_store(tables=HUGE), "tables"),
    (lambda: haidilao.make_haidilao_diners(10, tables=HUGE), "tables"),
    (lambda: haidilao.make_haidilao_days(7, tables=HUGE), "tables"),
    (lambda: haidilao.spend_curve(np.zeros(10_000)), "budgets"),
    (lambda: queueing.erlang_b(2.0, HUGE), "servers"),
    (lambda: queueing.mmc_walkaway(2.0, 1.0, 3, walk_rate=1.0, iterations=HUGE), "iterations"),
    (lambda: metrics.word_of_mouth(1, 1, generations=HUGE), "generations"),
    (lambda: haier.network_model(HUGE * 10, 0.8, 0.6), "outlets"),
])
def test_sizes_above_their_bound_are_refused_at_once(call, name):
    t = time.perf_counter()
    with pytest.raises(ValueError, match=f"`{name}` must"):
        call()
    assert time.perf_counter() - t < 2.0


def test_bounds_are_documented_constants():
    assert customers.MAX_N >= 1_000_000  # the benchmark's size
    assert haidilao.MAX_TABLES >= haidilao.TABLES
    assert hotel.MAX_ROOMS >= hotel.DATASET_ROOMS
    assert queueing.MAX_SERVERS >= 1_000
    assert metrics.MAX_GENERATIONS >= 10
    for mod in (haidilao, ikea, haier, dell_customers):
        assert mod.MAX_N >= 100_000


def test_word_of_mouth_overflow_is_refused():
    with pytest.raises(ValueError, match="`generations`"):
        metrics.word_of_mouth(1e9, 1e9, tell_satisfied=1e6, tell_dissatisfied=1e6, pass_on=0.9,
                              generations=100)


# -- item 12: valid edge inputs ------------------------------------------------

def test_base_retention_of_one_is_valid():
    df = customers.make_customer_base(200, seed=1, base_retention=1.0)
    no_problem = df[df["outcome"] == "no_problem"]
    assert no_problem["retained"].all()
    assert df["tenure_years"].between(0, customers.MAX_TENURE_YEARS).all()


def test_base_retention_near_one_has_sensible_tenure():
    df = customers.make_customer_base(200, seed=1, base_retention=0.9999)
    assert df["tenure_years"].max() <= customers.MAX_TENURE_YEARS


@pytest.mark.parametrize("retention", [0.5, 0.9, 0.95, 0.98, 0.985, 0.989, 0.995, 0.999])
def test_customer_value_gain_is_never_a_negative_or_zero_step(retention):
    out = toolkit.customer_value(retention, 0.1, 100, 250, 50)
    (label,) = [k for k in out if k.startswith("value gain")]
    assert "+-" not in label and "+0 " not in label
    if "points" in label:
        assert float(out[label].rstrip("%")) > 0
    else:
        assert out[label].startswith("none")


def test_customer_value_refuses_retention_of_one():
    with pytest.raises(ValueError, match="`retention`"):
        toolkit.customer_value(1.0, 0.1, 100, 250, 50)


# -- issue 16: argument errors a Chinese reader can read ---------------------------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

from casekit import _checks, datasets, i18n, sqlkit  # noqa: E402

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _halves(call, exc=(TypeError, ValueError, FileNotFoundError)):
    with pytest.raises(exc) as info:
        call()
    en, sep, zh = str(info.value).partition(" · ")
    assert sep, f"no ' · ' between English and Chinese in {str(info.value)!r}"
    assert not _CJK.search(en) and _CJK.search(zh), str(info.value)
    return en, zh


@pytest.mark.parametrize("call, name, value, zh_rule", [
    (lambda: queueing.erlang_c(2.0, -1), "servers", "-1", "区间 [1, 10000] 内的整数"),
    (lambda: metrics.retention_rate(-5, 3), "customers_at_start", "-5", ""),
    (lambda: datasets.load("x"), "name", "'x'", "以下之一"),
    (lambda: sqlkit.schema(3), "db", "int", "sqlite3 连接"),
    (lambda: sqlkit.schema("no_such_file.db"), "db", "'no_such_file.db'", "找不到"),
    (lambda: haidilao.spend_curve("abc"), "budgets", "'abc'", "一组大于或等于 0 的数"),
    (lambda: haier.failure_rates("abc"), "model_years", "'abc'", "年份"),
    (lambda: haier.network_curve(0.5, 0.5, outlets={"a": 1}), "outlets", "{'a': 1}", "网点数"),
    (lambda: _checks.check_frame("stays", "abc"), "stays", "str", "pandas DataFrame"),
    (lambda: _checks.check_positive("price", -3), "price", "-3", "大于 0 的数"),
    (lambda: _checks.check_number("share", 1.5, high=1), "share", "1.5", "小于或等于 1 的数"),
    (lambda: _checks.check_number("x", float("nan")), "x", "nan", "有限的数"),
    (lambda: _checks.check_at_most("n", 10**9, 1000), "n", "1000000000", "不能大于 1,000"),
    (lambda: _checks.check_mapping("kept", [1]), "kept", "[1]", "字典（dict）或 None"),
    (lambda: _checks.check_path("file", "a.txt", suffixes=(".csv", ".xlsx")), "file", "'a.txt'", ".csv 或 .xlsx"),
])
def test_a_wrong_argument_is_named_in_chinese_too(call, name, value, zh_rule):
    """English as before, then " · ", then Chinese that names the argument,
    states the rule and shows the value."""
    en, zh = _halves(call)
    assert f"`{name}`" in en and f"`{name}`" in zh
    assert value in en and value in zh
    assert zh_rule in zh


def test_every_rule_a_module_passes_is_a_catalogue_key():
    """`rule=` of check_array_like/check_mapping and the keys of the checks
    themselves are catalogue keys (a plain English rule would show untranslated)."""
    root = Path(_checks.__file__).parent
    keys = set()
    for p in root.glob("*.py"):
        text = p.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\brule=\(?["']([\w.]+)["']""", text))
        keys |= set(re.findall(r"""\bboth\(\s*["']([\w.]+)["']""", text))
        keys |= set(re.findall(r"""_Text\(\s*["']([\w.]+)["']""", text))
    assert len(keys) > 30, keys
    assert not [k for k in keys if not i18n.has(k)]
    assert "checks.rule.rates" in keys and "checks.rule.years" in keys


def test_a_note_goes_after_each_language():
    en, zh = _halves(lambda: metrics.recovery_loyalty({"resolved": -1}))
    assert en.endswith("got -1 (each count is a number of customers)")
    assert zh.endswith("现在是 -1（每个计数都是顾客人数）")


def test_a_key_rule_with_values_and_plain_text_rules():
    en, zh = _halves(lambda: _checks.check_array_like("ys", "abc", rule=("checks.rule.years", {"first": 1, "last": 9})))
    assert "a list of years in [1, 9]" in en and "[1, 9]" in zh
    # text that is not a key is shown as it is (in both halves)
    en, zh = _halves(lambda: _checks.check_mapping("m", 3, rule="a dict of things", allow_none=False))
    assert "a dict of things" in en and "a dict of things" in zh
