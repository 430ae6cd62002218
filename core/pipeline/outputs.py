"""Validate and hand on what an engine produces: findings through the grounding check, engine
warnings as stored warnings, LLM calls into the ledger and the analysis's usage (all recorded by
the run's Recorder)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from core.engine.base import ClauseContext, DocumentContext, EngineOutput, EngineWarning
from core.models import Finding, GuardrailWarning, LLMCall
from core.pipeline.events import Event
from core.pipeline.grounding import check_finding
from core.pipeline.recorder import Recorder
from core.playbooks.chunks import check_chunk_id

CHECK_RULE = "check:"  # Finding.rule of a playbook check's finding: "check:<id>"


def _timed(record: Recorder, outputs: Iterator[EngineOutput]) -> Iterator[EngineOutput]:
    """The engine's outputs, counting only the time spent producing them as `analyze`."""
    while True:
        t0 = time.perf_counter()
        item = next(outputs, None)
        record.add_time("analyze", t0)
        if item is None:
            return
        yield item


def emit(
    record: Recorder,
    doc: DocumentContext,
    outputs: Iterator[EngineOutput],
    by_clause: dict[str, ClauseContext],
) -> Iterator[Event]:
    """Validate, store and stream what the engine produces. A streaming engine's findings are
    stored and shown one by one as they arrive; otherwise a call's findings, which come at once,
    are stored in one insert."""
    pending: list[Finding] = []
    for item in _timed(record, outputs):
        if isinstance(item, LLMCall):
            record.record_call(item)
        elif isinstance(item, EngineWarning):
            note = GuardrailWarning(kind=item.kind, message=item.message, clause_id=item.clause_id)
            yield record.warn(note)
        else:
            finding = item.model_copy(update={"id": record.next_finding_id(len(pending))})
            ctx = by_clause.get(finding.clause_id or "")
            warning = check_finding(
                finding,
                doc.text,
                ctx.segment.clause if ctx else None,
                _allowed_chunks(finding, ctx, doc),
            )
            if warning is not None:
                yield record.drop(warning)
                continue
            pending.append(finding)
            if record.engine.streams:
                yield from record.accept(pending)
                pending = []
    yield from record.accept(pending)


def _allowed_chunks(finding: Finding, ctx: ClauseContext | None, doc: DocumentContext) -> set[str]:
    if finding.rule and finding.rule.startswith(CHECK_RULE):
        # A check's finding stands on the check itself: it may cite only that check's statement.
        return {check_chunk_id(doc.index.version.id, finding.rule.removeprefix(CHECK_RULE))}
    if finding.kind != "missing":
        return ctx.retrieved_ids if ctx else set()
    # A missing clause has no text to retrieve for: it may cite only its own rule's guidance.
    return {c.id for c in doc.index.chunks if c.clause_type == finding.clause_type}
