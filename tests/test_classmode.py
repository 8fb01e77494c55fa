"""Class mode: reading a class's answer files (three layouts), the summaries,
the word counts, the simulator and the class view widget (no browser: that
is tests/browser/test_classview.py)."""

from __future__ import annotations

import json
import re
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
    assert len(loaded.problems) == 4
    reasons = " | ".join(loaded.problems["reason"])
    assert "foreign" in reasons and ("not valid JSON" in reasons or "UTF-8" in reasons)
    assert sorted(loaded.problems["kind"]) == ["damaged", "damaged", "damaged", "foreign"]
    bad = set(m.loc[m["kind"].isin(["corrupt", "foreign"]), "student"])
    assert set(loaded.problems["student"]) == bad
    # The student caught mid-save is read from the finished file; the temporary file is not a problem.
    assert set(loaded.table["student"]) == set(m.loc[m["kind"].isin(["ok", "blank", "half_written"]), "student"])
    assert ".tmp" not in reasons and not loaded.problems["file"].str.endswith(".tmp").any()


def test_votes_read_are_the_votes_written(lms_class, loaded):
    _, m = lms_class
    ok = m[m["kind"].isin(["ok", "half_written"])].set_index("student")
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
    # Which kind of id each is: a Moodle participant id, a Canvas user id, the file's own field.
    assert data.id_kinds == {"12345": "moodle_participant", "67890": "canvas_user", "Wang Fang": "file_field"}


def test_canvas_late_work_and_unicode_names_keep_the_user_id(tmp_path):
    """Canvas's content_zipper.rb writes late work as ``<name>_LATE_<id>_…`` and
    keeps Unicode word characters in the name (黄敏, josé)."""
    _write(tmp_path / "smithbob_LATE_340935_9001_05_hotel_guarantee.json", _doc("Bob Smith"))
    _write(tmp_path / "黄敏_340936_9002_05_hotel_guarantee.json", _doc("黄敏"))
    _write(tmp_path / "núñezjosé_LATE_340937_9003_05_hotel_guarantee.json", _doc())
    data = classroom.load_class(tmp_path, "lms")
    assert data.students == ["340935", "340936", "340937"]
    assert set(data.id_kinds.values()) == {"canvas_user"}


def test_moodle_download_without_folders_is_parsed(tmp_path):
    _write(tmp_path / "Li Na_772_assignsubmission_file_05_hotel_guarantee.json", _doc("someone"))
    _write(tmp_path / "Wang_Fang Jr_773_assignsubmission_file_05_hotel_guarantee.json", _doc())
    data = classroom.load_class(tmp_path, "lms")
    assert data.students == ["772", "773"]
    assert data.names == {"772": "Li Na", "773": "Wang_Fang Jr"}
    assert set(data.id_kinds.values()) == {"moodle_participant"}


def test_a_roster_decides_who_is_the_class(tmp_path):
    """Moodle participant ids are matched by name, hub users by user name;
    anyone the roster lacks (the instructor's own home folder) is left out."""
    _write(tmp_path / "Li Na_772_assignsubmission_file_05_hotel_guarantee.json", _doc(text="Cheating is rare here."))
    _write(tmp_path / "Zhou Jie_774_assignsubmission_file_05_hotel_guarantee.json", _doc())
    _write(tmp_path / "instructor" / "05_hotel_guarantee.json", _doc(text="The model answer, typed in."))
    _write(tmp_path / "wfang" / "05_hotel_guarantee.json", _doc())
    roster = tmp_path.parent / f"{tmp_path.name}-roster.csv"
    roster.write_text("name,email,username,idnumber\nLi Na,lina@uni.edu,lina,2026001\n"
                      "Wang Fang,wf@uni.edu,wfang,2026002\nChen Jing,cj@uni.edu,cjing,2026003\n", encoding="utf-8")
    data = classroom.load_class(tmp_path, "lms", roster=roster)
    assert data.students == ["cjing", "lina", "wfang"] and data.size == 3
    assert dict(data.outside) == {"774": "Zhou Jie", "instructor": ""}
    assert data.names["lina"] == "Li Na" and data.names["cjing"] == "Chen Jing"
    part = classstats.participation(data, CASE)
    assert part.loc["lina", "q1"] == 1 and part.loc["cjing"].sum() == 0
    # Without a roster, EXCLUDE leaves the instructor out.
    assert "instructor" not in classroom.load_class(tmp_path, "lms", exclude="instructor, nobody").students
    with pytest.raises(TypeError, match="`exclude`"):
        classroom.load_class(tmp_path, "lms", exclude=[1])


def test_hub_skips_hidden_folders_and_finds_answers_near_home(tmp_path):
    classsim.make_class_answers(tmp_path, 3, layout="hub", corrupt=0, foreign=0, half_written=0, seed=2)
    home = tmp_path / "jupyter-s001"
    _write(home / ".conda" / "pkgs" / "x" / "answers" / "05_hotel_guarantee.json", _doc(vote=4.0))
    _write(home / "a" / "b" / "c" / "d" / "answers" / "05_hotel_guarantee.json", _doc(vote=4.0))  # too deep
    (tmp_path / "jupyter-s002" / "crm-course" / "notebooks" / "answers" / ".05_hotel_guarantee.1.tmp").write_text("{")
    data = classroom.load_class(tmp_path)
    assert data.size == 3 and data.problems.empty
    assert 4.0 not in data.rows(CASE, "poll:breakeven")["vote"].tolist()
    walked = []
    real = classroom.os.scandir
    classroom.os.scandir = lambda p: (walked.append(str(p)), real(p))[1]
    try:
        classroom.load_class(tmp_path)
    finally:
        classroom.os.scandir = real
    assert not any("/.conda" in w for w in walked)


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

def test_a_tick_or_a_word_is_not_an_answer(tmp_path):
    ticks = _doc(text="")
    ticks["answers"]["q1"]["checked"] = [0, 1]
    _write(tmp_path / "a" / "x.json", ticks)
    _write(tmp_path / "b" / "x.json", _doc(text="yes"))
    _write(tmp_path / "c" / "x.json", _doc(text="我同意"))
    _write(tmp_path / "d" / "x.json", _doc(text="Cheating stays rare."))
    _write(tmp_path / "e" / "x.json", _doc(text="作弊的客人很少。"))
    data = classroom.load_class(tmp_path)
    assert classstats.answered(data, CASE, "q1") == (2, 5)
    assert classstats.participation(data, CASE)["q1"].to_dict() == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}


def test_answered_counts_blank_answers_as_not_answered(lms_class, loaded):
    _, m = lms_class
    n, total = classstats.answered(loaded, CASE, "q1")
    assert total == 60
    assert n == m["kind"].isin(["ok", "half_written"]).sum()  # blank files and bad files do not count


def test_poll_counts_and_values(lms_class, loaded):
    _, m = lms_class
    ok = m[m["kind"].isin(["ok", "half_written"])]
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
    bad = m.loc[m["kind"].isin(["corrupt", "foreign", "blank"]), "student"]
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


def test_opinion_words_are_stop_words():
    words = {w for w, _ in wordfreq.top_words(["I think the view says refunds pay.", "我认为退款有用。我觉得总的来说有用。"],
                                             n=20)}
    assert not {"think", "view", "says", "say", "认为", "觉得", "总的来说", "总的", "来说"} & words
    assert {"refunds", "退款"} <= words


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


def test_projected_problems_show_the_kind_only(tmp_path):
    bad = _doc()
    bad["student"] = ["Wang Fang"]
    _write(tmp_path / "s1" / "x.json", bad)
    vote = _doc()
    vote["answers"]["poll:breakeven"]["vote"] = {"Sun Li": 1}
    _write(tmp_path / "s2" / "x.json", vote)
    projected = classview.ClassView(tmp_path, lang="en")
    shown = projected.problems.value
    assert shown.count("a fault in its contents") == 2
    for leak in ("Wang Fang", "Sun Li", "s1", "x.json", "must be text", "malformed"):
        assert leak not in shown, leak
    zh = classview.ClassView(tmp_path, lang="zh").problems.value
    assert "答案文件的内容有错误" in zh and not re.search(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>|data-kind='\w+'", "", zh))
    instructor = classview.ClassView(tmp_path, lang="en", instructor=True).problems.value
    assert "Wang Fang" in instructor and "x.json" in instructor  # the instructor's own screen names the file


def test_names_are_scrubbed_as_whole_words(tmp_path):
    for user in ("ben", "art", "ann"):
        _write(tmp_path / f"jupyter-{user}" / "answers" / "05_hotel_guarantee.json",
               _doc(text="The benefit of the art: planned refunds. Ask Ben, annual guests agree."))
    _write(tmp_path / "jupyter-wangfang" / "answers" / "05_hotel_guarantee.json",
           _doc("王芳", text="王芳认为作弊的客人很少，退款的好处大。"))
    view = classview.ClassView(tmp_path, lang="en")
    view.question.value = "q1"
    shown = view.samples.value
    assert "The benefit of the […]: planned refunds. Ask […], annual guests agree." in shown
    assert "王芳" not in shown and "[…]认为" in shown
    words = {w for w, _ in view._scrub.words(classstats.frequent_words(view.data, CASE, "q1", n=50))}
    assert "benefit" in words and "annual" in words and not {"ben", "art", "ann", "王芳"} & words
    assert "王芳" not in view.words.value


def test_a_refresh_keeps_the_samples_on_screen(tmp_path):
    classsim.make_class_answers(tmp_path, 30, seed=11, corrupt=0, foreign=0, half_written=0)
    view = classview.ClassView(tmp_path, lang="en")
    view.question.value = "q2"
    before = view.samples.value
    for i in range(10):  # new answers arrive: counts change, the samples shown stay
        AnswerBook("05_hotel_guarantee", case=CASE, folder=tmp_path / f"late{i}").save(
            "q2", text=f"A late answer number {i} about refunds and trust.")
    view.refresh()
    assert "data-answered" in view.count.value and "data-total='40'" in view.count.value
    assert view.samples.value == before
    view.new_sample.click()
    assert view.samples.value != before


def test_number_poll_label_has_headroom(tmp_path):
    classsim.make_class_answers(tmp_path, 40, seed=11, corrupt=0, foreign=0, half_written=0)
    view = classview.ClassView(tmp_path, lang="en")
    view.question.value = "poll:breakeven"
    view.reveal.value = True
    import matplotlib.pyplot as plt

    captured = {}
    real = classview.figure_to_png

    def spy(fig, **kw):
        captured["ax"] = fig.axes[0]
        fig.canvas.draw()
        ax = fig.axes[0]
        label = [t for t in ax.texts if "model answer" in t.get_text()][0]
        box = label.get_window_extent().transformed(ax.transData.inverted())
        tallest = max(p.get_height() for p in ax.patches)
        captured["gap"] = box.y0 - tallest
        return real(fig, **kw)

    classview.figure_to_png = spy
    try:
        view.render()
    finally:
        classview.figure_to_png = real
        plt.close("all")
    assert captured["gap"] > 0, "the model answer's label covers the tallest bar"


def test_start_here_is_not_offered_as_a_case(tmp_path):
    view = classview.ClassView(tmp_path, lang="en")
    assert "start_here" not in [v for _, v in view.case.options]


def test_instructor_export_with_roster_totals_and_notes(tmp_path):
    _write(tmp_path / "Li Na_772_assignsubmission_file_05_hotel_guarantee.json", _doc(text="Cheating is rare here."))
    _write(tmp_path / "Zhou Jie_774_assignsubmission_file_05_hotel_guarantee.json", _doc())
    roster = tmp_path.parent / f"{tmp_path.name}-r.csv"
    roster.write_text("name,email,username\nLi Na,lina@uni.edu,lina\nWang Fang,wf@uni.edu,wfang\n", encoding="utf-8")
    out = tmp_path.parent / f"{tmp_path.name}-out"
    view = classview.ClassView(tmp_path, lang="en", instructor=True, export_dir=out, roster=roster, columns="total",
                               moodle_user="username")
    table = pd.read_csv(view.export("moodle"), dtype=str, keep_default_na=False)
    assert list(table.columns) == ["First name", "Last name", "ID number", "Email address", "Username",
                                   "hotel_guarantee answered"]
    assert table.set_index("Username")["hotel_guarantee answered"].to_dict() == {"lina": "2", "wfang": "0"}
    assert "Zhou Jie" in view.export_status.value and "not in the class" in view.export_status.value
    # Without a roster, a Moodle participant id is not an ID number: the notes say so.
    plain = classview.ClassView(tmp_path, lang="en", instructor=True, export_dir=out)
    table = pd.read_csv(plain.export("moodle"), dtype=str, keep_default_na=False)
    assert set(table["ID number"]) == {""}
    assert plain.export_status.value.count("no id the LMS can match") == 2


def test_instructor_view_shows_names_and_exports(lms_class, tmp_path):
    folder, m = lms_class
    view = classview.ClassView(folder, instructor=True, lang="en", export_dir=tmp_path)
    first = m[m["kind"] == "ok"].iloc[0]
    assert first["name"] in view.roster.value and first["student"] in view.roster.value
    path = view.export("moodle")
    table = pd.read_csv(path, dtype=str)
    assert list(table.columns[:4]) == ["First name", "Last name", "ID number", "Email address"]
    assert set(table["ID number"]) == set(m["student"])  # folder names: the course's id, no roster


def test_bad_folder_is_shown_not_raised(tmp_path):
    view = classview.ClassView(tmp_path / "missing", lang="en")
    assert "`source` must be a folder" in view.status.value


def test_class_view_from_the_environment(monkeypatch, lms_class):
    monkeypatch.setenv(classview.ENV_SOURCE, str(lms_class[0]))
    monkeypatch.setenv(classview.ENV_VIEW, "instructor")
    assert classview.class_view(lang="en").instructor is True
    monkeypatch.setenv(classview.ENV_EXCLUDE, "s001,s002")
    monkeypatch.setenv(classview.ENV_COLUMNS, "total")
    view = classview.class_view(lang="en")
    assert view.data.size == 58 and view.columns == "total" and [s for s, _ in view.data.outside] == ["s001", "s002"]
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
    assert data.size == 300 and len(data.problems) == 4
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
    assert "cannot be read" in view.problems.value and "Permission denied" not in view.problems.value
    assert "jupyter-" not in view.problems.value and "bob" not in view.problems.value
    instructor = classview.ClassView(tmp_path, lang="en", instructor=True)
    assert "Permission denied" in instructor.problems.value and "jupyter-bob" in instructor.problems.value


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


def test_voila_keeps_the_printed_port_or_stops(tmp_path, capsys):
    """Voila moves to the next free port by default, and the address printed
    would be wrong: the class view asks for exactly its port, and says so
    when the port is taken."""
    import socket

    cmd = classview.voila_command("class_view.ipynb", port=8867, open_browser=False)
    assert "--Voila.port_retries=0" in cmd and cmd[-1] == "class_view.ipynb" and "--port=8867" in cmd
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert not classview.port_free(port)
        assert classview.main([str(tmp_path), "--no-browser", "--port", str(port)]) == 2
    assert f"Port {port} is in use" in capsys.readouterr().err


def test_command_checks_the_roster(tmp_path, capsys):
    (tmp_path / "r.csv").write_text("phone\n123\n", encoding="utf-8")
    assert classview.main([str(tmp_path), "--no-browser", "--roster", str(tmp_path / "r.csv")]) == 2
    assert "ROSTER=" in capsys.readouterr().err


def test_make_class_passes_the_roster_and_options():
    import subprocess

    out = subprocess.run(["make", "-n", "class", "ANSWERS=/tmp/x", "ROSTER=r.csv", "EXCLUDE=me", "COLUMNS=total",
                          "MOODLE_ID=username", "CLASS_PORT=8877"], capture_output=True, text=True,
                         cwd=classview.Path(classview.__file__).parents[1], check=True).stdout
    for arg in ('--roster "r.csv"', '--exclude "me"', '--columns "total"', '--moodle-id "username"', "--port 8877"):
        assert arg in out, arg
