"""The bundled samples: listed and readable by name, and one call analyses all of them under
every version of the default playbook, storing each analysis (fake embedder: fast)."""

from __future__ import annotations

import pytest

from core.errors import NotFound
from core.pipeline.samples import analyse_samples, list_samples, read_sample
from core.pipeline.services import Services
from core.store.history_queries import HistoryFilter, history_page
from tests.conftest import SAMPLES


def test_the_three_bundled_samples_are_listed_and_readable() -> None:
    samples = list_samples()
    assert [(s.name, s.format) for s in samples] == [
        ("mutual-nda.docx", "Word"),
        ("professional-services-agreement.txt", "text"),
        ("saas-subscription-agreement.pdf", "PDF"),
    ]
    pdf = samples[-1]
    assert read_sample(pdf.name) == (SAMPLES / pdf.name).read_bytes()
    assert pdf.label.startswith("saas-subscription-agreement.pdf (PDF, ")


def test_only_bundled_names_can_be_read() -> None:
    with pytest.raises(NotFound, match="no bundled sample"):
        read_sample("../../pyproject.toml")


def test_analysing_the_samples_covers_every_playbook_version_and_stores_them(
    fake_services: Services,
) -> None:
    steps = list(analyse_samples(fake_services))
    finished = [s.analysis for s in steps if s.analysis is not None]
    fractions = [s.fraction for s in steps]

    assert len(finished) == steps[-1].total == 9  # 3 samples × 3 versions
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(a.status == "completed" and a.findings for a in finished)
    assert [a.playbook.version for a in finished if a.playbook] == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    saas = [a for a in finished if a.document.name.startswith("saas")]
    assert {f.clause_type for f in saas[-1].findings if f.kind == "missing"} >= {"Data Protection"}
    stored = history_page(fake_services.store, HistoryFilter())
    assert stored.total == 9
    assert set(stored.rows["playbook_version"]) == {1, 2, 3}


def test_an_unknown_playbook_is_a_clear_error(fake_services: Services) -> None:
    with pytest.raises(NotFound, match="no playbook named 'nope'"):
        next(analyse_samples(fake_services, playbook="nope"))
