# syntax=docker/dockerfile:1
# The ICC Policy Assistant. The build runs the same Makefile as a developer or CI does, so the
# tested path is the shipped path, with two differences: the torch wheel index (CPU wheels) and
# `make install-runtime` instead of `make install` (the runtime stack only, no dev tools).

FROM python:3.11-slim-bookworm AS build
# make runs the same install as everywhere else; every dependency ships as a wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends make=4.3-4.1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The dependencies first, from pyproject.toml alone (torch pinned and alone, then the rest): this
# layer is rebuilt only when pyproject.toml or the Makefile change, never for a code change.
COPY pyproject.toml Makefile ./
RUN make deps-runtime PY=python3.11 TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu"
# Then the sources, and the project itself on top (no dependency resolved again).
COPY README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY scoring ./scoring
COPY corpus ./corpus
RUN make install-runtime PY=python3.11
# Build the bundled corpus index into the image: the model comes from its package, nothing downloads.
# data/chroma-server is the Chroma server's volume in docker-compose.yml: created here, it is
# owned by the runtime user below, and Docker gives a new named volume that owner.
ENV ICC_DATA_DIR=/app/data HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
RUN .venv/bin/icc-assistant ingest && mkdir -p /app/data/chroma-server

FROM python:3.11-slim-bookworm
RUN useradd --create-home --uid 10001 icc
WORKDIR /app
COPY --from=build --chown=icc:icc /app /app
ENV PATH=/app/.venv/bin:$PATH \
    ICC_DATA_DIR=/app/data HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False \
    ICC_WEBHOOK_LISTEN=0.0.0.0:8443 PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8443
# `icc-assistant run` serves /healthz on ICC_WEBHOOK_LISTEN in both modes, polling and webhook.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8443/healthz', timeout=4).status != 200)"]
CMD ["icc-assistant", "run"]
