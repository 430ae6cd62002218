"""Decisions a reviewer takes on findings, and the reviewed view of an analysis.

A decision is an event: it is appended, never changed, and the analysis it is about stays exactly
as produced. The reviewed view is the analysis plus the latest decision on each finding.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.models import Decision, DismissReason, Finding, Model, RiskLevel

Status = Literal["undecided", "accepted", "dismissed"]
ReviewState = Literal["not started", "in review", "done"]

REASON_WORDS: dict[str, str] = {
    "false_alarm": "false alarm",
    "acceptable_risk": "acceptable risk",
    "already_agreed": "already agreed",
}
STATE_WORDS: dict[str, str] = {
    "not started": "Not started",
    "in review": "In review",
    "done": "Done",
}


class ReviewedFinding(Model):
    """A finding as the reviewer left it: the produced finding with edits applied."""

    finding: Finding  # risk and recommendation as edited, when edited
    status: Status = "undecided"
    reason: DismissReason | None = None
    note: str | None = None
    edited: bool = False
    original_risk: RiskLevel | None = None  # set when the reviewer changed the risk
    decided_by: str | None = None
    decided_at: str | None = None


class Review(Model):
    analysis_id: str
    state: ReviewState
    decided: int
    total: int
    findings: list[ReviewedFinding] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)  # every event, oldest first

    @property
    def progress(self) -> str:
        return f"{self.decided} of {self.total} decided"
