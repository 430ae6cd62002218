"""CUAD accuracy: run the real pipeline (offline engine, nothing stored) over CUAD-format
contracts and print contract-level and span-level scores per category, key-term accuracy and
seconds per contract; the full report is written as JSON.

    python bench/cuad_eval.py [--data ../shared/eval/cuad-dev.jsonl] [--limit N] [--cv]
                              [--out bench/results/cuad_eval.json] [--record]

The dev contracts are scored with the shipped clause-type model (trained on the training
contracts only). `--cv` also prints a 5-fold cross-validated figure over the training contracts
(../shared/eval/cuad-train.jsonl): each fold labelled by a model fitted on the other four.
Embeddings are cached in bench/results/cuad_eval.duckdb, so re-runs skip the encoder.
`--record` also writes our scores (no CUAD text) to bench/cuad_baseline.json. See
docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cuad.crossval import cross_validate  # noqa: E402
from bench.cuad.evaluate import evaluate, report  # noqa: E402
from bench.cuad.features import prepare  # noqa: E402
from bench.cuad.gold import read_contracts, shortest_contracts  # noqa: E402
from core.pipeline.services import Services, open_services  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.taxonomy import CUAD_TYPES  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "cuad-dev.jsonl"
TRAIN_DATA = ROOT.parent / "shared" / "eval" / "cuad-train.jsonl"
RESULTS = ROOT / "bench" / "results"
BASELINE = ROOT / "bench" / "cuad_baseline.json"
GUARD_CONTRACTS = 10  # the regression test scores the N shortest dev contracts


def _pct(value: object) -> str:
    return "   -" if value is None else f"{float(value):4.2f}"  # type: ignore[arg-type]


def print_report(result: dict[str, object]) -> None:
    cats: dict[str, dict[str, object]] = result["categories"]  # type: ignore[assignment]
    print(f"{'category':<36}{'pos':>4}{'P':>6}{'R':>6}{'F1':>6}{'spanR':>7}{'spanP':>7}")
    for name, s in cats.items():
        span: dict[str, object] = s["span"]  # type: ignore[assignment]
        print(
            f"{name:<36}{s['positives']:>4}{_pct(s['precision']):>6}{_pct(s['recall']):>6}"
            f"{_pct(s['f1']):>6}{_pct(span['recall']):>7}{_pct(span['precision']):>7}"
        )
    macro: dict[str, float] = result["macro"]  # type: ignore[assignment]
    span: dict[str, float] = result["span"]  # type: ignore[assignment]
    print(
        f"\n{result['contracts']} contracts; contract-level macro P {macro['precision']:.3f}"
        f" R {macro['recall']:.3f} F1 {macro['f1']:.3f}; span recall {_pct(span['recall'])}"
        f" precision {_pct(span['precision'])}"
    )
    calibration: list[dict[str, object]] = result["calibration"]  # type: ignore[assignment]
    print(
        "label scores vs share right: "
        + ", ".join(f"{c['bin']}: {c['right']} of {c['labels']}" for c in calibration)
    )
    terms: dict[str, dict[str, object]] = result["key_terms"]  # type: ignore[assignment]
    print("key terms: " + ", ".join(f"{k} {v['correct']}/{v['scored']}" for k, v in terms.items()))
    timing: dict[str, object] = result["timing"]  # type: ignore[assignment]
    if timing:
        print(
            f"seconds per contract: median {timing['seconds_median']}, worst"
            f" {timing['seconds_worst']}; labeling median {timing['labeling_seconds_median']},"
            f" worst {timing['labeling_seconds_worst']}"
        )
        slow = timing["slowest"]
        print("slowest: " + ", ".join(f"{t['id']} {t['seconds']}s" for t in slow))  # type: ignore[attr-defined]
    for failure in result["failures"]:  # type: ignore[attr-defined]
        print("FAILED", failure)


def scores_only(result: dict[str, object]) -> dict[str, object]:
    """Our figures without any CUAD text (safe to commit)."""
    cats: dict[str, dict[str, object]] = result["categories"]  # type: ignore[assignment]
    terms: dict[str, dict[str, object]] = result["key_terms"]  # type: ignore[assignment]
    return {
        "contracts": result["contracts"],
        "macro": result["macro"],
        "span": result["span"],
        "f1": {name: s["f1"] for name, s in cats.items()},
        "key_terms": {k: v["accuracy"] for k, v in terms.items()},
    }


def cross_validated(services: Services, data: Path) -> dict[str, object]:
    items = prepare(services, read_contracts(data), tuple(CUAD_TYPES))
    result = report(cross_validate(items, services.labeler(), services.embedder.model_id))
    result["timing"] = {}  # labelled from cached features: no per-contract time to report
    return result


def print_side_by_side(dev: dict[str, object], cv: dict[str, object]) -> None:
    print(f"\n{'':<34}{'macro-F1':>9}{'P':>7}{'R':>7}{'spanR':>7}{'spanP':>7}")
    for name, result in (("dev (shipped model)", dev), ("5-fold CV over train", cv)):
        macro: dict[str, float] = result["macro"]  # type: ignore[assignment]
        span: dict[str, float] = result["span"]  # type: ignore[assignment]
        print(
            f"{name:<34}{macro['f1']:>9.3f}{macro['precision']:>7.3f}{macro['recall']:>7.3f}"
            f"{_pct(span['recall']):>7}{_pct(span['precision']):>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="only the first N contracts")
    parser.add_argument("--out", type=Path, default=RESULTS / "cuad_eval.json")
    parser.add_argument("--db", type=Path, default=RESULTS / "cuad_eval.duckdb")
    parser.add_argument("--record", action="store_true", help="write bench/cuad_baseline.json")
    parser.add_argument(
        "--cv", action="store_true", help="also cross-validate over the training contracts"
    )
    parser.add_argument("--train", type=Path, default=TRAIN_DATA, help="training contracts")
    args = parser.parse_args()
    for needed in (args.data, args.train) if args.cv else (args.data,):
        if not needed.exists():
            sys.exit(f"{needed} not found: the CUAD evaluation data lives beside the project")
    args.db.parent.mkdir(parents=True, exist_ok=True)
    services = open_services(Settings.from_env({"CA_DB_PATH": str(args.db)}))
    try:
        result = report(evaluate(services, read_contracts(args.data, args.limit)))
        guard = (
            report(evaluate(services, shortest_contracts(args.data, GUARD_CONTRACTS)))
            if args.record
            else None
        )
        cv = cross_validated(services, args.train) if args.cv else None
    finally:
        services.close()
    print_report(result)
    if cv is not None:
        print("\n5-fold cross-validation over the training contracts:")
        print_report(cv)
        print_side_by_side(result, cv)
        result = {**result, "cv": cv}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {args.out}")
    if guard is not None:
        recorded = {"dev": scores_only(result), "guard": scores_only(guard)}
        if cv is not None:
            recorded["cv"] = scores_only(cv)
        BASELINE.write_text(json.dumps(recorded, indent=2) + "\n")
        print(f"recorded to {BASELINE}")


if __name__ == "__main__":
    main()
