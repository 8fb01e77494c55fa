"""nbgrader configuration for the course's exercise sets (instructors only).

The course directory is this folder (``exercises/``)::

    source/<assignment>/<assignment>.ipynb     masters (checked in)
    release/ submitted/ autograded/ feedback/  made by nbgrader (git-ignored)
    gradebook.db                               nbgrader's SQLite gradebook (git-ignored)

Use it through ``make release`` and ``make grade SUBMISSIONS=<folder>``
(``casekit.grading``: every student kernel in a sandbox), or run ``nbgrader``
commands from this folder (no sandbox: only for submissions you trust). The
paths below are relative to this file, so a copy of the folder (as the tests
make) is a complete course of its own.
"""

from pathlib import Path

c = get_config()  # noqa: F821 (injected by traitlets when nbgrader loads this file)

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "crm-cases"
c.CourseDirectory.root = str(HERE)
# A local exchange folder (no JupyterHub): used only by nbgrader's
# release_assignment / collect commands; build/ is git-ignored.
c.Exchange.root = str(HERE.parent / "build" / "exchange")

# Seconds each cell may run while grading; an endless loop is stopped here (a
# loop that ignores the interrupt is killed with its kernel, which is then
# restarted) and the rest of the notebook is still graded.
c.Execute.timeout = 30

# Student copies: a stub that lets "Run All" go on (not raise NotImplementedError).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\n..."}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE · 在这里写下你的答案"

# A test cell a student deleted is put back from the master before grading
# (used by plain `nbgrader autograde`, i.e. `grade --serial`; the sandboxed
# grader of casekit.grading restores deleted cells itself, answers included).
c.OverwriteCells.add_missing_cells = True
