"""Clause typing: each clause gets zero or more taxonomy labels, each with a score and the
sentence that carries it. Embedding similarity to each type's description and examples is
combined with the type's cue patterns; key terms add the metadata labels (dates, parties …)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

import numpy as np

from core.clauses.segment import Segment
from core.embeddings import Embedder
from core.models import KeyTerms, Label
from core.taxonomy import ClauseType

# Which key term marks which clause type (the clause holding the term's evidence gets the label).
TERM_TYPES: dict[str, str] = {
    "document_name": "Document Name",
    "parties": "Parties",
    "agreement_date": "Agreement Date",
    "effective_date": "Effective Date",
    "expiration_date": "Expiration Date",
    "renewal_term": "Renewal Term",
    "notice_period_days": "Notice Period To Terminate Renewal",
    "governing_law": "Governing Law",
    "liability_cap": "Cap On Liability",
    "payment_terms_days": "Payment Terms",
}
_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "any",
        "such",
        "that",
        "with",
        "this",
        "shall",
        "all",
        "are",
        "its",
        "may",
        "will",
        "not",
        "from",
        "which",
        "other",
        "has",
        "have",
        "been",
        "per",
        "each",
        "their",
        "there",
        "than",
        "then",
        "upon",
        "under",
        "into",
        "party",
        "parties",
        "agreement",
        "hereunder",
        "including",
        "without",
        "limitation",
    ]
)


@dataclass(frozen=True)
class LabelParams:
    threshold: float = 0.5
    # cosine similarity at which an embedding-only match starts to count, and where it is sure
    floor: float = 0.5
    ceiling: float = 0.75


class Labeler:
    """Holds the taxonomy's prototype vectors; `label` is cheap once they exist."""

    def __init__(
        self, types: tuple[ClauseType, ...], embedder: Embedder, params: LabelParams | None = None
    ) -> None:
        self.types = types
        self.params = params or LabelParams()
        texts: list[str] = []
        owners: list[int] = []
        for i, clause_type in enumerate(types):
            for text in clause_type.prototype_texts():
                texts.append(text)
                owners.append(i)
        self._prototypes = embedder.encode(texts)
        self._owners = np.asarray(owners)
        self._starts = np.flatnonzero(np.r_[True, self._owners[1:] != self._owners[:-1]])
        self._keywords = _keywords(types)

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(clauses × types): the best cosine between each clause and any prototype of a type."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.types)), dtype="float32")
        sims = vectors @ self._prototypes.T
        return np.maximum.reduceat(sims, self._starts, axis=1)

    def label(self, segments: list[Segment], vectors: np.ndarray, doc_text: str) -> None:
        sims = self.similarities(vectors)
        flat = doc_text.replace("\n", " ")  # same offsets; cue patterns match across lines
        for row, segment in enumerate(segments):
            sentences = segment.sentences(doc_text)
            labels = []
            for col, clause_type in enumerate(self.types):
                label = self._label_one(
                    clause_type, float(sims[row, col]), segment, sentences, doc_text, flat
                )
                if label is not None:
                    labels.append(label)
            segment.clause.labels = sorted(labels, key=lambda lb: -lb.score)

    def _label_one(
        self,
        clause_type: ClauseType,
        sim: float,
        segment: Segment,
        sentences: list[tuple[int, int]],
        doc_text: str,
        flat: str,
    ) -> Label | None:
        p = self.params
        hit = _pattern_hit(clause_type, segment, sentences, flat)
        closeness = min(max((sim - p.floor) / (p.ceiling - p.floor), 0.0), 1.0)
        score = 0.6 + 0.4 * closeness if hit else 0.75 * closeness
        if score < p.threshold or not sentences:
            return None
        start, end = hit or _best_sentence(sentences, doc_text, self._keywords[clause_type.name])
        return Label(type=clause_type.name, start=start, end=end, score=round(score, 4))


def _pattern_hit(
    clause_type: ClauseType, segment: Segment, sentences: list[tuple[int, int]], doc_text: str
) -> tuple[int, int] | None:
    """The span of the sentence where a cue pattern matched, unless an exclusion applies."""
    if any(x.search(doc_text, a, b) for x in clause_type.exclude_patterns for a, b in segment.runs):
        return None
    for a, b in segment.runs:
        for pattern in clause_type.patterns:
            match = pattern.search(doc_text, a, b)
            if match:
                return _sentence_around(sentences, match.start())
    return None


def _sentence_around(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    if not sentences:
        return None
    i = max(bisect_right([s for s, _ in sentences], pos) - 1, 0)
    return sentences[i]


def _best_sentence(
    sentences: list[tuple[int, int]], doc_text: str, keywords: dict[str, float]
) -> tuple[int, int]:
    def weight(span: tuple[int, int]) -> float:
        words = set(_WORD.findall(doc_text[span[0] : span[1]].lower()))
        return sum(keywords.get(w, 0.0) for w in words)

    return max(sentences, key=weight)


def _keywords(types: tuple[ClauseType, ...]) -> dict[str, dict[str, float]]:
    """Per type, the words of its name and examples, weighted by how specific they are to it."""
    bags = {
        t.name: Counter(
            w
            for text in (t.name, *t.examples)
            for w in _WORD.findall(text.lower())
            if w not in _STOP
        )
        for t in types
    }
    spread = Counter(w for bag in bags.values() for w in bag)
    return {name: {w: n / spread[w] for w, n in bag.items()} for name, bag in bags.items()}


def add_term_labels(segments: list[Segment], terms: KeyTerms) -> None:
    """Label the clause holding each key term's evidence with that term's clause type."""
    starts = [s.clause.start for s in segments]
    for field, clause_type in TERM_TYPES.items():
        for ev in terms.evidence.get(field, []):
            i = bisect_right(starts, ev.start) - 1
            if i < 0 or ev.end > segments[i].clause.end:
                continue
            clause = segments[i].clause
            if all(lb.type != clause_type for lb in clause.labels):
                clause.labels.append(Label(type=clause_type, start=ev.start, end=ev.end, score=0.9))
