"""Run the real pipeline (offline engine, nothing stored) over CUAD contracts and score it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from bench.cuad.gold import Contract
from bench.cuad.keyterms import FIELDS, Verdict, judge
from bench.cuad.scoring import Predicted, Scoreboard
from core.documents.normalize import normalize
from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services
from core.taxonomy import CUAD_TYPES


@dataclass
class Run:
    board: Scoreboard = field(default_factory=lambda: Scoreboard(CUAD_TYPES))
    verdicts: list[Verdict] = field(default_factory=list)
    timings: list[dict[str, object]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def analyse(services: Services, contract: Contract) -> Analysis:
    events = runner.run(services, contract.text.encode("utf-8"), f"{contract.id}.txt", store=False)
    return [e for e in events if isinstance(e, FinalEvent)][-1].analysis


def predictions(analysis: Analysis) -> list[Predicted]:
    return [
        Predicted(label.type, label.start, label.end, label.score)
        for clause in analysis.clauses
        for label in clause.labels
        if label.type in CUAD_TYPES
    ]


def evaluate(services: Services, contracts: Iterable[Contract]) -> Run:
    run = Run()
    labeler = services.labeler()  # model load + taxonomy embedding: not charged to a contract
    for contract in contracts:
        busy = labeler.busy_seconds
        started = time.perf_counter()
        analysis = analyse(services, contract)
        seconds = time.perf_counter() - started
        if analysis.status != "completed":
            run.failures.append(f"{contract.id}: {analysis.error}")
            continue
        if analysis.document.text != normalize(contract.text)[0]:
            run.failures.append(f"{contract.id}: analysed text differs from the normalised text")
            continue
        run.board.add(contract.spans, predictions(analysis))
        run.verdicts += judge(analysis.key_terms, contract.answers)
        run.timings.append(
            {
                "id": contract.id,
                "chars": len(analysis.document.text),
                "clauses": len(analysis.clauses),
                "seconds": round(seconds, 3),
                "labeling_seconds": round(labeler.busy_seconds - busy, 3),
            }
        )
    return run


def key_term_summary(verdicts: list[Verdict]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for f in FIELDS:
        scored = [v for v in verdicts if v.field == f and v.correct is not None]
        right = sum(bool(v.correct) for v in scored)
        out[f] = {
            "accuracy": round(right / len(scored), 4) if scored else None,
            "correct": right,
            "scored": len(scored),
            "wrong": [{"gold": v.gold, "predicted": v.predicted} for v in scored if not v.correct],
        }
    return out


def timing_summary(timings: list[dict[str, object]]) -> dict[str, object]:
    if not timings:
        return {}
    secs = [float(t["seconds"]) for t in timings]  # type: ignore[arg-type]
    label = [float(t["labeling_seconds"]) for t in timings]  # type: ignore[arg-type]
    slowest = sorted(timings, key=lambda t: -float(t["seconds"]))[:5]  # type: ignore[arg-type]
    return {
        "seconds_median": round(statistics.median(secs), 3),
        "seconds_worst": round(max(secs), 3),
        "labeling_seconds_median": round(statistics.median(label), 3),
        "labeling_seconds_worst": round(max(label), 3),
        "slowest": slowest,
    }


def report(run: Run) -> dict[str, object]:
    return {
        "contracts": len(run.timings),
        "failures": run.failures,
        **run.board.summary(),
        "key_terms": key_term_summary(run.verdicts),
        "timing": timing_summary(run.timings),
    }
