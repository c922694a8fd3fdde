# Two commands on a fresh machine with only python3: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.esma-installed

.PHONY: run test bench docs clean

# editable_mode=compat installs a plain path entry, not an import hook that site runs at every
# start of Python (15 ms of each `esma` command, measured); plain -e where it is not offered.
# compileall: the package's bytecode is read even where PYTHONDONTWRITEBYTECODE is set.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat \
		|| $(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m compileall -q esma_sympy
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/esma search E

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet --prefer-binary -e '.[bench]'
	$(PY) benchmarks/bench_convergents.py
	$(PY) benchmarks/bench_values.py
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_expand.py
	$(PY) benchmarks/bench_recurrence.py
	$(PY) benchmarks/bench_massey.py
	$(PY) benchmarks/bench_kernels.py
	$(PY) benchmarks/bench_search.py
	$(PY) benchmarks/bench_fold.py
	$(PY) benchmarks/bench_equivalence.py
	$(PY) benchmarks/bench_dask.py
	$(PY) benchmarks/bench_dask.py --constant pi --periods 9-11 --skip-projection
	$(PY) benchmarks/acceptance_proofs.py
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_atlas.py

docs: $(STAMP)
	$(PY) -m sphinx -W -b html docs docs/_build/html

clean:
	rm -rf $(VENV) build *.egg-info
