"""The two editions (English and 中文) cannot drift apart.

* the message catalogue: every key in both languages, the same placeholders,
  every key casekit or a notebook uses exists;
* every English notebook and teaching note has its Chinese counterpart;
* parity: a Chinese notebook makes the same casekit calls in the same order
  as its English twin (its code cells are identical but for the language
  switch), and each cell prints the same figures;
* the glossary: where the English uses a key term, the Chinese uses the
  glossary's Chinese term;
* the Chinese edition has no English sentences outside code and citations;
* charts draw Chinese with an installed font, and a character no font has is
  an error in the tests, never a tofu box.
"""

import ast
import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casekit import datasets, i18n, plotting

ROOT = Path(__file__).resolve().parent.parent
EN_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ZH_DIR = ROOT / "notebooks" / "zh"
EN_NOTES = sorted((ROOT / "exercises" / "teaching_notes").glob("*.md"))
ZH_NOTES_DIR = ROOT / "exercises" / "teaching_notes" / "zh"
MASTERS = sorted((ROOT / "exercises" / "source").glob("*/*.ipynb"))
LANG_CALL = re.compile(r"""set_language\(\s*["'](en|zh)["']\s*\)""")

# Cells whose output is registry or data-dictionary text, not computed
# figures (their words differ between editions by design).
TEXT_CELLS = ("widgets.discussion(", "polls.poll(", "show_objectives(", "show_references(", "datasets.describe(",
              "course_table(")


def _rel(p):
    return str(Path(p).relative_to(ROOT))


def _cells(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def _src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


# --------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------

def test_every_message_has_both_languages_and_the_same_placeholders():
    assert i18n.catalogue(), "the message catalogue is empty"
    assert i18n.problems() == []


def test_a_missing_language_is_found(monkeypatch):
    """The check above can fail: a key without Chinese is reported."""
    fake = {"x.only_english": {"en": "Hello {name}"}, "x.differs": {"en": "{a}", "zh": "{b}"}}
    monkeypatch.setattr(i18n, "catalogue", lambda: fake)
    found = i18n.problems()
    assert "x.only_english: no zh text" in found
    assert any(p.startswith("x.differs: placeholders differ") for p in found)


def _used_keys():
    """Literal keys passed to t / say / labels / pick in casekit and the notebooks."""
    call = re.compile(r"""\b(?:t|say|pick)\(\s*["']([a-z_][\w.]*)["']""")
    used = collections.defaultdict(set)
    for p in sorted((ROOT / "casekit").rglob("*.py")):
        for key in call.findall(p.read_text(encoding="utf-8")):
            used[key].add(_rel(p))
    for p in EN_NOTEBOOKS + sorted(ZH_DIR.glob("*.ipynb")):
        for c in _cells(p):
            if c["cell_type"] == "code":
                for key in call.findall(_src(c)):
                    used[key].add(_rel(p))
    return used


def test_every_key_used_exists():
    used = _used_keys()
    assert used, "no message key found in casekit: the scan is broken"
    missing = {k: sorted(v) for k, v in used.items() if "." in k and not i18n.has(k)}
    assert not missing, f"keys used but not in casekit/content/messages: {missing}"


# Modules whose output a student or a presenting teacher reads. (Developer
# tools such as bench, grading and site print English status lines.)
READER_MODULES = ("answers", "customers", "dell", "formatting", "haidilao", "haier", "hotel", "ikea",
                  "metrics", "plotting", "present", "sensitivity", "toolkit", "widgets")


def _hard_coded_prose(source: str, *, chinese: bool) -> list[str]:
    """print() of a literal sentence; with ``chinese``, any Chinese string
    literal outside docstrings (a message written into the code)."""
    tree = ast.parse(source)
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print" and node.args \
                and isinstance(node.args[0], (ast.Constant, ast.JoinedStr)):
            text = ast.unparse(node.args[0])
            if re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}|[\u4e00-\u9fff]", text):
                found.append(f"line {node.lineno}: print({text[:60]})")
        if chinese and isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                and re.search(r"[\u4e00-\u9fff]", node.value):
            found.append(f"line {node.lineno}: {node.value[:60]!r}")
    return found


@pytest.mark.parametrize("name", READER_MODULES)
def test_reader_facing_modules_print_only_catalogue_messages(name):
    """A sentence a reader sees is a catalogue message (i18n.t / say), not a
    literal in the module; plotting and present hold no Chinese literal."""
    source = (ROOT / "casekit" / f"{name}.py").read_text(encoding="utf-8")
    found = _hard_coded_prose(source, chinese=name in ("plotting", "present"))
    assert not found, f"casekit/{name}.py shows text outside the message catalogue: {found}"


def test_the_prose_scan_can_fail():
    assert _hard_coded_prose('print("Presenting the case now")', chinese=False)
    assert _hard_coded_prose('HINT = "请安装中文字体"', chinese=True)
    assert not _hard_coded_prose('def f():\n    """中文 docstring."""\n    print(t("x.y"))', chinese=True)


def test_t_names_the_missing_key_and_the_language_switch_works():
    with pytest.raises(ValueError, match="`key` must name a message.*no message 'common.nope'"):
        i18n.t("common.nope")
    with i18n.language("zh"):
        assert i18n.t("common.yes") == "是"
    with i18n.language("en"):
        assert i18n.t("common.yes") == "yes"
    with pytest.raises(ValueError, match="`lang` must be one of"):
        i18n.set_language("fr")


def test_every_dataset_column_has_a_chinese_description():
    missing = [f"datasets.{name}.{col}" for name in datasets.all_datasets()
               for col in datasets.get(name).columns if not i18n.has(f"datasets.{name}.{col}")]
    assert not missing, f"data dictionary entries without a catalogue key: {missing[:20]}"


def test_chinese_data_dictionary_is_chinese():
    name = next(iter(datasets.all_datasets()))
    with i18n.language("zh"):
        table = datasets.describe(name)
    assert list(table.columns) == ["列名", "类型", "含义（单位）"]
    assert all(re.search(r"[\u4e00-\u9fff]", d) for d in table.iloc[:, 2]), table


# --------------------------------------------------------------------------
# Both editions exist
# --------------------------------------------------------------------------

@pytest.mark.parametrize("path", EN_NOTEBOOKS, ids=_rel)
def test_every_notebook_has_a_chinese_twin(path):
    assert (ZH_DIR / path.name).exists(), f"no Chinese edition of {path.name} in notebooks/zh/"


@pytest.mark.parametrize("path", EN_NOTES, ids=_rel)
def test_every_teaching_note_has_a_chinese_twin(path):
    assert (ZH_NOTES_DIR / path.name).exists(), f"no Chinese teaching note for {path.name}"


@pytest.mark.parametrize("path", MASTERS, ids=_rel)
def test_exercise_instructions_are_bilingual(path):
    """Every instruction cell with English prose carries its Chinese too."""
    for i, c in enumerate(_cells(path)):
        if c["cell_type"] != "markdown" or "BEGIN SOLUTION" in _src(c):  # model answers: instructors only
            continue
        text = re.sub(r"`[^`]*`", "", _src(c))
        english = len(re.findall(r"[A-Za-z]{2,}", text))
        chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
        if english >= 6:
            assert chinese >= 6, f"{path.name} cell {i}: instructions in English only: {text[:120]!r}"


# --------------------------------------------------------------------------
# Parity: same calls, same figures
# --------------------------------------------------------------------------

PAIRS = [(p, ZH_DIR / p.name) for p in EN_NOTEBOOKS if (ZH_DIR / p.name).exists()]


def _code_cells(path):
    return [_src(c) for c in _cells(path) if c["cell_type"] == "code"]


@pytest.mark.parametrize("en,zh", PAIRS, ids=lambda p: p.name)
def test_same_casekit_calls_in_the_same_order(en, zh):
    en_code, zh_code = _code_cells(en), _code_cells(zh)
    assert LANG_CALL.findall(en_code[0]) == ["en"], f"{en.name}: the first code cell must set_language('en')"
    assert LANG_CALL.findall(zh_code[0]) == ["zh"], f"zh/{zh.name}: the first code cell must set_language('zh')"
    for cells in (en_code, zh_code):
        assert sum(len(LANG_CALL.findall(c)) for c in cells) == 1, "choose the language once per notebook"
    normal = [LANG_CALL.sub('set_language("en")', c) for c in zh_code]
    assert len(normal) == len(en_code), f"{en.name}: {len(en_code)} code cells in English, {len(normal)} in Chinese"
    for i, (a, b) in enumerate(zip(en_code, normal)):
        assert a == b, f"{en.name} code cell {i} differs between the editions:\nEN: {a[:300]}\nZH: {b[:300]}"


# A number not glued to a Latin word (q1, H2O); one right after a Chinese
# character counts ("管家365").
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[−-]?\d[\d,]*(?:\.\d+)?")


def _output_text(cell) -> str:
    parts = []
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        if "text/html" in data:
            v = data["text/html"]
            parts.append("".join(v) if isinstance(v, list) else v)
        elif "text/plain" in data:
            v = data["text/plain"]
            parts.append("".join(v) if isinstance(v, list) else v)
        if o.get("output_type") == "stream" and o.get("name") == "stdout":
            parts.append("".join(o.get("text", "")))
    text = "\n".join(parts)
    text = re.sub(r"<style>.*?</style>|<script.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def figures(text: str) -> collections.Counter:
    """The numbers in a text, as a multiset (separators removed; a minus
    before a currency, "−USD 5" or "−¥5", belongs to the number)."""
    text = re.sub(r"([−-])\s*(?:USD|EUR|SEK|¥)\s*", r"\1", text)
    return collections.Counter(n.replace(",", "").replace("−", "-") for n in _NUMBER.findall(text))


def test_figures_are_found():
    assert figures("Profit USD 1,234 (12.5%), 利润 1,234 美元 −3") == collections.Counter(
        {"1234": 2, "12.5": 1, "-3": 1})
    assert figures("−USD 7,732 and −¥5") == figures("−7,732 美元 和 -5 元")
    assert figures("全程管家365 q1") == collections.Counter({"365": 1})


@pytest.mark.parametrize("en,zh", PAIRS, ids=lambda p: p.name)
def test_each_cell_prints_the_same_figures(en, zh):
    en_cells = [c for c in _cells(en) if c["cell_type"] == "code"]
    zh_cells = [c for c in _cells(zh) if c["cell_type"] == "code"]
    assert len(en_cells) == len(zh_cells)
    compared = 0
    for i, (a, b) in enumerate(zip(en_cells, zh_cells)):
        if any(k in _src(a) for k in TEXT_CELLS):
            continue
        fa, fb = figures(_output_text(a)), figures(_output_text(b))
        assert fa == fb, (f"{en.name} code cell {i}: figures differ. Only in English: {dict(fa - fb)}; "
                          f"only in Chinese: {dict(fb - fa)}")
        images = [sum("image/png" in o.get("data", {}) for o in c.get("outputs", [])) for c in (a, b)]
        assert images[0] == images[1], f"{en.name} code cell {i}: {images[0]} charts in English, {images[1]} in Chinese"
        compared += bool(fa)
    assert compared, f"{en.name}: no cell printed a figure; nothing was compared"


# --------------------------------------------------------------------------
# Glossary
# --------------------------------------------------------------------------

def _markdown(path) -> str:
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    return "\n".join(_src(c) for c in _cells(path) if c["cell_type"] == "markdown")


def test_glossary_has_the_course_terms():
    terms = {t.en.lower(): t for t in i18n.glossary()}
    for en, zh in [("customer lifetime value", "顾客终身价值"), ("service recovery", "服务补救"),
                   ("common random numbers", "共同随机数"), ("build to order", "按订单生产")]:
        assert terms[en].zh == zh


def test_one_english_term_has_one_chinese_term(tmp_path):
    """Two translations of one term are refused (the check can fail)."""
    (tmp_path / "glossary.toml").write_text('[[terms]]\nen = "service recovery"\nzh = "服务补救"\n', encoding="utf-8")
    (tmp_path / "x.toml").write_text('[[glossary]]\nen = "Service Recovery"\nzh = "服务恢复"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="one term, one translation"):
        i18n._glossary_from(tmp_path)
    (tmp_path / "x.toml").write_text('[[glossary]]\nen = "service recovery"\nzh = "服务补救"\n', encoding="utf-8")
    assert [t.zh for t in i18n._glossary_from(tmp_path)] == ["服务补救"]


TEXT_PAIRS = PAIRS + [(p, ZH_NOTES_DIR / p.name) for p in EN_NOTES if (ZH_NOTES_DIR / p.name).exists()]


@pytest.mark.parametrize("en,zh", TEXT_PAIRS, ids=lambda p: _rel(p))
def test_chinese_edition_uses_the_glossary_terms(en, zh):
    en_text, zh_text = _markdown(en), _markdown(zh)
    missing = []
    for term in i18n.glossary():
        if re.search(r"(?<![\w-])" + re.escape(term.en) + r"(?![\w-])", en_text, re.I):
            if not any(form in zh_text for form in (term.zh, *term.also)):
                missing.append(f"{term.en} → {term.zh}")
    assert not missing, f"{_rel(zh)} lacks the glossary's Chinese for terms its English twin uses: {missing}"


# --------------------------------------------------------------------------
# No English in the Chinese edition (except code and citations)
# --------------------------------------------------------------------------

FUNCTION_WORDS = {"the", "of", "and", "is", "are", "to", "with", "for", "this", "that", "from", "by", "on",
                  "it", "be", "not", "or", "as", "an", "we", "you", "your", "our", "which", "what", "how",
                  "why", "when", "will", "can", "does", "than", "more", "each", "its", "their", "has", "have",
                  "was", "were", "but", "if", "into", "who", "would", "should", "they", "these"}


def _english_words(text: str) -> list[str]:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return [w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in FUNCTION_WORDS]


def _chinese_shown(path) -> str:
    parts = []
    for c in _cells(path):
        if c["cell_type"] == "markdown":
            parts.append(_src(c))
        elif "show_references(" not in _src(c):  # citations stay as published
            parts.append(_output_text(c))
    return "\n".join(parts)


ZH_TEXTS = sorted(ZH_DIR.glob("*.ipynb")) + sorted(ZH_NOTES_DIR.glob("*.md"))


@pytest.mark.parametrize("path", ZH_TEXTS, ids=_rel)
def test_chinese_edition_has_no_english_sentences(path):
    text = _chinese_shown(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    if path.suffix == ".md":  # a note's reference list stays as published
        text = re.split(r"\n#+\s*(参考(资料|文献)|资料来源)", text)[0]
    found = _english_words(text)
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert chinese > 500, f"{_rel(path)}: only {chinese} Chinese characters"
    assert len(found) <= 3, (f"{_rel(path)}: English words a Chinese reader meets: "
                             f"{collections.Counter(w.lower() for w in found).most_common(10)}")


def test_the_english_check_can_fail():
    assert len(_english_words("我们 think the promise is good 承诺")) == 2
    assert _english_words("用 `the_table` 和 [链接](the/of.md)") == []


# --------------------------------------------------------------------------
# Chinese in charts
# --------------------------------------------------------------------------

def test_charts_pick_an_installed_chinese_font():
    font = plotting.cjk_font()
    assert font in plotting.CJK_FONTS, (
        "no Chinese font installed: .ci/run installs fonts-wqy-microhei; on your machine see the README")
    with plotting.style():
        import matplotlib as mpl
        assert font in mpl.rcParams["font.family"]


def test_without_a_chinese_font_one_line_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(plotting, "_installed_families", lambda: frozenset({"DejaVu Sans"}))
    monkeypatch.setitem(plotting._announced, "done", False)
    with i18n.language("zh"):  # set_language("zh") announces after switching
        assert plotting.cjk_font(announce=True) is None
        assert plotting.cjk_font(announce=True) is None  # said once only
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "fonts-noto-cjk" in out[0] and "中文字体" in out[0]
    with i18n.language("en"):
        assert "fonts-noto-cjk" in plotting.install_hint() and "Chinese font" in plotting.install_hint()


_DRAW = """
import matplotlib
matplotlib.use("Agg")
from casekit import plotting
fig, ax = plotting.new_axes((3, 2))
ax.set_title({text!r})
fig.savefig({out!r})
print("drawn")
"""


@pytest.mark.parametrize("text,ok", [("海底捞 服务补救 −5%", True), ("\ue000\ue001", False)])
def test_strict_glyph_mode_fails_on_a_missing_glyph(tmp_path, text, ok):
    """Chinese draws cleanly; a character no font has is an error under
    CASEKIT_STRICT_GLYPHS=1 (set for every kernel the tests start)."""
    env = {**os.environ, "CASEKIT_STRICT_GLYPHS": "1", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", _DRAW.format(text=text, out=str(tmp_path / "c.png"))],
                         env=env, capture_output=True, text=True, timeout=120)
    if ok:
        assert run.returncode == 0 and "drawn" in run.stdout, run.stderr[-500:]
    else:
        assert run.returncode != 0 and "missing from" in run.stderr, run.stderr[-500:]


def _heading_levels(path) -> list[int]:
    text = _markdown(path)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", text, re.M)]


@pytest.mark.parametrize("en,zh", TEXT_PAIRS, ids=lambda p: _rel(p))
def test_both_editions_have_the_same_sections(en, zh):
    """The same outline (heading levels in order): no section left out of
    either edition."""
    a, b = _heading_levels(en), _heading_levels(zh)
    assert a and a == b, f"{_rel(en)} has headings {a}, {_rel(zh)} has {b}"


@pytest.mark.parametrize("en,zh", [(p, ZH_NOTES_DIR / p.name) for p in EN_NOTES if (ZH_NOTES_DIR / p.name).exists()],
                         ids=lambda p: _rel(p))
def test_both_teaching_notes_carry_the_same_checked_figures(en, zh):
    """Every figure marker of the English note is in the Chinese one (each
    case's tests compare the marked figures with the model)."""
    marker = re.compile(r"<!--\s*fig:([\w.]+)")
    assert sorted(marker.findall(en.read_text(encoding="utf-8"))) == sorted(
        marker.findall(zh.read_text(encoding="utf-8")))
