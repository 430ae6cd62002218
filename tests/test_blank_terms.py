"""Key terms a copy does not show: a redacted number is "could not be checked", never a value or
a deviation; a template full of placeholders is flagged as one. The real pipeline, offline
engine and report, with the bag-of-words fake embedder. All contract text is written here."""

from __future__ import annotations

import pytest

from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services
from core.reports.render import render_markdown, render_text

REDACTED = b"""SERVICES AGREEMENT

1. Services. Quillon Labs shall provide the hosted services described in the Order Form.

2. Fees and Payment. Quillon Labs shall invoice Customer monthly in arrears. Customer shall pay
each correct invoice within [***] days of receipt.

3. Governing Law. This Agreement is governed by the laws of the State of New York.
"""

TEMPLATE = """MASTER SERVICES AGREEMENT

This Agreement is made on [DATE] between {{Provider}} and [Customer Name].

1. Fees and Payment. Customer shall pay each invoice within [●] days of receipt.

2. Notices. Notices go to [Customer Address].

3. Governing Law. This Agreement is governed by the laws of {governing_law}.
""".encode()


@pytest.fixture
def services(fake_services: Services) -> Services:
    """The shared fake-embedder services (tests/conftest.py)."""
    return fake_services


def analyse(services: Services, data: bytes, name: str) -> Analysis:
    events = runner.run(services, data, name, "default-customer@1")
    final = [e for e in events if isinstance(e, FinalEvent)]
    assert final[0].analysis.status == "completed", final[0].analysis.error
    return final[0].analysis


def test_a_redacted_payment_term_could_not_be_checked(services: Services) -> None:
    analysis = analyse(services, REDACTED, "redacted.txt")
    assert analysis.key_terms.payment_terms_days is None
    assert analysis.key_terms.redacted == ["payment_terms_days"]
    notes = [f for f in analysis.findings if f.rule == "unchecked:payment_terms_days"]
    assert len(notes) == 1 and notes[0].risk == "low" and notes[0].kind == "unchecked"
    note = notes[0]
    assert note.deviation == (
        "The payment term is redacted in this copy ([***]), so it could not be checked against "
        "the playbook's 30 days."
    )
    text = analysis.document.text
    assert text[note.start : note.end] == note.source_text and "[***]" in note.source_text
    assert not any(f.rule == "threshold:payment_terms_days" for f in analysis.findings)
    assert "Payment term (days): redacted — cannot be assessed" in render_text(analysis)
    assert "| Payment term (days) | redacted — cannot be assessed |" in render_markdown(analysis)


def test_an_unfilled_template_is_flagged_where_every_view_shows_it(services: Services) -> None:
    analysis = analyse(services, TEMPLATE, "form.txt")
    warnings = [w for w in analysis.document.warnings if "unfilled template" in w]
    assert len(warnings) == 1 and "6 placeholders" in warnings[0]
    terms = analysis.key_terms
    assert terms.governing_law is None and terms.parties == []
    assert {"governing_law", "parties", "payment_terms_days"} <= set(terms.unfilled)
    report = render_text(analysis)
    assert f"Warning: {warnings[0]}" in report
    assert "Governing law: not filled in (template placeholder)" in report
