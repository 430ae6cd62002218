"""Pipeline benchmark: analyse the CUAD dev contracts and the samples with the real model; per
contract the wall time, per-stage milliseconds, texts embedded and their tokens, time to first
finding, and the floor ratio: wall time over the time the same model takes to encode the same
texts directly (`model.encode`, one call, measured right after, in the same process).

    python bench/pipeline_bench.py [--limit N] [--warm] [--out bench/results/pipeline.json]

Part of bench/perf_bench.py (which runs everything); runnable alone. A fresh temporary DuckDB
is used, and the one-off cold start (model load, taxonomy and playbook embedding) is done and
timed before the first contract, so it is not in the medians.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.pipeline import runner  # noqa: E402
from core.pipeline.events import FinalEvent  # noqa: E402
from core.pipeline.services import Services, open_services  # noqa: E402
from core.playbooks.library import resolve  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.vectors.embeddings import SentenceTransformerEmbedder  # noqa: E402

CUAD = ROOT.parent / "shared" / "eval" / "cuad-dev.jsonl"
STAGES = ("load", "extract", "embed", "retrieve", "analyze", "first_finding", "total")
MEASURES = (
    *STAGES,
    "wall_ms",
    "floor_ms",
    "floor_ratio",
    "floor_same_batch_ms",
    "floor_same_batch_ratio",
    "texts_embedded",
    "tokens",
)
# sentence-transformers' default batch size: the floor is `model.encode(texts)` as it comes.
LIBRARY_BATCH = 32
Row = dict[str, Any]


class RecordingEmbedder:
    """The real model, remembering every text the pipeline actually sent to it."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts)

    def floor_ms(self, texts: list[str], batch_size: int = LIBRARY_BATCH) -> float:
        """The same texts straight through the model in one call (its own length sorting)."""
        model: Any = self.inner._load()
        started = time.perf_counter()
        model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return (time.perf_counter() - started) * 1000

    def tokens(self, texts: list[str]) -> int:
        """Word pieces the model reads (it truncates at its max_seq_length)."""
        model: Any = self.inner._load()
        ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
        return sum(len(i) for i in ids)


def documents(limit: int | None = None) -> list[tuple[str, bytes]]:
    docs = [(p.name, p.read_bytes()) for p in sorted((ROOT / "data" / "samples").iterdir())]
    if CUAD.exists():
        with CUAD.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                docs.append((f"{row['title']}.txt", row["text"].encode("utf-8")))
    else:
        print(f"note: {CUAD} not found; benchmarking the samples only", file=sys.stderr)
    return docs[:limit] if limit else docs


def open_bench_services(db: Path, env: dict[str, str] | None = None) -> Services:
    settings = Settings.from_env({"CA_DB_PATH": str(db), **(env or {})})
    inner = SentenceTransformerEmbedder(
        settings.embedding_model, settings.embedding_batch_size, settings.embedding_int8
    )
    return open_services(settings, embedder=RecordingEmbedder(inner))


def warm_up(services: Services) -> float:
    """Model load, taxonomy vectors and the default playbook's index: the cold start, in ms."""
    started = time.perf_counter()
    services.labeler()
    version, playbook = resolve(services.store, services.settings.default_playbook)
    services.indexes.get(version, playbook)
    return (time.perf_counter() - started) * 1000


def analyse(services: Services, name: str, data: bytes, floor: bool = True) -> Row:
    recorder = services.embedder.inner
    assert isinstance(recorder, RecordingEmbedder)
    recorder.texts = []
    started = time.perf_counter()
    events = list(runner.run(services, data, name))
    wall = (time.perf_counter() - started) * 1000
    a = next(e for e in reversed(events) if isinstance(e, FinalEvent)).analysis
    if a.status != "completed":
        return {"name": name, "status": a.status, "error": a.error}
    texts = recorder.texts
    row: Row = {
        "name": name,
        "status": a.status,
        "chars": a.document.chars,
        "clauses": len(a.clauses),
        "findings": len(a.findings),
        "wall_ms": round(wall, 1),
        **a.timings_ms.model_dump(),
        "texts_embedded": len(texts),
        "tokens": recorder.tokens(texts) if texts else 0,
    }
    if floor and texts:
        # The floor: one `model.encode` call with the library's defaults. The stricter
        # one gives the model the pipeline's own (smaller, faster) batch size.
        row["floor_ms"] = round(recorder.floor_ms(texts), 1)
        row["floor_ratio"] = round(wall / row["floor_ms"], 3)
        same = recorder.floor_ms(texts, recorder.inner.batch_size)
        row["floor_same_batch_ms"] = round(same, 1)
        row["floor_same_batch_ratio"] = round(wall / same, 3)
    return row


def summarise(rows: list[Row]) -> dict[str, dict[str, float]]:
    ok = [r for r in rows if r["status"] == "completed"]
    out: dict[str, dict[str, float]] = {}
    for key in MEASURES:
        values = [float(r[key]) for r in ok if r.get(key) is not None]
        if values:
            out[key] = {"median": round(statistics.median(values), 3), "worst": max(values)}
    return out


def run_section(
    docs: list[tuple[str, bytes]], warm: bool, env: dict[str, str] | None = None
) -> Row:
    """Cold (first) analyses of every document, then optionally warm re-analyses."""
    with tempfile.TemporaryDirectory() as tmp:
        services = open_bench_services(Path(tmp) / "bench.duckdb", env)
        cold_start = warm_up(services)
        rows = [analyse(services, name, data) for name, data in docs]
        again = [analyse(services, name, data, floor=False) for name, data in docs] if warm else []
        services.close()
    result: Row = {
        "documents": len(docs),
        "cold_start_ms": round(cold_start, 1),
        "cold": {"summary": summarise(rows), "rows": rows},
    }
    if again:
        ratios = [
            w["total"] / c["total"]
            for c, w in zip(rows, again, strict=True)
            if c["status"] == w["status"] == "completed"
        ]
        result["warm"] = {"summary": summarise(again), "rows": again}
        result["warm_fraction"] = {
            "median": round(statistics.median(ratios), 3),
            "worst": round(max(ratios), 3),
        }
    return result


def print_section(result: Row) -> None:
    print(f"\n{result['documents']} documents; cold start {result['cold_start_ms']:,.0f} ms")
    print(f"{'measure':<16}{'cold median':>14}{'worst':>12}{'warm median':>14}{'worst':>12}")
    cold, warm = result["cold"]["summary"], result.get("warm", {}).get("summary", {})
    for key, v in cold.items():
        w = warm.get(key, {})
        print(
            f"{key:<16}{v['median']:>14,.2f}{v['worst']:>12,.2f}"
            f"{w.get('median', float('nan')):>14,.2f}{w.get('worst', float('nan')):>12,.2f}"
        )
    if "warm_fraction" in result:
        f = result["warm_fraction"]
        print(f"warm / cold total: median {f['median']:.1%}, worst {f['worst']:.1%}")
    failed = [r for r in result["cold"]["rows"] if r["status"] != "completed"]
    if failed:
        print("failed:", ", ".join(f"{r['name']}: {r['error']}" for r in failed))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--warm", action="store_true", help="also time a second, cached pass")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pipeline.json")
    args = parser.parse_args()
    result = run_section(documents(args.limit), args.warm)
    print_section(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
