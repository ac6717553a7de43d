# Two commands for a fresh Debian machine with Python 3.11: `make serve` and `make test`.
# Both create .venv from the exact pins on first use (saying so, with pip's progress);
# `make test` first installs Chromium, a CJK font and Java (for the HTML validator)
# through apt when run as root, and says at once what to run when it is not.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material prints a banner about MkDocs 2.0 on every build; it is noise for editors.
export NO_MKDOCS_2_WARNING := 1
# What `system-deps` looks for; overridable so tests/test_makefile.py can try each case.
USER_ID ?= $(shell id -u)
CHROMIUM ?= /usr/bin/chromium

# Zensical, the second engine, in its own venv (no MkDocs in it).
ZVENV := .venv-zensical
ZBIN := $(ZVENV)/bin
ZSTAMP := $(ZVENV)/.installed

.PHONY: serve site test lint check system-deps benchmark lighthouse lock clean zensical-serve zensical-site

# --clear: the venv holds exactly the lock, also after a package leaves it.
$(STAMP): requirements.lock pyproject.toml
	@echo "Setting up $(VENV) from requirements.lock: first run only (again when the pins change), about a minute."
	@$(PYTHON) -m venv --clear $(VENV) || { \
	  echo "Could not create $(VENV). On Debian: sudo apt-get install python3-venv (see README, Prerequisites)."; exit 1; }
	$(BIN)/pip install --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@# Plain `mkdocs build` inside the venv stays quiet too (a .pth runs at start-up).
	@echo 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")' \
	  > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/annotated_essay_quiet.pth"
	@touch $@
	@echo "$(VENV) is ready."

$(ZSTAMP): requirements-zensical.lock pyproject.toml
	@echo "Setting up $(ZVENV) (Zensical) from requirements-zensical.lock: first run only (again when its pins change)."
	@$(PYTHON) -m venv --clear $(ZVENV) || { \
	  echo "Could not create $(ZVENV). On Debian: sudo apt-get install python3-venv (see README, Prerequisites)."; exit 1; }
	$(ZBIN)/pip install --disable-pip-version-check --require-hashes -r requirements-zensical.lock
	$(ZBIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@
	@echo "$(ZVENV) is ready."

serve: $(STAMP)  ## Preview on http://127.0.0.1:8000, rebuilt on every edit.
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: $(STAMP)  ## Production build into site/.
	$(BIN)/mkdocs build --strict --site-dir site

zensical-serve: $(ZSTAMP)  ## Preview with Zensical on http://127.0.0.1:8001 (same mkdocs.yml and docs/).
	$(ZBIN)/zensical serve --dev-addr 127.0.0.1:8001

zensical-site: $(ZSTAMP)  ## Production build with Zensical into site/ (its CLI has no --site-dir).
	$(ZBIN)/zensical build --strict --clean

system-deps:  ## Chromium, a CJK font and Java, when missing (apt, as root; otherwise says what to run).
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi cjk || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$(USER_ID)" != 0 ]; then \
	  echo "Not running as root: system packages skipped (missing:$$missing)."; \
	  echo "  The browser tests need Chromium and a CJK font and fail without them; the HTML check needs Java."; \
	  echo "  Install them with: sudo make system-deps   (that is: sudo apt-get install$$missing)"; \
	  exit 0; \
	fi; \
	echo "Installing system packages with apt (first run only):$$missing"; \
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing

lint: $(STAMP)  ## Ruff (lint and format check) and mypy.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: $(STAMP)  ## The strict build, as editors and CI run it (never with -q), into a folder removed after.
	@tmp="$$(mktemp -d)" && trap 'rm -rf "$$tmp"' EXIT && \
	echo "$(BIN)/mkdocs build --strict --site-dir $$tmp/site" && \
	$(BIN)/mkdocs build --strict --site-dir "$$tmp/site"

# system-deps first: a missing browser is reported before minutes of installing.
test: system-deps $(STAMP) $(ZSTAMP) lint check  ## Every test; the site-build tests under MkDocs, then under Zensical.
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

clean:  ## What builds and tests leave, and .venv-zensical; .venv and the benchmark's venvs (benchmarks/.work/) stay.
	rm -rf site test-output .hypothesis .cache .annotated-essay-cache .venv-lock .pytest_cache .mypy_cache .ruff_cache $(ZVENV)
