"""The course's two languages: one message catalogue, one switch.

Every string casekit shows a reader (printed results, table headers, chart
titles and axis labels, widget labels) comes from the message catalogue in
``casekit/content/messages/*.toml``, which has English (``en``) and Chinese
(``zh``) text for each key. A notebook chooses its language once, in its first
code cell::

    import casekit
    casekit.set_language("zh")

and from then on both editions make the same casekit calls; only the text
differs. The glossary (``casekit/content/glossary.toml`` plus each case's
``[[glossary]]`` entries) fixes the Chinese for every key term, for both
editions and the tests that keep them in step.

Catalogue files are TOML; a key is the dotted path of its table, its leaf has
``en`` and ``zh``::

    [hotel.refunds_line]
    en = "Room revenue: {revenue}; refunds: {refunds}"
    zh = "客房收入：{revenue}；退款：{refunds}"

Keys are global (the file name only groups them); one key in two files is an
error. Placeholders are ``str.format`` fields and must be the same in both
languages (tests/test_i18n.py checks it).

Command line::

    python -m casekit.i18n check      # every key has both languages
    python -m casekit.i18n keys hotel # list the keys under a prefix
"""

from __future__ import annotations

import functools
import os
import string
import sys
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

from . import _toml
from ._checks import check_choice, check_str

__all__ = [
    "LANGUAGES",
    "LANG_ENV",
    "set_language",
    "get_language",
    "language",
    "t",
    "say",
    "labels",
    "pick",
    "has",
    "catalogue",
    "Term",
    "glossary",
    "term",
]

LANGUAGES = ("en", "zh")
LANG_ENV = "CASEKIT_LANG"
"""Environment variable that sets the starting language (``en`` or ``zh``);
a notebook's ``set_language`` call overrides it."""


def _initial() -> str:
    value = os.environ.get(LANG_ENV, "").strip().lower()
    return "zh" if value.startswith("zh") else "en"


_state = {"lang": _initial()}


def set_language(lang: str) -> str:
    """Choose the language of everything casekit shows from now on:
    ``"en"`` (English) or ``"zh"`` (简体中文). Returns the language.

    Call it once, at the top of a notebook. It also sets the charts' fonts so
    that Chinese text is drawn (see :func:`casekit.plotting.cjk_font`)."""
    check_choice("lang", lang, LANGUAGES)
    _state["lang"] = lang
    if lang == "zh":
        from . import plotting  # noqa: PLC0415 (plotting imports matplotlib)

        plotting.cjk_font(announce=True)
    return lang


def get_language() -> str:
    """The current language, ``"en"`` or ``"zh"``."""
    return _state["lang"]


class language:
    """Context manager: use another language inside a ``with`` block.

    >>> with language("zh"):
    ...     t("common.yes")
    '是'
    """

    def __init__(self, lang: str):
        check_choice("lang", lang, LANGUAGES)
        self.lang = lang
        self._old = None

    def __enter__(self):
        self._old = _state["lang"]
        _state["lang"] = self.lang
        return self.lang

    def __exit__(self, *exc):
        _state["lang"] = self._old
        return False


# --------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------

def _is_leaf(node) -> bool:
    return isinstance(node, dict) and bool(node) and set(node) <= set(LANGUAGES) and all(
        isinstance(v, str) for v in node.values())


def _flatten(node: dict, prefix: str, where: str, out: dict, origin: dict) -> None:
    for name, value in node.items():
        key = f"{prefix}.{name}" if prefix else name
        if _is_leaf(value):
            if key in out:
                raise ValueError(f"message key {key!r} is defined twice: in {origin[key]} and in {where}")
            out[key] = dict(value)
            origin[key] = where
        elif isinstance(value, dict):
            _flatten(value, key, where, out, origin)
        else:
            raise ValueError(f"{where}: message {key!r} must be a table with `en` and `zh` text, got {value!r:.80}")


@functools.cache
def catalogue() -> Mapping[str, dict]:
    """Every message: key → ``{"en": ..., "zh": ...}`` (read once)."""
    out: dict = {}
    origin: dict = {}
    folder = resources.files("casekit.content").joinpath("messages")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            where = f"casekit/content/messages/{entry.name}"
            raw = _toml.read(entry, where)
            _flatten(raw, "", where, out, origin)
    return out


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return check_str("key", key) in catalogue()


def fields(text: str) -> list[str]:
    """The named placeholders of a message, in order of first use."""
    names = []
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            base = name.split(".")[0].split("[")[0]
            if base and base not in names:
                names.append(base)
    return names


def t(key: str, /, **values) -> str:
    """The message ``key`` in the current language, with ``values`` filled in.

    >>> with language("en"):
    ...     t("common.n_of_total", n=3, total=4)
    '3 of 4'
    """
    check_str("key", key)
    entry = catalogue().get(key)
    if entry is None:
        close = [k for k in catalogue() if k.split(".")[0] == key.split(".")[0]][:5]
        hint = f"; keys with that prefix include {close}" if close else ""
        raise ValueError(f"`key` must name a message of casekit/content/messages/*.toml, got {key!r:.80} "
                         f"(no message {key!r:.80}){hint}")
    lang = get_language()
    text = entry.get(lang) or entry.get("en", "")
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError) as exc:
        raise ValueError(f"message {key!r} ({lang}) needs the value {exc}; got {sorted(values)}") from None


def labels(prefix: str, names) -> dict:
    """``{name: t(prefix + "." + name)}`` for each name: the reader's labels
    of a table's columns or rows, e.g. ``labels("hotel.designs", df.columns)``."""
    check_str("prefix", prefix)
    if isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
        raise TypeError(f"`names` must be a list of column or row names, got {names!r:.80}")
    return {name: t(f"{prefix}.{name}") for name in names}


def say(key: str, /, **values) -> None:
    """Print the message ``key`` (a notebook's printed result)."""
    print(t(key, **values))


def pick(text) -> str:
    """The current language's version of a bilingual text: a registry
    ``Text``, a dict with ``en``/``zh``, or a catalogue key."""
    lang = get_language()
    if hasattr(text, "get") and hasattr(text, "en") and hasattr(text, "zh"):
        return text.get(lang)
    if isinstance(text, Mapping):
        if not set(text) & set(LANGUAGES):
            raise ValueError(f"`text` must have `en` or `zh`, got keys {sorted(text)[:5]}")
        return text.get(lang) or text.get("en", "")
    if isinstance(text, str):
        if not has(text):
            raise ValueError(f"`text` must be a bilingual text, a dict with en/zh or a message key, got {text!r:.80}")
        return t(text)
    raise TypeError(f"`text` must be a bilingual text, a dict with en/zh or a message key, got {type(text).__name__}")


# --------------------------------------------------------------------------
# The glossary
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A key term: its English, its Chinese, and where it is defined."""

    en: str
    zh: str
    case: str = ""
    also: tuple[str, ...] = ()
    """Other accepted Chinese forms (e.g. an abbreviation)."""

    def get(self, lang: str = "en") -> str:
        check_choice("lang", lang, LANGUAGES)
        return self.zh if lang == "zh" else self.en


def _terms(raw, where: str, case: str) -> list[Term]:
    out = []
    for i, item in enumerate(raw or []):
        if not isinstance(item, dict) or not isinstance(item.get("en"), str) or not isinstance(item.get("zh"), str):
            raise ValueError(f"{where}: glossary entry {i} must have `en` and `zh` text, got {item!r:.80}")
        if not item["en"].strip() or not item["zh"].strip():
            raise ValueError(f"{where}: glossary entry {i} has an empty `en` or `zh`: {item!r:.80}")
        also = item.get("also", [])
        if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
            raise ValueError(f"{where}: glossary entry {item['en']!r}: `also` must be a list of text")
        out.append(Term(item["en"].strip(), item["zh"].strip(), case, tuple(also)))
    return out


@functools.cache
def glossary() -> tuple[Term, ...]:
    """Every key term of the course: the shared glossary
    (``content/glossary.toml``) and each case's ``[[glossary]]`` entries.
    One English term has one Chinese term across the course."""
    return _glossary_from(resources.files("casekit.content"))


def _glossary_from(folder) -> tuple[Term, ...]:
    terms: list[Term] = []
    shared = folder.joinpath("glossary.toml")
    terms += _terms(_toml.read(shared, "casekit/content/glossary.toml").get("terms"), "glossary.toml", "")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.name != "glossary.toml":
            raw = _toml.read(entry, f"casekit/content/{entry.name}")
            terms += _terms(raw.get("glossary"), entry.name, entry.name[:-5])
    seen: dict[str, Term] = {}
    for term_ in terms:
        key = term_.en.lower()
        if key in seen and seen[key].zh != term_.zh:
            raise ValueError(f"glossary: {term_.en!r} is {seen[key].zh!r} in {seen[key].case or 'glossary.toml'} "
                             f"but {term_.zh!r} in {term_.case or 'glossary.toml'}; one term, one translation")
        seen.setdefault(key, term_)
    return tuple(seen.values())


def term(en: str) -> str:
    """The glossary's term for ``en`` in the current language."""
    check_str("en", en)
    for item in glossary():
        if item.en.lower() == en.lower():
            return item.get(get_language())
    raise ValueError(f"`en` must be a term of the glossary (casekit/content/glossary.toml or a case's "
                     f"[[glossary]]), got {en!r:.80}")


def problems() -> list[str]:
    """What is wrong with the catalogue: a key without a language, or whose
    two languages use different placeholders."""
    out = []
    for key, entry in catalogue().items():
        for lang in LANGUAGES:
            if not entry.get(lang, "").strip():
                out.append(f"{key}: no {lang} text")
        if all(entry.get(lang) for lang in LANGUAGES):
            en, zh = set(fields(entry["en"])), set(fields(entry["zh"]))
            if en != zh:
                out.append(f"{key}: placeholders differ: en {sorted(en)} zh {sorted(zh)}")
    return out


def _main(argv) -> int:
    if argv[:1] == ["check"]:
        found = problems()
        for line in found:
            print(line)
        print(f"{len(catalogue())} messages, {len(glossary())} glossary terms, {len(found)} problems")
        return 1 if found else 0
    if argv[:1] == ["keys"]:
        prefix = argv[1] if len(argv) > 1 else ""
        for key in catalogue():
            if key.startswith(prefix):
                print(key)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
