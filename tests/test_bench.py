"""The benchmark command's pieces work (its figures are printed by `make bench`,
never asserted as timings here)."""

import json
import numpy as np
import pytest

from casekit import bench, customers


def test_loop_baseline_makes_the_same_columns_as_the_simulator():
    rows = bench._customer_base_loop(2000, seed=1)
    assert len(rows) == 2000 and len(rows[0]) == len(customers.CUSTOMER_SCHEMA)
    # same model: the mean revenue and the key-segment share agree with the vectorised version
    revenue = np.array([r[3] for r in rows])
    assert abs(revenue.mean() / 1000 - 1) < 0.15
    assert abs(np.mean([r[1] == 2 for r in rows]) - 0.10) < 0.01


def test_live_panels_lists_the_what_ifs_still_alive():
    import gc

    from casekit import widgets

    first = widgets.what_if(lambda n: {"n": n}, {"n": widgets.slider("n", 1, 0, 5, 1)}, title="first")
    second = widgets.what_if(lambda n: {"n": n}, {"n": widgets.slider("n", 1, 0, 5, 1)}, title="second")
    titles = [w.title for w in widgets.live_panels()]
    assert titles.index("first") < titles.index("second")
    second.close()  # ipywidgets keeps every open widget; a closed one is let go
    del second
    gc.collect()
    assert "second" not in [w.title for w in widgets.live_panels()] and first in widgets.live_panels()


def test_widget_benchmark_times_every_panel_a_notebook_makes(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from casekit import widgets\n"
        "a = widgets.what_if(lambda n: {'sq': n * n}, {'n': widgets.slider('n', 2, 0, 9, 1)}, title='squares',\n"
        "                    chart=lambda r, *, ax, n: ax.plot([0, n], [0, r['sq']]))\n"
        "b = widgets.what_if(lambda k: {'k': k}, {'k': widgets.slider('k', 0.5, 0.0, 1.0, 0.1)}, title='plain')")]
    path = tmp_path / "two.ipynb"
    nbformat.write(nb, path)
    rows = bench._panels_of_notebook(path, moves=3)
    assert [r["panel"] for r in rows] == ["squares", "plain"]
    assert [r["slider"] for r in rows] == ["n", "k"]
    assert all(r["median_ms"] > 0 and r["p95_ms"] >= r["median_ms"] and r["cpu_median_ms"] >= 0 for r in rows)


def test_bench_sections_can_be_chosen():
    assert bench._parse_only(["--only", "import,widgets"]) == ("import", "widgets")
    assert bench._parse_only([]) == bench.SECTIONS
    with pytest.raises(SystemExit):
        bench._parse_only(["--only", "imports"])


def test_simulator_benchmark_reports_a_ratio():
    out = bench.bench_simulator(n=5000)
    assert out["rows"] == 5000 and out["speed_up"] > 0


def test_class_view_benchmark_reads_the_simulated_class():
    out = bench.bench_class(n_students=20, repeats=1)
    assert out["files"] == 20 and out["hub_homes"] == 20 and 0 < out["hub_load_s"] < 5
    assert {"json_floor_s", "load_and_summarise_s", "ratio_to_json_floor", "view_refresh_with_chart_s"} <= set(out)


def test_bench_reports_the_last_recorded_test_run(tmp_path, monkeypatch):
    from casekit import bench

    monkeypatch.setattr(bench, "ROOT", tmp_path)
    assert "not recorded" in bench.last_test_run()
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "test-run.json").write_text(json.dumps(
        {"finished": "2026-12-02 08:00", "wall_seconds": 301.4, "workers": 2, "cpus": 2,
         "passed": 10, "failed": 1, "error": 0, "skipped": 0}), encoding="utf-8")
    run = bench.last_test_run()
    assert run["wall time"].startswith("5 min 01 s") and "10 passed, 1 failed" in run["tests"]
