"""One straight road from bytes to stored, grounded findings, as a stream of typed events.

load → guard → extract clauses → key terms → (per batch of clauses, in document order:
embed → label → retrieve → judge → validate → store) → document-level judging → final.
Findings are stored and yielded as soon as each exists, so the first arrives after the first batch.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core import documents, guards
from core.clauses.segment import Segment, extract_clauses
from core.engine.base import (
    ClauseContext,
    DocumentContext,
    Engine,
    EngineOutput,
    EngineWarning,
    term_types,
)
from core.errors import ContractAnalyzerError
from core.events import (
    ErrorEvent,
    Event,
    FinalEvent,
    FindingEvent,
    Stage,
    StatusEvent,
    WarningEvent,
)
from core.guardrails import check_finding
from core.labeling import add_term_labels
from core.models import (
    Analysis,
    Clause,
    DocumentInfo,
    Finding,
    GuardrailWarning,
    LLMCall,
    PlaybookRef,
    Timings,
)
from core.playbooks.library import resolve
from core.services import Services
from core.terms import extract_terms

# The first findings come from a small first batch; the rest of the clauses are then embedded
# ahead, shortest first (see _embed_ahead), and labelled and judged in document order.
FIRST_BATCH = 8
BATCH = 32
AHEAD_CHUNK = 256


@dataclass
class _Run:
    services: Services
    analysis: Analysis
    store: bool
    engine: Engine
    started: float = field(default_factory=time.perf_counter)
    findings: list[Finding] = field(default_factory=list)
    row_written: bool = False
    finished: bool = False
    progress: float = 0.0  # never reported lower than before

    def ms_since(self, t0: float) -> float:
        return round((time.perf_counter() - t0) * 1000, 1)

    def status(
        self, stage: Stage, message: str, done: int = 0, total: int = 0, progress: float = 0.0
    ) -> StatusEvent:
        self.progress = max(self.progress, min(progress, 1.0))
        return StatusEvent(
            analysis_id=self.analysis.analysis_id,
            stage=stage,
            message=message,
            done=done,
            total=total,
            progress=self.progress,
        )


def run(
    services: Services,
    data: bytes,
    filename: str,
    playbook: str | None = None,
    store: bool = True,
    engine: Engine | None = None,
    user: str | None = None,
) -> Iterator[Event]:
    """Analyse one document; always ends with a `final` event (status completed or failed).
    `engine` overrides the services' engine for this run (the dashboard's engine choice);
    `user` is who ran it (the signed-in dashboard user), stored with the analysis."""
    settings = services.settings
    engine = engine or services.engine
    analysis = Analysis(
        analysis_id=uuid.uuid4().hex,
        status="running",
        created_at=datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds"),
        document=DocumentInfo(name=filename, sha256="", chars=0, text=""),
        engine=engine.name,
        parameters={
            "playbook": playbook or settings.default_playbook,
            "top_k": settings.top_k,
            "label_threshold": settings.label_threshold,
            "max_clause_chars": settings.max_clause_chars,
            "embedding_model": services.embedder.model_id,
        },
        user=user,
    )
    state = _Run(services, analysis, store, engine)
    try:
        yield from _analyse(state, data, filename, playbook or settings.default_playbook)
    except ContractAnalyzerError as exc:
        yield from _fail(state, exc.kind, str(exc))
    except Exception as exc:
        yield from _fail(
            state, "internal", f"analysis failed unexpectedly: {type(exc).__name__}: {exc}"
        )
    except (GeneratorExit, KeyboardInterrupt):
        # The consumer stopped listening (closed page, Ctrl-C): keep what was found, say so.
        if store and state.row_written and not state.finished:
            services.store.interrupt_analysis(
                analysis.analysis_id, "stopped before it finished (cancelled)"
            )
        raise


def _analyse(state: _Run, data: bytes, filename: str, spec: str) -> Iterator[Event]:
    services, analysis = state.services, state.analysis
    version, playbook = resolve(services.store, spec)
    analysis.playbook = PlaybookRef(
        name=playbook.name, version=version.version, version_id=version.id
    )
    yield state.status("load", f"reading {filename}", progress=0.02)
    t0 = time.perf_counter()
    doc = documents.load(data, filename, services.settings)
    analysis.document = DocumentInfo(
        name=filename,
        sha256=doc.sha256,
        chars=len(doc.text),
        pages=doc.pages,
        text=doc.text,
        format=doc.format,
        warnings=doc.warnings,
    )
    timings = analysis.timings_ms = Timings(load=state.ms_since(t0))
    analysis.input_warnings = guards.check_document(doc)
    if state.store:
        services.store.save_document(doc.sha256, filename, data)
        services.store.start_analysis(analysis)
        state.row_written = True
    for message in doc.warnings:
        yield WarningEvent(analysis_id=analysis.analysis_id, kind="document", message=message)
    for warning in analysis.input_warnings:
        yield WarningEvent(
            analysis_id=analysis.analysis_id,
            kind=warning.kind,
            message=guards.describe(warning),
        )
    t0 = time.perf_counter()
    segments = extract_clauses(
        doc.text, doc.page_starts, doc.heading_offsets, services.settings.max_clause_chars
    )
    analysis.key_terms = terms = extract_terms(doc.text)
    timings.extract = state.ms_since(t0)
    yield state.status(
        "extract", f"{len(segments)} clauses found", len(segments), len(segments), 0.1
    )
    if not services.warm(version.id):
        yield state.status(
            "label", "loading the embedding model and playbook index (first use)", progress=0.1
        )
        services.labeler()
    index = services.indexes.get(version, playbook)
    ctx = DocumentContext(
        doc.text,
        terms,
        playbook,
        index,
        services.settings.label_threshold,
        analysis.input_warnings,
    )
    contexts: list[ClauseContext] = []
    best: dict[str, float] = {}
    for begin, batch in _batches(segments):
        if begin == FIRST_BATCH:
            yield from _embed_ahead(state, segments[begin:])
        batch_contexts = _label_and_retrieve(state, ctx, batch, best, begin)
        contexts += batch_contexts
        done = begin + len(batch)
        total = max(len(segments), 1)
        yield state.status(
            "label",
            f"embedded, typed and matched {done} of {len(segments)} clauses to the playbook",
            done,
            len(segments),
            0.1 + 0.85 * (begin + 0.8 * len(batch)) / total,
        )
        yield state.status(
            "analyze",
            f"judged {done} of {len(segments)} clauses",
            done,
            len(segments),
            0.1 + 0.85 * done / total,
        )
        judged = state.engine.judge_clauses(ctx, batch_contexts)
        yield from _emit(state, ctx, judged, {c.segment.clause.id: c for c in batch_contexts})
    judged = state.engine.judge_document(ctx, contexts, best, state.findings)
    yield from _emit(state, ctx, judged, {c.segment.clause.id: c for c in contexts})
    yield from _finish(state, [s.clause for s in segments])


def _batches(segments: list[Segment]) -> Iterator[tuple[int, list[Segment]]]:
    begin, size = 0, FIRST_BATCH
    while begin < len(segments):
        yield begin, segments[begin : begin + size]
        begin, size = begin + size, BATCH


def _embed_ahead(state: _Run, rest: list[Segment]) -> Iterator[Event]:
    """Embed the clauses after the first batch, each distinct text once, shortest first: the
    model pads every batch to its longest text, so grouping similar lengths costs about half
    of document order. The vectors are cached, so the batches that follow find them ready."""
    texts = sorted({s.text for s in rest}, key=len)
    total = len(texts) + FIRST_BATCH
    for begin in range(0, len(texts), AHEAD_CHUNK):
        t0 = time.perf_counter()
        state.services.embedder.encode(texts[begin : begin + AHEAD_CHUNK])
        state.analysis.timings_ms.embed += state.ms_since(t0)
        done = min(begin + AHEAD_CHUNK, len(texts)) + FIRST_BATCH
        yield state.status(
            "label", f"embedded {done} of {total} clauses", done, total, 0.1 + 0.75 * done / total
        )


def _label_and_retrieve(
    state: _Run, ctx: DocumentContext, batch: list[Segment], best: dict[str, float], first: int
) -> list[ClauseContext]:
    services, timings = state.services, state.analysis.timings_ms
    t0 = time.perf_counter()
    vectors = services.embedder.encode([s.text for s in batch])
    timings.embed += state.ms_since(t0)
    t0 = time.perf_counter()
    services.labeler().label(batch, vectors, ctx.text)
    add_term_labels(batch, ctx.terms)
    if state.store:
        services.store.save_clauses(state.analysis.analysis_id, [s.clause for s in batch], first)
    timings.extract += state.ms_since(t0)
    t0 = time.perf_counter()
    wanted = [
        frozenset(
            {lb.type for lb in s.clause.labels}
            | term_types(ctx.playbook, ctx.terms, s.clause.start, s.clause.end)
        )
        for s in batch
    ]
    retrieved = ctx.index.search(vectors, [set(w) for w in wanted], services.settings.top_k)
    for hits in retrieved:
        for hit in hits:
            best[hit.chunk.id] = max(best.get(hit.chunk.id, -1.0), hit.similarity)
    timings.retrieve += state.ms_since(t0)
    return [
        ClauseContext(s, s.sentences(ctx.text), r, w)
        for s, r, w in zip(batch, retrieved, wanted, strict=True)
    ]


def _timed(state: _Run, outputs: Iterator[EngineOutput]) -> Iterator[EngineOutput]:
    """The engine's outputs, counting only the time spent producing them as `analyze`."""
    while True:
        t0 = time.perf_counter()
        item = next(outputs, None)
        state.analysis.timings_ms.analyze += state.ms_since(t0)
        if item is None:
            return
        yield item


def _emit(
    state: _Run,
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
                yield _warn(state, warning, f"dropped an ungrounded finding: {warning.message}")
                continue
            pending.append(finding)
            if state.engine.streams:
                yield from _accept(state, pending)
                pending = []
    yield from _accept(state, pending)


def _accept(state: _Run, accepted: list[Finding]) -> Iterator[Event]:
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


def _record_call(state: _Run, call: LLMCall) -> None:
    """Add a Claude call to the analysis's usage and the ledger."""
    usage = state.analysis.usage
    usage.input_tokens += call.input_tokens
    usage.output_tokens += call.output_tokens
    usage.cache_creation_input_tokens += call.cache_creation_input_tokens
    usage.cache_read_input_tokens += call.cache_read_input_tokens
    usage.cost_usd = round(usage.cost_usd + call.cost_usd, 8)
    if state.store:
        state.services.store.add_llm_call(state.analysis.analysis_id, call)


def _warn(state: _Run, warning: GuardrailWarning, message: str) -> WarningEvent:
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


def _finish(state: _Run, clauses: list[Clause]) -> Iterator[Event]:
    analysis = state.analysis
    analysis.clauses = clauses
    analysis.findings = state.findings
    analysis.status = "completed"
    analysis.timings_ms.total = state.ms_since(state.started)
    if state.store:
        state.services.store.finish_analysis(analysis)
    state.finished = True
    yield state.status(
        "finalize", f"{len(state.findings)} findings", len(state.findings), len(state.findings), 1.0
    )
    yield FinalEvent(analysis_id=analysis.analysis_id, analysis=analysis)


def _fail(state: _Run, kind: str, message: str) -> Iterator[Event]:
    analysis = state.analysis
    analysis.status = "failed"
    analysis.error = message
    analysis.findings = state.findings
    analysis.timings_ms.total = state.ms_since(state.started)
    if state.store:
        store = state.services.store
        try:
            if not state.row_written:
                store.start_analysis(analysis)
            store.finish_analysis(analysis)
        except ContractAnalyzerError:
            pass  # the store itself failed; the error event below still tells the user
    state.finished = True
    yield ErrorEvent(analysis_id=analysis.analysis_id, kind=kind, message=message)
    yield FinalEvent(analysis_id=analysis.analysis_id, analysis=analysis)
