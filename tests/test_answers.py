"""casekit.answers: nothing a student writes is lost."""

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

from casekit import i18n
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


# -- issue #14: concurrent saves, hostile files, validation -------------------

_CONCURRENT = textwrap.dedent(
    """
    import sys
    from casekit.answers import AnswerBook
    folder, me, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    book = AnswerBook("nb", folder=folder)  # opened once, like a tab left open
    seen = set()
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(n):
        book.save(f"q{me}", text=f"writer {me} save {i}")
        now = set(book.questions)
        lost = seen - now
        if lost:  # a question another writer saved vanished from the file
            print("LOST", sorted(lost), flush=True)
            sys.exit(1)
        seen = now
    book.student = f"writer {me}"
    """
)


def test_four_writers_saving_different_questions_lose_nothing(tmp_path):
    writers, saves = 4, 500
    procs = [subprocess.Popen([sys.executable, "-c", _CONCURRENT, str(tmp_path), str(k), str(saves)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for k in range(writers)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=240)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * writers, outs
    book = AnswerBook("nb", folder=tmp_path)
    # Zero lost updates: every writer's last save is on disk.
    assert {q: book.text(q) for q in book.questions} == {
        f"q{k}": f"writer {k} save {saves - 1}" for k in range(writers)}
    assert book.student.startswith("writer ")
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["nb.json"]


def test_setting_the_student_keeps_answers_another_tab_saved(tmp_path):
    old_tab = AnswerBook("nb", folder=tmp_path)
    new_tab = AnswerBook("nb", folder=tmp_path)
    new_tab.save("q1", text="from the new tab")
    old_tab.student = "Li Na"  # the old tab never saw q1
    assert AnswerBook("nb", folder=tmp_path).text("q1") == "from the new tab"
    # ... and a save from an older tab keeps the name.
    older = AnswerBook("nb", folder=tmp_path)
    old_tab.student = "Li Na 李娜"
    older.save("q2", text="later")
    fresh = AnswerBook("nb", folder=tmp_path)
    assert fresh.student == "Li Na 李娜" and fresh.text("q1") == "from the new tab"


def _deep(depth=100_000):
    return ('{"format": "casekit-answers", "version": 1, "answers": '
            + "[" * depth + "]" * depth + "}").encode()


def test_deeply_nested_json_is_moved_aside(tmp_path):
    (tmp_path / "nb.json").write_bytes(_deep())
    with pytest.warns(CorruptAnswersWarning, match="nested too deeply"):
        book = AnswerBook("nb", folder=tmp_path)
    book.save("q1", text="fresh")
    assert AnswerBook("nb", folder=tmp_path).text("q1") == "fresh"
    assert len(list(tmp_path.glob("nb.corrupt-*.json"))) == 1


def test_collect_sets_bad_files_aside_and_never_stops_the_class(tmp_path):
    AnswerBook("nb", folder=tmp_path / "ann").save("q1", text="good answer")
    bad = {
        "deep": _deep(),
        "binary": b"\xff\xfe\x00",
        "checked-bool": json.dumps({"format": FORMAT, "version": 1, "answers": {"q1": {"checked": [True]}}}).encode(),
        "checked-range": json.dumps({"format": FORMAT, "version": 1, "answers": {"q1": {"checked": [-5, 99]}}}).encode(),
        "student-number": json.dumps({"format": FORMAT, "version": 1, "student": 123, "answers": {}}).encode(),
    }
    for name, content in bad.items():
        (tmp_path / f"{name}.json").write_bytes(content)
    with pytest.warns(CorruptAnswersWarning):
        table = collect(tmp_path)
    assert table["text"].tolist() == ["good answer"]
    skipped = table.attrs["skipped"]
    assert sorted(skipped["file"].map(lambda f: os.path.basename(f)[:-5])) == sorted(bad)
    reasons = dict(zip(skipped["file"].map(lambda f: os.path.basename(f)[:-5]), skipped["reason"]))
    assert "nested too deeply" in reasons["deep"]
    assert "checklist" in reasons["checked-bool"] and "checklist" in reasons["checked-range"]
    assert "'student' must be text" in reasons["student-number"]


def test_corrupt_file_in_read_only_folder_opens_read_only(tmp_path, monkeypatch):
    import casekit.answers as answers

    (tmp_path / "nb.json").write_bytes(b"{broken")

    def refuse(src, dst):  # what a read-only folder does (also when the tests run as root)
        raise PermissionError(13, "Permission denied", str(src))

    monkeypatch.setattr(answers.os, "replace", refuse)
    with pytest.warns(CorruptAnswersWarning, match="NOT being saved"):
        book = AnswerBook("nb", folder=tmp_path)
    assert book.read_only and "could not be moved aside (Permission denied)" in book.notice
    with pytest.raises(PermissionError, match="NOT being saved"):
        book.save("q1", text="x")
    with pytest.raises(PermissionError):
        book.student = "Ann"
    assert (tmp_path / "nb.json").read_bytes() == b"{broken"


def test_really_read_only_folder(tmp_path):
    if os.geteuid() == 0:  # root writes anyway: then the book must simply work
        expect_read_only = False
    else:
        expect_read_only = True
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "nb.json").write_bytes(b"{broken")
    folder.chmod(0o555)
    try:
        with pytest.warns(CorruptAnswersWarning):
            book = AnswerBook("nb", folder=folder)
        assert book.read_only is expect_read_only
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    "kwargs, exc, words",
    [
        (dict(text="broken \ud800 char"), ValueError, "`text` contains a character that cannot be saved"),
        (dict(checked=["a"]), TypeError, "`checked` must be a list of key-point numbers"),
        (dict(checked=[True]), TypeError, "`checked` must be a list of key-point numbers"),
        (dict(checked=[-5]), ValueError, "`checked` must be a list of key-point numbers"),
        (dict(checked=[99]), ValueError, "`checked` must be a list of key-point numbers"),
        (dict(checked="012"), TypeError, "`checked` must be a list"),
        (dict(checked=5), TypeError, "`checked` must be a list"),
        (dict(text="x" * 1_000_001), ValueError, "`text` must have at most"),
    ],
)
def test_save_rejects_what_cannot_be_saved(tmp_path, kwargs, exc, words):
    book = AnswerBook("nb", folder=tmp_path)
    with pytest.raises(exc, match=words):
        book.save("q1", **kwargs)
    assert not (tmp_path / "nb.json").exists()


@pytest.mark.parametrize("name", ["nb\nx", "nb\t", " nb", "a/b", ".hidden", "x" * 201, "nb\ud800"])
def test_notebook_names_are_plain(tmp_path, name):
    with pytest.raises(ValueError, match="`notebook` (must|contains)"):
        AnswerBook(name, folder=tmp_path)


@pytest.mark.parametrize("name, exc", [(123, TypeError), ("Ann\nBo", ValueError), ("A\ud800", ValueError)])
def test_student_name_is_validated(tmp_path, name, exc):
    book = AnswerBook("nb", folder=tmp_path)
    with pytest.raises(exc, match="`student`"):
        book.student = name


@pytest.mark.parametrize(
    "doc",
    [
        {"answers": {"q1": {"checked": [True]}}},
        {"answers": {"q1": {"checked": [-5, 99]}}},
        {"student": 123, "answers": {}},
        {"answers": {"q1": {"text": "ok", "updated": 5}}},
        {"answers": {"q1": ["text"]}},
    ],
    ids=["checked-bool", "checked-range", "student-number", "updated-number", "entry-list"],
)
def test_wrong_shaped_entries_are_not_accepted_silently(tmp_path, doc):
    (tmp_path / "nb.json").write_text(json.dumps({"format": FORMAT, "version": 1, **doc}))
    with pytest.warns(CorruptAnswersWarning, match="could not be read"):
        book = AnswerBook("nb", folder=tmp_path)
    assert book.questions == [] and book.student == ""


def test_save_while_another_tab_holds_the_lock_waits(tmp_path):
    import fcntl
    import threading

    book = AnswerBook("nb", folder=tmp_path)
    book.save("q1", text="a")
    fd = os.open(tmp_path / ".nb.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    done = threading.Event()
    t = threading.Thread(target=lambda: (book.save("q2", text="b"), done.set()))
    t.start()
    time.sleep(0.3)
    assert not done.is_set()  # the save waits for the lock
    os.close(fd)
    t.join(5)
    assert done.is_set() and AnswerBook("nb", folder=tmp_path).text("q2") == "b"


def test_saves_still_merge_where_no_lock_can_be_had(tmp_path, monkeypatch):
    import casekit.answers as answers

    monkeypatch.setattr(answers, "fcntl", None)  # e.g. Windows
    a = AnswerBook("nb", folder=tmp_path)
    b = AnswerBook("nb", folder=tmp_path)
    a.save("q1", text="one")
    b.save("q2", text="two")
    a.student = "Ann"
    fresh = AnswerBook("nb", folder=tmp_path)
    assert (fresh.text("q1"), fresh.text("q2"), fresh.student) == ("one", "two", "Ann")
    assert not (tmp_path / ".nb.lock").exists()


def test_file_system_without_locks_is_not_an_error(tmp_path, monkeypatch):
    import casekit.answers as answers

    def no_locks(fd, op):
        raise OSError(37, "No locks available")

    monkeypatch.setattr(answers.fcntl, "flock", no_locks)
    book = AnswerBook("nb", folder=tmp_path)
    book.save("q1", text="saved anyway")
    assert AnswerBook("nb", folder=tmp_path).text("q1") == "saved anyway"


def test_collect_rejects_a_bad_paths_argument(tmp_path):
    with pytest.raises(TypeError, match="`paths`"):
        collect(5)
    with pytest.raises(ValueError, match="`paths`"):
        collect(tmp_path / "missing")


def test_chinese_notice_names_the_kind_of_damage_in_chinese(tmp_path):
    """A Chinese reader gets the reason from the catalogue, without the JSON
    parser's English; an English reader also gets the technical detail."""
    (tmp_path / "nb.json").write_bytes(b'{"format": "casekit-answers", "answers": {"q1": {"text": "half')
    with i18n.language("zh"), pytest.warns(CorruptAnswersWarning):
        book = AnswerBook("nb", folder=tmp_path)
    assert "不是有效的 JSON" in book.notice
    latin = re.sub(r"nb(\.corrupt-[\d-]+)?\.json|JSON|" + re.escape(str(tmp_path)), "", book.notice)
    assert not re.search(r"[A-Za-z]{3,}", latin), latin
    (tmp_path / "nb.json").write_bytes(b"{bad")
    with i18n.language("en"), pytest.warns(CorruptAnswersWarning, match=r"not valid JSON.*\(Expecting"):
        AnswerBook("nb", folder=tmp_path)


def test_a_file_saved_with_a_bom_is_read_and_saved_without_it(tmp_path):
    """Windows Notepad saves UTF-8 with a byte-order mark."""
    doc = {"format": FORMAT, "version": 1, "notebook": "nb", "student": "黄敏",
           "answers": {"q1": {"text": "排队是服务的一部分"}}}
    (tmp_path / "nb.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorruptAnswersWarning)
        book = AnswerBook("nb", folder=tmp_path)
    assert book.notice is None and book.text("q1") == "排队是服务的一部分" and book.student == "黄敏"
    assert not list(tmp_path.glob("nb.corrupt-*.json"))
    book.save("q2", text="more")
    assert not (tmp_path / "nb.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert AnswerBook("nb", folder=tmp_path).text("q1") == "排队是服务的一部分"


def test_inside_a_kernel_the_notice_is_not_a_warning(tmp_path, monkeypatch):
    """In a notebook the widgets show the notice; a warning would add a red
    stderr block with a line of code."""
    import IPython

    class Shell:
        kernel = object()

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    (tmp_path / "nb.json").write_bytes(b"{bad")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorruptAnswersWarning)
        book = AnswerBook("nb", folder=tmp_path)
    assert book.notice and "could not be read" in book.notice
