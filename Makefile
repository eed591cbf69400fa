# The words people expect: run, test, lint, fmt. Each bootstraps .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast test-slow lint fmt bench bench-scale chaos chaos-pg fuzz clean browser screenshots

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

# The slow tier alone: the tests that start processes (among them the multi-process fault
# test on PostgreSQL, tests/ops), the whole engine, or run for many seconds.
test-slow: $(STAMP)
	$(BIN)/pytest -q -m "slow and not browser"

# Every console page at 360 px and desktop width, then each page's server time, weight and
# axe-core counts in docs/console.md.
screenshots: $(STAMP) browser
	$(BIN)/python -m tests.api.console.screenshots
	$(BIN)/python -m tests.api.console.report

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

# Row 6 alone: one million events on SQLite and on PostgreSQL (a few GB of disk under the
# temporary folder; not run in CI). 55 minutes measured on two cores under a load of about 10.
# One database alone: python -m bench --only "6. scale, SQLite" (or "6. scale, PostgreSQL").
bench-scale: $(STAMP)
	$(BIN)/python -m bench --only "6."

# kill -9 of the worker, the API and the projector under 1,000 keyed decisions (SQLite);
# counts to docs/chaos.json and from there into row 7 of docs/benchmarks.md.
chaos: $(STAMP)
	$(BIN)/python -m bench.chaos; status=$$?; $(BIN)/python -m bench --only "7. Faults"; exit $$status

# 3 APIs + 3 workers + 2 projectors on PostgreSQL (max_connections 100), 1,000 decisions from
# 16 clients: answers of 500, stuck keys and connections at peak, kept in docs/connections.json
# under LABEL (e.g. LABEL=after-pool) and shown as row 7b.
LABEL ?= latest
chaos-pg: $(STAMP)
	$(BIN)/python -m bench.chaos --postgres --label $(LABEL); status=$$?; \
		$(BIN)/python -m bench --only "7b."; exit $$status

# The schemathesis test with 1,000 examples per operation and 1,000 stateful scenarios; its
# counts go to docs/fuzz.json and from there into row 8 of docs/benchmarks.md (failed or not).
fuzz: $(STAMP)
	JEJAK_FUZZ_EXAMPLES=1000 JEJAK_FUZZ_RESULT=docs/fuzz.json \
		$(BIN)/pytest tests/api/test_schemathesis.py -q; status=$$?; \
		$(BIN)/python -m bench --only "8. Fuzz"; exit $$status

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
