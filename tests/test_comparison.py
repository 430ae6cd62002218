"""Comparing one document's analyses under two playbook versions, re-running a stored document
against another version, the comparison queries, and creating versions from edited YAML.
Real DuckDB in tmp_path, the real pipeline with the bag-of-words fake embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from core.errors import ContractAnalyzerError, NotFound, PlaybookError
from core.models import Analysis, Finding, RiskLevel
from core.pipeline import runner
from core.pipeline.events import FinalEvent, StatusEvent
from core.pipeline.services import Services, open_services
from core.playbooks.editing import check_edit, create_version, read_upload
from core.portfolio.comparison import (
    ChangeStatus,
    Comparison,
    compare_analyses,
    match_findings,
    rerun,
)
from core.settings import Settings
from core.store.comparison_queries import analysed_documents, document_analyses
from tests.conftest import SAMPLES
from tests.fakes import FakeEmbedder

SAAS = SAMPLES / "saas-subscription-agreement.pdf"
# Net 40: fine under v1 (payment >= 30 days), a deviation under v2 (>= 45 days).
NET_40 = b"""SERVICES AGREEMENT

1. Services. Vendor shall provide the hosted services described in the Order Form.

2. Fees and Payment. Vendor shall invoice Customer monthly in arrears. Customer shall pay each
correct invoice within forty (40) days of receipt.

3. Governing Law. This Agreement is governed by the laws of the State of New York.
"""


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    services = open_services(
        Settings.from_env({"CA_DB_PATH": str(tmp_path / "t.duckdb")}), embedder=FakeEmbedder()
    )
    yield services
    services.close()


def analyse(services: Services, data: bytes, name: str, spec: str) -> Analysis:
    final = [e for e in runner.run(services, data, name, spec) if isinstance(e, FinalEvent)]
    assert final[0].analysis.status == "completed", final[0].analysis.error
    return final[0].analysis


@pytest.fixture
def saas_v1_v2(services: Services) -> tuple[Analysis, Analysis, Comparison]:
    v1 = analyse(services, SAAS.read_bytes(), SAAS.name, "default-customer@1")
    v2 = rerun(services, v1.analysis_id, "default-customer@2")
    return v1, v2, compare_analyses(services.store, v1.analysis_id, v2.analysis_id)


def by_type(cmp: Comparison, status: ChangeStatus) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for change in cmp.of(status):
        out.setdefault(change.finding.clause_type, []).append(change.finding)
    return out


def test_rerun_analyses_the_stored_original_under_the_other_version(
    services: Services, saas_v1_v2: tuple[Analysis, Analysis, Comparison]
) -> None:
    v1, v2, _ = saas_v1_v2
    assert v2.analysis_id != v1.analysis_id
    assert v2.document.sha256 == v1.document.sha256
    assert v2.document.name == SAAS.name
    assert v2.playbook is not None and v2.playbook.version_id == "default-customer@v2"
    stored = services.store.load_analysis(v2.analysis_id)
    assert stored.status == "completed"
    assert len(stored.findings) == len(v2.findings)


def test_v1_to_v2_on_the_saas_sample_shows_the_playbook_changes(
    saas_v1_v2: tuple[Analysis, Analysis, Comparison],
) -> None:
    v1, v2, cmp = saas_v1_v2
    counts = cmp.counts()
    # every finding of both analyses is accounted for exactly once
    assert counts["removed"] + counts["risk_changed"] + counts["reworded"] + counts[
        "unchanged"
    ] == len(v1.findings)
    assert len(v2.findings) == len(v1.findings) - counts["removed"] + counts["added"]
    # v2 adds the Service Levels rule: "reasonable efforts" availability is a new red flag
    added = by_type(cmp, "added")
    assert [f.kind for f in added["Service Levels"]] == ["red_flag"]
    assert "reasonable efforts" in added["Service Levels"][0].source_text
    # v2 lowers the Publicity red flag from medium to low
    publicity = next(c for c in cmp.of("risk_changed") if c.finding.clause_type == "Publicity")
    assert (publicity.before and publicity.before.risk, publicity.finding.risk) == ("medium", "low")
    assert publicity.direction == "lowered"
    # net 15 breaks both payment thresholds, but the guidance now asks for 45 days, not 30
    payment = next(
        c for c in cmp.of("reworded") if c.finding.rule == "threshold:payment_terms_days"
    )
    assert payment.before is not None and "requires >= 30 days" in payment.before.deviation
    assert "requires >= 45 days" in payment.finding.deviation
    assert "[-30-] {+45+}" in payment.text_diffs()["deviation"]
    notice = next(c for c in cmp.of("reworded") if c.finding.rule == "threshold:notice_period_days")
    assert "[-60-] {+30+}" in notice.text_diffs()["deviation"]
    # findings v2 did not touch stay paired and unchanged (e.g. suspension without notice)
    assert "Suspension" in by_type(cmp, "unchanged")
    assert not cmp.of("removed")


def test_payment_finding_appears_when_the_threshold_rises_to_45_days(services: Services) -> None:
    v1 = analyse(services, NET_40, "net40.txt", "default-customer@1")
    assert v1.key_terms.payment_terms_days == 40
    v2 = rerun(services, v1.analysis_id, "default-customer@2")
    cmp = compare_analyses(services.store, v1.analysis_id, v2.analysis_id)
    added = by_type(cmp, "added")
    assert [f.rule for f in added["Payment Terms"]] == ["threshold:payment_terms_days"]
    assert "forty (40) days" in added["Payment Terms"][0].source_text
    # and the other way round the same finding is reported as removed
    back = compare_analyses(services.store, v2.analysis_id, v1.analysis_id)
    assert [c.finding.clause_type for c in back.of("removed")] == ["Payment Terms"]


def test_rerun_reports_progress_and_rejects_unknown_versions(
    services: Services, saas_v1_v2: tuple[Analysis, Analysis, Comparison]
) -> None:
    v1, _, _ = saas_v1_v2
    progress: list[float] = []
    rerun(
        services,
        v1.analysis_id,
        "default-customer@1",
        lambda e: progress.append(e.progress) if isinstance(e, StatusEvent) else None,
    )
    assert progress and progress[-1] == 1.0
    with pytest.raises(ContractAnalyzerError, match="has no version 9"):
        rerun(services, v1.analysis_id, "default-customer@9")
    with pytest.raises(NotFound):
        rerun(services, "no-such-analysis", "default-customer@2")


def test_compare_refuses_different_documents_and_the_same_analysis(
    services: Services, saas_v1_v2: tuple[Analysis, Analysis, Comparison]
) -> None:
    v1, _, _ = saas_v1_v2
    other = analyse(services, NET_40, "net40.txt", "default-customer@1")
    with pytest.raises(ContractAnalyzerError, match="different documents"):
        compare_analyses(services.store, v1.analysis_id, other.analysis_id)
    with pytest.raises(ContractAnalyzerError, match="two different analyses"):
        compare_analyses(services.store, v1.analysis_id, v1.analysis_id)


def test_queries_list_analysed_documents_and_their_analyses_newest_first(
    services: Services, saas_v1_v2: tuple[Analysis, Analysis, Comparison]
) -> None:
    v1, v2, _ = saas_v1_v2
    docs = analysed_documents(services.store)
    assert [(d.name, d.analyses, d.original_stored) for d in docs] == [(SAAS.name, 2, True)]
    runs = document_analyses(services.store, v1.document.sha256)
    assert [r.analysis_id for r in runs] == [v2.analysis_id, v1.analysis_id]
    assert [r.playbook_version for r in runs] == [2, 1]
    assert runs[0].findings == len(v2.findings)
    assert runs[1].label.startswith("default-customer v1 · ")
    assert document_analyses(services.store, "0" * 64) == []


def finding(
    clause_type: str, start: int, end: int, rule: str, risk: RiskLevel = "medium"
) -> Finding:
    return Finding(
        id="f",
        clause_id="c1",
        clause_type=clause_type,
        kind="red_flag" if rule.startswith("red_flag") else "deviation",
        risk=risk,
        source_text="x" * (end - start),
        start=start,
        end=end,
        deviation="d",
        recommendation="r",
        rule=rule,
    )


def test_matching_keeps_two_red_flags_on_one_clause_apart_and_follows_moved_rules() -> None:
    before = [
        finding("Warranties", 0, 10, "red_flag:1"),
        finding("Warranties", 0, 10, "red_flag:2"),
    ]
    # a red flag was inserted first in the new version: the old flag 2 is now flag 3
    after = [
        finding("Warranties", 0, 10, "red_flag:1"),
        finding("Warranties", 0, 10, "red_flag:3", risk="high"),
        finding("Warranties", 0, 10, "red_flag:2"),
    ]
    pairs = match_findings(before, after)
    assert [(a and a.rule, b and b.rule) for a, b in pairs] == [
        ("red_flag:1", "red_flag:1"),
        ("red_flag:2", "red_flag:2"),
        (None, "red_flag:3"),
    ]
    # a clause cut differently still pairs by overlapping text
    [(old, new)] = match_findings(
        [finding("Warranties", 0, 10, "a")], [finding("Warranties", 5, 30, "a")]
    )
    assert old is not None and new is not None


def test_matching_pairs_a_clause_by_its_rule_family() -> None:
    before = [
        finding("Payment Terms", 0, 50, "position", risk="high"),
        finding("Payment Terms", 0, 50, "threshold:payment_terms_days"),
    ]
    # the clause now meets a fallback, and the threshold moved to another evidence span
    after = [
        finding("Payment Terms", 20, 40, "threshold:payment_terms_days"),
        finding("Payment Terms", 0, 50, "fallback:1", risk="low"),
    ]
    pairs = [(a and a.rule, b and b.rule) for a, b in match_findings(before, after)]
    assert pairs == [
        ("position", "fallback:1"),
        ("threshold:payment_terms_days", "threshold:payment_terms_days"),
    ]
    # a threshold on a different term is a different finding, however the spans overlap
    other = [finding("Payment Terms", 0, 50, "threshold:notice_period_days")]
    assert match_findings(before[1:], other) == [(before[1], None), (None, other[0])]


def latest_yaml(services: Services) -> str:
    return services.store.get_version("default-customer").content


def test_create_version_requires_a_note(services: Services) -> None:
    content = latest_yaml(services).replace("value: 45", "value: 60")
    with pytest.raises(PlaybookError, match="change note is required"):
        create_version(services.store, content, "   ")
    assert [v.version for v in services.store.list_versions("default-customer")] == [1, 2, 3]


def test_create_version_rejects_invalid_yaml_with_its_location(services: Services) -> None:
    data = yaml.safe_load(latest_yaml(services))
    data["rules"][3]["risk"] = "severe"
    with pytest.raises(PlaybookError) as err:
        create_version(services.store, yaml.safe_dump(data, sort_keys=False), "riskier")
    assert "rules.3.risk: Input should be 'low', 'medium', 'high' or 'critical'" in str(err.value)
    with pytest.raises(PlaybookError, match=r"not valid YAML \(line 2\)"):
        create_version(services.store, "name: x\n  rules: [oops", "broken")
    with pytest.raises(PlaybookError, match="empty"):
        create_version(services.store, "  \n", "nothing")
    assert [v.version for v in services.store.list_versions("default-customer")] == [1, 2, 3]


def test_create_version_from_a_valid_edit_and_no_change_for_the_same_rules(
    services: Services,
) -> None:
    edited = latest_yaml(services).replace("value: 45", "value: 60")
    check = check_edit(services.store, edited)
    assert [(c.clause_type, c.status) for c in check.changes] == [("Payment Terms", "changed")]
    result = create_version(services.store, edited, "payables now run monthly")
    assert result.created and result.version.id == "default-customer@v4"
    assert "default-customer@v4" in result.message
    stored = services.store.get_version("default-customer", 4)
    assert stored.change_note == "payables now run monthly" and stored.content == edited
    # the same content again, or only a new comment: nothing new is stored
    assert not create_version(services.store, edited, "again").created
    commented = "# reviewed by legal\n" + edited
    again = create_version(services.store, commented, "comment only")
    assert not again.created and again.message.startswith("no change")
    # back to v1's exact text: reported as the existing v1
    v1 = services.store.get_version("default-customer", 1).content
    assert create_version(services.store, v1, "revert").version.version == 1
    assert [v.version for v in services.store.list_versions("default-customer")] == [1, 2, 3, 4]


def test_uploaded_playbook_must_be_utf8_text() -> None:
    assert read_upload("\ufeffname: x\n".encode(), "a.yaml") == "name: x\n"
    with pytest.raises(PlaybookError, match="not UTF-8"):
        read_upload(b"\xff\xfe\x00n", "a.yaml")
