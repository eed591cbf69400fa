# The words people expect: run, test, lint, fmt. Each bootstraps .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint fmt bench bench-scale chaos fuzz clean browser screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=77" wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/jejak up

# The console's browser tests drive the distribution's Chromium (CI runs as root).
CHROMIUM := /usr/bin/chromium

browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium; }

test: $(STAMP) browser
	$(BIN)/pytest

# The fast tier: no PostgreSQL, no Temporal, no browser, no child processes. The fixtures a
# test uses mark it (tests/conftest.py), so a new test lands in the right tier by itself.
# The fuzz module is slow throughout; it is not even collected here, since collecting it builds
# its thousands of cases (8 s). Two workers, one per core: about 25 s for 1,000 tests.
FAST := not postgres and not temporal and not browser and not slow
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "$(FAST)" --ignore=tests/api/test_schemathesis.py -n 2

screenshots: $(STAMP) browser
	$(BIN)/python -m tests.api.console.screenshots

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	command -v wrk >/dev/null || $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y wrk
	$(BIN)/python -m bench

# Row 6 alone: one million events on SQLite and on PostgreSQL (about 15 to 30 minutes on two
# cores, a few GB of disk under the temporary folder; not run in CI).
bench-scale: $(STAMP)
	$(BIN)/python -m bench --only "6."

chaos: $(STAMP)
	$(BIN)/python -m bench.chaos

# The schemathesis test with 1,000 examples per operation and 1,000 stateful scenarios; its
# counts go to docs/fuzz.json and from there into row 8 of docs/benchmarks.md (failed or not).
fuzz: $(STAMP)
	JEJAK_FUZZ_EXAMPLES=1000 JEJAK_FUZZ_RESULT=docs/fuzz.json \
		$(BIN)/pytest tests/api/test_schemathesis.py -q; status=$$?; \
		$(BIN)/python -m bench --only "8. Fuzz"; exit $$status

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
