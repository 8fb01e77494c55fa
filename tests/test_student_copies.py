"""Students find the exercises where `make lab` opens: notebooks/exercises/
holds the student copy of every exercise set, exactly as nbgrader releases it
from the current master (no solution, no hidden check)."""

import shutil
from pathlib import Path

import nbformat
import pytest

from casekit import nbtools

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.grading


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "exercises" / "source", course / "source")
    out = course / "copies"
    nbtools.student_copies(out, course_dir=course)
    return out


def _shape(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("nbgrader", {}).get("grade_id"),
             c.get("outputs", []) if c.cell_type == "code" else None) for c in nb.cells]


def test_every_master_has_a_committed_student_copy(fresh):
    masters = sorted(p.name for p in (ROOT / "exercises" / "source").glob("*/*.ipynb"))
    committed = sorted(p.name for p in nbtools.STUDENT_COPIES.glob("*.ipynb"))
    assert committed == masters, "run `make exercises` to refresh notebooks/exercises/"


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "exercises" / "source").glob("*/*.ipynb")))
def test_student_copy_is_up_to_date_and_clean(fresh, name):
    committed = nbtools.STUDENT_COPIES / name
    assert _shape(committed) == _shape(fresh / name), f"{name} is stale: run `make exercises`"
    text = "\n".join(c.source for c in nbformat.read(committed, as_version=4).cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
