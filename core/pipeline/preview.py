"""The cost estimate shown before a Claude run (CLI and dashboard): the document is read and
split into clauses, nothing is embedded or sent."""

from __future__ import annotations

from dataclasses import dataclass

from core import documents
from core.clauses.segment import extract_clauses
from core.engine.base import Engine
from core.engine.claude_prompt import INSTRUCTIONS, playbook_text
from core.llm.estimate import Estimate, estimate
from core.llm.pricing import load_prices, money
from core.pipeline.services import Services
from core.playbooks.chunks import build_chunks
from core.playbooks.library import resolve


@dataclass(frozen=True)
class Preview:
    model: str
    clauses: int
    estimate: Estimate
    budget_usd: float

    def sentence(self) -> str:
        cost = self.estimate.cost_usd or 0.0
        return (
            f"Claude ({self.model}) estimate: {self.clauses} clauses in {self.estimate.calls}"
            f" request{'s' if self.estimate.calls != 1 else ''},"
            f" about {self.estimate.usage.total_tokens:,} tokens, ≈{money(round(cost, 4))}"
            f" (budget {money(self.budget_usd)} per analysis; beyond it the offline engine"
            " takes over)"
        )


def preview_cost(
    services: Services,
    data: bytes,
    filename: str,
    playbook: str | None = None,
    engine: Engine | None = None,
) -> Preview | None:
    """None when the engine is not Claude (the offline engine costs nothing)."""
    engine = engine or services.engine
    if not engine.name.startswith("claude:"):
        return None
    from core.engine.claude import ClaudeEngine  # the SDK import only when Claude is in play

    if not isinstance(engine, ClaudeEngine):
        return None
    settings = services.settings
    doc = documents.load(data, filename, settings)
    segments = extract_clauses(
        doc.text, doc.page_starts, doc.heading_offsets, settings.max_clause_chars
    )
    version, book = resolve(services.store, playbook or settings.default_playbook)
    text = playbook_text(book, version.version, build_chunks(book, version.id))
    config = engine.config
    est = estimate(
        load_prices(),
        config.model,
        len(INSTRUCTIONS) + len(text),
        [len(s.text) for s in segments],
        config.batch_clauses,
    )
    return Preview(config.model, len(segments), est, config.budget_usd)
