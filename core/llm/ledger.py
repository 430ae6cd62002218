"""The LLM ledger of one analysis as a table: every call, its tokens and cost, and what prompt
caching saved against paying the full input price for the same tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.llm.pricing import MILLION, PriceTable
from core.models import LLMCall


@dataclass(frozen=True)
class LedgerSummary:
    calls: list[LLMCall]
    cost_usd: float
    cache_read_tokens: int
    cache_write_tokens: int
    saved_usd: float  # cache reads at the read price instead of the input price, less the
    # premium paid to write the cache

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "call": n,
                "outcome": c.outcome,
                "request_id": c.request_id,
                "clauses": len(c.clause_ids),
                "input": c.input_tokens,
                "cache_write": c.cache_creation_input_tokens,
                "cache_read": c.cache_read_input_tokens,
                "output": c.output_tokens,
                "cost_usd": round(c.cost_usd, 6),
                "ttft_ms": c.time_to_first_token_ms,
                "latency_ms": c.latency_ms,
            }
            for n, c in enumerate(self.calls, 1)
        ]


def summarise(calls: list[LLMCall], prices: PriceTable, on: dt.date) -> LedgerSummary:
    saved = Decimal(0)
    for call in calls:
        rates = prices.rates(call.model, call, on)
        if rates is None:
            continue
        saved += call.cache_read_input_tokens * (rates.input - rates.cache_read)
        saved -= call.cache_creation_input_tokens * (rates.cache_write_5m - rates.input)
    return LedgerSummary(
        calls=calls,
        cost_usd=round(sum(c.cost_usd for c in calls), 8),
        cache_read_tokens=sum(c.cache_read_input_tokens for c in calls),
        cache_write_tokens=sum(c.cache_creation_input_tokens for c in calls),
        saved_usd=float(round(saved / MILLION, 8)),
    )
