"""Train the check-relation model shipped in data/models/check_relations.npz from ContractNLI's
training NDAs (../shared/eval/contractnli-train.jsonl; ContractNLI, Koreeda & Manning 2021,
CC BY 4.0).

    .venv/bin/python scripts/train_check_relations.py [--data PATH] [--out PATH]

Each NDA is read as the pipeline reads it (normalised text, sentences, MiniLM vectors); each of
the 17 positions is a check in our own words (bench/contractnli_checks.yaml), also phrased as the
dataset words it, so the model learns the position rather than one wording. A sentence is a
`states` / `contradicts` example when it holds the gold evidence, otherwise `silent`. A small
network (one hidden layer) learns P(states / contradicts / silent) per (check, sentence); the two
decision thresholds (from which sentence probability a contract states or contradicts a check)
are chosen on 5-fold out-of-fold probabilities over the training NDAs (best accuracy that keeps
the F1 of contradicts at 0.3 or more). Deterministic; about three minutes on two cores. Only the
weights are written: no contract text. The dev NDAs are never read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.contractnli_data import (  # noqa: E402
    EVAL,
    Nda,
    dataset_hypotheses,
    eval_checks,
    read_ndas,
    sentence_classes,
)
from core.pipeline.services import open_services  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.verdicts.judge import check_vectors  # noqa: E402
from core.verdicts.relation import MODEL_FILE, CheckVectors, RelationModel, pair_features  # noqa: E402

DEFAULT_DATA = EVAL / "contractnli-train.jsonl"
CACHE = ROOT / "bench" / "results" / "contractnli_vectors.duckdb"
HIDDEN = 256
EPOCHS = 8
CLASS_WEIGHTS = (1.0, 2.0, 0.1)  # states, contradicts, silent (silent sentences abound)
FOLDS = 5
MIN_F1_CONTRADICTS = 0.3
SEED = 0

Item = tuple[Nda, np.ndarray]  # an NDA and its sentence vectors


def examples(
    items: list[Item], checks: list[tuple[str, list[CheckVectors]]]
) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for key, phrasings in checks:
        for nda, vectors in items:
            classes = sentence_classes(nda, key)
            for cv in phrasings:
                xs.append(pair_features(cv, vectors))
                ys.append(classes)
    return np.vstack(xs), np.concatenate(ys)


def fit_network(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    import torch

    torch.manual_seed(SEED)
    net = torch.nn.Sequential(
        torch.nn.Linear(x.shape[1], HIDDEN),
        torch.nn.ReLU(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(HIDDEN, 3),
    )
    weights = torch.tensor(CLASS_WEIGHTS)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    generator = torch.Generator().manual_seed(SEED)
    for _ in range(EPOCHS):
        net.train()
        order = torch.randperm(len(xt), generator=generator)
        for begin in range(0, len(order), 512):
            batch = order[begin : begin + 512]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xt[batch]), yt[batch], weight=weights)
            loss.backward()
            opt.step()
    first, last = net[0], net[3]
    return tuple(
        p.detach().numpy().T.copy() if p.ndim == 2 else p.detach().numpy().copy()
        for p in (first.weight, first.bias, last.weight, last.bias)
    )


def model_of(params: tuple[np.ndarray, ...], embedding_model: str) -> RelationModel:
    w1, b1, w2, b2 = params
    return RelationModel(embedding_model, w1, b1, w2, b2, 0.5, 0.5)


def choose_thresholds(
    scores: list[tuple[float, float, str]],
) -> tuple[float, float, float]:
    """(states_from, contradicts_from, accuracy): the pair with the best accuracy over (best
    P(states), best P(contradicts), gold verdict) triples among those that keep the F1 of
    contradicts at MIN_F1_CONTRADICTS or more (a rare verdict that accuracy alone would give up)."""
    grid = np.round(np.arange(0.05, 0.96, 0.025), 3)
    gold = [g for _, _, g in scores]
    best = (0.5, 0.5, -1.0)
    for s_from in grid:
        for c_from in grid:
            pred = [
                "contradicts" if c >= c_from else "states" if s >= s_from else "silent"
                for s, c, _ in scores
            ]
            if _f1(gold, pred, "contradicts") < MIN_F1_CONTRADICTS:
                continue
            value = _accuracy(gold, pred)
            if value > best[2]:
                best = (float(s_from), float(c_from), value)
    return best


def report_out_of_fold(
    scores: list[tuple[float, float, str]], states_from: float, contradicts_from: float
) -> None:
    """What 5-fold cross-validation over the training NDAs says (sentence model and thresholds
    both out of fold would be stricter; the thresholds are two numbers)."""
    gold = [g for _, _, g in scores]
    pred = [
        "contradicts" if c >= contradicts_from else "states" if s >= states_from else "silent"
        for s, c, _ in scores
    ]
    print(
        f"out of fold over train: accuracy {_accuracy(gold, pred):.3f},"
        f" F1 states {_f1(gold, pred, 'states'):.3f},"
        f" F1 contradicts {_f1(gold, pred, 'contradicts'):.3f}"
    )
    labels = ("states", "contradicts", "silent")
    for g in labels:
        row = [sum(a == g and b == p for a, b in zip(gold, pred, strict=True)) for p in labels]
        print(f"  gold {g:<12} predicted states/contradicts/silent {row}")


def _accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)


def _f1(gold: list[str], pred: list[str], label: str) -> float:
    tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / max(2 * tp + fp + fn, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found: the ContractNLI training data lives beside the project")
    if "dev" in args.data.name:
        sys.exit("refusing to train on the dev set: it is only for reporting")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    services = open_services(Settings.from_env({"CA_DB_PATH": str(CACHE)}))
    try:
        embedder = services.embedder
        ndas = list(read_ndas(args.data))
        items = [(nda, embedder.encode([nda.text[a:b] for a, b in nda.sentences])) for nda in ndas]
        ours = eval_checks()
        theirs = dataset_hypotheses()
        checks: list[tuple[str, list[CheckVectors]]] = []
        for (key, check), cv in zip(
            ours, check_vectors(embedder, [c for _, c in ours]), strict=True
        ):
            other = check.model_copy(update={"statement": theirs[key]})
            phrasings = [cv, *check_vectors(embedder, [other])]
            checks.append((key, phrasings))
        model_id = embedder.model_id
    finally:
        services.close()

    scores: list[tuple[float, float, str]] = []
    for fold in range(FOLDS):
        fit_on = [item for n, item in enumerate(items) if n % FOLDS != fold]
        held = [item for n, item in enumerate(items) if n % FOLDS == fold]
        model = model_of(fit_network(*examples(fit_on, checks)), model_id)
        for key, phrasings in checks:
            for nda, vectors in held:
                p = model.sentence_probabilities(phrasings[0], vectors)
                scores.append((float(p[:, 0].max()), float(p[:, 1].max()), nda.gold[key].verdict))
        print(f"  fold {fold + 1} of {FOLDS} fitted", file=sys.stderr)
    states_from, contradicts_from, objective = choose_thresholds(scores)
    report_out_of_fold(scores, states_from, contradicts_from)
    if os.environ.get("CA_SCORES_OUT"):  # for studying the decision rule (train folds only)
        Path(os.environ["CA_SCORES_OUT"]).write_text(json.dumps(scores))
    params = fit_network(*examples(items, checks))
    info = {
        "data": "ContractNLI train (CC BY 4.0), " + str(len(items)) + " NDAs",
        "checks": len(checks),
        "phrasings": "bench/contractnli_checks.yaml + the dataset's hypotheses",
        "hidden": HIDDEN,
        "epochs": EPOCHS,
        "class_weights": CLASS_WEIGHTS,
        "threshold_folds": FOLDS,
        "out_of_fold_accuracy": round(objective, 4),
    }
    w1, b1, w2, b2 = params
    final = RelationModel(
        model_id, w1, b1, w2, b2, states_from, contradicts_from, info=json.dumps(info)
    )
    final.save(args.out)
    size = args.out.stat().st_size / 1024
    print(
        f"trained on {len(items)} NDAs x {len(checks)} checks; states from {states_from:.3f},"
        f" contradicts from {contradicts_from:.3f}; {size:.0f} KB -> {args.out}"
    )


if __name__ == "__main__":
    main()
