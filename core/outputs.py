"""Validate, store and stream what an engine produces: findings through the guardrails, engine
warnings as stored warnings, LLM calls into the ledger and the analysis's usage."""

from __future__ import annotations

import time
from collections.abc import Iterator

from core.engine.base import ClauseContext, DocumentContext, EngineOutput, EngineWarning
from core.events import Event, FindingEvent, WarningEvent
from core.guardrails import check_finding
from core.models import Finding, GuardrailWarning, LLMCall
from core.run_state import RunState


def _timed(state: RunState, outputs: Iterator[EngineOutput]) -> Iterator[EngineOutput]:
    """The engine's outputs, counting only the time spent producing them as `analyze`."""
    while True:
        t0 = time.perf_counter()
        item = next(outputs, None)
        state.analysis.timings_ms.analyze += state.ms_since(t0)
        if item is None:
            return
        yield item


def emit(
    state: RunState,
    doc: DocumentContext,
    outputs: Iterator[EngineOutput],
    by_clause: dict[str, ClauseContext],
) -> Iterator[Event]:
    """Validate, store and stream what the engine produces. A streaming engine's findings are
    stored and shown one by one as they arrive; otherwise a call's findings, which come at once,
    are stored in one insert."""
    pending: list[Finding] = []
    for item in _timed(state, outputs):
        if isinstance(item, LLMCall):
            _record_call(state, item)
        elif isinstance(item, EngineWarning):
            note = GuardrailWarning(kind=item.kind, message=item.message, clause_id=item.clause_id)
            yield _warn(state, note, item.message)
        else:
            finding = item.model_copy(update={"id": f"f{len(state.findings) + len(pending) + 1}"})
            ctx = by_clause.get(finding.clause_id or "")
            warning = check_finding(
                finding,
                doc.text,
                ctx.segment.clause if ctx else None,
                _allowed_chunks(finding, ctx, doc),
            )
            if warning is not None:
                # Never stored, so it must not share an id with the next finding that is.
                state.dropped += 1
                warning = warning.model_copy(update={"finding_id": f"dropped-{state.dropped}"})
                yield _warn(state, warning, f"dropped an ungrounded finding: {warning.message}")
                continue
            pending.append(finding)
            if state.engine.streams:
                yield from _accept(state, pending)
                pending = []
    yield from _accept(state, pending)


def _accept(state: RunState, accepted: list[Finding]) -> Iterator[Event]:
    analysis = state.analysis
    if not accepted:
        return
    if state.store:  # one insert per call, before any of its findings is shown
        state.services.store.add_findings(analysis.analysis_id, len(state.findings) + 1, accepted)
    state.findings += accepted
    if analysis.timings_ms.first_finding is None:
        analysis.timings_ms.first_finding = state.ms_since(state.started)
    for finding in accepted:
        yield FindingEvent(analysis_id=analysis.analysis_id, finding=finding)


def _record_call(state: RunState, call: LLMCall) -> None:
    """Add a Claude call to the analysis's usage and the ledger."""
    state.analysis.usage.add(call)
    if state.store:
        state.services.store.add_llm_call(state.analysis.analysis_id, call)


def _warn(state: RunState, warning: GuardrailWarning, message: str) -> WarningEvent:
    analysis = state.analysis
    analysis.guardrail_warnings.append(warning)
    if state.store:
        state.services.store.add_guardrail_warning(
            analysis.analysis_id, len(analysis.guardrail_warnings), warning
        )
    return WarningEvent(
        analysis_id=analysis.analysis_id, kind=warning.kind, message=message, guardrail=warning
    )


def _allowed_chunks(finding: Finding, ctx: ClauseContext | None, doc: DocumentContext) -> set[str]:
    if finding.kind != "missing":
        return ctx.retrieved_ids if ctx else set()
    # A missing clause has no text to retrieve for: it may cite only its own rule's guidance.
    return {c.id for c in doc.index.chunks if c.clause_type == finding.clause_type}
