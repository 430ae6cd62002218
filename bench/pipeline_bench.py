"""Pipeline benchmark: analyse the CUAD dev contracts and the samples with the real model and
print per-stage milliseconds, clauses per second and time to first finding (median and worst).

    python bench/pipeline_bench.py [--limit N] [--warm] [--out bench/results/pipeline.json]

Runs against a fresh temporary DuckDB, so the first contract pays for loading the model and
embedding the taxonomy; that cold start is reported on its own, not in the medians. `--warm`
analyses everything a second time to show the embedding cache at work.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import pipeline  # noqa: E402
from core.events import FinalEvent  # noqa: E402
from core.services import open_services  # noqa: E402
from core.settings import Settings  # noqa: E402

CUAD = ROOT.parent / "shared" / "eval" / "cuad-dev.jsonl"
STAGES = ("load", "extract", "embed", "retrieve", "analyze", "first_finding", "total")


def documents(limit: int | None) -> list[tuple[str, bytes]]:
    docs = [(p.name, p.read_bytes()) for p in sorted((ROOT / "data" / "samples").iterdir())]
    if CUAD.exists():
        with CUAD.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                docs.append((f"{row['title']}.txt", row["text"].encode("utf-8")))
    else:
        print(f"note: {CUAD} not found; benchmarking the samples only", file=sys.stderr)
    return docs[:limit] if limit else docs


def analyse(services, name: str, data: bytes) -> dict[str, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    final = [e for e in pipeline.run(services, data, name) if isinstance(e, FinalEvent)][-1]
    wall = (time.perf_counter() - started) * 1000
    a = final.analysis
    if a.status != "completed":
        return {"name": name, "status": a.status, "error": a.error}
    t = a.timings_ms.model_dump()
    return {
        "name": name,
        "status": a.status,
        "chars": a.document.chars,
        "clauses": len(a.clauses),
        "findings": len(a.findings),
        "wall_ms": round(wall, 1),
        "clauses_per_s": round(len(a.clauses) / (wall / 1000), 1),
        **t,
    }


def summarise(rows: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    ok = [r for r in rows if r["status"] == "completed"]
    out: dict[str, dict[str, float]] = {}
    for key in (*STAGES, "wall_ms", "clauses_per_s"):
        values = [float(r[key]) for r in ok if r.get(key) is not None]  # type: ignore[arg-type]
        if values:
            worst = min(values) if key == "clauses_per_s" else max(values)
            out[key] = {"median": round(statistics.median(values), 1), "worst": round(worst, 1)}
    return out


def print_table(title: str, summary: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'measure':<16}{'median':>12}{'worst':>12}")
    for key, v in summary.items():
        unit = "clauses/s" if key == "clauses_per_s" else "ms"
        print(f"{key:<16}{v['median']:>12,.1f}{v['worst']:>12,.1f}  {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--warm", action="store_true", help="also time a second, cached pass")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pipeline.json")
    args = parser.parse_args()
    docs = documents(args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(Settings.from_env({"CA_DB_PATH": f"{tmp}/bench.duckdb"}))
        t0 = time.perf_counter()
        services.labeler()  # model load + taxonomy embedding: the one-off cold start
        cold_ms = (time.perf_counter() - t0) * 1000
        rows = [analyse(services, name, data) for name, data in docs]
        warm = [analyse(services, name, data) for name, data in docs] if args.warm else []
        services.close()
    result = {
        "documents": len(docs),
        "cold_start_ms": round(cold_ms, 1),
        "cold": {"summary": summarise(rows), "rows": rows},
    }
    print(f"{len(docs)} documents; cold start (model load + taxonomy embedding): {cold_ms:,.0f} ms")
    print_table(
        "first analysis of each document (embedding cache empty)", result["cold"]["summary"]
    )
    if warm:
        result["warm"] = {"summary": summarise(warm), "rows": warm}
        print_table("second analysis (embeddings cached)", result["warm"]["summary"])
    slowest = sorted((r for r in rows if "wall_ms" in r), key=lambda r: -float(r["wall_ms"]))[:5]
    print("\nslowest:", ", ".join(f"{r['name']} {float(r['wall_ms']):,.0f} ms" for r in slowest))
    failed = [r for r in rows if r["status"] != "completed"]
    if failed:
        print("failed:", ", ".join(f"{r['name']}: {r['error']}" for r in failed))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
