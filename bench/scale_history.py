"""Scale benchmark: a synthetic history of 100,000 analyses and 1,000,000 findings in DuckDB
(generated in bulk from DataFrames, kept under bench/results/ for re-runs), then the median time
of every query the History and Insights pages make, on their default and widest filters.

    python bench/scale_history.py [--analyses 100000] [--findings-per 10] [--runs 5]

Part of bench/perf_bench.py; runnable alone. The bar: every query ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.playbooks.library import seed_bundled  # noqa: E402
from core.portfolio import insights  # noqa: E402
from core.portfolio.insights import DateRange  # noqa: E402
from core.store import Store  # noqa: E402
from core.store import insight_queries as q  # noqa: E402
from core.store.history_queries import HistoryFilter, history_options, history_page  # noqa: E402
from core.taxonomy.names import ALL_TYPES  # noqa: E402

RESULTS = ROOT / "bench" / "results"
RISKS = np.array(["critical", "high", "medium", "low"])
KINDS = np.array(["deviation", "missing", "red_flag"])
LAST_DAY = date(2026, 11, 30)
DAYS = 730
CLAUDE_SHARE = 0.2  # analyses judged by Claude (they have llm_calls rows)
# Stage share of an analysis' total time, roughly as measured.
STAGE_SHARE = {"load": 0.01, "extract": 0.1, "embed": 0.75, "retrieve": 0.01, "analyze": 0.01}
STAGE_SHARE |= {"first_finding": 0.5, "total": 1.0}


def _analyses(rng: np.random.Generator, n: int, versions: list[str]) -> pd.DataFrame:
    created = pd.Timestamp(LAST_DAY + timedelta(days=1)) - pd.to_timedelta(
        np.sort(rng.uniform(0, DAYS * 86_400, n))[::-1], unit="s"
    )
    status = rng.choice(["completed", "failed", "interrupted"], n, p=[0.95, 0.03, 0.02]).astype(
        object
    )
    total = rng.lognormal(7.8, 0.6, n)
    timings = [json.dumps({s: round(t * f, 1) for s, f in STAGE_SHARE.items()}) for t in total]
    claude = rng.random(n) < CLAUDE_SHARE
    usage = [
        json.dumps({"input_tokens": 40_000, "output_tokens": 4_000, "cost_usd": 0.18})
        if c
        else json.dumps({"input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0})
        for c in claude
    ]
    ids = [f"a{i:07d}" for i in range(n)]
    return pd.DataFrame(
        {
            "id": ids,
            "created_at": created,
            "finished_at": created + pd.to_timedelta(total, unit="ms"),
            "status": status,
            "error": [None if s == "completed" else "synthetic failure" for s in status],
            "document_name": [f"contract-{i % 5000:04d}.pdf" for i in range(n)],
            "document_sha256": [f"{i % 5000:064x}" for i in range(n)],
            "document_format": "pdf",
            "document_chars": rng.integers(3_000, 290_000, n),
            "document_pages": rng.integers(1, 80, n),
            "document_text": "synthetic",
            "playbook_version_id": rng.choice(versions, n).astype(object),
            "engine": np.where(claude, "claude:claude-sonnet-4-5", "offline").astype(object),
            "parameters": "{}",
            "key_terms": "{}",
            "input_warnings": "[]",
            "usage": usage,
            "timings_ms": timings,
            "duration_ms": total,
            "document_warnings": "[]",
            "claude": claude,
        }
    )


def _findings(rng: np.random.Generator, analyses: pd.DataFrame, per: int) -> pd.DataFrame:
    counts = rng.poisson(per, len(analyses))
    owner = np.repeat(np.arange(len(analyses)), counts)
    n = len(owner)
    ordinal = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    types = np.array(sorted(ALL_TYPES))
    clause_type = types[rng.zipf(1.6, n) % len(types)]
    return pd.DataFrame(
        {
            "analysis_id": analyses["id"].to_numpy()[owner],
            "id": [f"f{o}" for o in ordinal],
            "ordinal": ordinal,
            "clause_id": [f"c{o}" for o in ordinal],
            "clause_type": clause_type,
            "kind": KINDS[rng.integers(0, 3, n)],
            "risk": RISKS[rng.choice(4, n, p=[0.05, 0.2, 0.45, 0.3])],
            "source_text": "The Supplier's liability shall not exceed the fees paid.",
            "start_offset": 100,
            "end_offset": 156,
            "deviation": "synthetic deviation",
            "recommendation": "synthetic recommendation",
            "retrieved_chunks": "[]",
            "rule": [
                t if keep else None
                for t, keep in zip(clause_type, rng.random(n) < 0.7, strict=True)
            ],
            "also_types": "[]",
            "created_at": analyses["created_at"].to_numpy()[owner],
        }
    )


def _llm_calls(rng: np.random.Generator, analyses: pd.DataFrame) -> pd.DataFrame:
    claude = analyses[analyses["claude"]]
    per = 4
    owner = np.repeat(np.arange(len(claude)), per)
    n = len(owner)
    inp = rng.integers(2_000, 20_000, n)
    out = rng.integers(200, 2_000, n)
    read = rng.integers(0, 10_000, n)
    return pd.DataFrame(
        {
            "id": [f"call{i:08d}" for i in range(n)],
            "analysis_id": claude["id"].to_numpy()[owner],
            "created_at": claude["created_at"].to_numpy()[owner],
            "model": rng.choice(["claude-sonnet-4-5", "claude-haiku-4-5"], n),
            "input_tokens": inp,
            "output_tokens": out,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": read,
            "cost_usd": (inp + 5 * out + 0.1 * read) * 3e-6,
            "outcome": "ok",
        }
    )


def _insert(store: Store, table: str, frame: pd.DataFrame) -> None:
    columns = ", ".join(frame.columns)
    with store.transaction() as cur:
        cur.register("frame", frame)
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM frame")
        cur.unregister("frame")


def build(path: Path, n: int, per: int) -> Store:
    """Open the synthetic history at `path`, generating it first unless it already exists."""
    if path.exists():
        return Store(path)
    started = time.perf_counter()
    store = Store(path)
    seed_bundled(store)
    with store.cursor() as cur:
        versions = [r[0] for r in cur.execute("SELECT id FROM playbook_versions").fetchall()]
    rng = np.random.default_rng(7)
    analyses = _analyses(rng, n, versions)
    _insert(store, "analyses", analyses.drop(columns="claude"))
    _insert(store, "findings", _findings(rng, analyses, per))
    _insert(store, "llm_calls", _llm_calls(rng, analyses))
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")
    print(f"generated {path.name} in {time.perf_counter() - started:,.0f} s", file=sys.stderr)
    return store


def page_queries(store: Store) -> dict[str, Callable[[], Any]]:
    """Every call the History and Insights pages make, on default and widest filters."""
    full = insights.data_extent(store).full
    default = insights.data_extent(store).default
    assert full is not None and default is not None
    newest = history_page(store, HistoryFilter(), 1, 25).rows["analysis_id"].iloc[0]
    calls: dict[str, Callable[[], Any]] = {
        "history: options": lambda: history_options(store),
        "history: page 1 (no filter)": lambda: history_page(store, HistoryFilter(), 1, 25),
        "history: last page": lambda: history_page(store, HistoryFilter(), 10**9, 25),
        "history: status=failed": lambda: history_page(
            store, HistoryFilter(statuses=("failed",)), 1, 25
        ),
        "history: risk=critical": lambda: history_page(
            store, HistoryFilter(risks=("critical",)), 1, 25
        ),
        "history: playbook + 30 days": lambda: history_page(
            store,
            HistoryFilter(
                start=default.end - timedelta(days=29),
                end=default.end,
                playbooks=("default-customer",),
            ),
            1,
            25,
        ),
        "history: open one analysis": lambda: store.load_analysis(newest),
        "insights: data extent": lambda: insights.data_extent(store),
    }
    for label, span in (("90 days", default), ("all time", full)):
        calls.update(_insight_queries(store, label, span))
    return calls


def _insight_queries(store: Store, label: str, r: DateRange) -> dict[str, Callable[[], Any]]:
    bucket = insights.bucket_for(r)
    s, e = r.start, r.end
    return {
        f"insights {label}: totals": lambda: q.analysis_totals(store, s, e),
        f"insights {label}: risk over time": lambda: q.findings_by_risk_over_time(
            store, s, e, bucket
        ),
        f"insights {label}: clause type x risk": lambda: q.findings_by_clause_type_and_risk(
            store, s, e, insights.TOP_CLAUSE_TYPES
        ),
        f"insights {label}: top deviations": lambda: q.top_deviations(
            store, s, e, insights.TOP_DEVIATIONS
        ),
        f"insights {label}: risk per analysis": lambda: q.risk_per_analysis(
            store, s, e, insights.LATEST_ANALYSES
        ),
        f"insights {label}: llm call counts": lambda: q.llm_call_counts(store, s, e),
        f"insights {label}: usage over time": lambda: q.usage_over_time(
            store, s, e, bucket, insights.TOP_MODELS
        ),
        f"insights {label}: cost per analysis": lambda: q.cost_per_analysis(
            store, s, e, insights.LATEST_ANALYSES
        ),
        f"insights {label}: cost summary": lambda: q.cost_summary(store, s, e),
        f"insights {label}: stage latency": lambda: q.stage_latency(store, s, e, insights.STAGES),
        f"insights {label}: whole page (load_insights, all queries)": lambda: (
            insights.load_insights(store, r)
        ),
    }


def time_queries(store: Store, runs: int) -> dict[str, dict[str, float]]:
    out = {}
    for name, call in page_queries(store).items():
        call()  # warm: first touch of the columns
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        out[name] = {
            "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
        }
    return out


def run_section(n: int = 100_000, per: int = 10, runs: int = 5) -> dict[str, Any]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    store = build(RESULTS / f"scale-{n}x{per}.duckdb", n, per)
    with store.cursor() as cur:
        sizes = {
            t: int(cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
            for t in ("analyses", "findings", "llm_calls")
        }
    timings = time_queries(store, runs)
    store.close()
    return {"rows": sizes, "queries": timings}


def print_section(result: dict[str, Any]) -> None:
    rows = result["rows"]
    print(
        f"\nscale: {rows['analyses']:,} analyses, {rows['findings']:,} findings,"
        f" {rows['llm_calls']:,} LLM calls"
    )
    print(f"{'query':<52}{'median ms':>11}{'max ms':>10}")
    for name, t in result["queries"].items():
        whole = "whole page" in name  # all of a page's queries together, not one query
        flag = "" if whole or t["median_ms"] <= 150 else "  > 150 ms"
        print(f"{name:<52}{t['median_ms']:>11,.1f}{t['max_ms']:>10,.1f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--analyses", type=int, default=100_000)
    parser.add_argument("--findings-per", type=int, default=10, help="mean findings/analysis")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    args = parser.parse_args()
    result = run_section(args.analyses, args.findings_per, args.runs)
    print_section(result)
    (RESULTS / "scale.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
