"""The pipeline end to end on the samples, with the fake embedder (fast; the real model is
exercised in test_end_to_end.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from core.engine.base import ClauseContext, DocumentContext
from core.models import Analysis, ChunkRef, Finding
from core.pipeline import runner
from core.pipeline.events import FinalEvent, FindingEvent, StatusEvent, WarningEvent
from core.pipeline.services import Services, open_services
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder


def run_final(services: Services, data: bytes, name: str, **kw: object) -> Analysis:
    events = list(runner.run(services, data, name, **kw))  # type: ignore[arg-type]
    assert isinstance(events[-1], FinalEvent)
    return events[-1].analysis


def saas_bytes() -> bytes:
    return (SAMPLES / "saas-subscription-agreement.pdf").read_bytes()


def test_saas_sample_findings_are_the_planted_problems(fake_services: Services) -> None:
    analysis = run_final(fake_services, saas_bytes(), "saas.pdf")
    assert analysis.status == "completed"
    by_rule = {(f.clause_type, f.kind) for f in analysis.findings}
    assert ("Data Protection", "missing") in by_rule  # deliberately absent from the sample
    rules = {f.rule for f in analysis.findings}
    assert "threshold:payment_terms_days" in rules  # 15 days to pay
    assert "threshold:notice_period_days" in rules  # 90 days' notice to stop renewal
    quotes = " ".join(f.source_text for f in analysis.findings)
    assert "sole discretion" in quotes  # unilateral price increase
    assert "AS IS" in quotes.upper()  # warranty disclaimer


def test_every_finding_is_grounded_in_the_text_and_its_retrieved_guidance(
    fake_services: Services,
) -> None:
    analysis = run_final(fake_services, saas_bytes(), "saas.pdf")
    text = analysis.document.text
    clauses = {c.id: c for c in analysis.clauses}
    assert analysis.findings and not analysis.guardrail_warnings
    for f in analysis.findings:
        assert f.retrieved_chunks, f
        if f.kind == "missing":
            assert f.clause_id is None
            continue
        assert text[f.start : f.end] == f.source_text
        clause = clauses[f.clause_id or ""]
        assert clause.start <= f.start < f.end <= clause.end
    for clause in analysis.clauses:
        for label in clause.labels:
            assert clause.start <= label.start < label.end <= clause.end


def test_stored_analysis_reads_back_unchanged(fake_services: Services) -> None:
    analysis = run_final(fake_services, saas_bytes(), "saas.pdf")
    stored = fake_services.store.load_analysis(analysis.analysis_id)
    assert stored.model_dump() == analysis.model_dump()


def test_re_analysis_embeds_nothing_new(fake_services: Services) -> None:
    run_final(fake_services, saas_bytes(), "saas.pdf")
    inner = fake_services.embedder.inner
    before = inner.texts_encoded  # type: ignore[attr-defined]
    again = run_final(fake_services, saas_bytes(), "saas-again.pdf")
    assert again.status == "completed"
    assert inner.texts_encoded == before  # type: ignore[attr-defined]
    assert fake_services.embedder.hits >= len(again.clauses)


def test_re_analysis_reuses_the_reading_and_gives_the_same_review(
    fake_services: Services,
) -> None:
    first = run_final(fake_services, saas_bytes(), "saas.pdf")
    first.clauses[0].labels.clear()  # what a caller does with its result cannot leak back
    again = run_final(fake_services, saas_bytes(), "saas.pdf")
    fresh = open_services(fake_services.settings, embedder=FakeEmbedder(), store=None)
    try:
        cold = run_final(fresh, saas_bytes(), "saas.pdf")
    finally:
        fresh.close()
    assert again.clauses == cold.clauses and again.clauses[0].labels
    assert [f.model_dump(exclude={"id"}) for f in again.findings] == [
        f.model_dump(exclude={"id"}) for f in cold.findings
    ]
    assert again.input_warnings == cold.input_warnings and again.key_terms == cold.key_terms


def test_events_stream_status_then_findings_then_final(fake_services: Services) -> None:
    events = list(runner.run(fake_services, saas_bytes(), "saas.pdf"))
    kinds = [e.type for e in events]
    assert kinds[0] == "status" and kinds[-1] == "final"
    first_finding = kinds.index("partial_finding")
    analyze_statuses = [
        i for i, e in enumerate(events) if isinstance(e, StatusEvent) and e.stage == "analyze"
    ]
    # The sample has several batches of clauses; findings arrive before the last batch is read.
    assert len(analyze_statuses) >= 3
    assert first_finding < analyze_statuses[-1]
    progress = [e.progress for e in events if isinstance(e, StatusEvent)]
    assert progress == sorted(progress) and progress[-1] == 1.0


def test_progress_says_which_clauses_are_being_judged_not_that_they_were(
    fake_services: Services,
) -> None:
    events = list(runner.run(fake_services, saas_bytes(), "saas.pdf"))
    judging = [e for e in events if isinstance(e, StatusEvent) and e.stage == "analyze"]
    total = judging[0].total
    assert judging[0].message == f"judging clauses 1–{judging[1].done} of {total}"
    # Each batch starts where the previous one ended; none counts itself as done yet.
    assert [e.done for e in judging] == sorted({e.done for e in judging})
    assert judging[0].done == 0 and all("judged" not in e.message for e in judging)


def test_missing_required_clause_is_a_finding_grounded_in_the_rule(fake_services: Services) -> None:
    text = (
        "SERVICES AGREEMENT\n1. Payment. Customer shall pay all invoices within thirty (30) days "
        "of receipt.\n2. Governing Law. This Agreement is governed by the laws of the State of "
        "New York.\n"
    )
    analysis = run_final(fake_services, text.encode(), "short.txt")
    missing = {f.clause_type: f for f in analysis.findings if f.kind == "missing"}
    assert {"Confidentiality", "Limitation Of Liability", "Data Protection"} <= set(missing)
    assert "Governing Law" not in missing
    cited = missing["Confidentiality"].retrieved_chunks
    assert {c.chunk_id.split("/")[1] for c in cited} == {"confidentiality"}


def test_bad_file_fails_clearly_and_keeps_earlier_analyses(fake_services: Services) -> None:
    good = run_final(fake_services, saas_bytes(), "saas.pdf")
    bad = run_final(fake_services, saas_bytes()[:4000], "broken.pdf")
    assert bad.status == "failed"
    assert bad.error and "broken.pdf" in bad.error and "\n" not in bad.error
    assert fake_services.store.load_analysis(bad.analysis_id).status == "failed"
    assert fake_services.store.load_analysis(good.analysis_id).model_dump() == good.model_dump()


class UngroundedEngine:
    """Emits one finding quoting text that is not in the contract and one citing unretrieved
    guidance, plus one honest finding."""

    name = "fake-ungrounded"
    streams = False

    def judge_clauses(
        self, doc: DocumentContext, clauses: list[ClauseContext]
    ) -> Iterator[Finding]:
        ctx = next((c for c in clauses if c.segment.clause.id == "c2"), None)
        if ctx is None:
            return
        clause, hit = ctx.segment.clause, ctx.retrieved[0]
        ref = ChunkRef(chunk_id=hit.chunk.id, source="s", version=1, similarity=hit.similarity)
        base: dict[str, Any] = {
            "id": "",
            "clause_id": clause.id,
            "clause_type": "Payment Terms",
            "kind": "deviation",
            "risk": "high",
            "deviation": "d",
            "recommendation": "r",
        }
        quote = doc.text[clause.start : clause.end]
        yield Finding(
            **base,
            source_text="words the contract never says",
            start=clause.start,
            end=clause.start + 29,
            retrieved_chunks=[ref],
        )
        yield Finding(
            **base,
            source_text=quote,
            start=clause.start,
            end=clause.end,
            retrieved_chunks=[ref.model_copy(update={"chunk_id": "made-up/chunk"})],
        )
        yield Finding(
            **base, source_text=quote, start=clause.start, end=clause.end, retrieved_chunks=[ref]
        )

    def judge_document(self, doc, clauses, best, prior):  # type: ignore[no-untyped-def]
        return iter(())


def test_guardrails_drop_ungrounded_findings_and_store_the_warning(fake_services: Services) -> None:
    fake_services.engine = UngroundedEngine()
    events = list(runner.run(fake_services, saas_bytes(), "saas.pdf"))
    analysis = events[-1].analysis  # type: ignore[union-attr]
    assert len(analysis.findings) == 1
    warnings = [e for e in events if isinstance(e, WarningEvent) and e.guardrail]
    assert len(warnings) == 2
    assert "not in the contract" in warnings[0].message
    assert "not retrieved" in warnings[1].message
    stored = fake_services.store.load_analysis(analysis.analysis_id)
    assert [w.kind for w in stored.guardrail_warnings] == ["ungrounded_finding"] * 2
    assert [e.finding.id for e in events if isinstance(e, FindingEvent)] == ["f1"]
    # A warning about a dropped finding never points at the finding that was kept.
    assert [w.finding_id for w in stored.guardrail_warnings] == ["dropped-1", "dropped-2"]


def test_a_run_abandoned_mid_way_is_interrupted_with_its_findings_kept(
    fake_services: Services,
) -> None:
    events = runner.run(fake_services, saas_bytes(), "saas.pdf")
    first = next(e for e in events if isinstance(e, FindingEvent))
    events.close()  # the page closed / the user pressed Ctrl-C
    stored = fake_services.store.load_analysis(first.analysis_id)
    assert stored.status == "interrupted" and "cancelled" in (stored.error or "")
    # Findings are stored a batch at a time, before any of them is shown: what was seen is kept.
    ids = [f.id for f in stored.findings]
    assert ids[0] == "f1" and ids == [f"f{i}" for i in range(1, len(ids) + 1)]


def test_the_original_file_is_kept_for_re_runs(fake_services: Services) -> None:
    analysis = run_final(fake_services, saas_bytes(), "saas.pdf")
    name, data = fake_services.store.load_document(analysis.document.sha256)
    assert (name, data) == ("saas.pdf", saas_bytes())


class OtherModel(FakeEmbedder):
    model_id = "another-model"


def test_playbook_vectors_are_never_reused_across_models(fake_services: Services) -> None:
    run_final(fake_services, saas_bytes(), "saas.pdf")
    other = OtherModel()
    services = open_services(fake_services.settings, embedder=other, store=fake_services.store)
    analysis = run_final(services, saas_bytes(), "saas.pdf")
    assert analysis.status == "completed"
    chunks = fake_services.store.load_chunks(analysis.playbook.version_id, "another-model")
    assert chunks and all(vector is not None for _, vector in chunks)
    assert other.texts_encoded >= len(chunks)  # the chunks were embedded afresh by this model


def test_document_warnings_are_part_of_the_stored_analysis(fake_services: Services) -> None:
    # A PDF uploaded under a .docx name is read as what it is, and the analysis says so.
    analysis = run_final(fake_services, saas_bytes(), "mislabelled.docx")
    assert analysis.status == "completed"
    assert any("really a PDF" in w for w in analysis.document.warnings)
    stored = fake_services.store.load_analysis(analysis.analysis_id)
    assert stored.document.warnings == analysis.document.warnings


def test_progress_moves_while_the_clauses_are_embedded_ahead(fake_services: Services) -> None:
    # Sixty numbered clauses of ~400 characters: most of a run is embedding them, and the bar
    # has to move during it (a first analysis spent ~7 s on one silent step before).
    body = "".join(
        f"{n}. Clause {n}. The Supplier shall deliver the goods described in Schedule {n} to the "
        f"Customer's premises at {n} Main Street within {n + 10} business days of each order, "
        "and shall keep records of every delivery for inspection by the Customer on reasonable "
        "notice during business hours, at its own cost and without delay or further charge, "
        "for the whole term of this Agreement and for two years after it ends.\n"
        for n in range(1, 61)
    )
    text = "SUPPLY AGREEMENT\nThis Supply Agreement is made between Acme Ltd and Beta Inc.\n" + body
    events = list(runner.run(fake_services, text.encode(), "supply.txt"))
    assert isinstance(events[-1], FinalEvent) and events[-1].analysis.status == "completed"
    ahead = [e for e in events if isinstance(e, StatusEvent) and e.message.startswith("embedded ")]
    assert len(ahead) >= 3, [e.message for e in ahead]
    assert [e.done for e in ahead] == sorted({e.done for e in ahead})
    progress = [e.progress for e in events if isinstance(e, StatusEvent)]
    assert progress == sorted(progress) and progress[-1] == 1.0
