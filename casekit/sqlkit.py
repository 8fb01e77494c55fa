"""Run a student's SQL against a course database and explain errors plainly.

Students write SQL in a notebook and get a pandas ``DataFrame`` back. When a
query is wrong, they see one short message in the reader's language that names the
problem and what to use instead, not a traceback wall:

* unknown table → the tables that exist;
* unknown column → the columns of the tables the query names;
* syntax error near X → where to look;
* a query that changes data → the database is read-only;
* a statement that returns no rows (``;``, a comment, a ``PRAGMA`` setting)
  → write a SELECT;
* a file that is not an SQLite database → which file, and how to rebuild it.

The database is opened read-only, and an authorizer lets through only what a
reading query needs (no ``ATTACH``, no ``VACUUM INTO``, no ``PRAGMA``
settings), so a stray ``DELETE`` cannot damage the course files and no query
can write a file anywhere.

Limits, so that no query runs away with the kernel (a course's queries need a
fraction of each):

* time: :data:`TIME_LIMIT` seconds (``time_limit=``), checked by a progress
  handler;
* rows returned: :data:`MAX_ROWS` (``max_rows=``); a longer result is cut, and
  a warning says so and how to aggregate instead;
* memory: SQLite's heap is capped at :data:`MEMORY_LIMIT` bytes (``PRAGMA
  hard_heap_limit``, process-wide, only ever lowered) and one text or blob
  value at :data:`MAX_VALUE_BYTES`.

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
import time
import warnings
from pathlib import Path

import pandas as pd

from ._checks import both, check_number, check_str
from .i18n import t

__all__ = ["SQLError", "ResultCutWarning", "query", "tables", "columns", "schema", "explain_error",
           "TIME_LIMIT", "MAX_ROWS", "MEMORY_LIMIT", "MAX_VALUE_BYTES"]

TIME_LIMIT = 10.0
"""Seconds one query may run (default of ``query(time_limit=)``; at most 600)."""
MAX_ROWS = 100_000
"""Rows one query may return (default of ``query(max_rows=)``; at most 1,000,000)."""
MEMORY_LIMIT = 512 * 1024 * 1024
"""Bytes of memory SQLite may use in this process (hard heap limit)."""
MAX_VALUE_BYTES = 10_000_000
"""Bytes in one text or blob value a query may build."""

_SQLITE_MAGIC = b"SQLite format 3\x00"


class ResultCutWarning(UserWarning):
    """A query returned more rows than allowed; the result was cut."""


class SQLError(ValueError):
    """A query the database could not run, with a plain message in the reader's language.

    Attributes
    ----------
    problem : str
        Short name of the problem: "unknown table", "unknown column",
        "ambiguous column", "syntax error", "incomplete query",
        "several statements", "unclosed quote", "read-only database", "not allowed",
        "no result", "time limit", "too large" or "query error".
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
        raise TypeError(both("sqlkit.err.db_type", type=type(db).__name__))
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(both("sqlkit.err.db_missing", value=repr(str(path))))
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ValueError(both("sqlkit.err.db_unreadable", value=repr(str(path)), reason=exc.strerror)) from None
    if head != _SQLITE_MAGIC:
        raise ValueError(
            f"`db` must be an SQLite database file, but {str(path)!r} is not one (damaged, empty or another "
            f"kind of file). The course database is rebuilt with "
            f"`python -c \"from casekit import haier; haier.build_database()\"`.\n"
            f"`db` 必须是 SQLite 数据库文件，但 {str(path)!r} 不是（已损坏、为空或是其他类型的文件）。"
        )
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    _limit(con)
    return con


_ALLOWED_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                    sqlite3.SQLITE_RECURSIVE}
_WRITE_ACTIONS = {getattr(sqlite3, n) for n in dir(sqlite3) if n.startswith((
    "SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_CREATE_", "SQLITE_DROP_",
    "SQLITE_ALTER_TABLE", "SQLITE_REINDEX", "SQLITE_ANALYZE"))}
_READ_PRAGMAS = {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
                 "foreign_key_list", "database_list", "collation_list", "function_list", "pragma_list"}
_REFUSED_FUNCTIONS = {"load_extension"}


def _limit(con: sqlite3.Connection) -> None:
    """Cap SQLite's memory and the size of one value on ``con``."""
    with_limit = getattr(con, "setlimit", None)
    if with_limit is not None:  # Python 3.11+
        with_limit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    current = con.execute("PRAGMA hard_heap_limit").fetchone()[0]
    if current == 0 or current > MEMORY_LIMIT:  # the pragma can only lower the limit
        con.execute(f"PRAGMA hard_heap_limit = {int(MEMORY_LIMIT)}")


class _Guard:
    """Authorizer and progress handler for one query: refuses what a reading
    query does not need, and stops the query after ``time_limit`` seconds."""

    def __init__(self, time_limit: float):
        self.deadline = time.monotonic() + time_limit
        self.refused: tuple | None = None
        self.timed_out = False

    def authorize(self, action, arg1, arg2, dbname, source):
        if action in _ALLOWED_ACTIONS and not (
                action == sqlite3.SQLITE_FUNCTION and str(arg2).lower() in _REFUSED_FUNCTIONS):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and str(arg1).lower() in _READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_TRANSACTION:
            return sqlite3.SQLITE_OK
        if self.refused is None:
            self.refused = (action, arg1, arg2)
        return sqlite3.SQLITE_DENY

    def progress(self) -> int:
        if time.monotonic() > self.deadline:
            self.timed_out = True
            return 1  # non-zero interrupts the query
        return 0


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
    message in the reader's language (``sqlkit.*`` in the message catalogue;
    :func:`casekit.set_language`), returned, not raised."""
    msg = str(message)
    known = tables(db)
    listed = ", ".join(known)
    m = re.search(r"no such table: (\S+)", msg)
    if m:
        return SQLError(t("sqlkit.unknown_table", name=m.group(1), tables=listed), problem="unknown table", sql=sql)
    m = re.search(r"no such column: (\S+)", msg)
    if m:
        name = m.group(1)
        named = _tables_named_in(sql, known) or known
        cols = "\n".join(f"  {tb}: {', '.join(columns(db, tb))}" for tb in named)
        return SQLError(t("sqlkit.unknown_column", name=name, columns=cols), problem="unknown column", sql=sql)
    m = re.search(r"ambiguous column name: (\S+)", msg)
    if m:
        return SQLError(t("sqlkit.ambiguous_column", name=m.group(1)), problem="ambiguous column", sql=sql)
    m = re.search(r'near "(.*)": syntax error', msg, flags=re.S)
    if m:
        return SQLError(t("sqlkit.syntax_error", near=m.group(1)), problem="syntax error", sql=sql)
    m = re.search(r'unrecognized token: "(.*)"', msg, flags=re.S)
    if m:
        return SQLError(t("sqlkit.unclosed_quote", token=m.group(1)), problem="unclosed quote", sql=sql)
    if "incomplete input" in msg:
        return SQLError(t("sqlkit.incomplete_query"), problem="incomplete query", sql=sql)
    if "one statement at a time" in msg:
        return SQLError(t("sqlkit.several_statements"), problem="several statements", sql=sql)
    if msg.startswith("no result"):
        return SQLError(t("sqlkit.no_result"), problem="no result", sql=sql)
    if msg.startswith("time limit"):
        return SQLError(t("sqlkit.time_limit", limit=msg[len("time limit"):].strip()), problem="time limit",
                        sql=sql)
    if "too big" in msg or "out of memory" in msg:
        return SQLError(t("sqlkit.too_large"), problem="too large", sql=sql)
    if msg.startswith("not allowed"):
        what = msg[len("not allowed"):].strip(": ") or "this statement"
        return SQLError(t("sqlkit.not_allowed", what=what), problem="not allowed", sql=sql)
    if "readonly" in msg or "read-only" in msg:
        return SQLError(t("sqlkit.read_only"), problem="read-only database", sql=sql)
    return SQLError(t("sqlkit.query_error", message=msg), problem="query error", sql=sql)


def query(sql: str, db, *, params=None, time_limit: float = TIME_LIMIT,
          max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """Run one SQL query and return the result as a DataFrame.

    Parameters
    ----------
    sql : str
        One ``SELECT`` (or ``WITH ... SELECT``) statement.
    db : path or sqlite3.Connection
        An SQLite file (opened read-only) or an open connection.
    params : tuple or dict, optional
        Values for ``?`` or ``:name`` placeholders.
    time_limit : float
        Seconds the query may run, in (0, 600]; default :data:`TIME_LIMIT`.
    max_rows : int
        Rows returned at most, in [1, 1,000,000]; default :data:`MAX_ROWS`.
        A longer result is cut to ``max_rows`` rows with a
        :class:`ResultCutWarning` (and ``result.attrs["cut"] = True``).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    SQLError
        When SQLite rejects the query, or it writes, attaches a file, returns
        no rows, runs out of time or memory; the message says what is wrong
        in the reader's language (``casekit.set_language``) and lists the tables or columns to choose from.
    """
    check_str("sql", sql)
    time_limit = check_number("time_limit", time_limit, low=0, low_open=True, high=600)
    max_rows = check_number("max_rows", max_rows, low=1, high=1_000_000, integer=True)
    if params is not None and (isinstance(params, (str, bytes)) or not isinstance(params, (tuple, list, dict))):
        raise TypeError(f"`params` must be a tuple, list or dict of values, got {params!r:.80} "
                        f"({type(params).__name__})")
    con = _connect(db)
    guard = _Guard(time_limit)
    con.set_authorizer(guard.authorize)
    con.set_progress_handler(guard.progress, 10_000)
    try:
        try:
            cur = con.execute(sql, params if params is not None else ())
            if cur.description is None:
                raise sqlite3.ProgrammingError("no result")
            names = [d[0] for d in cur.description]
            rows = cur.fetchmany(max_rows + 1)
            cur.close()
        except (sqlite3.Error, ValueError, OverflowError, MemoryError) as exc:
            con.set_progress_handler(None, 0)  # explaining the error runs queries of its own
            con.set_authorizer(None)
            text = str(exc)
            if guard.timed_out:
                text = f"time limit {time_limit:g} s"
            elif guard.refused is not None:
                action, arg1, _ = guard.refused
                if action in _WRITE_ACTIONS:
                    text = "attempt to write a readonly database"
                else:
                    what = {sqlite3.SQLITE_ATTACH: "ATTACH (and VACUUM INTO)",
                            sqlite3.SQLITE_DETACH: "DETACH",
                            sqlite3.SQLITE_PRAGMA: f"PRAGMA {arg1}"}.get(action, "this statement")
                    text = f"not allowed: {what}"
            elif isinstance(exc, MemoryError):
                text = "out of memory"
            elif isinstance(exc, (ValueError, OverflowError)) and not isinstance(exc, sqlite3.Error):
                raise TypeError(f"`params` must match the query's placeholders with plain values "
                                f"(numbers, text, None): {exc}") from None
            if "file is not a database" in text or "database disk image is malformed" in text:
                raise ValueError(f"`db` must be an SQLite database file, but it is damaged or not a database "
                                 f"({text}).\n`db` 必须是 SQLite 数据库文件，但它已损坏或不是数据库。") from None
            if text.startswith("Error binding parameter"):
                raise TypeError(f"`params` must hold plain values (numbers, text, None): {text}") from None
            if text.startswith(("Incorrect number of bindings", "You did not supply a value")):
                raise ValueError(f"`params` must give one value per placeholder in `sql`: {text}") from None
            err = explain_error(text, sql, con)
        else:
            cut = len(rows) > max_rows
            if cut:
                rows = rows[:max_rows]
            out = pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
            out.attrs["cut"] = cut
            if cut:
                warnings.warn(
                    t("sqlkit.result_cut", max_rows=max_rows),
                    ResultCutWarning, stacklevel=2)
            return out
        raise err from None
    finally:
        con.set_progress_handler(None, 0)
        con.set_authorizer(None)
        if con is not db:
            con.close()
