# The pet store: `make run` starts the local stack, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# checkov pins packaging<24, which pytest 9 cannot live with: the scanner gets a virtualenv of its own.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

.PHONY: run test lint unit bench eval package checkov deploy-dev browser-deps clean openapi mcp

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet 'pip==26.2.1'
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(CHECKOV_STAMP): infra/requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet -r infra/requirements-checkov.txt
	touch $@

run: $(STAMP)
	$(BIN)/python -m localdev

# Debian's Chromium for the browser tests; installed only when missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The packaged template's tests run cfn-lint and checkov (tests/infrastructure/test_package.py).
test: $(STAMP) $(CHECKOV_STAMP) browser-deps lint
	$(BIN)/python -m pytest

# The minute-by-minute loop: pure code, no emulator, no browser.
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q

# The API's OpenAPI description, generated from the route table (for the AgentCore Gateway target).
openapi: $(STAMP)
	$(BIN)/python -m agents.openapi build/openapi.json
	$(BIN)/python -m agents.openapi --agents build/openapi-agents.json

# The MCP server on stdio, for agents; set PETSTORE_CONFIG_URL (or the other PETSTORE_* variables).
mcp: $(STAMP)
	$(BIN)/python -m agents.mcp_server

bench: $(STAMP)
	$(BIN)/python -m localdev.bench

# The readers on the labelled corpus, offline: the model is played by a stand-in (no AWS, no cost).
# With AWS credentials: python -m localdev.evaluate --reader auto --reader bedrock --model aws
eval: $(STAMP)
	$(BIN)/python -m localdev.evaluate --reader keyword --reader auto --reader bedrock --model stand-in

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) build test-artifacts .pytest_cache .mypy_cache .ruff_cache

# Deploying (see "Deploying to AWS" in the README). `package` is offline; the others need AWS credentials.
STAGE ?= prod

package: $(STAMP) $(CHECKOV_STAMP)
	$(BIN)/python -m infra.deploy package --stage $(STAGE)
	$(BIN)/cfn-lint build/$(STAGE)/sam.json
	$(MAKE) --no-print-directory checkov

# Scans the last packaged template; fails on any failed check (skips carry their reason in the template).
checkov: $(CHECKOV_STAMP)
	$(CHECKOV_VENV)/bin/checkov -f build/$(STAGE)/sam.json --framework cloudformation --compact --quiet --skip-download

deploy-dev: $(STAMP)
	$(BIN)/python -m infra.deploy bootstrap --stage dev
	$(BIN)/chalice deploy --stage dev
	$(BIN)/python -m infra.deploy configure-api --stage dev
	$(BIN)/python -m infra.deploy publish-page --stage dev
