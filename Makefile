# The README's commands. `make demo` and `make test` install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
BUILD := build
# The pinned Node.js 22 (installed beside CDK Terrain's CLI) runs both CLIs and jsii's runtime.
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/cdktn-cli/node_modules/.bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHECKPOINT_DISABLE := 1
# The cdktf CLI asks npm for its newest version at a terminal: never a lookup off the machine.
export DISABLE_VERSION_CHECK := 1
# Node.js 22's deprecation lines about the cdktf CLI's bundle (DEP0044) are nothing a user can act on.
export NODE_OPTIONS := --no-deprecation --max-old-space-size=4096
export TF_CLI_CONFIG_FILE := $(CURDIR)/$(BUILD)/terraformrc
export TF_IN_AUTOMATION := 1
# cdktf's shared plugin cache would hand one build of the lborg provider (always 0.1.0) to a stack
# locked to another build (the tests install several mirrors): off, so each init reads its mirror.
export CDKTF_DISABLE_PLUGIN_CACHE_ENV := 1

.PHONY: help setup venv bytecode node haproxy sshd postgresql nftables provider bindings synth test test-fast lint unit demo demo-down lab clean

help:
	@echo "make demo       deploy the demo site to a local simulated HA pair and verify its VIPs"
	@echo "make demo-down  stop what make demo or make lab started"
	@echo "make lab        (as root) the site's appliances, EAS stand-ins and an SSH server on loopback"
	@echo "                SITE=path/to/site.yaml for any of the three: a site whose addresses are 127.x"
	@echo "make test       lint, type-check and run every test (unit, provider, end to end)"
	@echo "make test-fast  the unit tests and a few real-terraform tests per package (before a push)"
	@echo "make unit       the in-process tests only (no simulator, terraform or HAProxy)"
	@echo "make setup      install everything the two commands above need"

setup: venv bytecode node haproxy sshd postgresql nftables provider

# The checkout's own modules are installed editable, so pip never compiles them; where the
# environment sets PYTHONDONTWRITEBYTECODE, Python would compile them again at every start
# (every terraform run starts the provider two or three times). Compiled once here (py_compile
# writes whatever that setting says); a file edited later is compiled in memory as before.
bytecode: venv
	$(PY) -m compileall -q eas_lb lborg_provider lborg_simulator lborg_support main.py

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt pyproject.toml
	@echo "==> Python virtual environment ($(VENV)) from pinned requirements"
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==26.3"
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node: node_modules/.installed cdktn-cli/node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@echo "==> cdktf CLI (npm, pinned in package-lock.json)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# CDK Terrain's CLI needs Node.js >= 22.19: the npm package `node` (pinned in its package-lock.json)
# installs that Node.js in cdktn-cli/node_modules/.bin, which every run of either CLI (and jsii's
# runtime, through JSII_NODE) puts first; the system's Node.js stays as it is.
cdktn-cli/node_modules/.installed: cdktn-cli/package.json cdktn-cli/package-lock.json
	@echo "==> CDK Terrain CLI and its Node.js 22 (npm, pinned in cdktn-cli/package-lock.json)"
	npm ci --prefix cdktn-cli --no-audit --no-fund --loglevel=error
	touch $@

haproxy:
	@command -v haproxy >/dev/null || { \
	  echo "==> HAProxy (Debian package)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq haproxy >/dev/null; }
	@haproxy -v | sed -n 1p

# OpenSSH's server binary: the tests start their own instance (own config, host key and port on
# loopback) as stand-in EAS servers and appliances. They never use the system service, which the
# package enables on a machine with systemd (`systemctl disable --now ssh` if it is unwanted).
sshd:
	@test -x /usr/sbin/sshd || { \
	  echo "==> OpenSSH server (Debian package openssh-server; the tests run their own instance)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openssh-server >/dev/null; }

# PostgreSQL's server programs: the team-state tests start their own cluster (initdb in a
# temporary directory, on loopback) as the Terraform `pg` backend; never the system service.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	  echo "==> PostgreSQL (Debian package postgresql; the tests run their own server)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql >/dev/null; }

# nftables and conntrack: the lab's kernel-NAT Layer 4 (`--layer4 kernel-nat`, root) and its tests
# run them inside network namespaces the lab creates; the host's own rules are never touched.
nftables:
	@{ command -v nft && command -v conntrack; } >/dev/null || { \
	  echo "==> nftables and conntrack (Debian packages; the kernel-NAT lab uses them in its namespaces)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nftables conntrack >/dev/null; }

provider: venv
	@echo "==> Terraform provider lborg into a local filesystem mirror"
	$(VENV)/bin/eas-lb provider install --dir $(BUILD)/terraform-mirror --cli-config $(BUILD)/terraformrc

bindings: provider node
	@echo "==> regenerating eas_lb/bindings (cdktf get) and eas_lb/bindings_cdktn (cdktn get)"
	$(PY) -m eas_lb.tools.regenerate_bindings

synth: setup
	cdktf synth

# lint-imports checks the import contracts of .importlinter (the layers, and which package may
# import which); a broken one prints its rule as a sentence and the import that breaks it.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo

# Workers for pytest-xdist: more than the two cores, because most tests wait on terraform,
# HAProxy or a simulated appliance; tests/conftest.py says which tests may run side by side.
WORKERS ?= 3

unit: venv
	$(PY) -m pytest -n 2 -m "not slow and not e2e"

test-fast: setup
	$(PY) -m pytest -n $(WORKERS) -m "(not slow and not e2e) or smoke"

test: setup lint
	$(PY) -m pytest -n $(WORKERS) --durations=10

SITE ?= examples/site-demo.yaml

demo: setup
	$(VENV)/bin/eas-lb demo run --site $(SITE)

demo-down: venv
	$(VENV)/bin/eas-lb demo down --site $(SITE)

lab: setup
	$(VENV)/bin/eas-lb lab up --site $(SITE)

clean:
	rm -rf $(BUILD) cdktf.out .pytest_cache .mypy_cache .ruff_cache
