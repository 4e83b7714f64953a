# The two commands a newcomer needs: `make run` and `make test`.
VENV      := .venv
PYTHON    ?= python3
PY        := $(VENV)/bin/python
FLASK     := $(VENV)/bin/flask --app portal
HOST      ?= 127.0.0.1
PORT      ?= 5000
WORKERS   ?= 4
PYTEST_ARGS ?=

.PHONY: run test install build lint security translations system-deps run-system-deps clean

## make run: install what the pages need, migrate, load demo data, build, serve on HOST:PORT
run: run-system-deps install build
	$(FLASK) db upgrade
	$(FLASK) content load
	$(FLASK) seed-demo
	$(FLASK) aggregate demo --people 600 --areas cardiff,vale-of-glamorgan
	$(FLASK) easyread build
	@echo "What Matters portal: http://localhost:$(PORT)/ (use localhost, not 127.0.0.1: browsers refuse passkeys on an IP address)"
	PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://localhost:$(PORT)}" $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - "portal:create_app()"

## make test: install what the tests need (Python, npm and Debian packages) and run them all
test: install system-deps node_modules/.installed build lint security
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

## What the pages need that is built, not committed: the compiled catalogues.
build: install
	$(FLASK) translate compile

lint: install
	$(VENV)/bin/ruff check portal tests benchmarks scripts

## Security lint: fails on any high-severity finding (fix it; a `# nosec` must say why).
security: install
	$(VENV)/bin/bandit -q -r portal -lll

system-deps:
	./scripts/install-system-deps.sh

## What the pages need (espeak-ng for speech, libcairo2 for mat pictures): installed when
## missing and apt-get is usable; otherwise one line says so and `make run` carries on.
run-system-deps:
	@./scripts/install-system-deps.sh --for-run

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules instance
