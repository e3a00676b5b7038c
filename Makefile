# Proctor Desk: the two set-up commands of the README, and a few helpers.
#   make run   — system packages, virtual environment, build the UI, start the app on the demo
#                (with no display: under Xvfb, saving a screenshot to screenshots/startup.png)
#   make test  — the same set-up plus test tools, then ruff, mypy and the whole test suite (on every
#                core, at most four workers)
#   make lock  — refresh requirements/*.lock (every version and hash the two commands install)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The demo's own data folder: make run never seeds demo records into the real one.
DEMO_DIR ?= .demo-data

RUN_LOCK := requirements/run.lock
DEV_LOCK := requirements/dev.lock
PKG_LOCK := requirements/package.lock
# make lock resolves what the package index served at this moment (UTC); the date is written into
# each lock's header, so `make lock LOCK_DATE=<that date>` reproduces the committed files.
LOCK_DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --upgrade \
             --exclude-newer $(LOCK_DATE)

.PHONY: run test lint typecheck ui translations system-deps system-deps-test screenshots lock \
        package package-test clean

system-deps:
	@sh tools/system_deps.sh run

system-deps-test:
	@sh tools/system_deps.sh test

# A venv whose creation failed is removed, so the next run starts it again from scratch;
# the stamp is written only once the venv works.
$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "Proctor Desk needs Python 3.11 or newer as $(PYTHON) (make PYTHON=python3.12 …)." >&2; exit 1; }
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV): install python3-venv (make system-deps does)." >&2; exit 1; }
	@touch $@

# Versions and hashes come from the locks only; the project itself is installed without
# resolving anything (its build back end, setuptools, is in the lock too).
$(VENV)/.installed-run: $(RUN_LOCK) pyproject.toml | $(VENV)/.created
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(RUN_LOCK)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(DEV_LOCK) pyproject.toml | $(VENV)/.created
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(DEV_LOCK)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed-run

# Compiled Designer forms and .qm translations are generated, never committed.
ui:
	$(BIN)/python tools/build_ui.py
	$(BIN)/python tools/translations.py build
	$(BIN)/python tools/translations.py pseudo

# The demo folder holds synthetic records only: its keys open with a known passphrase, so the
# demo starts without the site head's key dialog (a real data folder asks for its own).
run screenshots: export PROCTOR_DESK_DEVICE_PASSPHRASE ?= demo data only
run: system-deps $(VENV)/.installed-run ui
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	  $(BIN)/proctor-desk --data-dir $(DEMO_DIR) --demo; \
	else \
	  mkdir -p screenshots; \
	  echo "No display: running the app under Xvfb and saving screenshots/startup.png"; \
	  xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/proctor-desk --data-dir $(DEMO_DIR) --demo \
	    --screenshot screenshots/startup.png && ls -l screenshots/startup.png; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests benchmarks tools

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy app

test: system-deps-test $(VENV)/.installed-test ui lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider -n auto --maxprocesses=4

lock: $(VENV)/.installed-test
	$(UV_COMPILE) pyproject.toml requirements/build.in -o $(RUN_LOCK)
	$(UV_COMPILE) pyproject.toml requirements/build.in requirements/tools.in --extra test \
	  -c $(RUN_LOCK) -o $(DEV_LOCK)
	$(UV_COMPILE) pyproject.toml requirements/build.in requirements/package.in \
	  -c $(DEV_LOCK) -o $(PKG_LOCK)

# The one-folder desktop build (dist/), from the run lock plus PyInstaller's own lock.
$(VENV)/.installed-package: $(PKG_LOCK) pyproject.toml | $(VENV)/.created
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(PKG_LOCK)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

package: system-deps $(VENV)/.installed-package ui
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
	  packaging/proctor-desk.spec

# The frozen app run as a user runs it: every command group, the window, a signed report and
# the self-test (also in a copy with its rulebooks removed).
package-test: package $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider tests/frozen

# PNGs of the main screens in both languages, under Xvfb, into screenshots/.
screenshots: system-deps $(VENV)/.installed-run ui
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) app/ui/generated screenshots build dist .pytest_cache .mypy_cache .ruff_cache
