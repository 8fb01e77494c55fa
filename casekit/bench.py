"""Speed figures for the course (``make bench``): each one a ratio against a
baseline measured in the same run, so the numbers mean the same on a slow or
a fast machine. Prints a table and writes ``build/bench.json``.

1. Kernel floor: running a notebook that only imports pandas, matplotlib,
   ipywidgets and casekit; every course notebook's run time as a multiple of it.
2. What-if latency: every notebook of both editions runs in a kernel; then,
   in that kernel, the first slider of every what-if panel it made
   (:func:`casekit.widgets.live_panels`) moves 50 times: median and 95th
   percentile of the whole update (model, table and chart) and of the model
   alone. Kernels' own messages go to ``build/bench-kernels.log``.
3. Simulator throughput: rows per second of the vectorised customer simulator
   at n = 1,000,000 against a row-by-row Python loop making the same columns.
4. ``import casekit`` (and the heavier ``casekit.widgets``) against a bare
   interpreter start, and what ``casekit.widgets`` adds to the imports every
   notebook makes anyway (pandas, matplotlib.pyplot, ipywidgets).

``python -m casekit.bench --only import,widgets`` runs some sections only
(then it writes ``build/bench-import-widgets.json`` instead).
5. Grading: plain serial ``nbgrader autograde`` against ``make grade`` (every
   kernel in a sandbox) on the same 40 prepared submissions, in this run.
6. Class view (issue 18: under a second for 300 files): a simulated class of
   300 answer files (``casekit.classsim``) loaded and summarised (every
   question: answered, poll spread, key points, samples, frequent words,
   participation), against the floor of reading and parsing the same files
   with ``json``; and one refresh of the projected view, chart included.
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench.json"

GRADING_STUDENTS = 40  # a class (issue 15: at least 1.8 times serial nbgrader, sandbox included)
_FLOOR_CELL = "import pandas, matplotlib.pyplot, ipywidgets, casekit, casekit.widgets, casekit.metrics"


_CPU_CELL = "import time as _t; print(repr(_t.process_time()))"
"""Appended to each timed notebook: the kernel's own CPU time (imports
included), which a busy shared machine inflates far less than wall time."""


def _run_with_cell(path: Path, code: str) -> tuple[float, str]:
    """Run notebook ``path`` in a fresh kernel with one more cell ``code`` at
    the end: (wall seconds, what that cell printed)."""
    import nbformat

    from .nbtools import run

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(code))
    with _kernel_log() as log:
        t0 = time.perf_counter()
        run(nb, path.parent, timeout=900, stderr=log)
        wall = time.perf_counter() - t0
    return wall, "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")


def _run_notebook(path: Path) -> tuple[float, float]:
    """Run a notebook in a fresh kernel: (wall seconds, kernel CPU seconds)."""
    wall, printed = _run_with_cell(path, _CPU_CELL)
    return wall, float(printed.split()[-1])


def bench_notebooks(repeats: int = 2) -> dict:
    """Each notebook's best-of-``repeats`` wall time and kernel CPU time, as
    ratios to a kernel that only imports what every notebook imports (the
    floor, measured in the same run). Target: every notebook ≤ 1.5× floor."""
    import nbformat

    def best(path):
        runs = [_run_notebook(path) for _ in range(repeats)]
        return min(r[0] for r in runs), min(r[1] for r in runs)

    with tempfile.TemporaryDirectory() as tmp:
        floor_nb = Path(tmp) / "floor.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(_FLOOR_CELL)]
        nbformat.write(nb, floor_nb)
        floor, floor_cpu = best(floor_nb)
    rows = {}
    for path in _notebooks():
        seconds, cpu = best(path)
        rows[path.relative_to(ROOT / "notebooks").as_posix()] = {
            "seconds": round(seconds, 2), "ratio_to_floor": round(seconds / floor, 2),
            "cpu_seconds": round(cpu, 2), "cpu_ratio_to_floor": round(cpu / floor_cpu, 2)}
    return {"kernel_floor_seconds": round(floor, 2), "kernel_floor_cpu_seconds": round(floor_cpu, 2),
            "worst_ratio": max(r["ratio_to_floor"] for r in rows.values()),
            "worst_cpu_ratio": max(r["cpu_ratio_to_floor"] for r in rows.values()), "notebooks": rows}


def _notebooks() -> list[Path]:
    """Every course notebook, both editions: English, then 中文 (notebooks/zh/)."""
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))


def _slider_values(w):
    """Values to step through for the first numeric slider of a what-if panel."""
    for name, control in w.controls.items():
        if hasattr(control, "min") and hasattr(control, "max") and hasattr(control, "step"):
            grid = np.arange(control.min, control.max + control.step / 2, control.step)
            if isinstance(control.value, int):
                grid = grid.round().astype(int)
            return name, [type(control.value)(v) for v in grid]
    raise ValueError("the panel has no slider")


def _percentiles(seconds: list) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(seconds)
    return (round(1000 * statistics.median(ordered), 2), round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2))


def time_panel(w, moves: int = 50) -> dict:
    """Move the first slider of what-if panel ``w`` ``moves`` times: the time
    of each whole update (model, table and chart; wall clock, and the CPU
    time of the median), and of the model alone at another value of the
    slider (so that it is not just a cache hit)."""
    name, grid = _slider_values(w)
    start = w.controls[name].value
    times, compute, cpu = [], [], []
    for i in range(moves):
        other = grid[(i * 7 + 4) % len(grid)]
        t0 = time.perf_counter()
        w.compute(**{**w.values, name: other})  # the model alone, from cached draws
        compute.append(time.perf_counter() - t0)
        value = grid[(i * 7 + 1) % len(grid)]
        if value == w.controls[name].value:
            value = grid[(i * 7 + 2) % len(grid)]
        t0, c0 = time.perf_counter(), time.process_time()
        w.controls[name].value = value  # recompute + redraw the chart
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    w.controls[name].value = start
    median, p95 = _percentiles(times)
    compute_median, compute_p95 = _percentiles(compute)
    # CPU time of the kernel: on a shared, loaded machine it shows the work
    # done, where the wall-clock time also counts waiting for a core.
    return {"slider": name, "compute_median_ms": compute_median, "compute_p95_ms": compute_p95,
            "median_ms": median, "p95_ms": p95, "cpu_median_ms": _percentiles(cpu)[0]}


def time_live_panels(moves: int = 50) -> list:
    """:func:`time_panel` for every what-if panel alive in this process (run
    inside a notebook's kernel after the notebook has run)."""
    import gc

    from .widgets import live_panels

    gc.collect()
    return [{"panel": w.title or type(w).__name__, **time_panel(w, moves)} for w in live_panels()]


_PANEL_CELL = ("import json as _json\nfrom casekit import bench as _bench\n"
               "print('CASEKIT-BENCH ' + _json.dumps(_bench.time_live_panels({moves}), ensure_ascii=False))")


def _kernel_log():
    """Where the kernels' own messages go (never on the bench's screen)."""
    OUT.parent.mkdir(exist_ok=True)
    return open(OUT.parent / "bench-kernels.log", "a", encoding="utf-8")


def _panels_of_notebook(path: Path, moves: int) -> list:
    """Run notebook ``path`` in a kernel, then time every what-if panel it made."""
    _, printed = _run_with_cell(path, _PANEL_CELL.format(moves=int(moves)))
    line = next(x for x in printed.splitlines() if x.startswith("CASEKIT-BENCH "))
    return json.loads(line.removeprefix("CASEKIT-BENCH "))


def bench_widgets(moves: int = 50, notebooks=None) -> dict:
    """Every what-if panel of every notebook (both editions), timed in the
    notebook's own kernel: label "notebook · panel title" → times."""
    out = {}
    for path in _notebooks() if notebooks is None else notebooks:
        name = Path(path).resolve().relative_to(ROOT / "notebooks").as_posix()
        for row in _panels_of_notebook(Path(path), moves):
            label = f"{name} · {row.pop('panel')}"
            while label in out:
                label += "'"
            out[label] = row
    return out


def _customer_base_loop(n: int, seed: int = 0):
    """Row-by-row baseline: the same columns as make_customer_base, one customer
    at a time with Python's own loop (the way a spreadsheet macro would)."""
    from .customers import _SATISFACTION_BY_OUTCOME, BASE_RETENTION, OUTCOMES, REVENUE_SIGMA
    from .metrics import TARP_LOYALTY

    rng = np.random.default_rng(seed)
    loyalty = [BASE_RETENTION, *TARP_LOYALTY["small_loss"].tolist()]
    sat_mean = [_SATISFACTION_BY_OUTCOME[o] for o in OUTCOMES]
    rows = []
    mu = np.log(1000.0) - REVENUE_SIGMA**2 / 2
    for i in range(n):
        revenue = round(float(np.exp(mu + REVENUE_SIGMA * rng.standard_normal())), 2)
        tenure = int(rng.geometric(1 - BASE_RETENTION)) - 1
        had_problem = rng.random() < 0.25
        code = 0
        if had_problem:
            code = 1
            if rng.random() < 0.30:
                u = rng.random()
                code = 4 if u < 0.30 else (3 if u < 0.75 else 2)
        retained = rng.random() < loyalty[code]
        sat = int(min(5, max(1, round(sat_mean[code] + 0.7 * rng.standard_normal()))))
        rows.append((i + 1, tenure, revenue, round(revenue * 0.25, 2), had_problem, code, sat, retained))
    # segment needs the revenue quantiles of the whole base, as in the vectorised version
    revs = [r[2] for r in rows]
    cut_key, cut_reg = np.quantile(revs, [0.9, 0.5])
    return [(r[0], int(r[2] >= cut_reg) + int(r[2] >= cut_key), *r[1:]) for r in rows]


def bench_simulator(n: int = 1_000_000) -> dict:
    from .customers import make_customer_base

    t0 = time.perf_counter()
    make_customer_base(n, seed=0)
    vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    _customer_base_loop(n, seed=0)
    loop = time.perf_counter() - t0
    return {"rows": n, "vectorised_rows_per_s": round(n / vec), "loop_rows_per_s": round(n / loop),
            "speed_up": round(loop / vec, 1)}


_COLD_BUILD = """
import sys, time
from casekit import datasets
name = sys.argv[1]
if name == "hotel-200":
    from casekit import hotel
    t0 = time.perf_counter(); frame = hotel.make_hotel_stays(200, seed=1)
else:
    ds = datasets.get(name)
    t0 = time.perf_counter(); frame = ds.build()
print(time.perf_counter() - t0, len(frame))
"""


def bench_case_simulators() -> dict:
    """Time to build every shipped dataset from its simulator, each in a fresh
    process (no cache helps), and one year of a 200-room hotel (issue 3: well
    under a second)."""
    from . import datasets

    out = {}
    jobs = {f"dataset {n}": n for n in datasets.all_datasets()}
    jobs["hotel year, 200 rooms"] = "hotel-200"
    for label, arg in jobs.items():
        res = subprocess.run([sys.executable, "-c", _COLD_BUILD, arg], check=True,
                             capture_output=True, text=True)
        seconds, rows = res.stdout.split()
        seconds, rows = float(seconds), int(rows)
        out[label] = {"seconds": round(seconds, 4), "rows": rows, "rows_per_s": round(rows / seconds)}
    return out


def _python_seconds(code: str, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - t0)
    return best


_IMPORT_FLOOR = "import pandas, matplotlib.pyplot, ipywidgets"
_BEYOND_FLOOR = (_IMPORT_FLOOR + "\nimport time\nt0 = time.perf_counter()\nimport casekit.widgets\n"
                 "print(time.perf_counter() - t0)")


def _beyond_floor_seconds(repeats: int = 5) -> float:
    """What ``import casekit.widgets`` adds in a fresh interpreter that has
    imported the floor modules already (best of ``repeats``): the difference
    measured in one process, not of two noisy totals."""
    return min(float(subprocess.run([sys.executable, "-c", _BEYOND_FLOOR], check=True, capture_output=True,
                                    text=True).stdout.split()[-1]) for _ in range(repeats))


def bench_import() -> dict:
    """Start-up cost: ``import casekit.metrics`` and ``import casekit.widgets``
    on top of a bare interpreter, and what ``casekit.widgets`` adds to the
    imports a notebook makes anyway (pandas, matplotlib.pyplot, ipywidgets)."""
    bare = _python_seconds("pass")
    core = _python_seconds("import casekit, casekit.metrics")
    full = _python_seconds("import casekit.widgets")
    floor = _python_seconds(_IMPORT_FLOOR)
    beyond = _beyond_floor_seconds()
    return {"bare_python_s": round(bare, 3), "import_casekit_metrics_s": round(core, 3),
            "import_casekit_widgets_s": round(full, 3),
            "metrics_ratio_to_bare": round(core / bare, 1), "widgets_ratio_to_bare": round(full / bare, 1),
            "notebook_floor_s": round(floor, 3), "widgets_beyond_floor_s": round(beyond, 3)}


def bench_grading() -> dict:
    try:
        grading = importlib.import_module("casekit.grading")
    except ImportError as exc:  # nbgrader is an instructor extra
        return {"skipped": f"casekit.grading not importable ({exc})"}
    if not hasattr(grading, "benchmark"):
        return {"skipped": "casekit.grading has no benchmark()"}
    return grading.benchmark(GRADING_STUDENTS)


CLASS_STUDENTS = 300
HUB_PKGS = 40
"""Packages in each simulated home folder's ``.conda/pkgs`` (5 files each)."""


def bench_class(n_students: int = CLASS_STUDENTS, repeats: int = 3) -> dict:
    from . import classroom, classsim, classstats, classview, polls, wordfreq
    from .cases import get_case

    case = "hotel_guarantee"
    with tempfile.TemporaryDirectory() as tmp:
        classsim.make_class_answers(tmp, n_students, case=case, seed=1)
        # The answers files (not the hidden temporary file of a save in progress).
        files = sorted(p for p in Path(tmp).rglob("*.json") if p.is_file() and not p.name.startswith("."))
        t0 = time.perf_counter()
        wordfreq.top_words(["热身 warm-up"])  # jieba's dictionary: once per process
        warmup = time.perf_counter() - t0

        def floor():
            for p in files:
                try:
                    json.loads(p.read_bytes())
                except ValueError:
                    pass

        def summarise():
            data = classroom.load_class(tmp)
            for q in get_case(case).questions:
                classstats.answered(data, case, q.id)
                classstats.key_points(data, case, q.id)
                classstats.samples(data, case, q.id, seed=0)
                classstats.frequent_words(data, case, q.id)
            for p in polls.polls_for(case):
                classstats.answered(data, case, p.key)
                (classstats.poll_counts if p.kind == "choice" else classstats.poll_values)(data, p)
            classstats.participation(data, case)
            return data

        def best(fn):
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            return min(times)

        floor_s, total_s = best(floor), best(summarise)
        view = classview.ClassView(tmp, lang="en")
        view.question.value = polls.polls_for(case)[0].key
        refresh_s = best(view.refresh)
    with tempfile.TemporaryDirectory() as tmp:
        # JupyterHub home folders: each home holds a conda package cache, as
        # on a hub where students install packages; only answers folders count.
        classsim.make_class_answers(tmp, n_students, case=case, layout="hub", seed=1)
        for home in Path(tmp).iterdir():
            for pkg in range(HUB_PKGS):
                d = home / ".conda" / "pkgs" / f"pkg{pkg}" / "info"
                d.mkdir(parents=True)
                for k in range(5):
                    (d / f"f{k}.json").write_text("{}")
        hub_s = best(lambda: classroom.load_class(tmp, "hub"))
    return {"files": len(files), "json_floor_s": round(floor_s, 4), "load_and_summarise_s": round(total_s, 3),
            "ratio_to_json_floor": round(total_s / floor_s, 1),
            "view_refresh_with_chart_s": round(refresh_s, 3), "jieba_first_load_s": round(warmup, 2),
            "hub_homes": n_students, "hub_files_per_home": HUB_PKGS * 5, "hub_load_s": round(hub_s, 3)}


def last_test_run() -> dict:
    """The last whole-suite run recorded by tests/conftest.py: the suite is
    not run again here (it takes minutes and runs the bench's own tests)."""
    path = ROOT / "build" / "test-run.json"
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"not recorded": "run `make test` first"}
    minutes, seconds = divmod(int(run["wall_seconds"]), 60)
    return {"finished": run["finished"], "wall time": f"{minutes} min {seconds:02d} s  (target ≤ 5 min)",
            "tests": f"{run['passed']} passed, {run['failed']} failed, {run['error']} errors, "
                     f"{run['skipped']} skipped", "workers": f"{run['workers']} on {run['cpus']} CPUs"}


def _table(title, rows):
    print(f"\n{title}")
    print("-" * len(title))
    for k, v in rows:
        print(f"  {k:<48} {v}")


SECTIONS = ("import", "widgets", "simulator", "case_simulators", "notebooks", "class_view", "grading")
"""Names for ``--only`` (comma-separated), in the order they run."""


def _parse_only(argv) -> tuple:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m casekit.bench", description="Speed figures for the course.")
    parser.add_argument("--only", default="", help="comma-separated sections to run: " + ", ".join(SECTIONS))
    only = [x.strip() for x in parser.parse_args(argv).only.split(",") if x.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"--only must name sections among {', '.join(SECTIONS)}; got {', '.join(unknown)}")
    return tuple(only) or SECTIONS


def main(argv=None) -> int:
    only = _parse_only(argv)
    results = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "sections": list(only)}
    t_all = time.perf_counter()
    if "import" in only:
        results["import"] = imp = bench_import()
        _table("1. import time (best of 5, seconds)", [
            ("bare python", imp["bare_python_s"]),
            ("import casekit.metrics", f"{imp['import_casekit_metrics_s']}  ({imp['metrics_ratio_to_bare']}× bare)"),
            ("import casekit.widgets", f"{imp['import_casekit_widgets_s']}  ({imp['widgets_ratio_to_bare']}× bare)"),
            ("floor: import pandas, matplotlib.pyplot, ipywidgets", imp["notebook_floor_s"]),
            ("casekit.widgets beyond that floor", f"{imp['widgets_beyond_floor_s']}  (target ≤ 0.5)"),
        ])
    if "widgets" in only:
        results["widgets"] = wid = bench_widgets()
        _table("2. what-if latency in each notebook's kernel, 50 moves of the first slider (ms): "
               "model only | whole update incl. PNG chart",
               [(k, f"{v['compute_median_ms']} (p95 {v['compute_p95_ms']}) | {v['median_ms']} (p95 {v['p95_ms']}; "
                    f"CPU {v['cpu_median_ms']})  [{v['slider']}]") for k, v in wid.items()])
        if wid:
            worst_median = max(wid.items(), key=lambda kv: kv[1]["median_ms"])
            worst_p95 = max(wid.items(), key=lambda kv: kv[1]["p95_ms"])
            worst_cpu = max(v["cpu_median_ms"] for v in wid.values())
            results["widgets_summary"] = {"panels": len(wid), "worst_median_ms": worst_median[1]["median_ms"],
                                          "worst_p95_ms": worst_p95[1]["p95_ms"], "worst_cpu_median_ms": worst_cpu}
            print(f"  {len(wid)} panels; worst median {worst_median[1]['median_ms']} ms ({worst_median[0]}); "
                  f"worst p95 {worst_p95[1]['p95_ms']} ms ({worst_p95[0]})  (targets ≤ 50 | ≤ 100); "
                  f"worst CPU median {worst_cpu} ms")
    if "simulator" in only:
        results["simulator"] = sim = bench_simulator()
        _table("3. simulator throughput, make_customer_base at n = 1,000,000", [
            ("vectorised rows/s", f"{sim['vectorised_rows_per_s']:,}"),
            ("row-by-row loop rows/s", f"{sim['loop_rows_per_s']:,}"),
            ("speed-up", f"{sim['speed_up']}×"),
        ])
    if "case_simulators" in only:
        results["case_simulators"] = cs = bench_case_simulators()
        _table("3b. case simulators (first build in a fresh process)",
               [(k, f"{v['seconds']:.3f} s, {v['rows']:,} rows, {v['rows_per_s']:,} rows/s") for k, v in cs.items()])
    if "notebooks" in only:
        results["notebooks"] = nbs = bench_notebooks()
        _table(f"4. notebook run time (best of 2); kernel floor {nbs['kernel_floor_seconds']} s wall, "
               f"{nbs['kernel_floor_cpu_seconds']} s kernel CPU",
               [(k, f"{v['seconds']} s  ({v['ratio_to_floor']}× floor) | CPU {v['cpu_seconds']} s  "
                    f"({v['cpu_ratio_to_floor']}× floor)") for k, v in nbs["notebooks"].items()])
        print(f"  worst: {nbs['worst_ratio']}× floor wall, {nbs['worst_cpu_ratio']}× floor kernel CPU  (target ≤ 1.5)")
    if "class_view" in only:
        results["class_view"] = cv = bench_class()
        _table(f"6. class view, {cv['files']} simulated answer files (best of 3)", [
            ("read + parse with json (floor)", f"{cv['json_floor_s']} s"),
            ("load_class + every summary", f"{cv['load_and_summarise_s']} s  ({cv['ratio_to_json_floor']}× floor; "
                                           f"target under 1 s)"),
            ("projected view refresh, chart included", f"{cv['view_refresh_with_chart_s']} s"),
            ("jieba dictionary, once per process", f"{cv['jieba_first_load_s']} s"),
            (f"hub: {cv['hub_homes']} home folders, {cv['hub_files_per_home']} files in .conda each, load_class",
             f"{cv['hub_load_s']} s  (target under 1 s)"),
        ])
    if "grading" in only:
        results["grading"] = gr = bench_grading()
        _table("5. grading", list(gr.items()))
        if "speedup" in gr:
            print(f"  make grade is {gr['speedup']}× as fast as serial nbgrader, every kernel sandboxed "
                  f"(target ≥ 1.8); same scores: {gr['same_scores']}")
    results["test_suite"] = suite = last_test_run()
    _table("7. test suite: the last whole `make test` on this machine (build/test-run.json)",
           [(k, v) for k, v in suite.items()])
    results["total_seconds"] = round(time.perf_counter() - t_all, 1)
    out = OUT if only == SECTIONS else OUT.with_name(f"bench-{'-'.join(only)}.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwrote {out.relative_to(ROOT)} in {results['total_seconds']} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
