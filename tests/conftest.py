"""Shared test set-up.

Loaded at start-up (tests/ is in pytest's testpaths), so the environment set
here also reaches the kernels nbval starts for the notebooks: students'
answers written while testing go to a temporary folder, never into the repo.
"""

import os
import shutil
import tempfile

import matplotlib
import pytest

matplotlib.use("Agg")

_ANSWERS_TMP = None


def pytest_configure(config):
    global _ANSWERS_TMP
    _ANSWERS_TMP = tempfile.mkdtemp(prefix="casekit-answers-")
    os.environ["CASEKIT_ANSWERS_DIR"] = _ANSWERS_TMP
    # A character no installed font can draw (a tofu box in a chart) is an
    # error in every kernel the tests start, so nbval fails on it.
    os.environ["CASEKIT_STRICT_GLYPHS"] = "1"


def pytest_unconfigure(config):
    if _ANSWERS_TMP:
        shutil.rmtree(_ANSWERS_TMP, ignore_errors=True)


@pytest.fixture
def answers_dir(tmp_path, monkeypatch):
    """A fresh answers folder for one test."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("CASEKIT_ANSWERS_DIR", str(folder))
    return folder


# Notebooks under tests/ (grading fixtures) are data, not nbval tests.
collect_ignore_glob = ["**/*.ipynb"]
