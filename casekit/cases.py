"""The case registry: every case's titles, questions, key terms and learning
objectives, in English and Chinese, in one place.

The text lives in ``casekit/content/<case id>.toml`` (one file per case, so a
translator or a case author edits one file). This module loads and checks it;
the README's case table, the start-here notebook and the discussion widgets
are all built from it.

Command line::

    python -m casekit.cases readme README.md   # rewrite the README's case table
    python -m casekit.cases notebook dell       # print a case's notebook file
    python -m casekit.cases list
    python -m casekit.cases sources docs/sources.md   # rewrite the references page
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from . import _toml
from ._checks import check_bool, check_choice, check_str

__all__ = [
    "LANGUAGES",
    "Text",
    "Question",
    "Case",
    "load_cases",
    "get_case",
    "course_table",
    "readme_table",
    "Reference",
    "GRADES",
    "fill",
    "template_fields",
    "show_objectives",
    "show_references",
    "sources_page",
]

LANGUAGES = ("en", "zh")
STATUSES = ("ready", "planned")
STATUS_ZH = {"ready": "已完成", "planned": "计划中"}
# Evidence grades of a reference, strongest first.
GRADES = ("evidence", "rule of thumb", "folklore", "source text", "simulated")
GRADE_ZH = {"evidence": "研究证据", "rule of thumb": "经验法则", "folklore": "流传说法（无可靠出处）",
            "source text": "课程原始案例文本", "simulated": "模拟数据"}


@dataclass(frozen=True)
class Text:
    """A piece of text in English and Chinese (``zh`` may be empty until
    translated; :meth:`get` then falls back to English)."""

    en: str
    zh: str = ""

    def get(self, lang: str = "en") -> str:
        check_choice("lang", lang, LANGUAGES)
        return (self.zh or self.en) if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Question:
    """One discussion question of a case."""

    id: str
    text: Text
    key_term: Text
    key_points: tuple[Text, ...]
    origin: str = "source"  # "source": asked in the source text; "course": posed by us
    worked: Text | None = None  # the worked answer: HTML with {named} placeholders for computed figures

    def label(self, lang: str = "en") -> str:
        other = "zh" if lang == "en" else "en"
        return f"{self.text.get(lang)} ({self.key_term.get(lang)} · {self.key_term.get(other)})"


@dataclass(frozen=True)
class Reference:
    """A source the case relies on, with its evidence grade."""

    id: str
    cite: str
    grade: str
    supports: Text
    cite_zh: str = ""
    """The citation as the Chinese edition shows it: the course's own words
    (a note, a description, "as retold in") in Chinese, names and titles of
    published works as published. Empty for a citation that is all
    published names and titles."""

    def citation(self, lang: str = "en") -> str:
        """The citation in ``lang`` (``cite_zh`` in Chinese where it exists)."""
        return self.cite_zh if lang == "zh" and self.cite_zh else self.cite


@dataclass(frozen=True)
class Case:
    id: str
    number: int
    status: str
    title: Text
    summary: Text
    notebook: str | None
    sources: tuple[str, ...]
    objectives: tuple[Text, ...]
    questions: tuple[Question, ...]
    key_terms: tuple[Text, ...] = field(default_factory=tuple)
    references: tuple[Reference, ...] = field(default_factory=tuple)

    def question(self, question_id: str) -> Question:
        check_str("question_id", question_id)
        for q in self.questions:
            if q.id == question_id:
                return q
        raise ValueError(
            f"`question_id` must be one of {', '.join(q.id for q in self.questions)} "
            f"for case {self.id!r}; got {question_id!r}"
        )

    @property
    def notebook_stem(self) -> str | None:
        return self.notebook[:-6] if self.notebook else None


def _text(raw, where: str, *, required: bool = True) -> Text:
    if isinstance(raw, str):
        raw = {"en": raw}
    if not isinstance(raw, dict) or (required and not str(raw.get("en", "")).strip()):
        raise ValueError(f"{where} must have English text under 'en'")
    unknown = set(raw) - set(LANGUAGES)
    if unknown:
        raise ValueError(f"{where} has unknown language keys {sorted(unknown)}; use {LANGUAGES}")
    return Text(en=str(raw.get("en", "")), zh=str(raw.get("zh", "")))


def _parse(raw: dict, origin: str) -> Case:
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.isidentifier():
        raise ValueError(f"{origin}: 'id' must be a lower-case identifier, got {cid!r}")
    status = raw.get("status", "planned")
    if status not in STATUSES:
        raise ValueError(f"{origin}: 'status' must be one of {STATUSES}, got {status!r}")
    questions = []
    for i, q in enumerate(raw.get("questions", [])):
        where = f"{origin}: questions[{i}]"
        qid = q.get("id")
        if not isinstance(qid, str) or not qid:
            raise ValueError(f"{where}: 'id' is missing")
        questions.append(
            Question(
                id=qid,
                text=_text(q.get("text"), f"{where}.text"),
                key_term=_text(q.get("key_term"), f"{where}.key_term"),
                key_points=tuple(_text(k, f"{where}.key_points") for k in q.get("key_points", [])),
                origin=q.get("origin", "source"),
                worked=_text(q["worked"], f"{where}.worked") if "worked" in q else None,
            )
        )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{origin}: question ids must be unique, got {ids}")
    references = []
    for i, r in enumerate(raw.get("references", [])):
        where = f"{origin}: references[{i}]"
        rid, cite, grade = r.get("id"), r.get("cite"), r.get("grade")
        if not isinstance(rid, str) or not rid:
            raise ValueError(f"{where}: 'id' is missing")
        if not isinstance(cite, str) or not cite.strip():
            raise ValueError(f"{where}: 'cite' (the full citation) is missing")
        if grade not in GRADES:
            raise ValueError(f"{where}: 'grade' must be one of {GRADES}, got {grade!r}")
        cite_zh = r.get("cite_zh", "")
        if not isinstance(cite_zh, str):
            raise ValueError(f"{where}: 'cite_zh' must be text (the citation with the course's words in Chinese), "
                             f"got {cite_zh!r:.80}")
        references.append(Reference(id=rid, cite=cite.strip(), grade=grade,
                                    supports=_text(r.get("supports"), f"{where}.supports"), cite_zh=cite_zh.strip()))
    rids = [r.id for r in references]
    if len(set(rids)) != len(rids):
        raise ValueError(f"{origin}: reference ids must be unique, got {rids}")
    notebook = raw.get("notebook")
    if status == "ready" and not notebook:
        raise ValueError(f"{origin}: a 'ready' case needs a 'notebook'")
    return Case(
        id=cid,
        number=int(raw.get("number", 99)),
        status=status,
        title=_text(raw.get("title"), f"{origin}: title"),
        summary=_text(raw.get("summary", {"en": ""}), f"{origin}: summary", required=False),
        notebook=notebook,
        sources=tuple(raw.get("sources", [])),
        objectives=tuple(_text(o, f"{origin}: objectives") for o in raw.get("objectives", [])),
        questions=tuple(questions),
        key_terms=tuple(_text(k, f"{origin}: key_terms") for k in raw.get("key_terms", [])),
        references=tuple(references),
    )


@functools.cache
def load_cases() -> dict[str, Case]:
    """All cases in the registry, ordered by number then id."""
    cases = []
    for entry in resources.files("casekit.content").iterdir():
        # glossary.toml is the course glossary (casekit.i18n), not a case.
        if entry.name.endswith(".toml") and entry.name != "glossary.toml":
            raw = _toml.read(entry, f"casekit/content/{entry.name}")
            case = _parse(raw, entry.name)
            if entry.name != f"{case.id}.toml":
                raise ValueError(f"{entry.name}: file name must be '{case.id}.toml'")
            cases.append(case)
    cases.sort(key=lambda c: (c.number, c.id))
    return {c.id: c for c in cases}


def get_case(case_id: str) -> Case:
    """One case by id, e.g. ``get_case("hotel_guarantee")``."""
    cases = load_cases()
    check_choice("case_id", case_id, cases)
    return cases[case_id]


def _lang(lang) -> str:
    """``lang``, or the current language (casekit.set_language) when None."""
    if lang is None:
        from .i18n import get_language

        return get_language()
    return check_choice("lang", lang, LANGUAGES)


def course_table(lang: str | None = None, *, include_planned: bool = True) -> pd.DataFrame:
    """One row per case: number, title in both languages, notebook, status
    (headers in the current language unless ``lang`` is given)."""
    lang = _lang(lang)
    include_planned = check_bool("include_planned", include_planned)
    rows = []
    for c in load_cases().values():
        if c.status == "planned" and not include_planned:
            continue
        if lang == "en":
            rows.append({"no.": c.number, "case": c.title.en, "中文": c.title.zh,
                         "notebook": c.notebook or "", "status": c.status, "questions": len(c.questions)})
        else:
            rows.append({"序号": c.number, "案例": c.title.zh, "笔记本": c.notebook or "",
                         "状态": STATUS_ZH[c.status], "讨论题数": len(c.questions)})
    return pd.DataFrame(rows)


def readme_table(lang: str = "en") -> str:
    """The Markdown case table for the README (``lang="zh"``: for
    README.zh-CN.md, linking the Chinese notebooks)."""
    check_choice("lang", lang, LANGUAGES)
    if lang == "zh":
        lines = ["| 序号 | 案例 | English | 笔记本 | 状态 |", "|---|---|---|---|---|"]
        for c in load_cases().values():
            nb = (f"[`zh/{c.notebook}`](notebooks/zh/{c.notebook})" if c.notebook and c.status == "ready"
                  else "计划中")
            lines.append(f"| {c.number} | {c.title.zh} | {c.title.en} | {nb} | {STATUS_ZH[c.status]} |")
        return "\n".join(lines)
    lines = ["| No. | Case | 中文 | Notebook | Status |", "|---|---|---|---|---|"]
    for c in load_cases().values():
        nb = f"[`{c.notebook}`](notebooks/{c.notebook})" if c.notebook and c.status == "ready" else "planned"
        lines.append(f"| {c.number} | {c.title.en} | {c.title.zh} | {nb} | {c.status} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Worked answers: registry templates filled with computed figures
# --------------------------------------------------------------------------

def template_fields(template: str) -> list[str]:
    """The named placeholders of a template, in order of first use."""
    import string

    check_str("template", template, allow_empty=True)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # e.g. a single "{"
        raise ValueError(f"`template` must be a str.format template (write {{{{ for a literal brace): "
                         f"{exc}; got {template!r:.80}") from None
    names: list[str] = []
    for _, name, _, _ in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"`template`: placeholders must be plain names like {{gain}}, got {{{name}}}")
        if name not in names:
            names.append(name)
    return names


def fill(template: str, figures) -> str:
    """Fill a worked-answer template with computed figures.

    Every placeholder must get a figure and every figure must be used, so a
    template and the notebook that feeds it cannot drift apart.

    >>> fill("Profit rose by USD {gain:,.0f}.", {"gain": 12345.6})
    'Profit rose by USD 12,346.'
    """
    if not isinstance(template, str):
        raise TypeError(f"`template` must be text, got {type(template).__name__}")
    if not isinstance(figures, dict):
        raise TypeError(f"`figures` must be a dict of name -> computed value, got {type(figures).__name__}")
    wanted = template_fields(template)
    missing = [n for n in wanted if n not in figures]
    if missing:
        raise ValueError(f"`figures` lacks {missing}: the worked answer's template (`template`) needs them")
    unused = [n for n in figures if n not in wanted]
    if unused:
        raise ValueError(f"`figures` has {unused}, which the worked answer's template (`template`) does not use")
    try:
        return template.format_map(figures)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"`figures`: a figure does not fit its placeholder's format in `template`: {exc}") from None


# --------------------------------------------------------------------------
# Rendering for notebooks: objectives and references
# --------------------------------------------------------------------------

def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text)


def show_objectives(case_id: str, lang: str | None = None):
    """The case's learning objectives as formatted Markdown (a numbered list).
    The English edition shows the Chinese in grey beneath each; the Chinese
    edition shows Chinese only. ``lang`` defaults to the current language."""
    lang = _lang(lang)
    case = get_case(case_id)
    other = "zh" if lang == "en" else None
    lines = []
    for i, o in enumerate(case.objectives, 1):
        lines.append(f"{i}. {o.get(lang)}")
        if other and o.get(other) != o.get(lang):
            lines.append(f"   <span style='color:#555'>{o.get(other)}</span>")
    return _markdown("\n".join(lines))


def _references_md(case: Case, lang: str = "en") -> str:
    lines = []
    for r in case.references:
        grade = r.grade if lang == "en" else GRADE_ZH[r.grade]
        lines.append(f"* {r.citation(lang)} — *{r.supports.get(lang)}* [{grade}]")
    return "\n".join(lines)


def show_references(case_id: str, lang: str | None = None):
    """The case's references with what each supports and its evidence grade
    (citations as published; the rest in the current language)."""
    lang = _lang(lang)
    case = get_case(case_id)
    if not case.references:
        return _markdown("*(no references listed)*" if lang == "en" else "*（未列出参考资料）*")
    return _markdown(_references_md(case, lang))


def sources_page() -> str:
    """The course's reference page (docs/sources.md), generated from the
    registry: every case's references with the claim each supports and its
    evidence grade."""
    out = ["# Sources and evidence grades · 资料来源与证据等级", "",
           "Generated by `make sources` from `casekit/content/*.toml`; do not edit by hand.",
           "",
           "Grades: **evidence** (published research or audited figures) · **rule of thumb** "
           "(widely used, weakly sourced) · **folklore** (no traceable origin: the course tests it "
           "against its simulated data) · **source text** (the course's Chinese case texts) · "
           "**simulated** (an assumption of the course's own models).",
           "",
           "证据等级：**研究证据**（已发表的研究或经审计的数字）· **经验法则**（广泛使用，但出处薄弱）· "
           "**流传说法**（找不到可靠出处：课程用模拟数据加以检验）· **课程原始案例文本** · "
           "**模拟数据**（课程模型自身的假设）。", ""]
    for case in load_cases().values():
        if not case.references:
            continue
        out += [f"## {case.title.en} · {case.title.zh}", ""]
        out += ["| Source · 资料 | What it supports · 支持的内容 | Grade · 证据等级 |", "|---|---|---|"]
        for r in case.references:
            cite = "<br>".join(c.replace("|", "\\|") for c in (r.cite, r.cite_zh) if c)
            zh = f"<br>{r.supports.zh}" if r.supports.zh else ""
            out.append(f"| {cite} | {r.supports.en}{zh} | {r.grade} · {GRADE_ZH[r.grade]} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_BEGIN = "<!-- cases:begin (generated by `make readme` from casekit/content; do not edit) -->"
_END = "<!-- cases:end -->"


def update_readme(path) -> bool:
    """Rewrite the generated block of the README (a ``*.zh-CN.md`` file gets
    the Chinese table); return True if it changed."""
    p = Path(path)
    lang = "zh" if p.name.endswith(".zh-CN.md") else "en"
    text = p.read_text(encoding="utf-8")
    if _BEGIN not in text or _END not in text:
        raise ValueError(f"{p} must contain the markers {_BEGIN!r} and {_END!r}")
    head, rest = text.split(_BEGIN, 1)
    _, tail = rest.split(_END, 1)
    new = f"{head}{_BEGIN}\n{readme_table(lang)}\n{_END}{tail}"
    if new != text:
        p.write_text(new, encoding="utf-8")
        return True
    return False


def readme_block(path) -> str:
    """The generated block as it stands in the README file."""
    text = Path(path).read_text(encoding="utf-8")
    return text.split(_BEGIN, 1)[1].split(_END, 1)[0].strip()


def _main(argv: list[str]) -> int:
    if argv[:1] == ["readme"] and len(argv) == 2:
        changed = update_readme(argv[1])
        print(f"{argv[1]}: {'updated' if changed else 'already up to date'}")
        return 0
    if argv[:1] == ["notebook"] and len(argv) == 2:
        case = get_case(argv[1])
        if not case.notebook:
            print(f"case {case.id!r} has no notebook yet", file=sys.stderr)
            return 2
        print(case.notebook)
        return 0
    if argv[:1] == ["sources"] and len(argv) == 2:
        p = Path(argv[1])
        p.parent.mkdir(parents=True, exist_ok=True)
        new = sources_page()
        old = p.read_text(encoding="utf-8") if p.exists() else None
        if new != old:
            p.write_text(new, encoding="utf-8")
        print(f"{p}: {'updated' if new != old else 'already up to date'}")
        return 0
    if argv[:1] == ["list"]:
        print(course_table().to_string(index=False))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
