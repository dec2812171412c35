"""BM25 over the stored chunks (bm25s), rebuilt from the store so it also works with a server.

The index is small (hundreds of chunks build in milliseconds), so it is rebuilt from the
store's chunks whenever the chunk set changes instead of being persisted next to it.
Tokens are accent-folded, lower-cased, stop-word filtered (the main European languages, since
questions arrive in several) and lightly stemmed, so "rumours" meets "rumour".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import bm25s
import numpy as np
from bm25s import stopwords as bm25_stopwords

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Pronouns and chat words missing from bm25s' English list; they carry no topic.
_EXTRA_STOPWORDS = (
    "i", "me", "my", "we", "us", "our", "ours", "you", "your", "they", "them", "their", "he",
    "she", "his", "her", "its", "can", "could", "should", "would", "do", "does", "did", "how",
    "what", "which", "who", "whom", "when", "where", "why", "please", "tell", "any", "about",
    "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "shouldn", "couldn", "wouldn", "ll",
)  # fmt: skip


@cache
def _stopwords() -> frozenset[str]:
    lists = (
        "STOPWORDS_EN", "STOPWORDS_FRENCH", "STOPWORDS_GERMAN", "STOPWORDS_ITALIAN",
        "STOPWORDS_SPANISH", "STOPWORDS_PORTUGUESE", "STOPWORDS_DUTCH",
    )  # fmt: skip
    words = set(_EXTRA_STOPWORDS)
    for name in lists:
        words.update(fold(w) for w in getattr(bm25_stopwords, name))
    return frozenset(words)


def fold(word: str) -> str:
    """Lower case without accents ("España" and "espana" compare equal), as tokens are
    indexed; the abstention's name and place checks compare the same way."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    """A deliberately light English stemmer: plurals and -ing/-ed, nothing aggressive."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    return word


def tokenize(text: str) -> list[str]:
    """Search tokens of `text` (shared by the index and the queries)."""
    stop = _stopwords()
    tokens = (fold(w) for w in _WORD.findall(text))
    return [_stem(t) for t in tokens if t not in stop and (len(t) > 1 or t.isdigit())]


class BM25Index:
    """Okapi BM25 over a fixed list of chunk ids and texts."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        self._ids = list(ids)
        self._model = bm25s.BM25()
        tokenized = [tokenize(t) or ["∅"] for t in texts]
        if self._ids:
            self._model.index(tokenized, show_progress=False)

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Top `k` chunk ids by BM25 score (only chunks sharing at least one term)."""
        tokens = tokenize(query)
        if not self._ids or not tokens:
            return []
        scores = np.asarray(self._model.get_scores(tokens))
        top = np.argsort(-scores)[:k]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > 0]
