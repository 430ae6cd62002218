"""The engine interface: offline rules and Claude judge the same inputs into the same Finding
model. Engines leave `Finding.id` empty; the pipeline numbers findings as it emits them.

Besides findings, an engine may yield `EngineWarning`s (a fallback, a dropped answer) and
`LLMCall` ledger rows; the pipeline stores and streams all three as they arrive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from core.clauses.segment import Segment
from core.models import Finding, InputWarning, KeyTerms, LLMCall, TermEvidence
from core.playbooks.schema import Playbook
from core.vectors.retrieval import PlaybookIndex, Retrieved


@dataclass(frozen=True)
class ClauseContext:
    segment: Segment
    sentences: list[tuple[int, int]]
    retrieved: list[Retrieved]
    relevant_types: frozenset[str]  # label types plus types whose key terms sit in this clause

    @property
    def retrieved_ids(self) -> set[str]:
        return {r.chunk.id for r in self.retrieved}


@dataclass(frozen=True, eq=False)  # compared by identity: one context per analysis run
class DocumentContext:
    text: str
    terms: KeyTerms
    playbook: Playbook
    index: PlaybookIndex
    label_threshold: float
    input_warnings: list[InputWarning] = field(default_factory=list)

    @property
    def flat(self) -> str:
        """The text with line breaks as spaces: same offsets, and patterns written for running
        text match across wrapped lines."""
        return flat_text(self.text)


@dataclass(frozen=True)
class EngineWarning:
    """Something the user should know about how the judging went (stored with the analysis)."""

    kind: str  # e.g. claude_fallback, ungrounded_finding, claude_disagreement
    message: str
    clause_id: str | None = None


EngineOutput = Finding | EngineWarning | LLMCall


class Engine(Protocol):
    name: str
    # True when outputs arrive over time (a model's stream): each finding is then stored and shown
    # on arrival. False when a call's outputs come at once: they are stored in one insert.
    streams: bool

    def judge_clauses(
        self, doc: DocumentContext, clauses: list[ClauseContext]
    ) -> Iterator[EngineOutput]:
        """Findings about these clauses, in document order, as soon as each exists."""
        ...

    def judge_document(
        self,
        doc: DocumentContext,
        clauses: list[ClauseContext],
        best_similarity: dict[str, float],
        prior: list[Finding],
    ) -> Iterator[EngineOutput]:
        """Findings about the whole contract (positions, missing clauses) once all are seen."""
        ...


def flat_text(text: str) -> str:
    return text.replace("\n", " ")


def term_evidence(terms: KeyTerms, term: str) -> list[TermEvidence]:
    """Evidence spans of a threshold term (`liability_cap_months` → the `liability_cap` spans)."""
    return terms.evidence.get(term) or terms.evidence.get(term.rsplit("_", 1)[0]) or []


def blank_term(terms: KeyTerms, term: str) -> str | None:
    """ "redacted" or "unfilled" when the copy leaves this threshold term's value out."""
    for kind, fields in (("redacted", terms.redacted), ("unfilled", terms.unfilled)):
        if term in fields:
            return kind
    return None


def term_types(playbook: Playbook, terms: KeyTerms, start: int, end: int) -> set[str]:
    """Rule types with a threshold whose key term was found (or found blank) inside [start, end)."""
    return {
        rule.type
        for rule in playbook.rules
        for th in rule.thresholds
        if (getattr(terms, th.term) is not None or blank_term(terms, th.term))
        and any(start <= ev.start and ev.end <= end for ev in term_evidence(terms, th.term))
    }
