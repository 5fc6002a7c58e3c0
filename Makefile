# Two commands: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Only this machine by default: a demo on a shared network must not expose participants' data.
# `make run ADDRESS=0.0.0.0` serves every network the machine is on (put HTTPS in front of it).
ADDRESS ?= 127.0.0.1
export INCUBATOR_DB ?= data/incubator.duckdb
# Python keeps each module it compiles (__pycache__/*.pyc) unless PYTHONDONTWRITEBYTECODE says not to, as
# it does on this machine: then every process compiles pandas, Streamlit, scikit-learn and the app from
# source again, and `make test` starts about forty of them (two test workers, a `streamlit run` per
# browser test module, the command-line tests). Measured on the phone and plan browser tests: 93 s
# with the variable set, 73 s without (63 CPU-s -> 43). The installers leave compiling to first use.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install install-test db lint clean

# uv installs the same packages from the same registry as pip, in seconds instead of two minutes
# (measured on a fresh venv: 9 s against 125 s); pip stays the fallback if uv cannot be had.
UV := $(VENV)/bin/uv
define install_with_uv
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install --quiet uv || true
	if test -x $(UV); then $(UV) pip install --quiet --python $(PY) -e "$(1)"; \
	else $(PY) -m pip install --quiet -e "$(1)"; fi
endef

$(VENV)/.installed: pyproject.toml
	$(call install_with_uv,.)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(call install_with_uv,.[test])
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

# The tests' temporary files (each test's copy of a database, up to 12.8 MB, about a thousand of them)
# go to memory when /dev/shm is a tmpfs with 4 GiB free, as on this machine: on the ext4 disk here,
# mounted with `discard`, copying and deleting them cost the people, plans and programme tests 106 s
# against 95 s in memory. Elsewhere they stay in the usual temporary folder.
TEST_TMPDIR := $(shell df --output=fstype,avail -k /dev/shm 2>/dev/null | awk 'NR == 2 && $$1 == "tmpfs" && $$2 > 4194304 { print "/dev/shm" }')

# Every test, in one process per core (pytest-xdist); `pytest` alone runs them in one process.
# More options through PYTEST_ARGS, e.g. `make test PYTEST_ARGS=--durations=25`.
test: lint
	$(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR)) $(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) tests/artifacts
