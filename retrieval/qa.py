"""Questions to the indexed documents: cited answers, or an honest "not covered".

The read side of retrieval. `QAService` searches the shared `SearchIndex`, decides from the
evidence whether the documents answer, reads a message that cannot stand alone together with
the previous question, and quotes the answer (or has a chat model write it from the passages
only). It never writes to the index: `retrieval.library.DocumentLibrary` does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from retrieval.answer import (
    MISSING_ANSWER_TYPE,
    MISSING_SPECIFICS,
    AbstentionPolicy,
    asks_about_today,
    closest_topics,
    extractive_answer,
    missing_answer_type,
    missing_specifics,
    names_count,
)
from retrieval.attribution import without_credits
from retrieval.conversation import FRAGMENT_WORDS, defines_own_subject, is_elliptical
from retrieval.glossary import with_english_names
from retrieval.hybrid import LEXICAL, Hit, HybridRetriever, Retrieval
from retrieval.index import SearchIndex
from retrieval.language import detect_language
from retrieval.llm import NOT_COVERED, LLMWriter

#: Evidence key of English questions: the best unit's e5 cosine plus `LEXICAL_EVIDENCE` times
#: BM25's best raw score (the question's words found verbatim add to the dense similarity).
BLENDED = "e5+bm25"
#: BM25 points worth one point of cosine in `BLENDED`: the ratio of the two coefficients of a
#: logistic regression (answerable vs out-of-scope, standardised features, C=1) of the English
#: standalone questions of the eval set's tuning part on e5 and BM25 top scores (0.0053-0.0056
#: for C 0.1-10, 0.0035-0.0068 across the five CV folds). In 5-fold CV on the tuning part it
#: raised abstention on out-of-scope questions from 0.80 to 0.84 at the same share of
#: answerable ones refused.
LEXICAL_EVIDENCE = 0.005

#: Bars chosen on the eval set's tuning part by bench/retrieval.py (5-fold cross-validated).
DEFAULT_ABSTENTION = AbstentionPolicy({BLENDED: 0.878, "e5@xl": 0.813})

#: The bundled documents' language (names count as specific subjects only in it).
CORPUS_LANGUAGE = "en"

#: Suffix of evidence keys for questions in another language than the corpus.
CROSS_LINGUAL = "@xl"

#: A fragment whose best passage alone is at least this close (best unit's cosine) names a
#: topic of its own ("housing policy for refugees", "Roma inclusion" after a youth-sport
#: question); a vaguer one may lean on the previous question. Tuning part, messages of at
#: most `FRAGMENT_WORDS` words after another question: follow-ups at most 0.855, standalone
#: fragments the context would draw closer at least 0.860; this is the midpoint.
STANDALONE_SIMILARITY = 0.8575
#: How much closer a vague fragment's best passage must come when it is read with the
#: previous question for it to be read so. Same items: the context raised it by at most 0.013
#: for the standalone ones and by at least 0.034 for the follow-ups; this is the midpoint.
CONTEXT_GAIN = 0.024

#: An answer whose evidence clears its bar by less than this is shown as tentative ("closest
#: match only"): the tenth percentile of the margins of the tuning part's answered answerable
#: questions, so the caveat stays rare on good answers (see bench/retrieval.py for what it
#: flags on the test part).
TENTATIVE_MARGIN = 0.019

#: Sections whose text is checked for the question's specific subjects.
SPECIFICS_DEPTH = 3

#: Passages shown, marked as not an answer, with "not covered".
NEAREST_SHOWN = 3

NOT_COVERED_TEXT = "The ICC documents I have do not cover this question."

_CITATION = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Source:
    """One cited passage."""

    doc_id: str
    title: str
    short_title: str
    section: str
    page: int | None
    url: str
    text: str
    score: float
    #: True when the text is this project's digest of the document, not the original.
    digest: bool = False


@dataclass(frozen=True)
class Answer:
    """An answer with its sources; `answer` cites them as [n], n 1-based into `sources`, and
    every source is cited. A "not covered" answer has no sources but its `nearest` passages
    (shown as such, never as an answer) and their `closest_topics`."""

    question: str
    answer: str
    answered: bool
    language: str
    sources: list[Source]
    closest_topics: list[str]
    nearest: list[Source] = dataclasses.field(default_factory=list)
    #: The question as searched: with the previous one when it was read as a follow-up.
    searched: str = ""
    #: True when the evidence only just cleared the bar (`TENTATIVE_MARGIN`): the passages
    #: are the closest the documents come, and may not answer exactly what was asked.
    tentative: bool = False
    #: True when a refused question asks how things stand today, which the dated documents
    #: never say (the reply says so rather than "not found").
    about_today: bool = False

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON shape (a contract other checks rely on)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "language": self.language,
            "sources": [
                {
                    "title": s.title,
                    "section": s.section,
                    "page": s.page,
                    "url": s.url,
                    "text": s.text,
                    "score": round(s.score, 6),
                }
                for s in self.sources
            ],
        }


class QAService:
    """Question answering over the shared index. Safe to share between threads."""

    def __init__(
        self,
        index: SearchIndex,
        *,
        abstention: AbstentionPolicy = DEFAULT_ABSTENTION,
        writer: LLMWriter | None = None,
    ) -> None:
        self._index = index
        self._abstention = abstention
        self._writer = writer

    @property
    def retriever(self) -> HybridRetriever:
        """The underlying retriever (the benchmarks compare its methods)."""
        return self._index.retriever

    # -- questions -----------------------------------------------------------------------
    def search(self, query: str, *, k: int = 5) -> list[Source]:
        """The `k` best passages for `query`, best first."""
        methods = self.methods_for(detect_language(query))
        return [self._source(hit) for hit in self.retriever.search(query, k, methods=methods).hits]

    def ask(self, question: str, *, k: int = 5, previous: str | None = None) -> Answer:
        """Answer `question` from the documents, or say they do not cover it.

        `previous` is the same user's previous question: a message that cannot stand alone
        ("and for schools?") is searched together with it (see `retrieve`).
        """
        question = " ".join(question.split())
        language = turn_language(question, previous)
        if not any(ch.isalnum() for ch in question):
            return self._not_covered(question, language, Retrieval([], {}), question)
        retrieval, searched = self.retrieve_turn(
            question, k=k, previous=previous, language=language
        )
        if not retrieval.hits or self._abstention.is_weak(retrieval.evidence):
            return self._not_covered(question, language, retrieval, searched)
        text = None
        if self._writer is not None:
            sections = [dataclasses.replace(h.chunk, text=h.text) for h in retrieval.hits]
            context = previous if searched != question else None
            text = self._writer.write(question, language, sections, context)
            if text == NOT_COVERED:
                return self._not_covered(question, language, retrieval, searched)
        if text is None:
            text = extractive_answer(searched, retrieval.hits)
        text, sources = _cited(text, [self._source(hit) for hit in retrieval.hits])
        tentative = self._abstention.margin(retrieval.evidence) < TENTATIVE_MARGIN
        return Answer(
            question, text, True, language, sources, [], searched=searched, tentative=tentative
        )

    def retrieve(
        self, question: str, *, k: int = 5, previous: str | None = None, language: str = ""
    ) -> Retrieval:
        """The ranked sections for a question and the evidence the abstention decision weighs
        (what `ask` uses; the eval gate measures exactly this)."""
        return self.retrieve_turn(question, k=k, previous=previous, language=language)[0]

    def retrieve_turn(
        self, question: str, *, k: int = 5, previous: str | None = None, language: str = ""
    ) -> tuple[Retrieval, str]:
        """`retrieve`, and the query actually searched.

        A message is read with the previous question only when it cannot stand alone: it
        opens like a continuation ("and for schools?", "et à Lyon ?") or, being a vague
        fragment of a few words ("les conclusions ?", "¿quién lo escribió?"), it matches the
        documents clearly better with the previous question than alone. A question that
        stands alone is never merged, whatever its length.
        """
        language = language or turn_language(question, previous)
        joint_text = f"{' '.join((previous or '').split())} {question}"
        if previous and previous.strip() and is_elliptical(question):
            return self._retrieve(joint_text, k, language, subject=question), joint_text
        alone = self._retrieve(question, k, language)
        if not previous or not previous.strip():
            return alone, question
        closeness = self._similarity(alone)
        if (
            len(question.split()) <= FRAGMENT_WORDS
            and closeness < STANDALONE_SIMILARITY
            and not defines_own_subject(question)
        ):
            joint = self._retrieve(joint_text, k, language, subject=question)
            if self._similarity(joint) - closeness >= CONTEXT_GAIN:
                return joint, joint_text
        return alone, question

    def _similarity(self, retrieval: Retrieval) -> float:
        """The best unit's cosine to the query, averaged over the dense models."""
        values = [
            value
            for key, value in retrieval.evidence.items()
            if key.removesuffix(CROSS_LINGUAL) in self._index.embedder_names
        ]
        return sum(values) / len(values) if values else 0.0

    def _retrieve(self, query: str, k: int, language: str, subject: str = "") -> Retrieval:
        """Search `query`; `subject` is the message itself when `query` adds the previous
        question to it (its words are emphasised, and it alone is checked for specifics).
        The source a question credits is not searched (see `retrieval.attribution`); a
        question in another language is searched with the English names of the programme's
        topics it names (see `retrieval.glossary`)."""
        query = without_credits(query)
        searched = query if language == CORPUS_LANGUAGE else with_english_names(query)
        retrieval = self.retriever.search(
            searched, max(k, 1), methods=self.methods_for(language), emphasis=subject
        )
        evidence = abstention_evidence(retrieval, subject or query, language)
        return Retrieval(retrieval.hits, evidence)

    @property
    def abstention(self) -> AbstentionPolicy:
        """The policy deciding when the evidence is too weak to answer."""
        return self._abstention

    def with_abstention(self, abstention: AbstentionPolicy) -> QAService:
        """The same index and writer under another abstention policy (to compare policies)."""
        return QAService(self._index, abstention=abstention, writer=self._writer)

    def methods_for(self, language: str) -> list[str]:
        """The rankings fused for a question in `language` (see `retrieval_methods`)."""
        return retrieval_methods(language, self._index.embedder_names)

    def _not_covered(
        self, question: str, language: str, retrieval: Retrieval, searched: str
    ) -> Answer:
        return Answer(
            question=question,
            answer=NOT_COVERED_TEXT,
            answered=False,
            language=language,
            sources=[],
            closest_topics=closest_topics(retrieval.hits),
            nearest=[self._source(hit) for hit in retrieval.hits[:NEAREST_SHOWN]],
            searched=searched,
            about_today=asks_about_today(question),
        )

    @staticmethod
    def _source(hit: Hit) -> Source:
        chunk = hit.chunk
        return Source(
            doc_id=chunk.doc_id,
            title=chunk.title,
            short_title=chunk.short_title,
            section=chunk.section,
            page=chunk.page,
            url=chunk.source_url,
            text=hit.text,
            score=hit.score,
            digest=chunk.digest,
        )


def turn_language(message: str, previous: str | None) -> str:
    """The language of a chat message; one too short to identify ("et en Italie ?", "¿y la de
    España?") is in the language of the message before it, the default only without one.
    Read as English, such a follow-up lost the cross-lingual bar and had its foreign spelling
    of a name ("Italie") counted as a subject the English passages never mention. An officer
    who switches language in two words ("and in Italy?" after a French question) is read in
    the earlier one: the cross-lingual bar, and no BM25, for those two words."""
    return detect_language(message, default="") or detect_language(previous or "")


def retrieval_methods(language: str, embedders: Sequence[str]) -> list[str]:
    """BM25 joins the dense models only for questions in the corpus's language: measured, it
    cost French recall, sharing too few words with the English passages to help."""
    return ([LEXICAL] if language == CORPUS_LANGUAGE else []) + list(embedders)


def abstention_evidence(retrieval: Retrieval, question: str, language: str) -> dict[str, float]:
    """The retrieval's evidence, qualified by the question's language, plus how many of the
    question's specific subjects the best sections never mention.

    Questions in another language than the corpus share few words with it and their
    similarities run lower, so their scores are keyed `<method>@xl` and get their own bars;
    English ones also carry `BLENDED`, the dense score with the lexical one added.
    """
    suffix = "" if language == CORPUS_LANGUAGE else CROSS_LINGUAL
    evidence: dict[str, float] = {f"{m}{suffix}": v for m, v in retrieval.evidence.items()}
    if not suffix and "e5" in evidence:
        evidence[BLENDED] = evidence["e5"] + LEXICAL_EVIDENCE * evidence.get(LEXICAL, 0.0)
    missing = missing_specifics(
        question,
        retrieval.hits[:SPECIFICS_DEPTH],
        names=names_count(language),
        language=language,
    )
    evidence[MISSING_SPECIFICS] = len(missing)
    evidence[MISSING_ANSWER_TYPE] = int(
        missing_answer_type(question, retrieval.hits[:SPECIFICS_DEPTH])
    )
    return evidence


def _cited(text: str, sources: list[Source]) -> tuple[str, list[Source]]:
    """The answer renumbered so that only cited sources are listed, each once, in the order
    they are first cited."""
    order: list[int] = []
    for match in _CITATION.finditer(text):
        number = int(match.group(1))
        if 1 <= number <= len(sources) and number not in order:
            order.append(number)
    renumber = {old: new for new, old in enumerate(order, 1)}

    def replace(match: re.Match[str]) -> str:
        new = renumber.get(int(match.group(1)))
        return f"[{new}]" if new else ""

    return _CITATION.sub(replace, text), [sources[n - 1] for n in order]
