"""Content-addressed passage vectors shipped with the bundled corpus.

Embedding the bundled corpus with multilingual-e5-small takes minutes on two cores, and every
fresh clone, CI run and Docker build would pay that for the same 14 documents. The vectors are a
pure function of (model, passage text), so we ship them, keyed by a hash of both: a fresh
ingest looks each passage up and embeds only the misses. A stale or missing file costs time,
never correctness: an edited digest's changed passages miss and are embedded as usual.

Regenerate after editing the digests (a test fails until you do):

    .venv/bin/icc-assistant vectors
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: Where the bundled corpus's vectors live, one file per embedder name.
SHIPPED_DIR = Path(__file__).resolve().parents[1] / "corpus" / "documents" / "vectors"


def passage_key(model_id: str, text: str) -> str:
    """The cache key of one passage for one model."""
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()[:32]


class VectorCache:
    """Read-only lookup of precomputed vectors for one model."""

    def __init__(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        self.model_id = model_id
        self._vectors = dict(vectors)

    def __len__(self) -> int:
        return len(self._vectors)

    @classmethod
    def load(cls, path: Path, model_id: str) -> VectorCache:
        """The cache in `path`, or an empty one if the file is missing, unreadable or for
        another model (all of which only mean slower ingest)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["model_id"]) != model_id:
                    log.info("%s holds vectors of another model; ignoring it", path.name)
                    return cls(model_id, {})
                keys = [str(k) for k in data["keys"]]
                matrix = data["vectors"].astype(np.float32)
        except (OSError, KeyError, ValueError) as exc:
            if path.exists():
                log.warning("ignoring the unreadable vector cache %s: %s", path, exc)
            return cls(model_id, {})
        return cls(model_id, dict(zip(keys, matrix, strict=True)))

    def merged(self, texts: Sequence[str], vectors: Sequence[np.ndarray]) -> VectorCache:
        """A new cache with these vectors added (e.g. those already in the index)."""
        extra = {passage_key(self.model_id, t): v for t, v in zip(texts, vectors, strict=True)}
        return VectorCache(self.model_id, {**self._vectors, **extra})

    def get(self, text: str) -> np.ndarray | None:
        """The vector of `text`, if cached."""
        return self._vectors.get(passage_key(self.model_id, text))


def save_vector_cache(path: Path, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
    """Write vectors of `texts` in full precision, so a cached passage scores exactly as a
    freshly embedded one (the abstention bars are calibrated to three decimals)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = np.array([passage_key(model_id, t) for t in texts])
    np.savez_compressed(
        path, model_id=np.array(model_id), keys=keys, vectors=vectors.astype(np.float32)
    )
