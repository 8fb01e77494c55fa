"""What a reader meets in the course's text, checked across every file:
plain English, no dollar signs that render as maths, no pointer outside the
repository, no test clutter in the notebooks, worked answers in the registry."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from casekit import cases, readability

ROOT = Path(__file__).resolve().parent.parent
EN_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ZH_NOTEBOOKS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
NOTEBOOKS = EN_NOTEBOOKS + ZH_NOTEBOOKS
EN_NOTES = sorted((ROOT / "exercises" / "teaching_notes").glob("*.md"))
ZH_NOTES = sorted((ROOT / "exercises" / "teaching_notes" / "zh").glob("*.md"))
NOTES = EN_NOTES + ZH_NOTES
TOMLS = sorted(p for p in (ROOT / "casekit" / "content").glob("*.toml") if p.name != "glossary.toml")
MASTERS = sorted((ROOT / "exercises" / "source").glob("*/*.ipynb"))
READY = [c for c in cases.load_cases().values() if c.status == "ready"]


def _rel(p):
    return str(p.relative_to(ROOT))


# The guides a reader meets first are held to the same rule as the notebooks.
EN_DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "docs" / "class_mode.md", ROOT / "exercises" / "README.md"]


@pytest.mark.parametrize("path", EN_NOTEBOOKS + EN_NOTES + TOMLS + EN_DOCS, ids=_rel)
def test_plain_english(path):
    """An average of at most 18 words a sentence, none over 35 (tables, code
    and Chinese excluded): readable in a second language."""
    r = readability.measure_file(path, "en")
    if not r.sentences:
        return
    assert r.average <= readability.AVERAGE_LIMIT, f"{path.name}: average {r.average:.1f} words a sentence"
    assert not r.too_long(), f"{path.name}: sentences over {readability.LONGEST_LIMIT} words: " + \
        " | ".join(s[:120] for s in r.too_long())


ZH_DOCS = [ROOT / "README.zh-CN.md", ROOT / "exercises" / "README.zh-CN.md", ROOT / "docs" / "class_mode.zh-CN.md"]


@pytest.mark.parametrize("path", ZH_NOTEBOOKS + ZH_NOTES + TOMLS + ZH_DOCS, ids=_rel)
def test_plain_chinese(path):
    """The Chinese edition in short sentences too: an average of at most 40
    characters a sentence, none over 90 (an English word counts as one)."""
    r = readability.measure_file(path, "zh")
    if path.suffix == ".toml" and path.stem not in {c.id for c in READY}:
        return  # a planned case has no worked answers yet
    assert r.sentences, f"{_rel(path)}: no Chinese prose found"
    assert r.average <= readability.ZH_AVERAGE_LIMIT, f"{_rel(path)}: average {r.average:.1f} 字 a sentence"
    assert not r.too_long(), f"{_rel(path)}: sentences over {readability.ZH_LONGEST_LIMIT} 字: " + \
        " | ".join(s[:80] for s in r.too_long())


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _shown_text(path):
    """Markdown sources and every text output a reader sees."""
    parts = []
    for c in _cells(path):
        if c["cell_type"] == "markdown":
            parts.append("".join(c["source"]))
        for o in c.get("outputs", []):
            data = o.get("data", {})
            for key in ("text/plain", "text/html", "text/markdown"):
                v = data.get(key, "")
                parts.append("".join(v) if isinstance(v, list) else v)
            parts.append("".join(o.get("text", "")))
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS + MASTERS, ids=_rel)
def test_no_dollar_sign_renders_as_maths(path):
    """JupyterLab typesets $…$ as maths even when escaped: money is written
    USD. Only a markdown cell holding a real formula ($$…$$) may use $."""
    text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown"
                     and "$$" not in "".join(c["source"]))
    shown = _shown_text(path)
    shown = re.sub(r"<style>.*?</style>|<script.*?</script>", "", shown, flags=re.S)
    assert "$" not in text, f"{path.name}: a $ in prose: {text[max(0, text.find('$') - 60):text.find('$') + 40]!r}"
    assert "$" not in shown, f"{path.name}: a $ in an output: {shown[max(0, shown.find('$') - 60):shown.find('$') + 40]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_no_test_clutter_where_readers_look(path):
    for c in _cells(path):
        if c["cell_type"] == "code":
            assert "NBVAL" not in "".join(c["source"]), f"{path.name}: use the cell tag, not an NBVAL comment"
    assert "PosixPath(" not in _shown_text(path), f"{path.name}: an output shows a PosixPath"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_objectives_render_as_text_not_console_prints(path):
    code = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "code")
    assert "show_objectives(" in code, f"{path.name}: render the objectives with cases.show_objectives"
    assert "for objective in" not in code


@pytest.mark.parametrize("case", READY, ids=lambda c: c.id)
def test_every_worked_answer_lives_in_the_registry(case):
    """Words of worked answers are in the registry, not in code cells: each
    question has a template, and the notebook passes figures for it."""
    for q in case.questions:
        assert q.worked is not None and q.worked.en.strip(), f"{case.id}.{q.id}: no worked template"
        assert q.worked.zh.strip(), f"{case.id}.{q.id}: no Chinese worked answer"
        assert cases.template_fields(q.worked.zh) and set(cases.template_fields(q.worked.zh)) == set(
            cases.template_fields(q.worked.en)), f"{case.id}.{q.id}: the two worked answers use different figures"
    code = "\n".join("".join(c["source"]) for c in _cells(ROOT / "notebooks" / case.notebook)
                     if c["cell_type"] == "code")
    assert "worked_answer=" not in code
    assert code.count("figures=") >= len(case.questions)


def test_nothing_points_outside_the_repository():
    """The course ships its own references: no file a user gets points at the
    development folder next to the repository."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    bad = []
    for name in files:
        if name.startswith("tests/") or not name.endswith((".py", ".md", ".toml", ".ipynb", ".j2", ".cfg", ".yml")):
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        for needle in ("../shared", "shared/sources", "DOMAIN_FACTS", "fact sheet", "CASES.md"):
            if needle in text:
                bad.append(f"{name}: {needle}")
    assert not bad, "files point outside the repository: " + ", ".join(bad)
