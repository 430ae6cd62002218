"""Decisions on findings: appended as events, folded into the reviewed view, refused with plain
words when they cannot be taken, and carried into the Markdown memo. Real DuckDB, fake model."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.app import run_analysis
from core.errors import ReviewError
from core.models import Analysis
from core.pipeline.events import FinalEvent
from core.pipeline.services import Services
from core.reports.render import render_markdown
from core.review.actions import decide, load_review
from core.store import Store
from tests.conftest import SAMPLES


def analyse(services: Services, name: str = "professional-services-agreement.txt") -> Analysis:
    final = list(run_analysis(services, (SAMPLES / name).read_bytes(), name))[-1]
    assert isinstance(final, FinalEvent) and final.analysis.status == "completed"
    assert len(final.analysis.findings) >= 3
    return final.analysis


def test_decisions_are_events_and_the_view_is_the_latest_per_finding(
    fake_services: Services,
) -> None:
    analysis = analyse(fake_services)
    store, aid = fake_services.store, analysis.analysis_id
    ids = [f.id for f in analysis.findings]
    assert load_review(store, aid)[1].state == "not started"

    decide(store, aid, [ids[0]], "accept", user="Ann")
    decide(store, aid, [ids[1]], "dismiss", reason="acceptable_risk", note="Agreed on the call")
    review = decide(
        store, aid, [ids[2]], "edit", risk="low", recommendation="Ask for 45 days.", user="Bo"
    )
    assert review.state == "in review" and review.progress == f"2 of {len(ids)} decided"
    first, second, third = review.findings[:3]
    assert (first.status, first.decided_by) == ("accepted", "Ann")
    assert (second.status, second.reason, second.note) == (
        "dismissed",
        "acceptable_risk",
        "Agreed on the call",
    )
    assert third.status == "undecided" and third.edited
    assert third.finding.risk == "low" and third.finding.recommendation == "Ask for 45 days."
    assert third.original_risk == analysis.findings[2].risk

    review = decide(store, aid, ["all"], "accept", user="Ann")
    assert review.state == "done" and review.decided == len(ids)
    review = decide(store, aid, [ids[0]], "reopen")
    assert review.state == "in review" and review.findings[0].status == "undecided"

    # Append-only: every event is kept in order, and the analysis itself is as produced.
    assert [d.action for d in store.list_decisions(aid)][:3] == ["accept", "dismiss", "edit"]
    assert len(store.list_decisions(aid)) == 3 + len(ids) + 1
    assert store.load_analysis(aid).findings == analysis.findings


def test_decisions_survive_reopening_the_database(fake_services: Services) -> None:
    analysis = analyse(fake_services)
    decide(fake_services.store, analysis.analysis_id, ["all"], "accept", user="Ann")
    path = Path(fake_services.store.path)
    fake_services.close()
    store = Store(path)
    try:
        assert load_review(store, analysis.analysis_id)[1].state == "done"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("ids", "action", "fields", "message"),
    [
        (["f1"], "dismiss", {}, "say why the finding is dismissed"),
        (["f99"], "accept", {}, "no finding 'f99' in this analysis; its findings are f1"),
        (["f1"], "edit", {}, "an edit needs a new risk or a new recommendation"),
        ([], "accept", {}, "name the findings to decide on"),
    ],
)
def test_decisions_that_cannot_be_taken_are_refused_in_plain_words(
    fake_services: Services, ids: list[str], action: str, fields: dict[str, str], message: str
) -> None:
    analysis = analyse(fake_services)
    with pytest.raises(ReviewError, match=message):
        decide(fake_services.store, analysis.analysis_id, ids, action, **fields)  # type: ignore[arg-type]
    assert fake_services.store.list_decisions(analysis.analysis_id) == []


def test_a_failed_analysis_has_nothing_to_review(fake_services: Services) -> None:
    final = list(run_analysis(fake_services, b"hello world", "hello.txt"))[-1]
    assert isinstance(final, FinalEvent) and final.analysis.status == "failed"
    with pytest.raises(ReviewError, match="failed one; it has no findings to review"):
        decide(fake_services.store, final.analysis.analysis_id, ["all"], "accept")


def test_the_memo_carries_the_decisions_notes_and_edits(fake_services: Services) -> None:
    analysis = analyse(fake_services)
    store, aid = fake_services.store, analysis.analysis_id
    decide(store, aid, ["f1"], "accept", user="Ann Lawyer", note="Raise on Monday")
    decide(store, aid, ["f2"], "dismiss", reason="already_agreed", user="Ann Lawyer")
    decide(store, aid, ["f3"], "edit", recommendation="Payment within 45 days.", user="Ann")
    memo = render_markdown(*load_review(store, aid))

    assert "**Review:** In review: 2 of" in memo
    assert "Accepted by Ann Lawyer on " in memo and "Note: Raise on Monday" in memo
    assert "Dismissed (already agreed) by Ann Lawyer" in memo
    assert "**Recommendation.** Payment within 45 days." in memo
    assert "Not decided yet. Edited by the reviewer." in memo
