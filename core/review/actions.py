"""Take decisions on an analysis's findings: validated, then appended as events."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import ReviewError
from core.models import Action, Analysis, Decision, DismissReason, RiskLevel
from core.review.model import Review
from core.review.state import reviewed
from core.store import Store

ALL = "all"
_STATUS_WORDS = {
    "failed": "a failed one",
    "interrupted": "an interrupted one",
    "running": "still running",
}


def load_review(store: Store, analysis_id: str) -> tuple[Analysis, Review]:
    """The stored analysis and its reviewed view (latest decision on each finding)."""
    analysis = store.load_analysis(analysis_id)
    return analysis, reviewed(analysis, store.list_decisions(analysis_id))


def decide(
    store: Store,
    analysis_id: str,
    finding_ids: Sequence[str],
    action: Action,
    *,
    reason: DismissReason | None = None,
    note: str | None = None,
    risk: RiskLevel | None = None,
    recommendation: str | None = None,
    user: str | None = None,
) -> Review:
    """Record one decision per named finding (`all`: every finding) and return the new view."""
    analysis = store.load_analysis(analysis_id)
    if analysis.status != "completed":
        raise ReviewError(
            f"this analysis is {_STATUS_WORDS[analysis.status]}; it has no findings to review"
        )
    ids = _finding_ids(analysis, finding_ids)
    if action == "dismiss" and reason is None:
        raise ReviewError(
            "say why the finding is dismissed: false alarm, acceptable risk or already agreed"
        )
    if action == "edit" and not (risk or (recommendation and recommendation.strip())):
        raise ReviewError("an edit needs a new risk or a new recommendation")
    note = note.strip() if note and note.strip() else None
    if action == "note" and note is None:
        raise ReviewError("the note is empty")
    decisions = [
        Decision(
            analysis_id=analysis.analysis_id,
            finding_id=fid,
            action=action,
            reason=reason if action == "dismiss" else None,
            risk=risk if action == "edit" else None,
            recommendation=recommendation if action == "edit" else None,
            note=note,
            user=user,
        )
        for fid in ids
    ]
    store.add_decisions(analysis.analysis_id, decisions)
    return reviewed(analysis, store.list_decisions(analysis.analysis_id))


def _finding_ids(analysis: Analysis, wanted: Sequence[str]) -> list[str]:
    known = [f.id for f in analysis.findings]
    if not known:
        raise ReviewError("this analysis has no findings to decide on")
    if ALL in wanted:
        return known
    unknown = [fid for fid in wanted if fid not in known]
    if unknown:
        raise ReviewError(
            f"no finding {', '.join(map(repr, unknown))} in this analysis;"
            f" its findings are {', '.join(known)}"
        )
    if not wanted:
        raise ReviewError("name the findings to decide on, or `all`")
    return list(dict.fromkeys(wanted))
