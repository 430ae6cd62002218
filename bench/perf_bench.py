"""Performance benchmark, one command: the offline pipeline on the CUAD dev contracts and the
samples (per-stage ms, texts embedded and tokens, time to first finding, floor ratio, warm
re-analysis), the batching lever against document-order batches, History/Insights queries at
100k analyses / 1M findings, the landing page's first render and one analysis' peak memory.

    python bench/perf_bench.py [--limit N] [--skip scale,app,levers] [--out bench/results/perf.json]

Figures are printed and written to JSON; docs/benchmarks.md holds the latest table. Timings
depend on what else the machine runs: compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import app_bench, pipeline_bench, scale_history  # noqa: E402
from bench.pipeline_bench import Row, analyse, open_bench_services, warm_up  # noqa: E402
from core.pipeline import runner  # noqa: E402
from core.pipeline.services import Services  # noqa: E402

SECTIONS = ("pipeline", "levers", "scale", "app")
LEVER_DOCS = 12  # documents in the batching comparison (each analysed twice, cold)


def _doc_order(*_args: object) -> Iterator[Any]:
    return iter(())  # no embedding ahead: every batch embeds its own clauses


def _run_variant(services: Services, name: str, data: bytes, variant: str) -> Row:
    """Analyse with the current schedule, or with the previous one: batches of 32 clauses in
    document order, each embedded on its own (the variant is set for this one call only)."""
    if variant == "current":
        return analyse(services, name, data, floor=False)
    saved = runner.FIRST_BATCH, runner._embed_ahead
    runner.FIRST_BATCH, runner._embed_ahead = runner.BATCH, _doc_order  # type: ignore[assignment]
    try:
        return analyse(services, name, data, floor=False)
    finally:
        runner.FIRST_BATCH, runner._embed_ahead = saved


def compare_batching(docs: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Each document analysed cold under both schedules (separate databases, one model),
    alternating which goes first; medians of the per-document ratios current / previous."""
    picked = sorted(docs, key=lambda d: len(d[1]))
    step = max(1, len(picked) // LEVER_DOCS)
    picked = picked[::step][:LEVER_DOCS]
    ratios: dict[str, list[float]] = {"total": [], "embed": [], "first_finding": []}
    with tempfile.TemporaryDirectory() as tmp:
        current = open_bench_services(Path(tmp) / "current.duckdb")
        previous = open_bench_services(Path(tmp) / "previous.duckdb")
        previous.embedder.inner = current.embedder.inner  # one model in memory
        warm_up(current)
        warm_up(previous)
        for i, (name, data) in enumerate(picked):
            order = ["current", "previous"] if i % 2 == 0 else ["previous", "current"]
            got = {v: _run_variant(current if v == "current" else previous, name, data, v)
                   for v in order}  # fmt: skip
            if all(r["status"] == "completed" for r in got.values()):
                for key, values in ratios.items():
                    before, after = got["previous"].get(key), got["current"].get(key)
                    if before and after is not None:
                        values.append(after / before)
        current.close()
        previous.close()
    return {
        "documents": len(picked),
        "median_ratio_current_over_previous": {
            k: round(statistics.median(v), 3) for k, v in ratios.items() if v
        },
    }


def print_levers(result: dict[str, Any]) -> None:
    ratios = result["median_ratio_current_over_previous"]
    print(f"\nbatching lever, {result['documents']} documents, current / previous (median):")
    for key, value in ratios.items():
        print(f"  {key:<14}{value:>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N documents (pipeline)")
    parser.add_argument("--skip", default="", help=f"comma-separated, of {','.join(SECTIONS)}")
    parser.add_argument("--analyses", type=int, default=100_000, help="scale run size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "perf.json")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S")}
    docs = pipeline_bench.documents(args.limit)
    if "pipeline" not in skip:
        result["pipeline"] = pipeline_bench.run_section(docs, warm=True)
        pipeline_bench.print_section(result["pipeline"])
    if "levers" not in skip:
        result["levers"] = compare_batching(docs)
        print_levers(result["levers"])
    if "scale" not in skip:
        result["scale"] = scale_history.run_section(args.analyses)
        scale_history.print_section(result["scale"])
    if "app" not in skip:
        result["app"] = app_bench.run_section()
        app_bench.print_section(result["app"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
