"""`python -m core ledger ANALYSIS_ID`: the Claude calls of one analysis, their tokens and cost,
and what prompt caching saved."""

from __future__ import annotations

import argparse
import datetime as dt

from core.cli.output import dump_json
from core.llm.ledger import summarise
from core.llm.pricing import load_prices
from core.settings import Settings
from core.store import Store

_COLUMNS = ("call", "outcome", "clauses", "input", "cache_write", "cache_read", "output")


def command(args: argparse.Namespace, settings: Settings) -> int:
    store = Store(settings.db_path)
    try:
        analysis = store.load_analysis(args.analysis_id)  # a clear error for an unknown id
        calls = store.llm_calls(analysis.analysis_id)
    finally:
        store.close()
    summary = summarise(calls, load_prices(), dt.datetime.now(dt.UTC).date())
    if args.format == "json":
        print(
            dump_json(
                {
                    "analysis_id": analysis.analysis_id,
                    "engine": analysis.engine,
                    "calls": summary.rows(),
                    "cost_usd": summary.cost_usd,
                    "cache_read_tokens": summary.cache_read_tokens,
                    "cache_write_tokens": summary.cache_write_tokens,
                    "cache_saved_usd": summary.saved_usd,
                }
            )
        )
        return 0
    if not calls:
        print(f"{analysis.document.name}: no LLM calls ({analysis.engine} engine)")
        return 0
    print(f"{analysis.document.name} · {analysis.engine} · {len(calls)} calls")
    print(" ".join(f"{c:>11}" for c in _COLUMNS) + f" {'cost USD':>11}")
    for row in summary.rows():
        cells = " ".join(f"{row[c]!s:>11}" for c in _COLUMNS)
        print(f"{cells} {row['cost_usd']:>11.6f}")
    print(
        f"total ${summary.cost_usd:.4f}; {summary.cache_read_tokens:,} prompt tokens read from"
        f" cache, {summary.cache_write_tokens:,} written; caching saved"
        f" ${summary.saved_usd:.4f}"
    )
    return 0
