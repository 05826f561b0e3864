# Tangerine Market. `make run` serves the product; `make test` runs every test.
# Everything a command needs is installed by the command itself (see README.md).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export SSL_CERT_FILE ?= /etc/ssl/certs/ca-certificates.crt
# Development defaults for `make run` / `make api`; every one can be overridden.
RUN_ENV := DEBUG=$${DEBUG:-true} OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1}
PORT ?= 8000

.PHONY: run run-prod api test lint format lock web-build web-deps system-deps migrate seed clean help

help:
	@echo "make run    - the whole product at http://127.0.0.1:3000 (web + API)"
	@echo "make api    - Django only (HTTP + WebSocket + /media/) on PORT=$(PORT)"
	@echo "make test   - every test (Python, channel layers, Chromium end to end)"
	@echo "make lint   - ruff, mypy, ESLint and TypeScript"

# The virtualenv is rebuilt when the lock or the project metadata change.
$(VENV)/.installed: requirements.lock pyproject.toml packages/channels_pulsar/pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(VENV)/bin/pip install --quiet --disable-pip-version-check uv
	$(UV) pip sync --python $(PY) requirements.lock
	$(UV) pip install --python $(PY) --no-deps -e . -e packages/channels_pulsar
	@touch $@

venv: $(VENV)/.installed

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-deps: web/node_modules/.installed

# Regenerates the OpenAPI schema and the typed client, then builds the web app.
web-build: venv web-deps
	$(RUN_ENV) $(PY) manage.py spectacular --file web/openapi.yaml --validate --fail-on-warn
	cd web && npm run --silent generate && npm run --silent build

migrate: venv
	$(RUN_ENV) $(PY) manage.py migrate --noinput

seed: venv
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty

run: venv web-build migrate seed
	@echo "Tangerine Market: http://127.0.0.1:3000 (API on http://127.0.0.1:8000)"
	$(RUN_ENV) scripts/run.sh

# The process model (Procfile: api x API_PROCESSES, worker, web) against the services named by
# environment variables; refuses embedded defaults that processes cannot share (docs/operations.md).
run-prod: venv web-build
	scripts/run-prod.sh

# No proxy in front: uvicorn does not read X-Forwarded-For (--no-proxy-headers) and Django's
# NUM_PROXIES stays 0. WebSocket frames are capped at 64 KiB (uvicorn's default is 16 MiB).
api: venv migrate
	$(RUN_ENV) $(VENV)/bin/uvicorn tangerine.config.asgi:application --app-dir src \
		--host $${HOST:-127.0.0.1} --port $(PORT) --ws websockets --ws-per-message-deflate false \
		--no-proxy-headers --ws-max-size $${WS_MAX_SIZE:-65536}

# Chromium and Korean fonts for the end-to-end tests, from Debian's packages.
system-deps:
	@scripts/system-deps.sh

test: venv web-deps system-deps
	scripts/test.sh

lint: venv web-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(VENV)/bin/mypy src tests
	scripts/check-openapi.sh
	cd web && npm run --silent lint && npm run --silent typecheck

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: venv
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

# Benchmarks (bench/README.md): `make bench` runs them all, `make bench-api` one (data, api,
# feed, growth, channels, images, search, chat, sockets); results in bench/results/, the table in
# bench/README.md.
BENCHES := data api feed growth channels images search chat sockets
.PHONY: bench $(addprefix bench-,$(BENCHES))
bench: venv
	$(PY) bench/run.py

$(addprefix bench-,$(BENCHES)): bench-%: venv
	$(PY) bench/run.py $*

clean:
	rm -rf $(VENV) var web/.next web/.next-test web/node_modules
