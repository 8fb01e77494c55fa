"""casekit._toml: the course's TOML files parsed once, then read from a JSON cache."""

import datetime
import tomllib
from importlib import resources

import pytest

from casekit import _toml


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(_toml.CACHE_ENV, str(tmp_path))
    return tmp_path / "toml"


def _course_files():
    root = resources.files("casekit.content")
    for folder in (root, root / "messages", root / "polls"):
        yield from (e for e in folder.iterdir() if e.name.endswith(".toml"))


def test_every_course_file_reads_the_same_from_the_cache(cache):
    files = list(_course_files())
    for entry in files:
        text = entry.read_text(encoding="utf-8")
        assert _toml.loads(text) == tomllib.loads(text), entry.name   # parsed, then stored
        assert _toml.loads(text) == tomllib.loads(text), entry.name   # read back
    assert len(list(cache.glob("*.json"))) == len({e.read_text(encoding="utf-8") for e in files})


def test_an_edited_file_is_parsed_anew(cache):
    assert _toml.loads('a = "old"\n') == {"a": "old"}
    assert _toml.loads('a = "new"\n') == {"a": "new"}
    assert len(list(cache.glob("*.json"))) == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(cache):
    text = 'x = 1.5\n[t]\ny = [1, 2]\n'
    _toml.loads(text)
    (entry,) = cache.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert _toml.loads(text) == {"x": 1.5, "t": {"y": [1, 2]}}
    assert _toml.loads(text) == {"x": 1.5, "t": {"y": [1, 2]}}
    assert entry.read_text(encoding="utf-8").startswith("{")


def test_bad_toml_raises_as_tomllib_does_and_stores_nothing(cache):
    with pytest.raises(tomllib.TOMLDecodeError):
        _toml.loads("a = = 1\n")
    assert not cache.exists() or not list(cache.iterdir())


def test_dates_have_no_json_form_and_are_not_stored(cache):
    assert _toml.loads("d = 2024-05-01\n") == {"d": datetime.date(2024, 5, 1)}
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv(_toml.CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _toml.cache_folder() is None
    assert _toml.loads('a = 1\n') == {"a": 1}
    assert not list(tmp_path.iterdir())


def test_graded_kernels_read_no_cache(tmp_path):
    """A submission could carry a forged cache entry: the grading sandbox
    turns the cache off, so every TOML file is parsed from its own text."""
    from casekit.grading import sandbox

    env = sandbox.kernel_env("none", tmp_path)
    assert env["CASEKIT_CACHE_DIR"] == "off"


def test_read_names_the_file_that_is_not_toml(tmp_path):
    bad = tmp_path / "dell.toml"
    bad.write_text("case = \n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"casekit/content/polls/dell\.toml is not valid TOML"):
        _toml.read(bad, "casekit/content/polls/dell.toml")
    good = tmp_path / "ok.toml"
    good.write_text('case = "dell"\n', encoding="utf-8")
    assert _toml.read(good, "ok.toml") == {"case": "dell"}
