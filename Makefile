# IP Ledger: every target sets up what it needs first (idempotent), then does its job.
#   make demo    set up, then run the demo on the embedded chain
#   make test    set up, then run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SOLC_VERSION := 0.8.28
PYTEST_ARGS ?=

.PHONY: setup demo test test-fast compile fuzz bench clean brownie-compile brownie-test brownie-test-ganache

setup: $(VENV)/.installed node_modules/.installed .solcx/solc-v$(SOLC_VERSION)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip check
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

.solcx/solc-v$(SOLC_VERSION): $(VENV)/.installed node_modules/.installed src/ipledger/_shim/solc-cli.js
	$(PY) -m ipledger.toolchain

demo: setup
	$(BIN)/ipledger demo

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not nodes and not slow" $(PYTEST_ARGS)

compile: setup
	$(BIN)/ipledger compile

clean:
	rm -rf build .solcx .pytest_cache .hypothesis
