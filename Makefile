# Two commands for a fresh Debian machine with Python 3.11: `make serve` and `make test`.
# Both create .venv from the exact pins on first use; `make test` also installs
# Chromium, a CJK font and Java (for the HTML validator) through apt when run as root.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material prints a banner about MkDocs 2.0 on every build; it is noise for editors.
export NO_MKDOCS_2_WARNING := 1

# Zensical, the second engine, in its own venv (no MkDocs in it).
ZVENV := .venv-zensical
ZBIN := $(ZVENV)/bin
ZSTAMP := $(ZVENV)/.installed

.PHONY: serve site test lint check system-deps benchmark lighthouse clean zensical-serve zensical-site

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	# Plain `mkdocs build` inside the venv stays quiet too (a .pth runs at start-up).
	echo 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")' \
	  > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/annotated_essay_quiet.pth"
	touch $@

$(ZSTAMP): requirements-zensical.lock pyproject.toml
	$(PYTHON) -m venv $(ZVENV)
	$(ZBIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-zensical.lock
	$(ZBIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

serve: $(STAMP)  ## Preview on http://127.0.0.1:8000, rebuilt on every edit.
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: $(STAMP)  ## Production build into site/.
	$(BIN)/mkdocs build --strict --site-dir site

zensical-serve: $(ZSTAMP)  ## Preview with Zensical on http://127.0.0.1:8001 (same mkdocs.yml and docs/).
	$(ZBIN)/zensical serve --dev-addr 127.0.0.1:8001

zensical-site: $(ZSTAMP)  ## Production build with Zensical into site/ (its CLI has no --site-dir).
	$(ZBIN)/zensical build --strict --clean

system-deps:  ## Chromium, a CJK font and Java, when missing and running as root.
	@if [ "$$(id -u)" = 0 ] && { [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'cjk' || ! command -v java >/dev/null; }; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-cjk default-jre-headless >/dev/null; \
	fi

lint: $(STAMP)  ## Ruff (lint and format check) and mypy.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: $(STAMP)  ## The strict build, as editors and CI run it (never with -q).
	$(BIN)/mkdocs build --strict --site-dir "$$(mktemp -d)/site"

test: $(STAMP) $(ZSTAMP) system-deps lint check  ## Every test; the site-build tests under MkDocs, then under Zensical.
	$(BIN)/pytest
	@echo "== The site-build tests again, under Zensical 0.0.73 (ANNOTATED_ESSAY_ENGINE=zensical):"
	ANNOTATED_ESSAY_ENGINE=zensical $(BIN)/pytest -m site_build

benchmark: $(STAMP)  ## Build-time benchmarks; writes benchmarks/RESULTS.md.
	$(BIN)/python benchmarks/run.py

lighthouse: $(STAMP)  ## Lighthouse scores, landing page and an essay page (npm ci on first use; not a test).
	$(BIN)/python benchmarks/lighthouse.py --runs 5

lock:  ## Re-resolve requirements.lock (with hashes) after editing requirements*.txt.
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools==7.6.2
	grep -hv '^#\|^-r' requirements.txt requirements-dev.txt | sort -u > .venv-lock/all.in
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links -o .venv-lock/all.lock .venv-lock/all.in
	{ sed -n 1,2p requirements.lock; grep -v '^#' .venv-lock/all.lock; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	grep -v '^#' requirements-zensical.txt > .venv-lock/zensical.in
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links -o .venv-lock/zensical.lock .venv-lock/zensical.in
	{ sed -n 1,2p requirements-zensical.lock; grep -v '^#\|# via -r' .venv-lock/zensical.lock; } > requirements-zensical.lock.new
	mv requirements-zensical.lock.new requirements-zensical.lock
	rm -rf .venv-lock

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache $(ZVENV)
