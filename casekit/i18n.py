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

Twin stamps: each markdown cell of a Chinese notebook records, in its
metadata, a short hash of its English twin's source (the cell at the same
position of ``notebooks/<name>.ipynb``). After updating a translation, stamp
it; a test fails while an English cell has changed since its Chinese twin was
stamped, so prose cannot drift apart unnoticed::

    "metadata": {"i18n": {"en_source": "3f2a9c01d4e7"}}

Command line::

    python -m casekit.i18n check      # every key has both languages
    python -m casekit.i18n keys hotel # list the keys under a prefix
    python -m casekit.i18n stamp [notebooks/zh/NN_case.ipynb ...]
                                      # after updating a translation (metadata
                                      # only; default: every Chinese notebook)
"""

from __future__ import annotations

import functools
import hashlib
import os
import string
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping

from . import _toml
from ._checks import check_choice, check_path, check_str

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
    "STAMP_KEY",
    "source_hash",
    "english_twin",
    "stale_stamps",
    "stamp",
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


# --------------------------------------------------------------------------
# Twin stamps: a Chinese markdown cell records which English text it translates
# --------------------------------------------------------------------------

STAMP_KEY = "i18n"
"""Cell metadata key of a twin stamp: ``{"en_source": <source_hash>}``."""

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def source_hash(source) -> str:
    """A short hash (12 hex digits of SHA-256) of a cell's source; trailing
    spaces and blank lines at either end do not count."""
    text = "".join(source) if isinstance(source, list) else str(source)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_twin(path) -> Path:
    """``notebooks/zh/X.ipynb`` → ``notebooks/X.ipynb`` (an English path is
    returned as it is)."""
    p = check_path("path", path, suffixes=(".ipynb",), must_exist=False)
    return p.parent.parent / p.name if p.parent.name == "zh" else p


def _chinese(path) -> Path:
    p = check_path("path", path, suffixes=(".ipynb",), must_exist=False)
    return p if p.parent.name == "zh" else p.parent / "zh" / p.name


def _twin_paths(path) -> tuple[Path, Path]:
    """(English, Chinese) notebook of ``path`` (either edition); both must exist."""
    zh = _chinese(path)
    en = english_twin(zh)
    for p in (en, zh):
        check_path("path", p, suffixes=(".ipynb",))
    return en, zh


def _read_cells(path: Path) -> list:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"`path` must be a notebook (.ipynb JSON with cells), got {str(path)!r:.120} "
                         f"({type(exc).__name__})") from None


def _pairs(en_cells, zh_cells, name: str) -> list[tuple[int, dict, dict]]:
    """The markdown twins (index, English cell, Chinese cell), paired by
    position, as the parity tests pair code cells."""
    types = ([c["cell_type"] for c in en_cells], [c["cell_type"] for c in zh_cells])
    if types[0] != types[1]:
        at = next((i for i, (a, b) in enumerate(zip(*types)) if a != b), min(map(len, types)))
        raise ValueError(f"{name}: the two editions' cells do not pair up ({len(types[0])} cells in English, "
                         f"{len(types[1])} in Chinese; first difference at cell {at}); add or remove the "
                         f"same cells in both")
    return [(i, a, b) for i, (a, b) in enumerate(zip(en_cells, zh_cells)) if a["cell_type"] == "markdown"]


def stale_stamps(path) -> list[str]:
    """The markdown cells of a Chinese notebook whose English twin changed
    since it was stamped (or that were never stamped), one line each."""
    en, zh = _twin_paths(path)
    en_cells, zh_cells = _read_cells(en), _read_cells(zh)
    out = []
    for i, a, b in _pairs(en_cells, zh_cells, f"notebooks/zh/{zh.name}"):
        stamp = b.get("metadata", {}).get(STAMP_KEY, {}).get("en_source")
        if stamp != source_hash(a["source"]):
            text = "".join(a["source"]) if isinstance(a["source"], list) else a["source"]
            first = text.strip().splitlines()[:1]
            what = "never stamped" if stamp is None else "English changed since the translation was stamped"
            out.append(f"notebooks/zh/{zh.name} cell {i} (id {b.get('id', '?')}): {what}; English now begins "
                       f"{(first[0] if first else '')[:60]!r}")
    return out


def stamp(path) -> int:
    """Stamp every markdown cell of a Chinese notebook with the hash of its
    English twin's source (run it after updating the translation). Only cell
    metadata changes. Returns how many stamps changed."""
    import nbformat

    en, zh = _twin_paths(path)
    _read_cells(en), _read_cells(zh)  # a clear error for a file that is not a notebook
    nb_en = nbformat.read(en, as_version=4)
    nb_zh = nbformat.read(zh, as_version=4)
    changed = 0
    for _, a, b in _pairs(nb_en.cells, nb_zh.cells, f"notebooks/zh/{zh.name}"):
        value = {"en_source": source_hash(a.source)}
        if b.metadata.get(STAMP_KEY) != value:
            b.metadata[STAMP_KEY] = value
            changed += 1
    if changed:
        nbformat.write(nb_zh, zh)
    return changed


def _main(argv) -> int:
    if argv[:1] == ["check"]:
        found = problems()
        for line in found:
            print(line)
        print(f"{len(catalogue())} messages, {len(glossary())} glossary terms, {len(found)} problems")
        return 1 if found else 0
    if argv[:1] == ["stamp"]:
        paths = argv[1:] or sorted(str(p) for p in (NOTEBOOKS / "zh").glob("*.ipynb"))
        for p in paths:
            try:
                n = stamp(p)
            except (ValueError, TypeError, FileNotFoundError) as exc:
                print(f"{p}: {exc}", file=sys.stderr)
                return 2
            print(f"{_chinese(p)}: {n} stamp{'s' if n != 1 else ''} written")
        return 0
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
