"""One straight road from bytes to stored, grounded findings, as a stream of typed events.

load → guard → extract clauses → key terms → (per batch of clauses, in document order:
embed → label → retrieve → judge → validate → store) → document-level judging → final.
Findings are stored and yielded as soon as each exists, so the first arrives after the first batch.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

from core import documents, guards
from core.clauses.segment import Segment, extract_clauses
from core.engine.base import (
    ClauseContext,
    DocumentContext,
    Engine,
    term_types,
)
from core.errors import ContractAnalyzerError
from core.events import (
    ErrorEvent,
    Event,
    FinalEvent,
    WarningEvent,
)
from core.extraction_cache import Extraction, extraction_key
from core.labeling import add_term_labels
from core.models import (
    Analysis,
    Clause,
    DocumentInfo,
    KeyTerms,
    PlaybookRef,
    Timings,
)
from core.outputs import emit
from core.playbooks.library import resolve
from core.playbooks.schema import Playbook
from core.run_state import RunState
from core.services import Services
from core.terms import extract_terms

# The first findings come from a small first batch; the rest of the clauses are then embedded
# ahead, shortest first (see _embed_ahead), and labelled and judged in document order.
FIRST_BATCH = 8
BATCH = 32
AHEAD_CHUNK = 256


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
    state = RunState(services, analysis, store, engine)
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


def _analyse(state: RunState, data: bytes, filename: str, spec: str) -> Iterator[Event]:
    services, analysis = state.services, state.analysis
    version, playbook = resolve(services.store, spec)
    analysis.playbook = PlaybookRef(
        name=playbook.name, version=version.version, version_id=version.id
    )
    yield state.status("load", f"reading {filename}", progress=0.02)
    t0 = time.perf_counter()
    key = extraction_key(data, filename)
    cached = services.extractions.get(key)
    doc = cached.doc if cached else documents.load(data, filename, services.settings)
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
    analysis.input_warnings = cached.input_warnings if cached else guards.check_document(doc)
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
    if cached:
        segments, terms = cached.segments, cached.terms
    else:
        segments = extract_clauses(
            doc.text, doc.page_starts, doc.heading_offsets, services.settings.max_clause_chars
        )
        terms = extract_terms(doc.text)
    analysis.key_terms = terms
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
    contexts: dict[int, ClauseContext] = {}
    best: dict[str, float] = {}
    done = 0
    for n, positions in enumerate(_batches(segments, terms, playbook)):
        batch = [segments[i] for i in positions]
        if n == 1:
            pending = [s for i, s in enumerate(segments) if i not in contexts]
            yield from _embed_ahead(state, pending, done)
        batch_contexts = _label_and_retrieve(state, ctx, batch, best, positions, cached is None)
        contexts.update(zip(positions, batch_contexts, strict=True))
        done += len(batch)
        total = max(len(segments), 1)
        yield state.status(
            "label",
            f"embedded, typed and matched {done} of {len(segments)} clauses to the playbook",
            done,
            len(segments),
            0.1 + 0.85 * (done - 0.2 * len(batch)) / total,
        )
        # Said before the batch is judged: what is under way, not what is done.
        first = done - len(batch) + 1
        yield state.status(
            "analyze",
            f"judging clauses {first}–{done} of {len(segments)}",
            done - len(batch),
            len(segments),
            0.1 + 0.85 * (done - 0.1 * len(batch)) / total,
        )
        judged = state.engine.judge_clauses(ctx, batch_contexts)
        yield from emit(state, ctx, judged, {c.segment.clause.id: c for c in batch_contexts})
    if cached is None:
        services.extractions.put(key, Extraction(doc, segments, terms, analysis.input_warnings))
    in_order = [contexts[i] for i in sorted(contexts)]
    judged = state.engine.judge_document(ctx, in_order, best, state.findings)
    yield from emit(state, ctx, judged, {c.segment.clause.id: c for c in in_order})
    yield from _finish(state, [s.clause for s in segments])


def _batches(segments: list[Segment], terms: KeyTerms, playbook: Playbook) -> Iterator[list[int]]:
    """Positions of the clauses to process together: first a small batch of the clauses most
    likely to hold a finding (those where a key term the playbook sets a threshold on was read),
    topped up from the start of the document, so the first finding arrives within a second;
    then every other clause in document order."""
    likely = [
        i
        for i, s in enumerate(segments)
        if term_types(playbook, terms, s.clause.start, s.clause.end)
    ][:FIRST_BATCH]
    top_up = [i for i in range(len(segments)) if i not in likely]
    first = sorted(likely + top_up[: FIRST_BATCH - len(likely)])
    if first:
        yield first
    taken = set(first)
    rest = [i for i in range(len(segments)) if i not in taken]
    for begin in range(0, len(rest), BATCH):
        yield rest[begin : begin + BATCH]


def _embed_ahead(state: RunState, rest: list[Segment], done: int) -> Iterator[Event]:
    """Embed the clauses after the first batch, each distinct text once, shortest first: the
    model pads every batch to its longest text, so grouping similar lengths costs about half
    of document order. The vectors are cached, so the batches that follow find them ready."""
    texts = sorted({s.text for s in rest}, key=len)
    total = len(texts) + done
    for begin in range(0, len(texts), AHEAD_CHUNK):
        t0 = time.perf_counter()
        state.services.embedder.encode(texts[begin : begin + AHEAD_CHUNK])
        state.analysis.timings_ms.embed += state.ms_since(t0)
        embedded = min(begin + AHEAD_CHUNK, len(texts)) + done
        yield state.status(
            "label",
            f"embedded {embedded} of {total} clauses",
            embedded,
            total,
            0.1 + 0.75 * embedded / total,
        )


def _label_and_retrieve(
    state: RunState,
    ctx: DocumentContext,
    batch: list[Segment],
    best: dict[str, float],
    positions: list[int],
    label: bool = True,
) -> list[ClauseContext]:
    services, timings = state.services, state.analysis.timings_ms
    t0 = time.perf_counter()
    vectors = services.embedder.encode([s.text for s in batch])
    timings.embed += state.ms_since(t0)
    t0 = time.perf_counter()
    if label:  # a document read before keeps the labels it got then
        services.labeler().label(batch, vectors, ctx.text)
        add_term_labels(batch, ctx.terms)
    if state.store:
        services.store.save_clauses(
            state.analysis.analysis_id, [s.clause for s in batch], positions
        )
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


def _finish(state: RunState, clauses: list[Clause]) -> Iterator[Event]:
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


def _fail(state: RunState, kind: str, message: str) -> Iterator[Event]:
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
