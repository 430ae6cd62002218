"""CUAD contracts read the way the pipeline reads them (clauses, key terms, vectors, the
labeller's features) with each clause's gold types: what the clause-type model is fitted and
cross-validated on."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bench.cuad.gold import Contract, GoldSpan
from core import documents
from core.clauses.segment import Segment, extract_clauses
from core.models import KeyTerms
from core.pipeline.services import Services
from core.terms.extract import extract_terms


@dataclass
class Prepared:
    contract: Contract
    text: str  # the normalised text the pipeline analyses (gold offsets index it)
    segments: list[Segment]
    terms: KeyTerms
    vectors: np.ndarray
    features: np.ndarray  # (clauses × features), Labeler.features
    gold: np.ndarray  # (clauses × types) 1 where the clause holds a gold span of the type


def prepare(
    services: Services, contracts: Iterable[Contract], types: tuple[str, ...], quiet: bool = False
) -> list[Prepared]:
    labeler = services.labeler()
    settings = services.settings
    out: list[Prepared] = []
    started = time.perf_counter()
    for n, contract in enumerate(contracts, 1):
        doc = documents.load(contract.text.encode("utf-8"), f"{contract.id}.txt", settings)
        segments = extract_clauses(
            doc.text, doc.page_starts, doc.heading_offsets, settings.max_clause_chars
        )
        vectors = services.embedder.encode([s.text for s in segments])
        if not segments:
            vectors = np.zeros((0, 384), dtype="float32")
        out.append(
            Prepared(
                contract=contract,
                text=doc.text,
                segments=segments,
                terms=extract_terms(doc.text),
                vectors=vectors,
                features=labeler.features(segments, vectors, doc.text),
                gold=gold_matrix(segments, contract.spans, types),
            )
        )
        if not quiet and n % 20 == 0:
            print(f"  read {n} contracts ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return out


def gold_matrix(
    segments: list[Segment], spans: Iterable[GoldSpan], types: tuple[str, ...]
) -> np.ndarray:
    """A clause holds a gold span when they share at least half of the shorter of the two: a
    phrase inside a long clause, or a clause inside a span that runs over several clauses; not a
    clause that a span merely touches."""
    gold = np.zeros((len(segments), len(types)), dtype="float32")
    column = {t: i for i, t in enumerate(types)}
    for span in spans:
        col = column.get(span.category)
        if col is None:
            continue
        for row, segment in enumerate(segments):
            a, b = segment.clause.start, segment.clause.end
            overlap = min(b, span.end) - max(a, span.start)
            if overlap > 0 and overlap >= 0.5 * min(b - a, span.end - span.start):
                gold[row, col] = 1.0
    return gold
