"""casekit.answers: nothing a student writes is lost."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

from casekit.answers import (ANSWERS_ENV, FORMAT, AnswerBook, CorruptAnswersWarning,
                             answers_dir, collect)


def test_default_folder_is_under_working_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(ANSWERS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert answers_dir() == tmp_path / "answers"


def test_environment_variable_overrides_folder(answers_dir):
    book = AnswerBook("nb")
    book.save("q1", text="hello")
    assert (answers_dir / "nb.json").exists()


def test_save_and_reload_round_trip(tmp_path):
    book = AnswerBook("05_hotel_guarantee.ipynb", case="hotel_guarantee", folder=tmp_path)
    book.save("q1", text="Managers fear cheating. 经理担心顾客作弊。")
    book.save("q1", checked=[2, 0, 2])
    book.save("q2", text="Guests trust it more.")
    again = AnswerBook("05_hotel_guarantee", folder=tmp_path)
    assert again.text("q1") == "Managers fear cheating. 经理担心顾客作弊。"
    assert again.checked("q1") == [0, 2]
    assert again.text("q2") == "Guests trust it more."
    data = json.loads((tmp_path / "05_hotel_guarantee.json").read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == 1 and data["case"] == "hotel_guarantee"
    assert data["answers"]["q1"]["updated"]


def test_two_books_on_one_file_do_not_overwrite_each_other(tmp_path):
    a = AnswerBook("nb", folder=tmp_path)
    b = AnswerBook("nb", folder=tmp_path)  # e.g. a re-run cell
    a.save("q1", text="first")
    b.save("q2", text="second")
    a.save("q1", text="first, edited")
    fresh = AnswerBook("nb", folder=tmp_path)
    assert fresh.text("q1") == "first, edited" and fresh.text("q2") == "second"


_WRITER = textwrap.dedent(
    """
    import sys
    from casekit.answers import AnswerBook
    book = AnswerBook("nb", folder=sys.argv[1])
    mode = sys.argv[2]
    if mode == "once":
        book.save("q1", text="written before the restart")
    else:
        i = 0
        print("ready", flush=True)
        while True:  # write big answers as fast as possible until killed
            i += 1
            book.save("q1", text=f"version {i} " + "x" * 200_000)
    """
)


def test_answers_survive_a_kernel_restart(tmp_path):
    # One process (the old kernel) saves and exits; a new one reads.
    subprocess.run([sys.executable, "-c", _WRITER, str(tmp_path), "once"], check=True)
    assert AnswerBook("nb", folder=tmp_path).text("q1") == "written before the restart"


@pytest.mark.parametrize("delay", [0.05, 0.13, 0.31])
def test_answers_survive_a_process_killed_mid_write(tmp_path, delay):
    AnswerBook("nb", folder=tmp_path).save("q2", text="an earlier answer")
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), "loop"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorruptAnswersWarning)  # a corrupt file would raise here
        book = AnswerBook("nb", folder=tmp_path)
    assert book.notice is None
    assert book.text("q1").startswith("version ")
    assert book.text("q2") == "an earlier answer"
    # Temporary files of the killed writer never replace the answers file.
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["nb.json"]


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "casekit-answers", "version": 1, "answers": {"q1": {"text": "half',  # half-written
        b"\x00\xff\xfe garbage",                                                              # not text
        b'{"some": "other json"}',                                                          # not ours
        b'{"format": "casekit-answers", "version": 1, "answers": {"q1": {"text": 5}}}',      # malformed
    ],
    ids=["half-written", "binary", "foreign-json", "malformed-entry"],
)
def test_corrupt_file_is_moved_aside_never_overwritten(tmp_path, content):
    path = tmp_path / "nb.json"
    path.write_bytes(content)
    with pytest.warns(CorruptAnswersWarning, match="could not be read"):
        book = AnswerBook("nb", folder=tmp_path)
    assert book.notice and "kept as nb.corrupt-" in book.notice
    kept = list(tmp_path.glob("nb.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == content  # the old bytes are kept intact
    book.save("q1", text="new start")
    assert kept[0].read_bytes() == content
    assert AnswerBook("nb", folder=tmp_path).text("q1") == "new start"


def test_two_corrupt_files_in_the_same_second_are_both_kept(tmp_path):
    for content in (b"{bad", b"{worse"):
        (tmp_path / "nb.json").write_bytes(content)
        with pytest.warns(CorruptAnswersWarning):
            AnswerBook("nb", folder=tmp_path)
    assert {p.read_bytes() for p in tmp_path.glob("nb.corrupt-*.json")} == {b"{bad", b"{worse"}


def test_export_markdown(tmp_path):
    book = AnswerBook("nb", folder=tmp_path)
    book.save("q1", text="My answer")
    out = book.export_markdown(questions={"q1": "Why?", "q2": "How?"})
    text = out.read_text(encoding="utf-8")
    assert "## Why?" in text and "My answer" in text and "_(no answer yet)_" in text


def test_student_name_is_saved(tmp_path):
    book = AnswerBook("nb", folder=tmp_path)
    book.student = "王小明"
    assert AnswerBook("nb", folder=tmp_path).student == "王小明"


def test_collect_a_class(tmp_path):
    for student, text in [("ann", "one two three"), ("bo", "four")]:
        book = AnswerBook("nb", case="start_here", folder=tmp_path / student)
        book.student = student
        book.save("q1", text=text, checked=[0])
    (tmp_path / "junk.json").write_text("{nope")
    with pytest.warns(CorruptAnswersWarning, match="skipped"):
        table = collect(tmp_path)
    assert sorted(table["student"]) == ["ann", "bo"]
    assert table.set_index("student").loc["ann", "words"] == 3
    assert (table["checked"] == 1).all()


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda p: AnswerBook("../evil", folder=p), ValueError, r"`notebook` must be a plain name"),
        (lambda p: AnswerBook("", folder=p), ValueError, r"`notebook` must be non-empty text"),
        (lambda p: AnswerBook(3, folder=p), TypeError, r"`notebook` must be text"),
        (lambda p: AnswerBook("nb", folder=p).save("q1", text=5), TypeError, r"`text` must be text"),
        (lambda p: AnswerBook("nb", folder=p).save("", text="x"), ValueError, r"`question` must be non-empty"),
        (lambda p: collect(p / "missing"), ValueError, r"`paths` must be a folder"),
    ],
)
def test_bad_input(tmp_path, call, exc, match):
    with pytest.raises(exc, match=match):
        call(tmp_path)
