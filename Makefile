# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Run apt as root directly, otherwise through sudo when there is one.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: run test lint bench screenshots clean browser-deps

$(PY):
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Debian's Chromium for the real-browser tests (Playwright cannot download its own browser
# here), and an emoji font so the page icons show in screenshots.
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f $(EMOJI_FONT) ]; then \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium fonts-noto-color-emoji; \
	fi

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

test: $(VENV)/.dev browser-deps
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

bench: $(VENV)/.dev
	$(PY) scripts/bench.py

screenshots: $(VENV)/.dev browser-deps
	CHORUS_SCREENSHOTS=docs $(PY) -m pytest tests/browser -k screenshots

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
