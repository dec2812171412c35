"""Retrieval quality measures over the team's graded eval set (bench/eval/questions.yaml).

Shared by bench/retrieval.py (the full table) and the CI gate in tests/retrieval, so both
count a hit the same way: a retrieved chunk matches a graded passage when its document id is
the passage's `doc` and the innermost heading of its section path is the passage's `section`;
grade >= 2 counts as relevant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from retrieval.answer import AbstentionPolicy
from retrieval.chunking import Chunk
from retrieval.hybrid import Retrieval

#: Grade from which a passage counts as answering (the eval set's README suggests 2).
RELEVANT_GRADE = 2


@dataclass(frozen=True)
class EvalQuestion:
    """One eval question and the (doc, innermost heading) pairs that answer it."""

    qid: str
    question: str
    language: str
    answerable: bool
    relevant: frozenset[tuple[str, str]]


def load_eval_set(path: Path) -> list[EvalQuestion]:
    """Parse the eval YAML (a list of questions; see bench/eval/README.md for the format)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = raw["questions"] if isinstance(raw, dict) else raw
    questions = []
    for item in items:
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
            )
        )
    return questions


def matches(chunk: Chunk, relevant: frozenset[tuple[str, str]]) -> bool:
    """Whether a chunk lies in one of the relevant passages."""
    innermost = chunk.section.split(" › ")[-1].strip() if chunk.section else ""
    return (chunk.doc_id, innermost) in relevant


@dataclass
class Scores:
    """Aggregated measures for one retrieval configuration."""

    recall_at_5: float
    mrr: float
    recall_by_language: dict[str, float]
    non_english_recall_at_5: float
    abstain_unanswerable: float
    abstain_answerable: float
    per_question: dict[str, int | None] = field(default_factory=dict)  # qid -> first hit rank


def evaluate(
    questions: Sequence[EvalQuestion],
    retrieve: Callable[[EvalQuestion], Retrieval],
    policy: AbstentionPolicy | None = None,
    *,
    depth: int = 10,
) -> Scores:
    """Recall@5, MRR@`depth`, per-language recall@5 and abstention rates of `retrieve`."""
    hits: dict[str, list[bool]] = {}
    reciprocal: list[float] = []
    abstained = {True: 0, False: 0}
    totals = {True: 0, False: 0}
    ranks: dict[str, int | None] = {}
    for question in questions:
        retrieval = retrieve(question)
        totals[question.answerable] += 1
        if policy is not None and (not retrieval.hits or policy.is_weak(retrieval.evidence)):
            abstained[question.answerable] += 1
        if not question.answerable:
            continue
        rank = next(
            (
                n
                for n, hit in enumerate(retrieval.hits[:depth], 1)
                if matches(hit.chunk, question.relevant)
            ),
            None,
        )
        ranks[question.qid] = rank
        reciprocal.append(1.0 / rank if rank else 0.0)
        hits.setdefault(question.language, []).append(rank is not None and rank <= 5)
    every = [h for values in hits.values() for h in values]
    foreign = [h for lang, values in hits.items() if lang != "en" for h in values]
    return Scores(
        recall_at_5=_mean(every),
        mrr=_mean(reciprocal),
        recall_by_language={lang: _mean(v) for lang, v in sorted(hits.items())},
        non_english_recall_at_5=_mean(foreign),
        abstain_unanswerable=abstained[False] / totals[False] if totals[False] else 0.0,
        abstain_answerable=abstained[True] / totals[True] if totals[True] else 0.0,
        per_question=ranks,
    )


def calibrate(
    questions: Sequence[EvalQuestion],
    evidence: Mapping[str, Mapping[str, float]],
    methods: Sequence[str],
    *,
    max_false_abstain: float = 0.05,
) -> AbstentionPolicy:
    """The per-method bars that abstain on most unanswerable questions while abstaining on at
    most `max_false_abstain` of the answerable ones (grid search; `evidence` is per qid)."""
    grids = {m: sorted({round(e[m], 3) for e in evidence.values() if m in e}) for m in methods}
    best: tuple[float, float, dict[str, float]] | None = None
    for combo in _grid(methods, grids):
        policy = AbstentionPolicy(combo)
        unanswered = [q for q in questions if policy.is_weak(evidence[q.qid])]
        wrong = sum(q.answerable for q in unanswered) / max(1, sum(q.answerable for q in questions))
        if wrong > max_false_abstain:
            continue
        right = sum(not q.answerable for q in unanswered) / max(
            1, sum(not q.answerable for q in questions)
        )
        key = (right, -wrong, combo)
        if best is None or key[:2] > best[:2]:
            best = key
    return AbstentionPolicy(best[2] if best else {})


def _grid(
    methods: Sequence[str], grids: Mapping[str, Sequence[float]]
) -> Iterable[dict[str, float]]:
    """Per-method thresholds to try: each method alone, and pairs over a coarse grid."""
    for method in methods:
        for value in grids[method]:
            yield {method: value}
    coarse = {m: list(grids[m])[:: max(1, len(grids[m]) // 40)] for m in methods}
    for i, first in enumerate(methods):
        for second in methods[i + 1 :]:
            for a in coarse[first]:
                for b in coarse[second]:
                    yield {first: a, second: b}


def _mean(values: Sequence[float] | Sequence[bool]) -> float:
    return sum(values) / len(values) if values else 0.0
