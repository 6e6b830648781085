# Every target creates .venv from the pinned lock file when it is missing or stale.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := False
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test eval train bench docs ui clean debian-packages review

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PY) >/dev/null || { echo "error: $(PY) not found; install Python 3.11 or run 'make PY=/path/to/python3.11'"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Debian packages the tests need: a browser and its driver (the review page is tested in chromium),
# and a CJK font, without which pdfium draws no Chinese when it renders a page.
DEBIAN_PACKAGES := chromium chromium-driver fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
debian-packages:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
		$(DEBIAN_PACKAGES) >/dev/null; }

run: $(STAMP)
	$(BIN)/zhijiao refresh

test: $(STAMP) debian-packages
	$(BIN)/python -m pytest -q

# Scores extraction on ../shared when it is beside the repo (the samples, then real_dev: reports by
# other writers), else on the copies in raw/ and tests/gold/; then leave one set out: each gold set
# scored by a scorer trained on all the others.
SHARED := $(wildcard ../shared/spec/gold)
REAL_DEV := $(wildcard ../shared/real_dev/gold)
eval: $(STAMP)
	$(BIN)/zhijiao eval $(if $(SHARED),--reports ../shared/reports --gold ../shared/spec/gold)
	$(if $(REAL_DEV),$(BIN)/zhijiao eval --reports ../shared/real_dev/pdf --gold ../shared/real_dev/gold)
	$(BIN)/python tools/train_scorer.py --loso

# The learned scorer (orchestration/extraction/model/scorer.npz) from every gold set in the repository.
train: $(STAMP)
	$(BIN)/python tools/train_scorer.py

# Synthetic corpora (N = 50, 200, 1000; generated, never committed) → bench/results.json.
# BENCH_ARGS="--sizes 50 200" for a shorter run.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# dbt docs (lineage and column descriptions) into dbt_project/target; the gate report is written to
# warehouse/gate_report/ by every refresh.
docs: $(STAMP)
	@test -f warehouse/build.duckdb || $(BIN)/zhijiao refresh
	cd dbt_project && ZHIJIAO_BUILD_DB=$(CURDIR)/warehouse/build.duckdb ../$(BIN)/dbt docs generate --profiles-dir .
	@echo "dbt docs: dbt_project/target/index.html   gate report: warehouse/gate_report/index.html"

ui: $(STAMP)
	$(BIN)/zhijiao ui

review: $(STAMP)
	$(BIN)/zhijiao review

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
