"""The shipped passage vectors: complete for the bundled corpus and identical to fresh ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.chunking import chunk_document
from retrieval.embedders import TERMS_FEATURES, Embedder, make_embedders, unpack_terms
from retrieval.index import DEFAULT_EMBEDDERS
from retrieval.ingest import expand_paths
from retrieval.loaders import load_document
from retrieval.service import BUNDLED_CORPUS
from retrieval.vector_cache import SHIPPED_DIR, VectorCache, save_vector_cache


def _comparable(embedder: Embedder, rows: np.ndarray) -> np.ndarray:
    """Rows as unit vectors over the model's own coordinates (latent terms unpacked)."""
    if getattr(embedder, "sparse", False):
        dense = np.zeros((len(rows), TERMS_FEATURES))
        for n, row in enumerate(rows):
            indices, weights = unpack_terms(row)
            dense[n, indices] += weights
        rows = dense
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("name", DEFAULT_EMBEDDERS)
def test_shipped_vectors_cover_the_bundled_corpus(name: str) -> None:
    [embedder] = make_embedders([name])
    cache = VectorCache.load(SHIPPED_DIR / f"{name}.npz", embedder.model_id)
    texts = [
        chunk.indexed_text
        for path in expand_paths([BUNDLED_CORPUS])
        for chunk in chunk_document(load_document(path))
    ]
    missing = [t[:60] for t in texts if cache.get(t) is None]
    assert not missing, (
        f"{len(missing)} passages have no shipped vector: "
        "run `.venv/bin/icc-assistant vectors` after editing the digests"
    )
    # Spot-check that a shipped vector is what the real model computes today. The 4-bit
    # engine's arithmetic differs slightly between CPUs (AVX2 and AVX-512 machines agree to a
    # cosine of 0.99995), so the check is a cosine, not equality.
    sample = texts[:: len(texts) // 8][:8]
    fresh = _comparable(embedder, embedder.embed_passages(sample))
    shipped = _comparable(embedder, np.vstack([cache.get(t) for t in sample]))
    assert (fresh * shipped).sum(axis=1).min() > 0.9995


def test_cache_ignores_other_models_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "v.npz"
    save_vector_cache(path, "model-a", ["hello"], np.ones((1, 4), np.float32))
    assert VectorCache.load(path, "model-a").get("hello") is not None
    assert VectorCache.load(path, "model-a").get("other") is None
    assert len(VectorCache.load(path, "model-b")) == 0
    path.write_bytes(b"not a numpy file")
    assert len(VectorCache.load(path, "model-a")) == 0
    assert len(VectorCache.load(tmp_path / "absent.npz", "model-a")) == 0
