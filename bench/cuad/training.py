"""Fit the clause-type model: one L2-regularised logistic scorer per CUAD type over the
labeller's features, fitted jointly (full-batch L-BFGS in torch, already a dependency), and each
type's decision threshold chosen on out-of-fold probabilities, never on the clauses a scorer was
fitted on. Deterministic: the same contracts give the same weights."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.cuad.features import Prepared
from core.labels.labeler import EXTRA_FEATURES
from core.labels.model import FEATURE_VERSION, ClauseTypeModel

FOLDS = 5
# Candidate thresholds, and the one a type with too few positives to choose from keeps.
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
DEFAULT_THRESHOLD = 0.4
MIN_POSITIVES = 4  # contracts with the type in the out-of-fold data, to choose its threshold


@dataclass(frozen=True)
class FitParams:
    l2: float = 1e-3  # weight of the squared-weights penalty (per clause)
    iterations: int = 200
    beta: float = 1.0  # F-beta the thresholds maximise; above 1 favours recall


def folds(items: Sequence[Prepared], k: int = FOLDS) -> list[list[int]]:
    """Contracts dealt round-robin in file order: every fold sees long and short ones."""
    return [list(range(i, len(items), k)) for i in range(k)]


def fit_model(
    items: Sequence[Prepared],
    types: tuple[str, ...],
    feature_types: tuple[str, ...],
    embedding_model: str,
    params: FitParams | None = None,
) -> ClauseTypeModel:
    """Weights fitted on all `items`; thresholds chosen on inner out-of-fold probabilities."""
    params = params or FitParams()
    held_out = [np.zeros_like(p.gold) for p in items]
    for fold in folds(items):
        inside = [p for i, p in enumerate(items) if i not in set(fold)]
        weights, bias = _fit(inside, params)
        for i in fold:
            held_out[i] = _probabilities(items[i].features, weights, bias)
    thresholds, gain = choose_thresholds(
        items, held_out, params.beta, rule_columns(types, feature_types, items[0].features.shape[1])
    )
    weights, bias = _fit(items, params)
    # A type keeps the model only where, out of fold, it beat the type's cue rule.
    keep = [i for i, g in enumerate(gain) if g > 0]
    weights, bias, thresholds = weights[:, keep], bias[keep], thresholds[keep]
    types = tuple(types[i] for i in keep)
    info = {
        "contracts": len(items),
        "clauses": int(sum(len(p.gold) for p in items)),
        "l2": params.l2,
        "iterations": params.iterations,
        "beta": params.beta,
        "threshold_folds": FOLDS,
    }
    return ClauseTypeModel(
        types=types,
        feature_types=feature_types,
        embedding_model=embedding_model,
        weights=weights,
        bias=bias,
        thresholds=thresholds,
        feature_version=FEATURE_VERSION,
        info=json.dumps(info),
    )


def rule_columns(types: tuple[str, ...], feature_types: tuple[str, ...], width: int) -> list[int]:
    """Where each type's cue-rule decision (a cue matches, no exclusion) sits in the features
    (layout: Labeler.features)."""
    dim = width - 3 * len(feature_types) - len(EXTRA_FEATURES)
    return [dim + len(feature_types) + feature_types.index(t) for t in types]


def choose_thresholds(
    items: Sequence[Prepared],
    held_out: Sequence[np.ndarray],
    beta: float,
    rule_cols: Sequence[int],
) -> tuple[np.ndarray, np.ndarray]:
    """Per type, the threshold with the best out-of-fold score, and how much that score beats
    the type's cue rule by. The score adds the F-beta of the contracts' decisions (a contract is
    right about a type when it labels some clause holding it, or, without it, labels none) and
    of each clause's decision, so a type is not won by one lucky clause per contract."""
    probs = np.vstack(held_out)
    gold = np.vstack([p.gold for p in items])
    rules = np.vstack([p.features[:, rule_cols] for p in items]) > 0
    owner = np.concatenate([np.full(len(p.gold), i) for i, p in enumerate(items)])
    out = np.full(gold.shape[1], DEFAULT_THRESHOLD, dtype="float32")
    gain = np.full(gold.shape[1], -1.0)
    for col in range(gold.shape[1]):
        if _per_contract(gold[:, col] > 0, owner, len(items)).sum() < MIN_POSITIVES:
            continue
        scores = [_score(gold[:, col], probs[:, col] >= t, owner, len(items), beta) for t in GRID]
        best = int(np.argmax(scores))
        out[col] = GRID[best]
        gain[col] = scores[best] - _score(gold[:, col], rules[:, col], owner, len(items), beta)
    return out, gain


def _per_contract(flags: np.ndarray, owner: np.ndarray, contracts: int) -> np.ndarray:
    return np.bincount(owner, weights=flags.astype("float64"), minlength=contracts) > 0


def _score(
    gold: np.ndarray, predicted: np.ndarray, owner: np.ndarray, contracts: int, beta: float
) -> float:
    by_contract = _fbeta(
        _per_contract(gold > 0, owner, contracts).astype("float32"),
        _per_contract(predicted, owner, contracts),
        beta,
    )
    return by_contract + _fbeta(gold, predicted, beta)


def _fbeta(gold: np.ndarray, predicted: np.ndarray, beta: float) -> float:
    tp = float(np.sum(predicted & (gold > 0)))
    fp = float(np.sum(predicted & (gold == 0)))
    fn = float(np.sum(~predicted & (gold > 0)))
    b2 = beta * beta
    denominator = (1 + b2) * tp + b2 * fn + fp
    return (1 + b2) * tp / denominator if denominator else 0.0


def _probabilities(features: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    logits = features @ weights + bias
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0))), dtype="float32")


def _fit(items: Sequence[Prepared], params: FitParams) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias on the raw features (standardisation folded in)."""
    import torch

    x = np.vstack([p.features for p in items]).astype("float64")
    y = np.vstack([p.gold for p in items]).astype("float64")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a feature that never varies carries no weight anyway
    torch.manual_seed(0)
    xs = torch.from_numpy((x - mean) / scale)
    ys = torch.from_numpy(y)
    w = torch.zeros((x.shape[1], y.shape[1]), dtype=torch.float64, requires_grad=True)
    prior = np.clip(y.mean(axis=0), 1e-4, 1 - 1e-4)
    b = torch.tensor(np.log(prior / (1 - prior)), dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS(
        [w, b], max_iter=params.iterations, line_search_fn="strong_wolfe", tolerance_grad=1e-9
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = (loss_fn(xs @ w + b, ys) + params.l2 * len(x) * (w * w).sum()) / len(x)
        loss.backward()
        return loss

    optimiser.step(closure)
    weights = w.detach().numpy() / scale[:, None]
    bias = b.detach().numpy() - mean @ weights
    return weights.astype("float32"), bias.astype("float32")
