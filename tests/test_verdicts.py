"""Playbook checks in plain words: the format, a verdict for every check, findings for verdicts
that go against the company, the bundled mutual NDA playbook picked for NDAs, and verdicts kept
in the store and the JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import PlaybookError
from core.models import Analysis
from core.pipeline import runner
from core.pipeline.events import FinalEvent, StatusEvent
from core.pipeline.services import Services
from core.playbooks.library import import_playbook, parse_playbook
from tests.conftest import SAMPLES
from tests.test_cli import cli

CHECKS_ONLY = """
name: tiny-checks
title: Tiny checks
contract_types: [nda]
checks:
  - id: iso-certified
    title: Security certification
    statement: The supplier must keep an ISO 27001 certification for its data centres.
    wanted: true
    required: true
    risk: high
    examples:
      says: ["Supplier shall maintain ISO/IEC 27001 certification for all hosting facilities."]
      contradicts: ["Supplier is not required to hold any security certification."]
    recommendation: Supplier shall maintain ISO 27001 certification throughout the term.
  - id: no-residuals
    statement: A party may use ideas and know-how its people remember from the other's information.
    wanted: false
    risk: high
    examples:
      says: ["Either party may use information retained in the unaided memory of its staff."]
    recommendation: Delete the residuals clause.
"""


def final_of(services: Services, data: bytes, name: str, playbook: str | None = None) -> Analysis:
    events = list(runner.run(services, data, name, playbook))
    assert isinstance(events[-1], FinalEvent)
    return events[-1].analysis


def nda_bytes() -> bytes:
    return (SAMPLES / "mutual-nda.docx").read_bytes()


def test_a_playbook_may_hold_only_checks_and_says_what_is_wrong_with_one() -> None:
    playbook = parse_playbook(CHECKS_ONLY)
    assert [c.id for c in playbook.checks] == ["iso-certified", "no-residuals"]
    assert playbook.checks[1].name == "No residuals"  # no title: its id in words
    assert playbook.checks[1].required is False and playbook.checks[1].wanted is False
    twice = CHECKS_ONLY.replace("id: no-residuals", "id: iso-certified")
    with pytest.raises(PlaybookError, match="'iso-certified' is used more than once"):
        parse_playbook(twice)
    with pytest.raises(PlaybookError, match=r"checks\.0\.id"):
        parse_playbook(CHECKS_ONLY.replace("id: iso-certified", "id: ISO Certified"))
    with pytest.raises(PlaybookError, match="at least one rule or check"):
        parse_playbook("name: empty-book\ntitle: Empty\n")
    with pytest.raises(PlaybookError, match="Sla Credits \\(check iso-certified\\)"):
        parse_playbook(
            CHECKS_ONLY.replace(
                "risk: high\n    examples",
                "risk: high\n    clause_types: [Sla Credits]\n    examples",
                1,
            )
        )


def test_an_nda_gets_the_mutual_nda_playbook_and_a_verdict_for_every_check(
    real_services: Services,
) -> None:
    events = list(runner.run(real_services, nda_bytes(), "mutual-nda.docx"))
    analysis = events[-1].analysis  # type: ignore[union-attr]
    assert analysis.status == "completed"
    assert analysis.playbook is not None and analysis.playbook.name == "mutual-nda"
    assert analysis.contract_type is not None and not analysis.contract_type.playbook_warning
    said = [e.message for e in events if isinstance(e, StatusEvent)]
    assert any("Mutual NDA" in m for m in said) and any("positions" in m for m in said)
    verdicts = {v.check: v for v in analysis.verdicts}
    assert len(verdicts) == 13
    for v in verdicts.values():
        assert v.verdict in ("states", "contradicts", "silent") and 0 <= v.confidence <= 1
        assert all(e.text == analysis.document.text[e.start : e.end] for e in v.evidence)
        assert bool(v.evidence) == (v.verdict != "silent")
    # The planted problems: a residuals clause and a non-solicitation clause, both positions
    # the playbook does not want, are stated, each with a finding quoting its evidence.
    for check in ("no-residuals", "no-non-solicitation"):
        verdict = verdicts[check]
        assert verdict.verdict == "states"
        finding = next(f for f in analysis.findings if f.id == verdict.finding_id)
        assert finding.rule == f"check:{check}" and finding.kind == "deviation"
        assert finding.source_text == verdict.evidence[0].text
    residuals = verdicts["no-residuals"].evidence[0].text.lower()
    assert "memory" in residuals
    # Balanced terms it has are read as stated, with no finding.
    for check in ("return-or-destroy", "survival", "compelled-disclosure-notice"):
        assert verdicts[check].verdict == "states" and verdicts[check].finding_id is None
    # Stored with the analysis and read back unchanged.
    stored = real_services.store.load_analysis(analysis.analysis_id)
    assert stored.verdicts == analysis.verdicts


def test_a_chosen_playbook_is_kept_and_a_required_check_the_contract_is_silent_on_is_missing(
    real_services: Services,
) -> None:
    import_playbook(real_services.store, CHECKS_ONLY, "test")
    analysis = final_of(real_services, nda_bytes(), "mutual-nda.docx", "tiny-checks")
    assert analysis.playbook is not None and analysis.playbook.name == "tiny-checks"
    verdicts = {v.check: v for v in analysis.verdicts}
    assert verdicts["iso-certified"].verdict == "silent"
    missing = next(f for f in analysis.findings if f.id == verdicts["iso-certified"].finding_id)
    assert missing.kind == "missing" and missing.risk == "high" and missing.source_text == ""
    assert missing.recommendation.startswith("Supplier shall maintain ISO 27001")
    assert verdicts["no-residuals"].verdict == "states"


def test_a_customer_contract_under_the_customer_playbook_has_no_verdicts(
    fake_services: Services,
) -> None:
    data = (SAMPLES / "professional-services-agreement.txt").read_bytes()
    analysis = final_of(fake_services, data, "psa.txt")
    assert analysis.playbook is not None and analysis.playbook.name == "default-customer"
    assert analysis.verdicts == [] and analysis.findings


@pytest.mark.slow
def test_the_cli_imports_a_checks_playbook_and_prints_verdicts_in_json(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    book = tmp_path / "tiny.yaml"
    book.write_text(CHECKS_ONLY)
    imported = cli(db, "playbook", "import", str(book), "--note", "two checks")
    assert imported.returncode == 0, imported.stderr
    shown = cli(db, "playbook", "show", "tiny-checks").stdout
    assert "(customer side, 0 clause types, 2 checks)" in shown
    assert "No residuals (no-residuals) — we do not want this, risk high" in shown
    done = cli(
        db,
        "analyze",
        str(SAMPLES / "mutual-nda.docx"),
        "--playbook",
        "tiny-checks",
        "--format",
        "json",
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    analysis = json.loads(done.stdout)
    assert [v["check"] for v in analysis["verdicts"]] == ["iso-certified", "no-residuals"]
    for v in analysis["verdicts"]:
        assert set(v) >= {"check", "verdict", "confidence", "evidence", "finding_id"}
        for e in v["evidence"]:
            assert analysis["document"]["text"][e["start"] : e["end"]] == e["text"]
