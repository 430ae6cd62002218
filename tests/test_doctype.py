"""What the document is, before anything is judged: a text that is not a contract is said to be
one and nothing is judged; a contract's kind is read from its title or its wording; a playbook
written for other kinds of contract warns the reviewer and reports no clause as missing that
this kind of contract need not have. All texts here are ours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.doctype.detect import contract_type, read_as_contract
from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent, FindingEvent, WarningEvent
from core.pipeline.services import Services
from tests.conftest import SAMPLES
from tests.test_cli import cli


def run(services: Services, text: str, name: str = "doc.txt") -> tuple[Analysis, list[object]]:
    events = list(runner.run(services, text.encode(), name))
    final = events[-1]
    assert isinstance(final, FinalEvent)
    return final.analysis, events


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "Preheat the oven to 200 degrees. Roast the vegetables for forty minutes, turning once.",
        "INVOICE 118\nWindow cleaning, March: 120.00\nTotal due 120.00\nPayment terms: 14 days.",
        "Hi Ben, the slides are attached. Can we move Thursday's call to 3pm? Thanks, Mia",
    ],
)
def test_texts_that_are_not_contracts_are_not_read_as_contracts(text: str) -> None:
    assert not read_as_contract(text).is_contract


@pytest.mark.parametrize(
    "text",
    [
        "Either party may terminate this Agreement on thirty days' written notice.",
        "The Supplier shall indemnify the Customer against any third-party claim.",
        "Party A guarantees the supply of power; Party B promises to pay monthly. (signature)",
    ],
)
def test_a_single_clause_of_a_contract_is_read_as_a_contract(text: str) -> None:
    assert read_as_contract(text).is_contract


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("MUTUAL NON-DISCLOSURE AGREEMENT", "nda"),
        ("Confidentiality Agreement", "nda"),
        ("Cloud Platform Subscription Agreement", "saas"),
        ("Software Licence and Hosting Agreement", "saas"),
        ("MASTER SERVICES AGREEMENT", "services"),
        ("Consulting Agreement", "services"),
        ("End User Software License Agreement", "licence"),
        ("Exclusive Distribution Agreement", "distribution"),
        ("Manufacturing and Supply Agreement", "distribution"),
        ("Sponsorship Agreement", "other"),
    ],
)
def test_the_title_names_the_kind(title: str, kind: str) -> None:
    found = contract_type("", title)
    assert (found.type, found.basis, found.title) == (kind, "title", title)


def test_without_a_telling_title_the_wording_names_the_kind() -> None:
    nda = (
        "The Receiving Party shall hold the Confidential Information of the Disclosing Party in "
        "confidence and use the Confidential Information only to evaluate the transaction. "
        "The Recipient shall return all Confidential Information on request. "
    ) * 3
    found = contract_type(nda, "AGREEMENT")
    assert (found.type, found.basis) == ("nda", "wording") and found.confidence > 0.7
    plain = "The parties agree to meet once a year to discuss the arrangement. " * 5
    assert contract_type(plain, None).type == "other"


def test_hello_world_is_not_analysed_and_says_why(fake_services: Services) -> None:
    analysis, events = run(fake_services, "hello world", "hello.txt")
    assert analysis.status == "failed"
    assert analysis.error and "does not look like a contract" in analysis.error
    assert not analysis.findings and not any(isinstance(e, FindingEvent) for e in events)
    assert fake_services.store.load_analysis(analysis.analysis_id).status == "failed"


SUPPLY = (
    "SUPPLY AGREEMENT\n1. Orders. The Buyer shall place purchase orders for the Products and the "
    "Supplier shall deliver each shipment within ten days.\n2. Payment. The Buyer shall pay all "
    "invoices within thirty (30) days of receipt.\n3. Governing Law. This Agreement is governed "
    "by the laws of the State of New York.\n"
)


def test_a_playbook_for_other_kinds_warns_and_reports_nothing_missing(
    fake_services: Services,
) -> None:
    analysis, events = run(fake_services, SUPPLY, "supply.txt")
    assert analysis.status == "completed"
    found = analysis.contract_type
    assert found is not None and (found.type, found.basis) == ("distribution", "title")
    assert found.playbook_warning and "distribution or supply agreement" in found.playbook_warning
    assert "Default customer-side playbook" in found.playbook_warning
    warned = [e for e in events if isinstance(e, WarningEvent) and e.kind == "playbook_fit"]
    assert [w.message for w in warned] == [found.playbook_warning]
    assert found.playbook_warning in analysis.document.warnings
    assert not [f for f in analysis.findings if f.kind == "missing"]
    stored = fake_services.store.load_analysis(analysis.analysis_id)
    assert stored.contract_type == found and stored.document.warnings == analysis.document.warnings


def test_the_same_contract_as_a_services_agreement_fits_and_misses_clauses(
    fake_services: Services,
) -> None:
    analysis, events = run(fake_services, SUPPLY.replace("SUPPLY", "SERVICES", 1), "services.txt")
    found = analysis.contract_type
    assert found is not None and found.type == "services" and found.playbook_warning is None
    assert not any(isinstance(e, WarningEvent) and e.kind == "playbook_fit" for e in events)
    assert {"Confidentiality", "Data Protection"} <= {
        f.clause_type for f in analysis.findings if f.kind == "missing"
    }


def test_the_bundled_nda_under_the_customer_playbook_is_flagged_not_padded(
    fake_services: Services,
) -> None:
    data = (SAMPLES / "mutual-nda.docx").read_bytes()
    final = list(runner.run(fake_services, data, "mutual-nda.docx", "default-customer"))[-1]
    assert isinstance(final, FinalEvent)
    analysis = final.analysis
    assert analysis.contract_type is not None and analysis.contract_type.type == "nda"
    assert analysis.contract_type.playbook_warning
    # "Limitation Of Liability missing" and the like are not invented for an NDA
    assert not [f for f in analysis.findings if f.kind == "missing"]


@pytest.mark.slow
def test_the_cli_says_a_text_is_not_a_contract_and_prints_the_kind(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    hello = tmp_path / "hello.txt"
    hello.write_text("hello world")
    refused = cli(db, "analyze", str(hello))
    assert refused.returncode == 1
    assert "does not look like a contract" in refused.stderr and not refused.stdout
    supply = tmp_path / "supply.txt"
    supply.write_text(SUPPLY)
    done = cli(db, "analyze", str(supply), "--format", "json", "--quiet")
    analysis = json.loads(done.stdout)
    assert analysis["contract_type"]["type"] == "distribution"
    assert analysis["contract_type"]["playbook_warning"]
    text = cli(db, "analyze", str(supply), "--no-store").stdout
    assert "Reads as a distribution or supply agreement" in text
    assert "Warning: This looks like a distribution or supply agreement" in text
