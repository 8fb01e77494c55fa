"""Issue #14 item 8: haier.build_database never clobbers a file that is not
its database, never creates folders, and never leaves its temporary file."""

import sqlite3

import pytest

from casekit import haier, sqlkit


@pytest.fixture(scope="module")
def records():
    return haier.make_haier_records(40, seed=3)


def test_builds_and_replaces_its_own_database(tmp_path, records):
    p = haier.build_database(tmp_path / "h.sqlite", records=records)
    assert sqlkit.tables(p) == ["appliances", "customers", "tickets", "upgrades"]
    haier.build_database(p, records=records)  # an SQLite file is replaced
    assert sqlkit.tables(p) == ["appliances", "customers", "tickets", "upgrades"]
    assert [f.name for f in tmp_path.iterdir()] == ["h.sqlite"]


def test_refuses_to_overwrite_another_kind_of_file(tmp_path, records):
    p = tmp_path / "notes.txt"
    p.write_text("my notes")
    with pytest.raises(ValueError, match="`path` must be a new file or an SQLite database"):
        haier.build_database(p, records=records)
    assert p.read_text() == "my notes"
    assert [f.name for f in tmp_path.iterdir()] == ["notes.txt"]


def test_refuses_a_missing_folder(tmp_path, records):
    with pytest.raises(ValueError, match="`path` must be in an existing folder"):
        haier.build_database(tmp_path / "no" / "such" / "h.sqlite", records=records)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path, exc", [(5, TypeError), (["a"], TypeError)])
def test_bad_path_type(path, exc, records):
    with pytest.raises(exc, match="`path`"):
        haier.build_database(path, records=records)


def test_refuses_a_folder(tmp_path, records):
    with pytest.raises(ValueError, match="`path` must be a file"):
        haier.build_database(tmp_path, records=records)


def test_temporary_file_is_removed_when_the_rename_fails(tmp_path, records, monkeypatch):
    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(haier.os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        haier.build_database(tmp_path / "h.sqlite", records=records)
    assert list(tmp_path.iterdir()) == []


def test_empty_file_may_be_replaced(tmp_path, records):
    p = tmp_path / "h.sqlite"
    p.touch()
    haier.build_database(p, records=records)
    with sqlite3.connect(p) as con:
        assert con.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 40
    con.close()
