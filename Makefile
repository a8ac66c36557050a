# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,dask]'
	touch $(STAMP)

## demo: install pinned dependencies and run the main job on the bundled demo election
demo: $(STAMP)
	$(BIN)/saylau demo

## test: install pinned dependencies and run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

## lint: ruff on the Python, sqlfluff (DuckDB dialect, rules in .sqlfluff) on sql/
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint sql

bench: $(STAMP)
	$(BIN)/python -m bench

## lock: re-pin constraints.txt from the current environment (after changing pyproject.toml)
lock: $(STAMP)
	{ head -n 2 constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -vi '^saylau'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf build $(VENV)
