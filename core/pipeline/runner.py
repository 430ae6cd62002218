"""One straight road from bytes to stored, grounded findings, as a stream of typed events.

load → guard → extract clauses → key terms → (per batch of clauses, in document order:
embed → label → retrieve → judge → validate → store) → document-level judging → final.
Findings are stored and yielded as soon as each exists, so the first arrives after the first batch.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from core import documents, guards
from core.clauses.segment import Segment, extract_clauses
from core.doctype.detect import contract_type, read_as_contract
from core.doctype.fit import playbook_mismatch
from core.documents.messages import clean_name
from core.engine.base import (
    ClauseContext,
    DocumentContext,
    Engine,
    term_types,
)
from core.errors import ContractAnalyzerError, NotAContract
from core.labels.labeler import add_term_labels
from core.models import Finding, KeyTerms
from core.pipeline.events import Event
from core.pipeline.extraction_cache import Extraction, extraction_key
from core.pipeline.outputs import emit
from core.pipeline.recorder import Recorder
from core.pipeline.services import Services
from core.playbooks.library import bundled_for, resolve
from core.playbooks.schema import Playbook
from core.terms import extract_terms
from core.verdicts.findings import RULE_PREFIX, finding_for, verdict_of
from core.verdicts.judge import check_vectors, document_sentences, judge_checks

# The first findings come from a small first batch; the rest of the clauses are then embedded
# ahead, shortest first (see _embed_ahead), and labelled and judged in document order.
FIRST_BATCH = 8
BATCH = 32
# Clauses embedded ahead per step: about a second of encoding here, so the progress bar moves.
AHEAD_CHARS = 8_000
# Where the progress bar stands as the clauses go: the first batch up to AHEAD_FROM, embedding
# the rest ahead (most of the time) up to AHEAD_TO, the batches after it up to 0.95.
AHEAD_FROM, AHEAD_TO = 0.15, 0.8


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
    spec = playbook or services.settings.default_playbook
    filename = clean_name(filename)  # stored, shown and printed: no control characters
    record = Recorder(services, engine or services.engine, filename, spec, store, user)
    try:
        yield from _analyse(record, data, filename, spec, chosen=playbook is not None)
    except ContractAnalyzerError as exc:
        yield from record.fail(exc.kind, str(exc))
    except Exception as exc:
        yield from record.fail(
            "internal", f"analysis failed unexpectedly: {type(exc).__name__}: {exc}"
        )
    except (GeneratorExit, KeyboardInterrupt):
        record.interrupt()
        raise


def _analyse(
    record: Recorder, data: bytes, filename: str, spec: str, chosen: bool
) -> Iterator[Event]:
    services = record.services
    version, playbook = resolve(services.store, spec)
    record.use_playbook(version, playbook.name)
    yield record.status("load", f"reading {filename}", progress=0.02)
    t0 = time.perf_counter()
    key = extraction_key(data, filename)
    cached = services.extractions.get(key)
    doc = cached.doc if cached else documents.load(data, filename, services.settings)
    input_warnings = cached.input_warnings if cached else guards.check_document(doc)
    load_ms = record.ms_since(t0)
    t0 = time.perf_counter()
    if cached:
        segments, terms = cached.segments, cached.terms
    else:
        segments = extract_clauses(
            doc.text, doc.page_starts, doc.heading_offsets, services.settings.max_clause_chars
        )
        terms = extract_terms(doc.text)
    is_contract = read_as_contract(doc.text).is_contract
    found = contract_type(doc.text, terms.document_name) if is_contract else None
    if found is not None and not chosen and playbook_mismatch(playbook, found):
        # No playbook was asked for: take the bundled one written for this kind of contract.
        fitting = bundled_for(services.store, found.type)
        if fitting is not None and fitting != playbook.name:
            version, playbook = resolve(services.store, fitting)
            record.use_playbook(version, playbook.name)
            yield record.status(
                "load", f"using the playbook “{playbook.title}”, written for {found.label}s", 0, 0
            )
    yield from record.read_document(doc, data, input_warnings, load_ms)
    record.set_key_terms(terms)
    record.add_time("extract", t0)
    if found is None:
        raise NotAContract(
            f"{filename} does not look like a contract — it has almost none of the language "
            "contracts are written in (parties, obligations, terms), so nothing was reviewed. "
            "Upload or paste the full contract text."
        )
    mismatch = playbook_mismatch(playbook, found)
    record.set_contract_type(found.model_copy(update={"playbook_warning": mismatch}))
    if mismatch:
        yield record.note("playbook_fit", mismatch)
    yield record.status(
        "extract", f"{len(segments)} clauses found", len(segments), len(segments), 0.1
    )
    if not services.warm(version.id):
        yield record.status(
            "label", "loading the embedding model and playbook index (first use)", progress=0.1
        )
        services.labeler()
    index = services.indexes.get(version, playbook)
    ctx = DocumentContext(
        doc.text, terms, playbook, index, services.settings.label_threshold, input_warnings
    )
    contexts: dict[int, ClauseContext] = {}
    best: dict[str, float] = {}
    done = 0
    for n, positions in enumerate(_batches(segments, terms, playbook)):
        batch = [segments[i] for i in positions]
        if n == 1:
            pending = [s for i, s in enumerate(segments) if i not in contexts]
            yield from _embed_ahead(record, pending, done)
        batch_contexts = _label_and_retrieve(record, ctx, batch, best, positions, cached is None)
        contexts.update(zip(positions, batch_contexts, strict=True))
        done += len(batch)
        total = max(len(segments), 1)
        yield record.status(
            "label",
            f"embedded, typed and matched {done} of {len(segments)} clauses to the playbook",
            done,
            len(segments),
            _progress(n, done - 0.2 * len(batch), total),
        )
        # Said before the batch is judged: what is under way, not what is done.
        first = done - len(batch) + 1
        yield record.status(
            "analyze",
            f"judging clauses {first}–{done} of {len(segments)}",
            done - len(batch),
            len(segments),
            _progress(n, done - 0.1 * len(batch), total),
        )
        judged = record.engine.judge_clauses(ctx, batch_contexts)
        yield from emit(record, ctx, judged, {c.segment.clause.id: c for c in batch_contexts})
    if cached is None:
        services.extractions.put(key, Extraction(doc, segments, terms, input_warnings))
    in_order = [contexts[i] for i in sorted(contexts)]
    by_clause = {c.segment.clause.id: c for c in in_order}
    if playbook.checks:
        yield from _judge_checks(record, ctx, segments, by_clause, bool(mismatch))
    judged = record.engine.judge_document(ctx, in_order, best, record.findings)
    if mismatch:  # a clause this kind of contract need not have is not missing from it
        judged = (o for o in judged if not (isinstance(o, Finding) and o.kind == "missing"))
    yield from emit(record, ctx, judged, by_clause)
    yield from record.complete([s.clause for s in segments])


def _judge_checks(
    record: Recorder,
    ctx: DocumentContext,
    segments: list[Segment],
    by_clause: dict[str, ClauseContext],
    mismatch: bool,
) -> Iterator[Event]:
    """A verdict for every check of the playbook, from the contract's sentence vectors, and a
    finding for each verdict that goes against the company."""
    services = record.services
    checks = ctx.playbook.checks
    yield record.status(
        "analyze", f"checking the playbook's {len(checks)} positions", progress=0.95
    )
    t0 = time.perf_counter()
    sentences = document_sentences(ctx.text, segments)
    vectors = services.embedder.encode([ctx.text[a:b] for a, b in sentences])
    check_vecs = check_vectors(services.embedder, checks)
    record.add_time("embed", t0)
    t0 = time.perf_counter()
    judged = judge_checks(
        checks, check_vecs, sentences, vectors, services.relation_model(), ctx.text
    )
    raised = [f for j in judged if (f := finding_for(j, ctx.text, segments, ctx.index))]
    if mismatch:  # as for clauses: a position this kind of contract need not take is not missing
        raised = [f for f in raised if f.kind != "missing"]
    record.add_time("analyze", t0)
    yield from emit(record, ctx, iter(raised), by_clause)
    ids = {f.rule: f.id for f in record.findings if f.rule and f.rule.startswith(RULE_PREFIX)}
    record.set_verdicts(
        [verdict_of(j, ctx.text, ids.get(RULE_PREFIX + j.check.id)) for j in judged]
    )


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


def _embed_ahead(record: Recorder, rest: list[Segment], done: int) -> Iterator[Event]:
    """Embed the clauses after the first batch, each distinct text once, shortest first: the
    model pads every batch to its longest text, so grouping similar lengths costs about half
    of document order. The vectors are cached, so the batches that follow find them ready."""
    texts = sorted({s.text for s in rest}, key=len)
    total = len(texts) + done
    embedded = done
    chars, all_chars = 0, max(sum(map(len, texts)), 1)
    for chunk in _by_size(texts, AHEAD_CHARS):
        t0 = time.perf_counter()
        record.services.embedder.encode(chunk)
        record.add_time("embed", t0)
        embedded += len(chunk)
        chars += sum(map(len, chunk))  # the bar follows the work: long clauses take longer
        yield record.status(
            "label",
            f"embedded {embedded} of {total} clauses",
            embedded,
            total,
            AHEAD_FROM + (AHEAD_TO - AHEAD_FROM) * chars / all_chars,
        )


def _progress(batch: int, done: float, total: int) -> float:
    """The bar's position with `done` of `total` clauses through batch number `batch`."""
    if batch == 0:
        return 0.1 + (AHEAD_FROM - 0.1) * done / total
    return AHEAD_TO + (0.95 - AHEAD_TO) * done / total


def _by_size(texts: list[str], chars: int) -> Iterator[list[str]]:
    """Consecutive runs of `texts` of about `chars` characters each (at least one text)."""
    chunk: list[str] = []
    size = 0
    for text in texts:
        if chunk and size + len(text) > chars:
            yield chunk
            chunk, size = [], 0
        chunk.append(text)
        size += len(text)
    if chunk:
        yield chunk


def _label_and_retrieve(
    record: Recorder,
    ctx: DocumentContext,
    batch: list[Segment],
    best: dict[str, float],
    positions: list[int],
    label: bool = True,
) -> list[ClauseContext]:
    services = record.services
    t0 = time.perf_counter()
    vectors = services.embedder.encode([s.text for s in batch])
    record.add_time("embed", t0)
    t0 = time.perf_counter()
    if label:  # a document read before keeps the labels it got then
        services.labeler().label(batch, vectors, ctx.text)
        add_term_labels(batch, ctx.terms)
    record.save_clauses(batch, positions)
    record.add_time("extract", t0)
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
    record.add_time("retrieve", t0)
    return [
        ClauseContext(s, s.sentences(ctx.text), r, w)
        for s, r, w in zip(batch, retrieved, wanted, strict=True)
    ]
