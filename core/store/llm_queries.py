"""SQL for the `llm_calls` ledger: one row per Messages API call, written as each call ends."""

from __future__ import annotations

import json
from datetime import datetime

from core.models import LLMCall
from core.store.database import Database
from core.store.records import fetch_all, fetch_one

_COLUMNS = (
    "id, model, request_id, input_tokens, output_tokens, cache_creation_input_tokens,"
    " cache_read_input_tokens, cost_usd, price_table_version, latency_ms,"
    " time_to_first_token_ms, stop_reason, outcome, detail, clause_ids"
)

_NAMES = [name.strip() for name in _COLUMNS.split(",")]


class LLMQueries(Database):
    def add_llm_call(self, analysis_id: str, call: LLMCall) -> None:
        values = call.model_dump()
        values["clause_ids"] = json.dumps(call.clause_ids)
        with self.transaction() as cur:
            cur.execute(
                f"INSERT INTO llm_calls (analysis_id, {_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [analysis_id, *(values[name] for name in _NAMES)],
            )

    def llm_calls(self, analysis_id: str) -> list[LLMCall]:
        """The ledger of one analysis, in call order."""
        with self.cursor() as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM llm_calls WHERE analysis_id = ?"
                " ORDER BY created_at, rowid",
                [analysis_id],
            )
            rows = fetch_all(cur)
        calls = []
        for record in rows:
            record["clause_ids"] = json.loads(record["clause_ids"] or "[]")
            calls.append(LLMCall.model_validate(record))
        return calls

    def llm_tokens_since(self, since: datetime) -> int:
        """Every token billed since `since` (input, output and cache), for the daily budget."""
        with self.cursor() as cur:
            cur.execute(
                "SELECT coalesce(sum(input_tokens + output_tokens + cache_creation_input_tokens"
                " + cache_read_input_tokens), 0) AS tokens FROM llm_calls WHERE created_at >= ?",
                [since],
            )
            row = fetch_one(cur)
        return int(row["tokens"]) if row else 0
