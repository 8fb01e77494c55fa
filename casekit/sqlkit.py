"""Run a student's SQL against a course database and explain errors plainly.

Students write SQL in a notebook and get a pandas ``DataFrame`` back. When a
query is wrong, they see one short message in English and 中文 that names the
problem and what to use instead, not a traceback wall:

* unknown table → the tables that exist;
* unknown column → the columns of the tables the query names;
* syntax error near X → where to look;
* a query that changes data → the database is read-only.

The database is opened read-only, so a stray ``DELETE`` cannot damage the
course files.

Examples
--------
>>> import sqlite3, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.sqlite"
>>> with sqlite3.connect(path) as con:
...     _ = con.execute("CREATE TABLE shops (shop_id INTEGER, city TEXT)")
...     _ = con.execute("INSERT INTO shops VALUES (1, 'Qingdao')")
>>> query("SELECT city FROM shops", db=path)
      city
0  Qingdao
>>> try:
...     query("SELECT town FROM shops", db=path)
... except SQLError as err:
...     print(err.problem)
unknown column
"""

from __future__ import annotations

import re
import sqlite3
import warnings
from pathlib import Path

import pandas as pd

from ._checks import check_str

__all__ = ["SQLError", "query", "tables", "columns", "schema", "explain_error"]


class SQLError(ValueError):
    """A query the database could not run, with a plain bilingual message.

    Attributes
    ----------
    problem : str
        Short name of the problem: "unknown table", "unknown column",
        "ambiguous column", "syntax error", "incomplete query",
        "several statements", "unclosed quote", "read-only database" or "query error".
    sql : str
        The query as written.
    """

    def __init__(self, message: str, *, problem: str, sql: str):
        super().__init__(message)
        self.problem = problem
        self.sql = sql

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback.
        return [f"SQLError: {line}" if i == 0 else line for i, line in enumerate(str(self).splitlines())]


def _connect(db) -> sqlite3.Connection:
    if isinstance(db, sqlite3.Connection):
        return db
    if not isinstance(db, (str, Path)):
        raise TypeError(f"`db` must be a path to an SQLite file or an sqlite3 connection, got {type(db).__name__}")
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"`db` must be an existing SQLite file, got {str(path)!r} (not found)")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def tables(db) -> list[str]:
    """Names of the tables and views in the database, sorted."""
    con = _connect(db)
    try:
        rows = con.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    finally:
        if con is not db:
            con.close()
    return [r[0] for r in rows]


def columns(db, table: str) -> list[str]:
    """Column names of one table, in order."""
    check_str("table", table)
    names = tables(db)
    if table not in names:
        raise ValueError(f"`table` must be one of {', '.join(names)}; got {table!r}")
    con = _connect(db)
    try:
        rows = con.execute(f'PRAGMA table_info("{table}")').fetchall()
    finally:
        if con is not db:
            con.close()
    return [r[1] for r in rows]


def schema(db) -> pd.DataFrame:
    """One row per column of every table: ``table``, ``column``, ``type``."""
    rows = []
    con = _connect(db)
    try:
        for t in tables(con):
            for r in con.execute(f'PRAGMA table_info("{t}")').fetchall():
                rows.append({"table": t, "column": r[1], "type": r[2]})
    finally:
        if con is not db:
            con.close()
    return pd.DataFrame(rows, columns=["table", "column", "type"])


def _tables_named_in(sql: str, known: list[str]) -> list[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sql)}
    return [t for t in known if t.lower() in words]


def explain_error(message: str, sql: str, db) -> SQLError:
    """Turn an SQLite error message into an :class:`SQLError` with a plain
    message in English and 中文 (returned, not raised)."""
    msg = str(message)
    known = tables(db)
    listed = ", ".join(known)
    m = re.search(r"no such table: (\S+)", msg)
    if m:
        name = m.group(1)
        text = (f"Unknown table `{name}`. The tables in this database are: {listed}.\n"
                f"没有名为 `{name}` 的表。数据库中的表有：{listed}。")
        return SQLError(text, problem="unknown table", sql=sql)
    m = re.search(r"no such column: (\S+)", msg)
    if m:
        name = m.group(1)
        named = _tables_named_in(sql, known) or known
        cols = "\n".join(f"  {t}: {', '.join(columns(db, t))}" for t in named)
        text = (f"Unknown column `{name}`. Check the spelling, and that its table is in FROM or JOIN.\n"
                f"没有名为 `{name}` 的列。请检查拼写，并确认它所在的表已写在 FROM 或 JOIN 中。\n"
                f"Columns 各表的列:\n{cols}")
        return SQLError(text, problem="unknown column", sql=sql)
    m = re.search(r"ambiguous column name: (\S+)", msg)
    if m:
        name = m.group(1)
        text = (f"Column `{name}` is in more than one of the joined tables: write it as table.{name} "
                f"(e.g. t.{name}).\n列 `{name}` 同时出现在多个表中：请写成 表名.{name}。")
        return SQLError(text, problem="ambiguous column", sql=sql)
    m = re.search(r'near "(.*)": syntax error', msg, flags=re.S)
    if m:
        near = m.group(1)
        text = (f"Syntax error near `{near}`: look just before or at `{near}` for a missing comma, a "
                f"misspelt keyword or a stray bracket.\n"
                f"语法错误，位置在 `{near}` 附近：请检查它前后是否缺少逗号、关键字拼错或括号多余。")
        return SQLError(text, problem="syntax error", sql=sql)
    m = re.search(r'unrecognized token: "(.*)"', msg, flags=re.S)
    if m:
        token = m.group(1)
        text = (f"SQL cannot read `{token}`: a quote is probably not closed. Text values go in single "
                f"quotes, e.g. 'cooling'.\n"
                f"无法识别 `{token}`：可能是引号没有闭合。文字值要放在单引号中，例如 'cooling'。")
        return SQLError(text, problem="unclosed quote", sql=sql)
    if "incomplete input" in msg:
        text = ("The query ends too early: a bracket or a quote is not closed, or a clause is unfinished.\n"
                "查询语句不完整：可能有括号或引号没有闭合，或某个子句没有写完。")
        return SQLError(text, problem="incomplete query", sql=sql)
    if "one statement at a time" in msg:
        text = ("Run one query at a time: remove the second statement (after the `;`).\n"
                "一次只能运行一条查询：请删去分号 `;` 后面的第二条语句。")
        return SQLError(text, problem="several statements", sql=sql)
    if "readonly" in msg or "read-only" in msg:
        text = ("This database is read-only: use SELECT to read data; it cannot be changed from here.\n"
                "数据库是只读的：请用 SELECT 读取数据，这里不能修改数据。")
        return SQLError(text, problem="read-only database", sql=sql)
    text = (f"The database could not run this query: {msg}.\n"
            f"数据库无法执行这条查询：{msg}。")
    return SQLError(text, problem="query error", sql=sql)


def query(sql: str, db, *, params=None) -> pd.DataFrame:
    """Run one SQL query and return the result as a DataFrame.

    Parameters
    ----------
    sql : str
        One ``SELECT`` (or ``WITH ... SELECT``) statement.
    db : path or sqlite3.Connection
        An SQLite file (opened read-only) or an open connection.
    params : tuple or dict, optional
        Values for ``?`` or ``:name`` placeholders.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    SQLError
        When SQLite rejects the query; the message says what is wrong in
        English and 中文 and lists the tables or columns to choose from.
    """
    check_str("sql", sql)
    con = _connect(db)
    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return pd.read_sql_query(sql, con, params=params)
        except (sqlite3.Error, pd.errors.DatabaseError) as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, sqlite3.Error) else exc
            text = str(cause)
            # pandas prefixes "Execution failed on sql '...': "; keep SQLite's words.
            text = re.sub(r"^Execution failed on sql .*?': ", "", text, flags=re.S)
            err = explain_error(text, sql, con)
        raise err from None
    finally:
        if con is not db:
            con.close()
