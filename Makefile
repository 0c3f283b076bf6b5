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

.PHONY: setup demo test test-fast compile fuzz bench slither upgrade-check clean brownie-compile brownie-test brownie-test-ganache \
        brownie-run brownie-ci brownie-networks

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

.solcx/solc-v$(SOLC_VERSION): $(VENV)/.installed node_modules/.installed src/ipledger/build/_shim/solc-cli.js
	$(PY) -m ipledger.build.setup

demo: setup
	$(BIN)/ipledger demo

# The suite runs on PYTEST_WORKERS processes (pytest-xdist; a test file stays on one worker, so its module
# fixtures are built once); PYTEST_WORKERS=0 runs it in this process. The contracts are compiled first, once.
PYTEST_WORKERS ?= 2
XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

test: setup
	$(BIN)/ipledger compile >/dev/null
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not nodes and not slow" $(PYTEST_ARGS)

compile: setup
	$(BIN)/ipledger compile

fuzz: setup
	IPLEDGER_FUZZ_PROFILE=long $(PY) -m pytest tests/invariants/test_invariants.py -q -s

bench: setup
	$(PY) benchmarks/gas.py
	$(PY) benchmarks/bulk.py
	$(PY) benchmarks/index.py

slither: setup
	$(PY) -m pytest tests/system/test_slither.py -q

# OpenZeppelin upgrades-core over the build-info (docs/upgrades.md); one line per problem, exit 1 if any
upgrade-check: setup
	$(BIN)/ipledger upgrade check

clean:
	rm -rf build .solcx .pytest_cache .hypothesis

# ---------------------------------------------------------------- brownie (docs/brownie.md)
#   make brownie-compile        brownie compile with the registered solcjs shim (solc 0.8.28)
#   make brownie-test           tests_brownie/ on anvil   (BROWNIE_TESTS=tests_brownie/licensing,
#                               BROWNIE_TEST_ARGS="-k assignment -x")
#   make brownie-test-ganache   tests_brownie/ on Ganache
#   make brownie-run            scripts/deploy.py, then scripts/register_and_transfer.py, on anvil
#                               (BROWNIE_SCRIPTS=..., BROWNIE_NETWORK=ipledger-ganache)
#   make brownie-ci             all of the above; fails on the first failure
# Each brownie call gets the venv's bin/ first on PATH (brownie launches `anvil` and
# `ganache-cli` from PATH), a free port for the node it launches (BROWNIE_NODE_PORT, read
# by brownie-config.yaml) and a writable HOME for ~/.brownie; no node outlives the call.
BROWNIE_NETWORK ?= ipledger-anvil
BROWNIE_SCRIPTS ?= scripts/deploy.py scripts/register_and_transfer.py
BROWNIE_TESTS ?= tests_brownie
BROWNIE_TEST_ARGS ?=
BROWNIE_HOME := $(shell [ -n "$$HOME" ] && [ -d "$$HOME" ] && [ -w "$$HOME" ] && echo "$$HOME" || echo "$(CURDIR)/build/brownie-home")
BROWNIE_ENV := HOME="$(BROWNIE_HOME)" PATH="$(CURDIR)/$(BIN):$$PATH"
FREE_PORT := $(PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
BROWNIE_KNOWS := $(BROWNIE_ENV) $(PY) -c 'import sys; from brownie._config import CONFIG; sys.exit(sys.argv[1] not in CONFIG.networks)'
# pyproject's addopts disable brownie's pytest plugin (-p no:pytest-brownie): replace them.
# brownie 1.22 warns about its own rpc.snapshot calls on every test: hide that noise.
BROWNIE_PYTEST := -o addopts="-ra" -W "ignore:rpc.:FutureWarning"
# $(call brownie,ARGS): brownie ARGS, its node on a free port; then stops a node still on that
# port (brownie leaves its node running when it dies before its exit handler, e.g. when its
# output pipe is closed) and exits with brownie's status.
define brownie
port=$$($(FREE_PORT)); \
$(BROWNIE_ENV) BROWNIE_NODE_PORT=$$port $(CURDIR)/$(BIN)/brownie $(1); rc=$$?; \
left=$$(pgrep -f -- "(anvil|ganache).* --(server\.)?port $$port( |$$)"); \
if [ -n "$$left" ]; then kill $$left; echo "stopped the node brownie left on port $$port:" $$left >&2; fi; \
exit $$rc
endef

# Declares the two brownie network ids in ~/.brownie/network-config.yaml once (idempotent).
brownie-networks: setup
	@mkdir -p "$(BROWNIE_HOME)"
	@for net in "ipledger-anvil anvil" "ipledger-ganache ganache-cli"; do set -- $$net; \
	  $(BROWNIE_KNOWS) "$$1" && continue; \
	  $(BROWNIE_ENV) $(CURDIR)/$(BIN)/brownie networks add development "$$1" cmd="$$2" host=http://127.0.0.1 \
	    port=8555 >/dev/null; \
	  $(BROWNIE_KNOWS) "$$1" || { echo "could not declare brownie network $$1 in $(BROWNIE_HOME)/.brownie" >&2; exit 1; }; \
	done

brownie-compile: setup
	@mkdir -p "$(BROWNIE_HOME)"
	@$(PY) -c 'import solcx, sys; sys.exit(0 if "$(SOLC_VERSION)" in {str(v) for v in solcx.get_installed_solc_versions()} else "solc $(SOLC_VERSION) is not registered in SOLCX_BINARY_PATH: run make setup")'
	@$(call brownie,compile)

brownie-test: brownie-networks
	@$(call brownie,test $(BROWNIE_TESTS) --network ipledger-anvil $(BROWNIE_PYTEST) $(BROWNIE_TEST_ARGS))

brownie-test-ganache: brownie-networks
	@$(call brownie,test $(BROWNIE_TESTS) --network ipledger-ganache $(BROWNIE_PYTEST) $(BROWNIE_TEST_ARGS))

brownie-run: brownie-networks
	@for script in $(BROWNIE_SCRIPTS); do \
	  echo "== brownie run $$script --network $(BROWNIE_NETWORK)"; \
	  ( $(call brownie,run "$$script" --network $(BROWNIE_NETWORK)) ) || exit $$?; \
	done

BROWNIE_CI_TESTS ?= tests_brownie

brownie-ci: setup
	$(MAKE) --no-print-directory brownie-compile
	$(MAKE) --no-print-directory brownie-test BROWNIE_TESTS="$(BROWNIE_CI_TESTS)" BROWNIE_TEST_ARGS=
	$(MAKE) --no-print-directory brownie-test-ganache BROWNIE_TESTS="$(BROWNIE_CI_TESTS)" BROWNIE_TEST_ARGS=
	$(MAKE) --no-print-directory brownie-run BROWNIE_NETWORK=ipledger-anvil \
	  BROWNIE_SCRIPTS="scripts/deploy.py scripts/register_and_transfer.py"
