"""Class slides: which cells of a case notebook go on its reveal.js deck, and
the offline decks themselves.

What goes on a deck is slide metadata in the notebooks themselves
(``cell.metadata.slideshow.slide_type``: ``slide`` starts a slide, ``-``
continues it, ``skip`` leaves the cell out), as Jupyter's own slide tools
read and write it: change a deck in JupyterLab (Property Inspector → Slide
Type) and ``make slides`` follows. ``check`` (and tests/test_slides.py) keep
a deck's structure: the title first, the takeaways last, a what-if on a
slide, every cell with a slide type, both editions the same deck.

``DECKS`` below only seeds the metadata: ``mark`` writes a notebook's slide
types from its entry (overwriting any edit made in JupyterLab), for a new
case or after cells were added. Its anchors hold in both editions:

* ``title``: the first cell (title and business question);
* ``heading:<start of an English heading>``: a ``## `` section heading cell,
  found in the English notebook and applied to the Chinese one by its rank
  among the ``## `` headings (the editions have the same sections);
* ``code:<text>``: the one code cell containing the text (code cells are
  identical in both editions);
* ``after:<text>``: the markdown cell right after that code cell (a chart's
  "what to notice" caption): the slide shows its first paragraph only
  (cell tag ``slide-caption``);
* ``scroll:<text>``: like ``code:``, for a table long by design: on the
  slide its output scrolls inside a box (cell tag ``slide-scroll``).

A deck shows the title, the business question, the objectives, the case in
brief, each question's key chart or table, the what-if at its default
settings, how sure we are, and the takeaways: code hidden.

A poll's reveal is on a deck when its chart or table is the question's key
result, and shown there in full, although the notebook opens it folded
(:func:`casekit.nbtools.hide_reveals`): the instructor moves to that slide
after the class has voted.

Command line::

    python -m casekit.slides mark notebooks/*.ipynb notebooks/zh/*.ipynb
    python -m casekit.slides check notebooks/*.ipynb notebooks/zh/*.ipynb
    python -m casekit.slides build build/slides [--case hotel_guarantee] [--lang en|zh|all]
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

# nbformat is imported inside the functions that read or write notebooks: importing
# it takes seconds (jsonschema builds its format checkers), and every notebook that
# loads data would pay for it (casekit.datasets imports every course module).

from ._checks import check_choice

__all__ = ["DECKS", "SCROLL_TAG", "CAPTION_TAG", "TAKEAWAYS", "anchors", "plan", "mark", "problems", "structure",
           "build_deck",
           "build_decks", "copy_assets"]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NODE_MODULES = ROOT / "site" / "node_modules"
TEMPLATES = Path(__file__).resolve().parent / "templates" / "nbconvert"
SCROLL_TAG = "slide-scroll"
CAPTION_TAG = "slide-caption"
SLIDE_TAGS = (SCROLL_TAG, CAPTION_TAG)

# The choice for each notebook: one inner list per slide, its cells in order.
DECKS: dict[str, list[list[str]]] = {
    "00_start_here": [
        ["title"],
        ["heading:Learning objectives", "code:show_objectives("],
        ["heading:The claims we will test"],
        ["heading:1. Lifetime value"],
        ["code:toolkit.plot_lifetime_value(", "after:toolkit.plot_lifetime_value("],
        ["heading:2. Is it 20/80?"],
        ["code:plotting.plot_pareto(", "after:plotting.plot_pareto("],
        ["heading:3. Winning versus keeping"],
        ["code:value_per_customer = metrics.clv("],
        ["heading:4. Service problems"],
        ["code:recovery = metrics.recovery_loyalty("],
        ["heading:6. Satisfaction and profit"],
        ["code:claims = toolkit.satisfaction_claims("],
        ["heading:Summary: evidence or folklore?", "code:toolkit.verdict_table("],
        ["code:build_customer_value_widget("],
        ["heading:Key takeaways"],
    ],
    "01_dell": [
        ["title"],
        ["heading:Learning objectives", "code:show_objectives("],
        ["heading:The case in brief"],
        ["heading:1. Is valuing customers"],
        ["code:dell_customers.plot_whale(", "after:dell_customers.plot_whale("],
        ["heading:2. Why find out"],
        ["code:summary = dell.annual_summary(supply)"],
        ["heading:3. Good ways to raise profit"],
        ["code:dell.plot_cash(", "after:dell.plot_cash("],
        ["heading:4. Dell's core competence"],
        ["code:dell.plot_price_gap(", "after:dell.plot_price_gap("],
        ["heading:5. Why do companies fail?"],
        ["code:dell.plot_stress(", "after:dell.plot_stress("],
        ["code:dell.build_dell_widget("],
        ["heading:How sure are we?"],
        ["code:sensitivity.plot_tornado(saving", "after:sensitivity.plot_tornado(saving"],
        ["heading:Key takeaways"],
    ],
    "02_haidilao": [
        ["title"],
        ["heading:Learning objectives", "code:show_objectives("],
        ["heading:The case in brief"],
        ["heading:1. A restaurant day as a queue"],
        ["code:fig, axes = plt.subplots(1, 2", "after:fig, axes = plt.subplots(1, 2"],
        ["heading:2. What does Haidilao really sell?"],
        ["code:styles = haidilao.compare_styles()"],
        ["code:haidilao.plot_first_visit_funnel(", "after:haidilao.plot_first_visit_funnel("],
        ["heading:3. Staff empowerment"],
        ["code:plot_spend_curve(curve[", "after:plot_spend_curve(curve["],
        ["heading:4. Can a rival copy it?"],
        ["code:plot_spend_curve(on_the_day[", "after:plot_spend_curve(on_the_day["],
        ["heading:5. Fast expansion"],
        ["code:haidilao.plot_expansion(", "after:haidilao.plot_expansion("],
        ["code:haidilao.build_store_widget("],
        ["heading:How sure are we?"],
        ["code:haidilao.plot_gain_tornado(", "after:haidilao.plot_gain_tornado("],
        ["heading:Key takeaways"],
    ],
    "03_ikea": [
        ["title"],
        ["heading:Learning objectives", "code:show_objectives("],
        ["heading:The case in brief"],
        ["heading:1. The store funnel"],
        ["code:ikea.plot_funnel(", "after:ikea.plot_funnel("],
        ["heading:2. What does IKEA really sell?"],
        ["code:ikea.plot_spending(", "after:ikea.plot_spending("],
        ["heading:3. Why forbid staff"],
        ["code:ikea.plot_store_comparison(", "after:ikea.plot_store_comparison("],
        ["heading:4. Is the catalogue worth its cost"],
        ["code:roi = ikea.catalogue_economics("],
        ["heading:5. Flat-pack and the low price"],
        ["code:curves = ikea.contribution_curves(", "after:curves = ikea.contribution_curves("],
        ["heading:6. Which of the four pillars", "code:copycat = ikea.copycat_table()"],
        ["heading:7. Is 25% a year plausible?", "code:growth = ikea.growth_needed("],
        ["code:ikea.build_store_widget("],
        ["heading:How sure are we?"],
        ["code:ikea.plot_gap_tornado(", "after:ikea.plot_gap_tornado("],
        ["heading:Key takeaways"],
    ],
    "04_haier": [
        ["title"],
        ["heading:Learning objectives", "code:show_objectives("],
        ["heading:The case in brief"],
        ["code:haier.show_upgrades()"],
        ["heading:1. What did each upgrade change?"],
        ["code:haier.plot_yearly(", "after:haier.plot_yearly("],
        ["heading:2. Why treat service as a product?", "code:repurchase_sql = haier.query("],
        ["heading:3. \"Zero distance\""],
        ["code:haier.plot_closed_loop(", "after:haier.plot_closed_loop("],
        ["heading:4. What is a service network worth?"],
        ["code:fig, ax = plt.subplots(figsize=(7.5, 4))", "after:fig, ax = plt.subplots(figsize=(7.5, 4))"],
        ["heading:5. Is future competition", "code:scenarios = haier.service_vs_product()"],
        ["code:haier.build_network_widget("],
        ["heading:How sure are we?"],
        ["code:plot_tornado(how_sure", "after:plot_tornado(how_sure"],
        ["heading:Key takeaways"],
    ],
    "05_hotel_guarantee": [
        ["title"],
        ["heading:Learning objectives", "code:show_objectives("],
        ["heading:The case in brief"],
        ["heading:1. Why would the managers oppose it?"],
        ["code:hotel.guarantee_gain_curve(", "after:hotel.guarantee_gain_curve("],
        ["heading:2. How will guests react?"],
        ["code:hotel.plot_segment_reactions(", "after:hotel.plot_segment_reactions("],
        ["heading:3. Reducing distrust and backlash"],
        ["code:hotel.plot_design_gains(", "after:hotel.plot_design_gains("],
        ["code:hotel.build_guarantee_widget("],
        ["heading:How sure are we?"],
        ["code:fig, ax = plt.subplots(figsize=(7.5, 5.0))", "after:fig, ax = plt.subplots(figsize=(7.5, 5.0))"],
        ["heading:Key takeaways"],
    ],
}


def _src(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _headings(nb) -> list[int]:
    """Indices of the ``## `` section heading cells, in order."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and _src(c).lstrip().startswith("## ")]


def _code(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _english_twin(path: Path) -> Path:
    return path.parent.parent / path.name if path.parent.name == "zh" else path


def anchors(english_nb, spec, *, name: str = "notebook") -> list[list[tuple]]:
    """Resolve a deck's anchors on the English notebook into descriptors that
    hold in both editions: ``("title",)``, ``("h2", rank)``, ``("code", k)``,
    ``("after", k)``, ``("scroll", k)`` (k: rank among code cells)."""
    heads, code = _headings(english_nb), _code(english_nb)
    out = []
    for n, slide in enumerate(spec):
        resolved = []
        for anchor in slide:
            kind, _, text = anchor.partition(":")
            if kind == "title":
                resolved.append(("title",))
            elif kind == "heading":
                found = [r for r, i in enumerate(heads) if _src(english_nb.cells[i]).lstrip()[3:].startswith(text)]
                if len(found) != 1:
                    raise ValueError(f"{name}: slide {n}: anchor {anchor!r} must match one '## ' heading, "
                                     f"matched {len(found)}")
                resolved.append(("h2", found[0]))
            elif kind in ("code", "after", "scroll"):
                found = [r for r, i in enumerate(code) if text in _src(english_nb.cells[i])]
                if len(found) != 1:
                    raise ValueError(f"{name}: slide {n}: anchor {anchor!r} must match one code cell, "
                                     f"matched {len(found)}")
                resolved.append((kind, found[0]))
            else:
                raise ValueError(f"{name}: slide {n}: anchor {anchor!r} must start with title, heading:, code:, "
                                 "after: or scroll:")
        out.append(resolved)
    return out


def plan(nb, descriptors, *, name: str = "notebook") -> dict[int, tuple[str, str | None]]:
    """Cell index → (slide type, slide tag or None) for the cells on slides of ``nb``."""
    heads, code = _headings(nb), _code(nb)
    chosen: dict[int, tuple[str, str | None]] = {}
    for n, slide in enumerate(descriptors):
        for j, d in enumerate(slide):
            kind = d[0]
            if kind == "title":
                i = 0
            elif kind == "h2":
                if d[1] >= len(heads):
                    raise ValueError(f"{name}: slide {n} needs '## ' heading number {d[1] + 1}, "
                                     f"the notebook has {len(heads)}")
                i = heads[d[1]]
            else:
                if d[1] >= len(code):
                    raise ValueError(f"{name}: slide {n} needs code cell {d[1]}, the notebook has {len(code)}")
                i = code[d[1]] + (1 if kind == "after" else 0)
                if kind == "after" and (i >= len(nb.cells) or nb.cells[i].cell_type != "markdown"):
                    raise ValueError(f"{name}: slide {n}: no markdown cell right after code cell {d[1]}")
            if i in chosen:
                raise ValueError(f"{name}: cell {i} is chosen twice")
            tag = {"scroll": SCROLL_TAG, "after": CAPTION_TAG}.get(kind)
            chosen[i] = ("slide" if j == 0 else "-", tag)
    order = sorted(chosen)
    firsts = [i for i in order if chosen[i][0] == "slide"]
    if order and order[0] != firsts[0]:
        raise ValueError(f"{name}: the slides' cells are not in notebook order")
    return chosen


def _deck_name(path: Path) -> str:
    return Path(path).stem


def _plan_for(path: Path, nb) -> dict[int, tuple[str, str | None]]:
    import nbformat
    stem = _deck_name(path)
    if stem not in DECKS:
        raise ValueError(f"`path` must be a case notebook with a deck in casekit.slides.DECKS "
                         f"({', '.join(DECKS)}), got {path}")
    twin = _english_twin(path)
    english = nb if twin == path else nbformat.read(twin, as_version=4)
    return plan(nb, anchors(english, DECKS[stem], name=str(twin)), name=str(path))


def mark(path) -> Path:
    """Write the slide metadata of one notebook (English or 中文) from its
    choice in ``DECKS``: every cell gets ``slideshow.slide_type``; captions
    get the ``slide-caption`` tag, cells of a long-by-design table the
    ``slide-scroll`` tag. The polls' reveals keep their folded output
    (:func:`casekit.nbtools.hide_reveals`). Idempotent; only cell metadata
    changes (no output, no source)."""
    import nbformat
    from .nbtools import hide_reveals

    p = Path(path)
    nb = nbformat.read(p, as_version=4)
    chosen = _plan_for(p, nb)
    for i, cell in enumerate(nb.cells):
        slide_type, tag = chosen.get(i, ("skip", None))
        cell.metadata["slideshow"] = {"slide_type": slide_type}
        tags = [t for t in cell.metadata.get("tags", []) if t not in SLIDE_TAGS]
        if tag:
            tags.append(tag)
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    hide_reveals(nb)
    nbformat.write(nb, p)
    return p


def structure(path) -> list[tuple]:
    """The deck a notebook's metadata makes: one entry per cell on a slide,
    (slide type, cell type, rank among code cells or among '## ' headings).
    The two editions of a case have the same structure."""
    import nbformat
    nb = nbformat.read(Path(path), as_version=4)
    heads, code = _headings(nb), _code(nb)
    out = []
    for i, cell in enumerate(nb.cells):
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        if slide_type in (None, "skip"):
            continue
        if cell.cell_type == "code":
            where = ("code", code.index(i))
        elif i in heads:
            where = ("h2", heads.index(i))
        elif i == 0:
            where = ("title",)
        else:
            where = ("after", code.index(i - 1) if i - 1 in code else None)
        tags = tuple(t for t in cell.metadata.get("tags", []) if t in SLIDE_TAGS)
        out.append((slide_type, cell.cell_type, *where, tags))
    return out


# The takeaways heading, the last slide of every deck, in each edition.
TAKEAWAYS = ("Key takeaways", "要点总结")
WHAT_IF_HTML = "<div class='casekit-static-whatif'"
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")


def _is_what_if(cell) -> bool:
    return cell.cell_type == "code" and any(
        "".join(o.get("data", {}).get("text/html", "")).startswith(WHAT_IF_HTML) for o in cell.get("outputs", []))


def problems(path) -> list[str]:
    """What is wrong with the deck a notebook's slide metadata makes (the
    metadata is the source: edit it in JupyterLab, or seed it with ``mark``).
    A deck must: give every cell a slide type; start with the title cell;
    end with the takeaways; show a what-if; and, in the Chinese edition,
    be the English deck cell for cell."""
    import nbformat
    p = Path(path)
    nb = nbformat.read(p, as_version=4)
    out = []
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    for i, t in enumerate(types):
        if t not in SLIDE_TYPES:
            out.append(f"{p}: cell {i} has slide type {t!r}: give it one of {SLIDE_TYPES} "
                       "(JupyterLab: Property Inspector → Slide Type; 'skip' leaves it out)")
    if out:
        return out
    shown = [i for i, t in enumerate(types) if t != "skip"]
    if not shown or shown[0] != 0 or types[0] != "slide":
        out.append(f"{p}: the deck must start with the title cell (cell 0, slide type 'slide'), "
                   f"starts with cell {shown[0] if shown else None}")
    starts = [i for i in shown if types[i] == "slide"]
    last = nb.cells[starts[-1]] if starts else None
    if last is None or not any(_src(last).lstrip().lstrip("#").strip().startswith(t) for t in TAKEAWAYS):
        out.append(f"{p}: the deck must end with the takeaways: its last slide must start with the "
                   f"'## {TAKEAWAYS[0]}' heading (中文: '## {TAKEAWAYS[1]}')")
    if not any(_is_what_if(nb.cells[i]) for i in shown):
        out.append(f"{p}: the deck must show the what-if at its default settings: no what-if cell is on a slide")
    twin = _english_twin(p)
    if twin != p and twin.exists():
        mine, theirs = structure(p), structure(twin)
        if mine != theirs:
            diff = next((k for k, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
            out.append(f"{p}: the deck differs from the English one ({twin}) at its entry {diff}: "
                       f"{mine[diff] if diff < len(mine) else None} vs {theirs[diff] if diff < len(theirs) else None}; "
                       "give both editions the same slide metadata")
    return out


# --------------------------------------------------------------------------
# Building the decks
# --------------------------------------------------------------------------

# What a deck needs beside it, copied from the npm packages (site/package.json).
ASSETS = {
    "reveal.js/dist": "reveal.js/dist",
    "reveal.js/plugin/notes": "reveal.js/plugin/notes",
    "requirejs/require.js": "vendor/require.js",
    "jquery/dist/jquery.min.js": "vendor/jquery.min.js",
    "mathjax2/MathJax.js": "vendor/mathjax/MathJax.js",
    "mathjax2/config": "vendor/mathjax/config",
    "mathjax2/extensions": "vendor/mathjax/extensions",
    "mathjax2/jax/input/TeX": "vendor/mathjax/jax/input/TeX",
    "mathjax2/jax/element": "vendor/mathjax/jax/element",
    "mathjax2/jax/output/CommonHTML": "vendor/mathjax/jax/output/CommonHTML",
    "mathjax2/fonts/HTML-CSS/TeX/woff": "vendor/mathjax/fonts/HTML-CSS/TeX/woff",
}


def copy_assets(out_dir, node_modules=None) -> None:
    """Copy reveal.js, require.js, jQuery and MathJax 2 beside the decks."""
    nm = Path(node_modules) if node_modules else NODE_MODULES
    if not (nm / "reveal.js").is_dir():
        raise FileNotFoundError(f"{nm} has no reveal.js: run `npm ci` in site/ (make slides does)")
    out = Path(out_dir)
    for src, dst in ASSETS.items():
        s, d = nm / src, out / dst
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            shutil.copy2(s, d)


_QUESTION = re.compile(r"^##\s+(\d+\.\s|[一二三四五六七八九十]+、)")  # "## 1. …", "## 一、…"
_CODE_TALK = re.compile(r"`[^`]+`|\bSQL\b")


def _type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "skip")


def _heading_line(cell) -> str:
    return _src(cell).lstrip().split("\n", 1)[0].lstrip("#").strip()


def _without_code_talk(text: str) -> str:
    """A slide's Markdown without the paragraphs and list items that talk
    about code (a function, a column, an SQL query): the deck hides code."""
    blocks = re.split(r"\n\s*\n", text)
    kept = []
    for block in blocks:
        if block.lstrip().startswith("#"):
            kept.append(block)
            continue
        lines = [ln for ln in block.split("\n")]
        if lines and lines[0].lstrip().startswith(("* ", "- ", "1. ")):
            items, item = [], []
            for ln in lines:
                if ln.lstrip().startswith(("* ", "- ")) or re.match(r"\s*\d+\.\s", ln):
                    if item:
                        items.append(item)
                    item = [ln]
                else:
                    item.append(ln)
            if item:
                items.append(item)
            items = [i for i in items if not _CODE_TALK.search("\n".join(i))]
            if items:
                kept.append("\n".join(ln for i in items for ln in i))
        elif not _CODE_TALK.search(block):
            kept.append(block)
    return "\n\n".join(kept)


def deck_cells(nb):
    """The notebook's cells as the deck shows them (from its slide metadata):

    * a question's heading slide (or a slide left with its heading only)
      followed by its chart is one slide, the heading's first line above
      the chart (the heading slide's text talks about the notebook's
      analysis, not the chart);
    * any other slide that starts with an output (a chart, the what-if, a
      table) gets the nearest heading above it, so no slide is untitled;
    * paragraphs that talk about code (inline code, SQL) are left out.
    """
    import nbformat

    cells = nb.cells
    out = []
    heading = None
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.cell_type == "markdown" and _src(cell).lstrip().startswith("#"):
            heading = _heading_line(cell)
        kind = _type(cell)
        if kind == "skip":
            i += 1
            continue
        rest = [c for c in cells[i + 1:] if _type(c) != "skip"]
        alone = not rest or _type(rest[0]) == "slide"
        bare = cell.cell_type == "markdown" and "\n" not in _without_code_talk(_src(cell)).strip()
        if (kind == "slide" and cell.cell_type == "markdown" and (_QUESTION.match(_src(cell).lstrip()) or bare)
                and alone and rest and rest[0].cell_type == "code"):
            out.append(nbformat.v4.new_markdown_cell("### " + heading, metadata={"slideshow": {"slide_type": "slide"}}))
            follow = copy.deepcopy(rest[0])
            follow.metadata["slideshow"] = {"slide_type": "-"}
            out.append(follow)
            i = cells.index(rest[0]) + 1
            continue
        if kind == "slide" and cell.cell_type == "code" and heading:
            out.append(nbformat.v4.new_markdown_cell("### " + heading, metadata={"slideshow": {"slide_type": "slide"}}))
            cell = copy.deepcopy(cell)
            cell.metadata["slideshow"] = {"slide_type": "-"}
        if cell.cell_type == "markdown":
            cell = copy.deepcopy(cell)
            cell.source = _without_code_talk(_src(cell))
            if i + 1 < len(cells) and _type(cells[i + 1]) == "skip":
                cell.source = _without_dangling_lead(cell.source)
        out.append(cell)
        i += 1
    from .nbtools import without_answer_line

    nb.cells = [without_answer_line(c) for c in out]
    return nb


_SENTENCE_END = re.compile(r"(?<=[.!?。！？)）*])\s+|(?<=[。！？])")


def _without_dangling_lead(text: str) -> str:
    """Slide text without a closing sentence that announces what comes next
    ("… spend per guest:") when what comes next is not on the deck. The
    sentence before it, if any, ends the slide; a lone lead sentence loses
    only its colon."""
    body = text.rstrip()
    if not body.endswith((":", "：")):
        return text
    head, _, last = body.rpartition("\n\n")
    pieces = _SENTENCE_END.split(last)
    if len(pieces) > 1:
        kept = last[: len(last) - len(pieces[-1])].rstrip()
        return (head + "\n\n" + kept) if head else kept
    return body[:-1].rstrip() + ("。" if body.endswith("：") else ".")




def _deck_notebook(path: Path):
    """The notebook as the deck shows it: the what-if and discussion widgets
    replaced by their static forms (default settings, result, chart), and
    the slides as :func:`deck_cells` arranges them."""
    import nbformat
    from .nbtools import static_copy

    return deck_cells(static_copy(nbformat.read(path, as_version=4)))


def build_deck(path, out_dir) -> Path:
    """Write one deck (``<stem>.html``, or ``zh-<stem>.html`` for the
    Chinese edition) into ``out_dir``; the assets must be there
    (``copy_assets``)."""
    import nbformat
    from nbconvert import SlidesExporter

    p = Path(path)
    if not any(c.metadata.get("slideshow", {}).get("slide_type") == "slide"
               for c in nbformat.read(p, as_version=4).cells):
        raise ValueError(f"{p} has no slide metadata: run `python -m casekit.slides mark {p}`")
    zh = p.parent.name == "zh"
    exporter = SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="casekit_reveal",
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        reveal_url_prefix="reveal.js", reveal_theme="white", reveal_transition="none",
        reveal_width="1280", reveal_height="720", reveal_scroll=False,
        require_js_url="vendor/require.js", jquery_url="vendor/jquery.min.js",
        mathjax_url="vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        language_code="zh" if zh else "en",  # ISO 639-1 only
    )
    body, _ = exporter.from_notebook_node(_deck_notebook(p))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / (f"zh-{p.stem}.html" if zh else f"{p.stem}.html")
    target.write_text(body, encoding="utf-8")
    return target


def _case_notebooks(case: str | None, lang: str) -> list[Path]:
    from . import cases

    ready = {c.id: c.notebook for c in cases.load_cases().values() if c.status == "ready" and c.notebook}
    if case is not None:
        check_choice("case", case, sorted(ready))
    stems = [Path(ready[case]).stem] if case else sorted(Path(nb).stem for nb in ready.values())
    paths = []
    for stem in stems:
        if lang in ("en", "all"):
            paths.append(NOTEBOOKS / f"{stem}.ipynb")
        if lang in ("zh", "all") and (NOTEBOOKS / "zh" / f"{stem}.ipynb").exists():
            paths.append(NOTEBOOKS / "zh" / f"{stem}.ipynb")
    return paths


def build_decks(out_dir, *, case: str | None = None, lang: str = "all") -> list[Path]:
    """Decks for one case (``case``, a case id) or every ready case, in
    English, 中文 (where the Chinese notebook exists) or both."""
    check_choice("lang", lang, ("en", "zh", "all"))
    paths = _case_notebooks(case, lang)
    out = Path(out_dir)
    copy_assets(out)
    return [build_deck(p, out) for p in paths]


def _main(argv) -> int:
    parser = argparse.ArgumentParser(prog="python -m casekit.slides", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("mark", help="seed the slide metadata of notebooks from DECKS (overwrites edits)")
    m.add_argument("notebooks", nargs="+")
    c = sub.add_parser("check", help="check the slide metadata of notebooks")
    c.add_argument("notebooks", nargs="+")
    b = sub.add_parser("build", help="build offline reveal.js decks")
    b.add_argument("out_dir")
    b.add_argument("--case", default=None, help="one case id (default: every ready case)")
    b.add_argument("--lang", default="all", choices=("en", "zh", "all"))
    args = parser.parse_args(argv)
    if args.command == "mark":
        for f in args.notebooks:
            print(f"marked {mark(f)}")
        return 0
    if args.command == "check":
        bad = [msg for f in args.notebooks for msg in problems(f)]
        print("\n".join(bad) or "the slide metadata makes valid decks")
        return 1 if bad else 0
    try:
        decks = build_decks(args.out_dir, case=args.case or None, lang=args.lang)
    except (ValueError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 2
    for d in decks:
        print(f"wrote {d}")
    print(f"open {Path(args.out_dir) / decks[0].name} in a browser (double-click works: no server, no network)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
