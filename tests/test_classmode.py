"""Class mode: reading a class's answer files (three layouts), the summaries,
the word counts, the simulator and the class view widget (no browser: that
is tests/browser/test_classview.py)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from casekit import classroom, classsim, classstats, classview, i18n, polls, wordfreq
from casekit.answers import AnswerBook

CASE = "hotel_guarantee"


@pytest.fixture(scope="module")
def lms_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lms")
    manifest = classsim.make_class_answers(folder, 60, case=CASE, seed=3)
    return folder, manifest


@pytest.fixture(scope="module")
def loaded(lms_class):
    return classroom.load_class(lms_class[0])


# --------------------------------------------------------------------------
# Simulator
# --------------------------------------------------------------------------

def test_simulator_is_seeded_byte_for_byte(tmp_path):
    a = classsim.make_class_answers(tmp_path / "a", 20, seed=5)
    b = classsim.make_class_answers(tmp_path / "b", 20, seed=5)
    c = classsim.make_class_answers(tmp_path / "c", 20, seed=6)
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")
    pd.testing.assert_frame_equal(a.drop(columns="file"), b.drop(columns="file"))
    assert not a.drop(columns="file").equals(c.drop(columns="file"))


def test_simulator_makes_the_class_it_says(lms_class):
    _, m = lms_class
    assert len(m) == 60 and m["student"].is_unique
    kinds = m["kind"].value_counts()
    assert kinds["corrupt"] == 3 and kinds["foreign"] == 1 and kinds["half_written"] == 1 and kinds["blank"] >= 1
    assert 10 <= (m["lang"] == "zh").sum() <= 40


@pytest.mark.parametrize("kwargs,error,match", [
    ({"n_students": 0}, ValueError, "n_students"),
    ({"layout": "dropbox"}, ValueError, "layout"),
    ({"zh_share": 1.5}, ValueError, "zh_share"),
    ({"corrupt": 50, "foreign": 20}, ValueError, "at most `n_students`"),
    ({"case": "lenovo_key_accounts"}, ValueError, "notebook"),
    ({"seed": -1}, ValueError, "seed"),
])
def test_simulator_checks_its_arguments(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        classsim.make_class_answers(tmp_path, **{"n_students": 60, **kwargs})


# --------------------------------------------------------------------------
# Reading a class
# --------------------------------------------------------------------------

def test_every_bad_file_is_listed_with_a_reason_and_the_rest_is_read(lms_class, loaded):
    _, m = lms_class
    assert loaded.size == 60 and loaded.layout == "lms"
    assert len(loaded.problems) == 5
    reasons = " | ".join(loaded.problems["reason"])
    assert "foreign" in reasons and "half written" in reasons and ("not valid JSON" in reasons or "UTF-8" in reasons)
    assert sorted(loaded.problems["kind"]) == ["damaged", "damaged", "damaged", "foreign", "half_written"]
    bad = set(m.loc[m["kind"].isin(["corrupt", "foreign", "half_written"]), "student"])
    assert set(loaded.problems["student"]) == bad
    assert set(loaded.table["student"]) == set(m.loc[m["kind"].isin(["ok", "blank"]), "student"])


def test_votes_read_are_the_votes_written(lms_class, loaded):
    _, m = lms_class
    ok = m[m["kind"] == "ok"].set_index("student")
    for p in polls.polls_for(CASE):
        got = loaded.rows(CASE, p.key).set_index("student")["vote"]
        want = ok[p.key].dropna()
        assert got.reindex(want.index).tolist() == want.tolist()
        assert len(got) == len(want)


def _write(path, doc):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _doc(student="", vote=1.0, text="An answer"):
    return {"format": "casekit-answers", "version": 1, "notebook": "05_hotel_guarantee", "case": CASE,
            "student": student, "answers": {"q1": {"text": text, "checked": [0]},
                                            "poll:breakeven": {"vote": vote}}}


def test_hub_layout_reads_each_home_folder(tmp_path):
    classsim.make_class_answers(tmp_path, 12, layout="hub", corrupt=1, foreign=0, half_written=0, seed=2)
    # Things in a home folder that are not answers are not read.
    _write(tmp_path / "jupyter-s001" / ".local" / "share" / "x.json", {"a": 1})
    _write(tmp_path / "jupyter-s002" / "crm-course" / "data" / "meta.json", {"a": 1})
    data = classroom.load_class(tmp_path)
    assert data.layout == "hub" and data.size == 12
    assert all(s.startswith("s0") for s in data.students)
    assert len(data.problems) == 1


def test_exchange_layout_reads_the_latest_submission(tmp_path):
    classsim.make_class_answers(tmp_path, 6, layout="exchange", corrupt=0, foreign=0, half_written=0, seed=2)
    inbound = tmp_path / "crm-course" / "inbound"
    _write(inbound / "s001+05_hotel_guarantee+2026-11-20 08:00:00.000000 UTC" / "answers" / "05_hotel_guarantee.json",
           _doc(vote=4.9))
    _write(inbound / "s007+05_hotel_guarantee+2026-11-30 08:00:00.000000 UTC" / "answers" / "05_hotel_guarantee.json",
           _doc(vote=4.5))
    data = classroom.load_class(tmp_path)
    assert data.layout == "exchange" and data.size == 7
    votes = data.rows(CASE, "poll:breakeven").set_index("student")["vote"]
    assert votes["s007"] == 4.5 and votes.get("s001") != 4.9  # the older s001 submission is ignored


def test_lms_file_and_folder_names_give_the_student(tmp_path):
    _write(tmp_path / "Li Na_12345_assignsubmission_file_" / "05_hotel_guarantee.json", _doc("Li Na"))
    _write(tmp_path / "smithjohn_67890_111_05_hotel_guarantee.json", _doc())
    _write(tmp_path / "loose.json", _doc("Wang Fang"))
    data = classroom.load_class(tmp_path, "lms")
    # Moodle's folder, Canvas's file name, then the file's own `student` field.
    assert data.students == ["12345", "67890", "Wang Fang"]
    assert data.names == {"12345": "Li Na", "Wang Fang": "Wang Fang"}


def test_a_student_handing_in_twice_counts_once(tmp_path):
    a, b = _doc(vote=1.0), _doc(vote=2.0)
    a["answers"]["poll:breakeven"]["updated"] = "2026-11-23T10:00:00+00:00"
    b["answers"]["poll:breakeven"]["updated"] = "2026-11-23T11:00:00+00:00"
    _write(tmp_path / "s1" / "first.json", a)
    _write(tmp_path / "s1" / "second.json", b)
    data = classroom.load_class(tmp_path)
    assert data.rows(CASE, "poll:breakeven")["vote"].tolist() == [2.0]


@pytest.mark.parametrize("source,error,match", [
    ("/no/such/folder", ValueError, "`source` must be a folder"),
    (42, TypeError, "`source` must be a folder path"),
])
def test_bad_source_is_named(source, error, match):
    with pytest.raises(error, match=match):
        classroom.load_class(source)


def test_bad_layout_is_named(tmp_path):
    with pytest.raises(ValueError, match="layout"):
        classroom.load_class(tmp_path, "moodle")


def test_a_file_being_saved_is_read_whole_or_not_at_all(tmp_path):
    """A student saves while the view reads: AnswerBook renames a finished
    temporary file over the old one, so every read sees a whole file."""
    book = AnswerBook("05_hotel_guarantee", case=CASE, folder=tmp_path / "s1")
    for i in range(30):
        book.save("poll:breakeven", vote=i / 10)
        data = classroom.load_class(tmp_path)
        assert data.problems.empty
        assert data.rows(CASE, "poll:breakeven")["vote"].tolist() == [i / 10]


# --------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------

def test_answered_counts_blank_answers_as_not_answered(lms_class, loaded):
    _, m = lms_class
    n, total = classstats.answered(loaded, CASE, "q1")
    assert total == 60
    assert n == (m["kind"] == "ok").sum()  # blank files and bad files do not count


def test_poll_counts_and_values(lms_class, loaded):
    _, m = lms_class
    ok = m[m["kind"] == "ok"]
    design = polls.get_poll(CASE, "design")
    counts = classstats.poll_counts(loaded, design)
    assert list(counts.index) == design.option_ids()
    assert counts.to_dict() == ok["poll:design"].value_counts().reindex(design.option_ids(), fill_value=0).to_dict()
    values = classstats.poll_values(loaded, polls.get_poll(CASE, "breakeven"))
    assert np.allclose(values, np.sort(ok["poll:breakeven"].dropna().astype(float)))
    with pytest.raises(ValueError, match="choice poll"):
        classstats.poll_counts(loaded, polls.get_poll(CASE, "breakeven"))


def test_invalid_votes_are_left_out_of_the_spread(tmp_path):
    _write(tmp_path / "a" / "x.json", _doc(vote=99.0))     # out of the poll's range
    _write(tmp_path / "b" / "x.json", _doc(vote="yes"))    # text for a number poll
    _write(tmp_path / "c" / "x.json", _doc(vote=2.0))
    data = classroom.load_class(tmp_path)
    assert classstats.poll_values(data, polls.get_poll(CASE, "breakeven")).tolist() == [2.0]
    assert classstats.answered(data, CASE, "poll:breakeven") == (1, 3)


def test_key_points_count_the_ticks(loaded):
    table = classstats.key_points(loaded, CASE, "q1")
    rows = loaded.rows(CASE, "q1")
    rows = rows[classstats.answered_mask(rows)]
    assert len(table) == 5
    for i in range(5):
        assert table.loc[i, "ticked"] == sum(i in c for c in rows["checked"])
    assert (table["ticked"] + table["missed"] == len(rows)).all()


def test_samples_are_seeded_and_follow_the_chosen_key_point(loaded):
    a = classstats.samples(loaded, CASE, "q2", n=3, seed=1)
    assert a == classstats.samples(loaded, CASE, "q2", n=3, seed=1)
    assert len(a) == 3 and a != classstats.samples(loaded, CASE, "q2", n=3, seed=2)
    rows = loaded.rows(CASE, "q2")
    hit = {t.strip() for t, c in zip(rows["text"], rows["checked"]) if 2 in c and t.strip()}
    picked = classstats.samples(loaded, CASE, "q2", n=5, key_point=2, seed=0)
    assert picked and set(picked) <= hit
    with pytest.raises(ValueError, match="key_point"):
        classstats.samples(loaded, CASE, "q2", key_point=9)


def test_participation_is_one_row_per_student(lms_class, loaded):
    _, m = lms_class
    part = classstats.participation(loaded, CASE)
    assert list(part.index) == sorted(m["student"])
    assert list(part.columns) == ["q1", "q2", "q3", "poll:breakeven", "poll:design"]
    bad = m.loc[m["kind"].isin(["corrupt", "foreign", "half_written", "blank"]), "student"]
    assert (part.loc[bad] == 0).all().all()
    assert part.loc[m.loc[m["kind"] == "ok", "student"], "q1"].eq(1).all()


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

def test_english_words_leave_out_stop_words():
    words = wordfreq.top_words(["The promise is the problem, and cheating is rare.",
                                "Cheating: the promise still pays."], n=5)
    assert words[0] == ("cheating", 2) and ("promise", 2) in words
    assert not {"the", "is", "and"} & {w for w, _ in words}


def test_chinese_is_segmented_into_words():
    words = dict(wordfreq.top_words(["海底捞卖的是服务补救和顾客体验。", "我们认为海底捞的服务补救很重要。"]))
    assert words.get("海底捞") == 2 and words.get("服务补救") == 2
    assert "的" not in words and "我们" not in words


def test_words_count_once_per_answer():
    assert wordfreq.top_words(["refund refund refund", "refund"]) == [("refund", 2)]


@pytest.mark.parametrize("texts,n,error", [("one string", 5, TypeError), (["ok"], 0, ValueError),
                                           ([1, 2], 5, TypeError)])
def test_word_counts_check_arguments(texts, n, error):
    with pytest.raises(error):
        wordfreq.top_words(texts, n=n)


# --------------------------------------------------------------------------
# The class view widget
# --------------------------------------------------------------------------

def test_projected_view_never_holds_names_or_ids(lms_class):
    folder, m = lms_class
    view = classview.ClassView(folder, lang="en")
    assert view.data.names == {} and set(view.data.table["name"]) <= {""}
    assert not set(view.data.students) & set(m["student"])
    for qid in [v for _, v in view.question.options]:
        view.question.value = qid
        shown = view.static_html() + view.count.value + view.chart_table.value + view.problems.value
        for name in m["name"]:
            assert name not in shown
        for path in m["file"]:
            assert path not in shown
    with pytest.raises(PermissionError, match="instructor"):
        view.export("canvas")


def test_view_counts_reveal_and_refresh(tmp_path):
    classsim.make_class_answers(tmp_path, 30, seed=11)
    view = classview.ClassView(tmp_path, lang="en")
    view.question.value = "poll:design"
    data = classroom.load_class(tmp_path)
    n, total = classstats.answered(data, CASE, "poll:design")
    assert f"data-answered='{n}'" in view.count.value and f"data-total='{total}'" in view.count.value
    assert "model answer" not in view.chart_table.value and view.chart.value[:4] == b"\x89PNG"
    before = view.chart.value
    view.reveal.value = True
    assert "model answer" in view.chart_table.value and view.chart.value != before
    view.question.value = "poll:breakeven"  # the next poll starts hidden
    assert view.reveal.value is False and "model answer" not in view.chart_table.value
    view.question.value = "poll:design"
    # A new student saves a vote while the view is open: Refresh shows it.
    AnswerBook("05_hotel_guarantee", case=CASE, folder=tmp_path / "late").save("poll:design", vote="none")
    view.refresh()
    assert f"data-answered='{n + 1}'" in view.count.value
    assert repr(view).startswith("ClassView(case='hotel_guarantee', question='poll:design'")


def test_view_in_chinese(tmp_path):
    classsim.make_class_answers(tmp_path, 20, seed=4, zh_share=1.0)
    view = classview.ClassView(tmp_path, lang="zh")
    assert "名学生中有" in view.count.value
    assert "文件损坏或没有写完" in view.problems.value and "不是本课程的答案文件" in view.problems.value
    assert "要点" in view.static_html() or "答案" in view.static_html()
    with i18n.language("zh"):
        words = classstats.frequent_words(view.data, CASE, "q1")
    assert words and all(any("\u3400" <= ch <= "\u9fff" for ch in w) for w, _ in words)


def test_instructor_view_shows_names_and_exports(lms_class, tmp_path):
    folder, m = lms_class
    view = classview.ClassView(folder, instructor=True, lang="en", export_dir=tmp_path)
    first = m[m["kind"] == "ok"].iloc[0]
    assert first["name"] in view.roster.value and first["student"] in view.roster.value
    path = view.export("moodle")
    table = pd.read_csv(path, dtype=str)
    assert list(table.columns[:4]) == ["First name", "Last name", "ID number", "Email address"]
    assert set(table["ID number"]) == set(m["student"])


def test_bad_folder_is_shown_not_raised(tmp_path):
    view = classview.ClassView(tmp_path / "missing", lang="en")
    assert "`source` must be a folder" in view.status.value


def test_class_view_from_the_environment(monkeypatch, lms_class):
    monkeypatch.setenv(classview.ENV_SOURCE, str(lms_class[0]))
    monkeypatch.setenv(classview.ENV_VIEW, "instructor")
    assert classview.class_view(lang="en").instructor is True
    monkeypatch.delenv(classview.ENV_SOURCE)
    with pytest.raises(ValueError, match="`source`"):
        classview.class_view()


def test_command_refuses_a_missing_folder(capsys):
    assert classview.main(["/no/such/folder", "--no-browser"]) == 2
    assert "ANSWERS=" in capsys.readouterr().err


def test_dashboard_notebook_has_one_code_cell():
    nb = classview.dashboard_notebook("zh")
    assert len(nb["cells"]) == 1 and "set_language('zh')" in nb["cells"][0]["source"]


def test_projected_and_instructor_views_load_300_files(tmp_path):
    classsim.make_class_answers(tmp_path, 300, seed=9)
    data = classroom.load_class(tmp_path)
    assert data.size == 300 and len(data.problems) == 5
    shutil.rmtree(tmp_path)


def test_live_refresh_picks_up_new_votes(tmp_path, monkeypatch):
    import asyncio

    classsim.make_class_answers(tmp_path, 10, seed=12, corrupt=0, foreign=0, half_written=0)
    monkeypatch.setattr(classview, "REFRESH_SECONDS", 0.05)

    async def scenario():
        view = classview.ClassView(tmp_path, lang="en")
        view.question.value = "poll:breakeven"
        n, _ = classstats.answered(view.data, CASE, "poll:breakeven")
        view.live.value = True
        AnswerBook("05_hotel_guarantee", case=CASE, folder=tmp_path / "new").save("poll:breakeven", vote=0.5)
        for _ in range(100):
            await asyncio.sleep(0.05)
            if f"data-answered='{n + 1}'" in view.count.value:
                break
        seen = view.count.value
        view.live.value = False
        await asyncio.sleep(0.1)
        return n, seen, view._task

    # A thread of its own: the browser tests' Playwright keeps an event loop
    # running in the main thread for the whole session.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        n, seen, task = pool.submit(asyncio.run, scenario()).result()
    assert f"data-answered='{n + 1}'" in seen and "data-total='11'" in seen
    assert task is None  # live refresh stopped when unticked


def test_unreadable_and_empty_files_give_a_reason_without_the_path(tmp_path, monkeypatch):
    _write(tmp_path / "jupyter-alice" / "answers" / "05_hotel_guarantee.json", _doc())
    _write(tmp_path / "jupyter-bob" / "answers" / "05_hotel_guarantee.json", _doc())
    (tmp_path / "jupyter-carol" / "answers").mkdir(parents=True)
    (tmp_path / "jupyter-carol" / "answers" / "05_hotel_guarantee.json").write_bytes(b"")
    real = classroom.read_answers_file

    def read(path):  # bob's home folder is not readable (the OS message names the path)
        if "jupyter-bob" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(classroom, "read_answers_file", read)
    data = classroom.load_class(tmp_path)
    reasons = data.problems.set_index("student")["reason"]
    assert reasons["carol"] == "empty file (half written?)"
    assert reasons["bob"] == "cannot be read (Permission denied)"
    assert data.students == ["alice", "bob", "carol"]
    view = classview.ClassView(tmp_path, lang="en")
    assert "Permission denied" in view.problems.value
    assert "jupyter-" not in view.problems.value and "bob" not in view.problems.value


def test_a_signed_answer_is_projected_without_the_name(tmp_path):
    _write(tmp_path / "s100" / "x.json", _doc("Zhang Wei", text="Cheating is rare. Signed: Zhang Wei (s100)"))
    _write(tmp_path / "s101" / "x.json", _doc("Li Na", text="我是li na，我认为作弊有限。Zhang Wei agrees."))
    projected = classview.ClassView(tmp_path, lang="en")
    projected.question.value = "q1"
    shown = projected.samples.value + projected.words.value
    assert "Cheating is rare. Signed: […] ([…])" in shown
    for name in ("zhang wei", "s100", "li na"):
        assert name not in shown.lower(), name
    words = [w for w, _ in projected._scrub.words(classstats.frequent_words(projected.data, CASE, "q1", n=50))]
    assert "cheating" in words and not {"zhang", "wei", "li", "na"} & set(words)
    assert "zhang" not in projected.words.value.lower()
    instructor = classview.ClassView(tmp_path, lang="en", instructor=True)
    instructor.question.value = "q1"
    assert "Zhang Wei" in instructor.samples.value
