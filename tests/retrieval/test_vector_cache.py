"""The shipped passage vectors: complete for the bundled corpus and identical to fresh ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.chunking import chunk_document
from retrieval.embedders import E5Embedder
from retrieval.ingest import expand_paths
from retrieval.loaders import load_document
from retrieval.service import BUNDLED_CORPUS
from retrieval.vector_cache import SHIPPED_DIR, VectorCache, save_vector_cache


def test_shipped_vectors_cover_the_bundled_corpus() -> None:
    cache = VectorCache.load(SHIPPED_DIR / "e5.npz", E5Embedder.model_id)
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
    # Spot-check that a shipped vector is what the real model computes today.
    fresh = E5Embedder().embed_passages(texts[:2])
    assert np.allclose(fresh, np.vstack([cache.get(t) for t in texts[:2]]), atol=1e-5)


def test_cache_ignores_other_models_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "v.npz"
    save_vector_cache(path, "model-a", ["hello"], np.ones((1, 4), np.float32))
    assert VectorCache.load(path, "model-a").get("hello") is not None
    assert VectorCache.load(path, "model-a").get("other") is None
    assert len(VectorCache.load(path, "model-b")) == 0
    path.write_bytes(b"not a numpy file")
    assert len(VectorCache.load(path, "model-a")) == 0
    assert len(VectorCache.load(tmp_path / "absent.npz", "model-a")) == 0
