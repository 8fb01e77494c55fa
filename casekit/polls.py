"""Class polls: a guess or a vote taken before a notebook reveals the answer.

Two kinds of poll:

* **choice** — one option of a list ("Which design would you choose?");
* **number** — a guess of a figure ("At what cheating rate does the promise
  stop paying?"), within a range.

The polls live in the registry, one file per case:
``casekit/content/polls/<case_id>.toml``. Each poll has its question (and
options, or unit and range) in English and 中文, the model's ``answer``,
``computed_by`` (the casekit expression that gives that answer;
``tests/test_polls.py`` recomputes every one), the discussion question it
belongs to (``discussion = "q1"``), when the teaching note opens it and when it
shows the result (``open``, ``show``), and where it goes in the notebook
(``notebook``).

A student's vote is saved in the notebook's answers file like every answer
(:class:`casekit.answers.AnswerBook`, under the question id ``poll:<id>``):
same lock, same merge, same atomic write. The class view
(:mod:`casekit.classview`) reads the votes of the whole class.

In a notebook::

    book = AnswerBook("05_hotel_guarantee", case="hotel_guarantee")
    polls.poll("hotel_guarantee", "breakeven", book=book)

Where each poll goes is its ``notebook``, ``open`` and ``show`` text; list
them all with ``python -m casekit.polls placement``. Every poll stands in its
case notebook (both editions) just before the cell that reveals the answer,
and each case's teaching note opens and shows it at those moments
(``tests/test_polls.py`` checks both).
"""

from __future__ import annotations

import functools
import html
import math
import numbers
import os
import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources

import ipywidgets as W

from . import _toml
from . import cases as _cases
from . import i18n
from .widgets import StaticForm
from ._checks import check_choice, check_str
from .answers import AnswerBook
from .cases import Text
from .i18n import t

__all__ = [
    "KINDS",
    "POLL_PREFIX",
    "Option",
    "Poll",
    "load_polls",
    "polls_for",
    "get_poll",
    "poll_key",
    "parse_number",
    "PollWidget",
    "poll",
    "answer_below",
    "placement",
]

KINDS = ("choice", "number")
POLL_PREFIX = "poll:"
"""Question id prefix of a poll's vote in an answers file."""
MAX_OPTIONS = 12


@dataclass(frozen=True)
class Option:
    id: str
    text: Text


@dataclass(frozen=True)
class Poll:
    """One poll of the registry (see the module docstring for the fields)."""

    case: str
    id: str
    kind: str
    question: Text
    discussion: str
    answer: object  # number, option id, or tuple of option ids
    computed_by: str
    open: Text
    show: Text
    notebook: str
    options: tuple[Option, ...] = ()
    unit: Text = Text("")
    min: float = 0.0
    max: float = 0.0
    step: float = 1.0

    @property
    def key(self) -> str:
        """The question id the vote is saved under in an answers file."""
        return poll_key(self.id)

    @property
    def answers(self) -> tuple:
        """The model's answer as a tuple (one or more option ids, or one number)."""
        return self.answer if isinstance(self.answer, tuple) else (self.answer,)

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def label(self, option_id: str, lang: str | None = None) -> str:
        """The text of an option in the current (or the given) language."""
        lang = i18n.get_language() if lang is None else lang
        for o in self.options:
            if o.id == option_id:
                return o.text.get(lang)
        raise ValueError(f"`option_id` must be one of {self.option_ids()} for poll {self.id!r}, got {option_id!r}")

    def answer_text(self, lang: str | None = None) -> str:
        """The model's answer as a reader sees it."""
        lang = i18n.get_language() if lang is None else lang
        if self.kind == "choice":
            return " / ".join(self.label(a, lang) for a in self.answers)
        return f"{_fmt_number(self.answer)} {self.unit.get(lang)}".strip()

    def valid_vote(self, vote) -> bool:
        """Whether ``vote`` (as read from a file) is a vote this poll accepts."""
        if self.kind == "choice":
            return isinstance(vote, str) and vote in self.option_ids()
        return (isinstance(vote, numbers.Real) and not isinstance(vote, bool) and math.isfinite(vote)
                and self.min <= vote <= self.max)


def poll_key(poll_id: str) -> str:
    """``"poll:<id>"``: where a poll's vote is saved in an answers file."""
    return POLL_PREFIX + check_str("poll_id", poll_id)


def _fmt_number(x) -> str:
    x = float(x)
    return f"{x:,.0f}" if x == round(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------

def _text(raw, where: str) -> Text:
    if not isinstance(raw, dict) or not str(raw.get("en", "")).strip() or not str(raw.get("zh", "")).strip():
        raise ValueError(f"{where} must have text in both languages, `en` and `zh`, got {raw!r:.80}")
    unknown = set(raw) - {"en", "zh"}
    if unknown:
        raise ValueError(f"{where} has unknown language keys {sorted(unknown)}; use ['en', 'zh']")
    return Text(en=str(raw["en"]), zh=str(raw["zh"]))


def _number(raw, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real) or not math.isfinite(raw):
        raise ValueError(f"{where} must be a finite number, got {raw!r:.60}")
    return float(raw)


def _parse_poll(raw: dict, case_id: str, where: str) -> Poll:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a table, got {raw!r:.60}")
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.isidentifier():
        raise ValueError(f"{where}: `id` must be a plain name such as 'breakeven', got {pid!r:.60}")
    where = f"{where} (poll {pid!r})"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{where}: `kind` must be one of {KINDS}, got {kind!r:.60}")
    case = _cases.get_case(case_id)
    discussion = raw.get("discussion")
    if discussion not in [q.id for q in case.questions]:
        raise ValueError(f"{where}: `discussion` must be a question id of case {case_id!r} "
                         f"({', '.join(q.id for q in case.questions)}), got {discussion!r:.60}")
    for key in ("computed_by", "notebook"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{where}: `{key}` must be a non-empty text, got {raw.get(key)!r:.60}")
    common = dict(case=case_id, id=pid, kind=kind, question=_text(raw.get("question"), f"{where} `question`"),
                  discussion=discussion, computed_by=raw["computed_by"], notebook=raw["notebook"],
                  open=_text(raw.get("open"), f"{where} `open`"), show=_text(raw.get("show"), f"{where} `show`"))
    answer = raw.get("answer")
    if kind == "choice":
        opts = raw.get("options")
        if not isinstance(opts, list) or not 2 <= len(opts) <= MAX_OPTIONS:
            raise ValueError(f"{where}: `options` must list 2 to {MAX_OPTIONS} options, got {opts!r:.80}")
        options = []
        for i, o in enumerate(opts):
            if not isinstance(o, dict) or not isinstance(o.get("id"), str) or not o["id"].isidentifier():
                raise ValueError(f"{where}: option {i} must have a plain `id`, got {o!r:.80}")
            options.append(Option(o["id"], _text({k: v for k, v in o.items() if k != "id"},
                                                 f"{where} option {o['id']!r}")))
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{where}: option ids must differ, got {ids}")
        answers = tuple(answer) if isinstance(answer, list) else (answer,)
        if not answers or any(a not in ids for a in answers):
            raise ValueError(f"{where}: `answer` must be an option id (or a list of them) of {ids}, got {answer!r:.60}")
        return Poll(**common, answer=answers if len(answers) > 1 else answers[0], options=tuple(options))
    lo, hi = _number(raw.get("min"), f"{where} `min`"), _number(raw.get("max"), f"{where} `max`")
    step = _number(raw.get("step"), f"{where} `step`")
    if not lo < hi or step <= 0:
        raise ValueError(f"{where}: needs `min` < `max` and `step` > 0, got min={lo}, max={hi}, step={step}")
    value = _number(answer, f"{where} `answer`")
    if not lo <= value <= hi:
        raise ValueError(f"{where}: `answer` must lie between `min` ({lo:g}) and `max` ({hi:g}), got {value:g}")
    return Poll(**common, answer=value, unit=_text(raw.get("unit"), f"{where} `unit`"), min=lo, max=hi, step=step)


@functools.cache
def load_polls() -> dict[str, tuple[Poll, ...]]:
    """Every case's polls, by case id, in file order (read once)."""
    out = {}
    folder = resources.files("casekit.content").joinpath("polls")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        where = f"casekit/content/polls/{entry.name}"
        raw = _toml.read(entry, where)
        case_id = entry.name[:-5]
        if raw.get("case") != case_id:
            raise ValueError(f"{where}: `case` must be the file's case id {case_id!r}, got {raw.get('case')!r}")
        polls = tuple(_parse_poll(p, case_id, f"{where} poll {i}") for i, p in enumerate(raw.get("polls", [])))
        ids = [p.id for p in polls]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{where}: poll ids must differ, got {ids}")
        out[case_id] = polls
    return out


def polls_for(case_id: str) -> tuple[Poll, ...]:
    """The polls of one case (none for a case without a polls file)."""
    _cases.get_case(check_str("case_id", case_id))
    return load_polls().get(case_id, ())


def get_poll(case_id: str, poll_id: str) -> Poll:
    """One poll; ValueError naming the valid ids otherwise."""
    check_str("poll_id", poll_id)
    found = polls_for(case_id)
    for p in found:
        if p.id == poll_id:
            return p
    raise ValueError(f"`poll_id` must be one of {[p.id for p in found]} for case {case_id!r}, got {poll_id!r}")


def parse_number(text: str, poll: Poll) -> float:
    """A typed guess as a number within the poll's range; ValueError (in the
    current language) saying what to type otherwise. Accepts ``1.5``,
    ``1,5``, ``-8``, ``3 250``, a trailing ``%``, full-width forms typed
    with a Chinese input method (``１．２``, ``1.2％``, ``－1``) and the minus
    sign the notebooks print (``−8``, U+2212)."""
    check_str("text", text, allow_empty=True)
    if not isinstance(poll, Poll) or poll.kind != "number":
        raise TypeError(f"`poll` must be a number poll of the registry (polls.get_poll(...)), got {poll!r:.80}")
    cleaned = unicodedata.normalize("NFKC", text)  # full-width digits, point, comma, percent, minus
    cleaned = cleaned.replace("\u2212", "-").replace("\uff0d", "-")  # NFKC made "，" a ","
    cleaned = "".join(cleaned.split()).rstrip("%")  # spaces of any kind: 3 250
    if cleaned.count(",") == 1 and "." not in cleaned and len(cleaned.split(",")[1]) != 3:
        cleaned = cleaned.replace(",", ".")  # a decimal comma: 1,5
    cleaned = cleaned.replace(",", "")
    rule = t("polls.number_rule", low=_fmt_number(poll.min), high=_fmt_number(poll.max), unit=poll.unit.get(
        i18n.get_language()))
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(t("polls.not_a_number", text=text[:40], rule=rule)) from None
    if not math.isfinite(value) or not poll.min <= value <= poll.max:
        raise ValueError(t("polls.out_of_range", text=text[:40], rule=rule))
    return value


# --------------------------------------------------------------------------
# The widget
# --------------------------------------------------------------------------

class PollWidget(StaticForm, W.VBox):
    """A poll bound to the student's answers file.

    Attributes
    ----------
    choices : ipywidgets.RadioButtons (choice poll) or None
    guess : ipywidgets.Text (number poll) or None
    vote_button : ipywidgets.Button that saves a number guess
    status : ipywidgets.HTML: what was saved, or what is wrong
    """

    def __init__(self, poll: Poll, book: AnswerBook, *, lang: str | None = None):
        if not isinstance(poll, Poll):
            raise TypeError(f"`poll` must be a Poll of the registry (polls.get_poll(...)), got {type(poll).__name__}")
        if not isinstance(book, AnswerBook):
            raise TypeError(f"`book` must be an AnswerBook, got {book!r:.80} ({type(book).__name__})")
        self.lang = i18n.get_language() if lang is None else check_choice("lang", lang, _cases.LANGUAGES)
        self.poll = poll
        self.book = book
        saved = book.vote(poll.key)
        self.choices = self.guess = self.vote_button = None
        with i18n.language(self.lang):
            head = t("polls.choice_head" if poll.kind == "choice" else "polls.number_head")
            header = W.HTML(f"<div class='casekit-poll-head'><b>{html.escape(head)}</b> "
                            f"{html.escape(poll.question.get(self.lang))}</div>")
            self._texts = {k: t(f"polls.{k}") for k in ("saved_choice", "saved_number", "not_saved", "vote",
                                                          "hidden_until")}
            self._texts["rule"] = t("polls.number_rule", low=_fmt_number(poll.min), high=_fmt_number(poll.max),
                                    unit=poll.unit.get(self.lang))
            if poll.kind == "choice":
                opts = [(o.text.get(self.lang), o.id) for o in poll.options]
                value = saved if poll.valid_vote(saved) else None
                self.choices = W.RadioButtons(options=opts, value=value, layout={"width": "auto"})
                inputs = [self.choices]
            else:
                value = _fmt_number(saved) if poll.valid_vote(saved) else ""
                self.guess = W.Text(value=value, placeholder=self._texts["rule"], continuous_update=False,
                                    layout={"width": "24em"})
                self.vote_button = W.Button(description=self._texts["vote"], icon="check",
                                            layout={"width": "auto"})
                unit = W.HTML(html.escape(poll.unit.get(self.lang)))
                inputs = [W.HBox([self.guess, unit, self.vote_button])]
        self.status = W.HTML()
        if book.notice:
            self.status.value = f"<div style='color:#D55E00'>{html.escape(book.notice)}</div>"
        note = W.HTML(f"<i style='color:#555'>{html.escape(self._texts['hidden_until'])}</i>")
        super().__init__(children=[header, *inputs, self.status, note],
                         layout={"border": "2px solid #0072B2", "padding": "6px", "margin": "6px 0"})
        self.add_class("casekit-poll")
        if self.choices is not None:
            self.choices.observe(self._save_choice, names="value")
        else:
            self.guess.observe(self._save_number, names="value")
            self.vote_button.on_click(self._save_number)

    def _say(self, text: str, *, ok: bool) -> None:
        colour = "#009E73" if ok else "#D55E00"
        self.status.value = f"<span style='color:{colour}'>{html.escape(text)}</span>"

    def _save(self, vote) -> bool:
        try:
            self.book.save(self.poll.key, vote=vote)
        except (OSError, ValueError, TypeError) as exc:
            self._say(self._texts["not_saved"].format(reason=exc), ok=False)
            return False
        return True

    def _save_choice(self, change=None) -> None:
        if self.choices.value is None:
            return
        if self._save(self.choices.value):
            self._say(self._texts["saved_choice"].format(choice=self.choices.label, file=self.book.path.name),
                      ok=True)

    def _save_number(self, change=None) -> None:
        text = self.guess.value
        if not text.strip():
            return
        with i18n.language(self.lang):
            try:
                value = parse_number(text, self.poll)
            except ValueError as exc:
                self._say(str(exc), ok=False)
                return
        if self._save(value):
            self._say(self._texts["saved_number"].format(
                guess=f"{_fmt_number(value)} {self.poll.unit.get(self.lang)}".strip(), file=self.book.path.name),
                ok=True)

    @property
    def vote(self):
        """The vote saved in the answers file (None before voting)."""
        return self.book.vote(self.poll.key)

    def static_html(self) -> str:
        """The poll as plain HTML (question, then the options or the range):
        what a reader of an exported page without a live kernel sees."""
        p = self.poll
        with i18n.language(self.lang):
            head = t("polls.choice_head" if p.kind == "choice" else "polls.number_head")
        if p.kind == "choice":
            body = "<ul>" + "".join(f"<li>{html.escape(o.text.get(self.lang))}</li>" for o in p.options) + "</ul>"
        else:
            body = f"<p>{html.escape(self._texts['rule'])}</p>"
        return (f"<div class='casekit-static-poll' style='border:2px solid #0072B2;padding:6px'>"
                f"<p><b>{html.escape(head)}</b> {html.escape(p.question.get(self.lang))}</p>{body}</div>")

    def __repr__(self) -> str:
        what = (f"options={self.poll.option_ids()}" if self.poll.kind == "choice"
                else f"range={_fmt_number(self.poll.min)}..{_fmt_number(self.poll.max)}")
        return f"Poll(case={self.poll.case!r}, poll={self.poll.id!r}, kind={self.poll.kind!r}, {what})"


def poll(case_id: str, poll_id: str, *, book: AnswerBook | None = None, lang: str | None = None) -> PollWidget:
    """The widget of one poll of the registry, saving to ``book`` (default:
    the case notebook's answers file; share the notebook's book)."""
    p = get_poll(case_id, poll_id)
    if book is None:
        case = _cases.get_case(case_id)
        book = AnswerBook(case.notebook_stem or case.id, case=case.id)
    return PollWidget(p, book, lang=lang)


def answer_below() -> None:
    """Print the neutral line that opens every cell revealing a poll's answer
    (call it first in the cell). JupyterLab shows a folded output as its first
    line, so the folded bar reads "The answer to the poll above (vote first)."
    instead of the answer itself (``tests/test_polls.py`` checks every folded
    cell of the case notebooks)."""
    print(t("polls.answer_below"))


def placement(lang: str = "en") -> str:
    """Where every poll goes, as Markdown: notebook cell, teaching-note moment
    to open it and to show it."""
    check_choice("lang", lang, _cases.LANGUAGES)
    lines = []
    with i18n.language(lang):
        label = {k: t(f"polls.place.{k}") for k in ("choice", "number", "notebook", "open", "show", "answer")}
        for case_id, found in load_polls().items():
            case = _cases.get_case(case_id)
            lines += [f"### {case.title.get(lang)} (`{case_id}`, {case.notebook})", ""]
            for p in found:
                lines += [f"* `{p.id}` ({label[p.kind]}, {p.discussion.upper()}): {p.question.get(lang)}",
                          f"  * {label['notebook']} {p.notebook}",
                          f"  * {label['open']} {p.open.get(lang)}",
                          f"  * {label['show']} {p.show.get(lang)}",
                          f"  * {label['answer']} {p.answer_text(lang)} (`{p.computed_by}`)"]
            lines.append("")
    return "\n".join(lines)


PLACEMENT_BEGIN = ("<!-- polls:begin (generated by `python -m casekit.polls docs docs/class_mode.md "
                   "docs/class_mode.zh-CN.md`; do not edit) -->")
PLACEMENT_END = "<!-- polls:end -->"


def write_placement(path, lang: str | None = None) -> bool:
    """Rewrite the generated placement section of a Markdown file (between
    :data:`PLACEMENT_BEGIN` and :data:`PLACEMENT_END`) in ``lang`` (default:
    Chinese for a file named ``*.zh-CN.md``, else English); True if it changed."""
    from pathlib import Path  # noqa: PLC0415

    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a Markdown file path, got {path!r:.80} ({type(path).__name__})")
    p = Path(path)
    if lang is None:
        lang = "zh" if p.name.endswith(".zh-CN.md") else "en"
    check_choice("lang", lang, _cases.LANGUAGES)
    text = p.read_text(encoding="utf-8")
    if PLACEMENT_BEGIN not in text or PLACEMENT_END not in text:
        raise ValueError(f"`path` must contain the markers {PLACEMENT_BEGIN!r} and {PLACEMENT_END!r}, got {p}")
    head, rest = text.split(PLACEMENT_BEGIN, 1)
    _, tail = rest.split(PLACEMENT_END, 1)
    new = f"{head}{PLACEMENT_BEGIN}\n\n{placement(lang)}\n{PLACEMENT_END}{tail}"
    if new != text:
        p.write_text(new, encoding="utf-8")
    return new != text


def _main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["placement"]:
        print(placement(args[1] if len(args) > 1 else "en"))
        return 0
    if args[:1] == ["docs"] and len(args) >= 2:
        for path in args[1:]:
            print(("rewrote " if write_placement(path) else "up to date: ") + path)
        return 0
    print("usage: python -m casekit.polls placement [en|zh] | docs FILE.md", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
