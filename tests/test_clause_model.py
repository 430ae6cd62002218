"""The trained clause-type model: it loads only where it fits, it learns what the cue rules miss
and keeps the rule where the rule is already right, and it types clauses we wrote as a reviewer
would."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from bench.cuad.training import fit_model
from core.clauses.segment import extract_clauses
from core.labels.labeler import EXTRA_FEATURES
from core.labels.model import MODEL_FILE, ClauseTypeModel, load_model
from core.pipeline.services import Services
from core.taxonomy import CUAD_TYPES, load_taxonomy

FEATURE_TYPES = tuple(t.name for t in load_taxonomy())


def test_the_shipped_model_fits_the_taxonomy_and_the_bundled_embedder() -> None:
    model = load_model(FEATURE_TYPES, "all-MiniLM-L6-v2")
    assert model is not None, "retrain: scripts/train_clause_types.py"
    assert set(model.types) <= set(CUAD_TYPES) and len(model.types) >= 20
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    assert MODEL_FILE.stat().st_size < 1_000_000  # weights only, no contract text
    assert model.details["contracts"] == 200


def _tiny_model(feature_types: tuple[str, ...]) -> ClauseTypeModel:
    return ClauseTypeModel(
        types=("Insurance",),
        feature_types=feature_types,
        embedding_model="all-MiniLM-L6-v2",
        weights=np.zeros((3, 1), dtype="float32"),
        bias=np.zeros(1, dtype="float32"),
        thresholds=np.full(1, 0.5, dtype="float32"),
    )


def test_a_model_for_another_taxonomy_or_embedding_model_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    _tiny_model(FEATURE_TYPES).save(path)
    assert load_model(FEATURE_TYPES, "all-MiniLM-L6-v2", path) is not None
    assert load_model(FEATURE_TYPES, "all-MiniLM-L6-v2-int8", path) is not None
    assert load_model(FEATURE_TYPES, "fake-bag-of-words", path) is None
    assert load_model(FEATURE_TYPES[:-1], "all-MiniLM-L6-v2", path) is None
    assert load_model(FEATURE_TYPES, "all-MiniLM-L6-v2", tmp_path / "absent.npz") is None


def _contracts(seed: int = 0) -> list[SimpleNamespace]:
    """40 contracts of 12 clauses over a two-type taxonomy. Type A is held by clauses whose
    first vector dimension is high, which no cue sees; type B is exactly where B's cue rule
    fires."""
    rng = np.random.default_rng(seed)
    width = 384 + 3 * 2 + len(EXTRA_FEATURES)
    items = []
    for _ in range(40):
        x = rng.normal(size=(12, width)).astype("float32")
        x[:, 1:] = 0.0  # only the first dimension and B's cue carry anything
        rule_b = rng.random(12) < 0.2
        x[:, 384 + 2 + 1] = rule_b  # B: a cue matches with no exclusion
        gold = np.stack([x[:, 0] > 1.0, rule_b], axis=1).astype("float32")
        items.append(SimpleNamespace(features=x, gold=gold))
    return items


def test_fitting_learns_what_the_cues_miss_and_keeps_the_rule_where_it_is_right() -> None:
    model = fit_model(_contracts(), ("A", "B"), ("A", "B"), "m")  # type: ignore[arg-type]
    assert model.types == ("A",)  # B: the rule is already exact, the model adds nothing
    fresh = _contracts(seed=1)
    x = np.vstack([c.features for c in fresh])
    gold = np.vstack([c.gold for c in fresh])[:, 0] > 0
    predicted = model.probabilities(x)[:, 0] >= model.thresholds[0]
    recall = (predicted & gold).sum() / gold.sum()
    precision = (predicted & gold).sum() / predicted.sum()
    assert recall > 0.85 and precision > 0.85, (recall, precision)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("clause", "expected", "not_expected"),
    [
        (
            "11.2 Assignment. Neither party may assign or transfer this Agreement, in whole or in "
            "part, without the prior written consent of the other party.",
            "Anti-Assignment",
            "Insurance",
        ),
        (
            "14.1 Insurance. The Contractor shall maintain, at its own cost, commercial general "
            "liability insurance with limits of not less than $2,000,000 per occurrence.",
            "Insurance",
            "Anti-Assignment",
        ),
        (
            "9.3 Limitation. In no event shall either party's aggregate liability under this "
            "Agreement exceed the fees paid by Customer in the twelve months before the claim.",
            "Cap On Liability",
            "Insurance",
        ),
    ],
)
def test_the_shipped_model_types_clauses_we_wrote(
    real_services: Services, clause: str, expected: str, not_expected: str
) -> None:
    text = "MASTER SERVICES AGREEMENT\n\n" + clause + "\n"
    segments = extract_clauses(text)
    vectors = real_services.embedder.encode([s.text for s in segments])
    real_services.labeler().label(segments, vectors, text)
    labels = {lb.type: lb.score for s in segments for lb in s.clause.labels}
    assert expected in labels and not_expected not in labels, labels
    assert 0 < labels[expected] <= 1
