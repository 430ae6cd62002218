"""What a Claude review will cost, before it runs (and before each batch, for the budget cap).

Token counts are estimated from characters (about 3.5 per token for English legal text); the
first call writes the system prompt to the cache and later calls read it back.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from core.llm.pricing import PriceTable
from core.models import Usage

CHARS_PER_TOKEN = 3.5
TOKENS_PER_CLAUSE_OVERHEAD = 40  # the clause header: id, types, guidance ids
OUTPUT_TOKENS_PER_CLAUSE = 150  # findings average under one per clause, ~150 tokens each
REQUEST_OVERHEAD_TOKENS = 600  # tool definition and framing


def tokens(chars: int) -> int:
    return math.ceil(chars / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Estimate:
    calls: int
    usage: Usage
    cost_usd: float | None  # None when the model is not in the price table


def estimate(
    prices: PriceTable,
    model: str,
    system_chars: int,
    clause_chars: list[int],
    batch_size: int,
    first_call_writes_cache: bool = True,
    on: dt.date | None = None,
) -> Estimate:
    """The cost of judging clauses of these lengths in batches of `batch_size`, with a cached
    system prompt (instructions and playbook) of `system_chars` characters."""
    system = tokens(system_chars)
    batches = [clause_chars[i : i + batch_size] for i in range(0, len(clause_chars), batch_size)]
    usage = Usage()
    for n, batch in enumerate(batches):
        usage.input_tokens += REQUEST_OVERHEAD_TOKENS + sum(
            tokens(c) + TOKENS_PER_CLAUSE_OVERHEAD for c in batch
        )
        usage.output_tokens += OUTPUT_TOKENS_PER_CLAUSE * len(batch)
        if n == 0 and first_call_writes_cache:
            usage.cache_creation_input_tokens += system
        else:
            usage.cache_read_input_tokens += system
    cost = prices.cost(model, usage, on or dt.datetime.now(dt.UTC).date())
    return Estimate(calls=len(batches), usage=usage, cost_usd=cost)
