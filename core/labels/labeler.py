"""Clause typing: each clause gets zero or more taxonomy labels, each with a score in [0, 1].
The trained model (core/labels/model.py) scores the CUAD types from the clause's vector, its cue
patterns and its similarity to each type's description; the house types follow their cue
patterns (exclusions veto them), with embedding similarity setting the score; key terms add the
metadata labels (dates, parties …) to the clauses holding their evidence. Every label spans its
clause."""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from core.clauses.segment import Segment
from core.labels.model import ClauseTypeModel
from core.models import KeyTerms, Label
from core.taxonomy import ClauseType
from core.terms.dates import find_dates
from core.vectors.embeddings import Embedder

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

# Facts a contract states once (its title, the date it is made, the date it starts, the law that
# governs it): when the key terms located one, restatements elsewhere (schedules, amendments,
# notices, other documents' dates, references to "the governing law") are not that fact, so only
# clauses holding the evidence, or for a date the same date again (a signature block restating
# it), keep the type.
ONCE_PER_DOCUMENT = frozenset(
    {"document_name", "agreement_date", "effective_date", "expiration_date", "governing_law"}
)


@dataclass(frozen=True)
class LabelParams:
    threshold: float = 0.5
    # cosine similarity at which a clause starts to read like the type, and where it is sure
    floor: float = 0.5
    ceiling: float = 0.75


# Layout of a clause's features (see `Labeler.features`): its vector, then per taxonomy type
# whether a cue matches, whether a cue matches with no exclusion, and the best similarity to the
# type's prototypes, then these clause-level facts.
EXTRA_FEATURES = ("definition", "position", "opening", "log_length")


class Labeler:
    """Holds the taxonomy's prototype vectors and the trained model; `label` is cheap once they
    exist.

    With the trained model (core/labels/model.py), a clause gets each type the model scores when
    the type's probability reaches the type's threshold; the label's score is that probability.
    The types the model does not score (house types) follow the cue rule: a type's cue pattern
    matches and none of its exclusions (negations, carve-outs) does; how closely the clause's
    embedding resembles the type's description and examples sets the score, 0.6 (cue only) to
    1.0. An embedding match without a cue is not enough for them: measured on real contracts,
    those labels were mostly wrong.
    """

    def __init__(
        self,
        types: tuple[ClauseType, ...],
        embedder: Embedder,
        params: LabelParams | None = None,
        model: ClauseTypeModel | None = None,
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
        self._cues = [_combined(t.patterns) for t in types]
        self._vetoes = [_combined(t.exclude_patterns) for t in types]
        self.model = model
        self.busy_seconds = 0.0  # time spent in `label`, for the benchmarks

    @property
    def model(self) -> ClauseTypeModel | None:
        return self._model

    @model.setter
    def model(self, model: ClauseTypeModel | None) -> None:
        self._model = model
        names = [t.name for t in self.types]
        self._model_cols = [names.index(t) for t in model.types] if model else []
        self._model_set = frozenset(self._model_cols)

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(clauses × types): the best cosine between each clause and any prototype of a type."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.types)), dtype="float32")
        sims = vectors @ self._prototypes.T
        return np.maximum.reduceat(sims, self._starts, axis=1)

    def features(self, segments: list[Segment], vectors: np.ndarray, doc_text: str) -> np.ndarray:
        """(clauses × features): what the trained model reads (layout above)."""
        n, width = len(segments), len(self.types)
        cue = np.zeros((n, width), dtype="float32")
        clean = np.zeros((n, width), dtype="float32")
        extra = np.zeros((n, len(EXTRA_FEATURES)), dtype="float32")
        size = max(len(doc_text), 1)
        for row, segment in enumerate(segments):
            chunks = _chunks(segment, doc_text)
            for col in range(width):
                cue_hit, vetoed = self._matches(col, chunks)
                cue[row, col] = cue_hit
                clean[row, col] = cue_hit and not vetoed
            clause = segment.clause
            extra[row] = (
                bool(chunks and _DEFINITION.match(chunks[0])),
                clause.start / size,
                clause.start < OPENING_CHARS,
                np.log1p(clause.end - clause.start) / 10,
            )
        if n == 0:
            vectors = np.zeros((0, self._prototypes.shape[1]), dtype="float32")
        sims = self.similarities(vectors)
        return np.hstack([vectors.astype("float32"), cue, clean, sims, extra])

    def label(self, segments: list[Segment], vectors: np.ndarray, doc_text: str) -> None:
        started = time.perf_counter()
        features = self.features(segments, vectors, doc_text)
        scores, thresholds = self._scores(features)
        definition = features[:, -len(EXTRA_FEATURES)] > 0
        for row, segment in enumerate(segments):
            labels = [
                Label(
                    type=clause_type.name,
                    # The label spans the clause: the type describes the whole provision, and
                    # the clause is what a reviewer reads (findings narrow quotes to sentences).
                    start=segment.clause.start,
                    end=segment.clause.end,
                    score=round(float(scores[row, col]), 4),
                )
                for col, clause_type in enumerate(self.types)
                if scores[row, col] >= thresholds[col]
                and scores[row, col] > 0
                # A definition says what a word means; the provisions using it carry the type
                # (measured on real contracts: 26 of 28 such cue labels were wrong). The model
                # weighs this itself.
                and (col in self._model_set or not definition[row])
            ]
            segment.clause.labels = sorted(labels, key=lambda lb: -lb.score)
        self.busy_seconds += time.perf_counter() - started

    def _scores(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(clauses × types) scores and each type's threshold: cue-rule scores, replaced by the
        model's probabilities for the types it scores."""
        width = len(self.types)
        dim = self._prototypes.shape[1]
        clean = features[:, dim + width : dim + 2 * width]
        sims = features[:, dim + 2 * width : dim + 3 * width]
        p = self.params
        closeness = np.clip((sims - p.floor) / (p.ceiling - p.floor), 0.0, 1.0)
        scores = clean * (0.6 + 0.4 * closeness)
        thresholds = np.full(width, p.threshold, dtype="float32")
        if self._model is not None and len(features):
            scores[:, self._model_cols] = self._model.probabilities(features)
            thresholds[self._model_cols] = self._model.thresholds
        return scores, thresholds

    def _matches(self, col: int, chunks: list[str]) -> tuple[bool, bool]:
        """Whether a cue of the type matches, and whether one of its exclusions does too."""
        cue, veto = self._cues[col], self._vetoes[col]
        if cue is None or not any(cue.search(text) for text in chunks):
            return False, False
        return True, veto is not None and any(veto.search(text) for text in chunks)


# The opening of a contract holds its title, parties and date. (By offset, not by clause count:
# the pipeline labels clauses in batches that are not in document order.)
OPENING_CHARS = 2000


def _chunks(segment: Segment, doc_text: str) -> list[str]:
    """Each run on its own (so ^ and $ anchor at its edges), lines joined by spaces so cue
    patterns match across line breaks; lower-cased once so the patterns can scan without
    IGNORECASE (see _combined)."""
    return [doc_text[a:b].replace("\n", " ").lower() for a, b in segment.runs]


def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One alternation of a type's patterns: a single scan per clause instead of one each.

    The patterns are case-insensitive and `label` hands them lower-cased text. A pattern whose
    literals are all lower case then matches the same without IGNORECASE, which scans about 1.7x
    faster (the labeller's largest cost per document); one with an upper-case literal (such as
    `[A-Z]`, any letter under IGNORECASE, or a character given by its code) keeps the flag;
    escapes such as non-word-character classes are not literals.
    """
    if not patterns:
        return None
    source = "|".join(f"(?:{p.pattern})" for p in patterns)
    cased = any(
        _CODE_ESCAPE.search(p.pattern) or _UPPER_LITERAL.search(_ESCAPE.sub("", p.pattern))
        for p in patterns
    )
    return re.compile(source, re.IGNORECASE if cased else 0)


# A clause that opens by defining a quoted term: '"Exclusivity Period" means …', '(b) "Net
# Sales" shall have the meaning given in …'.
_DEFINITION = re.compile(
    r"\W*(?:\(?[\w.]{1,8}\)?\s+)?[“\"][^”\"]{1,80}[”\"]\s+(?:(?:shall\s+)?means?|has\s+the\s+"
    r"meaning|shall\s+have\s+the\s+meaning|is\s+defined|includes?)\b"
)
_ESCAPE = re.compile(r"\\.")
_CODE_ESCAPE = re.compile(r"\\[xuUN0-9]")  # \x41 is "A": keep the flag to be safe
_UPPER_LITERAL = re.compile(r"[A-Z]")


def add_term_labels(segments: list[Segment], terms: KeyTerms) -> None:
    """Label the clause holding each key term's evidence with that term's clause type. Like
    every label, it spans the clause (the provision a reviewer reads: a preamble names each party
    several times, a term clause states the dates with their conditions); the exact evidence
    stays in the key terms."""
    _keep_once_per_document(segments, terms)
    starts = [s.clause.start for s in segments]
    for field, clause_type in TERM_TYPES.items():
        for ev in terms.evidence.get(field, []):
            i = bisect_right(starts, ev.start) - 1
            if i < 0 or ev.end > segments[i].clause.end:
                continue
            clause = segments[i].clause
            if all(lb.type != clause_type for lb in clause.labels):
                clause.labels.append(
                    Label(type=clause_type, start=clause.start, end=clause.end, score=0.9)
                )
    _label_party_mentions(segments, terms)


def _keep_once_per_document(segments: list[Segment], terms: KeyTerms) -> None:
    for field, clause_type in TERM_TYPES.items():
        found = terms.evidence.get(field, []) if field in ONCE_PER_DOCUMENT else []
        if not found:
            continue
        value = getattr(terms, field) if field.endswith("_date") else None
        for segment in segments:
            clause = segment.clause
            if not any(lb.type == clause_type for lb in clause.labels):
                continue
            if any(clause.start < ev.end and ev.start < clause.end for ev in found):
                continue
            if value and any(
                h.value and h.value.isoformat() == value for h in find_dates(segment.text)
            ):
                continue
            clause.labels = [lb for lb in clause.labels if lb.type != clause_type]


def _label_party_mentions(segments: list[Segment], terms: KeyTerms) -> None:
    """A cover page and preamble may name the parties over several clauses (title block,
    addressee, opening sentence): each clause up to where the parties were found that spells out
    a party's full name is labelled too."""
    names = [n for n in terms.parties if len(n.split()) >= 2]
    found = terms.evidence.get("parties", [])
    if not names or not found:
        return
    preamble_end = max(ev.end for ev in found)
    for segment in segments:
        # After the opening, a clause that merely refers to the parties is not where they are
        # identified (the key terms found them above).
        if segment.clause.start >= preamble_end:
            labels = segment.clause.labels
            segment.clause.labels = [lb for lb in labels if lb.type != "Parties"]
    full_name = re.compile(
        "|".join(r"\s+".join(map(re.escape, n.split())) for n in names), re.IGNORECASE
    )
    for segment in segments:
        clause = segment.clause
        if clause.start >= preamble_end or any(lb.type == "Parties" for lb in clause.labels):
            continue
        if not full_name.search(segment.text):
            continue
        clause.labels.append(Label(type="Parties", start=clause.start, end=clause.end, score=0.8))
