"""K-fold cross-validation of the clause-type model over CUAD's training contracts: each fold's
contracts are labelled by a model fitted on the other folds only (thresholds included), then
scored exactly as bench/cuad_eval.py scores the dev set."""

from __future__ import annotations

from collections.abc import Sequence

from bench.cuad.evaluate import Run
from bench.cuad.features import Prepared
from bench.cuad.keyterms import judge
from bench.cuad.scoring import Predicted
from bench.cuad.training import FitParams, fit_model, folds
from core.labels.labeler import Labeler, add_term_labels
from core.taxonomy import CUAD_TYPES


def cross_validate(
    items: Sequence[Prepared],
    labeler: Labeler,
    embedding_model: str,
    params: FitParams | None = None,
) -> Run:
    feature_types = tuple(t.name for t in labeler.types)
    run = Run()
    kept = labeler.model
    try:
        for fold in folds(items):
            outside = set(fold)
            training = [p for i, p in enumerate(items) if i not in outside]
            labeler.model = fit_model(
                training, tuple(CUAD_TYPES), feature_types, embedding_model, params
            )
            for i in fold:
                score(run, labeler, items[i])
    finally:
        labeler.model = kept
    return run


def score(run: Run, labeler: Labeler, item: Prepared) -> None:
    """Label one contract as the pipeline does (model, then key-term labels) and score it."""
    labeler.label(item.segments, item.vectors, item.text)
    add_term_labels(item.segments, item.terms)
    predicted = [
        Predicted(label.type, label.start, label.end, label.score)
        for segment in item.segments
        for label in segment.clause.labels
        if label.type in CUAD_TYPES
    ]
    run.board.add(item.contract.spans, predicted)
    run.verdicts += judge(item.terms, item.contract.answers)
    run.timings.append({"id": item.contract.id, "seconds": 0.0, "labeling_seconds": 0.0})
