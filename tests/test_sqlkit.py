"""casekit.sqlkit: a student's SQL runs, and a wrong query gives one plain
bilingual message that names the problem."""

import re
import sqlite3

import pandas as pd
import pytest

from casekit import i18n, sqlkit


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


_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "sql, problem, both, en, zh",
    [
        ("SELECT * FROM shop", "unknown table", ["`shop`", "sales, shops"], ["Unknown table"], ["没有名为"]),
        ("SELECT town FROM shops", "unknown column", ["`town`", "shops: shop_id, city"], ["Unknown column"],
         ["没有名为"]),
        ("SELECT s.x FROM shops s", "unknown column", ["`s.x`", "shop_id, city"], ["FROM or JOIN"], ["拼写"]),
        ("SELEC * FROM shops", "syntax error", ["`SELEC`"], ["Syntax error near `SELEC`"], ["语法错误"]),
        ("SELECT city FROM shops WHERE (shop_id = 1", "incomplete query", [], ["not closed"], ["没有写完"]),
        ("SELECT * FROM shops WHERE city = 'Qing", "unclosed quote", [], ["quote"], ["引号"]),
        ("SELECT shop_id FROM shops JOIN sales ON sales.shop_id = shops.shop_id",
         "ambiguous column", ["`shop_id`", ".shop_id"], ["table.shop_id"], ["表名.shop_id"]),
        ("DELETE FROM shops", "read-only database", ["SELECT"], ["read-only"], ["只读"]),
        ("SELECT 1; SELECT 2", "several statements", ["`;`"], ["one query at a time"], ["一次只能"]),
        ("SELECT SUM() FROM shops", "query error", [], ["could not run"], ["无法执行"]),
    ],
)
def test_errors_are_explained(db, sql, problem, both, en, zh, lang):
    with i18n.language(lang), pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query(sql, db=db)
    err = info.value
    assert err.problem == problem
    assert err.sql == sql
    for text in both + (en if lang == "en" else zh):
        assert text in str(err)
    # One language per message: the reader's (casekit.set_language).
    if lang == "en":
        assert not _CJK.search(str(err)), str(err)
    else:
        for text in en:
            assert text not in str(err)
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


# -- issue #14: limits, refused statements, clear messages -------------------

def test_endless_recursive_query_is_stopped_by_the_time_limit(db):
    import time
    t = time.perf_counter()
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
                     "SELECT COUNT(*) FROM r", db=db, time_limit=0.5)
    assert time.perf_counter() - t < 5
    assert info.value.problem == "time limit"
    assert "time limit" in str(info.value)
    with i18n.language("zh"), pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
                     "SELECT COUNT(*) FROM r", db=db, time_limit=0.5)
    assert "时间限制" in str(info.value) and "time limit" not in str(info.value)


def test_huge_cross_join_is_cut_to_the_row_limit(db):
    import resource
    import time
    sql = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3200) "
           "SELECT a.x, b.x AS y FROM n a CROSS JOIN n b")  # 10.24 million rows
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    with pytest.warns(sqlkit.ResultCutWarning, match="only the first 1,000 are shown") as rec:
        out = sqlkit.query(sql, db=db, max_rows=1_000)
    assert time.perf_counter() - t < 5
    assert len(out) == 1_000 and out.attrs["cut"] is True
    message = str(rec[0].message)
    assert "GROUP BY" in message and not _CJK.search(message)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200


def test_small_result_is_not_marked_cut(db):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", sqlkit.ResultCutWarning)
        out = sqlkit.query("SELECT * FROM shops", db=db, max_rows=2)
    assert len(out) == 2 and out.attrs["cut"] is False


def test_a_value_too_large_for_memory_is_refused(db):
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query("SELECT length(zeroblob(2000000000)) AS n", db=db)
    assert info.value.problem == "too large" and "GROUP BY" in str(info.value)
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query("WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r) "
                     "SELECT length(s) FROM r", db=db, time_limit=30)
    assert info.value.problem in ("too large", "time limit")


def test_memory_limit_is_set(db):
    sqlkit.query("SELECT 1", db=db)
    con = sqlite3.connect(":memory:")
    assert 0 < con.execute("PRAGMA hard_heap_limit").fetchone()[0] <= sqlkit.MEMORY_LIMIT
    con.close()


@pytest.mark.parametrize("statement", ["VACUUM INTO '{dir}/copy.sqlite'", "ATTACH '{dir}/new.sqlite' AS n"])
def test_vacuum_into_and_attach_are_refused(db, tmp_path, statement):
    sql = statement.format(dir=tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query(sql, db=db)
    assert info.value.problem == "not allowed"
    assert "ATTACH" in str(info.value) and "refused" in str(info.value)
    with i18n.language("zh"), pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query(sql, db=db)
    assert "ATTACH" in str(info.value) and "拒绝" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file written


def test_writes_through_an_open_connection_are_refused(db):
    con = sqlite3.connect(db)  # writable: only the authorizer stops the write
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query("DELETE FROM shops", db=con)
    assert info.value.problem == "read-only database"
    assert con.execute("SELECT COUNT(*) FROM shops").fetchone()[0] == 2
    # The connection is handed back without our handlers.
    con.execute("DELETE FROM sales WHERE amount = 5.0")
    con.close()


@pytest.mark.parametrize("sql", [";", "-- only a comment", "/* note */", "PRAGMA cache_size = 5"])
def test_statements_without_rows_get_a_clear_message(db, sql):
    with pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query(sql, db=db)
    assert info.value.problem in ("no result", "not allowed")
    assert "SELECT" in str(info.value) and "Use SELECT" in str(info.value) or "Write one SELECT" in str(info.value)
    with i18n.language("zh"), pytest.raises(sqlkit.SQLError) as info:
        sqlkit.query(sql, db=db)
    assert "SELECT" in str(info.value) and "。" in str(info.value)


def test_reading_pragma_is_allowed(db):
    out = sqlkit.query("PRAGMA table_info(shops)", db=db)
    assert out["name"].tolist() == ["shop_id", "city"]


@pytest.mark.parametrize("content", [b"just some text\n", b"\x00" * 200, b"SQLite format 2\x00" + b"x" * 100])
def test_a_file_that_is_not_sqlite_gets_a_bilingual_message(tmp_path, content):
    path = tmp_path / "fake.sqlite"
    path.write_bytes(content)
    for call in (lambda: sqlkit.query("SELECT 1", db=path), lambda: sqlkit.tables(path),
                 lambda: sqlkit.schema(path)):
        with pytest.raises(ValueError, match="`db` must be an SQLite database file") as info:
            call()
        assert "build_database" in str(info.value) and "不是" in str(info.value)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"time_limit": 0}, ValueError, "`time_limit`"),
        ({"time_limit": 1e9}, ValueError, "`time_limit`"),
        ({"max_rows": 0}, ValueError, "`max_rows`"),
        ({"max_rows": 10**9}, ValueError, "`max_rows`"),
        ({"max_rows": 2.5}, ValueError, "`max_rows`"),
        ({"params": "abc"}, TypeError, "`params`"),
        ({"params": (1, 2)}, ValueError, "`params`"),
        ({"params": ([1],)}, TypeError, "`params`"),
    ],
)
def test_bad_limits_and_params(db, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        sqlkit.query("SELECT city FROM shops WHERE shop_id = ?", db=db, **{"params": (1,), **kwargs})


def test_an_open_connection_to_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "fake.sqlite"
    path.write_bytes(b"just some text, long enough to look like a header ......\n" * 20)
    con = sqlite3.connect(path)
    with pytest.raises(ValueError, match="`db` must be an SQLite database file") as info:
        sqlkit.query("SELECT 1 FROM t", db=con)
    assert "不是数据库" in str(info.value)
    con.close()
