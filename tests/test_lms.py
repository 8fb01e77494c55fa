"""Canvas and Moodle import CSVs: the gradebook of `make grade` and the class
view's participation, with students matched through a roster."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from casekit import classroom, classsim, classstats, lms

GRADES = pd.DataFrame({"student": ["s002", "s001", "s003"], "q1": [2.0, 1.0, None], "q2": [2.0, 0.0, 1.0],
                       "q3": [3.0, 3.0, 0.0], "q4": [None, 1.5, 3.0], "total": [7.0, 5.5, 4.0],
                       "notes": ["", "late", ""]})
POINTS = {"q1": 2.0, "q2": 2.0, "q3": 3.0, "q4": 3.0}


def _roster(tmp_path, rows, header="student,name,canvas_id,sis_user_id,sis_login_id,section,idnumber,email"):
    path = tmp_path / "roster.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_canvas_gradebook_layout(tmp_path):
    table = lms.gradebook_table(GRADES, "canvas", assignment="toolkit", points=POINTS)
    rows = _read(lms.write_csv(table, tmp_path / "c.csv"))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "toolkit q1", "toolkit q2", "toolkit q3", "toolkit q4", "toolkit total"]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5:] == ["2.0", "2.0", "3.0", "3.0", "10.0"]
    by_login = {r[3]: r for r in rows[2:]}
    assert set(by_login) == {"s001", "s002", "s003"}  # no roster: the course's id is the SIS Login ID
    assert by_login["s001"][5:] == ["1.0", "0.0", "3.0", "1.5", "5.5"]
    assert by_login["s003"][5] == ""  # not graded: an empty cell leaves Canvas's grade alone
    assert "notes" not in " ".join(rows[0])


def test_moodle_gradebook_layout(tmp_path):
    table = lms.gradebook_table(GRADES, "moodle", assignment="toolkit", points=POINTS)
    rows = _read(lms.write_csv(table, tmp_path / "m.csv"))
    assert rows[0] == ["First name", "Last name", "ID number", "Email address",
                       "toolkit q1", "toolkit q2", "toolkit q3", "toolkit q4", "toolkit total"]
    assert [r[2] for r in rows[1:]] == ["s002", "s001", "s003"]  # no Points Possible row in Moodle's layout


def test_roster_matches_students_and_reports_the_rest(tmp_path):
    roster = _roster(tmp_path, [
        's001,"Li Na",101,2026001,lina,A,2026001,lina@uni.edu',
        's002,"John Smith",102,2026002,jsmith,B,2026002,js@uni.edu',
        's009,"Wang Fang",109,2026009,wfang,A,2026009,wf@uni.edu',
    ])
    canvas = lms.gradebook_table(GRADES, "canvas", assignment="toolkit", points=POINTS, roster=roster)
    assert canvas.attrs["unmatched"] == ["s003"]
    body = canvas.iloc[1:].set_index("SIS User ID")
    assert list(body.index) == ["2026001", "2026002", "2026009"]
    assert body.loc["2026002", "Student"] == "Smith, John" and body.loc["2026002", "ID"] == "102"
    assert body.loc["2026002", "toolkit total"] == 7.0
    assert body.loc["2026009", "toolkit total"] == ""  # in the roster, nothing handed in: left alone
    moodle = lms.gradebook_table(GRADES, "moodle", assignment="toolkit", roster=roster)
    assert moodle.set_index("ID number").loc["2026001", "Email address"] == "lina@uni.edu"
    assert "s003" not in moodle.to_string()


@pytest.mark.parametrize("rows,header,match", [
    (["s1,x"], "id,name", "unknown \\['id'\\]"),
    (["A"], "section", "a column that names each student"),
    (["s1,x"], "student,phone", "unknown"),
    (["s1,a", "s1,b"], "student,name", "each student once"),
    ([","], "student,name", "each student once"),
])
def test_bad_rosters_are_refused_with_the_rule(tmp_path, rows, header, match):
    with pytest.raises(ValueError, match=match):
        lms.read_roster(_roster(tmp_path, rows, header))


def test_missing_roster_and_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="`roster` must be a CSV file"):
        lms.read_roster(tmp_path / "none.csv")
    with pytest.raises(ValueError, match="`system`"):
        lms.gradebook_table(GRADES, "blackboard", assignment="toolkit")
    with pytest.raises(ValueError, match="'student' and 'total'"):
        lms.gradebook_table(GRADES.drop(columns="total"), "canvas", assignment="toolkit")


def test_participation_export_counts_answers(tmp_path):
    classsim.make_class_answers(tmp_path / "class", 25, seed=8)
    data = classroom.load_class(tmp_path / "class")
    part = classstats.participation(data, "hotel_guarantee")
    table = lms.participation_table(part, "canvas", case="hotel_guarantee", names=data.names)
    assert table.iloc[0]["Student"].strip() == "Points Possible"
    assert table.iloc[0]["hotel_guarantee answered"] == part.shape[1]
    body = table.iloc[1:].set_index("SIS Login ID")
    assert (body["hotel_guarantee answered"] == part.sum(axis=1).reindex(body.index)).all()
    assert set(body["hotel_guarantee q1"]) <= {0, 1}


def test_make_grade_gradebook_to_both_systems(tmp_path):
    from casekit import grading

    course = tmp_path / "course"
    (course / "source" / "toolkit").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    master = grading.masters()["toolkit"]
    (course / "source" / "toolkit" / "toolkit.ipynb").write_bytes(master.read_bytes())
    roster = _roster(tmp_path, ['s001,"Li Na",101,2026001,lina,A,2026001,lina@uni.edu'])
    written = grading.lms_exports({"toolkit": GRADES}, course, "canvas,moodle", roster, progress=False)
    assert [p.name for p in written] == ["grades_toolkit_canvas.csv", "grades_toolkit_moodle.csv"]
    canvas = _read(written[0])
    assert canvas[1][5:] == ["2.0", "2.0", "3.0", "3.0", "10.0"]  # points from the master
    assert len(canvas) == 3  # header, Points Possible, the one roster student
    totals = grading.lms_exports({"toolkit": GRADES}, course, "moodle", None, progress=False, columns="total",
                                 moodle_user="username")
    assert _read(totals[0])[0][-2:] == ["Username", "toolkit total"]
    with pytest.raises(ValueError, match="`lms`"):
        grading.lms_exports({"toolkit": GRADES}, course, "canvas,bb", None, progress=False)


def test_command_line_converts_a_gradebook(tmp_path, capsys):
    path = tmp_path / "grades_toolkit.csv"
    GRADES.to_csv(path, index=False)
    assert lms._main(["grades", str(path), "--system", "moodle"]) == 0
    out = tmp_path / "grades_toolkit_moodle.csv"
    assert _read(out)[0][-1] == "toolkit total"
    assert lms._main(["grades", str(tmp_path / "nope.csv"), "--system", "canvas"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("extra,match", [(["--lms", "canvas,blackboard"], "`--lms`"),
                                         (["--roster", "r.csv"], "needs `--lms`"),
                                         (["--lms", "moodle", "--roster", "/no/roster.csv"], "`roster`")])
def test_make_grade_checks_the_lms_options_before_grading(tmp_path, capsys, extra, match):
    from casekit import grading

    (tmp_path / "s1").mkdir()
    assert grading._main(["grade", str(tmp_path), *extra]) == 1
    err = capsys.readouterr().err
    assert match in err and "grading " not in err


def test_ids_go_where_each_lms_matches_them(tmp_path):
    """Canvas matches `ID` against its user id (gradebook_importer.rb), so a
    Canvas user id from a file name goes there; a course id is a login; a
    Moodle participant id is no id at all and is said so in the notes."""
    scores = pd.DataFrame({"q1": [1, 0, 1]}, index=["67890", "s001", "772"])
    kinds = {"67890": "canvas_user", "772": "moodle_participant"}
    canvas = lms.participation_table(scores, "canvas", case="c", id_kinds=kinds, names={"772": "Li Na"}).iloc[1:]
    rows = canvas.set_index("Student")
    assert rows.loc["67890", "ID"] == "67890" and rows.loc["67890", "SIS Login ID"] == ""
    assert rows.loc["s001", "SIS Login ID"] == "s001" and rows.loc["s001", "ID"] == ""
    assert (rows.loc["Na, Li", ["ID", "SIS User ID", "SIS Login ID"]] == "").all()
    assert canvas.attrs["no_id"] == ["772"] and "'772' has no ID" in canvas.attrs["notes"][0]
    moodle = lms.participation_table(scores, "moodle", case="c", id_kinds=kinds)
    assert moodle["ID number"].tolist() == ["", "s001", ""] and moodle.attrs["no_id"] == ["67890", "772"]
    with_user = lms.participation_table(scores, "moodle", case="c", id_kinds=kinds, moodle_user="username")
    assert with_user["Username"].tolist() == ["", "s001", ""] and set(with_user["ID number"]) == {""}


def test_roster_matches_usernames_canvas_ids_and_names(tmp_path):
    roster = _roster(tmp_path, ['"Li Na",lina,555,lina@uni.edu', '"Wang Fang",wfang,556,wf@uni.edu'],
                     header="name,username,canvas_id,email")
    table = lms.read_roster(roster)
    assert list(table.index) == ["lina", "wfang"]  # no `student` column: the username is the key
    assert lms.match_student(table, "wfang") == "wfang"
    assert lms.match_student(table, "556", kind="canvas_user") == "wfang"
    assert lms.match_student(table, "772", kind="moodle_participant", name="li  NA") == "lina"
    assert lms.match_student(table, "772", kind="moodle_participant") is None  # a participant id alone: no match
    assert lms.match_student(table, "lina@uni.edu") == "lina"


def test_totals_only_makes_one_graded_item(tmp_path):
    table = lms.gradebook_table(GRADES, "canvas", assignment="toolkit", points=POINTS, columns="total")
    assert list(table.columns) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "toolkit total"]
    assert table.iloc[0]["toolkit total"] == 10.0
    part = pd.DataFrame({"q1": [1, 0], "q2": [1, 1]}, index=["s1", "s2"])
    moodle = lms.participation_table(part, "moodle", case="c", columns="total")
    assert list(moodle.columns)[4:] == ["c answered"] and moodle["c answered"].tolist() == [2, 1]
    with pytest.raises(ValueError, match="`columns`"):
        lms.participation_table(part, "moodle", case="c", columns="some")


def test_command_line_totals_only(tmp_path, capsys):
    path = tmp_path / "grades_toolkit.csv"
    GRADES.to_csv(path, index=False)
    assert lms._main(["grades", str(path), "--system", "moodle", "--columns", "total", "--moodle-id", "username"]) == 0
    assert _read(tmp_path / "grades_toolkit_moodle.csv")[0] == ["First name", "Last name", "ID number",
                                                               "Email address", "Username", "toolkit total"]


def test_names_match_across_unicode_normal_forms(tmp_path):
    """A Moodle folder unzipped on an older Mac has NFD names (e + combining
    accent); the roster has NFC ones."""
    import unicodedata

    table = lms.read_roster(_roster(tmp_path, ["s1,José Núñez,,,,,,", "s2,黄敏,,,,,,"]))
    nfd = unicodedata.normalize("NFD", "José Núñez")
    assert nfd != "José Núñez"
    assert lms.match_student(table, "1004", kind="moodle_participant", name=nfd) == "s1"
    assert lms.match_student(table, "1005", kind="moodle_participant", name="黄敏") == "s2"


def test_an_id_from_the_files_student_field_gets_a_note():
    """Without a roster, an id taken from what the student typed into the
    file goes to SIS Login ID, and the export says so."""
    scores = pd.DataFrame({"q1": [1, 0]}, index=["s001", "wangfang"])
    table = lms.participation_table(scores, "canvas", case="c", id_kinds={"wangfang": "file_field"})
    rows = table.iloc[1:].set_index("Student")
    assert rows.loc["wangfang", "SIS Login ID"] == "wangfang"
    assert table.attrs["from_file"] == ["wangfang"]
    assert any("'wangfang'" in n and "student field" in n for n in table.attrs["notes"])
    moodle = lms.participation_table(scores, "moodle", case="c", id_kinds={"wangfang": "file_field"})
    assert any("'wangfang'" in n and "ID number" in n for n in moodle.attrs["notes"])
