"""The project's set-up files agree with each other and with the README."""

import re
import tomllib
import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _conda_packages():
    import yaml  # comes with JupyterLab (jupyter-events)

    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = {re.split(r"[<>=!~ ]", d, maxsplit=1)[0].lower() for d in env["dependencies"] if isinstance(d, str)}
    return names - {"python", "pip"}


def test_environment_yml_and_pyproject_name_the_same_runtime_packages():
    runtime = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    assert runtime == _conda_packages()


def test_runtime_has_the_packages_users_expect():
    runtime = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    assert {"jupyterlab", "ipywidgets", "pandas", "numpy", "matplotlib", "nbval", "pytest"} <= runtime


def test_runtime_packages_have_lower_bounds():
    for req in _pyproject()["project"]["dependencies"]:
        assert ">=" in req, f"{req} needs a tested lower bound"


def test_nbgrader_is_an_instructor_extra_not_a_runtime_dependency():
    project = _pyproject()["project"]
    assert "nbgrader" not in {_name(r) for r in project["dependencies"]}
    assert "nbgrader" in {_name(r) for r in project["optional-dependencies"]["instructor"]}


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"\| `(make \w+)` \|", readme)
    assert commands == ["make lab", "make test"], "README must give exactly two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci.splitlines()[-1]


def test_makefile_targets_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("lab", "test", "bench", "present", "release", "grade"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "00_start_here.ipynb" in makefile


def test_top_level_layout():
    for name in ("notebooks", "casekit", "data", "exercises", "tests", "environment.yml", "README.md"):
        assert (ROOT / name).exists(), name


def _make(*args, env=None):
    import os
    import subprocess

    return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=60)


def test_make_help_lists_every_target_and_option():
    import subprocess

    out = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()
    for target in phony:
        if target != "help":
            assert f"make {target}" in out, f"`make help` does not mention {target}"
    for option in ("CASE=", "PORT=", "SUBMISSIONS="):
        assert option in out


def test_make_clean_never_deletes_answers():
    recipe = _make("clean").stdout
    assert "rm " in recipe and "answers" not in recipe


def test_make_present_needs_no_test_tools_and_checks_the_case_first():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^present:(.*)$", makefile, re.M).group(1)
    assert ".test" not in rule and ".instructor" in rule
    assert "casekit.present" in _make("present", "CASE=dell").stdout


def test_make_lab_runs_as_root_with_a_warning():
    import os

    recipe = _make("lab").stdout
    if os.geteuid() == 0:
        assert "--allow-root" in recipe and "Warning" in recipe
    else:
        assert "--allow-root" not in recipe


def test_licence_is_an_spdx_string():
    # The table form makes setuptools print screens of deprecation warnings.
    assert _pyproject()["project"]["license"] == "MIT"


@pytest.mark.parametrize("lang,edition", [("zh", "zh"), ("ZH", "zh"), ("zh_CN.UTF-8", "zh"), ("zh_TW.UTF-8", "zh"),
                                          ("C.UTF-8", "en"), ("en_US.UTF-8", "en"), ("", "en")])
def test_make_lang_reads_the_locale_deliberately(lang, edition):
    """LANG is the shell's locale variable too: zh… (or ZH…) → the Chinese
    edition, anything else → English, whether given on the command line or inherited."""
    start = "zh/00_start_here.ipynb" if edition == "zh" else " 00_start_here.ipynb"
    for out in (_make("lab", f"LANG={lang}").stdout, _make("lab", env={"LANG": lang}).stdout):
        assert start in out, out[-300:]
    assert f"--lang {edition}" in _make("present", "CASE=dell", f"LANG={lang}").stdout


def test_present_picks_the_edition_and_checks_the_case():
    from casekit import present

    assert present.notebook_for("dell", "zh_CN.UTF-8") == "zh/01_dell.ipynb"
    assert present.notebook_for("dell", "C.UTF-8") == "01_dell.ipynb"
    with pytest.raises(ValueError, match="Choose one of"):
        present.notebook_for("nope", "zh")
    for case in ("dell", "hotel_guarantee"):
        assert (ROOT / "notebooks" / present.notebook_for(case, "zh")).exists()


def test_chinese_readme_is_linked_and_gives_the_same_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(README.zh-CN.md)" in readme.split("## ")[0], "link the Chinese README from the top of README.md"
    zh = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert re.findall(r"\| `(make [^`]+)` \|", zh) == ["make lab LANG=zh", "make test"]
    assert "(README.md)" in zh.split("## ")[0]


def test_presenting_voila_waits_for_late_outputs():
    """`make present` gives Voila's executor a long wait for a finished
    cell's outputs (nbclient's 4 s would drop a late chart on a busy laptop):
    the option in voila_command reaches the executor Voila builds."""
    import nbformat
    from casekit import present
    from voila.app import Voila
    from voila.execute import VoilaExecutor

    argv = present.voila_command("01_dell.ipynb", open_browser=False)
    app = Voila()
    app.parse_command_line([a for a in argv if a.startswith("--") and "." in a.split("=")[0]])
    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=app.config)
    assert executor.iopub_timeout == 60
    assert VoilaExecutor(nbformat.v4.new_notebook()).iopub_timeout < 60  # the default it replaces


def _fake_tools(tmp_path, tools: dict[str, str]) -> str:
    """A PATH holding only `sh`, `grep` and the given fake commands."""
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for real in ("sh", "grep"):
        (bin_dir / real).symlink_to(shutil.which(real))
    for name, body in tools.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    return str(bin_dir)


def _system_packages(path: str) -> str:
    import subprocess

    out = subprocess.run(["sh", str(ROOT / ".ci" / "system-packages")], env={"PATH": path},
                         capture_output=True, text=True, check=True)
    return out.stdout


def test_make_test_installs_the_system_packages_it_needs():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert ".ci/system-packages" in recipe.splitlines()[0]


def test_system_packages_names_what_is_missing_where_it_cannot_install(tmp_path):
    # No apt-get, an ordinary user, no font: one line naming every package.
    path = _fake_tools(tmp_path, {"fc-list": "echo 'DejaVu Sans'", "id": "echo 1000"})
    out = _system_packages(path)
    assert out.strip() == ("make test: not found on this machine: chromium bubblewrap nodejs npm "
                           "fonts-wqy-microhei (install them with your system's package manager)")


def test_system_packages_asks_for_sudo_apt_get_without_root(tmp_path):
    path = _fake_tools(tmp_path, {"fc-list": "echo 'WenQuanYi Micro Hei'", "id": "echo 1000",
                                  "apt-get": "echo ran apt-get; exit 1", "chromium": "", "npm": ""})
    out = _system_packages(path)
    assert out.strip() == "make test: please install the Debian packages: bubblewrap (sudo apt-get install bubblewrap)"


def test_system_packages_installs_as_root(tmp_path):
    log = tmp_path / "apt.log"
    path = _fake_tools(tmp_path, {"fc-list": "echo", "id": "echo 0", "apt-get": f'echo "$@" >> {log}',
                                  "chromium": "", "npm": "", "bwrap": ""})
    out = _system_packages(path)
    assert "installing the Debian packages: fonts-wqy-microhei" in out
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq fonts-wqy-microhei"]


def test_system_packages_does_nothing_when_all_is_there(tmp_path):
    path = _fake_tools(tmp_path, {"fc-list": "echo 'Noto Sans CJK SC'", "id": "echo 0", "apt-get": "exit 1",
                                  "chromium": "", "npm": "", "bwrap": ""})
    assert _system_packages(path) == ""


def test_presenting_voila_gets_the_loading_screen_in_both_languages():
    """Voila's loading screen ("Executing 42 of 67") is English; the
    projector template shows the catalogue's text in the notebook's language,
    passed as VoilaConfiguration.resources (checked in Chromium by hand:
    "正在运行第 9 个单元格（共 71 个）" for zh/04_haier.ipynb)."""
    from casekit import present
    from voila.app import Voila

    argv = present.voila_command("zh/01_dell.ipynb", open_browser=False)
    app = Voila()
    app.parse_command_line([a for a in argv if a.startswith("--") and "." in a.split("=")[0]])
    resources = app.config.VoilaConfiguration.resources
    assert resources["casekit_loading_zh_cell"] == "正在运行第 {i} 个单元格（共 {n} 个）", resources
    assert resources["casekit_loading_en_cell"] == "Running cell {i} of {n}"
    texts = present.loading_texts()
    assert texts["zh"]["cell"].replace("{i}", "9").replace("{n}", "71") == "正在运行第 9 个单元格（共 71 个）"
    assert "{i}" in texts["en"]["cell"] and "{n}" in texts["en"]["cell"]
    template = (present.TEMPLATE_ROOT / "voila" / "templates" / "projector" / "index.html.j2").read_text(encoding="utf-8")
    assert '"casekit_loading_" ~ lang' in template and 'set_language("zh")' in template


def test_no_build_output_or_installed_package_is_committed():
    import shutil
    import subprocess

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("this test reads the git index: run it in a clone of the repository")
    tracked = subprocess.run(["git", "ls-files", "--", "site/node_modules", "build", ".venv"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert tracked == [], f"build outputs or installed packages are committed: {tracked[:5]}"


def test_every_folder_of_course_data_is_a_listed_package():
    """setuptools prints a page of warnings on install for a folder it finds
    importable but not listed (casekit/content/messages did that)."""
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    data = _pyproject()["tool"]["setuptools"]["package-data"]
    folders = {p.parent for p in (ROOT / "casekit").rglob("*.toml")} | {p.parent for p in (ROOT / "casekit").rglob("*.py")}
    for folder in folders:
        name = ".".join(folder.relative_to(ROOT).parts)
        assert name in listed, f"{name} holds course files but is not in [tool.setuptools] packages"
        if any(folder.glob("*.toml")):
            assert "*.toml" in data.get(name, []), f"{name}'s TOML files are not in its package-data"
