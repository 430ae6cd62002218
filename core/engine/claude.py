"""The Claude engine: the same interface and Finding model as the offline engine, judged by Claude.

Per batch of clauses: one streaming call whose answer is a forced (or, where the model forbids
forcing, requested) `report_findings` tool call. Each finding is validated and grounded the moment
it closes in the stream. A malformed answer is asked for once more, then the batch falls back to
the offline engine; an API failure, a cut stream or a spent budget hands every remaining clause
to the offline engine, keeping whatever was already found. Every call is a ledger row.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import anthropic
from pydantic import ValidationError

from core.engine.base import ClauseContext, DocumentContext, EngineOutput, EngineWarning
from core.engine.claude_grounding import cross_check, ground, missed_by_claude
from core.engine.claude_prompt import INSTRUCTIONS, system_blocks, user_content
from core.engine.offline import OfflineEngine
from core.llm.estimate import estimate
from core.llm.pricing import PriceTable, money
from core.llm.schema import TOOL_NAME, DraftFinding, FindingsReport, tool_definition
from core.llm.stream import MalformedAnswer, StreamCut, ToolStream
from core.models import Finding, LLMCall, LLMOutcome


@dataclass(frozen=True)
class ClaudeConfig:
    model: str
    batch_clauses: int = 8
    max_tokens: int = 8192
    budget_usd: float = 1.0
    daily_tokens: int = 2_000_000
    effort: str | None = None


@dataclass
class _Run:
    """Per-analysis state: the system prompt (rendered once: it is the same for every batch),
    what Claude has cost so far, and whether it was switched off."""

    system: list[dict[str, Any]]
    spent_usd: float = 0.0
    calls: int = 0
    stopped: str | None = None

    @property
    def playbook_chars(self) -> int:
        return len(self.system[-1]["text"])


@dataclass
class _Attempt:
    outcome: LLMOutcome = "ok"
    detail: str | None = None
    emitted: list[Finding] = field(default_factory=list)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ClaudeEngine:
    def __init__(
        self,
        client: anthropic.Anthropic,
        config: ClaudeConfig,
        prices: PriceTable,
        tokens_today: Callable[[], int],
        fallback: OfflineEngine | None = None,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.name = f"claude:{config.model}"
        self.streams = True
        self.config = config
        self._client = client
        self._prices = prices
        self._tokens_today = tokens_today
        self._offline = fallback or OfflineEngine()
        self._now = now
        self._runs: WeakKeyDictionary[DocumentContext, _Run] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def judge_clauses(
        self, doc: DocumentContext, clauses: list[ClauseContext]
    ) -> Iterator[EngineOutput]:
        run = self._run(doc)
        size = max(1, self.config.batch_clauses)
        for begin in range(0, len(clauses), size):
            batch = clauses[begin : begin + size]
            if run.stopped is None and (reason := self._budget_stop(run, batch)):
                run.stopped = reason
                yield EngineWarning("claude_fallback", f"{reason}; {_REST}")
            if run.stopped is not None:
                yield from self._offline.judge_clauses(doc, batch)
            else:
                yield from self._judge_batch(run, doc, batch)

    def judge_document(
        self,
        doc: DocumentContext,
        clauses: list[ClauseContext],
        best_similarity: dict[str, float],
        prior: list[Finding],
    ) -> Iterator[EngineOutput]:
        # Missing clauses and unmet standard positions are facts about labels and retrieval, the
        # same for both engines; types Claude already judged are skipped there.
        yield from self._offline.judge_document(doc, clauses, best_similarity, prior)

    def _run(self, doc: DocumentContext) -> _Run:
        with self._lock:
            run = self._runs.get(doc)
            if run is None:
                run = self._runs[doc] = _Run(system=system_blocks(doc))
            return run

    def _judge_batch(
        self, run: _Run, doc: DocumentContext, batch: list[ClauseContext]
    ) -> Iterator[EngineOutput]:
        rules = [f for f in self._offline.judge_clauses(doc, batch) if isinstance(f, Finding)]
        attempt = _Attempt()
        note: str | None = None
        for _ in range(2):
            attempt = _Attempt(emitted=attempt.emitted)
            yield from self._call(run, doc, batch, note, attempt)
            if attempt.outcome != "malformed":
                break
            note = (
                f"Your previous answer could not be used ({attempt.detail}). Call"
                f" {TOOL_NAME} once, with input that matches its schema exactly."
            )
        if attempt.outcome == "ok":
            yield from cross_check(doc, batch, attempt.emitted, rules)
            return
        ids = f"{batch[0].segment.clause.id}–{batch[-1].segment.clause.id}"
        if attempt.outcome == "malformed":
            yield EngineWarning(
                "claude_fallback",
                f"Claude's answer for clauses {ids} was malformed twice ({attempt.detail});"
                " the offline engine judged those clauses",
            )
        else:
            run.stopped = attempt.detail or "Claude failed"
            yield EngineWarning("claude_fallback", f"{run.stopped}; {_REST} (from clause {ids})")
        yield from missed_by_claude(rules, attempt.emitted)

    def _call(
        self,
        run: _Run,
        doc: DocumentContext,
        batch: list[ClauseContext],
        note: str | None,
        attempt: _Attempt,
    ) -> Iterator[EngineOutput]:
        stream = ToolStream(self._client, self._params(run, doc, batch, note), TOOL_NAME)
        seen = {(f.clause_id, f.start, f.end, f.clause_type) for f in attempt.emitted}
        try:
            for raw in stream:
                out = ground(doc, batch, DraftFinding.model_validate(raw))
                if isinstance(out, Finding):
                    key = (out.clause_id, out.start, out.end, out.clause_type)
                    if key in seen:
                        continue  # already reported by the first answer
                    seen.add(key)
                    attempt.emitted.append(out)
                yield out
            FindingsReport.model_validate(stream.answer)
        except (MalformedAnswer, ValidationError) as exc:
            attempt.outcome, attempt.detail = "malformed", _short(exc)
        except StreamCut as exc:
            attempt.outcome, attempt.detail = "cut", f"Claude's answer was cut off: {exc}"
        except anthropic.APIError as exc:
            attempt.outcome, attempt.detail = "error", describe_api_error(exc)
        yield self._ledger(run, stream, attempt, batch)

    def _params(
        self, run: _Run, doc: DocumentContext, batch: list[ClauseContext], note: str | None
    ) -> dict[str, Any]:
        entry = self._prices.model(self.config.model)
        forced = entry.forced_tool_choice if entry else False
        params: dict[str, Any] = {
            "model": self.config.model,
            "max_tokens": self.config.max_tokens,
            "system": run.system,
            "messages": [
                {"role": "user", "content": user_content(doc, batch, doc.input_warnings, note)}
            ],
            "tools": [tool_definition()],
            "tool_choice": {"type": "tool", "name": TOOL_NAME} if forced else {"type": "auto"},
        }
        if self.config.effort:
            params["output_config"] = {"effort": self.config.effort}
        return params

    def _ledger(
        self, run: _Run, stream: ToolStream, attempt: _Attempt, batch: list[ClauseContext]
    ) -> LLMCall:
        cost = self._prices.cost(self.config.model, stream.usage, self._now().date())
        run.spent_usd += cost or 0.0
        run.calls += 1
        return LLMCall(
            id=uuid.uuid4().hex,
            model=self.config.model,
            request_id=stream.request_id,
            **stream.usage.model_dump(exclude={"cost_usd"}),
            cost_usd=cost or 0.0,
            price_table_version=self._prices.version if cost is not None else None,
            latency_ms=stream.latency_ms,
            time_to_first_token_ms=stream.ttft_ms,
            stop_reason=stream.stop_reason,
            outcome=attempt.outcome,
            detail=attempt.detail,
            clause_ids=[c.segment.clause.id for c in batch],
        )

    def _budget_stop(self, run: _Run, batch: list[ClauseContext]) -> str:
        """Why Claude must not judge this batch (empty when it may)."""
        cost = estimate(
            self._prices,
            self.config.model,
            len(INSTRUCTIONS) + run.playbook_chars,
            [len(c.segment.text) for c in batch],
            len(batch),
            first_call_writes_cache=run.calls == 0,
            on=self._now().date(),
        )
        if run.spent_usd + (cost.cost_usd or 0.0) > self.config.budget_usd:
            return (
                f"the Claude budget of {money(self.config.budget_usd)} per analysis is reached"
                f" (spent ${run.spent_usd:.4f}, next batch ≈${cost.cost_usd or 0:.4f})"
            )
        if self._tokens_today() + cost.usage.total_tokens > self.config.daily_tokens:
            now = self._now()
            midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), dt.UTC)
            wait = int((midnight - now).total_seconds()) + 1
            return (
                f"the daily Claude budget of {self.config.daily_tokens:,} tokens is used up;"
                f" try again in {wait} seconds (it resets at 00:00 UTC)"
            )
        return ""


_REST = "the remaining clauses are judged by the offline engine"


def describe_api_error(exc: anthropic.APIError) -> str:
    """A sentence for the user; the SDK has already retried what is worth retrying."""
    if isinstance(exc, anthropic.AuthenticationError | anthropic.PermissionDeniedError):
        return "Claude refused the API key (authentication failed)"
    if isinstance(exc, anthropic.RateLimitError):
        return "Claude kept answering 'rate limited' after retries"
    if isinstance(exc, anthropic.APIStatusError) and exc.status_code == 529:
        return "Claude stayed overloaded after retries"
    text = str(getattr(exc, "message", exc))
    if isinstance(exc, anthropic.APIStatusError) and (
        exc.status_code == 402 or "credit balance" in text or "spend limit" in text.lower()
    ):
        return "the Anthropic account's spend limit or credit is exhausted"
    if isinstance(exc, anthropic.APIConnectionError):
        return "Claude could not be reached (connection failed)"
    if isinstance(exc, anthropic.APIStatusError):
        return f"Claude answered HTTP {exc.status_code}: {text[:200]}"
    return f"Claude call failed: {text[:200]}"


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "input"
        return f"{where}: {first['msg']}"
    return str(exc)[:200]
