"""Autograde one student notebook against its master, in a sandboxed kernel.

One job: turn (master, submission) into per-question scores and notes.

1. :func:`align` rebuilds the notebook to run: the student's cells in their
   order; every check cell replaced by the master's (visible and hidden
   checks); cells found by ``grade_id``, or by content where an editor dropped
   the nbgrader metadata (a renamed id counts as no id); cells the student
   deleted put back where they belong (a deleted answer cell comes back
   empty and scores 0); a cell claiming points that the master does not have
   is ignored.
2. :class:`Kernel` runs cells one by one in a sandbox (:mod:`casekit.sandbox`)
   with a time limit per cell. A cell that ignores the interrupt is killed
   hard; a kernel that dies (``os._exit``) or is killed is started again, the
   cells before are replayed, and grading goes on after the faulty cell, so
   scores already earned are kept. Output is capped.
3. Guard cells (:mod:`casekit.guard`) before any student code, before each
   check and at the end detect a tampered kernel; such a notebook scores 0.
4. :func:`score`: a check cell earns its points if it ran without an error
   (output to stderr, e.g. a warning, does not cost points; it is noted);
   a hand-graded answer stays ungraded unless left blank (0).
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import guard, sandbox

__all__ = ["MasterCell", "parse_master", "align", "Kernel", "grade_notebook", "Outcome"]

SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
CODE_STUB = "# YOUR CODE HERE\n..."
MAX_CELL_OUTPUT = 100_000        # characters kept per cell
KERNEL_OUTPUT_CAP = 50_000       # characters a cell may print (cut inside the kernel)
MAX_RECEIVED = 20_000_000        # characters received from one cell before it is stopped
INTERRUPT_GRACE = 2.0            # seconds an interrupted cell gets before the kernel is killed
STARTUP_TIMEOUT = 60


# --------------------------------------------------------------------------
# The master
# --------------------------------------------------------------------------

@dataclass
class MasterCell:
    index: int
    cell: dict
    kind: str          # "answer" (code to write), "manual" (written answer), "test", "fixed"
    grade_id: str | None
    points: float
    student_view: str  # what the student copy shows


def _norm(src: str) -> str:
    return "\n".join(line.rstrip() for line in str(src).strip().splitlines())


def _strip_block(src: str, markers, stub: str | None) -> str:
    out, inside = [], False
    for line in src.splitlines():
        s = line.strip()
        if s.startswith(markers[0]):
            inside = True
            if stub is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out += [indent + x for x in stub.splitlines()]
            continue
        if s.startswith(markers[1]):
            inside = False
            continue
        if not inside:
            out.append(line)
    return "\n".join(out)


def parse_master(master, text_stub: str = "YOUR ANSWER HERE") -> list[MasterCell]:
    nb = nbformat.read(master, as_version=4) if not isinstance(master, nbformat.NotebookNode) else master
    cells = []
    for i, c in enumerate(nb.cells):
        meta = c.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("solution") and meta.get("grade"):
            kind = "manual" if c.cell_type == "markdown" else "answer"
        elif meta.get("solution"):
            kind = "answer"
        elif meta.get("grade"):
            kind = "test"
        else:
            kind, gid = "fixed", (gid if meta.get("locked") else None)
        stub = text_stub if c.cell_type == "markdown" else CODE_STUB
        view = _strip_block(_strip_block(c.source, SOLUTION, stub), HIDDEN, None)
        cells.append(MasterCell(i, c, kind, gid, float(meta.get("points", 0) or 0), view))
    return cells


# --------------------------------------------------------------------------
# Aligning a submission with its master
# --------------------------------------------------------------------------

def align(master_cells: list[MasterCell], student_cells: list) -> tuple[list[dict], list[str]]:
    """The cells to run (each with ``metadata.nbgrader`` of the master for its
    graded cells) and notes on what was restored or ignored."""
    notes: list[str] = []
    by_id = {m.grade_id: m for m in master_cells if m.grade_id}
    assigned: dict[int, int] = {}      # student position -> master index
    taken: set[int] = set()
    student = [nbformat.from_dict(dict(c)) for c in student_cells]
    for pos, c in enumerate(student):  # 1. by grade id
        meta = c.get("metadata", {}).get("nbgrader")
        if not meta:
            continue
        gid = meta.get("grade_id")
        m = by_id.get(gid)
        if m is not None and m.cell.cell_type == c.cell_type and m.index not in taken:
            assigned[pos] = m.index
            taken.add(m.index)
            continue
        if meta.get("grade") or meta.get("points"):
            notes.append(f"a cell claiming points under the id {gid!r} is not in the master: ignored")
        elif gid:
            notes.append(f"cell id {gid!r} is not in the master: the cell was matched by its content")
        c.metadata.pop("nbgrader", None)
    views = {}
    for m in master_cells:
        views.setdefault((m.cell.cell_type, _norm(m.student_view)), []).append(m)
    stripped = False
    for pos, c in enumerate(student):  # 2. by content (check cells, course cells, untouched stubs)
        if pos in assigned:
            continue
        cands = [m for m in views.get((c.cell_type, _norm(c.source)), []) if m.index not in taken]
        if len(cands) >= 1 and (cands[0].kind != "answer" or len(cands) == 1):
            assigned[pos] = cands[0].index
            taken.add(cands[0].index)
            stripped |= cands[0].grade_id is not None
    pos_of = {mi: pos for pos, mi in assigned.items()}
    for m in master_cells:             # 3. answers: the student's cell between its neighbours
        if m.index in taken or m.kind not in ("answer", "manual"):
            continue
        before = [pos_of[i] for i in range(m.index) if i in pos_of]
        after = [pos_of[i] for i in range(m.index + 1, len(master_cells)) if i in pos_of]
        lo, hi = (max(before) if before else -1), (min(after) if after else len(student))
        cands = [p for p in range(lo + 1, hi) if p not in assigned and student[p].cell_type == m.cell.cell_type]
        first = next((line for line in m.student_view.splitlines() if line.strip()
                      and not line.strip().startswith("#") and line.strip() != "..."), None)
        pick = next((p for p in cands if first and first.strip() in student[p].source), cands[0] if cands else None)
        if pick is not None:
            assigned[pick] = m.index
            pos_of[m.index] = pick
            taken.add(m.index)
            stripped = True
    if stripped:
        notes.append("nbgrader cell data missing: cells matched by their content")
    out: list[dict] = []
    emitted: set[int] = set()

    def restore(upto):
        for m in master_cells:
            if m.index < upto and m.index not in taken and m.index not in emitted:
                emitted.add(m.index)
                cell = nbformat.from_dict(dict(m.cell))
                cell.source = m.cell.source if m.kind == "test" else m.student_view
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
                out.append(cell)
                if m.kind == "test":
                    notes.append(f"{m.grade_id}: deleted, restored from master")
                elif m.kind in ("answer", "manual"):
                    notes.append(f"{m.grade_id}: answer cell deleted, restored empty (scores 0)")

    for pos, c in enumerate(student):
        mi = assigned.get(pos)
        if mi is not None:
            restore(mi)
            emitted.add(mi)
            m = master_cells[mi]
            cell = c
            cell.metadata["nbgrader"] = dict(m.cell.metadata.get("nbgrader", {}))
            if m.kind == "test" or (m.kind == "fixed" and m.grade_id):
                if _norm(c.source) != _norm(m.student_view):
                    notes.append(f"{m.grade_id}: check cell edited, restored from master")
                cell.source = m.cell.source
        else:
            cell = c
            cell.metadata.pop("nbgrader", None)
        out.append(cell)
    restore(len(master_cells) + 1)
    return out, notes


# --------------------------------------------------------------------------
# A sandboxed kernel
# --------------------------------------------------------------------------

@dataclass
class CellRun:
    outputs: list = field(default_factory=list)
    status: str = "ok"          # ok | error | timeout | dead | too-much-output
    execution_count: int | None = None
    stderr: bool = False
    truncated: bool = False


class Kernel:
    """One kernel in a sandbox, with ``private`` as its writable folder."""

    def __init__(self, kind: str, private: Path):
        self.kind, self.private = kind, Path(private)
        self.km = self.kc = None

    def start(self):
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpec

        kdir = self.private / ".kernel"
        shutil.rmtree(kdir, ignore_errors=True)
        kdir.mkdir(parents=True)
        sandbox.prepare_private(self.private)

        class _KM(KernelManager):
            def write_connection_file(self, **kw):
                super().write_connection_file(**kw)
                os.chmod(self.connection_file, 0o644)

        km = _KM(transport="ipc", ip=str(kdir / "k"), connection_file=str(kdir / "connection.json"))
        km._kernel_spec = KernelSpec(argv=sandbox.kernel_argv(self.kind, self.private), display_name="grading",
                                     language="python", interrupt_mode="message", env={})
        env = sandbox.kernel_env(self.kind, self.private)
        if self.kind != "none":
            env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
        import subprocess

        with open(kdir / "kernel.log", "ab") as log:
            km.start_kernel(env=env, cwd=str(self.private), stdout=subprocess.DEVNULL, stderr=log)
        kc = km.client()
        kc.start_channels()
        self.km, self.kc = km, kc
        try:
            kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        except RuntimeError as exc:
            self.kill()
            raise RuntimeError(f"the sandboxed kernel did not start ({exc})") from None

    def kill(self):
        """Kill the sandbox and every process in it."""
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # pragma: no cover
                pass
        if self.km is not None:
            proc = getattr(getattr(self.km, "provisioner", None), "process", None)
            pid = getattr(proc, "pid", None)
            if pid:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # pragma: no cover
                pass
            try:  # reap bwrap, so that no zombie is left
                proc.wait(timeout=5)
            except Exception:  # pragma: no cover
                pass
            try:
                self.km.cleanup_resources()
            except Exception:  # pragma: no cover
                pass
        self.km = self.kc = None

    def restart(self):
        self.kill()
        self.start()

    def alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def run(self, code: str, timeout: float, *, store_history=True) -> CellRun:
        run = CellRun()
        kc = self.kc
        msg_id = kc.execute(code, store_history=store_history, allow_stdin=False, stop_on_error=False)
        deadline = time.monotonic() + timeout
        received = kept = 0
        interrupted_at = None
        while True:
            now = time.monotonic()
            if interrupted_at is None and now > deadline:
                run.status = "timeout"
                interrupted_at = now
                try:
                    self.km.interrupt_kernel()
                except Exception:  # pragma: no cover
                    pass
            if interrupted_at is not None and now > interrupted_at + INTERRUPT_GRACE:
                self.kill()
                run.status = "timeout-killed" if run.status == "timeout" else run.status
                return run
            try:
                msg = kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if not self.km.is_alive():
                    run.status = "dead"
                    self.kill()
                    return run
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t, content = msg["msg_type"], msg["content"]
            if t == "status" and content.get("execution_state") == "idle":
                break
            if t == "execute_input":
                run.execution_count = content.get("execution_count")
                continue
            if t == "clear_output":
                run.outputs = []
                continue
            if t not in ("stream", "display_data", "execute_result", "error", "update_display_data"):
                continue
            if t == "error":
                run.status = "error" if run.status == "ok" else run.status
            if t == "stream" and content.get("name") == "stderr":
                run.stderr = True
            size = len(str(content))
            received += size
            if received > MAX_RECEIVED and interrupted_at is None:
                run.status = "too-much-output"
                interrupted_at = time.monotonic()
                try:
                    self.km.interrupt_kernel()
                except Exception:  # pragma: no cover
                    pass
            out = nbformat.v4.output_from_msg(msg)
            if kept + size > MAX_CELL_OUTPUT and t != "error":
                run.truncated = True
                if t != "stream" or kept >= MAX_CELL_OUTPUT:
                    continue
                out["text"] = out["text"][: MAX_CELL_OUTPUT - kept] + "\n[output cut by the grader]\n"
                size = MAX_CELL_OUTPUT - kept
            kept += size
            if (t == "stream" and run.outputs and run.outputs[-1].get("output_type") == "stream"
                    and run.outputs[-1].get("name") == out.get("name")):
                run.outputs[-1]["text"] += out["text"]
            else:
                run.outputs.append(out)
        try:  # the reply says whether the cell failed, whatever was printed
            while True:
                reply = kc.get_shell_msg(timeout=5)
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    if reply["content"].get("status") != "ok" and run.status == "ok":
                        run.status = "error"
                    break
        except queue.Empty:
            pass
        return run


# --------------------------------------------------------------------------
# Grading one notebook
# --------------------------------------------------------------------------

@dataclass
class Outcome:
    scores: dict = field(default_factory=dict)   # grade_id -> score (None: hand grading pending)
    notes: list = field(default_factory=list)
    notebook: object = None
    tampered: list = field(default_factory=list)
    failed: str | None = None                    # why nothing could be graded


def _error_output(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def grade_notebook(master_cells, student_nb, private: Path, *, kind: str, timeout: float,
                   text_stub: str, kernel: Kernel | None = None) -> Outcome:
    """Run and score one (already read) student notebook. ``private`` is the
    kernel's folder; ``kernel`` may be a started kernel to use (it is killed
    at the end either way)."""
    res = Outcome()
    cells, notes = align(master_cells, student_nb.cells)
    res.notes += notes
    ck_dir = str(Path(sandbox.INSIDE_COURSE) / "casekit") if kind != "none" else str(
        sandbox.course_paths()["casekit"])
    k = kernel or Kernel(kind, private)
    if k.km is None:
        k.start()
    plan = []  # (kind, cell index or label)
    plan.append(("guard", "start"))
    for i, c in enumerate(cells):
        if c.cell_type != "code":
            continue
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            plan.append(("guard", meta.get("grade_id")))
        plan.append(("cell", i))
    plan.append(("guard", "end"))
    baseline = None
    ran: list[int] = []          # cells run in the current kernel, in order (for a replay)
    skip: set[int] = set()       # cells that killed the kernel: never replayed
    gave_up = None
    try:
        for what, ref in plan:
            if gave_up:
                break
            if what == "guard":
                first = ref == "start"
                r = k.run(guard.cell_source(ck_dir, first=first, cap=KERNEL_OUTPUT_CAP), max(timeout, 10), store_history=False)
                if r.status in ("dead", "timeout-killed"):
                    k.start()
                    gave_up = f"the kernel died while the grader checked it (before {ref})"
                    break
                fp = guard.parse(r.outputs)
                if first:
                    baseline = fp
                    if fp is None:
                        raise RuntimeError("the grader's first check did not run: " +
                                           "; ".join(o.get("evalue", "") for o in r.outputs)[:300])
                    continue
                problems = guard.compare(fp, baseline, ck_dir)
                if problems and not res.tampered:
                    res.tampered = [f"before {ref}" if ref != "end" else "at the end", *problems]
                continue
            c = cells[ref]
            r = k.run(c.source, timeout)
            c.outputs = r.outputs
            c.execution_count = r.execution_count
            gid = c.metadata.get("nbgrader", {}).get("grade_id") or f"cell {ref + 1}"
            if any("[output cut at " in o.get("text", "") for o in r.outputs if o.get("output_type") == "stream"):
                r.truncated = True
            if r.truncated:
                res.notes.append(f"{gid}: output cut to {MAX_CELL_OUTPUT:,} characters")
            if r.status in ("timeout", "timeout-killed"):
                c.outputs.append(_error_output("CellTimeoutError", f"stopped after {timeout:g} s"))
                res.notes.append(f"{gid}: stopped after {timeout:g} s" +
                                 (" (ignored the interrupt: kernel restarted)" if r.status == "timeout-killed" else ""))
            elif r.status == "too-much-output":
                c.outputs.append(_error_output("OutputLimitError", "stopped: too much output"))
                res.notes.append(f"{gid}: stopped, printed over {MAX_RECEIVED // 1_000_000} MB")
            elif r.status == "dead":
                c.outputs.append(_error_output("DeadKernelError", "the kernel died in this cell"))
                res.notes.append(f"{gid}: the kernel died here (restarted, later cells still graded)")
            if r.status not in ("ok", "error"):
                skip.add(ref)  # a cell that hung, flooded or killed the kernel is never run again
            if not k.alive():
                try:
                    k.start()
                    g = k.run(guard.cell_source(ck_dir, first=True, cap=KERNEL_OUTPUT_CAP), max(timeout, 10), store_history=False)
                    for j in ran:
                        if j not in skip:
                            k.run(cells[j].source, timeout)
                            if not k.alive():
                                skip.add(j)
                                k.start()
                    if guard.parse(g.outputs) is None:
                        gave_up = "the kernel could not be restarted"
                except RuntimeError as exc:
                    gave_up = str(exc)
                continue
            ran.append(ref)
    finally:
        k.kill()
    if gave_up:
        res.notes.append(f"grading stopped early: {gave_up}; the cells after it scored 0")
    res.notebook = cells
    for c in cells:
        meta = c.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        gid, pts = meta["grade_id"], float(meta.get("points", 0) or 0)
        if c.cell_type == "markdown":
            blank = not _norm(c.source) or _norm(c.source) == _norm(text_stub)
            res.scores[gid] = 0.0 if blank else None
            continue
        errs = [o for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if c.get("execution_count") is None and not errs:
            res.scores[gid] = 0.0  # never ran
            continue
        if errs:
            res.scores[gid] = 0.0
            continue
        score = pts
        for o in c.get("outputs", []):  # nbgrader's partial credit: a number as the cell's result
            if o.get("output_type") == "execute_result":
                try:
                    score = max(0.0, min(pts, float(o["data"].get("text/plain", ""))))
                except ValueError:
                    pass
        res.scores[gid] = score
        if any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in c.get("outputs", [])):
            res.notes.append(f"{gid}: wrote to stderr (a warning or debug print); not counted against the answer")
    if res.tampered:
        res.notes.append("tampered kernel, scored 0: " + "; ".join(res.tampered))
        for gid, v in res.scores.items():
            if v is not None:
                res.scores[gid] = 0.0
    return res
