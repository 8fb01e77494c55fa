"""A reader without Python: a static HTML export of each notebook shows the
worked answers (collapsed) and each what-if at its default settings, with its
chart, and never a widget that needs a kernel or a raw template."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from casekit import nbtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _widget_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = [o["data"].get("text/plain", "") for c in nb["cells"] if c["cell_type"] == "code"
             for o in c.get("outputs", []) if nbtools.WIDGET_VIEW in o.get("data", {})]
    texts = ["".join(t) if isinstance(t, list) else t for t in texts]
    return sum(t.startswith("WhatIf(") for t in texts), sum(t.startswith("DiscussionQuestion(") for t in texts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_static_export_shows_worked_answers_and_what_ifs(path, tmp_path):
    what_ifs, questions = _widget_outputs(path)
    assert questions >= 1, f"{path.name}: no discussion question stored (re-execute it)"
    page = nbtools.export_html(path, tmp_path).read_text(encoding="utf-8")
    assert nbtools.WIDGET_VIEW not in page, "a widget view that needs a kernel is left in the page"
    assert not re.search(r'<script src="https?://', page), "the static page loads a script from the web"
    assert page.count("<details>") == questions
    assert page.count("Show worked answer") == questions
    panels = page.split("class=\"casekit-static-whatif\"")[1:]
    assert len(panels) == what_ifs
    for panel in panels:  # each panel has its chart, up to the next panel
        assert re.search(r"<img alt=\"chart at these settings\"[^>]*src=\"data:image/png;base64,", panel), \
            "a what-if's chart image is missing"
    # No unfilled template placeholder reached the reader's outputs.
    static = nbtools.static_copy(nbformat.read(path, as_version=4))
    for cell in static.cells:
        for out in cell.get("outputs", []):
            shown = out.get("data", {}).get("text/html", "") + out.get("text", "")
            assert not re.search(r"\{[a-z_]+(:[^}]*)?\}", re.sub(r"<style>.*?</style>", "", shown, flags=re.S)), \
                f"an unfilled {{placeholder}} in an output: {shown[:200]}"
