"""Committed notebooks: executed top to bottom, no errors, no Output widgets,
no sentences copied from the source texts. (nbval re-runs each notebook and
compares its outputs; see pyproject's pytest settings.)"""

import json
import os
import re
from pathlib import Path

import pytest

from casekit import nbtools

ROOT = Path(__file__).resolve().parent.parent
# Both editions: English in notebooks/, Chinese in notebooks/zh/.
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
SOURCES = ROOT.parent / "shared" / "sources"


def test_there_are_notebooks():
    assert any(nb.name == "00_start_here.ipynb" for nb in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_executed_without_errors(path):
    assert nbtools.problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_output_widget(path):
    # Output widgets break strict nbval and hang Voila (RECIPES.md).
    source = "".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
    assert "widgets.Output(" not in source and "W.Output(" not in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_chart_has_a_caption(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code" and "plt.show()" in "".join(cell["source"]):
            following = "".join(cells[i + 1]["source"]) if i + 1 < len(cells) else ""
            assert cells[i + 1]["cell_type"] == "markdown" and following.lstrip().startswith("*"), \
                f"{path.name} cell {i}: a chart needs an italic caption right below it"


def test_problems_detects_unexecuted_and_error_cells(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1"), nbformat.v4.new_code_cell("2")]
    nb.cells[0].execution_count = 1
    nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[])]
    p = tmp_path / "x.ipynb"
    nbformat.write(nb, p)
    found = nbtools.problems(p)
    assert any("error output" in f for f in found) and any("unexecuted" in f for f in found)


# Names the course may repeat exactly as the sources write them: the firm's
# legal name and the names of IKEA's four pillars (一二三四).
ALLOWED_NAMES = ("四川海底捞餐饮股份有限公司", "成本控制", "品牌控制", "管理控制", "物流控制", "形象控制")
RUN = 12  # Chinese characters in a row, punctuation and spaces left out
_HAN = re.compile(r"[\u3400-\u9fff]")
# A stretch of Chinese text: characters with punctuation and spaces between them.
_STRETCH = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\s，。、；：“”‘’《》〈〉（）！？…—·,.;:!?()\"']*")


def _han(text: str) -> str:
    return "".join(_HAN.findall(text))


def copied_runs(text: str, corpus: str, run: int = RUN) -> list[str]:
    """Each longest stretch of ``run`` or more Chinese characters of ``text``
    (punctuation stripped, so a changed comma does not hide a copy) that is
    also in ``corpus`` (the sources' Chinese characters, punctuation
    stripped). Allowed names are cut out first."""
    for name in ALLOWED_NAMES:
        text = text.replace(name, "|")
    hits = []
    for stretch in _STRETCH.findall(text):
        chars, i = _han(stretch), 0
        while i <= len(chars) - run:
            if chars[i:i + run] in corpus:
                j = i + run
                while j < len(chars) and chars[i:j + 1] in corpus:
                    j += 1
                hits.append(chars[i:j])
                i = j
            else:
                i += 1
    return hits


def _copied_runs():
    # The sources in traditional characters and their simplified copies (the
    # Chinese edition is written in simplified characters).
    texts = sorted(SOURCES.glob("*.txt")) + sorted((SOURCES / "simplified").glob("*.txt"))
    corpus = _han("".join(p.read_text(encoding="utf-8") for p in texts))
    hits = []
    for p in ROOT.rglob("*"):
        if any(part.startswith(".") for part in p.relative_to(ROOT).parts) or p.is_dir():
            continue
        if p.suffix not in (".md", ".ipynb", ".py", ".txt", ".csv", ".json", ".toml"):
            continue
        text = p.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{p.relative_to(ROOT)}: {h}" for h in copied_runs(text, corpus)]
    return sorted(set(hits))


def test_the_copy_check_can_fail():
    """12 characters in a row are found even with the punctuation changed;
    11 are not; the allowed names are not."""
    corpus = _han("顾客愿意为可靠的服务多付钱,是因为他们节省了时间和麻烦。四川海底捞餐饮股份有限公司成立")
    assert copied_runs("他说，愿意为可靠的服务多付钱，原因是省事。", corpus) == []  # 11 in a row
    assert copied_runs("他说：“顾客愿意为可靠的服务；多付钱……”", corpus) == ["顾客愿意为可靠的服务多付钱"]
    assert copied_runs("（四川海底捞餐饮股份有限公司）", corpus) == []


def test_no_sentences_copied_from_the_sources():
    if not SOURCES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SOURCES} is missing in CI")
        pytest.skip("the course's source texts (../shared/sources) are not beside this checkout")
    assert _copied_runs() == []


@pytest.mark.parametrize("path", NOTEBOOKS + sorted((ROOT / "exercises" / "source").glob("*/*.ipynb")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_declares_the_python3_kernel(path):
    # Without it JupyterLab asks the student to pick a kernel, and Voila fails.
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert meta.get("kernelspec", {}).get("name") == "python3"
