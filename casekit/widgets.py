"""Interactive pieces of a case notebook. Builders return widgets without
displaying them, so tests can set ``.value`` and read the results.

* :func:`discussion` — a discussion question with an answer box saved to disk
  (:mod:`casekit.answers`), a checklist of key points and a "show worked
  answer" toggle.
* :func:`what_if` — named controls → a pure function → an ``HTML`` result
  (and optionally an ``Image`` chart).

Results go into ``HTML`` and ``Image`` widgets, never into an ``Output``
widget: ``Output`` breaks strict nbval and made Voila hang (RECIPES.md).
"""

from __future__ import annotations

import base64
import html
import numbers
import os
import itertools
import re
import weakref
from collections.abc import Callable, Mapping

import ipywidgets as W
import numpy as np
import pandas as pd
from traitlets import TraitError

from . import cases as _cases
from . import formatting, i18n
from .i18n import t
from ._checks import (check_bool, check_callable, check_choice, check_mapping, check_number,
                      check_optional_str, check_sequence, check_str)
from .answers import AnswerBook
from .plotting import ChartCanvas

__all__ = [
    "slider",
    "choice",
    "toggle",
    "to_html",
    "WhatIf",
    "what_if",
    "DiscussionQuestion",
    "discussion",
    "answer_length",
    "StaticForm",
    "live_panels",
]

_WIDE = {"description_width": "190px"}
# Controls take the width of their column (at most 520 px), so that a what-if
# panel's controls and chart sit side by side on a 1366-px laptop and wrap
# one above the other on a narrow screen.
_LAYOUT = {"width": "100%", "max_width": "520px"}


# --------------------------------------------------------------------------
# Controls
# --------------------------------------------------------------------------

def slider(description: str, value, min, max, step, *, percent: bool = False, fmt: str | None = None):
    """A labelled slider. Whole numbers give an ``IntSlider``; otherwise a
    ``FloatSlider``. ``percent=True`` shows 0.25 as "25%"."""
    check_str("description", description)
    for name, v in (("value", value), ("min", min), ("max", max), ("step", step)):
        check_number(name, v)
    check_number("step", step, low=0, low_open=True)
    percent = check_bool("percent", percent)
    check_optional_str("fmt", fmt, allow_empty=False)
    if not min <= value <= max:
        raise ValueError(f"`value` must lie between `min` ({min}) and `max` ({max}), got {value}")
    whole = all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (value, min, max, step))
    cls = W.IntSlider if whole else W.FloatSlider
    kwargs = dict(value=value, min=min, max=max, step=step, description=description,
                  continuous_update=False, style=_WIDE, layout=_LAYOUT)
    if not whole:
        kwargs["readout_format"] = fmt or (".0%" if percent else ".2f")
    elif fmt:
        kwargs["readout_format"] = fmt
    try:
        return cls(**kwargs)
    except TraitError as exc:
        if "readout_format" not in str(exc):
            raise
        raise ValueError(f"`fmt` must be a number format such as '.2f', '.0%' or ',d', got {fmt!r:.80}") from None


MAX_OPTIONS = 1_000
"""Most entries a drop-down may list."""


def choice(description: str, options, value=None):
    """A drop-down. ``options`` is a list of values or of (label, value) pairs
    (at most :data:`MAX_OPTIONS`)."""
    check_str("description", description)
    if isinstance(options, (str, bytes, Mapping)) or not isinstance(options, (list, tuple, pd.Index, pd.Series)):
        raise TypeError(f"`options` must be a list of values or of (label, value) pairs, "
                        f"got {options!r:.80} ({type(options).__name__})")
    opts = list(options)
    if not opts:
        raise ValueError("`options` must list at least one choice, got none")
    if len(opts) > MAX_OPTIONS:
        raise ValueError(f"`options` must list at most {MAX_OPTIONS:,} choices, got {len(opts):,}")
    for o in opts:
        if isinstance(o, tuple) and (len(o) != 2 or not isinstance(o[0], str)):
            raise ValueError(f"`options` must hold values or (label, value) pairs with a text label, got {o!r:.80}")
    values = [o[1] if isinstance(o, tuple) else o for o in opts]
    value = values[0] if value is None else check_choice("value", value, values)
    return W.Dropdown(options=opts, value=value, description=description, style=_WIDE, layout=_LAYOUT)


def toggle(description: str, value: bool = False):
    """A yes/no checkbox (``value`` True or False)."""
    check_str("description", description)
    return W.Checkbox(value=check_bool("value", value), description=description, style=_WIDE, indent=False)


# --------------------------------------------------------------------------
# Results as HTML
# --------------------------------------------------------------------------

def _fmt_control(w) -> str:
    """A control's value as its readout shows it."""
    v = w.value
    fmt = getattr(w, "readout_format", None)
    if isinstance(v, numbers.Real) and not isinstance(v, bool) and fmt:
        try:
            return format(v, fmt)
        except ValueError:
            pass
    if isinstance(w, W.Dropdown) and w.label is not None:
        return str(w.label)
    return _fmt_value(v)


def _fmt_value(v, kind=None) -> str:
    """A result value as a reader sees it, through :mod:`casekit.formatting`
    in the active language: with ``kind`` (a name of
    :data:`casekit.formatting.KINDS` such as "usd", "share", "count", or a
    function value → text) as that kind; otherwise text as it is, yes/no,
    whole numbers as counts and other numbers with two decimals."""
    if kind is not None:
        return (formatting.KINDS[kind] if isinstance(kind, str) else kind)(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return t("common.yes") if v else t("common.no")
    if isinstance(v, (numbers.Integral, np.integer)):
        return formatting.count(v)
    if isinstance(v, (numbers.Real, np.floating)):
        return formatting.number(v, decimals=2)
    return str(v)


def _check_kinds(kinds) -> dict:
    """``kinds``: None or a mapping result key → kind name of
    :data:`casekit.formatting.KINDS` or a function value → text."""
    if kinds is None:
        return {}
    out = dict(check_mapping("kinds", kinds))
    for key, kind in out.items():
        if isinstance(kind, str):
            check_choice(f"kinds[{key!r}]", kind, formatting.KINDS)
        elif not callable(kind):
            raise TypeError(f"`kinds[{key!r}]` must be a kind name ({', '.join(formatting.KINDS)}) or a function "
                            f"value → text, got {kind!r:.80}")
    return out


def to_html(result, kinds=None) -> str:
    """HTML for a result: a DataFrame or Series, a mapping label → value (a
    two-column table; strings are shown as they are), or a string.
    ``kinds`` (label → kind, see :func:`_fmt_value`) says how to write the
    mapping's numbers; unlisted ones follow the default rule."""
    kinds = _check_kinds(kinds)
    if isinstance(result, pd.DataFrame):
        return result.to_html(border=0, classes="casekit-table", float_format=lambda x: formatting.number(x))
    if isinstance(result, pd.Series):
        result = result.to_dict()
    if isinstance(result, Mapping):
        rows = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(str(k))}</th>"
            f"<td style='text-align:right'>{html.escape(_fmt_value(v, kinds.get(k)))}</td></tr>"
            for k, v in result.items()
        )
        return f"<table class='casekit-table'>{rows}</table>"
    return f"<div>{html.escape(str(result))}</div>"


def _to_text(result, kinds=None) -> str:
    kinds = kinds or {}
    if isinstance(result, pd.DataFrame):
        return result.round(4).to_string()
    if isinstance(result, pd.Series):
        result = result.to_dict()
    if isinstance(result, Mapping):
        return "; ".join(f"{k}: {_fmt_value(v, kinds.get(k))}" for k, v in result.items())
    return str(result)


# --------------------------------------------------------------------------
# What-if
# --------------------------------------------------------------------------

# Long control labels wrap onto a second line instead of being cut with "…".
_WHAT_IF_CSS = """<style>
.casekit-whatif .widget-inline-hbox { height: auto; min-height: var(--jp-widgets-inline-height); }
.casekit-whatif .widget-inline-hbox > .widget-label {
  white-space: normal; overflow: visible; height: auto; line-height: 1.15; padding-right: 6px;
}
</style>"""


def _dpi() -> int:
    """Pixels per inch of the charts: 100, or 200 when presenting
    (``CASEKIT_PRESENT=1``, set by ``make present``) so that charts stretched
    across a projector stay sharp."""
    return 200 if os.environ.get("CASEKIT_PRESENT", "") == "1" else 100


def _check_controls(controls) -> dict:
    """A non-empty dict of name → ipywidgets value control."""
    if not isinstance(controls, Mapping):
        raise TypeError(f"`controls` must be a non-empty dict of name → widget, got {controls!r:.80} "
                        f"({type(controls).__name__})")
    if not controls:
        raise ValueError("`controls` must be a non-empty dict of name → widget, got an empty one")
    out = dict(controls)
    for name, w in out.items():
        if not isinstance(name, str):
            raise TypeError(f"`controls` keys must be argument names (text) of `compute`, got {name!r:.80}")
        if not isinstance(w, W.ValueWidget):
            raise TypeError(f"`controls[{name!r}]` must be an ipywidgets control with a value, got {type(w).__name__}")
    return out


def _check_chart_size(size) -> tuple[float, float]:
    """(width, height) of the chart in inches, each in (0, 30]."""
    pair = check_sequence("chart_size", size)
    if len(pair) != 2:
        raise ValueError(f"`chart_size` must be (width, height) in inches, got {size!r:.80}")
    w, h = (check_number("chart_size", v, low=0, low_open=True, high=30) for v in pair)
    return (w, h)


class StaticForm:
    """Mixin for a casekit widget: its text form is its full ``repr`` and its
    HTML form is :meth:`static_html`, so nbval checks the computed result and
    an exported page without a kernel shows it (ipywidgets alone would cut
    the text at 110 characters and leave the HTML empty)."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = repr(self)
            bundle["text/html"] = self.static_html()
        return bundle


_LIVE: "weakref.WeakValueDictionary[int, WhatIf]" = weakref.WeakValueDictionary()
_ORDER = itertools.count()


def live_panels() -> list:
    """The what-if panels open in this kernel, oldest first (held by weak
    references; a closed panel is left out).
    ``make bench`` times every one of them after running a notebook."""
    return [panel for _, panel in sorted(list(_LIVE.items()), key=lambda kv: kv[0]) if panel.comm is not None]


class WhatIf(StaticForm, W.Box):
    """Controls wired to a pure function; see :func:`what_if`.

    Attributes
    ----------
    controls : dict name → widget
    html : ipywidgets.HTML with the result table
    image : ipywidgets.Image with the chart, or None
    result : the last value returned by the function
    error : the last error message shown, or None
    """

    def __init__(self, compute, controls, *, chart=None, title=None, chart_size=(6.5, 3.4), kinds=None):
        self.compute = check_callable("compute", compute)
        self.kinds = _check_kinds(kinds)
        self.controls = _check_controls(controls)
        self.chart = check_callable("chart", chart, allow_none=True)
        self.chart_size = _check_chart_size(chart_size)
        check_optional_str("title", title)
        self.title = title
        self.result = None
        self.error: str | None = None
        self.html = W.HTML()
        self.image = None
        self._chart_canvas = None
        self._chart_shape = None
        header = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        left = W.VBox([W.HTML(_WHAT_IF_CSS)] + header + list(self.controls.values()) + [self.html],
                      layout={"flex": "1 1 320px", "min_width": "300px", "max_width": "480px"})
        left.add_class("casekit-whatif-controls")
        children = [left]
        if chart:
            # Shown at most at its natural pixel width, never scaled up.
            natural = int(round(chart_size[0] * _dpi()))
            self.image = W.Image(format="png", layout={"flex": "1 1 380px", "min_width": "320px", "width": "100%",
                                                       "max_width": f"{natural}px", "height": "auto"})
            self.image.add_class("casekit-whatif-chart")
            children.append(self.image)
        super().__init__(children=children,
                         layout={"display": "flex", "flex_flow": "row wrap", "align_items": "flex-start",
                                 "width": "100%"})
        self.add_class("casekit-whatif")
        for w in self.controls.values():
            w.observe(self.update, names="value")
        self.update()
        _LIVE[next(_ORDER)] = self

    @property
    def values(self) -> dict:
        return {name: w.value for name, w in self.controls.items()}

    def update(self, change=None) -> None:
        """Recompute from the current control values (called on every change)."""
        try:
            self.result = self.compute(**self.values)
        except (ValueError, TypeError) as exc:
            # A combination of settings the model does not allow: say so
            # in the result area instead of a traceback.
            self.error = str(exc)
            self.html.value = (f"<div style='color:#D55E00'>{html.escape(t('widgets.cannot_compute'))} "
                               f"{html.escape(str(exc))}</div>")
            return
        self.error = None
        self.html.value = to_html(self.result, self.kinds)
        if self.image is not None:
            self.image.value = self._canvas().render(self.chart, self.result, **self.values)

    def _canvas(self) -> ChartCanvas:
        """The panel's one figure (a new one if its size or resolution changed)."""
        shape = (tuple(self.chart_size), _dpi())
        if self._chart_canvas is None or self._chart_shape != shape:
            self._chart_canvas = ChartCanvas(self.chart_size, dpi=shape[1])
            self._chart_shape = shape
            self.image.layout.max_width = f"{int(round(self.chart_size[0] * shape[1]))}px"
        return self._chart_canvas

    def static_html(self) -> str:
        """The panel's default state as plain HTML (settings, result table,
        chart image): what a reader of an exported page without a live kernel
        sees in place of the widget."""
        settings = "".join(
            f"<li>{html.escape(str(w.description or name))}: <b>{html.escape(_fmt_control(w))}</b></li>"
            for name, w in self.controls.items())
        img = ""
        if self.image is not None and self.image.value:
            data = base64.b64encode(self.image.value).decode("ascii")
            img = (f"<img alt='{html.escape(t('widgets.chart_alt'))}' style='max-width:100%' "
                   f"src='data:image/png;base64,{data}'>")
        return (f"<div class='casekit-static-whatif'><p><i>{html.escape(t('widgets.static_whatif'))}</i></p>"
                f"<ul>{settings}</ul>{self.html.value}{img}</div>")

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={_fmt_value(v)}" for k, v in self.values.items())
        shown = f"error: {self.error}" if self.error else _to_text(self.result, self.kinds)
        return f"WhatIf({settings})\n→ {shown}"


def what_if(compute: Callable, controls: Mapping, *, chart: Callable | None = None,
            title: str | None = None, kinds: Mapping | None = None) -> WhatIf:
    """Build a what-if panel.

    Parameters
    ----------
    compute : callable(**values) -> Mapping | DataFrame | Series | str
        A pure function of the control values (keyword arguments named as
        the keys of ``controls``). It should reuse cached data, not simulate
        anew, so that a slider move is fast.
    controls : mapping name → ipywidgets value widget
        E.g. ``{"refund_share": slider("Refund share", 1.0, 0, 1, 0.05, percent=True)}``.
    chart : callable(result, *, ax, **values), optional
        Draws the result on ``ax``; shown as a PNG in an ``Image`` widget.
    title : str, optional
    kinds : mapping result key → kind, optional
        How to write each result value: a name of
        :data:`casekit.formatting.KINDS` ("usd", "cny", "count", "share",
        "percent", "dec1", "dec2", "text") or a function value → text. Values
        not listed: text as it is, whole numbers as counts, other numbers
        with two decimals (all in the active language).

    Examples
    --------
    >>> w = what_if(lambda n: {"square": n * n}, {"n": slider("n", 3, 0, 10, 1)})
    >>> w.controls["n"].value = 4
    >>> w.result
    {'square': 16}
    """
    return WhatIf(compute, controls, chart=chart, title=title, kinds=kinds)


# --------------------------------------------------------------------------
# Discussion questions
# --------------------------------------------------------------------------

_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def answer_length(text: str) -> str:
    """How long an answer is, counted as a reader would: English words and
    Chinese characters (字), e.g. "12 words", "17 字", "5 words + 17 字"."""
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a string, got {type(text).__name__}")
    chars = len(_CJK_CHAR.findall(text))
    english = sum(1 for w in _CJK_CHAR.sub(" ", text).split() if re.search(r"[A-Za-z0-9]", w))
    parts = []
    if english or not chars:
        parts.append(t("widgets.word" if english == 1 else "widgets.words", n=english))
    if chars:
        parts.append(f"{chars} 字")
    return " + ".join(parts)


class DiscussionQuestion(W.VBox):
    """A discussion question bound to the student's answers file.

    Attributes
    ----------
    answer : ipywidgets.Textarea (saved on every change)
    checklist : list of ipywidgets.Checkbox, one per key point (saved too)
    reveal : ipywidgets.ToggleButton that shows or hides the worked answer
    worked : ipywidgets.HTML with the worked answer (hidden until revealed)
    status : ipywidgets.HTML saying what was saved, or a warning
    """

    def __init__(self, case, question, book: AnswerBook, worked_answer: str, *, lang=None):
        if not isinstance(case, _cases.Case):
            raise TypeError(f"`case` must be a registry case (cases.get_case(...)), got {case!r:.80} "
                            f"({type(case).__name__})")
        if not isinstance(question, _cases.Question):
            raise TypeError(f"`question` must be a question of the registry (case.question(...)), "
                            f"got {question!r:.80} ({type(question).__name__})")
        if not isinstance(book, AnswerBook):
            raise TypeError(f"`book` must be an AnswerBook, got {book!r:.80} ({type(book).__name__})")
        check_str("worked_answer", worked_answer, allow_empty=True)
        lang = i18n.get_language() if lang is None else check_choice("lang", lang, _cases.LANGUAGES)
        self.lang = lang
        self.case = case
        self.question = question
        self.book = book
        q = question
        # The English edition shows the Chinese beside the English (many of its
        # readers are Chinese); the Chinese edition shows Chinese only.
        other = "zh" if lang == "en" else None
        with i18n.language(lang):
            header = W.HTML(
                f"<div style='margin-top:0.5em'><b>{html.escape(q.text.get(lang))}</b><br>"
                + (f"<span style='color:#555'>{html.escape(q.text.get(other))}</span><br>" if other else "")
                + f"<span style='font-size:90%'>{html.escape(t('widgets.key_term'))} "
                f"<b>{html.escape(q.key_term.get(lang))}</b>"
                + (f" · {html.escape(q.key_term.get(other))}" if other else "") + "</span></div>"
            )
            placeholder = t("widgets.placeholder")
            self._texts = {k: t(f"widgets.{k}") for k in ("show", "hide", "try_first", "cover", "saved", "not_saved")}
        self.answer = W.Textarea(
            value=book.text(q.id), placeholder=placeholder,
            layout={"width": "95%", "height": "8em"}, continuous_update=True,
        )
        ticked = set(book.checked(q.id))
        # A checkbox's own description is cut off at its width; the text of a
        # key point goes in an HTML label beside the box, which wraps.
        self.checklist = [W.Checkbox(value=i in ticked, indent=False, layout={"width": "2em"})
                          for i in range(len(q.key_points))]
        self._points = [
            W.HBox([box, W.HTML(html.escape(p.get(lang)) + (
                f" · <span style='color:#555'>{html.escape(p.get(other))}</span>"
                if other and p.get(other) != p.get(lang) else ""), layout={"width": "90%"})])
            for box, p in zip(self.checklist, q.key_points)
        ]
        self.status = W.HTML()
        if book.notice:
            self.status.value = f"<div style='color:#D55E00'>{html.escape(book.notice)}</div>"
        self.worked = W.HTML(worked_answer, layout={"display": "none"})
        self.reveal = W.ToggleButton(value=False, description=self._texts["show"],
                                     icon="eye", tooltip=self._texts["try_first"],
                                     layout={"width": "auto"})
        children = [header, self.answer, self.status]
        if self.checklist:
            children.insert(2, W.HTML(f"<i>{html.escape(self._texts['cover'])}</i>"))
            children[3:3] = self._points
        children += [self.reveal, self.worked]
        super().__init__(children=children, layout={"border": "1px solid #ddd", "padding": "6px"})
        self.answer.observe(self._save_text, names="value")
        for box in self.checklist:
            box.observe(self._save_checks, names="value")
        self.reveal.observe(self._toggle, names="value")

    def _saved(self) -> None:
        n = answer_length(self.answer.value)
        self.status.value = (
            f"<span style='color:#009E73'>"
            f"{html.escape(self._texts['saved'].format(n=n, file=self.book.path.name))}</span>"
        )

    def _guard(self, action) -> None:
        try:
            action()
        except (OSError, ValueError, TypeError) as exc:
            # A full disk, a read-only folder, a broken character in the text:
            # say what is wrong, never raise out of the widget.
            self.status.value = (
                f"<div style='color:#D55E00'>{html.escape(self._texts['not_saved'].format(reason=exc))}</div>"
            )
        else:
            self._saved()

    def _save_text(self, change=None) -> None:
        self._guard(lambda: self.book.save(self.question.id, text=self.answer.value))

    def _save_checks(self, change=None) -> None:
        ticked = [i for i, b in enumerate(self.checklist) if b.value]
        self._guard(lambda: self.book.save(self.question.id, checked=ticked))

    def _toggle(self, change=None) -> None:
        shown = self.reveal.value
        self.worked.layout.display = "block" if shown else "none"
        self.reveal.description = self._texts["hide"] if shown else self._texts["show"]

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The question, its key points and the worked answer (collapsed) as
        plain HTML: what an exported page without a live kernel shows."""
        q = self.question
        if self.lang == "zh":
            points = "".join(f"<li>{html.escape(p.zh or p.en)}</li>" for p in q.key_points)
            question = html.escape(q.text.get("zh"))
        else:
            points = "".join(f"<li>{html.escape(p.en)} · {html.escape(p.zh)}</li>" for p in q.key_points)
            question = f"{html.escape(q.text.en)}<br>{html.escape(q.text.zh)}"
        return (f"<div class='casekit-static-discussion'><p><b>{question}</b></p><ul>{points}</ul>"
                f"<details><summary>{html.escape(self._texts['show'])}</summary>{self.worked.value}</details></div>")

    def __repr__(self) -> str:
        return (f"DiscussionQuestion(case={self.case.id!r}, question={self.question.id!r}, "
                f"key_points={len(self.checklist)})")


def discussion(case_id: str, question_id: str, *, figures=None, worked_answer: str | None = None,
               notebook: str | None = None, book: AnswerBook | None = None,
               lang: str | None = None) -> DiscussionQuestion:
    """A discussion-question widget for one question of the registry.

    Parameters
    ----------
    case_id, question_id : str
        Which question (see :mod:`casekit.cases`).
    figures : dict name -> value
        The computed figures that fill the worked answer's template (the
        question's ``worked`` text in the registry). Every placeholder must
        get a figure and every figure must be used.
    worked_answer : str (HTML), optional
        Only for a question whose registry entry has no ``worked`` template
        yet: the worked answer as finished HTML.
    notebook : str, optional
        Name of the answers file; defaults to the case's notebook name.
    book : AnswerBook, optional
        Share one book between the questions of a notebook.
    """
    case = _cases.get_case(case_id)
    q = case.question(question_id)
    lang = i18n.get_language() if lang is None else check_choice("lang", lang, _cases.LANGUAGES)
    check_optional_str("notebook", notebook, allow_empty=False)
    if q.worked is not None:
        if worked_answer is not None:
            raise ValueError(f"question {question_id!r} has a worked-answer template in the registry: "
                             "pass `figures`, not `worked_answer`")
        if figures is None:
            figures = {}
        text = _cases.fill(q.worked.get(lang), figures)
    else:
        if figures is not None:
            raise ValueError(f"question {question_id!r} has no `worked` template in the registry, "
                             "so `figures` cannot be used")
        check_str("worked_answer", worked_answer)
        text = worked_answer
    if book is None:
        book = AnswerBook(notebook or case.notebook_stem or case.id, case=case.id)
    elif not isinstance(book, AnswerBook):
        raise TypeError(f"`book` must be an AnswerBook or None, got {type(book).__name__}")
    return DiscussionQuestion(case, q, book, text, lang=lang)
