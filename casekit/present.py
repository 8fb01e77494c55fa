"""Present a case in class: Voila, code hidden, laid out for a projector.

``make present CASE=<id>`` runs ``python -m casekit.present <id>``, which

* checks the case id first: a wrong one lists the valid ids and stops;
* starts Voila on the case's notebook with the ``projector`` template
  (``casekit/templates/voila/templates/projector``): large type, tables and
  charts across the width, what-if controls beside their chart;
* sets ``CASEKIT_PRESENT=1``, so casekit draws charts at double resolution
  (they stay sharp when stretched across a projector);
* points ``CASEKIT_ANSWERS_DIR`` at a new, empty temporary folder, deleted at
  the end: the answer boxes start empty, and what the class types on the
  presenting machine never reaches any student's answers file.

The Chinese edition (``make present CASE=<id> LANG=zh``) presents
``notebooks/zh/<notebook>``.

Command line::

    python -m casekit.present hotel_guarantee [--lang zh] [--port 8866] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from . import cases, i18n

__all__ = ["EXECUTOR_OPTIONS", "TEMPLATE_ROOT", "notebook_for", "edition", "present_env", "template_options",
           "voila_command", "main"]

TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def ready_ids() -> list[str]:
    return [c.id for c in cases.load_cases().values() if c.status == "ready" and c.notebook]


def edition(lang) -> str:
    """``"zh"`` for a language setting that starts with ``zh`` (``zh``,
    ``zh_CN.UTF-8``), else ``"en"``: a locale such as ``C.UTF-8`` or
    ``en_US.UTF-8`` means the English edition."""
    return "zh" if isinstance(lang, str) and lang.strip().lower().startswith("zh") else "en"


def notebook_for(case_id: str, lang: str = "en") -> str:
    """The notebook file of a ready case (``zh/<file>`` for the Chinese
    edition); ValueError listing the valid ids (in English and Chinese)
    otherwise."""
    ids = ready_ids()
    case = cases.load_cases().get(case_id) if isinstance(case_id, str) else None
    if case is None or case.id not in ids:
        key = "present.not_a_case" if case is None else "present.no_notebook"
        lines = []
        for lang_ in i18n.LANGUAGES:  # said in both languages: the edition may be what is wrong
            with i18n.language(lang_):
                lines.append(i18n.t(key, case=repr(case_id), ids=", ".join(ids)))
        raise ValueError("\n".join(lines))
    if edition(lang) == "zh":
        return f"zh/{case.notebook}"
    return case.notebook


def present_env(answers_dir, base=None) -> dict:
    """The environment Voila runs in when presenting."""
    env = dict(os.environ if base is None else base)
    env["CASEKIT_PRESENT"] = "1"
    env["CASEKIT_ANSWERS_DIR"] = str(answers_dir)
    paths = [str(TEMPLATE_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


EXECUTOR_OPTIONS = ["--VoilaExecutor.iopub_timeout=60"]
"""How long Voila waits for a finished cell's outputs (nbclient's default is
4 s). On a busy laptop a chart or widget can arrive later than that, and
Voila would then drop it from the page without an error. The wait ends as
soon as the kernel reports the cell idle, so a long limit costs nothing."""


def loading_texts() -> dict:
    """Voila's loading screen in both languages, from the catalogue
    (``present.loading_*``). The projector template picks the notebook's
    language (its ``set_language`` call) and fills ``{i}`` and ``{n}``."""
    out = {}
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            out[lang] = {"running": i18n.t("present.loading_running"),
                         "cell": i18n.t("present.loading_cell", i="{i}", n="{n}")}
    return out


def template_options() -> list[str]:
    """Options that hand the projector template its texts: Voila passes
    ``VoilaConfiguration.resources`` to the template as ``resources``, one
    ``casekit_loading_<lang>_<name>`` text per option."""
    return [f"--VoilaConfiguration.resources=casekit_loading_{lang}_{name}={text}"
            for lang, texts in loading_texts().items() for name, text in texts.items()]


def voila_command(notebook: str, *, port: int = 8866, open_browser: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "voila", f"--port={port}", "--Voila.ip=127.0.0.1",
           "--template=projector", *EXECUTOR_OPTIONS, *template_options(), notebook]
    if not open_browser:
        cmd.insert(3, "--no-browser")
    return cmd


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casekit.present", description=__doc__.split("\n")[0])
    parser.add_argument("case", help="case id, e.g. hotel_guarantee")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    parser.add_argument("--lang", default="en", help="zh (or zh_CN.UTF-8 …) for the Chinese edition; else English")
    args = parser.parse_args(argv)
    try:
        notebook = notebook_for(args.case, args.lang)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    lang = edition(args.lang)
    if shutil.which("voila") is None and not (Path(sys.executable).parent / "voila").exists():
        with i18n.language(lang):
            print(i18n.t("present.no_voila"), file=sys.stderr)
        return 2
    answers = tempfile.mkdtemp(prefix="casekit-present-answers-")
    # Stopped with SIGTERM (a terminal closed, a test): clean up as for Ctrl+C.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with i18n.language(lang):
        print(i18n.t("present.presenting", notebook=notebook, url=f"http://127.0.0.1:{args.port}"), flush=True)
    try:
        return subprocess.call(voila_command(notebook, port=args.port, open_browser=not args.no_browser),
                               cwd=NOTEBOOKS, env=present_env(answers))
    except KeyboardInterrupt:
        return 0
    finally:
        shutil.rmtree(answers, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
