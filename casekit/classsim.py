"""A seeded simulated class: answer files as sixty students would leave them.

Used by the tests of the class view and by ``make bench``; an instructor can
also try the class view on it before a real class::

    python -m casekit.classsim /tmp/class --students 60 --seed 1
    make class ANSWERS=/tmp/class

:func:`make_class_answers` writes, for one case, one answers file per student
in the layout of an LMS download, of JupyterHub home folders or of nbgrader's
exchange (see :mod:`casekit.classroom`). Students answer in English or in
Chinese; their answers are built from the key points they tick (so a test
can check that samples and word counts follow the ticks); their poll votes
scatter around a "class belief" that differs from the model answer (the
point of a poll). Some students leave everything blank, some files are
damaged (truncated, not UTF-8), one is foreign (another program's JSON), one
is a temporary file of a save in progress. Same seed, same files, byte for
byte (fixed times, sorted keys).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from . import cases as _cases
from . import polls as _polls
from ._checks import check_choice, check_number, check_probability, check_seed, check_str
from .answers import FORMAT, VERSION

__all__ = ["FIRST_NAMES", "LAST_NAMES", "ZH_NAMES", "make_class_answers"]

FIRST_NAMES = ("Alice", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jack", "Kate", "Liam",
               "Mia", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara")
LAST_NAMES = ("Anders", "Brooks", "Carter", "Dalton", "Ellis", "Fischer", "Garcia", "Hughes", "Ivanova", "Jensen",
              "Kowalski", "Lopez", "Moreau", "Novak", "Okafor", "Patel")
ZH_NAMES = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐明", "孙丽", "马超", "朱琳",
            "胡斌", "郭佳")
LAYOUT_KINDS = ("lms", "hub", "exchange")
COURSE = "crm-course"
_START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)
_FILLER = {"en": ("I think", "In my view,", "The data shows that", "Overall,"),
           "zh": ("我认为", "从数据看，", "总的来说，", "我的看法是：")}


def _in_own_words(point: str, rng: np.random.Generator) -> str:
    """A student's version of a key point: some of its clauses, not all."""
    zh = bool(re.search(r"[\u3400-\u9fff]", point))
    clauses = [c.strip().rstrip(".") for c in re.split(r"[，；：。]" if zh else r"[:;] ", point) if c.strip()]
    keep = [c for c in clauses if rng.random() < 0.7] or clauses[:1]
    return "，".join(keep) + "。" if zh else "; ".join(keep) + "."


def _vote(poll, rng: np.random.Generator):
    if poll.kind == "choice":
        ids = poll.option_ids()
        weights = rng.dirichlet(np.ones(len(ids)) * 2.0)
        return ids[int(rng.choice(len(ids), p=weights))]
    span = poll.max - poll.min
    belief = poll.min + 0.45 * span  # the class's prior, not the model's answer
    value = rng.normal(belief, span / 6)
    value = float(np.clip(np.round(value / poll.step) * poll.step, poll.min, poll.max))
    return round(value, 6)


def _student_file(case, pollset, lang, rng, minute, *, blank: bool) -> dict:
    answers = {}
    for q in case.questions:
        if blank:
            answers[q.id] = {"text": "", "checked": [], "updated": None}
            continue
        ticks = [i for i in range(len(q.key_points)) if rng.random() < 0.2 + 0.6 * (i == 0) + 0.15 * (i == 1)]
        sentences = [_in_own_words(q.key_points[i].get(lang), rng) for i in ticks] or [q.key_term.get(lang)]
        opener = _FILLER[lang][int(rng.integers(len(_FILLER[lang])))]
        sep = "" if lang == "zh" else " "
        text = opener + sep + sep.join(sentences)
        minute += int(rng.integers(1, 4))
        answers[q.id] = {"text": text, "checked": ticks,
                         "updated": (_START + dt.timedelta(minutes=minute)).isoformat()}
    for p in pollset:
        if blank or rng.random() < 0.08:  # a few skip a poll
            continue
        minute += 1
        answers[p.key] = {"text": "", "checked": [], "vote": _vote(p, rng),
                          "updated": (_START + dt.timedelta(minutes=minute)).isoformat()}
    return answers


def _place(root: Path, layout: str, sid: str, stem: str, i: int) -> Path:
    if layout == "lms":
        return root / sid / f"{stem}.json"
    if layout == "hub":
        return root / f"jupyter-{sid}" / COURSE / "notebooks" / "answers" / f"{stem}.json"
    stamp = (_START + dt.timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S.000000 UTC")
    return root / COURSE / "inbound" / f"{sid}+{stem}+{stamp}" / "answers" / f"{stem}.json"


def make_class_answers(folder, n_students: int = 60, *, case: str = "hotel_guarantee", layout: str = "lms",
                       zh_share: float = 0.4, blank_share: float = 0.1, corrupt: int = 3, foreign: int = 1,
                       half_written: int = 1, seed=None) -> pd.DataFrame:
    """Write a simulated class's answer files for one case into ``folder``.

    Parameters
    ----------
    folder : path of a folder (created; files already in it are kept)
    n_students : int, 1 to 5,000
    case : a ready case id with a notebook
    layout : "lms", "hub" or "exchange" (see :mod:`casekit.classroom`)
    zh_share : share of students who write in Chinese
    blank_share : share of students whose file has only blank answers
    corrupt, foreign, half_written : how many students' files are damaged
        (truncated JSON, or bytes that are not UTF-8), another program's
        JSON, or caught mid-save (the whole file, plus a hidden temporary
        file ``.<notebook>.<n>.tmp`` holding part of the next save)
    seed : None, int or numpy Generator

    Returns
    -------
    DataFrame, one row per student: ``student`` (id), ``name`` (written in
    the file, never shown in the projected view), ``lang``, ``kind`` ("ok",
    "blank", "corrupt", "foreign", "half_written"), ``file``, and one column
    per poll with the vote written (NaN/None when none).
    """
    if isinstance(folder, bool) or not isinstance(folder, (str, Path)):
        raise TypeError(f"`folder` must be a folder path, got {folder!r:.80} ({type(folder).__name__})")
    n_students = check_number("n_students", n_students, low=1, high=5000, integer=True)
    check_str("case", case)
    c = _cases.get_case(case)
    if not c.notebook:
        raise ValueError(f"`case` must be a case with a notebook, got {case!r} (status {c.status!r})")
    check_choice("layout", layout, LAYOUT_KINDS)
    zh_share = check_probability("zh_share", zh_share)
    blank_share = check_probability("blank_share", blank_share)
    for name, v in (("corrupt", corrupt), ("foreign", foreign), ("half_written", half_written)):
        check_number(name, v, low=0, high=n_students, integer=True)
    if corrupt + foreign + half_written > n_students:
        raise ValueError(f"`corrupt` + `foreign` + `half_written` must be at most `n_students` ({n_students}), "
                         f"got {corrupt + foreign + half_written}")
    rng = check_seed("seed", seed)
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    pollset = _polls.polls_for(case)
    stem = c.notebook_stem
    kinds = (["corrupt"] * corrupt + ["foreign"] * foreign + ["half_written"] * half_written
             + ["ok"] * (n_students - corrupt - foreign - half_written))
    kinds = [kinds[i] for i in rng.permutation(n_students)]
    rows = []
    for i in range(n_students):
        sid = f"s{i + 1:03d}"
        lang = "zh" if rng.random() < zh_share else "en"
        if lang == "zh":
            name = ZH_NAMES[int(rng.integers(len(ZH_NAMES)))] + f"{i + 1:03d}"
        else:
            name = (f"{FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]} "
                    f"{LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]}{i + 1:03d}")
        kind = kinds[i]
        if kind == "ok" and rng.random() < blank_share:
            kind = "blank"
        answers = _student_file(c, pollset, lang, rng, 3 * i, blank=(kind == "blank"))
        doc = {"format": FORMAT, "version": VERSION, "notebook": stem, "case": case, "student": name,
               "answers": answers}
        payload = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        path = _place(root, layout, sid, stem, i)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "corrupt":
            payload = payload[: len(payload) // 2] if i % 2 == 0 else b"\xff\xfe" + payload[:40]
        elif kind == "foreign":
            payload = json.dumps({"cells": [], "metadata": {}, "nbformat": 4}).encode("utf-8")
        elif kind == "half_written":
            path.with_name(f".{stem}.{i:06d}.tmp").write_bytes(payload[: len(payload) // 3])
        path.write_bytes(payload)
        row = {"student": sid, "name": name, "lang": lang, "kind": kind, "file": str(path)}
        for p in pollset:
            entry = answers.get(p.key)
            row[p.key] = entry.get("vote") if entry and kind in ("ok", "half_written") else None
        rows.append(row)
    return pd.DataFrame(rows)


def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casekit.classsim", description=__doc__.split("\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--case", default="hotel_guarantee")
    ap.add_argument("--layout", default="lms", choices=LAYOUT_KINDS)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    try:
        made = make_class_answers(args.folder, args.students, case=args.case, layout=args.layout, seed=args.seed)
    except (TypeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(made)} students' answers for {args.case} in {args.folder} "
          f"({', '.join(f'{k}: {v}' for k, v in made['kind'].value_counts().sort_index().items())})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
