# One task runner, used the same way by people, CI and the Dockerfile.
PY ?= python3.11
# Extra pip arguments for the torch install: the Dockerfile points it at the CPU wheel index.
TORCH_PIP_ARGS ?=
VENV ?= .venv
BIN := $(VENV)/bin
# The playground's port for `make run` (no TELEGRAM_BOT_TOKEN): `make run PORT=8081`.
PORT ?= 8080

# pyproject.toml's pinned dependencies, plus those of the extras named as arguments, one a line:
# read from pyproject.toml alone, so the Dockerfile installs them before copying any source.
REQUIREMENTS = $(PY) -c 'import sys, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print(*p["dependencies"], *(d for x in sys.argv[1:] for d in p["optional-dependencies"][x]), sep="\n")'

.PHONY: install install-runtime deps-runtime run test lint format bench clean

# People and CI: the runtime stack, the project (editable) and the dev tools.
install: $(VENV)/.dev-deps

# The image: the runtime stack and the project, no dev extra (no pytest, ruff, playwright...).
install-runtime: $(BIN)/icc-assistant

# The runtime stack alone (no project source needed): the Dockerfile's dependency layer.
deps-runtime: $(VENV)/.runtime-deps

$(VENV)/.runtime-deps: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	# torch first, pinned, alone: pip then takes the CPU wheel on disk instead of a CUDA build.
	$(BIN)/pip install --quiet $(TORCH_PIP_ARGS) torch==2.13.0
	$(REQUIREMENTS) > $(VENV)/requirements.txt
	$(BIN)/pip install --quiet -r $(VENV)/requirements.txt
	touch $@

# The project itself; its dependencies are already there.
$(BIN)/icc-assistant: $(VENV)/.runtime-deps
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The dev tools (pytest, ruff, playwright, hadolint...), pinned in the `dev` extra.
$(VENV)/.dev-deps: $(BIN)/icc-assistant
	$(REQUIREMENTS) dev > $(VENV)/requirements-dev.txt
	$(BIN)/pip install --quiet -r $(VENV)/requirements-dev.txt
	touch $@

run: install
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/icc-assistant run; else $(BIN)/icc-assistant playground --port $(PORT); fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

test: lint
	$(BIN)/pytest -q

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
