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
* the exercise sets: instructions, tables and model answers in full Chinese
  too, menus named as the Chinese JupyterLab names them;
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
    """Literal keys passed to t / say / labels / pick in casekit, the notebooks and the exercise masters."""
    call = re.compile(r"""\b(?:t|say|pick)\(\s*["']([a-z_][\w.]*)["']""")
    used = collections.defaultdict(set)
    for p in sorted((ROOT / "casekit").rglob("*.py")):
        for key in call.findall(p.read_text(encoding="utf-8")):
            used[key].add(_rel(p))
    for p in EN_NOTEBOOKS + sorted(ZH_DIR.glob("*.ipynb")) + MASTERS:
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


# Chinese characters per English word in an exercise set's instructions. The
# hotel and ikea sets, written in full in both languages, measure 1.45 to 2.33
# a cell; a Chinese summary of the English measures 0.3 to 1.3 (haidilao's
# question 1 before issue 16: 40 characters for 116 words, 0.34).
ZH_PER_EN_WORD = 1.3
_EN_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _volumes(markdown: str) -> tuple[int, int]:
    """(English words, Chinese characters) of a markdown cell's prose.
    Headings (bilingual titles), tables (tested apart) and `code` are left
    out; a line counts as Chinese when it has more Chinese characters than
    English words (a Chinese line naming `SQL` or an English line naming 顾客保留率)."""
    en = zh = 0
    for line in markdown.splitlines():
        line = re.sub(r"`[^`]*`", "", line).strip()
        if line.startswith(("#", "|")):
            continue
        words, chars = len(_EN_WORD.findall(line)), len(_CJK.findall(line))
        if chars > words:
            zh += chars
        else:
            en += words
    return en, zh


def _too_little_chinese(markdown: str) -> str | None:
    en, zh = _volumes(markdown)
    if en >= 6 and zh < ZH_PER_EN_WORD * en:
        return f"{zh} Chinese characters for {en} English words (at least {ZH_PER_EN_WORD:g} a word)"
    return None


@pytest.mark.parametrize("path", MASTERS, ids=_rel)
def test_exercise_instructions_are_in_full_chinese(path):
    """A student who reads no English can do every exercise: each instruction
    cell's Chinese is as full as its English, not a summary."""
    for i, c in enumerate(_cells(path)):
        if c["cell_type"] != "markdown" or "BEGIN SOLUTION" in _src(c):  # model answers: tested below
            continue
        problem = _too_little_chinese(_src(c))
        assert problem is None, f"{path.name} cell {i}: {problem}: {_src(c)[:120]!r}"


# haidilao's question 1 before issue 16 (exercises/source/haidilao, cell 697432fe).
OLD_HAIDILAO_Q1 = (
    "## Question 1 (3 points): will a party have to wait? · 排队等待的概率\n"
    "\n"
    "Think of a restaurant with *c* tables. Parties arrive at random, and each table serves them at a steady average pace. This is an M/M/c queue. The **offered load** *a* is the arrival rate times the time a table is taken (in \"erlangs\"). For example, 30 parties an hour that each hold a table for 100 minutes give a = 30 × 100/60 = 50.\n"
    "\n"
    "Erlang's loss formula *B* is computed step by step. Start with B = 1; then for k = 1, 2, ..., c set\n"
    "\n"
    "> **B ← a·B / (k + a·B)**\n"
    "\n"
    "The chance that an arriving party must wait (Erlang C) is then\n"
    "\n"
    "> **C = c·B / (c − a·(1 − B))**  when a < c,\n"
    "\n"
    "and 1 when a ≥ c (the queue grows without end). Erlang's formula describes a *steady* queue, so it fits the quiet hours. At the dinner peak, the notebook follows the waitlist as it builds up slot by slot.\n"
    "\n"
    "Complete `wait_probability(load, tables)` to return C. Example: with 2 erlangs on 3 tables, C = 4/9 ≈ 0.4444.\n"
    "\n"
    "请补全函数 `wait_probability(load, tables)`，按上面的步骤返回顾客需要等待的概率 C（负载不小于桌子数时返回 1）。例如 3 张桌子、2 个 erlang 时 C = 4/9 ≈ 0.4444。"
)


def test_a_chinese_summary_fails_the_volume_rule():
    """The rule above can fail: haidilao's question 1 as it was before issue
    16, its Chinese one sentence for five English paragraphs."""
    assert _too_little_chinese(OLD_HAIDILAO_Q1) == "40 Chinese characters for 116 English words (at least 1.3 a word)"
    now = next(_src(c) for c in _cells(ROOT / "exercises" / "source" / "haidilao" / "haidilao.ipynb")
               if c.get("id") == "697432fe")
    assert now.startswith(OLD_HAIDILAO_Q1.split("\n")[0]) and _too_little_chinese(now) is None


@pytest.mark.parametrize("path", MASTERS, ids=_rel)
def test_exercise_model_answers_are_in_chinese_too(path):
    """The model answers of hand-graded questions, for instructors, in both languages."""
    answers = [_src(c) for c in _cells(path) if c["cell_type"] == "markdown" and "BEGIN SOLUTION" in _src(c)]
    assert answers, f"{path.name}: no model answer found"
    for a in answers:
        answer = a.split("### BEGIN SOLUTION", 1)[1]
        assert _too_little_chinese(answer) is None, f"{path.name}: model answer: {_too_little_chinese(answer)}"


def _tables(markdown: str):
    """(header, body rows) of each markdown table: a row of cells, then a |---| line."""
    lines = markdown.splitlines()
    for i in range(len(lines) - 1):
        if lines[i].lstrip().startswith("|") and re.fullmatch(r"\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*", lines[i + 1]):
            body = []
            for line in lines[i + 2:]:
                if not line.lstrip().startswith("|"):
                    break
                body.append(line)
            yield lines[i], body


def _row_cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


@pytest.mark.parametrize("path", MASTERS, ids=_rel)
def test_exercise_tables_are_bilingual(path):
    """Every table's headers carry Chinese (a header in English only is
    followed by its Chinese column, as Meaning | 含义), and every row that
    says something in words says it in Chinese too."""
    found = 0
    for i, c in enumerate(_cells(path)):
        if c["cell_type"] != "markdown":
            continue
        for header, body in _tables(_src(c)):
            found += 1
            cells = _row_cells(header)
            for k, h in enumerate(cells):
                plain = re.sub(r"`[^`]*`", "", h)
                if _EN_WORD.search(plain) and not _CJK.search(plain):
                    assert k + 1 < len(cells) and _CJK.search(cells[k + 1]) and not _EN_WORD.search(
                        re.sub(r"`[^`]*`", "", cells[k + 1])), f"{path.name} cell {i}: header {h!r} has no Chinese"
            for row in body:
                words = len(_EN_WORD.findall(re.sub(r"`[^`]*`", "", row)))
                assert words < 2 or _CJK.search(row), f"{path.name} cell {i}: a row in English only: {row[:100]!r}"
    assert found or path.stem == "toolkit", f"{path.name}: no table found (the scan is broken?)"


def _jupyterlab_zh(*names: str) -> list[str]:
    """The Chinese JupyterLab's words for menu items (the zh_CN language pack
    `make lab LANG=zh` uses)."""
    pack = pytest.importorskip("jupyterlab_language_pack_zh_CN")
    words = json.loads((Path(pack.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "jupyterlab.json")
                       .read_text(encoding="utf-8"))
    return [words[n][0] for n in names]


@pytest.mark.parametrize("path", MASTERS, ids=_rel)
def test_exercise_menu_names_are_the_chinese_jupyterlabs(path):
    """Where a set names a menu (Run → Run All Cells), its Chinese names the
    menu as the Chinese JupyterLab shows it, word for word."""
    run, run_all = _jupyterlab_zh("Run", "Run All Cells")
    for i, c in enumerate(_cells(path)):
        text = _src(c)
        if "Run All Cells" in text:
            assert f"{run} → {run_all}" in text, f"{path.name} cell {i}: name the menu {run} → {run_all}"
        assert "运行全部" not in text, f"{path.name} cell {i}: JupyterLab's menu says {run_all}, not 运行全部"


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
        "no Chinese font installed: make test installs fonts-wqy-microhei on Debian/Ubuntu (.ci/system-packages); elsewhere see the README")
    with plotting.style():
        import matplotlib as mpl
        assert font in mpl.rcParams["font.family"]


def test_without_a_chinese_font_one_line_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(plotting, "_installed_families", lambda: frozenset({"DejaVu Sans"}))
    monkeypatch.setitem(plotting._announced, "done", False)
    assert plotting.cjk_font(announce=True) is None
    assert plotting.cjk_font(announce=True) is None  # said once only
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "fonts-noto-cjk" in out[0] and "中文字体" in out[0]


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
