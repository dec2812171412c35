"""Quality measures over the team's graded eval set (bench/eval/*.yaml), split once for all.

Shared by bench/retrieval.py (the tables) and the CI gate in tests/retrieval, so both count the
same way. Every question belongs to the tuning part or the test part by a hash of its id,
fixed before anything was tuned: bars, weights and rules are chosen on the tuning part only
(by cross-validation there), and the figures we report come from the test part.

A retrieved section matches a graded passage when its document id is the passage's `doc` and
its innermost heading is the passage's `section`; grade >= 2 counts as relevant. An answer
holds a key fact when one of the fact's alternatives ("a | b") occurs in its text, ignoring
case, spacing, dashes and quotes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from retrieval.answer import MISSING_ANSWER_TYPE, MISSING_SPECIFICS, AbstentionPolicy
from retrieval.chunking import Chunk
from retrieval.hybrid import Hit
from retrieval.qa import QAService

#: Grade from which a passage counts as answering (the eval set's README suggests 2).
RELEVANT_GRADE = 2
#: Share of the questions in the test part (by id hash); the rest is the tuning part.
TEST_SHARE = 0.4

_MARKDOWN = re.compile(r"\*\*|__|`|^\s*#{1,6}\s|^\s*[-*+]\s|^\s*\|.*\|\s*$", re.MULTILINE)


def part_of(qid: str) -> str:
    """ "test" or "tune": a fixed function of the id, never of the question or its results."""
    bucket = int(hashlib.sha256(qid.encode()).hexdigest(), 16) % 1000
    return "test" if bucket < TEST_SHARE * 1000 else "tune"


def fold_of(qid: str, folds: int) -> int:
    """The cross-validation fold of a tuning question (another hash than `part_of`'s)."""
    return int(hashlib.sha256(f"fold:{qid}".encode()).hexdigest(), 16) % folds


@dataclass(frozen=True)
class EvalQuestion:
    """One eval item: a question, what answers it, and for a chat turn the message before."""

    qid: str
    question: str
    language: str
    answerable: bool
    relevant: frozenset[tuple[str, str]]
    key_facts: tuple[str, ...] = ()
    previous: str | None = None
    follow_up: bool | None = None
    style: str = ""

    @property
    def part(self) -> str:
        """The split this item belongs to."""
        return part_of(self.qid)


def load_eval_set(path: Path) -> list[EvalQuestion]:
    """Every item of a YAML file, or of every `*.yaml` in a folder (README has the format)."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    questions = []
    for file in files:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        for item in raw["questions"] if isinstance(raw, dict) else raw:
            relevant = frozenset(
                (str(r["doc"]), str(r["section"]).strip())
                for r in item.get("relevant") or []
                if int(r.get("grade", 3)) >= RELEVANT_GRADE
            )
            questions.append(
                EvalQuestion(
                    qid=str(item["id"]),
                    question=str(item["question"]),
                    language=str(item.get("language", "en")),
                    answerable=bool(item.get("answerable", True)),
                    relevant=relevant,
                    key_facts=tuple(str(f) for f in item.get("key_facts") or ()),
                    previous=item.get("previous"),
                    follow_up=item.get("follow_up"),
                    style=str(item.get("style", "")),
                )
            )
    return questions


def matches(chunk: Chunk, relevant: frozenset[tuple[str, str]]) -> bool:
    """Whether a chunk lies in one of the relevant passages."""
    innermost = chunk.section.split(" › ")[-1].strip() if chunk.section else ""
    return (chunk.doc_id, innermost) in relevant


def normalise(text: str) -> str:
    """Lower case, emphasis marks dropped, dashes and quotes unified, spaces folded."""
    text = re.sub(r"[*_`]+", "", text.lower())
    text = re.sub(r"[‐-―−]", "-", text)
    text = re.sub(r"[‘’‚′]", "'", text)
    text = re.sub(r"[“”„«»″]", '"', text)
    return " ".join(text.split())


def holds(text: str, fact: str) -> bool:
    """Whether `text` states `fact` (any of its " | " alternatives)."""
    flat = normalise(text)
    return any(normalise(alternative) in flat for alternative in fact.split(" | "))


def has_markdown(text: str) -> bool:
    """Whether raw Markdown (emphasis, code, heading, list or table marks) shows in `text`."""
    return bool(_MARKDOWN.search(text))


@dataclass(frozen=True)
class Outcome:
    """What the pipeline did with one item."""

    hits: Sequence[Hit]
    answered: bool
    answer: str = ""
    #: Whether the message was read together with the previous one (conversation items).
    merged: bool | None = None
    #: Whether the answer was shown as tentative (see `retrieval.qa.TENTATIVE_MARGIN`).
    tentative: bool = False


@dataclass
class Scores:
    """Aggregated measures for one pipeline over some items."""

    recall_at_5: float
    mrr: float
    recall_by_language: dict[str, float]
    non_english_recall_at_5: float
    abstain_unanswerable: float
    abstain_answerable: float
    key_facts: float
    conversations_right: float
    markdown_answers: int
    #: Of the answers given (standalone and conversation items), the share shown as
    #: tentative: for answerable questions (ideally low) and out-of-scope ones (ideally high).
    tentative_answerable: float = 0.0
    tentative_unanswerable: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    per_question: dict[str, int | None] = field(default_factory=dict)  # qid -> first hit rank


def pipeline_outcome(service: QAService, question: EvalQuestion) -> Outcome:
    """What the shipped pipeline does with `question`, exactly as `ask` runs it: the ranking
    it searched (for recall) and the answer it gives (for abstention and key facts)."""
    retrieval, searched = service.retrieve_turn(question.question, k=10, previous=question.previous)
    answer = service.ask(question.question, previous=question.previous)
    return Outcome(
        retrieval.hits,
        answer.answered,
        answer.answer,
        searched != question.question,
        answer.tentative,
    )


def first_relevant_rank(question: EvalQuestion, hits: Sequence[Hit], depth: int = 10) -> int | None:
    """1-based rank of the first relevant section among the top `depth`, if any."""
    return next(
        (n for n, hit in enumerate(hits[:depth], 1) if matches(hit.chunk, question.relevant)),
        None,
    )


def evaluate(questions: Sequence[EvalQuestion], run: Callable[[EvalQuestion], Outcome]) -> Scores:
    """Ranking, abstention, answer-text and conversation measures of `run` over `questions`.

    Ranking and key facts are measured on answerable standalone questions; a conversation item
    is right when the message was merged exactly when it should be and the result is right
    (a relevant section in the top 5, or an abstention for an unanswerable one).
    """
    hits: dict[str, list[bool]] = {}
    reciprocal: list[float] = []
    facts: list[float] = []
    abstained = {True: 0, False: 0}
    totals = {True: 0, False: 0}
    conversations: list[bool] = []
    ranks: dict[str, int | None] = {}
    markdown = 0
    tentative: dict[bool, list[bool]] = {True: [], False: []}
    for question in questions:
        outcome = run(question)
        markdown += outcome.answered and has_markdown(outcome.answer)
        if outcome.answered:
            tentative[question.answerable].append(outcome.tentative)
        rank = first_relevant_rank(question, outcome.hits)
        if question.previous is not None:
            right = rank is not None and rank <= 5 if question.answerable else not outcome.answered
            conversations.append(right and outcome.merged == bool(question.follow_up))
            continue
        totals[question.answerable] += 1
        abstained[question.answerable] += not outcome.answered
        if not question.answerable:
            continue
        ranks[question.qid] = rank
        reciprocal.append(1.0 / rank if rank else 0.0)
        hits.setdefault(question.language, []).append(rank is not None and rank <= 5)
        if question.key_facts:
            held = (
                sum(holds(outcome.answer, f) for f in question.key_facts) if outcome.answered else 0
            )
            facts.append(held / len(question.key_facts))
    every = [h for values in hits.values() for h in values]
    foreign = [h for lang, values in hits.items() if lang != "en" for h in values]
    return Scores(
        recall_at_5=_mean(every),
        mrr=_mean(reciprocal),
        recall_by_language={lang: _mean(v) for lang, v in sorted(hits.items())},
        non_english_recall_at_5=_mean(foreign),
        abstain_unanswerable=abstained[False] / totals[False] if totals[False] else 0.0,
        abstain_answerable=abstained[True] / totals[True] if totals[True] else 0.0,
        key_facts=_mean(facts),
        conversations_right=_mean(conversations),
        markdown_answers=markdown,
        tentative_answerable=_mean(tentative[True]),
        tentative_unanswerable=_mean(tentative[False]),
        counts={
            "answerable": totals[True],
            "unanswerable": totals[False],
            "conversations": len(conversations),
        },
        per_question=ranks,
    )


def calibrate(
    questions: Sequence[EvalQuestion],
    evidence: Mapping[str, Mapping[str, float]],
    keys: Sequence[str],
    *,
    max_false_abstain: float = 0.05,
    base: AbstentionPolicy | None = None,
) -> AbstentionPolicy:
    """Per-key bars (one per evidence key, e.g. "e5" for the corpus language and "e5@xl" for
    the others): for each key, the highest bar that abstains on at most `max_false_abstain`
    of the answerable questions carrying that key (the specifics veto of `base` included)."""
    base = base or AbstentionPolicy({})
    bars: dict[str, float] = {}
    for key in keys:
        group = [q for q in questions if key in evidence[q.qid]]
        answerable = [q for q in group if q.answerable]
        if not answerable:
            continue
        limit = base.max_missing_specifics
        vetoed = [
            q
            for q in answerable
            if (limit is not None and evidence[q.qid].get(MISSING_SPECIFICS, 0) > limit)
            or evidence[q.qid].get(MISSING_ANSWER_TYPE, 0)
        ]
        allowed = int(max_false_abstain * len(answerable)) - len(vetoed)
        scores = sorted(evidence[q.qid][key] for q in answerable if q not in vetoed)
        bars[key] = scores[max(0, allowed)] if scores else 0.0
    return AbstentionPolicy(bars, base.max_missing_specifics)


def _mean(values: Sequence[float] | Sequence[bool]) -> float:
    return sum(values) / len(values) if values else 0.0
