"""Lever check: int8 dynamic quantisation of MiniLM's linear layers (CA_EMBEDDING_INT8).
Compares encode speed on the same clause texts (interleaved runs, best of 3) and the CUAD
macro-F1 of the whole offline pipeline (bench/cuad) with the fp32 and the int8 model; the lever
is kept only if macro-F1 moves by less than 0.01.

    python bench/quantize_eval.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cuad.evaluate import evaluate, report  # noqa: E402
from bench.cuad.gold import read_contracts  # noqa: E402
from bench.pipeline_bench import CUAD  # noqa: E402
from core.clauses.segment import extract_clauses  # noqa: E402
from core.pipeline.services import open_services  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.vectors.embeddings import SentenceTransformerEmbedder  # noqa: E402


def speed(
    fp32: SentenceTransformerEmbedder, int8: SentenceTransformerEmbedder, texts: list[str]
) -> Row:
    best = {"fp32": float("inf"), "int8": float("inf")}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(3):
        for name, embedder in (("fp32", fp32), ("int8", int8)):
            started = time.perf_counter()
            vectors[name] = embedder.encode(texts)
            best[name] = min(best[name], time.perf_counter() - started)
    cosine = (vectors["fp32"] * vectors["int8"]).sum(axis=1)
    return {
        "texts": len(texts),
        "fp32_s": round(best["fp32"], 2),
        "int8_s": round(best["int8"], 2),
        "speedup": round(best["fp32"] / best["int8"], 2),
        "cosine_to_fp32": {"median": float(np.median(cosine)), "min": float(cosine.min())},
    }


Row = dict[str, Any]


def macro_f1(embedder: SentenceTransformerEmbedder, limit: int | None) -> Row:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"CA_DB_PATH": f"{tmp}/q.duckdb"})
        services = open_services(settings, embedder=embedder)
        try:
            result = report(evaluate(services, read_contracts(CUAD, limit)))
        finally:
            services.close()
    return dict(result["macro"])  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N dev contracts for F1")
    args = parser.parse_args()
    fp32, int8 = SentenceTransformerEmbedder(), SentenceTransformerEmbedder(int8=True)
    first = json.loads(CUAD.open(encoding="utf-8").readline())
    texts = [s.text for s in extract_clauses(first["text"])]
    result = {"speed": speed(fp32, int8, texts)}
    print(json.dumps(result["speed"], indent=2))
    result["macro_fp32"] = macro_f1(fp32, args.limit)
    result["macro_int8"] = macro_f1(int8, args.limit)
    print(json.dumps({k: result[k] for k in ("macro_fp32", "macro_int8")}, indent=2))
    out = ROOT / "bench" / "results" / "quantize.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
