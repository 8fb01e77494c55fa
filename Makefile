# The course's commands. The two a user needs are `make lab` and `make test`;
# both create the Python environment in .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
CASE   ?= hotel_guarantee
SUBMISSIONS ?= exercises/submitted
# make class ANSWERS=<folder> [VIEW=instructor] [LAYOUT=lms|hub|exchange]
#            [ROSTER=roster.csv] [EXCLUDE=id,id] [CLASS_PORT=8867]
ANSWERS ?=
VIEW   ?= projected
LAYOUT ?= auto
EXCLUDE ?=
CLASS_PORT ?=
# make grade … LMS=canvas,moodle [ROSTER=roster.csv]: import CSVs for the LMS too.
# ROSTER (CSV: student, name, email, username …; docs/class_mode.md) also
# decides who the class is in make class. COLUMNS=total writes the total
# only; MOODLE_ID=username puts the course's id in Moodle's Username column.
LMS    ?=
ROSTER ?=
COLUMNS ?= all
MOODLE_ID ?= idnumber
# make grade ALLOW_UNSANDBOXED=1 grades even where no sandbox (bubblewrap,
# podman, docker) is found: student code then runs with your rights.
ALLOW_UNSANDBOXED ?=
PORT   ?= 8866
# Stamp of the site's and slides' npm packages (site/package-lock.json).
NPM_STAMP := site/node_modules/.package-lock.json
# The edition: LANG is also the shell's locale variable (zh_CN.UTF-8, C.UTF-8,
# en_US.UTF-8 …), so it is read deliberately: a value starting with zh means
# the Chinese edition (make lab LANG=zh), anything else the English one.
EDITION := $(if $(filter zh%,$(LANG)),zh,en)
START  := $(if $(filter zh,$(EDITION)),zh/00_start_here.ipynb,00_start_here.ipynb)
# The Chinese edition opens JupyterLab with its menus in Chinese (the zh_CN
# language pack), from a settings folder of its own inside .venv, so the
# user's usual JupyterLab settings are not changed.
ZH_SETTINGS := $(VENV)/lab-settings-zh
# CASEKIT_LANG=zh makes casekit speak Chinese in notebooks that do not
# choose a language themselves (the exercise sets).
LAB_ENV := $(if $(filter zh,$(EDITION)),JUPYTERLAB_SETTINGS_DIR=$(abspath $(ZH_SETTINGS)) CASEKIT_LANG=zh)

.PHONY: lab test bench release exercises grade present class html site slides notebooks readme sources clean help

help:
	@echo "Commands (run from the course folder):"
	@echo "  make lab [LANG=zh]"
	@echo "                  open the course in JupyterLab (sets up .venv on first use); LANG=zh opens"
	@echo "                  the Chinese edition (中文版)"
	@echo "  make test       run every test (sets up .venv with the test tools on first use)"
	@echo "  make present CASE=<id> [LANG=zh] [PORT=8866]"
	@echo "                  show a case full screen for class in Voila: code hidden, large type,"
	@echo "                  empty answer boxes (students' answer files are never touched)"
	@echo "  make class ANSWERS=<folder> [VIEW=instructor] [LAYOUT=auto|lms|hub|exchange] [LANG=zh]"
	@echo "                  [ROSTER=roster.csv] [EXCLUDE=id,id] [COLUMNS=all|total] [MOODLE_ID=idnumber|username]"
	@echo "                  the class view in Voila: answered/of class, poll spread, key points, anonymous"
	@echo "                  samples, frequent words, live refresh; no names unless VIEW=instructor"
	@echo "                  (the instructor's own screen, with the Canvas/Moodle participation export);"
	@echo "                  ROSTER or EXCLUDE decide who is the class (e.g. not your own home folder)"
	@echo "  make release    build student copies of the exercises for nbgrader (exercises/release/)"
	@echo "  make exercises  refresh the student copies students open in make lab (notebooks/exercises/)"
	@echo "  make grade SUBMISSIONS=<folder> [ALLOW_UNSANDBOXED=1]"
	@echo "                  autograde a folder of submissions into a gradebook, each notebook in a"
	@echo "                  sandbox (bubblewrap); refuses without one unless ALLOW_UNSANDBOXED=1;"
	@echo "                  LMS=canvas,moodle [ROSTER=roster.csv] [COLUMNS=total] [MOODLE_ID=username]"
	@echo "                  also writes Canvas/Moodle import CSVs (COLUMNS=total: the total only)"
	@echo "  make bench      print speed figures and write build/bench.json"
	@echo "  make html       static pages of every notebook in build/html/ (for readers without Python)"
	@echo "  make site       the course website in build/site/ (English; 中文 in build/site/zh/): every case,"
	@echo "                  teaching notes, data dictionaries, sources, search; works with no network"
	@echo "  make slides [CASE=<id>] [LANG=zh|en]"
	@echo "                  class slides (reveal.js, code hidden) in build/slides/: one case or, without"
	@echo "                  CASE, every case; both editions unless LANG is given; open by double-click"
	@echo "  make notebooks  re-execute every notebook in a fresh kernel and save it"
	@echo "  make readme     regenerate the README's case table from the registry"
	@echo "  make sources    regenerate docs/sources.md (every reference and its evidence grade)"
	@echo "  make clean      remove build output and caches (never students' answers)"
	@echo "Options: CASE=<id>, one of: $$(grep -l 'status = "ready"' casekit/content/*.toml | xargs -n1 basename | sed 's/\.toml$$//' | grep -v start_here | paste -sd' ')"
	@echo "         LANG=zh → 中文版 (any other LANG, e.g. your locale $(LANG), → English; now: $(EDITION))"
	@echo "         PORT=$(PORT)  SUBMISSIONS=$(SUBMISSIONS)  PYTHON=$(PYTHON)  VENV=$(VENV)"
	@echo "         ANSWERS=$(ANSWERS)  VIEW=$(VIEW)  LAYOUT=$(LAYOUT)  LMS=$(LMS)  ROSTER=$(ROSTER)  COLUMNS=$(COLUMNS)"

# One stamp per set of extras; the stamp is rebuilt when pyproject.toml changes.
$(VENV)/.course: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23"
	$(PIP) install -e .
	touch $@

# The instructor tools (nbgrader, Voila) without the test tools.
$(VENV)/.instructor: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23"
	$(PIP) install -e ".[instructor]"
	touch $(VENV)/.course $@

$(VENV)/.test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23"
	$(PIP) install -e ".[test]"
	touch $(VENV)/.course $(VENV)/.instructor $@

# Jupyter refuses to start as root unless told; classroom servers and
# containers often run as root, so allow it with a warning.
ROOT_FLAG = $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
ROOT_WARNING = $(if $(filter zh,$(EDITION)),提醒：正在以 root 身份运行 JupyterLab（在容器中没有问题；在多人共用的电脑上请使用普通账户）。,Warning: running JupyterLab as root (fine in a container; on a shared machine use an ordinary account).)

lab: $(VENV)/.course $(if $(filter zh,$(EDITION)),$(ZH_SETTINGS))
	@if [ -n "$(ROOT_FLAG)" ]; then echo "$(ROOT_WARNING)"; fi
	cd notebooks && $(LAB_ENV) ../$(BIN)/jupyter lab $(ROOT_FLAG) $(START)

$(ZH_SETTINGS):
	mkdir -p $@/@jupyterlab/translation-extension
	echo '{"locale": "zh_CN"}' > $@/@jupyterlab/translation-extension/plugin.jupyterlab-settings

# With npm on the machine, the site's and slides' pinned npm packages too (their
# tests need them; without npm those tests say so and skip, outside CI).
# In parallel (pytest-xdist), one worker per core by default (TEST_WORKERS=1
# runs serially): a notebook's nbval cells and the tests sharing a built site,
# slide decks or graded course stay on one worker (tests/conftest.py); each
# worker starts its own JupyterLab, Voila and Chromium once.
TEST_WORKERS ?= auto
# First the system packages (.ci/system-packages: Chromium, a Chinese font,
# bubblewrap, Node.js and npm, installed on Debian/Ubuntu when missing).
test: $(VENV)/.test
	@sh .ci/system-packages
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NPM_STAMP); fi
	$(BIN)/python -m pytest $(if $(filter 1,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)

bench: $(VENV)/.test
	$(BIN)/python -m casekit.bench

# Presenting (casekit/present.py): a wrong case id lists the valid ones and
# stops; answers typed in class go to a fresh temporary folder, so the boxes
# start empty and no student's answers file is read or written.
present: $(VENV)/.instructor
	$(BIN)/python -m casekit.present "$(CASE)" --lang $(EDITION) --port $(PORT)

# Student copies in notebooks/exercises/, where `make lab` shows them.
exercises: $(VENV)/.instructor
	$(BIN)/python -m casekit.nbtools student-copies

release: $(VENV)/.test
	$(BIN)/python -m casekit.grading release

grade: $(VENV)/.test
	$(BIN)/python -m casekit.grading grade "$(SUBMISSIONS)" $(if $(ALLOW_UNSANDBOXED),--allow-unsandboxed) $(if $(LMS),--lms "$(LMS)") $(if $(ROSTER),--roster "$(ROSTER)") --columns "$(COLUMNS)" --moodle-id "$(MOODLE_ID)"

# The class view (casekit/classview.py): the projected view never shows a
# name; VIEW=instructor opens the instructor's own view on port 8868.
class: $(VENV)/.instructor
	@if [ -z "$(ANSWERS)" ]; then echo "make class needs ANSWERS=<folder of the class's answer files> (an LMS download, JupyterHub home folders such as /home, or nbgrader's exchange)"; exit 2; fi
	$(BIN)/python -m casekit.classview "$(ANSWERS)" --layout $(LAYOUT) --lang $(EDITION) $(if $(filter instructor,$(VIEW)),--instructor) $(if $(ROSTER),--roster "$(ROSTER)") $(if $(EXCLUDE),--exclude "$(EXCLUDE)") --columns "$(COLUMNS)" --moodle-id "$(MOODLE_ID)" $(if $(CLASS_PORT),--port $(CLASS_PORT))

# Static pages for readers without Python (worked answers collapsed, what-ifs
# at their default settings with their charts), no network needed.
html: $(VENV)/.course
	$(BIN)/python -m casekit.nbtools html build/html notebooks/*.ipynb
	$(BIN)/python -m casekit.nbtools html build/html/zh notebooks/zh/*.ipynb

# The course site and the class slides (casekit/site.py, casekit/slides.py).
# Their JavaScript (require.js, the widget manager, MathJax, reveal.js) comes
# from npm, pinned in site/package-lock.json and installed with `npm ci`; the
# site and the decks serve it themselves (no CDN, no network when viewed).

$(VENV)/.site: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23"
	$(PIP) install -e ".[site]"
	touch $(VENV)/.course $@

$(NPM_STAMP): site/package.json site/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make site / make slides need Node.js and npm (Debian: sudo apt-get install nodejs npm)"; exit 1; }
	cd site && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

site: $(VENV)/.site $(NPM_STAMP)
	$(BIN)/python -m casekit.site build build/site

# CASE picks one case (default: every case). LANG given on the command line
# (make slides LANG=zh) picks one edition; the shell's own LANG (a locale such
# as en_US.UTF-8) does not narrow it, so both editions are built.
SLIDES_CASE := $(if $(filter file,$(origin CASE)),,--case $(CASE))
SLIDES_LANG := $(if $(filter command line,$(origin LANG)),$(EDITION),all)

slides: $(VENV)/.course $(NPM_STAMP)
	$(BIN)/python -m casekit.slides build build/slides $(SLIDES_CASE) --lang $(SLIDES_LANG)

notebooks: $(VENV)/.test
	$(BIN)/python -m casekit.nbtools execute notebooks/*.ipynb notebooks/zh/*.ipynb

readme: $(VENV)/.course
	$(BIN)/python -m casekit.cases readme README.md
	$(BIN)/python -m casekit.cases readme README.zh-CN.md

sources: $(VENV)/.course
	$(BIN)/python -m casekit.cases sources docs/sources.md

# Never removes notebooks/answers/: that is students' work.
clean:
	rm -rf build .pytest_cache screenshots
