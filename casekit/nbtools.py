"""Notebook upkeep for authors: execute notebooks in a fresh kernel and save
them with their outputs (so nbval can compare), and check that committed
notebooks were saved executed and without errors.

It also turns simple cell tags into nbgrader's cell metadata, so exercise
masters can be written in any editor (or as jupytext scripts)::

    tags: solution, id:q1                 code cell with the solution (between
                                          ### BEGIN SOLUTION / ### END SOLUTION)
    tags: tests, id:q1_tests, points:2    auto-graded test cell (visible asserts,
                                          hidden ones between ### BEGIN HIDDEN
                                          TESTS / ### END HIDDEN TESTS)
    tags: manual, id:q4, points:3         markdown answer graded by hand
    tags: readonly                        a cell students may not edit

Test cells also get the ``raises-exception`` tag, so that "Run All" in a
student copy goes on past an unanswered question.

In a case notebook, the code cell right after a class poll
(``polls.poll("<case>", "<poll>", book=book)``) reveals the poll's answer.
:func:`hide_reveals` opens it with its output folded: JupyterLab shows it
collapsed (``metadata.jupyter.outputs_hidden``; a click on the bar or a
re-run shows it) and the course site puts it under a "show" button (the
``hide-output`` tag of Jupyter Book). ``execute`` and ``casekit.slides mark``
apply it every time they save a notebook, so the metadata cannot be lost.
Each folded cell calls ``polls.answer_below()`` first: JupyterLab's folded
bar shows the first line of the output, which is then "The answer to the
poll above (vote first)." and not the answer (``tests/test_polls.py``).

Command line::

    python -m casekit.nbtools execute notebooks/*.ipynb
    python -m casekit.nbtools check notebooks/*.ipynb
    python -m casekit.nbtools mark exercises/source/*/*.ipynb
    python -m casekit.nbtools html build/html notebooks/*.ipynb   # static pages for readers
    python -m casekit.nbtools student-copies    # notebooks/exercises/: what `make lab` shows students
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

# nbformat is imported inside the functions that read or write notebooks: importing
# it takes seconds (jsonschema builds its format checkers), and every notebook that
# loads data would pay for it (casekit.datasets imports every course module).

__all__ = ["run", "execute", "problems", "hide_reveals", "without_answer_line", "HIDE_OUTPUT_TAG", "REVEAL_TAG", "mark_exercise", "static_copy",
           "export_html", "STUDENT_COPIES", "student_copies"]

# Student copies of the exercise sets, where `make lab` (rooted at notebooks/)
# shows them in the file browser. Generated from the masters by nbgrader
# (`make exercises`), committed, and checked to be up to date by a test.
STUDENT_COPIES = Path(__file__).resolve().parent.parent / "notebooks" / "exercises"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HIDE_OUTPUT_TAG = "hide-output"
REVEAL_TAG = "reveal"  # a later cell that shows a poll's answer again
"""Jupyter Book's cell tag for an output folded under a "show" button."""
_POLL_CALL = re.compile(r'polls\.poll\("\w+", "\w+", book=book\)')


def hide_reveals(nb) -> list[int]:
    """Fold the output of every poll's reveal in notebook ``nb`` (an nbformat
    node, changed in place): the code cell right after each
    ``polls.poll(...)`` cell gets ``metadata.jupyter.outputs_hidden = True``
    and the ``hide-output`` tag. So does a later code cell that shows the
    answer again, marked in the notebook with the ``reveal`` tag (REVEAL_TAG).
    In a notebook with polls, folded outputs are kept for reveals: any other
    code cell loses both (a poll that moved leaves no stale fold). A notebook
    without polls is left as it is. Idempotent. Returns the indices of the
    reveal cells."""
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    polls_at = [k for k, i in enumerate(code) if _POLL_CALL.fullmatch(nb.cells[i].source.strip())]
    if not polls_at:
        return []
    reveals = {code[k + 1] for k in polls_at if k + 1 < len(code)}
    reveals |= {i for i in code if REVEAL_TAG in nb.cells[i].metadata.get("tags", [])}
    for i in code:
        meta = nb.cells[i].metadata
        tags = [t for t in meta.get("tags", []) if t != HIDE_OUTPUT_TAG]
        jupyter = {k: v for k, v in meta.get("jupyter", {}).items() if k != "outputs_hidden"}
        if i in reveals:
            tags.append(HIDE_OUTPUT_TAG)
            jupyter["outputs_hidden"] = True
        for key, value in (("tags", tags), ("jupyter", jupyter)):
            if value:
                meta[key] = value
            else:
                meta.pop(key, None)
    return sorted(reveals)


def without_answer_line(cell):
    """A poll's reveal without the line ``polls.answer_below()`` prints first
    ("The answer to the poll above (vote first)."): it names JupyterLab's
    folded bar, and on a slide the instructor chooses when to show the answer."""
    source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    if cell.cell_type != "code" or not source.lstrip().startswith("polls.answer_below()"):
        return cell
    from . import i18n

    import copy

    lines = set()
    for lang in ("en", "zh"):
        with i18n.language(lang):
            lines.add(i18n.t("polls.answer_below") + "\n")
    cell = copy.deepcopy(cell)
    outputs = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream" and not outputs:
            text = "".join(o.get("text", ""))
            for line in lines:
                text = text.removeprefix(line)
            if not text:
                continue
            o["text"] = text
        outputs.append(o)
    cell.outputs = outputs
    return cell

def run(nb, folder, *, timeout: int = 600, stderr=None):
    """Run every cell of notebook ``nb`` (an nbformat node, changed in place
    and returned) in a fresh kernel started in ``folder``. Students' answers
    are not touched: ``CASEKIT_ANSWERS_DIR`` points to a temporary folder
    while it runs. ``stderr``: an open file for the kernel's own messages."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("CASEKIT_ANSWERS_DIR")
        os.environ["CASEKIT_ANSWERS_DIR"] = tmp
        try:
            # log_level=ERROR: no "Kernel is running over TCP" warning per run.
            NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                           extra_arguments=["--IPKernelApp.log_level=ERROR"],
                           resources={"metadata": {"path": str(folder)}}).execute(
                **({} if stderr is None else {"stderr": stderr}))
        finally:
            if old is None:
                os.environ.pop("CASEKIT_ANSWERS_DIR", None)
            else:
                os.environ["CASEKIT_ANSWERS_DIR"] = old
    return nb


def execute(path, *, timeout: int = 600) -> Path:
    """Run every cell of a notebook in a fresh kernel (:func:`run`), fold the
    polls' reveals (:func:`hide_reveals`) and save it in place."""
    import nbformat

    p = Path(path).resolve()
    nb = nbformat.read(p, as_version=4)
    # A chart character no font can draw becomes an error output.
    os.environ.setdefault("CASEKIT_STRICT_GLYPHS", "1")
    run(nb, p.parent, timeout=timeout)
    hide_reveals(nb)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, p)
    return p


def problems(path) -> list[str]:
    """What is wrong with a committed notebook: unexecuted code cells, cells
    run out of order, error outputs. An empty list means it is fine."""
    import nbformat
    p = Path(path)
    nb = nbformat.read(p, as_version=4)
    out = []
    expected = 1
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if cell.execution_count is None:
            out.append(f"{p.name}: code cell {i} was saved unexecuted")
        elif cell.execution_count != expected:
            out.append(f"{p.name}: code cell {i} has execution count {cell.execution_count}, "
                       f"expected {expected} (not run top to bottom in a fresh kernel)")
        expected = (cell.execution_count or expected) + 1
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"{p.name}: code cell {i} has an error output ({o.get('ename')})")
    return out


_SCHEMA_VERSION = 3


def _tag_value(tags, key):
    for t in tags:
        if t.startswith(key + ":"):
            return t.split(":", 1)[1]
    return None


def mark_exercise(path) -> Path:
    """Write nbgrader metadata for the tagged cells of an exercise master
    (see the module docstring) and clear all outputs. Idempotent."""
    import nbformat
    p = Path(path)
    nb = nbformat.read(p, as_version=4)
    seen = set()
    for i, cell in enumerate(nb.cells):
        tags = list(cell.metadata.get("tags", []))
        kind = next((k for k in ("solution", "tests", "manual", "readonly") if k in tags), None)
        if kind is None:
            cell.metadata.pop("nbgrader", None)
            continue
        gid = _tag_value(tags, "id") or f"cell_{kind}_{i}"
        if gid in seen:
            raise ValueError(f"{p.name}: cell {i} repeats id {gid!r}; every graded cell needs its own id")
        seen.add(gid)
        meta = {"grade": False, "solution": False, "locked": False, "task": False,
                "grade_id": gid, "schema_version": _SCHEMA_VERSION}
        if kind in ("tests", "manual"):
            pts = _tag_value(tags, "points")
            if pts is None:
                raise ValueError(f"{p.name}: cell {i} ({gid}) is graded but has no points:N tag")
            meta["points"] = float(pts)
            meta["grade"] = True
        if kind == "solution":
            if cell.cell_type != "code" or "### BEGIN SOLUTION" not in cell.source:
                raise ValueError(f"{p.name}: solution cell {gid} must be code with ### BEGIN SOLUTION")
            meta["solution"] = True
        elif kind == "tests":
            if cell.cell_type != "code":
                raise ValueError(f"{p.name}: test cell {gid} must be a code cell")
            meta["locked"] = True
            if "raises-exception" not in tags:
                tags.append("raises-exception")
        elif kind == "manual":
            if cell.cell_type != "markdown":
                raise ValueError(f"{p.name}: manually graded cell {gid} must be a markdown cell")
            meta["solution"] = True
        else:
            meta["locked"] = True
        cell.metadata["nbgrader"] = meta
        cell.metadata["tags"] = tags
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, p)
    return p


def static_copy(nb):
    """A copy of a notebook for readers without a kernel: every widget output
    that carries a static HTML form (casekit's what-if panels and discussion
    questions: default settings, result table, chart image; question, key
    points and the worked answer in a collapsed ``<details>``) shows that form
    instead of a widget view that needs JavaScript and a kernel."""
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data and "text/html" in data:
                del data[WIDGET_VIEW]
    nb.metadata.pop("widgets", None)
    return nb


def export_html(path, out_dir) -> Path:
    """Export a notebook to one self-contained HTML page (static forms of the
    widgets, charts embedded) in ``out_dir``; returns the page's path."""
    import nbformat
    from nbconvert import HTMLExporter

    p = Path(path)
    nb = static_copy(nbformat.read(p, as_version=4))
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    # The static page needs no script from the web: widget views are
    # replaced by their HTML forms (so no require.js), and MathJax is kept
    # only where a cell holds a formula.
    body = re.sub(r'<script src="https://[^"]*require[^"]*"[^>]*>\s*</script>', "", body)
    has_formula = any("$$" in c.source or "\\(" in c.source for c in nb.cells if c.cell_type == "markdown")
    if not has_formula:
        body = re.sub(r'<script src="https://[^"]*mathjax[^"]*"[^>]*>\s*</script>', "", body, flags=re.I)
    if p.parent.name == "zh":  # the Chinese edition: browsers pick a Chinese font for zh-CN
        body = re.sub(r"<html(\s[^>]*)?>", lambda m: '<html lang="zh-CN">', body, count=1)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{p.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def student_copies(target=None, *, course_dir=None) -> list[Path]:
    """Write the student copy of every exercise set to ``target``
    (default ``notebooks/exercises/<set>.ipynb``): nbgrader's release of the
    master (solutions and hidden checks removed, checked for leaks), with
    outputs cleared. Needs the instructor tools (nbgrader)."""
    import nbformat
    from . import grading

    target = Path(target) if target is not None else STUDENT_COPIES
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for released in grading.release(course_dir, quiet=True):
        nb = nbformat.read(released, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        out = target / released.name
        nbformat.write(nb, out)
        written.append(out)
    return written


def _main(argv) -> int:
    if argv[:1] == ["student-copies"]:
        for p in student_copies(argv[1] if len(argv) > 1 else None):
            print(f"wrote {p}")
        return 0
    if len(argv) >= 3 and argv[0] == "html":
        for f in argv[2:]:
            print(f"wrote {export_html(f, argv[1])}")
        return 0
    if len(argv) >= 2 and argv[0] == "mark":
        for f in argv[1:]:
            print(f"marked {mark_exercise(f)}")
        return 0
    if len(argv) >= 2 and argv[0] == "execute":
        for f in argv[1:]:
            print(f"executing {f} ...", flush=True)
            execute(f)
        return 0
    if len(argv) >= 2 and argv[0] == "check":
        bad = [msg for f in argv[1:] for msg in problems(f)]
        print("\n".join(bad) or "all notebooks executed, no errors")
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
