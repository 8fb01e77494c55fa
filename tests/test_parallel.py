"""`make test` runs the suite on all cores with pytest-xdist's
``--dist loadgroup``. A notebook's nbval cells share one kernel, so they must
run on one worker, in order (tests/conftest.py puts each notebook in a group).
This checks that grouping really works with the installed pytest and xdist:
pytest 9 broke it silently (every cell after the first ran in a fresh kernel)."""

import subprocess
import sys
import textwrap


def test_a_group_runs_on_one_worker_in_order(tmp_path):
    (tmp_path / "test_grouped.py").write_text(textwrap.dedent('''
        import os
        import pytest

        LOG = os.path.join(os.path.dirname(__file__), "order.log")

        @pytest.mark.parametrize("i", range(12))
        @pytest.mark.xdist_group("together")
        def test_cell(i):
            with open(LOG, "a") as f:
                f.write(f"{os.environ['PYTEST_XDIST_WORKER']} {i}\\n")

        @pytest.mark.parametrize("i", range(12))
        def test_free(i):
            pass
    '''), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                          "--dist", "loadgroup", "-c", "/dev/null", "--rootdir", str(tmp_path), str(tmp_path)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    lines = (tmp_path / "order.log").read_text().split()
    workers, order = set(lines[0::2]), [int(i) for i in lines[1::2]]
    assert len(workers) == 1, f"one group ran on several workers: {sorted(workers)}"
    assert order == list(range(12)), f"a group's tests ran out of order: {order}"
