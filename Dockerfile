# syntax=docker/dockerfile:1
# The ICC Policy Assistant. The build runs the same `make install` as a developer or CI does, so
# the tested path is the shipped path; only the torch wheel index differs (CPU wheels).

FROM python:3.11-slim-bookworm AS build
# make runs the same install as everywhere else; every dependency ships as a wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends make=4.3-4.1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml Makefile README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY scoring ./scoring
COPY corpus ./corpus
RUN make install PY=python3.11 TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu"
# Build the bundled corpus index into the image: the model comes from its package, nothing downloads.
ENV ICC_DATA_DIR=/app/data HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
RUN .venv/bin/icc-assistant ingest

FROM python:3.11-slim-bookworm
RUN useradd --create-home --uid 10001 icc
WORKDIR /app
COPY --from=build --chown=icc:icc /app /app
ENV PATH=/app/.venv/bin:$PATH \
    ICC_DATA_DIR=/app/data HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False \
    ICC_WEBHOOK_LISTEN=0.0.0.0:8443 PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8443/healthz', timeout=4).status != 200)"]
CMD ["icc-assistant", "run"]
