# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml clients/python/pyproject.toml | sha1sum | cut -c1-12)
export FRAMINGS_DB ?= var/framings.db
export PORT ?= 8080

.PHONY: run test quick lint format bench clean

# The client distribution (clients/python) too: the server's CLI builds on it, and it installs
# the `framings` command. After the server, so that replacing an older server (which had a
# `framings` of its own) cannot take the command away.
$(STAMP): pyproject.toml clients/python/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e ./clients/python
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/gunicorn -c gunicorn.conf.py

test: $(STAMP)
	$(BIN)/ruff check service schemas tests bench clients
	bash tests/system-deps.sh
	PYTHON=$(PYTHON) bash tests/tool-deps.sh
	$(BIN)/python -m pytest

# Everyday: no live servers (slow) and no generated-input runs (property); `make test` runs all.
quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not property"

lint: $(STAMP)
	$(BIN)/ruff check service schemas tests bench clients
	$(BIN)/ruff format --check service schemas tests bench clients

format: $(STAMP)
	$(BIN)/ruff format service schemas tests bench clients
	$(BIN)/ruff check --fix service schemas tests bench clients

bench: $(STAMP)
	test ! -f bench/score.py || $(BIN)/python bench/score.py
	$(BIN)/python bench/http_load.py

clean:
	rm -rf $(VENV) var

# The container (docs/deploy.md). `--network host` and 127.0.0.1: this machine allows loopback only.
IMAGE ?= framings
.PHONY: docker-build docker-run

docker-build:
	docker build --network host -t $(IMAGE) .

docker-run:
	docker run --rm --network host -e HOST=127.0.0.1 -e PORT=$(PORT) -v framings-data:/data $(IMAGE)

.PHONY: docker-test
# Installs and starts a Docker engine with the shared script (minutes on a new machine), then
# runs the container tests; `make test` runs them only where an engine is already installed.
docker-test: $(STAMP)
	bash ../shared/tools/docker-local-base.sh
	FRAMINGS_DOCKER_TESTS=1 $(BIN)/python -m pytest tests/system/test_docker.py
