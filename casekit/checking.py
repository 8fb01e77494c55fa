"""Exercise checks that teach, and hidden checks a student cannot switch off.

The exercise masters (``exercises/source/<set>/<set>.ipynb``) import this
module. It has three parts.

**Visible checks** (what a student sees). A check cell starts with
``check = checking.question("q1")`` and calls the checks on ``check``:

* each passing check prints a ``✓`` line; ``check.done()`` prints the
  question's ``✓`` summary;
* a failing check raises :class:`CheckFailed`, an ``AssertionError`` whose
  message is short, bilingual (English + 中文) and shows plain numbers
  (``9,975.72``, never ``np.float64(9975.720000000001)``). In Jupyter it is
  drawn as three or four lines instead of a red traceback, but it is still an
  error, so nbgrader scores the cell 0;
* ``check.same(value, token, ...)`` compares with a *token* (a salted hash of
  the rounded right answer), so a visible check can be exact without showing
  the answer; ``wrong=`` maps tokens of typical wrong answers to hints;
* :func:`summary` (the last cell of every set) lists ✓/✗ for every question;
* :func:`say` prints a result of the set in English and 中文 on one line
  (a message of the catalogue, ``casekit/content/messages``).

Every line a student sees is in both languages (``English · 中文``), whatever
the course's language: the masters are bilingual, and grading gives the same
scores in either language.

**Hidden checks** (between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN
TESTS``; nbgrader removes them from student copies). They compare with
reference values *frozen* in the cell as literals (``_ref = {...}``), not
computed in the student's kernel, through :func:`hidden`: a checker built from
a fresh copy of this module's code with the builtins as they were when the
module was first imported. Rebinding ``abs`` or ``float``, patching casekit
functions or this module's classes, or an input transformer that turns
``assert`` into ``pass`` does not change what it compares (it uses no
``assert`` and compares with operators on plain floats).

**Freezing.** Each hidden block names its reference values in comments::

    # freeze top20 = metrics.concentration(customers["revenue"], top=0.2)
    _ref = {'top20': 0.6123...}

``python -m casekit.checking freeze MASTER...`` runs the master's cells in a
fresh Python process (answers included), evaluates each ``# freeze``
expression where its cell stands, and rewrites every ``_ref`` literal and every
visible token. ``python -m casekit.checking stale MASTER...`` only compares
and lists what changed (a test runs it on every master).
"""

from __future__ import annotations

import builtins as _builtins
import hashlib
import json
import re
import sys

__all__ = ["CheckFailed", "exercise", "question", "summary", "say", "both", "hidden", "token", "plain",
           "freeze", "stale", "freeze_specs"]

# The builtins as they were when the module was first imported (the first cell
# of a master, before any student code): :func:`hidden` builds its checker on
# these, so later rebinding of ``builtins.abs`` and the like does not reach it.
if "_PRISTINE" not in globals():
    _PRISTINE = dict(_builtins.__dict__)

_F = (0.0).__class__   # float, reached without a name a student can rebind
_I = (0).__class__     # int
_S = "".__class__      # str

RED, GREEN, DIM, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


# --------------------------------------------------------------------------
# both languages
# --------------------------------------------------------------------------

def both(key: str, /, **values) -> str:
    """The catalogue message ``key`` in English and 中文: ``"English · 中文"``.

    >>> both("common.yes")
    'yes · 是'
    """
    from . import i18n

    with i18n.language("en"):
        en = i18n.t(key, **values)
    with i18n.language("zh"):
        zh = i18n.t(key, **values)
    return f"{en} · {zh}"


def say(key: str, /, **values) -> None:
    """Print the catalogue message ``key`` in English and 中文 on one line
    (a printed result of an exercise set; pass figures already formatted)."""
    print(both(key, **values))


def _first_sentence(text: str, limit: int = 100) -> str:
    """The first sentence of a check's message (English ". ", Chinese "。"), cut at ``limit``."""
    first = re.split(r"\.\s+|。", text.strip(), maxsplit=1)[0].rstrip(".。")
    return first if len(first) <= limit else first[:limit - 1] + "…"


# --------------------------------------------------------------------------
# plain numbers
# --------------------------------------------------------------------------

def plain(x, *, limit: int = 60, lang: str = "en") -> str:
    """A short, plain rendering of a student's value for a message.

    Numbers are rounded and get thousands separators; frames and series are
    described by their shape, in ``lang`` ("en" or "zh": the catalogue's
    ``checking.plain.*``); text is cut at ``limit`` characters and loses
    control and zero-width characters. Never calls the value's own ``repr``.

    >>> plain(9975.720000000001)
    '9,975.72'
    >>> plain(0.612345)
    '0.6123'
    >>> plain(None)
    'None'
    >>> plain(float("nan"), lang="zh")
    'NaN（非数值）'
    """
    if not (isinstance(lang, str) and lang in ("en", "zh")):
        raise ValueError(f"`lang` must be 'en' or 'zh', got {lang!r:.40}")
    if x is None:
        return "None"
    kind = type(x).__name__
    mod = type(x).__module__ or ""
    if isinstance(x, bool) or kind == "bool_":
        return "True" if x else "False"
    if mod.startswith("pandas") and kind == "DataFrame":
        r, c = x.shape
        return _text(lang, "checking.plain.table", rows=f"{r:,}", columns=f"{c:,}")
    if mod.startswith("pandas") and kind == "Series":
        return _text(lang, "checking.plain.series" if len(x) != 1 else "checking.plain.series_one", n=f"{len(x):,}")
    if mod.startswith("numpy") and kind == "ndarray":
        return _text(lang, "checking.plain.array", shape=str(tuple(int(n) for n in x.shape)))
    if isinstance(x, str):
        s = _INVISIBLE.sub("", x)
        return "'" + (s if len(s) <= limit else s[:limit - 1] + "…") + "'"
    if isinstance(x, int) or (mod.startswith("numpy") and "int" in kind):
        return f"{int(x):,}"
    if isinstance(x, float) or (mod.startswith("numpy") and "float" in kind):
        v = float(x)
        if v != v:
            return _text(lang, "checking.plain.nan")
        if v in (float("inf"), float("-inf")):
            return _text(lang, "checking.plain.infinity" if v > 0 else "checking.plain.minus_infinity")
        a = abs(v)
        if a >= 1e15:
            return f"{v:.3e}"
        if a >= 1000 or v.is_integer():
            text = f"{v:,.2f}".rstrip("0").rstrip(".")
        elif a >= 1:
            text = f"{v:.4f}".rstrip("0").rstrip(".")
        elif a == 0:
            text = "0"
        else:
            text = f"{v:.4g}"
        return "0" if text in ("-0", "−0") else text
    if isinstance(x, (list, tuple)):
        inner = ", ".join(plain(v, limit=20, lang=lang) for v in list(x)[:6])
        more = ", …" if len(x) > 6 else ""
        return ("[" if isinstance(x, list) else "(") + inner + more + ("]" if isinstance(x, list) else ")")
    return _text(lang, "checking.plain.object", kind=kind)


def _text(lang: str, key: str, /, **values) -> str:
    """The catalogue message ``key`` in ``lang``, whatever the course's language."""
    from . import i18n

    with i18n.language(lang):
        return i18n.t(key, **values)


def _number(x):
    """``x`` as a plain float, or None when it is not a single number."""
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return None
    try:
        v = _F(x)
    except (TypeError, ValueError):
        return None
    return v


# --------------------------------------------------------------------------
# the failure a student sees
# --------------------------------------------------------------------------

class CheckFailed(AssertionError):
    """A visible or hidden check failed.

    An ``AssertionError`` (so anything that expects one still works, and
    nbgrader scores the cell 0), drawn by IPython through
    ``_render_traceback_`` as a short message instead of a traceback. The
    last line names the cell and line of the check, as IPython's own
    tracebacks do.
    """

    def __init__(self, qid: str, en: str, zh: str):
        self.qid, self.en, self.zh = qid, en, zh
        super().__init__(f"{qid}: {en} | 中文：{zh}")

    def _where(self) -> str:
        try:
            ip = sys.modules["IPython"].get_ipython()
            fmt = ip.compile.format_code_name
        except Exception:  # not in IPython
            return ""
        where = ""
        tb = self.__traceback__
        while tb is not None:
            name = fmt(tb.tb_frame.f_code.co_filename)
            if name is not None:
                where = f"{name[0]} {name[1]}, line {tb.tb_lineno}"
            tb = tb.tb_next
        return where

    def _render_traceback_(self) -> list[str]:
        lines = [f"{RED}{BOLD}✗ {self.qid}{RESET}{RED}: {self.en}{RESET}",
                 f"{RED}  中文：{self.zh}{RESET}"]
        where = self._where()
        if where:
            lines.append(f"{DIM}  ({both('checking.check_at', where=where)}){RESET}")
        return lines


# What students and nbgrader's feedback see as the exception's name.
CheckFailed.__name__ = CheckFailed.__qualname__ = "AssertionError"


# --------------------------------------------------------------------------
# tokens: exact visible checks that do not show the answer
# --------------------------------------------------------------------------

def _canonical(value, digits: int):
    """The text a token hashes: rounded numbers, plain text, or lists of them."""
    if isinstance(value, str):
        return _INVISIBLE.sub("", value).strip()
    v = _number(value)
    if v is not None:
        r = round(v, digits) + 0.0
        return f"{r:.{digits}f}"
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        parts = [_canonical(v, digits) for v in value]
        return None if any(p is None for p in parts) else "[" + ",".join(parts) + "]"
    return None


MAX_DIGITS = 12
"""Most decimals a token rounds to."""


def _digest(key: str, text: str) -> str:
    return hashlib.sha256(f"casekit|{key}|{text}".encode("utf-8")).hexdigest()[:16]


def token(key: str, value, digits: int = 0) -> str:
    """The token of a right (or typical wrong) answer: ``tok:key:digits:hash``.

    Numbers are rounded to ``digits`` decimals first; a list or Series is
    rounded element by element; text is compared as it is.

    >>> token("demo", 0.61234, 3) == token("demo", 0.6118, 3)
    False
    """
    from ._checks import check_int, check_str

    check_str("key", key)
    if not _KEY.fullmatch(key):
        raise ValueError(f"`key` must be a name of letters, digits and _ (not starting with a digit), got {key!r:.80}")
    digits = check_int("digits", digits, low=0, high=MAX_DIGITS)
    text = _canonical(value, digits)
    if text is None:
        raise TypeError(f"`value` must be a number, text or a list of numbers, got {type(value).__name__}")
    return f"tok:{key}:{digits}:{_digest(key, text)}"


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"tok:([A-Za-z_][A-Za-z0-9_]*):(\d+):([0-9a-f]{16})")


def _matches(value, tok: str) -> bool:
    m = _TOKEN.fullmatch(tok)
    if m is None:
        raise ValueError(f"`token` must look like tok:key:digits:hash, got {tok!r}")
    key, digits, want = m.group(1), int(m.group(2)), m.group(3)
    v = _number(value)
    if v is not None and not isinstance(value, str):
        # One unit either side of the rounded value, so that a value that sits
        # on a rounding boundary is not refused for a last-digit difference.
        step = 10.0 ** -digits
        if v == round(v):  # whole numbers (years, counts) must match exactly
            return _digest(key, f"{round(v, digits) + 0.0:.{digits}f}") == want
        return any(_digest(key, f"{round(v + k * step, digits) + 0.0:.{digits}f}") == want
                   for k in (0, -1, 1))
    text = _canonical(value, digits)
    return text is not None and _digest(key, text) == want


# --------------------------------------------------------------------------
# the exercise's questions and their visible checks
# --------------------------------------------------------------------------

_STATE: dict = {"name": None, "auto": (), "manual": (), "status": {}}


def exercise(name: str, *, auto, manual=()) -> None:
    """Declare the exercise set's questions (first cell of a master), so that
    :func:`summary` lists every question, also those not checked yet."""
    from ._checks import check_optional_str, check_sequence, check_str

    check_optional_str("name", name, allow_empty=False)  # None: no set declared (a reset)
    ids = {}
    for arg, value in (("auto", auto), ("manual", manual)):
        ids[arg] = tuple(check_sequence(arg, value, allow_empty=True, max_len=200))
        for i, qid in enumerate(ids[arg]):
            check_str(f"{arg}[{i}]", qid)
    _STATE.update(name=name, auto=ids["auto"], manual=ids["manual"], status={})


def question(qid: str) -> "Question":
    """The visible checker of one question (first line of its check cell)."""
    from ._checks import check_str

    check_str("qid", qid)
    return Question(qid)


class Question:
    """Visible checks of one question. Each check prints ``✓ …`` and returns
    True when it passes, and raises :class:`CheckFailed` when it does not."""

    def __init__(self, qid: str):
        self.qid = qid
        self.passed = 0
        _STATE["status"][qid] = ("started", "", "")

    # -- reporting ----------------------------------------------------------
    def _ok(self, en: str, zh: str) -> bool:
        self.passed += 1
        print(f"{GREEN}✓{RESET} {en} · {zh}")
        return True

    def fail(self, en: str, zh: str):
        """Record the failure and raise it (the question shows ✗ in the summary)."""
        _STATE["status"][self.qid] = ("failed", en, zh)
        raise CheckFailed(self.qid, en, zh)

    def _hint(self, en, zh, hint):
        if hint:
            en, zh = f"{en} Hint: {hint[0]}", f"{zh}提示：{hint[1]}"
        return en, zh

    def done(self) -> None:
        """Print the question's ✓ line (after its last visible check)."""
        _STATE["status"][self.qid] = ("passed", "", "")
        print(f"{GREEN}{BOLD}✓ {self.qid}: passed the {self.passed} visible checks.{RESET} "
              f"Grading runs further checks. · 通过了 {self.passed} 项可见检查；评分时还有其他检查。")

    # -- calling the student's code ----------------------------------------
    def call(self, func, *args, **kwargs):
        """Call the student's function; an error in it becomes a short message."""
        shown = ", ".join([plain(a, limit=20) for a in args] + [f"{k}={plain(v, limit=20)}" for k, v in kwargs.items()])
        shown_zh = ", ".join([plain(a, limit=20, lang="zh") for a in args]
                             + [f"{k}={plain(v, limit=20, lang='zh')}" for k, v in kwargs.items()])
        name = getattr(func, "__name__", "the function")
        try:
            return func(*args, **kwargs)
        except CheckFailed:
            raise
        except Exception as exc:  # the student's code raised
            first = _INVISIBLE.sub("", str(exc).splitlines()[0] if str(exc) else "")
            # casekit's argument errors read "English · 中文": each language shows its own half
            first_en, _, first_zh = first.partition(" · ")
            first_en, first_zh = first_en[:120], (first_zh or first_en)[:120]
            self.fail(f"{name}({shown}) stopped with {type(exc).__name__}: {first_en}. Run the cell that "
                      "defines it and read the error there.",
                      f"{name}({shown_zh}) 运行出错（{type(exc).__name__}：{first_zh}）。请运行定义它的单元格并查看错误。")

    # -- the checks ---------------------------------------------------------
    def not_none(self, value, what: str, hint=None) -> bool:
        """``value`` is set (a function returned something, a variable was assigned)."""
        if value is None or value is Ellipsis:
            if "(" in what:
                en, zh = (f"{what} returned None: compute the result and `return` it.",
                          f"{what} 返回了 None：请计算结果并用 return 返回。")
            else:
                en, zh = (f"{what} is still None: assign your answer to it.",
                          f"{what} 仍是 None：请把你的答案赋给它。")
            self.fail(*self._hint(en, zh, hint))
        if "(" in what:
            return self._ok(f"{what} returns a value", "有返回值")
        return self._ok(f"{what} is set", "已赋值")

    def number(self, value, what: str) -> bool:
        """``value`` is one finite number (not a Series, text or NaN)."""
        v = _number(value) if not isinstance(value, str) else None
        if v is None or v != v or v in (float("inf"), float("-inf")):
            series = type(value).__name__ == "Series" and (type(value).__module__ or "").startswith("pandas")
            en_x, zh_x = ((" " + _text("en", "checking.series_hint"), _text("zh", "checking.series_hint"))
                          if series else ("", ""))
            self.fail(f"{what} should be one number; it is {plain(value)}.{en_x}",
                      f"{what} 应是一个数；现在是 {plain(value, lang='zh')}。{zh_x}")
        return self._ok(f"{what} is a number", "是一个数")

    def between(self, value, low, high, what: str, hint=None) -> bool:
        """``low <= value <= high`` (a plausibility range, not the answer)."""
        if _number(value) is None:
            self.number(value, what)
        v = _F(value)
        if not (low <= v <= high):
            en = f"{what} should lie between {plain(low)} and {plain(high)}; you have {plain(v)}."
            zh = f"{what} 应在 {plain(low, lang='zh')} 到 {plain(high, lang='zh')} 之间；你的结果是 {plain(v, lang='zh')}。"
            self.fail(*self._hint(en, zh, hint))
        return self._ok(f"{what} lies between {plain(low)} and {plain(high)}",
                        f"{what} 在 {plain(low, lang='zh')} 到 {plain(high, lang='zh')} 之间")

    def close(self, value, expected, what: str, *, tol: float = 1e-6, hint=None, wrong=None) -> bool:
        """``value`` is within ``tol`` of a value the question states (e.g. a
        worked example). ``wrong`` maps typical wrong results to hints
        ``(en, zh)``, matched with the same tolerance."""
        if _number(value) is None:
            self.number(value, what)
        v = _F(value)
        if abs(v - expected) <= tol:
            return self._ok(f"{what} = {plain(v)}", "正确")
        for bad, (en_h, zh_h) in (wrong or {}).items():
            if abs(v - bad) <= tol:
                self.fail(f"{what} gave {plain(v)}, not {plain(expected)}. {en_h}",
                          f"{what} 的结果是 {plain(v, lang='zh')}，而不是 {plain(expected, lang='zh')}。{zh_h}")
        en = f"{what} should be about {plain(expected)}; you have {plain(v)}."
        zh = f"{what} 应约为 {plain(expected, lang='zh')}；你的结果是 {plain(v, lang='zh')}。"
        self.fail(*self._hint(en, zh, hint))

    def same(self, value, tok: str, what: str, *, hint=None, wrong=None) -> bool:
        """``value`` matches the token of the right answer (rounded), without
        showing it. ``wrong`` maps tokens of typical wrong answers to hints."""
        if _canonical(value, 0) is None:
            self.fail(f"{what} should be a number (or a list of numbers); it is {plain(value)}.",
                      f"{what} 应是数值（或数值列表）；现在是 {plain(value, lang='zh')}。")
        if _matches(value, tok):
            return self._ok(f"{what} matches the right answer", "与正确答案一致")
        shown = f"{what} = {plain(value)}" if _number(value) is not None or isinstance(value, str) else what
        for bad, (en_h, zh_h) in (wrong or {}).items():
            if _matches(value, bad):
                self.fail(f"{shown} is not right yet. {en_h}", f"{shown} 还不对。{zh_h}")
        en = f"{shown} is not the right value."
        zh = f"{shown} 不是正确的值。"
        self.fail(*self._hint(en, zh, hint))

    def true(self, condition, en: str, zh: str, *, ok=None) -> bool:
        """A condition the question states; ``en``/``zh`` say what is wrong
        when it is False, ``ok`` (en, zh) what the ✓ line says."""
        if not condition:
            self.fail(en, zh)
        return self._ok(*(ok or ("condition holds", "条件成立")))

    def frame(self, value, what: str, *, columns=(), index=None, kind: str = "DataFrame") -> bool:
        """``value`` is a pandas ``kind`` (DataFrame or Series) with these
        columns and, if given, this index in this order."""
        tname = type(value).__name__
        if tname != kind or not (type(value).__module__ or "").startswith("pandas"):
            self.fail(f"{what} should be a pandas {kind}; it is {plain(value)}.",
                      f"{what} 应是 pandas {kind}；现在是 {plain(value, lang='zh')}。")
        if columns:
            missing = [c for c in columns if c not in list(value.columns)]
            if missing:
                have = ", ".join(map(str, list(value.columns)[:8])) + (", …" if len(value.columns) > 8 else "")
                self.fail(f"{what} lacks the column(s) {', '.join(missing)}; it has {have or 'no columns'}.",
                          f"{what} 缺少列 {'、'.join(missing)}；现有列：{have or '无'}。")
        if index is not None:
            got = [str(i) for i in value.index]
            want = [str(i) for i in index]
            if got != want:
                shown = ", ".join(got[:8]) + (", …" if len(got) > 8 else "")
                self.fail(f"{what} should have one row per {', '.join(want)} (in this order, as the index); "
                          f"its index is: {shown or 'empty'}.",
                          f"{what} 的索引应依次为 {', '.join(want)}（每项一行）；现在的索引是：{shown or '空'}。")
        return self._ok(f"{what} has the right shape", "结构正确")


def summary() -> None:
    """Print ✓/✗ for every question of the set (the last cell of a master)."""
    st = _STATE["status"]
    name = _STATE["name"] or "exercise"
    print(f"{BOLD}Checks so far: {name} · 检查汇总{RESET}  (as each check cell last ran · 以各检查单元格最近一次运行为准)")
    n_ok = 0
    for q in _STATE["auto"]:
        state, why_en, why_zh = st.get(q, ("todo", "", ""))
        if state == "passed":
            n_ok += 1
            print(f"  {GREEN}✓{RESET} {q}  passed the visible checks · 通过可见检查")
        elif state == "failed":
            print(f"  {RED}✗{RESET} {q}  {_first_sentence(why_en)} · {_first_sentence(why_zh)}")
        elif state == "started":
            print(f"  {RED}✗{RESET} {q}  the check cell stopped with an error · 检查单元格运行出错")
        else:
            print(f"  · {q}  not checked yet: run its check cell · 尚未检查：请运行其检查单元格")
    for q in _STATE["manual"]:
        print(f"  ✎ {q}  written answer, graded by your teacher · 书面回答，由老师评分")
    total = len(_STATE["auto"])
    print(f"{n_ok} of {total} checked questions pass the visible checks · "
          f"{total} 道自动检查题中有 {n_ok} 道通过可见检查")


# --------------------------------------------------------------------------
# hidden checks
# --------------------------------------------------------------------------

class _Hidden:
    """Compares a student's values with frozen reference values. Uses no
    ``assert``, no builtin looked up by name after import, and compares plain
    floats with operators. Its failure message never shows a value."""

    def __init__(self, qid):
        self.qid = qid

    def _fail(self, label):
        raise CheckFailed(self.qid, f"did not pass a further check ({label}).",
                          f"没有通过一项其他检查（{label}）。")

    def _float(self, x, label):
        if x is None or x.__class__ is _S or x.__class__ is True.__class__:
            self._fail(label)
        try:
            v = _F(x)
        except Exception:
            self._fail(label)
        if v != v:
            self._fail(label)
        return v

    def close(self, value, ref, label, tol=1e-6):
        """One number within ``tol`` of the frozen ``ref``."""
        d = self._float(value, label) - _F(ref)
        if (d if d >= 0 else -d) > tol:
            self._fail(label)

    def close_all(self, values, refs, label, tol=1e-6):
        """A list, array or Series of numbers, element by element, in order."""
        try:
            seq = values.tolist() if hasattr(values, "tolist") else list(values)
        except Exception:
            self._fail(label)
        if seq.__class__ is not [].__class__ or seq.__len__() != refs.__len__():
            self._fail(label)
        for v, r in zip(seq, refs):
            self.close(v, r, label, tol)

    def close_map(self, values, refs, label, tol=1e-6):
        """``values[key]`` within ``tol`` of ``refs[key]`` for every key of the
        frozen dict ``refs`` (a Series by label, a dict, a frame column)."""
        for key, r in refs.items():
            try:
                v = values[key]
            except Exception:
                try:
                    v = values[_I(key)]
                except Exception:
                    self._fail(label)
            self.close(v, r, label, tol)

    def names(self, values, refs, label):
        """A list of names equal to the frozen list ``refs``, in any order."""
        try:
            got = [_S(v) for v in values]
        except Exception:
            self._fail(label)
        got.sort()
        want = [_S(r) for r in refs]
        want.sort()
        if (got == want) is not True:
            self._fail(label)

    def equal(self, value, ref, label):
        """A whole number or a text equal to the frozen ``ref``."""
        if ref.__class__ is _S:
            try:
                ok = _S(value) == ref
            except Exception:
                ok = False
        else:
            try:
                ok = _I(value) == ref and _F(value) == _F(ref)
            except Exception:
                ok = False
        if ok is not True:
            self._fail(label)


def _compiled_self():
    if "_SELF_CODE" in globals():
        return _SELF_CODE
    try:
        with open(__file__, encoding="utf-8") as f:
            return compile(f.read(), __file__, "exec")
    except (OSError, NameError):
        return None


if __name__ in ("casekit.checking", "__main__"):
    _SELF_CODE = _compiled_self()


def hidden(qid: str) -> _Hidden:
    """A hidden-check comparer from a fresh copy of this module (compiled when
    the module was first imported), run with the builtins of that time."""
    ns = {"__name__": "casekit._checking_fresh", "__builtins__": dict(_PRISTINE), "_PRISTINE": _PRISTINE,
          "_SELF_CODE": _SELF_CODE}
    exec(_SELF_CODE, ns)
    return ns["_Hidden"](qid)


# --------------------------------------------------------------------------
# freezing the reference values
# --------------------------------------------------------------------------

_FREEZE = re.compile(r"^\s*#\s*freeze\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$")
_HIDDEN_BEGIN, _HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def freeze_specs(source: str) -> list[tuple[str, str]]:
    """The ``# freeze name = expression`` lines of a cell's hidden block."""
    from ._checks import check_str

    check_str("source", source, allow_empty=True)
    inside, out = False, []
    for line in source.splitlines():
        s = line.strip()
        if s == _HIDDEN_BEGIN:
            inside = True
        elif s == _HIDDEN_END:
            inside = False
        elif inside and (m := _FREEZE.match(line)):
            out.append((m.group(1), m.group(2)))
    return out


_RUNNER = r'''
import json, sys, math
import numpy as _np
def _norm(x):
    if hasattr(x, "to_dict") and hasattr(x, "index") and not hasattr(x, "columns"):
        return {str(k): _norm(v) for k, v in x.to_dict().items()}
    if isinstance(x, dict):
        return {str(k): _norm(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) or (hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1):
        return [_norm(v) for v in (x.tolist() if hasattr(x, "tolist") else x)]
    if isinstance(x, (bool, _np.bool_)):
        return bool(x)
    if isinstance(x, (int, _np.integer)):
        return int(x)
    if isinstance(x, (float, _np.floating)):
        return float(x)
    if isinstance(x, str):
        return x
    raise TypeError(f"a frozen value must be a number, text, list, dict or Series, got {type(x).__name__}")
_ns = {"__name__": "__main__"}
_out = {}
for _kind, _src, _ok_to_raise, _specs in json.loads(sys.stdin.read()):
    if _kind == "run":
        try:
            exec(compile(_src, "<cell>", "exec"), _ns)
        except Exception:
            if not _ok_to_raise:
                raise
    for _key, _expr in _specs:
        _out[_key] = _norm(eval(_expr, _ns))
print("\n@@FROZEN@@" + json.dumps(_out))
'''


def _compute(path) -> dict:
    """Run the master's cells (answers included) in a fresh Python process and
    evaluate every ``# freeze`` expression where its cell stands."""
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    import nbformat

    p = Path(path).resolve()
    nb = nbformat.read(p, as_version=4)
    plan = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        src = "\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!")))
        specs = freeze_specs(cell.source)
        is_test = "tests" in tags or cell.metadata.get("nbgrader", {}).get("grade")
        # Check cells are not run (their _ref may be stale); their freeze
        # expressions are evaluated where the cell stands.
        plan.append(["skip" if is_test else "run", src, "raises-exception" in tags, specs])
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    with tempfile.TemporaryDirectory() as tmp:
        env["CASEKIT_ANSWERS_DIR"] = tmp
        proc = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(plan), cwd=p.parent, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=600)
    if proc.returncode != 0 or "@@FROZEN@@" not in proc.stdout:
        raise RuntimeError(f"could not compute the frozen values of {p.name}:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.rsplit("@@FROZEN@@", 1)[1])


def _ref_span(source: str):
    """(first, last) line numbers (0-based) of the ``_ref = {...}`` statement."""
    import ast

    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_ref" for t in node.targets):
            return node.lineno - 1, node.end_lineno - 1, ast.literal_eval(node.value)
    return None


def _ref_text(values: dict) -> str:
    import pprint

    text = pprint.pformat(values, width=100, sort_dicts=False)
    lines = text.splitlines()
    return "\n".join(["_ref = " + lines[0]] + ["       " + l for l in lines[1:]])


def _plan_changes(path, values):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changes = []  # (cell index, new source, what changed)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        src = cell.source
        new = src
        notes = []
        specs = freeze_specs(src)
        if specs:
            want = {k: values[k] for k, _ in specs}
            span = _ref_span(src)
            if span is None:
                raise ValueError(f"{path.name} cell {i}: has # freeze lines but no `_ref = {{...}}` literal")
            first, last, old = span
            if old != want:
                notes += [f"cell {i}: {k}: {old.get(k)!r} -> {v!r}" for k, v in want.items() if old.get(k) != v]
                notes += [f"cell {i}: {k} is no longer frozen" for k in old if k not in want]
                lines = src.splitlines()
                new = "\n".join(lines[:first] + [_ref_text(want)] + lines[last + 1:])

        def _retoken(m):
            key, digits = m.group(1), int(m.group(2))
            if key not in values:
                raise ValueError(f"{path.name} cell {i}: token {m.group(0)} names {key!r}, which no # freeze line "
                                 "defines")
            fresh = token(key, values[key] if not isinstance(values[key], dict) else list(values[key].values()),
                          digits)
            if fresh != m.group(0):
                notes.append(f"cell {i}: token {key} changed")
            return fresh

        new = _TOKEN.sub(_retoken, new)
        if new != src:
            changes.append((i, new, notes))
    return nb, changes


def _master(path):
    """``path`` checked before any slow import: an existing ``.ipynb`` file."""
    from ._checks import check_path

    return check_path("path", path, suffixes=(".ipynb",))


def stale(path) -> list[str]:
    """What ``freeze`` would change in a master (empty: every frozen value and
    token matches what casekit computes now)."""
    p = _master(path)
    _, changes = _plan_changes(p, _compute(p))
    return [n for _, _, notes in changes for n in notes]


def freeze(path) -> list[str]:
    """Recompute every frozen value and token of a master and write them in."""
    p = _master(path)

    import nbformat

    nb, changes = _plan_changes(p, _compute(p))
    for i, new, _ in changes:
        nb.cells[i].source = new
    if changes:
        nbformat.write(nb, p)
    return [n for _, _, notes in changes for n in notes]


def _main(argv) -> int:
    if len(argv) >= 2 and argv[0] in ("freeze", "stale"):
        bad = 0
        for f in argv[1:]:
            notes = (freeze if argv[0] == "freeze" else stale)(f)
            verb = "updated" if argv[0] == "freeze" else "stale"
            print(f"{f}: " + (f"{len(notes)} {verb}" if notes else "up to date"))
            for n in notes:
                print("   " + n)
            bad += bool(notes)
        return 1 if (argv[0] == "stale" and bad) else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
