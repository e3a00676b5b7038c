# Proctor Desk: the two set-up commands of the README, and a few helpers.
#   make run   — system packages, virtual environment, build the UI, start the app
#                (with no display: under Xvfb, saving a screenshot to screenshots/startup.png)
#   make test  — the same set-up plus test tools, then ruff, mypy and the whole test suite

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Debian packages: the CJK TrueType font, Xvfb and the X libraries Qt's xcb plugin needs.
APT_RUN  := fonts-wqy-microhei xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 \
            libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 \
            libegl1 libgl1 libfontconfig1 libdbus-1-3
# Test tools: pdftotext/pdffonts/pdftoppm/pdfsig, certutil to trust a certificate for pdfsig,
# zbarimg to read the QR code back.
APT_TEST := poppler-utils poppler-data libnss3-tools zbar-tools

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint typecheck ui translations system-deps system-deps-test screenshots clean

define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	  grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "Please install: $$missing" >&2; fi; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_RUN))

system-deps-test: system-deps
	$(call apt_install,$(APT_TEST))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Compiled Designer forms and .qm translations are generated, never committed.
ui:
	$(BIN)/python tools/build_ui.py
	$(BIN)/python tools/translations.py build
	$(BIN)/python tools/translations.py pseudo

run: system-deps $(VENV)/.installed-run ui
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	  $(BIN)/proctor-desk --demo; \
	else \
	  mkdir -p screenshots; \
	  echo "No display: running the app under Xvfb and saving screenshots/startup.png"; \
	  xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/proctor-desk --demo \
	    --screenshot screenshots/startup.png && ls -l screenshots/startup.png; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests benchmarks tools

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy app/core

test: system-deps-test $(VENV)/.installed-test ui lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider

# PNGs of the main screens in both languages, under Xvfb, into screenshots/.
screenshots: system-deps $(VENV)/.installed-run ui
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) app/ui/generated screenshots .pytest_cache .mypy_cache .ruff_cache
