"""Tests of casekit.checking and of the exercise masters' checks.

* the checker itself: plain numbers, tokens, bilingual short failures, the
  summary, hidden checks that survive a tampered kernel, freezing;
* every master: its frozen values are not stale (recomputed from casekit),
  its hidden blocks only use the hidden checker and frozen values, its
  solutions pass with a ✓ for every question, and typical wrong answers get
  the hint written for them; what it prints is in English and 中文, and its
  checks give the same results when the course speaks Chinese;
* a student copy shows no frozen value.
"""

from __future__ import annotations

import ast
import builtins
import functools
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from casekit import checking

REPO = Path(__file__).resolve().parent.parent
MASTERS = {p.parent.name: p for p in sorted((REPO / "exercises" / "source").glob("*/*.ipynb"))
           if p.stem == p.parent.name}
CJK = re.compile(r"[\u4e00-\u9fff]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --------------------------------------------------------------------------
# plain numbers and tokens
# --------------------------------------------------------------------------

@pytest.mark.parametrize("value, shown", [
    (9975.720000000001, "9,975.72"), (0.612345, "0.6123"), (266.66666, "266.6667"), (1500.0, "1,500"),
    (None, "None"), (True, "True"), (-0.00001, "-1e-05"), (float("nan"), "NaN (not a number)"),
    ("a\u200bb", "'ab'"), ("x" * 100, "'" + "x" * 59 + "…'"),
])
def test_plain(value, shown):
    assert checking.plain(value) == shown


def test_plain_numpy_and_pandas():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert checking.plain(np.float64(9975.720000000001)) == "9,975.72"
    assert checking.plain(np.int64(12345)) == "12,345"
    assert checking.plain(pd.Series([1, 2, 3])) == "a Series of 3 values"
    assert checking.plain(pd.Series([1])) == "a Series of one value"
    assert checking.plain(pd.Series([1]), lang="zh") == "一个只含 1 个值的 Series"
    assert checking.plain(pd.DataFrame({"a": [1]})) == "a table (DataFrame) of 1 rows × 1 columns"


def test_plain_never_calls_repr():
    class Sneaky:
        def __repr__(self):
            raise RuntimeError("repr must not be called")
    assert checking.plain(Sneaky()) == "a Sneaky object"


def test_tokens_match_rounded_values_only():
    tok = checking.token("k", 0.61234, 3)
    assert re.fullmatch(r"tok:k:3:[0-9a-f]{16}", tok)
    assert checking._matches(0.6123, tok) and checking._matches(0.61249, tok)
    assert not checking._matches(0.615, tok) and not checking._matches(0.60, tok)
    # the key salts the hash: the same value under another key does not match
    assert not checking._matches(0.61234, checking.token("other", 0.61234, 3).replace("other", "k"))


def test_tokens_tolerate_a_rounding_boundary_but_not_whole_number_neighbours():
    tok = checking.token("m", 4671.08, 0)
    assert checking._matches(4671.4, tok) and checking._matches(4670.6, tok)
    assert not checking._matches(4673.0, tok)
    year = checking.token("y", 1998, 0)
    assert checking._matches(1998, year) and not checking._matches(1997, year) and not checking._matches(1999, year)


def test_tokens_of_lists_and_text():
    pd = pytest.importorskip("pandas")
    tok = checking.token("s", [1.234, 5.678], 2)
    assert checking._matches(pd.Series([1.2341, 5.6779]), tok)
    assert not checking._matches(pd.Series([5.678, 1.234]), tok)     # order matters
    assert checking._matches(["rival_days"], checking.token("t", ["rival_days"]))
    assert checking._matches("demand_uplift", checking.token("t", "demand_uplift"))
    assert not checking._matches("invoke_rate", checking.token("t", "demand_uplift"))
    with pytest.raises(TypeError, match="`value` must be"):
        checking.token("x", object())
    with pytest.raises(ValueError, match="`token` must look like"):
        checking._matches(1.0, "not a token")


# --------------------------------------------------------------------------
# visible checks
# --------------------------------------------------------------------------

@pytest.fixture
def fresh_state():
    checking.exercise("demo", auto=["q1", "q2", "q3"], manual=["q4"])
    yield
    checking.exercise(None, auto=[], manual=[])


def test_a_passing_check_prints_a_tick(fresh_state, capsys):
    q = checking.question("q1")
    assert q.close(266.6667, 266.67, "lifetime_value(100, 0.8, 0.10)", tol=0.01) is True
    q.done()
    out = ANSI.sub("", capsys.readouterr().out)
    assert "✓ lifetime_value(100, 0.8, 0.10) = 266.6667" in out
    assert "✓ q1: passed the 1 visible checks" in out and CJK.search(out)


def test_a_failure_is_a_short_bilingual_assertion_error(fresh_state):
    np = pytest.importorskip("numpy")
    q = checking.question("q1")
    with pytest.raises(AssertionError) as info:
        q.close(np.float64(9975.720000000001), 4671.08, "payout_half_one", tol=0.05,
                hint=("halve it.", "减半。"))
    err = info.value
    assert isinstance(err, checking.CheckFailed) and type(err).__name__ == "AssertionError"
    msg = str(err)
    assert "9,975.72" in msg and "np.float64" not in msg and "4,671.08" in msg
    assert msg.startswith("q1: ") and "| 中文：" in msg and "Hint: halve it." in msg
    lines = err._render_traceback_()
    assert 2 <= len(lines) <= 3 and "✗ q1" in ANSI.sub("", lines[0]) and "中文" in lines[1]


def test_wrong_answers_get_their_own_hint(fresh_state):
    q = checking.question("q1")
    with pytest.raises(AssertionError, match="left out the discount"):
        q.close(400.0, 266.67, "lifetime_value(100, 0.8, 0.10)", tol=0.01,
                wrong={400.0: ("You left out the discount rate.", "漏掉了折现率。")})
    tok = checking.token("half_one", 4671.08, 0)
    bad = checking.token("half_all", 4987.86, 0)
    with pytest.raises(AssertionError, match="FIRST claim"):
        q.same(4987.86, tok, "payout_half_one", wrong={bad: ("pays only each guest's FIRST claim", "只赔第一次")})
    with pytest.raises(AssertionError, match="is not the right value") as info:
        q.same(5000.0, tok, "payout_half_one")
    assert "4671" not in str(info.value)          # a token never shows the answer


@pytest.mark.parametrize("call, match", [
    (lambda q: q.not_none(None, "top20_share"), "top20_share is still None"),
    (lambda q: q.not_none(None, "f(1, 2)"), r"f\(1, 2\) returned None"),
    (lambda q: q.not_none(..., "x"), "x is still None"),
    (lambda q: q.number("0.5", "x"), "x should be one number; it is '0.5'"),
    (lambda q: q.number(float("nan"), "x"), "NaN"),
    (lambda q: q.between(1.5, 0, 1, "share"), "share should lie between 0 and 1; you have 1.5"),
    (lambda q: q.frame([1, 2], "t", columns=["a"]), "t should be a pandas DataFrame; it is \\[1, 2\\]"),
    (lambda q: q.true(False, "it is wrong.", "不对。"), "it is wrong"),
])
def test_each_check_fails_with_a_message(fresh_state, call, match):
    with pytest.raises(AssertionError, match=match) as info:
        call(checking.question("q2"))
    assert CJK.search(str(info.value))


def test_frame_checks_columns_and_index(fresh_state):
    pd = pytest.importorskip("pandas")
    q = checking.question("q3")
    df = pd.DataFrame({"a": [1, 2], "b": [3, 4]}, index=["x", "y"])
    assert q.frame(df, "df", columns=["a", "b"], index=["x", "y"])
    with pytest.raises(AssertionError, match="lacks the column"):
        q.frame(df, "df", columns=["a", "c"])
    with pytest.raises(AssertionError, match="index is: y, x"):
        q.frame(df.iloc[::-1], "df", index=["x", "y"])
    assert q.frame(df["a"], "s", kind="Series")


def test_call_turns_an_error_in_student_code_into_a_message(fresh_state):
    def lifetime_value(m, r, d):
        return m * r / (d - d)
    with pytest.raises(AssertionError, match=r"lifetime_value\(100, 0.8, 0.1\) stopped with ZeroDivisionError"):
        checking.question("q1").call(lifetime_value, 100, 0.8, 0.1)


def test_call_shows_each_language_its_half_of_a_casekit_argument_error(fresh_state):
    from casekit import queueing

    def waiting(servers):
        return queueing.erlang_c(2.0, servers)
    with pytest.raises(checking.CheckFailed) as info:
        checking.question("q1").call(waiting, -1)
    assert "`servers` must be a whole number in [1, 10000], got -1." in info.value.en
    assert "现在是 -1）" in info.value.zh and "must be" not in info.value.zh


def test_summary_lists_every_question(fresh_state, capsys):
    checking.question("q1").done()
    with pytest.raises(AssertionError):
        checking.question("q2").between(2, 0, 1, "top20_share")
    capsys.readouterr()
    checking.summary()
    out = ANSI.sub("", capsys.readouterr().out)
    assert "✓ q1  passed" in out
    assert "✗ q2  top20_share should lie between 0 and 1; you have 2 · top20_share 应在 0 到 1 之间" in out
    assert "· q3  not checked yet" in out and "✎ q4  written answer" in out
    assert "1 of 3 checked questions pass" in out


# --------------------------------------------------------------------------
# hidden checks
# --------------------------------------------------------------------------

def test_hidden_checks_compare_with_frozen_values():
    pd = pytest.importorskip("pandas")
    h = checking.hidden("q9")
    h.close(266.667, 266.667, "value")
    h.close_all(pd.Series([1.0, 2.0]), [1.0, 2.0], "list")
    h.close_map(pd.Series({"a": 1.0, "b": 2.0}), {"a": 1.0, "b": 2.0}, "map")
    h.equal("demand_uplift", "demand_uplift", "name")
    h.equal(1998, 1998, "year")
    h.names(["b", "a"], ["a", "b"], "names")
    for bad in [lambda: h.close(266.0, 266.667, "v"), lambda: h.close(None, 1.0, "v"),
                lambda: h.close("266.667", 266.667, "v"), lambda: h.close(True, 1.0, "v"),
                lambda: h.close_all([1.0], [1.0, 2.0], "list"), lambda: h.close_map({}, {"a": 1.0}, "map"),
                lambda: h.equal(1997, 1998, "year"), lambda: h.names(["a"], ["a", "b"], "names")]:
        with pytest.raises(AssertionError, match="did not pass a further check") as info:
            bad()
        assert "266" not in str(info.value) and "1998" not in str(info.value)


def test_hidden_checks_survive_rebound_builtins_and_a_patched_module(monkeypatch):
    monkeypatch.setattr(builtins, "abs", lambda x: 0)
    monkeypatch.setattr(builtins, "float", lambda x: 0.0)
    monkeypatch.setattr(checking._Hidden, "close", lambda *a, **k: None)
    monkeypatch.setattr(checking, "_F", lambda x: 0.0)
    h = checking.hidden("q1")
    with pytest.raises(AssertionError, match="further check"):
        h.close(100.0, 266.67, "lifetime_value")


def test_hidden_checker_uses_no_assert_and_no_rebindable_builtins():
    tree = ast.parse(Path(checking.__file__).read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_Hidden")
    assert not any(isinstance(n, ast.Assert) for n in ast.walk(cls))
    names = {n.id for n in ast.walk(cls) if isinstance(n, ast.Name)}
    assert not names & {"abs", "float", "int", "str", "isinstance", "len", "round", "sorted", "sum", "all", "any"}


# --------------------------------------------------------------------------
# freezing
# --------------------------------------------------------------------------

def test_freeze_specs_only_read_hidden_blocks():
    src = ("# freeze a = 1\n### BEGIN HIDDEN TESTS\n# freeze b = 2 + 3\n#freeze c=x.mean()\n"
           "### END HIDDEN TESTS\n# freeze d = 4\n")
    assert checking.freeze_specs(src) == [("b", "2 + 3"), ("c", "x.mean()")]


def _tiny_master(path: Path, ref: str, tok: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("from casekit import checking, metrics\nvalues = [3.0, 1.0, 2.0]"),
        nbformat.v4.new_code_cell("answer = None\n### BEGIN SOLUTION\nanswer = max(values)\n### END SOLUTION",
                                  metadata={"tags": ["solution", "id:q1"]}),
        nbformat.v4.new_code_cell(
            f'check = checking.question("q1")\nassert check.same(answer, "{tok}", "answer")\ncheck.done()\n'
            "### BEGIN HIDDEN TESTS\n# freeze top = max(values)\n# freeze clv = metrics.clv(100, 0.8, 0.1)\n"
            f"{ref}\n"
            'checking.hidden("q1").close(answer, _ref["top"], "answer")\n### END HIDDEN TESTS',
            metadata={"tags": ["tests", "id:q1_tests", "points:1", "raises-exception"]}),
    ]
    nbformat.write(nb, path)
    return path


def test_freeze_writes_values_and_tokens_and_stale_reports_changes(tmp_path):
    path = _tiny_master(tmp_path / "tiny.ipynb", "_ref = {'top': 2.0}", "tok:top:1:0000000000000000")
    notes = checking.stale(path)
    assert any("top: 2.0 -> 3.0" in n for n in notes) and any("token top changed" in n for n in notes)
    assert any("clv: None -> 266.66" in n for n in notes)
    checking.freeze(path)
    src = nbformat.read(path, as_version=4).cells[2].source
    assert "'top': 3.0" in src and checking.token("top", 3.0, 1) in src
    assert checking.stale(path) == []
    assert checking._main(["stale", str(path)]) == 0


def test_freeze_refuses_a_token_without_a_freeze_line(tmp_path):
    path = _tiny_master(tmp_path / "tiny.ipynb", "_ref = {}", "tok:nowhere:1:0000000000000000")
    with pytest.raises(ValueError, match="no # freeze line"):
        checking.freeze(path)


# --------------------------------------------------------------------------
# the masters
# --------------------------------------------------------------------------

def _hidden_blocks(master: Path):
    for cell in nbformat.read(master, as_version=4).cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            yield cell, cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]


@pytest.mark.parametrize("name", MASTERS)
def test_hidden_blocks_compare_only_with_frozen_values(name):
    blocks = list(_hidden_blocks(MASTERS[name]))
    assert blocks
    for cell, block in blocks:
        gid = cell.metadata["nbgrader"]["grade_id"]
        code = "\n".join(l for l in block.splitlines() if not l.strip().startswith("#"))
        tree = ast.parse(code)
        assert not any(isinstance(n, ast.Assert) for n in ast.walk(tree)), f"{gid}: hidden checks must not use assert"
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not called & {"abs", "float", "int", "round", "sum", "len", "sorted", "max", "min"}, \
            f"{gid}: hidden checks call a builtin a student can rebind: {called}"
        assert f'checking.hidden("{gid.removesuffix("_tests")}")' in code, f"{gid}: use checking.hidden"
        assert checking.freeze_specs(cell.source), f"{gid}: no # freeze line"
        # no casekit call outside the frozen literal: the reference is not computed in the student's kernel
        assert not re.search(r"\b(metrics|hotel|dell|ikea|haier|queueing|sensitivity)\.", code), \
            f"{gid}: hidden checks must compare with frozen values, not call casekit"


@pytest.mark.slow
@pytest.mark.parametrize("name", MASTERS)
def test_frozen_values_are_not_stale(name):
    notes = checking.stale(MASTERS[name])
    assert notes == [], (f"run `python -m casekit.checking freeze {MASTERS[name].relative_to(REPO)}`: "
                         + "; ".join(notes[:5]))


def _run(master: Path, answers: dict | None = None, *, lang: str = "en"):
    """Run a master (``answers``: grade_id → source put in first) in a fresh
    kernel that starts in language ``lang`` (CASEKIT_LANG, as `make lab
    LANG=zh` sets it)."""
    nb = nbformat.read(master, as_version=4)
    for c in nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if answers and gid in answers:
            c.source = answers[gid]
    old = os.environ.get("CASEKIT_LANG")
    os.environ["CASEKIT_LANG"] = lang
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(master.parent)}}).execute()
    finally:
        if old is None:
            os.environ.pop("CASEKIT_LANG", None)
        else:
            os.environ["CASEKIT_LANG"] = old
    return nb


@functools.cache
def _solved(name: str):
    """A master run with its own solutions (once per test process)."""
    return _run(MASTERS[name])


def _outputs(nb):
    """grade_id -> (stdout text, error outputs); '' for the last (summary) cell."""
    out = {}
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        gid = c.metadata.get("nbgrader", {}).get("grade_id") or ("summary" if c is code[-1] else None)
        if gid:
            text = "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
            out[gid] = (ANSI.sub("", text), [o for o in c.outputs if o.output_type == "error"])
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", MASTERS)
def test_master_solutions_get_a_tick_for_every_question(name):
    out = _outputs(_solved(name))
    tests = [g for g in out if g.endswith("_tests")]
    assert tests
    for gid in tests:
        text, errors = out[gid]
        assert not errors, f"{gid}: {errors[0]['evalue'][:200]}"
        assert f"✓ {gid.removesuffix('_tests')}: passed the" in text
    summary = out["summary"][0]
    assert f"{len(tests)} of {len(tests)} checked questions pass" in summary and "✗" not in summary


# Typical wrong answers, one per question: each must fail a VISIBLE check (not
# only a hidden one) with the hint written for it.
WRONG = {
    "toolkit": {
        "q1": ("def lifetime_value(margin, retention, discount):\n    return margin * retention / (1 - retention)\n",
               "left out the discount rate"),
        "q2": ('top20_share = customers["revenue"].sort_values().head(400).sum() / customers["revenue"].sum()\n',
               "LOWEST revenue"),
        "q3": ('tier_summary = rfm.groupby("tier", observed=False).agg(customers=("monetary", "size"), '
               'revenue=("monetary", "mean"))\n'
               'tier_summary["revenue_share"] = tier_summary["revenue"] / tier_summary["revenue"].sum()\n',
               "average spends"),
    },
    "hotel_guarantee": {
        "q1": ('claims = stays[stays["invoked"]]\n'
               'payout_half_one = float((0.5 * claims["nights"] * claims["room_rate"]).sum())\n',
               "FIRST claim"),
        "q2": ("def breakeven_cheating(n, adr, margin, q, alpha, loyalty_gain, stays_back, uplift):\n"
               "    benefit = n * q * alpha * loyalty_gain * stays_back * adr + uplift * n * adr\n"
               "    return (benefit - n * q * alpha * adr) / (n * adr)\n", "margin m"),
        "q3": ('assumptions = {"loyalty_gain": (0.33, 0.15, 0.45), "future_stays": (10, 4, 15),\n'
               '               "demand_uplift": (0.02, 0.0, 0.04), "invoke_rate": (0.04, 0.02, 0.08)}\n'
               "hotel_tornado = sensitivity.tornado(breakeven, assumptions)\n"
               "most_sensitive = hotel_tornado.index[-1]\nflips = sensitivity.crosses(hotel_tornado, 0.005)\n",
               "LEAST"),
        "q4": ('u = stays[stays.filter(like="fail_").any(axis=1)]\n'
               'reactions = pd.DataFrame({"invoked_pct": 100 * u.groupby("segment", observed=True)["invoked"].mean(),\n'
               '                          "silent_pct": 50.0})\n', "fixed on the spot"),
    },
    "dell": {
        "q1": ('dsi = supply[supply["year"] == 1].groupby("model", observed=True)["inventory_days"].mean()\n'
               'ccc_dell = dsi["build_to_order"] + 36 - 51\nccc_rival = dsi["build_to_stock"] + 36 - 51\n'
               "dell_cash_needed = ccc_dell * COGS_SHARE * REVENUE * GROWTH / 365\n"
               "rival_cash_needed = ccc_rival * COGS_SHARE * REVENUE * GROWTH / 365\n", "receivables at cost"),
        "q2": ("def obsolescence_cost(weekly_decline, days, component_share=0.75):\n"
               "    return component_share * weekly_decline * days\n\nadvantage_musd = 1.0\n", "Divide the days by 7"),
        "q3": ('by_segment = accounts.groupby("segment", observed=True)[["revenue", "profit"]].sum()\n'
               'by_segment["profit_share"] = by_segment["revenue"] / by_segment["revenue"].sum()\n'
               "consumer_loss_share = 0.5\n", "share of revenue"),
        "q4": ('r = accounts.sort_values("revenue", ascending=False)["profit"]\n'
               'top20_profit_share = r.head(1000).sum() / r.sum()\npeak_profit_share = 1.2\n', "by revenue"),
        "q5": ('assumptions = {"weekly_decline": (0.01, 0.005, 0.03), "rival_days": (28, 14, 73),\n'
               '               "dell_days": (7, 4, 14), "component_share": (0.75, 0.6, 0.85)}\n'
               "dell_tornado = sensitivity.tornado(inventory_saving, assumptions)\n"
               "most_sensitive = dell_tornado.index[0]\nflips = sensitivity.crosses(dell_tornado, 0)\n", "cross 0"),
    },
    "haidilao": {
        "q1": ("def wait_probability(load, tables):\n    b = 1.0\n    for k in range(1, tables + 1):\n"
               "        b = load * b / (k + load * b)\n    return b\n", "Erlang B"),
        "q2": ('_g = days.groupby("restaurant", observed=True)\n'
               'store_kpis = pd.DataFrame({"turns": _g["parties_arrived"].mean() / 120, "revpash": 1.0})\n',
               "SERVED"),
        "q3": ("def referred_diners(diners, satisfied, loyal_if_satisfied, refer_if_loyal, friends_per_referrer):\n"
               "    return diners * satisfied * loyal_if_satisfied * refer_if_loyal * friends_per_referrer\n\n"
               "extra_referred = 1000 * 0.08 * 0.62 * 0.12\n", "1.3 friends"),
        "q4": ('_served = diners[~diners["walked_away"]]\n'
               'back_rate = _served.groupby(["satisfaction", "restaurant"], observed=True)["came_back"].mean().unstack()\n'
               'walked_back = diners["came_back"].mean()\n', "only the walk-away visits"),
        "q5": ('assumptions = {"arrivals_per_hour": (25, 22, 28), "dining_minutes": (100, 85, 115), '
               '"tables": (50, 46, 54)}\nwait_tornado = sensitivity.tornado(afternoon_wait, assumptions)\n'
               "most_sensitive = wait_tornado.index[-1]\nflips = []\n", "LEAST"),
    },
    "ikea": {
        "q1": ("def funnel_revenue(b, B, i, f, F):\n    return b * B * (1 - i) + f * F\n", "do not multiply"),
        "q2": ('_by = households.groupby("segment", observed=True)[["got_catalogue", "spend_triggered"]].sum()\n'
               '_by = _by[_by["got_catalogue"] > 0]\n_cost = COPY_COST * _by["got_catalogue"]\n'
               'roi_by_segment = (GROSS_MARGIN * _by["spend_triggered"] - _cost) / _cost\n'
               "roi_total = roi_by_segment.mean()\n", "average of the three segment ROIs"),
        "q3": ('basket_gap = visits.pivot_table(index="segment", columns="store", values="basket", aggfunc="sum", '
               "observed=True)\nbasket_gap.columns = [str(c) for c in basket_gap.columns]\n"
               'basket_gap["difference"] = basket_gap["sales_staff"] - basket_gap["transparent"]\n', "totals"),
        "q4": ('impulse_share = visits.groupby("store", observed=True)["bought_impulse"].mean()\n',
               "bought on impulse"),
        "q5": ('assumptions = {"copy_cost": (15, 10, 25), "gross_margin": (GROSS_MARGIN, 0.30, 0.45),\n'
               '               "spend_per_copy": (SPEND_PER_COPY, 0.6 * SPEND_PER_COPY, 1.4 * SPEND_PER_COPY)}\n'
               "roi_tornado = sensitivity.tornado(catalogue_roi, assumptions)\n"
               "most_sensitive = roi_tornado.index[-1]\nflips = []\n", "LEAST"),
    },
    "haier": {
        "q1": ('sql_q1 = """SELECT CAST(strftime(\'%Y\', requested_at) AS INTEGER) AS year, COUNT(*) AS tickets,\n'
               'AVG(fixed_at IS NOT NULL) AS first_visit_fix FROM tickets GROUP BY year ORDER BY year"""\n'
               "result_q1 = haier.query(sql_q1)\n", "revisits = 0"),
        "q2": ('sql_q2 = """SELECT c.area, AVG(julianday(t.arrived_at) - julianday(t.requested_at)) AS response_hours\n'
               "FROM tickets AS t JOIN customers AS c ON c.customer_id = t.customer_id\n"
               "WHERE t.requested_at >= '2000-01-01' GROUP BY c.area ORDER BY c.area\"\"\"\n"
               "result_q2 = haier.query(sql_q2)\n", "These are days"),
        "q3": ('follow_up_share = tickets.groupby(tickets["requested_at"].dt.year)["follow_up_call"].sum()\n'
               "first_routine_year = 1998\n", "These are counts"),
        "q4": ("def loyalty_mix(quick, resolved, unresolved):\n"
               '    rates = metrics.TARP_LOYALTY["small_loss"]\n'
               '    return quick * rates["resolved_quickly"] + resolved * rates["resolved"] '
               '+ unresolved * rates["complained_unresolved"]\n', "SMALL loss"),
        "q5": ('assumptions = {"quick_rate": (0.82, 0.70, 0.90), "resolved_rate": (0.54, 0.40, 0.65),\n'
               '               "unresolved_rate": (0.19, 0.10, 0.30)}\n'
               "gain_tornado = sensitivity.tornado(loyalty_gain, assumptions)\n"
               "most_sensitive = gain_tornado.index[0]\nflips = sensitivity.crosses(gain_tornado, 0)\n", "cross 0"),
    },
}


def test_every_master_has_wrong_answers_for_each_auto_question():
    from casekit import grading
    for name, master in MASTERS.items():
        auto = {q.name for q in grading.questions(master) if q.auto}
        assert set(WRONG.get(name, {})) == auto, f"{name}: WRONG must cover {sorted(auto)}"


@pytest.mark.slow
@pytest.mark.parametrize("name", MASTERS)
def test_typical_wrong_answers_fail_a_visible_check_with_their_hint(name):
    out = _outputs(_run(MASTERS[name], {q: src for q, (src, _) in WRONG[name].items()}))
    for q, (_, hint) in WRONG[name].items():
        text, errors = out[f"{q}_tests"]
        assert errors, f"{name} {q}: the wrong answer passed"
        err = errors[-1]
        assert err["ename"] == "AssertionError"
        assert hint in err["evalue"] and CJK.search(err["evalue"]), f"{name} {q}: {err['evalue'][:300]}"
        assert "np.float64" not in err["evalue"]
        tb = [ANSI.sub("", line) for line in err["traceback"]]
        assert len(tb) <= 3 and tb[0].startswith(f"✗ {q}"), tb
        # the last line names the check's cell and line, as grading's feedback expects
        assert re.search(r"Cell In\[\d+\], line \d+", tb[-1]) and "检查位置" in tb[-1], tb[-1]
        assert f"✓ {q}: passed" not in text
    summary = out["summary"][0]
    assert all(f"✗ {q}" in summary for q in WRONG[name])


# A printed line in English: two words or more (not names_with_underscores,
# not float64), and no Chinese.
_WORD = re.compile(r"(?<![\w.])[A-Za-z]{2,}(?![\w(])")


def _english_only_lines(nb) -> list[str]:
    lines = []
    for i, c in enumerate(nb.cells):
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            if o.output_type == "stream" and o.name == "stdout":
                lines += [f"cell {i}: {line}" for line in ANSI.sub("", o.text).splitlines()
                          if len(_WORD.findall(line)) >= 2 and not CJK.search(line)]
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("name", MASTERS)
def test_master_prints_its_results_in_english_and_chinese(name):
    """A student who reads no English understands every line a set prints."""
    assert _english_only_lines(_solved(name)) == []


def test_an_english_only_printed_line_is_found():
    """The check above can fail: the Dell set's first line as it was printed before issue 16."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="312 weeks of supply data, 5,000 accounts\n"
                                                              "dtype: float64\nSPEND_PER_COPY = ¥53.31\n")])])
    assert _english_only_lines(nb) == ["cell 0: 312 weeks of supply data, 5,000 accounts"]


def _check_results(nb) -> dict:
    """grade_id of each check cell → (what it printed, the error it ended with)."""
    return {gid: (text, [(e["ename"], ANSI.sub("", e["evalue"])) for e in errors])
            for gid, (text, errors) in _outputs(nb).items() if gid.endswith("_tests")}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["haier", "haidilao"])
def test_checks_give_the_same_results_in_chinese(name):
    """A kernel that speaks Chinese (CASEKIT_LANG=zh, as `make lab LANG=zh`
    starts it) gets the same ✓ lines, failures and hints as an English one,
    for the solutions and for typical wrong answers. haier: its SQL errors
    follow the language; haidilao: queueing and sensitivity."""
    wrong = {q: src for q, (src, _) in WRONG[name].items()}
    for answers in (None, wrong):
        en_nb = _solved(name) if answers is None else _run(MASTERS[name], answers)
        zh_nb = _run(MASTERS[name], answers, lang="zh")
        en, zh = _check_results(en_nb), _check_results(zh_nb)
        assert en and zh == en
    if name == "haier":  # the Chinese kernel did speak Chinese: the SQL demonstration's error
        demo = [next(o for o in nb.cells[i].outputs if o.output_type == "error")["evalue"]
                for nb in (en_nb, zh_nb) for i, c in enumerate(nb.cells) if "categorie" in c.source
                and c.cell_type == "code"]
        assert not CJK.search(demo[0]) and CJK.search(demo[1]), demo


TAMPER = '''
import ast, builtins, casekit.metrics
from casekit import checking as _ck

class _NoAssert(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()

def _strip_asserts(lines):
    try:
        tree = ast.parse("".join(lines))
    except SyntaxError:
        return lines
    return [l + "\\n" for l in ast.unparse(_NoAssert().visit(tree)).splitlines()]

get_ipython().input_transformers_post.append(_strip_asserts)
builtins.abs = lambda x: 0
abs = lambda x: 0
casekit.metrics.clv = lambda *a, **k: 266.67
_ck._Hidden.close = lambda *a, **k: None
_ck._Hidden.close_all = lambda *a, **k: None

def lifetime_value(margin, retention, discount):
    return 266.67
'''


@pytest.mark.slow
def test_hidden_checks_fail_a_tampered_kernel():
    """Issue #15's three ways to switch checks off, at once: an input transformer
    that removes every assert, a rebound abs (global and builtin), patched casekit
    functions and a patched checker class. The hard-coded answer still fails."""
    out = _outputs(_run(MASTERS["toolkit"], {"q1": TAMPER}))
    errors = out["q1_tests"][1]
    assert errors and "did not pass a further check" in errors[-1]["evalue"]


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Student copies of every master, released once."""
    from casekit import grading
    course = tmp_path_factory.mktemp("release") / "exercises"
    course.mkdir()
    shutil.copyfile(REPO / "exercises" / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "exercises" / "source", course / "source")
    return {p.stem: p for p in grading.release(course, list(MASTERS), quiet=True)}


@pytest.mark.grading
@pytest.mark.parametrize("name", MASTERS)
def test_release_copy_shows_no_frozen_value(name, released):
    text = released[name].read_text(encoding="utf-8")
    assert not re.search(r"\b_ref\b|# freeze|checking\.hidden|tok:[a-z_0-9]+:\d+:0{16}", text)
    frozen = set()
    for cell, _ in _hidden_blocks(MASTERS[name]):
        first, last, values = checking._ref_span(cell.source)
        stack = [values]
        while stack:
            v = stack.pop()
            if isinstance(v, dict):
                stack.extend(v.values())
            elif isinstance(v, list):
                stack.extend(v)
            elif isinstance(v, float) and abs(v) > 1e-3 and not float(v).is_integer():
                frozen.add(repr(v))
                frozen.add(f"{v:.6g}")
    public = "\n".join(c.source.split("### BEGIN HIDDEN TESTS")[0] + c.source.partition("### END HIDDEN TESTS")[2]
                        for c in nbformat.read(MASTERS[name], as_version=4).cells)
    leaked = sorted(f for f in frozen if f in text and f not in public)
    assert not leaked, f"{name}: the student copy shows frozen values {leaked[:5]}"


def test_bad_arguments_are_named_before_any_slow_work(tmp_path):
    with pytest.raises(ValueError, match=r"`digits` must be a whole number in \[0, 12\]"):
        checking.token("k", 1.0, 10**9)
    with pytest.raises(ValueError, match=r"`key` must be a name"):
        checking.token("two words", 1.0)
    with pytest.raises(TypeError, match=r"`auto` must be a list"):
        checking.exercise("demo", auto=3)
    with pytest.raises(TypeError, match=r"`qid` must be text"):
        checking.question(["q1"])
    with pytest.raises(TypeError, match=r"`source` must be text"):
        checking.freeze_specs(None)
    with pytest.raises(ValueError, match=r"`path` must be a file ending in .ipynb"):
        checking.stale("notes.md")
    with pytest.raises(FileNotFoundError, match=r"`path` must name an existing file"):
        checking.freeze(tmp_path / "missing.ipynb")


def test_chinese_lines_describe_the_value_in_chinese():
    """A Chinese reader gets the shape of a wrong value in Chinese, the columns
    a frame has, and the float(...) hint for a one-value Series."""
    import pandas as pd

    from casekit import checking as C

    assert C.plain(pd.Series([1, 2]), lang="zh") == "一个含 2 个值的 Series"
    assert C.plain(float("nan"), lang="zh") == "NaN（非数值）"
    assert "数组" in C.plain([1, __import__("numpy").zeros(3)], lang="zh")
    q = C.question("zh_demo")
    with pytest.raises(AssertionError) as err:
        q.frame(pd.Series([1, 2]), "store_kpis")
    assert "a Series" not in err.value.zh and "一个含 2 个值的 Series" in err.value.zh
    with pytest.raises(AssertionError) as err:
        q.frame(pd.DataFrame({"翻台率": [1], "revpash": [2]}), "kpis", columns=["turns"])
    assert "翻台率" in err.value.zh and "revpash" in err.value.zh
    with pytest.raises(AssertionError) as err:
        q.number(pd.Series([3.0]), "x")
    assert "float(...)" in err.value.zh and "Series" in err.value.en
    with pytest.raises(ValueError, match="`lang`"):
        C.plain(1, lang="fr")
