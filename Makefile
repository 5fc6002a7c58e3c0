# Two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Only this machine by default: a demo on a shared network must not expose participants' data.
# `make run ADDRESS=0.0.0.0` serves every network the machine is on (put HTTPS in front of it).
ADDRESS ?= 127.0.0.1
export INCUBATOR_DB ?= data/incubator.duckdb

.PHONY: run test install install-test db lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

db: install
	$(PY) -m incubator init
	$(PY) -m incubator seed

run: db
	$(PY) -m streamlit run streamlit_app.py --server.headless true --server.address $(ADDRESS) --server.port $(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Every test, in one process per core (pytest-xdist); `pytest` alone runs them in one process.
# More options through PYTEST_ARGS, e.g. `make test PYTEST_ARGS=--durations=25`.
test: lint
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) tests/artifacts
