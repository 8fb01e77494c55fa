"""casekit.sqlkit: a student's SQL runs, and a wrong query gives one plain
bilingual message that names the problem."""

import sqlite3

import pandas as pd
import pytest

from casekit import sqlkit


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE shops (shop_id INTEGER, city TEXT)")
        con.execute("CREATE TABLE sales (shop_id INTEGER, amount REAL)")
        con.executemany("INSERT INTO shops VALUES (?, ?)", [(1, "Qingdao"), (2, "Jinan")])
        con.executemany("INSERT INTO sales VALUES (?, ?)", [(1, 10.0), (1, 5.0), (2, 7.5)])
    con.close()
    return path


def test_query_returns_a_frame(db):
    out = sqlkit.query("SELECT city, SUM(amount) AS total FROM shops JOIN sales USING (shop_id) "
                       "GROUP BY city ORDER BY city", db=db)
    expected = pd.DataFrame({"city": ["Jinan", "Qingdao"], "total": [7.5, 15.0]})
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)


def test_params_are_passed(db):
    out = sqlkit.query("SELECT city FROM shops WHERE shop_id = ?", db=db, params=(2,))
    assert out["city"].tolist() == ["Jinan"]


def test_tables_columns_schema(db):
    assert sqlkit.tables(db) == ["sales", "shops"]
    assert sqlkit.columns(db, "shops") == ["shop_id", "city"]
    s = sqlkit.schema(db)
    assert list(s.columns) == ["table", "column", "type"]
    assert len(s) == 4


@pytest.mark.parametrize(
    "sql, problem, must_contain",
    [
        ("SELECT * FROM shop", "unknown table", ["`shop`", "sales, shops", "没有名为"]),
        ("SELECT town FROM shops", "unknown column", ["`town`", "shops: shop_id, city", "没有名为"]),
        ("SELECT s.x FROM shops s", "unknown column", ["`s.x`", "shop_id, city"]),
        ("SELEC * FROM shops", "syntax error", ["near `SELEC`", "语法错误"]),
        ("SELECT city FROM shops WHERE (shop_id = 1", "incomplete query", ["not closed", "不完整"]),
        ("SELECT * FROM shops WHERE city = 'Qing", "unclosed quote", ["quote", "引号"]),
        ("SELECT shop_id FROM shops JOIN sales ON sales.shop_id = shops.shop_id",
         "ambiguous column", ["`shop_id`", "table.shop_id", "多个表"]),
        ("DELETE FROM shops", "read-only database", ["read-only", "只读"]),
        ("SELECT 1; SELECT 2", "several statements", ["one query at a time", "一次只能"]),
        ("SELECT SUM() FROM shops", "query error", ["could not run", "无法执行"]),
    ],
)
def test_errors_are_explained(db, sql, problem, must_contain):
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query(sql, db=db)
    err = info.value
    assert err.problem == problem
    assert err.sql == sql
    for text in must_contain:
        assert text in str(err)
    # No traceback wall: the original sqlite/pandas errors are not chained.
    assert err.__cause__ is None and err.__suppress_context__
    # IPython shows these lines instead of a traceback.
    lines = err._render_traceback_()
    assert lines[0].startswith("SQLError: ") and len(lines) <= 6


def test_database_is_not_changed(db):
    with pytest.raises(sqlkit.SQLError):
        sqlkit.query("DROP TABLE shops", db=db)
    assert sqlkit.tables(db) == ["sales", "shops"]


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"sql": "", "db": "x"}, ValueError, "`sql` must be non-empty"),
        ({"sql": 3, "db": "x"}, TypeError, "`sql` must be text"),
        ({"sql": "SELECT 1", "db": 5}, TypeError, "`db` must be a path"),
        ({"sql": "SELECT 1", "db": "/no/such/file.sqlite"}, FileNotFoundError, "`db` must be an existing"),
    ],
)
def test_bad_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        sqlkit.query(**kwargs)


def test_columns_rejects_unknown_table(db):
    with pytest.raises(ValueError, match="`table` must be one of sales, shops"):
        sqlkit.columns(db, "staff")


def test_open_connection_is_left_open(db):
    con = sqlite3.connect(db)
    assert sqlkit.query("SELECT COUNT(*) AS n FROM shops", db=con)["n"].item() == 2
    con.execute("SELECT 1")  # still usable
    con.close()
