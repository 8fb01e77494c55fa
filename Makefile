# The course's commands. The two a user needs are `make lab` and `make test`;
# both create the Python environment in .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
CASE   ?= hotel_guarantee
SUBMISSIONS ?= exercises/submitted
# make grade ALLOW_UNSANDBOXED=1 grades even where no sandbox (bubblewrap,
# podman, docker) is found: student code then runs with your rights.
ALLOW_UNSANDBOXED ?=
PORT   ?= 8866

.PHONY: lab test bench release grade present notebooks readme clean help

help:
	@echo "make lab        open the course in JupyterLab (creates .venv on first use)"
	@echo "make test       run every test (creates .venv with the test tools on first use)"
	@echo "make bench      print speed figures and write build/bench.json"
	@echo "make present CASE=hotel_guarantee   show a case in Voila (code hidden) for class"
	@echo "make release    build student copies of the exercises (nbgrader)"
	@echo "make grade SUBMISSIONS=path         autograde a folder of submissions (each kernel in a sandbox)"
	@echo "make notebooks  re-execute every notebook in a fresh kernel and save it"

# One stamp per set of extras; the stamp is rebuilt when pyproject.toml changes.
$(VENV)/.course: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23"
	$(PIP) install -e .
	touch $@

$(VENV)/.test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23"
	$(PIP) install -e ".[test]"
	touch $(VENV)/.course $@

lab: $(VENV)/.course
	cd notebooks && ../$(BIN)/jupyter lab 00_start_here.ipynb

test: $(VENV)/.test
	$(BIN)/python -m pytest

bench: $(VENV)/.test
	$(BIN)/python -m casekit.bench

present: $(VENV)/.test
	cd notebooks && ../$(BIN)/voila --port=$(PORT) --Voila.ip=127.0.0.1 \
	    $$(../$(BIN)/python -m casekit.cases notebook $(CASE))

release: $(VENV)/.test
	$(BIN)/python -m casekit.grading release

grade: $(VENV)/.test
	$(BIN)/python -m casekit.grading grade "$(SUBMISSIONS)" $(if $(ALLOW_UNSANDBOXED),--allow-unsandboxed)

notebooks: $(VENV)/.test
	$(BIN)/python -m casekit.nbtools execute notebooks/*.ipynb

readme: $(VENV)/.course
	$(BIN)/python -m casekit.cases readme README.md

clean:
	rm -rf build .pytest_cache notebooks/answers
