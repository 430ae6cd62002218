"""Judge every check of a playbook against one contract: a verdict (states / contradicts /
silent), a confidence and the evidence sentences, from the sentence vectors of the contract.

The trained relation model (core/verdicts/relation.py) scores each sentence against each check;
without it (absent or trained on other vectors) a check is judged by how close a sentence comes to
its statement and examples, a cruder fallback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.clauses.segment import Segment
from core.playbooks.accepted import is_accepted
from core.playbooks.schema import Check
from core.vectors.embeddings import Embedder
from core.verdicts.relation import CONTRADICTS, STATES, CheckVectors, RelationModel

VerdictKind = Literal["states", "contradicts", "silent"]
MAX_EVIDENCE = 3
# The fallback without a trained model: cosine similarity a sentence needs to an example.
FALLBACK_FROM = 0.72


@dataclass(frozen=True)
class Judged:
    check: Check
    verdict: VerdictKind
    confidence: float
    evidence: list[tuple[int, int]]  # sentence spans, most telling first


def document_sentences(text: str, segments: Sequence[Segment]) -> list[tuple[int, int]]:
    """The contract's sentences in reading order, each once: what checks are judged against."""
    spans = {s for seg in segments for s in seg.sentences(text)}
    return sorted(s for s in spans if any(ch.isalpha() for ch in text[s[0] : s[1]]))


def check_vectors(embedder: Embedder, checks: Sequence[Check]) -> list[CheckVectors]:
    """Each check's statement and examples as vectors, embedded in one call."""
    texts: list[str] = []
    for check in checks:
        texts += [check.statement, *check.examples.says, *check.examples.contradicts]
    vectors = embedder.encode(texts) if texts else np.zeros((0, 0), dtype="float32")
    out: list[CheckVectors] = []
    at = 0
    for check in checks:
        n, m = len(check.examples.says), len(check.examples.contradicts)
        out.append(
            CheckVectors(
                vectors[at], vectors[at + 1 : at + 1 + n], vectors[at + 1 + n : at + 1 + n + m]
            )
        )
        at += 1 + n + m
    return out


def judge_checks(
    checks: Sequence[Check],
    vectors: Sequence[CheckVectors],
    sentences: list[tuple[int, int]],
    sentence_vectors: np.ndarray,
    model: RelationModel | None,
    text: str = "",
) -> list[Judged]:
    """`text`: the contract, to find the wording a reviewer accepted for a check (a sentence
    with it counts as stating a wanted position, and as not stating an unwanted one)."""
    return [
        _judge(check, cv, sentences, sentence_vectors, model, _accepted(check, sentences, text))
        for check, cv in zip(checks, vectors, strict=True)
    ]


def _accepted(check: Check, sentences: list[tuple[int, int]], text: str) -> np.ndarray | None:
    if not check.examples.accepted or not text:
        return None
    return np.array([is_accepted(text[a:b], check.examples.accepted) for a, b in sentences])


def _judge(
    check: Check,
    cv: CheckVectors,
    sentences: list[tuple[int, int]],
    x: np.ndarray,
    model: RelationModel | None,
    accepted: np.ndarray | None = None,
) -> Judged:
    if not sentences:
        return Judged(check, "silent", 1.0, [])
    if model is not None:
        p = model.sentence_probabilities(cv, x)
        states_from, contradicts_from = model.states_from, model.contradicts_from
    else:
        p = _similarity_scores(cv, x)
        states_from = contradicts_from = FALLBACK_FROM
    if accepted is not None and accepted.any():
        p = p.copy()
        p[accepted, CONTRADICTS] = 0.0
        p[accepted, STATES] = 1.0 if check.wanted else 0.0
    best_states, best_against = float(p[:, STATES].max()), float(p[:, CONTRADICTS].max())
    if best_against >= contradicts_from:
        return Judged(check, "contradicts", best_against, _evidence(p[:, CONTRADICTS], sentences))
    if best_states >= states_from:
        return Judged(check, "states", best_states, _evidence(p[:, STATES], sentences))
    return Judged(check, "silent", round(1.0 - max(best_states, best_against), 4), [])


def _evidence(scores: np.ndarray, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences that carry the verdict: the best, and up to two more nearly as strong."""
    order = np.argsort(-scores, kind="stable")[:MAX_EVIDENCE]
    top = float(scores[order[0]])
    return [sentences[int(i)] for i in order if scores[int(i)] >= 0.5 * top]


def _similarity_scores(cv: CheckVectors, x: np.ndarray) -> np.ndarray:
    """Without the trained model: closeness to the statement or a 'says' example stands in for
    P(states), closeness to a 'contradicts' example for P(contradicts), whichever is nearer."""
    says = x @ np.vstack([cv.statement[None, :], cv.says]).T
    near = says.max(axis=1)
    against = (x @ cv.contradicts.T).max(axis=1) if len(cv.contradicts) else np.zeros(len(x))
    scores = np.zeros((len(x), 3), dtype="float32")
    scores[:, STATES] = np.where(near >= against, near, 0.0)
    scores[:, CONTRADICTS] = np.where(against > near, against, 0.0)
    return scores
