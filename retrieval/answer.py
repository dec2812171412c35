"""Extractive answers with numbered citations, and the "not covered" decision.

Without an LLM the answer is a few sentences lifted verbatim from the top passages, each ending
with the [n] of the source it came from, so every claim is traceable. Sentences are chosen by
overlap with the question's terms, with a prior for higher-ranked passages (which is what
remains when a question in another language shares no terms with the English text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from retrieval.hybrid import Hit
from retrieval.lexical import tokenize

#: Sentences in an extractive answer, and passages they may come from.
MAX_SENTENCES = 3
ANSWER_PASSAGES = 3
#: Sentences this short are usually list stubs or headings, too thin to stand alone.
MIN_SENTENCE_CHARS = 25
MAX_SENTENCE_CHARS = 400

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])")
#: Terms match on their first letters, so "adopted" meets "adoption" and "evaluate" "evaluation".
_PREFIX = 5
_MARKUP = re.compile(r"\*\*|__|`|^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)


#: Evidence key: how many of the question's terms no indexed chunk contains.
UNKNOWN_TERMS = "unknown_terms"


@dataclass(frozen=True)
class AbstentionPolicy:
    """Answer only if some method's best raw score clears that method's bar.

    Bars are calibrated on the eval set (bench/retrieval.py prints them); a method without a
    bar (or absent from the evidence) never vouches for an answer.
    """

    thresholds: Mapping[str, float]
    #: Abstain when the question (in the corpus language) has more terms the corpus never uses.
    max_unknown_terms: int | None = 0

    def is_weak(self, evidence: Mapping[str, float]) -> bool:
        """True when no method found a passage convincingly close to the question, or the
        question names something the documents never mention (`unknown_terms` evidence)."""
        unknown = evidence.get(UNKNOWN_TERMS, 0)
        if self.max_unknown_terms is not None and unknown > self.max_unknown_terms:
            return True
        return not any(
            method in evidence and evidence[method] >= bar
            for method, bar in self.thresholds.items()
        )


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, Markdown list markers and emphasis removed."""
    sentences: list[str] = []
    for line in _MARKUP.sub("", text).splitlines():
        sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return sentences


def _finish(sentence: str) -> str:
    sentence = sentence.rstrip()
    if len(sentence) > MAX_SENTENCE_CHARS:
        sentence = sentence[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"
    elif sentence[-1] not in ".!?…":
        sentence = sentence.rstrip(";:,") + "."
    return sentence


def extractive_answer(question: str, hits: Sequence[Hit]) -> str:
    """A few of the most question-like sentences of the top passages, each with its [n]."""
    terms = {t[:_PREFIX] for t in tokenize(question)}
    sentences = [
        (rank, position, sentence, {t[:_PREFIX] for t in tokenize(sentence)})
        for rank, hit in enumerate(hits[:ANSWER_PASSAGES])
        for position, sentence in enumerate(split_sentences(hit.chunk.text))
        if len(sentence) >= MIN_SENTENCE_CHARS
    ]
    # A question term found in every candidate sentence ("CM/Rec(2015)1" when asking when it
    # was adopted) tells them apart less than one found in a single sentence ("adopt").
    frequency = {t: sum(t in keys for *_, keys in sentences) for t in terms}
    weight = {t: math.log(1 + len(sentences) / n) for t, n in frequency.items() if n}
    candidates: list[tuple[float, int, int, str]] = []
    for rank, position, sentence, keys in sentences:
        overlap = sum(weight.get(t, 0.0) for t in terms & keys) / (len(keys) + 1) ** 0.75
        # Higher-ranked passages and earlier sentences win ties, and decide alone when a
        # question in another language shares no terms with the English text.
        prior = 0.5 / (1 + rank) + 0.1 / (1 + position)
        candidates.append((overlap + prior, rank, position, sentence))
    if not candidates:
        return ""
    chosen = sorted(candidates, key=lambda c: -c[0])[:MAX_SENTENCES]
    chosen.sort(key=lambda c: (c[1], c[2]))  # passage order, then reading order
    per_passage: dict[int, int] = {}
    parts = []
    for _, rank, _, sentence in chosen:
        if per_passage.get(rank, 0) >= 2 and len(chosen) > 2:
            continue
        per_passage[rank] = per_passage.get(rank, 0) + 1
        parts.append(f"{_finish(sentence)} [{rank + 1}]")
    return " ".join(parts)


def closest_topics(hits: Sequence[Hit], limit: int = 3) -> list[str]:
    """Distinct "short title — section" labels of the nearest passages (for "not covered")."""
    topics: list[str] = []
    for hit in hits:
        chunk = hit.chunk
        label = f"{chunk.short_title} — {chunk.section}" if chunk.section else chunk.short_title
        if label not in topics:
            topics.append(label)
        if len(topics) == limit:
            break
    return topics
