"""Find what each student handed in: one job, so that nobody is dropped.

Every student folder gets an :class:`Entry` per assignment, with a note when
something was unusual: the set folder cased differently (``Toolkit/``), a
flat layout (``<student>/toolkit.ipynb``), several candidate notebooks (the
newest is graded; the note names it and the others), or no notebook at all.
Student ids are folder names taken as they are (``NA``, ``x[1]``, 张三).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Entry", "scan"]


@dataclass
class Entry:
    student: str
    assignment: str
    notebook: Path | None
    notes: list = field(default_factory=list)


def _key(name: str) -> str:
    """``Toolkit (1).ipynb`` → ``toolkit``."""
    stem = name[:-6] if name.lower().endswith(".ipynb") else name
    return re.sub(r"[\s_-]*(\(\d+\)|copy|副本)$", "", stem.strip(), flags=re.I).strip().lower()


def _notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".ipynb"
                  and not p.name.startswith("."))


def _choose(cands: list[Path], assignment: str, where: str, notes: list) -> Path | None:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    newest = max(cands, key=lambda p: (p.stat().st_mtime, p.name == f"{assignment}.ipynb"))
    others = ", ".join(p.name for p in cands if p != newest)
    notes.append(f"{len(cands)} notebooks in {where}: graded the newest, {newest.name}; ignored {others}")
    return newest


def scan(folder, assignments) -> tuple[list[Entry], list[str]]:
    """Entries for every student folder of ``folder`` and every assignment
    handed in by anyone (among ``assignments``, the masters' names), and
    warnings about files that belong to no student folder."""
    root = Path(folder)
    known = {a.lower(): a for a in assignments}
    warnings = [f"ignored {p.name}: not inside a student folder" for p in sorted(root.iterdir())
                if p.is_file() and p.suffix.lower() == ".ipynb"]
    per_student: dict[str, dict[str, Entry]] = {}
    for sdir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found: dict[str, Entry] = {}
        for adir in sorted(p for p in sdir.iterdir() if p.is_dir() and p.name.lower() in known):
            a = known[adir.name.lower()]
            notes = [] if adir.name == a else [f"set folder named {adir.name!r} instead of {a!r}"]
            cands = _notebooks(adir)
            exact = [p for p in cands if p.name == f"{a}.ipynb"]
            pool = [p for p in cands if _key(p.name) == a] or cands
            nb = _choose(pool if not exact or len(pool) > 1 else exact, a, f"{sdir.name}/{adir.name}", notes)
            if a in found and found[a].notebook is not None:
                continue
            found[a] = Entry(sdir.name, a, nb, notes)
        flat = _notebooks(sdir)
        if flat:
            for a in {known.get(_key(p.name)) for p in flat} - {None} or (set(known.values()) if len(known) == 1 else ()):
                if a in found and found[a].notebook is not None:
                    continue
                pool = [p for p in flat if _key(p.name) == a] or flat
                notes = [f"flat layout: notebook directly in {sdir.name}/, not in {sdir.name}/{a}/"]
                found[a] = Entry(sdir.name, a, _choose(pool, a, f"{sdir.name}/", notes), notes)
        per_student[sdir.name] = found
    handed_in = sorted({a for f in per_student.values() for a in f})
    entries = []
    for student, found in per_student.items():
        if not found and len(handed_in) <= 1 and handed_in:
            found = {handed_in[0]: Entry(student, handed_in[0], None, ["no notebook found in the student folder"])}
        for a in handed_in:
            e = found.get(a) or Entry(student, a, None, [f"no notebook for {a} in the student folder"])
            if e.notebook is None and not any("no notebook" in n for n in e.notes):
                e.notes.append(f"no notebook for {a} in the student folder")
            entries.append(e)
    return entries, warnings
