"""The trained clause-type model: one logistic scorer per clause type over a clause's features
(its MiniLM vector, which types' cue patterns and exclusions match it, its similarity to each
type's description, where it sits in the document). Trained by `scripts/train_clause_types.py` on
CUAD's training contracts (CC BY 4.0); only the weights ship, in `data/models/`. Scores are
probabilities (calibrated on held-out folds); each type keeps its own decision threshold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.settings import DATA_DIR

MODEL_FILE = DATA_DIR / "models" / "clause_types.npz"
# Bumped whenever the feature layout changes: a model trained on another layout is refused.
FEATURE_VERSION = 1


@dataclass(frozen=True)
class ClauseTypeModel:
    types: tuple[str, ...]  # the types it scores (columns of its output)
    feature_types: tuple[str, ...]  # the taxonomy order its cue/similarity features follow
    embedding_model: str  # the model whose vectors it reads (see same_vectors)
    weights: np.ndarray  # (features × types), standardisation folded in
    bias: np.ndarray  # (types,)
    thresholds: np.ndarray  # (types,) the probability from which a clause gets the type
    feature_version: int = FEATURE_VERSION
    info: str = "{}"  # JSON: how it was trained (data, folds, regularisation)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(clauses × types) probabilities."""
        logits = features.astype("float32") @ self.weights + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0))), dtype="float32")

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                types=np.asarray(self.types),
                feature_types=np.asarray(self.feature_types),
                embedding_model=np.asarray(self.embedding_model),
                weights=self.weights.astype("float32"),
                bias=self.bias.astype("float32"),
                thresholds=self.thresholds.astype("float32"),
                feature_version=np.asarray(self.feature_version),
                info=np.asarray(self.info),
            )

    @property
    def details(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.info)
        return loaded


def same_vectors(trained_with: str, embedding_model: str) -> bool:
    """Whether vectors of `embedding_model` are what a model trained on `trained_with` read: the
    same model, or its int8-quantised form (vectors at cosine ~0.93 to fp32)."""
    return embedding_model.removesuffix("-int8") == trained_with.removesuffix("-int8")


def load_model(
    feature_types: tuple[str, ...], embedding_model: str, path: Path = MODEL_FILE
) -> ClauseTypeModel | None:
    """The shipped model, or None when the file is absent or does not fit: trained on another
    feature layout (taxonomy or feature version) or on another embedding model's vectors. Clause
    typing then falls back to the cue patterns alone (until the model is retrained)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        trained_on = tuple(str(t) for t in data["feature_types"])
        if (
            int(data["feature_version"]) != FEATURE_VERSION
            or trained_on != feature_types
            or not same_vectors(str(data["embedding_model"]), embedding_model)
        ):
            return None
        return ClauseTypeModel(
            types=tuple(str(t) for t in data["types"]),
            feature_types=trained_on,
            embedding_model=str(data["embedding_model"]),
            weights=np.asarray(data["weights"], dtype="float32"),
            bias=np.asarray(data["bias"], dtype="float32"),
            thresholds=np.asarray(data["thresholds"], dtype="float32"),
            feature_version=int(data["feature_version"]),
            info=str(data["info"]),
        )
