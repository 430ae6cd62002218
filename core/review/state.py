"""Fold a finding's decisions, oldest first, into how the reviewer left it."""

from __future__ import annotations

from core.models import Analysis, Decision, Finding
from core.review.model import Review, ReviewedFinding, ReviewState


def reviewed(analysis: Analysis, decisions: list[Decision]) -> Review:
    by_finding: dict[str, list[Decision]] = {}
    for d in decisions:
        by_finding.setdefault(d.finding_id, []).append(d)
    findings = [_fold(f, by_finding.get(f.id, [])) for f in analysis.findings]
    decided = sum(r.status != "undecided" for r in findings)
    return Review(
        analysis_id=analysis.analysis_id,
        state=_state(decided, len(findings), bool(decisions)),
        decided=decided,
        total=len(findings),
        findings=findings,
        decisions=decisions,
    )


def _state(decided: int, total: int, any_decision: bool) -> ReviewState:
    if total and decided == total:
        return "done"
    return "in review" if any_decision else "not started"


def _fold(finding: Finding, events: list[Decision]) -> ReviewedFinding:
    view = ReviewedFinding(finding=finding)
    for d in events:
        if d.action == "accept":
            view.status, view.reason = "accepted", None
        elif d.action == "dismiss":
            view.status, view.reason = "dismissed", d.reason
        elif d.action == "reopen":
            view.status, view.reason = "undecided", None
        _edit(view, d)
        if d.note:
            view.note = d.note
        view.decided_by, view.decided_at = d.user, d.created_at
    return view


def _edit(view: ReviewedFinding, d: Decision) -> None:
    update: dict[str, str] = {}
    if d.risk and d.risk != view.finding.risk:
        view.original_risk = view.original_risk or view.finding.risk
        update["risk"] = d.risk
    if d.recommendation and d.recommendation.strip() != view.finding.recommendation:
        update["recommendation"] = d.recommendation.strip()
    if update:
        view.finding = view.finding.model_copy(update=update)
        view.edited = True
