# One task runner, used the same way by people, CI and the Dockerfile.
PY ?= python3.11
# Extra pip arguments for the torch install: the Dockerfile points it at the CPU wheel index.
TORCH_PIP_ARGS ?=
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint format bench clean

install: $(BIN)/icc-assistant

$(BIN)/icc-assistant: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	# torch first, pinned, alone: pip then takes the CPU wheel on disk instead of a CUDA build.
	$(BIN)/pip install --quiet $(TORCH_PIP_ARGS) torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/icc-assistant run; else $(BIN)/icc-assistant playground; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
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
