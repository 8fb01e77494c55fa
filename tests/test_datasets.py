"""casekit.datasets: every CSV in data/ equals its simulator's output for its seed."""

import pandas as pd
import pytest

from casekit import datasets

NAMES = list(datasets.all_datasets())


def test_every_declared_dataset_has_files():
    for name in NAMES:
        ds = datasets.get(name)
        assert ds.csv_path.exists(), f"{ds.csv_path} missing: run python -m casekit.datasets write {name}"
        assert ds.dictionary_path.exists()


def test_every_csv_in_data_is_declared():
    declared = {datasets.get(n).csv_path.name for n in NAMES}
    for csv in datasets.DATA_DIR.glob("*.csv"):
        assert csv.name in declared, f"{csv.name} is not declared in any casekit module's DATASETS"


@pytest.mark.parametrize("name", NAMES)
def test_shipped_csv_equals_the_simulator(name):
    shipped = datasets.load(name)
    rebuilt = datasets.build(name)
    pd.testing.assert_frame_equal(shipped, rebuilt, check_exact=False, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_dictionary_lists_every_column(name):
    text = datasets.get(name).dictionary_path.read_text(encoding="utf-8")
    for column in datasets.get(name).columns:
        assert f"`{column}`" in text


def test_describe_is_a_table():
    d = datasets.describe("toolkit_customers")
    assert list(d.columns) == ["column", "type", "description"]
    assert d["column"].tolist()[0] == "customer_id"


def test_unknown_dataset():
    with pytest.raises(ValueError, match=r"`name` must be one of .*got 'nope'"):
        datasets.load("nope")


def test_bad_declaration():
    with pytest.raises(ValueError, match=r"column 'a' has kind 'decimal'"):
        datasets.Dataset("x", "t", "d", lambda: None, {"a": ("decimal", "x")})
    with pytest.raises(ValueError, match=r"must be \(kind, description\)"):
        datasets.Dataset("x", "t", "d", lambda: None, {"a": "int"})


# -- issue #14 item 9: a damaged file names itself and its fix ---------------

import shutil  # noqa: E402


@pytest.mark.parametrize("name", NAMES)
def test_shipped_files_match_their_recorded_checksum(name):
    datasets.verify(name)  # raises if data/<name>.md records no checksum or the CSV differs


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A copy of toolkit_customers (CSV + dictionary) in a temporary data folder."""
    for suffix in (".csv", ".md"):
        shutil.copy(datasets.DATA_DIR / f"toolkit_customers{suffix}", tmp_path)
    monkeypatch.setattr(datasets, "DATA_DIR", tmp_path)
    return tmp_path / "toolkit_customers.csv"


def _header_only(raw):
    return raw.split(b"\n", 1)[0] + b"\n"


def _truncated(raw):
    lines = raw.split(b"\n")
    return b"\n".join(lines[: len(lines) // 2]) + b"\n"


def _lfs(raw):
    return (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64
            + b"\nsize 108028\n")


def _empty_bool(raw):
    lines = raw.split(b"\n")
    lines[1] = lines[1].replace(b",True,resolved_quickly", b",,resolved_quickly", 1)
    assert lines[1] != raw.split(b"\n")[1]
    return b"\n".join(lines)


def _latin1(raw):
    return raw.replace(b"regular", "régulier".encode("latin-1"), 1)


def _empty(raw):
    return b""


def _one_digit(raw):
    i = raw.index(b"1693.41")
    return raw[:i] + b"9" + raw[i + 1:]


DAMAGE = {"header-only": _header_only, "truncated": _truncated, "lfs-pointer": _lfs,
          "empty-bool": _empty_bool, "bad-encoding": _latin1, "empty": _empty, "one-digit": _one_digit}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
@pytest.mark.parametrize("with_checksum", [True, False], ids=["checksum", "no-checksum"])
def test_damaged_file_names_itself_and_the_fix(data_copy, damage, with_checksum):
    raw = data_copy.read_bytes()
    data_copy.write_bytes(DAMAGE[damage](raw))
    if not with_checksum:  # e.g. a dictionary from before checksums: the schema checks still hold
        md = data_copy.with_suffix(".md")
        md.write_text("\n".join(line for line in md.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("Check:")), encoding="utf-8")
        if damage in ("truncated", "one-digit"):
            return  # only a recorded checksum can tell these from a real file
    with pytest.raises(datasets.DamagedDataError) as info:
        datasets.load("toolkit_customers")
    message = str(info.value)
    assert "data/toolkit_customers.csv is damaged" in message
    assert "python -m casekit.datasets write toolkit_customers" in message
    assert info.value.__cause__ is None


def test_crlf_checkout_still_matches(data_copy):
    data_copy.write_bytes(data_copy.read_bytes().replace(b"\n", b"\r\n"))
    pd.testing.assert_frame_equal(datasets.load("toolkit_customers"), datasets.build("toolkit_customers"))


def test_write_records_rows_and_checksum(data_copy):
    import hashlib
    datasets.write("toolkit_customers")
    raw = data_copy.read_bytes()
    md = data_copy.with_suffix(".md").read_text(encoding="utf-8")
    rows = len(raw.strip().split(b"\n")) - 1
    assert f"Check: {rows} rows, SHA-256 `{hashlib.sha256(raw).hexdigest()}`" in md
    assert sorted(p.name for p in data_copy.parent.iterdir()) == ["toolkit_customers.csv", "toolkit_customers.md"]


def test_missing_file_names_the_fix(data_copy):
    data_copy.unlink()
    with pytest.raises(FileNotFoundError, match="python -m casekit.datasets write toolkit_customers"):
        datasets.load("toolkit_customers")


def test_check_command_names_the_damaged_file(data_copy, capsys, monkeypatch):
    assert datasets._main(["check", "toolkit_customers"]) == 0
    data_copy.write_bytes(_truncated(data_copy.read_bytes()))
    assert datasets._main(["check", "toolkit_customers"]) == 1
    assert "data/toolkit_customers.csv is damaged" in capsys.readouterr().err



def test_a_notebook_loading_data_does_not_import_the_notebook_tools():
    # datasets.get looks in the modules a notebook has imported (or the one the name starts with)
    # before importing every course module; the site and slide builders import nbformat, seconds of work.
    import subprocess
    import sys

    code = ("import sys; from casekit import datasets, haidilao, toolkit, dell_customers\n"
            "for name in ('haidilao_diners', 'toolkit_customers', 'dell_customers'):\n"
            "    datasets.describe(name); datasets.load(name)\n"
            "print(sorted(m for m in ('casekit.site', 'casekit.slides', 'casekit.classview', 'nbformat') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
