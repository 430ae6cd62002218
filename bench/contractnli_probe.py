"""How far sentence similarity alone gets on ContractNLI's NDA positions: a measured baseline for
the verdict engine (issue 17), not the engine itself.

    python bench/contractnli_probe.py [--dev]

Each of the 17 positions is a check written in our own words with example sentences that state
it and contradict it (bench/contractnli_checks.yaml). Every sentence of an NDA (the dataset's
spans) is embedded with the bundled MiniLM; per check, check-agnostic features (how close the
contract's closest sentences come to the statement, to the "says" and to the "contradicts"
examples) feed one small 3-class logistic model: states / contradicts / silent. Evidence is the
sentences closest to the check. Fit and score on train by leaving one check out at a time (the
model never saw the check it judges); `--dev` then fits on all of train and scores dev once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.vectors.embeddings import SentenceTransformerEmbedder  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
LABELS = ("Entailment", "Contradiction", "NotMentioned")  # states / contradicts / silent
EVIDENCE_K = 3


@dataclass
class Check:
    key: str
    statement: np.ndarray  # (384,)
    says: np.ndarray  # (n, 384)
    contradicts: np.ndarray  # (m, 384)


@dataclass
class Nda:
    spans: list[tuple[int, int]]
    vectors: np.ndarray  # (sentences, 384), normalised
    gold: dict[str, tuple[str, set[int]]]  # check key -> (label, evidence span indices)


def load_checks(embedder: SentenceTransformerEmbedder) -> list[Check]:
    raw = yaml.safe_load((ROOT / "bench" / "contractnli_checks.yaml").read_text())["checks"]
    out = []
    for c in raw:
        texts = [c["statement"], *c["examples"]["says"], *c["examples"]["contradicts"]]
        v = embedder.encode(texts)
        n = len(c["examples"]["says"])
        out.append(Check(c["key"], v[0], v[1 : 1 + n], v[1 + n :]))
    return out


def load_ndas(split: str, embedder: SentenceTransformerEmbedder) -> list[Nda]:
    ndas = []
    for line in (EVAL / f"contractnli-{split}.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        spans = [(int(a), int(b)) for a, b in row["spans"]]
        vectors = embedder.encode([row["text"][a:b] for a, b in spans])
        gold = {k: (v["choice"], set(v["spans"])) for k, v in row["annotations"].items()}
        ndas.append(Nda(spans, vectors, gold))
    return ndas


def features(check: Check, nda: Nda) -> tuple[np.ndarray, list[int]]:
    """Check-agnostic features of one (check, NDA) pair, and the evidence ranking."""
    stmt = nda.vectors @ check.statement
    says = (nda.vectors @ check.says.T).max(axis=1)
    con = (nda.vectors @ check.contradicts.T).max(axis=1)
    near = np.maximum(stmt, says)
    order = list(np.argsort(-np.maximum(near, con)))
    top = order[0]
    k = min(3, len(order))
    row = [
        near.max(),
        con.max(),
        stmt.max(),
        near.max() - con.max(),
        np.sort(near)[-k:].mean(),
        np.sort(con)[-k:].mean(),
        says[top] - con[top],
        float(near.max() > 0.6),
    ]
    return np.asarray(row, dtype="float64"), [int(i) for i in order[:EVIDENCE_K]]


def dataset(checks: list[Check], ndas: list[Nda]) -> tuple[np.ndarray, list[str], list[str], list]:
    xs, ys, keys, evid = [], [], [], []
    for check in checks:
        for nda in ndas:
            if check.key not in nda.gold:
                continue
            x, order = features(check, nda)
            xs.append(x)
            ys.append(nda.gold[check.key][0])
            keys.append(check.key)
            evid.append((order, nda.gold[check.key][1]))
    return np.vstack(xs), ys, keys, evid


def fit(x: np.ndarray, y: list[str]):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=1.0))
    model.fit(x, y)
    return model


def score(gold: list[str], pred: list[str], evid: list) -> dict[str, float]:  # type: ignore[type-arg]
    def f1(label: str) -> float:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    hits = total = 0
    for (order, gold_spans), g in zip(evid, gold, strict=True):
        if g != "NotMentioned" and gold_spans:
            total += len(gold_spans)
            hits += len(gold_spans & set(order))
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "f1_states": f1("Entailment"),
        "f1_contradicts": f1("Contradiction"),
        "evidence_recall_at_3": hits / total if total else 0.0,
    }


def majority(train_y: list[str], train_k: list[str], keys: list[str]) -> list[str]:
    """Each check's most frequent label on train (the dataset's majority-vote reference)."""
    best = {}
    for k in set(train_k):
        best[k] = Counter(y for y, kk in zip(train_y, train_k, strict=True) if kk == k).most_common(
            1
        )[0][0]
    return [best[k] for k in keys]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also fit on train and score dev once")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"{EVAL} is not here: the evaluation data sits beside the project", file=sys.stderr)
        return 1
    embedder = SentenceTransformerEmbedder()
    checks = load_checks(embedder)
    train = load_ndas("train", embedder)
    x, y, keys, evid = dataset(checks, train)
    pred: list[str] = [""] * len(y)
    for check in checks:  # leave one check out
        inside = [i for i, k in enumerate(keys) if k != check.key]
        model = fit(x[inside], [y[i] for i in inside])
        out = [i for i, k in enumerate(keys) if k == check.key]
        for i, p in zip(out, model.predict(x[out]), strict=True):
            pred[i] = str(p)
    print(f"train, leave one check out ({len(y)} pairs): ", end="")
    print({k: round(v, 3) for k, v in score(y, pred, evid).items()})
    if args.dev:
        dev = load_ndas("dev", embedder)
        dx, dy, dkeys, devid = dataset(checks, dev)
        model = fit(x, y)
        dpred = [str(p) for p in model.predict(dx)]
        print(f"dev, fitted on train ({len(dy)} pairs): ", end="")
        print({k: round(v, 3) for k, v in score(dy, dpred, devid).items()})
        base = majority(y, keys, dkeys)
        print("dev, each check's train majority: ", end="")
        print({k: round(v, 3) for k, v in score(dy, base, devid).items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
