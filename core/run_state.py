"""What one analysis run carries between its stages: services, the analysis being built, the
engine judging it, the findings so far, and monotonic progress."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from core.engine.base import Engine
from core.events import Stage, StatusEvent
from core.models import Analysis, Finding
from core.services import Services


@dataclass
class RunState:
    services: Services
    analysis: Analysis
    store: bool
    engine: Engine
    started: float = field(default_factory=time.perf_counter)
    findings: list[Finding] = field(default_factory=list)
    dropped: int = 0  # findings the guardrails refused (their warnings say "dropped-N")
    row_written: bool = False
    finished: bool = False
    progress: float = 0.0  # never reported lower than before

    def ms_since(self, t0: float) -> float:
        return round((time.perf_counter() - t0) * 1000, 1)

    def status(
        self, stage: Stage, message: str, done: int = 0, total: int = 0, progress: float = 0.0
    ) -> StatusEvent:
        self.progress = max(self.progress, min(progress, 1.0))
        return StatusEvent(
            analysis_id=self.analysis.analysis_id,
            stage=stage,
            message=message,
            done=done,
            total=total,
            progress=self.progress,
        )
