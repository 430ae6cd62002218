"""The fast paths keep their promises: every distinct clause text is embedded once per
analysis (none on a re-analysis), the first findings arrive before the whole document is
embedded, progress never goes backwards, and findings stored in bulk read back in order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.clauses.segment import extract_clauses
from core.documents import load
from core.pipeline import runner
from core.pipeline.events import FinalEvent, FindingEvent, StatusEvent
from core.pipeline.services import Services
from core.vectors.embeddings import SentenceTransformerEmbedder
from tests.conftest import ROOT, SAMPLES
from tests.fakes import FakeEmbedder

PSA = SAMPLES / "professional-services-agreement.txt"


def _embedder(services: Services) -> FakeEmbedder:
    inner = services.embedder.inner
    assert isinstance(inner, FakeEmbedder)
    return inner


def _warm(services: Services) -> None:
    """The taxonomy and playbook vectors: embedded once per database, not per analysis."""
    list(
        runner.run(services, b"Governing law. This Agreement is governed by Delaware law.", "x.txt")
    )


def test_each_distinct_clause_text_is_embedded_once_and_never_again(
    fake_services: Services,
) -> None:
    _warm(fake_services)
    fake = _embedder(fake_services)
    data = PSA.read_bytes()
    doc = load(data, PSA.name, fake_services.settings)
    segments = extract_clauses(
        doc.text, doc.page_starts, doc.heading_offsets, fake_services.settings.max_clause_chars
    )
    distinct = {s.text for s in segments}
    assert len(segments) > runner.FIRST_BATCH + runner.BATCH  # the schedule is exercised

    before = fake.texts_encoded
    events = list(runner.run(fake_services, data, PSA.name))
    assert isinstance(events[-1], FinalEvent) and events[-1].analysis.status == "completed"
    assert fake.texts_encoded - before == len(distinct)

    before = fake.texts_encoded
    again = list(runner.run(fake_services, data, "renamed copy.txt"))
    assert isinstance(again[-1], FinalEvent) and again[-1].analysis.status == "completed"
    assert fake.texts_encoded == before  # a re-analysis embeds nothing
    first, second = events[-1].analysis, again[-1].analysis
    assert [f.model_dump(exclude={"id"}) for f in first.findings] == [
        f.model_dump(exclude={"id"}) for f in second.findings
    ]


def test_progress_only_moves_forward_and_findings_come_in_stored_order(
    fake_services: Services,
) -> None:
    events = list(runner.run(fake_services, PSA.read_bytes(), PSA.name))
    progress = [e.progress for e in events if isinstance(e, StatusEvent)]
    assert progress == sorted(progress) and progress[-1] == 1.0
    shown = [e.finding.id for e in events if isinstance(e, FindingEvent)]
    final = events[-1]
    assert isinstance(final, FinalEvent)
    stored = fake_services.store.load_analysis(final.analysis.analysis_id)
    assert [f.id for f in stored.findings] == shown == [f"f{i}" for i in range(1, len(shown) + 1)]
    assert stored.findings == final.analysis.findings


@pytest.mark.slow
def test_the_int8_model_encodes_close_to_fp32_and_is_cached_apart(real_embedder) -> None:  # type: ignore[no-untyped-def]
    int8 = SentenceTransformerEmbedder(int8=True)
    texts = ["This Agreement is governed by the laws of Delaware.", "Either party may terminate."]
    fast, exact = int8.encode(texts), real_embedder.encode(texts)
    assert int8.model_id != real_embedder.model_id  # its vectors never mix with fp32 ones
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    assert (fast * exact).sum(axis=1).min() > 0.85


def test_the_dashboards_first_page_loads_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    # What a fresh server does before the landing page shows: import the pages' door into core
    # and open (create) the database. pandas, python-docx, pypdf and torch wait until a page or
    # a file needs them (they cost ~1 s of the first page before).
    probe = (
        "import sys\n"
        "from core import app\n"
        "from core.settings import Settings\n"
        f"settings = Settings.from_env({{'CA_DB_PATH': {str(tmp_path / 'x.duckdb')!r}}})\n"
        "services = app.open_services(settings)\n"
        "assert app.list_playbooks(services)\n"
        "print(' '.join(m for m in ('pandas', 'docx', 'pypdf', 'torch') if m in sys.modules))\n"
    )
    reply = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert reply.returncode == 0, reply.stderr[-2000:]
    assert reply.stdout.strip() == ""
