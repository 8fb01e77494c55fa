"""The class view: what the class thinks, live, on the projector.

``make class ANSWERS=<folder>`` runs ``python -m casekit.classview <folder>``,
which starts Voila (code hidden, the ``projector`` template of
``make present``) on a small dashboard notebook. The instructor picks the
case and the question and sees:

* how many of the class answered;
* a poll's spread (bar chart of the options, or histogram of the guesses),
  with the model's answer marked once the instructor presses *Reveal*;
* which key points the class ticked and which it missed;
* anonymised sample answers, at random or among those that hit a chosen key
  point;
* the most frequent words (Chinese segmented with jieba; English without
  stop words);
* the files that could not be read, each with its reason.

*Refresh* re-reads the folder (students keep writing: their files are
replaced atomically, so a file is read whole or not at all); *Live* refreshes
every :data:`REFRESH_SECONDS` seconds. A refresh updates the counts and the
charts but keeps the sample answers on screen until *Other samples* is
pressed (or the question or key point changes), so the class can discuss them.

**Who is the class.** ``ROSTER=<csv>`` (:func:`casekit.lms.read_roster`)
makes the class the roster's students; ``EXCLUDE=a,b`` leaves out ids or
user names (the instructor's own home folder on a JupyterHub).

**Names.** The projected view (the default) never shows who wrote what: it
drops names and ids as soon as the folder is read, and lists unreadable files
by number and kind of fault only (no path, no detail quoted from the file). ``make class ANSWERS=<folder> VIEW=instructor`` opens the
instructor's view on another port, for the instructor's own screen: the
same summaries plus each student's id, name and answered/not per question,
the paths of unreadable files, and the participation export for Canvas and
Moodle (:mod:`casekit.lms`).

Command line::

    python -m casekit.classview FOLDER [--layout auto|lms|hub|exchange] [--roster R.csv]
                                       [--exclude a,b] [--columns all|total] [--moodle-id idnumber|username]
                                       [--instructor] [--lang zh] [--port 8867] [--no-browser]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import ipywidgets as W
import matplotlib
import matplotlib.ticker
import numpy as np
import pandas as pd

from . import cases as _cases
from . import classstats, i18n, lms
from . import polls as _polls
from .widgets import StaticForm
from ._checks import check_bool, check_choice, check_number
from .classroom import LAYOUTS, ClassAnswers, load_class, student_label
from .i18n import t
from .plotting import PALETTE, figure_to_png, new_axes, style
from .wordfreq import CJK_CHAR

__all__ = ["REFRESH_SECONDS", "ClassView", "class_view", "dashboard_notebook", "voila_command", "main"]

REFRESH_SECONDS = 10
HEADROOM = 1.4
"""The histogram's height over its tallest bar: room for the model answer's label."""
SAMPLES = 3
WORDS = 12
ENV_SOURCE = "CASEKIT_CLASS_ANSWERS"
ENV_LAYOUT = "CASEKIT_CLASS_LAYOUT"
ENV_VIEW = "CASEKIT_CLASS_VIEW"
ENV_EXPORT = "CASEKIT_CLASS_EXPORT"
ENV_ROSTER = "CASEKIT_CLASS_ROSTER"
ENV_EXCLUDE = "CASEKIT_CLASS_EXCLUDE"
ENV_COLUMNS = "CASEKIT_CLASS_COLUMNS"
ENV_MOODLE_ID = "CASEKIT_CLASS_MOODLE_ID"

# Charts read from the back of a room: large type.
_CHART_RC = {"font.size": 16, "axes.titlesize": 19, "axes.labelsize": 17, "xtick.labelsize": 15,
             "ytick.labelsize": 15}

_CSS = """<style>
.casekit-class h2 { margin: 0.2em 0; }
.casekit-class-count { font-size: 160%; font-weight: bold; }
.casekit-class-kp td { padding: 2px 8px; vertical-align: middle; }
.casekit-class-kp td:nth-child(2), .casekit-class-kp td:nth-child(3) { white-space: nowrap; }
.casekit-class-bar { display: inline-block; height: 0.9em; background: #0072B2; }
.casekit-class-bar.missed { background: #D55E00; }
.casekit-class-sample { border-left: 4px solid #009E73; padding: 4px 10px; margin: 6px 0; background: #f6f6f6; }
.casekit-class-words span { display: inline-block; margin: 2px 10px 2px 0; }
.casekit-class-problems { color: #8a4b00; }
</style>"""


def _anonymise(data: ClassAnswers) -> ClassAnswers:
    """The class without names, ids or file paths (the projected view)."""
    table = data.table.copy()
    table["student"] = table["student"].map(student_label)
    table["name"] = ""
    table["file"] = ""
    problems = data.problems.copy()
    problems["file"] = [t("classview.file_n", n=i + 1) for i in range(len(problems))]
    problems["reason"] = ""
    problems["student"] = ""
    problems["detail"] = ""  # a detail may quote the file ("'student' must be text, got ['Wang Fang']")
    return ClassAnswers(table=table, problems=problems, students=sorted(map(student_label, data.students)),
                        source="", layout=data.layout, files=data.files, names={})


_LATIN = r"[0-9A-Za-z\u00c0-\u024f]"  # a letter or digit of a Latin word (a Chinese character is a boundary)


class _Scrubber:
    """Removes the class's names and ids from what the projected view shows:
    a student who signed an answer has the name replaced by "[…]" in a sample,
    and a name is never among the most used words. Built from the names
    before they are dropped; it shows nothing itself.

    A name or id in Latin letters is matched as whole words only (the user
    ``ben`` is scrubbed in "ask Ben", not in "benefit"); a Chinese name is
    matched anywhere (Chinese has no spaces between words)."""

    def __init__(self, data: ClassAnswers):
        known = {n.strip() for n in data.names.values() if len(n.strip()) >= 2}
        known |= {s for s in data.students if len(s) >= 3}
        known = sorted({k.lower() for k in known}, key=len, reverse=True)
        self.known = known
        parts = [re.escape(k) if CJK_CHAR.search(k) else rf"(?<!{_LATIN}){re.escape(k)}(?!{_LATIN})" for k in known]
        self._pattern = re.compile("|".join(parts), flags=re.IGNORECASE) if parts else None
        self.tokens = {w for k in known if not CJK_CHAR.search(k) for w in re.split(r"\s+", k) if len(w) >= 2}
        self.cjk = [k for k in known if CJK_CHAR.search(k)]

    def text(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub("[…]", text)

    def words(self, words):
        return [(w, c) for w, c in words
                if w.lower() not in self.tokens and not any(k in w or (len(w) >= 2 and w in k) for k in self.cjk)]


class ClassView(StaticForm, W.VBox):
    """The dashboard; see the module docstring.

    Attributes (for tests): ``case``, ``question``, ``reveal`` and ``live``
    controls; ``count``, ``chart``, ``chart_table``, ``points``, ``samples``,
    ``words``, ``problems`` outputs (HTML, and an Image for the chart);
    ``roster`` and ``export_*`` only in the instructor's view.
    """

    def __init__(self, source, *, layout: str = "auto", instructor: bool = False, lang: str | None = None,
                 export_dir=None, seed: int = 0, roster=None, exclude=None, columns: str = "all",
                 moodle_user: str = "idnumber"):
        check_choice("layout", layout, LAYOUTS)
        self.columns = check_choice("columns", columns, lms.COLUMN_CHOICES)
        self.moodle_user = check_choice("moodle_user", moodle_user, lms.MOODLE_USER)
        self.roster_table = (lms.read_roster(roster) if roster is not None and not isinstance(roster, pd.DataFrame)
                             else roster)
        self.exclude = exclude
        self.instructor = check_bool("instructor", instructor)
        self.lang = i18n.get_language() if lang is None else check_choice("lang", lang, _cases.LANGUAGES)
        self.seed = check_number("seed", seed, low=0, integer=True)
        self.source, self.folder_layout = source, layout
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd() / "class-exports"
        self._task = None
        self._draw = 0
        self._kp_for = None
        self._quiet = False
        self._scrub = None
        self._shown: dict = {}
        self.data: ClassAnswers | None = None
        with i18n.language(self.lang):
            self._build()
        self.refresh()

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        # The cases run in class: a notebook with class polls ("Start here", the
        # orientation notebook, has no case and no polls).
        ready = [c for c in _cases.load_cases().values()
                 if c.status == "ready" and c.notebook and _polls.polls_for(c.id)]
        self.case = W.Dropdown(options=[(c.title.get(self.lang), c.id) for c in ready], description=t("classview.case"),
                               layout={"width": "48%"}, style={"description_width": "6em"})
        self.question = W.Dropdown(options=[("-", "")], description=t("classview.question"),
                                   layout={"width": "96%"}, style={"description_width": "6em"})
        self.refresh_button = W.Button(description=t("classview.refresh"), icon="refresh", layout={"width": "auto"})
        self.live = W.Checkbox(value=False, description=t("classview.live", seconds=REFRESH_SECONDS), indent=False,
                               layout={"width": "auto"})
        self.reveal = W.ToggleButton(value=False, description=t("classview.reveal"), icon="eye",
                                     layout={"width": "auto"})
        self.key_point = W.Dropdown(options=[(t("classview.any_answer"), -1)], value=-1,
                                    description=t("classview.samples_from"), layout={"width": "75%"},
                                    style={"description_width": "10em"})
        self.new_sample = W.Button(description=t("classview.new_sample"), icon="random", layout={"width": "auto"})
        self.count = W.HTML()
        self.chart = W.Image(format="png", layout={"width": "100%", "max_width": "1400px", "height": "auto"})
        self.chart.add_class("casekit-class-chart")
        self.chart_table = W.HTML()
        self.points = W.HTML()
        self.samples = W.HTML()
        self.words = W.HTML()
        self.problems = W.HTML()
        self.status = W.HTML()
        head = W.HTML(f"{_CSS}<h2>{html.escape(t('classview.title_instructor' if self.instructor else 'classview.title'))}</h2>")
        bar = W.HBox([self.case, self.refresh_button, self.live, self.reveal],
                     layout={"align_items": "center", "flex_flow": "row wrap"})
        self._poll_box = W.VBox([self.chart, self.chart_table])
        self._discussion_box = W.VBox([W.HTML(f"<h3>{html.escape(t('classview.key_points'))}</h3>"), self.points,
                                       W.HTML(f"<h3>{html.escape(t('classview.samples'))}</h3>"),
                                       W.HBox([self.key_point, self.new_sample]), self.samples,
                                       W.HTML(f"<h3>{html.escape(t('classview.words'))}</h3>"), self.words])
        children = [head, bar, self.question, self.count, self._poll_box, self._discussion_box, self.problems,
                    self.status]
        if self.instructor:
            self.roster = W.HTML()
            self.export_canvas = W.Button(description=t("classview.export_canvas"), icon="download",
                                          layout={"width": "auto"})
            self.export_moodle = W.Button(description=t("classview.export_moodle"), icon="download",
                                          layout={"width": "auto"})
            self.export_status = W.HTML()
            children += [W.HTML(f"<h3>{html.escape(t('classview.roster'))}</h3>"), self.roster,
                         W.HBox([self.export_canvas, self.export_moodle]), self.export_status]
            self.export_canvas.on_click(lambda _: self.export("canvas"))
            self.export_moodle.on_click(lambda _: self.export("moodle"))
        super().__init__(children=children, layout={"width": "100%"})
        self.add_class("casekit-class")
        self.case.observe(self._case_changed, names="value")
        self.question.observe(self._question_changed, names="value")
        self.reveal.observe(lambda _: None if self._quiet else self.render(), names="value")
        self.key_point.observe(lambda _: self._render_samples() if self.data is not None else None, names="value")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.new_sample.on_click(lambda _: self._next_sample())
        self.live.observe(self._live_changed, names="value")
        self._set_questions()

    # -- data --------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the folder and redraw (the choices stay as they are)."""
        with i18n.language(self.lang):
            try:
                data = load_class(self.source, self.folder_layout, roster=self.roster_table, exclude=self.exclude)
            except (ValueError, TypeError, OSError) as exc:
                self.status.value = f"<div style='color:#D55E00'>{html.escape(str(exc))}</div>"
                return
            self._scrub = None if self.instructor else _Scrubber(data)
            self.data = data if self.instructor else _anonymise(data)
            cases_found = self.data.cases()
            if cases_found and self.case.value not in cases_found and not self.data.rows(
                    self.case.value, self.question.value).shape[0]:
                ids = [v for _, v in self.case.options]
                first = next((c for c in cases_found if c in ids), None)
                if first is not None and first != self.case.value:
                    self.case.value = first  # renders
                    return
            self.render()

    def _case_changed(self, change=None) -> None:
        with i18n.language(self.lang):
            self._set_questions()
            self.render()

    def _question_changed(self, change=None) -> None:
        # A new question starts hidden: the class sees its spread before the answer.
        if self.reveal.value:
            self._quiet = True
            self.reveal.value = False
            self._quiet = False
        self.render()

    def _set_questions(self) -> None:
        opts = classstats.questions_of(self.case.value) or [("-", "")]
        self.question.options = opts
        self.question.value = opts[0][1]

    def _key_point_options(self, q) -> None:
        self.key_point.options = [(t("classview.any_answer"), -1)] + [
            (f"{i + 1}. {p.get(self.lang)[:70]}", i) for i, p in enumerate(q.key_points)]
        self.key_point.value = -1

    @property
    def poll(self):
        qid = self.question.value or ""
        if qid.startswith(_polls.POLL_PREFIX):
            return _polls.get_poll(self.case.value, qid[len(_polls.POLL_PREFIX):])
        return None

    # -- drawing -----------------------------------------------------------
    def render(self) -> None:
        if self.data is None or not self.question.value:
            return
        with i18n.language(self.lang):
            case_id, qid, poll = self.case.value, self.question.value, self.poll
            n, total = classstats.answered(self.data, case_id, qid)
            self.count.value = (f"<div class='casekit-class-count' data-answered='{n}' data-total='{total}'>"
                                f"{html.escape(t('classview.answered', n=n, total=total))}</div>")
            self._poll_box.layout.display = "flex" if poll else "none"
            self._discussion_box.layout.display = "none" if poll else "flex"
            self.reveal.layout.display = "" if poll else "none"
            if poll:
                self._render_poll(poll)
            else:
                if self._kp_for != (case_id, qid):
                    self._key_point_options(_cases.get_case(case_id).question(qid))
                    self._kp_for = (case_id, qid)
                self._render_points()
                self._render_samples()
                self._render_words()
            self._render_problems()
            if self.instructor:
                self._render_roster()

    def _render_poll(self, poll) -> None:
        shown = self.reveal.value
        with style(), matplotlib.rc_context(_CHART_RC):
            fig, ax = new_axes((12, 5.4))
            if poll.kind == "choice":
                counts = classstats.poll_counts(self.data, poll)
                labels = [poll.label(o, self.lang) for o in counts.index]
                colours = [PALETTE["orange"] if shown and o in poll.answers else PALETTE["blue"] for o in counts.index]
                y = np.arange(len(counts))[::-1]
                ax.barh(y, counts.values, color=colours)
                ax.set_yticks(y, [_wrap(s, 28) for s in labels])
                ax.set_xlabel(t("classview.chart_votes"))
                ax.set_xlim(0, max(1, counts.max()) * 1.15)
                for yi, v in zip(y, counts.values):
                    ax.text(v, yi, f" {v}", va="center")
                rows = "".join(
                    f"<tr data-option='{html.escape(o)}'><td>{html.escape(lab)}"
                    + (f" <b>✓ {html.escape(t('classview.model_answer'))}</b>" if shown and o in poll.answers else "")
                    + f"</td><td style='text-align:right'>{v}</td></tr>"
                    for o, lab, v in zip(counts.index, labels, counts.values))
                table_html = f"<table class='casekit-class-votes'>{rows}</table>"
                alt = "; ".join(f"{lab}: {v}" for lab, v in zip(labels, counts.values))
            else:
                values = classstats.poll_values(self.data, poll)
                bins = np.linspace(poll.min, poll.max, 21)
                heights, _, _ = ax.hist(values, bins=bins, color=PALETTE["blue"], edgecolor="white")
                ax.set_xlim(poll.min, poll.max)
                # Headroom above the tallest bar: the model answer's label sits there, never on a bar.
                ax.set_ylim(0, max(1.0, float(np.max(heights)) if len(values) else 1.0) * HEADROOM)
                ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
                ax.set_xlabel(t("classview.chart_guess", unit=poll.unit.get(self.lang)))
                ax.set_ylabel(t("classview.chart_students"))
                if shown:
                    ax.axvline(poll.answer, color=PALETTE["orange"], linewidth=3)
                    right = (poll.answer - poll.min) > 0.6 * (poll.max - poll.min)
                    ax.text(poll.answer, ax.get_ylim()[1] * 0.97,
                            f" {t('classview.model_answer_is', answer=poll.answer_text(self.lang))} ", color="black",
                            va="top", ha="right" if right else "left", fontweight="bold",
                            bbox={"facecolor": "white", "edgecolor": PALETTE["orange"], "pad": 3})
                if len(values):
                    summary = t("classview.guess_summary", n=len(values), median=_num(np.median(values)),
                                low=_num(values[0]), high=_num(values[-1]), unit=poll.unit.get(self.lang))
                else:
                    summary = t("classview.no_votes")
                model = (f" <b>✓ {html.escape(t('classview.model_answer_is', answer=poll.answer_text(self.lang)))}"
                         f"</b>" if shown else "")
                table_html = (f"<p class='casekit-class-guesses' data-n='{len(values)}'>"
                              f"{html.escape(summary)}{model}</p>")
                alt = summary
            ax.set_title(_wrap(poll.question.get(self.lang), 60), fontsize=_CHART_RC["axes.titlesize"])
            ax.xaxis.label.set_fontsize(_CHART_RC["axes.labelsize"])
            ax.yaxis.label.set_fontsize(_CHART_RC["axes.labelsize"])
            fig.tight_layout()
            png = figure_to_png(fig, dpi=110)
        self._chart_alt = alt
        caption = t("classview.caption_choice" if poll.kind == "choice" else "classview.caption_number")
        self.chart.value = png  # the chart first, then the table that says what it shows
        self.chart_table.value = f"<p class='casekit-class-caption'><i>{html.escape(caption)}</i></p>{table_html}"

    def _render_points(self) -> None:
        table = classstats.key_points(self.data, self.case.value, self.question.value)
        rows = []
        for i, r in table.iterrows():
            ticked_w, missed_w = int(round(300 * r["share"])), int(round(300 * (1 - r["share"])))
            rows.append(
                f"<tr data-point='{i}' data-ticked='{r['ticked']}' data-missed='{r['missed']}'>"
                f"<td>{i + 1}. {html.escape(r['point'])}</td>"
                f"<td><span class='casekit-class-bar' style='width:{ticked_w}px'></span>"
                f"<span class='casekit-class-bar missed' style='width:{missed_w}px'></span></td>"
                f"<td>{html.escape(t('classview.ticked_missed', ticked=r['ticked'], missed=r['missed']))}</td></tr>")
        self.points.value = f"<table class='casekit-class-kp'>{''.join(rows)}</table>"

    def _next_sample(self) -> None:
        self._draw += 1
        self._render_samples(new=True)

    def _render_samples(self, new: bool = False) -> None:
        """The sample answers. Those on screen stay while the instructor
        discusses them: a refresh keeps them; *Other samples* (``new``), a
        new question or key point draws again."""
        if self.data is None or self.poll is not None:
            return
        kp = self.key_point.value
        where = (self.case.value, self.question.value, kp)
        with i18n.language(self.lang):
            texts = None if new else self._shown.get(where)
            if not texts:
                texts = classstats.samples(self.data, self.case.value, self.question.value, n=SAMPLES,
                                           key_point=None if kp is None or kp < 0 else kp,
                                           seed=self.seed + self._draw)
                if self._scrub is not None:
                    texts = [self._scrub.text(x) for x in texts]
                self._shown[where] = texts
            if not texts:
                self.samples.value = f"<p><i>{html.escape(t('classview.no_samples'))}</i></p>"
                return
            self.samples.value = "".join(
                f"<div class='casekit-class-sample'><b>{html.escape(t('classview.sample_n', n=i + 1))}</b> "
                f"{html.escape(text[:600])}{'…' if len(text) > 600 else ''}</div>" for i, text in enumerate(texts))

    def _render_words(self) -> None:
        words = classstats.frequent_words(self.data, self.case.value, self.question.value, n=WORDS + 5)
        if self._scrub is not None:
            words = self._scrub.words(words)
        words = words[:WORDS]
        if not words:
            self.words.value = f"<p><i>{html.escape(t('classview.no_samples'))}</i></p>"
            return
        top = words[0][1]
        self.words.value = "<div class='casekit-class-words'>" + "".join(
            f"<span data-count='{c}' style='font-size:{100 + 80 * c / top:.0f}%'>{html.escape(w)} "
            f"<small>({c})</small></span>" for w, c in words) + "</div>"

    def _render_problems(self) -> None:
        p = self.data.problems
        if p.empty:
            self.problems.value = ""
            return
        if self.instructor:  # the path and what is wrong, for the instructor's own screen
            items = "".join(f"<li data-kind='{r.kind}'>{html.escape(str(r.file))}: "
                            f"{html.escape(t(f'classview.reason.{r.kind}'))}"
                            + (f" <code>{html.escape(str(r.detail))}</code>" if r.detail else "") + "</li>"
                            for r in p.itertuples())
        else:  # the kind of fault only: a detail may quote the file, a path names the student
            items = "".join(f"<li data-kind='{r.kind}'>{html.escape(str(r.file))}: "
                            f"{html.escape(t(f'classview.reason.{r.kind}'))}</li>" for r in p.itertuples())
        self.problems.value = (f"<details class='casekit-class-problems' data-n='{len(p)}'><summary>"
                               f"{html.escape(t('classview.problems', n=len(p)))}</summary><ul>{items}</ul></details>")

    def _render_roster(self) -> None:
        part = classstats.participation(self.data, self.case.value)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in part.columns)
        body = "".join(
            f"<tr><td>{html.escape(s)}</td><td>{html.escape(self.data.names.get(s, ''))}</td>"
            + "".join(f"<td>{'✓' if v else '·'}</td>" for v in row) + "</tr>"
            for s, row in zip(part.index, part.values))
        outside = "".join(f"<li>{html.escape(s)} {html.escape(n)}</li>" for s, n in self.data.outside)
        outside = (f"<p>{html.escape(t('classview.outside', n=len(self.data.outside)))}</p><ul>{outside}</ul>"
                   if outside else "")
        self.roster.value = outside + (f"<table class='casekit-table casekit-class-roster'><tr><th>{html.escape(t('classview.id'))}"
                             f"</th><th>{html.escape(t('classview.name'))}</th>{head}</tr>{body}</table>")

    # -- export and live refresh -------------------------------------------
    def export(self, system: str) -> Path:
        """Write the participation of the current case for ``system``
        ("canvas" or "moodle") into the export folder (instructor's view only)."""
        check_choice("system", system, lms.SYSTEMS)
        if not self.instructor:
            raise PermissionError("the projected class view does not export: open the instructor's view "
                                  "(make class VIEW=instructor)")
        with i18n.language(self.lang):
            part = classstats.participation(self.data, self.case.value)
            path = self.export_dir / f"participation_{self.case.value}_{system}.csv"
            table = lms.participation_table(part, system, case=self.case.value, names=self.data.names,
                                            id_kinds=self.data.id_kinds, roster=self.roster_table,
                                            columns=self.columns, moodle_user=self.moodle_user)
            lms.write_csv(table, path)
            # Export notes: who is not in the file, who is in it without an id the LMS can match.
            notes = [t("classview.note_outside", student=f"{s} {n}".strip()) for s, n in self.data.outside]
            notes += [t("classview.note_unmatched", student=s) for s in table.attrs.get("unmatched", [])]
            notes += [t("classview.note_no_id", student=f"{s} {self.data.names.get(s, '')}".strip(),
                        columns=("ID / SIS User ID / SIS Login ID" if system == "canvas"
                                 else "ID number / Email address / Username"))
                      for s in table.attrs.get("no_id", [])]
            listed = "".join(f"<li>{html.escape(x)}</li>" for x in notes)
            self.export_status.value = (
                f"<span style='color:#009E73'>{html.escape(t('classview.exported', file=str(path)))}</span>"
                + (f"<div class='casekit-class-export-notes' data-n='{len(notes)}' style='color:#8a4b00'>"
                   f"{html.escape(t('classview.export_notes', n=len(notes)))}<ul>{listed}</ul></div>" if notes else ""))
            self.export_notes = notes
        return path

    def _live_changed(self, change=None) -> None:
        if self.live.value and self._task is None:
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:
                return
            self._task = loop.create_task(self._run_live())
        elif not self.live.value and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run_live(self) -> None:
        try:
            while self.live.value:
                await asyncio.sleep(REFRESH_SECONDS)
                self.refresh()
        finally:
            self._task = None

    def static_html(self) -> str:
        """What the view shows now, as plain HTML (no live kernel needed)."""
        parts = [f"{_CSS}<div class='casekit-static-class'>", self.count.value]
        if self.poll is not None:
            if self.chart.value:
                data = base64.b64encode(self.chart.value).decode("ascii")
                parts.append(f"<img alt='{html.escape(getattr(self, '_chart_alt', ''))}' style='max-width:100%' "
                             f"src='data:image/png;base64,{data}'>")
            parts.append(self.chart_table.value)
        else:
            parts += [self.points.value, self.samples.value, self.words.value]
        parts += [self.problems.value, "</div>"]
        return "".join(parts)

    def __repr__(self) -> str:
        if self.data is None:
            return "ClassView(no data)"
        n, total = classstats.answered(self.data, self.case.value, self.question.value)
        return (f"ClassView(case={self.case.value!r}, question={self.question.value!r}, answered={n}, "
                f"class={total}, unreadable={len(self.data.problems)}, instructor={self.instructor})")


def _wrap(text: str, width: int = 38) -> str:
    import textwrap  # noqa: PLC0415

    if any("\u3400" <= ch <= "\u9fff" for ch in text):
        width = width // 2
        return "\n".join(text[i:i + width] for i in range(0, len(text), width))
    return "\n".join(textwrap.wrap(text, width)) or text


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x) == round(float(x)) else f"{x:,.2f}".rstrip("0").rstrip(".")


def class_view(source=None, *, layout: str | None = None, instructor: bool | None = None, lang: str | None = None,
               export_dir=None, roster=None, exclude=None, columns: str | None = None,
               moodle_user: str | None = None) -> ClassView:
    """The dashboard; unset arguments come from the environment that
    ``make class`` sets (``CASEKIT_CLASS_ANSWERS``, ``…_LAYOUT``, ``…_VIEW``,
    ``…_ROSTER``, ``…_EXCLUDE``, ``…_COLUMNS``, ``…_MOODLE_ID``)."""
    source = source if source is not None else os.environ.get(ENV_SOURCE, "")
    if not source:
        raise ValueError(f"`source` must be a folder of answer files (or set {ENV_SOURCE}), got nothing")
    layout = layout or os.environ.get(ENV_LAYOUT, "auto")
    if instructor is None:
        instructor = os.environ.get(ENV_VIEW, "") == "instructor"
    export_dir = export_dir or os.environ.get(ENV_EXPORT) or None
    roster = roster if roster is not None else (os.environ.get(ENV_ROSTER) or None)
    exclude = exclude if exclude is not None else (os.environ.get(ENV_EXCLUDE) or None)
    columns = columns or os.environ.get(ENV_COLUMNS) or "all"
    moodle_user = moodle_user or os.environ.get(ENV_MOODLE_ID) or "idnumber"
    return ClassView(source, layout=layout, instructor=instructor, lang=lang, export_dir=export_dir, roster=roster,
                     exclude=exclude, columns=columns, moodle_user=moodle_user)


def dashboard_notebook(lang: str = "en") -> dict:
    """The notebook Voila runs: one code cell, the dashboard."""
    check_choice("lang", lang, _cases.LANGUAGES)
    code = (f"import casekit\ncasekit.set_language({lang!r})\nfrom casekit import classview\n"
            "classview.class_view()")
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "classview", "metadata": {},
                       "outputs": [], "source": code}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def voila_command(notebook: str, *, port: int, open_browser: bool = True) -> list[str]:
    from .present import voila_command as _present_command  # noqa: PLC0415

    # Voila would move to the next free port and the printed address would be
    # wrong: serve on this port or stop (main checks the port first).
    cmd = _present_command(notebook, port=port, open_browser=open_browser)
    return cmd[:-1] + ["--Voila.port_retries=0", cmd[-1]]


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casekit.classview", description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="folder of answer files (LMS download, JupyterHub homes, nbgrader exchange)")
    ap.add_argument("--layout", default="auto", choices=LAYOUTS)
    ap.add_argument("--instructor", action="store_true", help="the instructor's view, with names (not for projecting)")
    ap.add_argument("--roster", default=None, help="CSV of the class (student, name, email, username …; docs/class_mode.md)")
    ap.add_argument("--exclude", default=None, help="ids or user names to leave out, separated by commas")
    ap.add_argument("--columns", default="all", choices=lms.COLUMN_CHOICES,
                    help="participation export: every question, or the total only")
    ap.add_argument("--moodle-id", default="idnumber", choices=lms.MOODLE_USER,
                    help="participation export without a roster: the Moodle field the course's id fills")
    ap.add_argument("--lang", default="en", help="zh (or zh_CN.UTF-8 …) for Chinese; else English")
    ap.add_argument("--port", type=int, default=None, help="default 8867 (projected), 8868 (instructor)")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    from .present import edition, present_env  # noqa: PLC0415

    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        print(f"error: ANSWERS={args.folder!r} is not a folder; give the folder of the class's answer files "
              f"(make class ANSWERS=<folder>)", file=sys.stderr)
        return 2
    if shutil.which("voila") is None and not (Path(sys.executable).parent / "voila").exists():
        print("Voila is not installed: run `make class` (it installs the instructor tools).", file=sys.stderr)
        return 2
    lang = edition(args.lang)
    roster = None
    if args.roster:
        try:
            roster = Path(args.roster).expanduser().resolve()
            lms.read_roster(roster)
        except (TypeError, ValueError) as exc:
            print(f"error: ROSTER={args.roster!r}: {exc}", file=sys.stderr)
            return 2
    port = args.port or (8868 if args.instructor else 8867)
    if not port_free(port):
        with i18n.language(lang):
            print(t("classview.port_busy", port=port), file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="casekit-class-")
    nb = Path(work) / "class_view.ipynb"
    nb.write_text(json.dumps(dashboard_notebook(lang)), encoding="utf-8")
    # As `make present` runs Voila (projector template, sharp charts); its
    # answers folder is the dashboard's own temporary folder.
    env = present_env(work)
    env[ENV_SOURCE] = str(folder.resolve())
    env[ENV_LAYOUT] = args.layout
    env[ENV_VIEW] = "instructor" if args.instructor else "projected"
    env[ENV_EXPORT] = str(Path.cwd() / "class-exports")
    env[ENV_COLUMNS] = args.columns
    env[ENV_MOODLE_ID] = args.moodle_id
    if roster is not None:
        env[ENV_ROSTER] = str(roster)
    if args.exclude:
        env[ENV_EXCLUDE] = args.exclude
    with i18n.language(lang):
        key = "classview.serving_instructor" if args.instructor else "classview.serving_projected"
        print(t(key, folder=str(folder), url=f"http://127.0.0.1:{port}"), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        return subprocess.call(voila_command(str(nb), port=port, open_browser=not args.no_browser), cwd=work, env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
