"""The benchmark command's pieces work (its figures are printed by `make bench`,
never asserted as timings here)."""

import numpy as np

from casekit import bench, customers


def test_loop_baseline_makes_the_same_columns_as_the_simulator():
    rows = bench._customer_base_loop(2000, seed=1)
    assert len(rows) == 2000 and len(rows[0]) == len(customers.CUSTOMER_SCHEMA)
    # same model: the mean revenue and the key-segment share agree with the vectorised version
    revenue = np.array([r[3] for r in rows])
    assert abs(revenue.mean() / 1000 - 1) < 0.15
    assert abs(np.mean([r[1] == 2 for r in rows]) - 0.10) < 0.01


def test_widget_benchmark_finds_the_what_if_panels():
    out = bench.bench_widgets(moves=3)
    assert "toolkit.build_customer_value_widget" in out
    assert {"median_ms", "p95_ms", "slider"} <= set(out["toolkit.build_customer_value_widget"])


def test_simulator_benchmark_reports_a_ratio():
    out = bench.bench_simulator(n=5000)
    assert out["rows"] == 5000 and out["speed_up"] > 0


def test_class_view_benchmark_reads_the_simulated_class():
    out = bench.bench_class(n_students=20, repeats=1)
    assert out["files"] == 20
    assert {"json_floor_s", "load_and_summarise_s", "ratio_to_json_floor", "view_refresh_with_chart_s"} <= set(out)
