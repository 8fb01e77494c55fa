"""Plain English for readers in a second language: sentence lengths.

The course is read by business students whose first language is often not
English. Its house rule: an average of at most 18 words per sentence in every
notebook's prose and every teaching note, and no sentence over 35 words.
Tables, code, headings' anchors, HTML tags, maths and Chinese text are not
counted.

Command line::

    python -m casekit.readability notebooks/01_dell.ipynb exercises/teaching_notes/dell.md

prints, per file, the number of sentences, the average length and every
sentence over the limit.

Chinese prose (a file in a ``zh`` folder, or ``lang="zh"``) has its own
rule, counted in characters (汉字; an English word or a number counts as
one): an average of at most 40 per sentence, none over 90. A Chinese
sentence ends at 。！？ or at the end of a paragraph or list item.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ._checks import check_int, check_path, check_str

__all__ = ["AVERAGE_LIMIT", "LONGEST_LIMIT", "ZH_AVERAGE_LIMIT", "ZH_LONGEST_LIMIT", "Report", "ZhReport",
           "sentences", "words", "measure", "measure_file", "prose_of", "zh_sentences", "zh_length", "measure_zh",
           "language_of"]

AVERAGE_LIMIT = 18
LONGEST_LIMIT = 35
ZH_AVERAGE_LIMIT = 40
ZH_LONGEST_LIMIT = 90

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,%-]*")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# A sentence ends at . ! ? (optionally followed by a closing quote or
# bracket) before white space, and at the end of a line item.
_END = re.compile(r"(?<=[.!?])[\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_]*[A-Z0-9])")


@dataclass
class Report:
    """Sentence statistics of a text."""

    sentences: list[str]

    average_limit = AVERAGE_LIMIT
    longest_limit = LONGEST_LIMIT

    @staticmethod
    def length(sentence: str) -> int:
        """A sentence's length: its English words."""
        return len(words(sentence))

    @property
    def lengths(self) -> list[int]:
        return [self.length(s) for s in self.sentences]

    @property
    def average(self) -> float:
        n = self.lengths
        return sum(n) / len(n) if n else 0.0

    @property
    def longest(self) -> int:
        return max(self.lengths, default=0)

    def __post_init__(self):
        if isinstance(self.sentences, (str, bytes)) or not isinstance(self.sentences, (list, tuple)):
            raise TypeError(f"`sentences` must be a list of sentences (text), got {self.sentences!r:.80} "
                            f"({type(self.sentences).__name__})")
        for i, s in enumerate(self.sentences):
            check_str(f"sentences[{i}]", s, allow_empty=True)

    def too_long(self, limit: int | None = None) -> list[str]:
        limit = self.longest_limit if limit is None else check_int("limit", limit, low=0)
        return [s for s in self.sentences if self.length(s) > limit]

    def ok(self) -> bool:
        return self.average <= self.average_limit and self.longest <= self.longest_limit


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZH_END = re.compile(r"(?<=[。！？])[”’）」』*_]*")


def zh_length(sentence: str) -> int:
    """Length of a Chinese sentence: its Chinese characters plus its English
    words and numbers (each counts as one)."""
    check_str("sentence", sentence, allow_empty=True)
    return len(_HAN.findall(sentence)) + len(_WORD.findall(_CJK.sub(" ", sentence)))


def zh_sentences(text: str) -> list[str]:
    """Split Chinese Markdown prose into sentences (at 。！？ and at the end
    of each paragraph or list item); parts without Chinese are dropped."""
    check_str("text", text, allow_empty=True)
    out = []
    for block in _clean_block(text):
        for part in _ZH_END.split(block):
            part = part.strip()
            if _HAN.search(part):
                out.append(part)
    return out


class ZhReport(Report):
    """Sentence statistics of a Chinese text (lengths in characters)."""

    average_limit = ZH_AVERAGE_LIMIT
    longest_limit = ZH_LONGEST_LIMIT

    @staticmethod
    def length(sentence: str) -> int:
        return zh_length(sentence)


def measure_zh(text: str) -> ZhReport:
    """Sentence statistics of Chinese Markdown prose."""
    check_str("text", text, allow_empty=True)
    return ZhReport(zh_sentences(text))


def language_of(path) -> str:
    """``"zh"`` for a file in a ``zh`` folder (the Chinese edition), else ``"en"``."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"`path` must be a file path (text or Path), got {path!r:.80} ({type(path).__name__})")
    return "zh" if "zh" in Path(path).parts[:-1] else "en"


def words(sentence: str) -> list[str]:
    """The English words of a sentence (numbers count as words; Chinese text does not)."""
    check_str("sentence", sentence, allow_empty=True)
    return _WORD.findall(_CJK.sub(" ", sentence))


def _clean_block(text: str) -> list[str]:
    """Prose lines of a Markdown text: no code blocks, tables, HTML tags,
    maths, link targets; one entry per paragraph or list item."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\\\(.*?\\\)", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: keep the words
    text = re.sub(r"`[^`]*`", "code", text)  # inline code counts as one word
    blocks, current = [], []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("|") or s.startswith("#") or set(s) <= set("-=*_ "):
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        if re.match(r"^([*+-]|\d+[.)])\s+", s):  # a list item starts a new block
            if current:
                blocks.append(" ".join(current))
            current = [re.sub(r"^([*+-]|\d+[.)])\s+", "", s)]
            continue
        current.append(s)
    if current:
        blocks.append(" ".join(current))
    return blocks


def sentences(text: str) -> list[str]:
    """Split Markdown prose into sentences (list items and paragraphs end
    sentences too). Sentences without English words are dropped."""
    check_str("text", text, allow_empty=True)
    out = []
    for block in _clean_block(text):
        for part in _END.split(block):
            part = part.strip()
            if words(part):
                out.append(part)
    return out


def measure(text: str) -> Report:
    """Sentence statistics of Markdown prose."""
    check_str("text", text, allow_empty=True)
    return Report(sentences(text))


def prose_of(path, lang: str = "en") -> str:
    """The prose of a file: Markdown cells of a notebook, a Markdown file as
    it is, or the worked answers of a registry TOML in ``lang``."""
    p = check_path("path", path)
    if lang not in ("en", "zh"):
        raise ValueError(f"`lang` must be 'en' or 'zh', got {lang!r:.40}")
    try:
        return _prose(p, lang)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # bad JSON, TOML or UTF-8; a broken notebook
        raise ValueError(f"`path` must be a readable notebook, TOML or text file; "
                         f"{str(p)!r:.120} could not be read: {type(exc).__name__}: {str(exc)[:120]}") from None


def _prose(p: Path, lang: str = "en") -> str:
    if p.suffix == ".ipynb":
        nb = json.loads(p.read_text(encoding="utf-8"))
        return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    if p.suffix == ".toml":
        import tomllib

        raw = tomllib.loads(p.read_text(encoding="utf-8"))
        parts = []
        for q in raw.get("questions", []):
            if isinstance(q.get("worked"), dict):
                parts.append(q["worked"].get(lang, ""))
        return "\n\n".join(parts)
    return p.read_text(encoding="utf-8")


def measure_file(path, lang: str | None = None):
    """Sentence statistics of a file's prose (see :func:`prose_of`): a
    :class:`Report` in English, a :class:`ZhReport` in Chinese. ``lang``
    defaults to :func:`language_of` the path."""
    lang = language_of(path) if lang is None else lang
    if not isinstance(lang, str) or lang not in ("en", "zh"):
        raise ValueError(f"`lang` must be 'en' or 'zh', got {lang!r:.40}")
    if lang == "zh":
        return measure_zh(prose_of(path, "zh"))
    return measure(prose_of(path, "en"))


def _main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    bad = 0
    for arg in argv:
        lang = "zh" if arg.startswith("--zh=") else None
        arg = arg.removeprefix("--zh=")
        r = measure_file(arg, lang)
        flag = "ok" if r.ok() else "TOO LONG"
        if isinstance(r, ZhReport):
            print(f"{arg}: {len(r.sentences)} 句, average {r.average:.1f} 字 "
                  f"(limit {ZH_AVERAGE_LIMIT}), longest {r.longest} (limit {ZH_LONGEST_LIMIT}) — {flag}")
            for s in r.too_long():
                print(f"   {zh_length(s)} 字: {s[:120]}{'…' if len(s) > 120 else ''}")
        else:
            print(f"{arg}: {len(r.sentences)} sentences, average {r.average:.1f} words "
                  f"(limit {AVERAGE_LIMIT}), longest {r.longest} (limit {LONGEST_LIMIT}) — {flag}")
            for s in r.too_long():
                print(f"   {len(words(s))} words: {s[:160]}{'…' if len(s) > 160 else ''}")
        bad += not r.ok()
    return 1 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
