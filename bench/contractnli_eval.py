"""The verdict engine measured on real NDAs: ContractNLI (CC BY 4.0), 17 expert-labelled positions
per NDA (Entailment / Contradiction / NotMentioned, with evidence spans).

    python bench/contractnli_eval.py [--split dev|train] [--limit N]

The 17 positions are checks of an evaluation playbook written in our own words
(bench/contractnli_checks.yaml; bench only, never bundled). Every NDA goes through the real
pipeline (`core.pipeline.runner.run`, offline engine) and each check's verdict is mapped to the
label: states = Entailment, contradicts = Contradiction, silent = NotMentioned. Reported: accuracy,
F1 of states and of contradicts, and evidence recall / precision (an evidence sentence matches a
gold span when they share at least half of the shorter), overall and per check.

The relation model is trained on the train split (scripts/train_check_relations.py): report dev.
Scoring train shows only how well the model fits what it was trained on.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.contractnli_data import EVAL, Nda, eval_checks, eval_playbook, overlaps, read_ndas  # noqa: E402
from core.models import Analysis  # noqa: E402
from core.pipeline.events import FinalEvent  # noqa: E402
from core.pipeline.runner import run  # noqa: E402
from core.pipeline.services import open_services  # noqa: E402
from core.playbooks.library import import_playbook  # noqa: E402
from core.settings import Settings  # noqa: E402

VERDICTS = ("states", "contradicts", "silent")


def f1(gold: list[str], pred: list[str], label: str) -> float:
    tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / max(2 * tp + fp + fn, 1)


CACHE = ROOT / "bench" / "results" / "contractnli_vectors.duckdb"


def analyse(ndas: list[Nda], db: Path = CACHE) -> tuple[list[Analysis | None], float]:
    """Each NDA through the real pipeline under the evaluation playbook (not stored), with the
    seconds it took; None for an NDA the pipeline did not complete. `db` keeps the vectors."""
    db.parent.mkdir(parents=True, exist_ok=True)
    services = open_services(Settings.from_env({"CA_DB_PATH": str(db)}))
    try:
        playbook = yaml.safe_dump(eval_playbook().model_dump(mode="json"), sort_keys=False)
        import_playbook(services.store, playbook, "ContractNLI evaluation checks")
        out: list[Analysis | None] = []
        started = time.perf_counter()
        for n, nda in enumerate(ndas, 1):
            final = None
            for event in run(
                services, nda.raw.encode("utf-8"), f"{nda.id}.txt", "contractnli-eval", False
            ):
                if isinstance(event, FinalEvent):
                    final = event.analysis
            ok = final is not None and final.status == "completed"
            out.append(final if ok else None)
            if n % 10 == 0:
                took = time.perf_counter() - started
                print(f"  analysed {n} of {len(ndas)} NDAs ({took:.0f} s)", file=sys.stderr)
        seconds = time.perf_counter() - started
    finally:
        services.close()
    return out, seconds


@dataclass
class Scores:
    accuracy: float
    f1_states: float
    f1_contradicts: float
    evidence_recall: float
    evidence_precision: float
    gold: list[str]
    pred: list[str]
    per_check: dict[str, tuple[list[str], list[str]]]
    spans: int  # gold evidence spans of states / contradicts labels
    found: int  # of which an evidence sentence matched
    shown: int  # evidence sentences of non-silent verdicts
    right: int  # of which matched a gold span
    refused: int  # NDAs the pipeline did not complete


def score(ndas: list[Nda], analyses: list[Analysis | None]) -> Scores:
    keys = {check.id: key for key, check in eval_checks()}
    gold_all: list[str] = []
    pred_all: list[str] = []
    per_check: dict[str, tuple[list[str], list[str]]] = {}
    found = spans = right = shown = refused = 0
    for nda, analysis in zip(ndas, analyses, strict=True):
        if analysis is None:
            refused += 1
        elif analysis.document.text != nda.text:
            raise SystemExit(
                f"{nda.id}: the pipeline read another text than the gold offsets index"
            )
        verdicts = {v.check: v for v in analysis.verdicts} if analysis else {}
        for check_id, key in keys.items():
            gold = nda.gold[key]
            verdict = verdicts.get(check_id)
            pred = verdict.verdict if verdict else "silent"
            evidence = [(e.start, e.end) for e in verdict.evidence] if verdict else []
            gold_all.append(gold.verdict)
            pred_all.append(pred)
            g, p = per_check.setdefault(key, ([], []))
            g.append(gold.verdict)
            p.append(pred)
            if gold.verdict != "silent":
                spans += len(gold.spans)
                found += sum(any(overlaps(s, e) for e in evidence) for s in gold.spans)
            if pred != "silent":
                shown += len(evidence)
                right += sum(any(overlaps(e, s) for s in gold.spans) for e in evidence)
    accuracy = sum(g == p for g, p in zip(gold_all, pred_all, strict=True)) / len(gold_all)
    return Scores(
        accuracy,
        f1(gold_all, pred_all, "states"),
        f1(gold_all, pred_all, "contradicts"),
        found / max(spans, 1),
        right / max(shown, 1),
        gold_all,
        pred_all,
        per_check,
        spans,
        found,
        shown,
        right,
        refused,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    path = EVAL / f"contractnli-{args.split}.jsonl"
    if not path.exists():
        sys.exit(f"{path} not found: ContractNLI lives in ../shared/eval beside the project")
    ndas = list(read_ndas(path))[: args.limit]
    analyses, seconds = analyse(ndas)
    s = score(ndas, analyses)
    print(
        f"ContractNLI {args.split}: {len(ndas)} NDAs x {len(s.per_check)} checks"
        f" ({s.refused} not analysed), {seconds:.0f} s through the pipeline"
        f" ({seconds / len(ndas):.1f} s per NDA)"
    )
    print(f"  gold verdicts: {dict(Counter(s.gold))}; predicted: {dict(Counter(s.pred))}")
    print(
        f"  accuracy {s.accuracy:.3f}   F1 states {s.f1_states:.3f}"
        f"   F1 contradicts {s.f1_contradicts:.3f}"
    )
    print(
        f"  evidence recall {s.evidence_recall:.3f} ({s.found} of {s.spans} gold spans)"
        f"   precision {s.evidence_precision:.3f} ({s.right} of {s.shown} evidence sentences)"
    )
    print(f"\n  {'check':<8} {'n':>3} {'acc':>6} {'F1 st':>6} {'F1 co':>6}  gold s/c/-")
    for key in sorted(s.per_check, key=lambda k: int(k.split("-")[1])):
        g, p = s.per_check[key]
        acc = sum(a == b for a, b in zip(g, p, strict=True)) / len(g)
        counts = "/".join(str(g.count(v)) for v in VERDICTS)
        print(
            f"  {key:<8} {len(g):>3} {acc:>6.3f} {f1(g, p, 'states'):>6.3f}"
            f" {f1(g, p, 'contradicts'):>6.3f}  {counts}"
        )


if __name__ == "__main__":
    main()
