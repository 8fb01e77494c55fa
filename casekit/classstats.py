"""What a class answered, in figures: the summaries the class view shows.

Every function takes a :class:`casekit.classroom.ClassAnswers` and one
question of a case: a discussion question (``"q1"``) or a poll
(``"poll:breakeven"``). Nothing here returns a student's name or id, except
:func:`participation` (for the gradebook and the instructor's view).

* :func:`answered` — how many of the class answered;
* :func:`poll_counts` / :func:`poll_values` — a poll's distribution;
* :func:`key_points` — how many ticked each key point, and missed it;
* :func:`samples` — anonymised sample answers, at random (seeded) or among
  those that ticked a chosen key point;
* :func:`frequent_words` — the most used words (:mod:`casekit.wordfreq`);
* :func:`participation` — answered or not, per student and question.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import cases as _cases
from . import i18n
from . import polls as _polls
from ._checks import check_number, check_seed, check_str
from .classroom import ClassAnswers
from .wordfreq import CJK_CHAR, top_words

__all__ = [
    "questions_of",
    "MIN_WORDS",
    "is_written",
    "answered_mask",
    "answered",
    "poll_counts",
    "poll_values",
    "key_points",
    "samples",
    "frequent_words",
    "participation",
]


def _check_class(cls) -> ClassAnswers:
    if not isinstance(cls, ClassAnswers):
        raise TypeError(f"`cls` must be a ClassAnswers (classroom.load_class(...)), got {type(cls).__name__}")
    return cls


MIN_WORDS = 3
"""A written answer counts when it has at least this many words; in Chinese,
two characters count as one word (so six characters)."""
_LATIN_WORD = re.compile(r"[^\W\d_\u3400-\u9fff\uf900-\ufaff]{2,}|\d+(?:[.,]\d+)?")


def is_written(text) -> bool:
    """Whether ``text`` is an answer, not a mark: at least :data:`MIN_WORDS`
    words (words of two letters or more, and numbers), a Chinese character
    counting as half a word.

    >>> is_written("yes"), is_written("Cheating is rare"), is_written("我同意"), is_written("作弊的客人很少。")
    (False, True, False, True)
    """
    if not isinstance(text, str):
        return False
    return len(_LATIN_WORD.findall(text)) + len(CJK_CHAR.findall(text)) / 2 >= MIN_WORDS


def questions_of(case_id: str) -> list[tuple[str, str]]:
    """The questions of a case the class view offers, as (label, question id):
    each poll (``poll:<id>``) and each discussion question, in the current
    language."""
    case = _cases.get_case(check_str("case_id", case_id))
    lang = i18n.get_language()
    out = []
    for q in case.questions:
        out.append((f"{q.id.upper()} · {q.text.get(lang)}", q.id))
        for p in _polls.polls_for(case_id):
            if p.discussion == q.id:
                out.append((f"{i18n.t('classview.poll_prefix')} · {p.question.get(lang)}", p.key))
    return out


def _poll_of(case_id: str, question: str):
    if question.startswith(_polls.POLL_PREFIX):
        return _polls.get_poll(case_id, question[len(_polls.POLL_PREFIX):])
    return None


def answered_mask(rows: pd.DataFrame, poll=None) -> pd.Series:
    """Which rows count as answered: a valid vote for a poll; for a
    discussion question, a written answer (:func:`is_written`). Ticking key
    points without writing is not an answer."""
    if not isinstance(rows, pd.DataFrame) or not {"text", "checked", "vote"} <= set(rows.columns):
        raise TypeError(f"`rows` must be rows of a class table (ClassAnswers.rows(...)) with 'text', 'checked' "
                        f"and 'vote', got {type(rows).__name__}")
    if poll is not None and not isinstance(poll, _polls.Poll):
        raise TypeError(f"`poll` must be a Poll of the registry or None, got {poll!r:.80}")
    if poll is not None:
        return rows["vote"].map(poll.valid_vote).astype(bool)
    return rows["text"].map(is_written).astype(bool)


def answered(cls: ClassAnswers, case_id: str, question: str) -> tuple[int, int]:
    """(students who answered, students in the class)."""
    _check_class(cls)
    rows = cls.rows(case_id, question)
    poll = _poll_of(case_id, question)
    return int(answered_mask(rows, poll).sum()), cls.size


def poll_counts(cls: ClassAnswers, poll) -> pd.Series:
    """A choice poll's votes per option (option order, zeros included);
    ``attrs["invalid"]``: votes that are not an option of the poll."""
    _check_class(cls)
    if not isinstance(poll, _polls.Poll) or poll.kind != "choice":
        raise ValueError(f"`poll` must be a choice poll of the registry, got {poll!r:.80}")
    votes = cls.rows(poll.case, poll.key)["vote"]
    valid = votes[votes.map(poll.valid_vote).astype(bool)]
    counts = valid.value_counts().reindex(poll.option_ids(), fill_value=0).astype(int)
    counts.attrs["invalid"] = int(votes.notna().sum() - len(valid))
    return counts


def poll_values(cls: ClassAnswers, poll) -> np.ndarray:
    """A number poll's guesses (sorted); ``invalid`` guesses (out of range,
    not a number) are left out."""
    _check_class(cls)
    if not isinstance(poll, _polls.Poll) or poll.kind != "number":
        raise ValueError(f"`poll` must be a number poll of the registry, got {poll!r:.80}")
    votes = cls.rows(poll.case, poll.key)["vote"]
    return np.sort(np.array([float(v) for v in votes if poll.valid_vote(v)], dtype=float))


def key_points(cls: ClassAnswers, case_id: str, question: str) -> pd.DataFrame:
    """One row per key point: ``point`` (its text in the current language),
    ``ticked`` and ``missed`` (students among those who answered), ``share``
    ticked (0–1)."""
    _check_class(cls)
    q = _cases.get_case(case_id).question(question)
    rows = cls.rows(case_id, question)
    rows = rows[answered_mask(rows)]
    n = len(rows)
    ticked = np.zeros(len(q.key_points), dtype=int)
    for checked in rows["checked"]:
        for i in checked:
            if 0 <= i < len(ticked):
                ticked[i] += 1
    lang = i18n.get_language()
    return pd.DataFrame({"point": [p.get(lang) for p in q.key_points], "ticked": ticked,
                         "missed": n - ticked, "share": ticked / n if n else np.zeros(len(ticked))})


def samples(cls: ClassAnswers, case_id: str, question: str, *, n: int = 3, key_point: int | None = None,
            seed=None) -> list[str]:
    """Up to ``n`` answers (their text only, never who wrote them), drawn at
    random with ``seed``; with ``key_point``, only among answers that ticked
    that key point (numbered from 0)."""
    _check_class(cls)
    n = check_number("n", n, low=1, high=50, integer=True)
    rng = check_seed("seed", seed)
    q = _cases.get_case(case_id).question(question)
    rows = cls.rows(case_id, question)
    texts = rows["text"].map(lambda s: s.strip() if isinstance(s, str) else "")
    keep = texts != ""
    if key_point is not None:
        check_number("key_point", key_point, low=0, high=len(q.key_points) - 1, integer=True)
        keep &= rows["checked"].map(lambda c: key_point in c).astype(bool)
    pool = sorted(texts[keep])
    if len(pool) <= n:
        picked = list(rng.permutation(len(pool)))
    else:
        picked = list(rng.choice(len(pool), size=n, replace=False))
    return [pool[i] for i in picked]


def frequent_words(cls: ClassAnswers, case_id: str, question: str, n: int = 12) -> list[tuple[str, int]]:
    """The most used words of a question's answers (English and Chinese):
    (word, answers using it)."""
    _check_class(cls)
    texts = [s for s in cls.rows(case_id, question)["text"] if isinstance(s, str) and s.strip()]
    return top_words(texts, n=n)


def participation(cls: ClassAnswers, case_id: str) -> pd.DataFrame:
    """Answered (1) or not (0) per student (rows: every student of the class)
    and question (columns: the case's discussion questions, then its polls,
    by question id). For the gradebook and the instructor's view only."""
    _check_class(cls)
    case = _cases.get_case(case_id)
    columns = [q.id for q in case.questions] + [p.key for p in _polls.polls_for(case_id)]
    out = pd.DataFrame(0, index=pd.Index(cls.students, name="student"), columns=columns, dtype=int)
    for qid in columns:
        rows = cls.rows(case_id, qid)
        if rows.empty:
            continue
        mask = answered_mask(rows, _poll_of(case_id, qid))
        out.loc[rows.loc[mask, "student"].tolist(), qid] = 1
    return out
