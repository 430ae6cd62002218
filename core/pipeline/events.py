"""Typed events that `pipeline.run` yields; the CLI and the dashboard render exactly these."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.models import Analysis, Finding, GuardrailWarning

Stage = Literal["load", "extract", "label", "analyze", "finalize"]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")
    analysis_id: str


class StatusEvent(_Event):
    type: Literal["status"] = "status"
    stage: Stage
    message: str
    done: int = 0
    total: int = 0
    progress: float = Field(0.0, ge=0.0, le=1.0, description="overall progress of the run")


class FindingEvent(_Event):
    type: Literal["partial_finding"] = "partial_finding"
    finding: Finding


class WarningEvent(_Event):
    type: Literal["warning"] = "warning"
    kind: str
    message: str
    guardrail: GuardrailWarning | None = None


class ErrorEvent(_Event):
    type: Literal["error"] = "error"
    kind: str
    message: str


class FinalEvent(_Event):
    type: Literal["final"] = "final"
    analysis: Analysis


Event = Annotated[
    StatusEvent | FindingEvent | WarningEvent | ErrorEvent | FinalEvent,
    Field(discriminator="type"),
]
