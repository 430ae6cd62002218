"""The check-relation model: does a contract sentence state a playbook check, contradict it, or
say nothing about it? A small network over MiniLM vectors the pipeline already has (the sentence,
its neighbours, the check's statement and its example sentences), trained by
`scripts/train_check_relations.py` on ContractNLI's training NDAs (CC BY 4.0); only the weights
ship, in `data/models/`. Inference is plain numpy: no model beyond the embedder is loaded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.settings import DATA_DIR

MODEL_FILE = DATA_DIR / "models" / "check_relations.npz"
# Bumped whenever the feature layout changes: a model trained on another layout is refused.
FEATURE_VERSION = 1
STATES, CONTRADICTS, SILENT = 0, 1, 2  # columns of the sentence probabilities


@dataclass(frozen=True)
class CheckVectors:
    """A check as vectors: its statement and its example sentences (either list may be empty)."""

    statement: np.ndarray  # (d,)
    says: np.ndarray  # (n, d)
    contradicts: np.ndarray  # (m, d)


def pair_features(check: CheckVectors, sentences: np.ndarray) -> np.ndarray:
    """(sentences × features): each sentence of one document against one check. `sentences` are
    the document's sentence vectors in reading order (L2-normalised); a sentence's neighbours
    count too, since a clause often states its subject in the sentence before."""
    s = check.statement
    x = sentences
    zero = np.zeros((1, x.shape[1]), dtype=x.dtype)
    prev = np.vstack([zero, x[:-1]])
    nxt = np.vstack([x[1:], zero])
    to_statement = x @ s
    says = (x @ check.says.T).max(axis=1) if len(check.says) else to_statement
    against = (x @ check.contradicts.T).max(axis=1) if len(check.contradicts) else np.zeros(len(x))
    columns = [
        x,
        prev * s,
        nxt * s,
        (prev @ s)[:, None],
        (nxt @ s)[:, None],
        x * s,
        np.abs(x - s),
        to_statement[:, None],
        says[:, None],
        against[:, None],
        (says - against)[:, None],
    ]
    return np.hstack(columns).astype("float32")


@dataclass(frozen=True)
class RelationModel:
    embedding_model: str  # whose vectors it reads
    w1: np.ndarray  # (features × hidden)
    b1: np.ndarray
    w2: np.ndarray  # (hidden × 3): states, contradicts, silent
    b2: np.ndarray
    states_from: float  # a document states a check when a sentence's P(states) reaches this
    contradicts_from: float  # ... contradicts it when a sentence's P(contradicts) reaches this
    feature_version: int = FEATURE_VERSION
    info: str = "{}"  # JSON: how it was trained

    def sentence_probabilities(self, check: CheckVectors, sentences: np.ndarray) -> np.ndarray:
        """(sentences × 3) probabilities: states, contradicts, silent."""
        if len(sentences) == 0:
            return np.zeros((0, 3), dtype="float32")
        hidden = np.maximum(pair_features(check, sentences) @ self.w1 + self.b1, 0.0)
        logits = hidden @ self.w2 + self.b2
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype="float32")

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                embedding_model=np.asarray(self.embedding_model),
                w1=self.w1.astype("float16"),
                b1=self.b1.astype("float32"),
                w2=self.w2.astype("float32"),
                b2=self.b2.astype("float32"),
                thresholds=np.asarray([self.states_from, self.contradicts_from], "float32"),
                feature_version=np.asarray(self.feature_version),
                info=np.asarray(self.info),
            )

    @property
    def details(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.info)
        return loaded


def load_relation_model(embedding_model: str, path: Path = MODEL_FILE) -> RelationModel | None:
    """The shipped model, or None when absent or trained on another feature layout or another
    embedding model's vectors (checks then fall back to similarity with their examples)."""
    from core.labels.model import same_vectors

    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if int(data["feature_version"]) != FEATURE_VERSION or not same_vectors(
            str(data["embedding_model"]), embedding_model
        ):
            return None
        thresholds = [float(t) for t in data["thresholds"]]
        return RelationModel(
            embedding_model=str(data["embedding_model"]),
            w1=np.asarray(data["w1"], dtype="float32"),
            b1=np.asarray(data["b1"], dtype="float32"),
            w2=np.asarray(data["w2"], dtype="float32"),
            b2=np.asarray(data["b2"], dtype="float32"),
            states_from=thresholds[0],
            contradicts_from=thresholds[1],
            feature_version=int(data["feature_version"]),
            info=str(data["info"]),
        )
