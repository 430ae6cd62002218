"""The real pipeline (real MiniLM model, FAISS, DuckDB) on our samples and on real third-party
contracts from ../shared/eval/files (skipped when that folder is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services
from tests.conftest import SAMPLES, require_eval

pytestmark = pytest.mark.slow


def analyse(services: Services, path: Path) -> Analysis:
    final = list(runner.run(services, path.read_bytes(), path.name))[-1]
    assert isinstance(final, FinalEvent)
    return final.analysis


def assert_grounded(analysis: Analysis) -> None:
    assert analysis.status == "completed", analysis.error
    text = analysis.document.text
    clause_ids = {c.id for c in analysis.clauses}
    for clause in analysis.clauses:
        assert 0 <= clause.start < clause.end <= len(text)
    for f in analysis.findings:
        assert f.retrieved_chunks
        if f.kind != "missing":
            assert text[f.start : f.end] == f.source_text and f.clause_id in clause_ids
    assert not analysis.guardrail_warnings


def test_samples_with_the_real_model(real_services: Services) -> None:
    saas = analyse(real_services, SAMPLES / "saas-subscription-agreement.pdf")
    assert_grounded(saas)
    types = {f.clause_type for f in saas.findings} | {
        t for f in saas.findings for t in f.also_types
    }
    assert {
        "Data Protection",
        "Payment Terms",
        "Warranties",
        "Suspension",
        "Price Increases",
    } <= types
    assert any(f.risk == "critical" for f in saas.findings)
    # Labels the model should find on a plainly drafted contract.
    labels = {lb.type for c in saas.clauses for lb in c.labels}
    assert {
        "Governing Law",
        "Confidentiality",
        "Indemnification",
        "Cap On Liability",
        "Renewal Term",
        "Termination For Convenience",
    } <= labels
    nda = analyse(real_services, SAMPLES / "mutual-nda.docx")
    assert_grounded(nda)
    # A balanced NDA draws far fewer findings than the vendor-friendly SaaS agreement.
    assert len(nda.findings) < len(saas.findings)
    services = analyse(real_services, SAMPLES / "professional-services-agreement.txt")
    assert_grounded(services)
    assert services.key_terms.governing_law == "Ohio"


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_real_third_party_contracts(real_services: Services, suffix: str) -> None:
    folder = require_eval("files")
    files = sorted(folder.glob(f"*{suffix}"))
    assert files
    for path in files:
        analysis = analyse(real_services, path)
        assert_grounded(analysis)
        assert len(analysis.clauses) >= 3, path.name
        if suffix == ".pdf":
            assert all(c.page for c in analysis.clauses)
