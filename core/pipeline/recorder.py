"""The only writer of the analysis a run builds: every change to the `Analysis` under
construction, and to its rows in the store, goes through one `Recorder`. The stages read what they
need from it (its id, input warnings, findings so far) and hand it what they produced."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Literal

from core import guards
from core.clauses.segment import Segment
from core.documents import LoadedDocument
from core.engine.base import Engine
from core.errors import ContractAnalyzerError
from core.models import (
    Analysis,
    Clause,
    ContractType,
    DocumentInfo,
    Finding,
    GuardrailWarning,
    InputWarning,
    KeyTerms,
    LLMCall,
    PlaybookRef,
    Verdict,
)
from core.pipeline.events import (
    ErrorEvent,
    Event,
    FinalEvent,
    FindingEvent,
    Stage,
    StatusEvent,
    WarningEvent,
)
from core.pipeline.services import Services
from core.reports.wording import guardrail_words
from core.store import VersionInfo

TimedStage = Literal["load", "extract", "embed", "retrieve", "analyze"]


class Recorder:
    def __init__(
        self,
        services: Services,
        engine: Engine,
        filename: str,
        playbook: str,
        store: bool,
        user: str | None,
    ) -> None:
        """A new analysis of `filename` under the playbook spec `playbook`; with `store`, its
        rows are written as it grows, so an interrupted run keeps what it found."""
        settings = services.settings
        self.services = services
        self.engine = engine
        self._store = store
        self._started = time.perf_counter()
        self._findings: list[Finding] = []
        self._dropped = 0  # findings the guardrails refused (their warnings say "dropped-N")
        self._row_written = False
        self._finished = False
        self._progress = 0.0  # never reported lower than before
        self._analysis = Analysis(
            analysis_id=uuid.uuid4().hex,
            status="running",
            created_at=datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds"),
            document=DocumentInfo(name=filename, sha256="", chars=0, text=""),
            engine=engine.name,
            parameters={
                "playbook": playbook,
                "top_k": settings.top_k,
                "label_threshold": settings.label_threshold,
                "max_clause_chars": settings.max_clause_chars,
                "embedding_model": services.embedder.model_id,
            },
            user=user,
        )

    # What the stages read.
    @property
    def analysis_id(self) -> str:
        return self._analysis.analysis_id

    @property
    def input_warnings(self) -> list[InputWarning]:
        return list(self._analysis.input_warnings)

    @property
    def findings(self) -> list[Finding]:
        """The findings accepted so far, in the order they were emitted (a copy)."""
        return list(self._findings)

    def next_finding_id(self, pending: int) -> str:
        """The id the next finding gets, with `pending` findings accepted but not yet recorded."""
        return f"f{len(self._findings) + pending + 1}"

    # Progress.
    def ms_since(self, t0: float) -> float:
        return round((time.perf_counter() - t0) * 1000, 1)

    def add_time(self, stage: TimedStage, t0: float) -> None:
        """Count the time since `t0` towards `stage` in the analysis's timings."""
        timings = self._analysis.timings_ms
        setattr(timings, stage, getattr(timings, stage) + self.ms_since(t0))

    def status(
        self, stage: Stage, message: str, done: int = 0, total: int = 0, progress: float = 0.0
    ) -> StatusEvent:
        self._progress = max(self._progress, min(progress, 1.0))
        return StatusEvent(
            analysis_id=self.analysis_id,
            stage=stage,
            message=message,
            done=done,
            total=total,
            progress=self._progress,
        )

    # What the stages produced.
    def use_playbook(self, version: VersionInfo, name: str) -> None:
        """The playbook version this analysis applies (set before the analysis row is stored)."""
        self._analysis.playbook = PlaybookRef(
            name=name, version=version.version, version_id=version.id
        )

    def read_document(
        self,
        doc: LoadedDocument,
        data: bytes,
        input_warnings: list[InputWarning],
        load_ms: float,
    ) -> Iterator[WarningEvent]:
        """The document is read: keep what it is, store its bytes and the analysis row, and
        say what the reader and the input guard noticed."""
        analysis = self._analysis
        analysis.document = DocumentInfo(
            name=analysis.document.name,
            sha256=doc.sha256,
            chars=len(doc.text),
            pages=doc.pages,
            text=doc.text,
            format=doc.format,
            warnings=list(doc.warnings),  # a copy: notes are added to it, never to the cache
        )
        self._analysis.timings_ms.load += load_ms
        analysis.input_warnings = list(input_warnings)
        if self._store:
            self.services.store.save_document(doc.sha256, analysis.document.name, data)
            self.services.store.start_analysis(analysis)
            self._row_written = True
        for message in doc.warnings:
            yield WarningEvent(analysis_id=self.analysis_id, kind="document", message=message)
        for warning in input_warnings:
            yield WarningEvent(
                analysis_id=self.analysis_id, kind=warning.kind, message=guards.describe(warning)
            )

    def set_key_terms(self, terms: KeyTerms) -> None:
        self._analysis.key_terms = terms

    def set_contract_type(self, found: ContractType) -> None:
        self._analysis.contract_type = found

    def set_verdicts(self, verdicts: list[Verdict]) -> None:
        self._analysis.verdicts = list(verdicts)
        if self._store:
            self.services.store.add_verdicts(self.analysis_id, verdicts)

    def note(self, kind: str, message: str) -> WarningEvent:
        """Something about the document the reviewer should read first (kept with its warnings)."""
        self._analysis.document.warnings.append(message)
        return WarningEvent(analysis_id=self.analysis_id, kind=kind, message=message)

    def save_clauses(self, batch: Sequence[Segment], positions: list[int]) -> None:
        if self._store:
            self.services.store.save_clauses(self.analysis_id, [s.clause for s in batch], positions)

    def record_call(self, call: LLMCall) -> None:
        """A Claude call: into the analysis's usage and the ledger."""
        self._analysis.usage.add(call)
        if self._store:
            self.services.store.add_llm_call(self.analysis_id, call)

    def warn(self, warning: GuardrailWarning) -> WarningEvent:
        """Store a guardrail warning; its event says it in the words every report uses."""
        analysis = self._analysis
        analysis.guardrail_warnings.append(warning)
        if self._store:
            self.services.store.add_guardrail_warning(
                self.analysis_id, len(analysis.guardrail_warnings), warning
            )
        return WarningEvent(
            analysis_id=self.analysis_id,
            kind=warning.kind,
            message=guardrail_words(warning),
            guardrail=warning,
        )

    def drop(self, warning: GuardrailWarning) -> WarningEvent:
        """A finding the guardrails refused: never stored, so its warning names it dropped-N
        rather than the id the next stored finding gets."""
        self._dropped += 1
        warning = warning.model_copy(update={"finding_id": f"dropped-{self._dropped}"})
        return self.warn(warning)

    def accept(self, accepted: list[Finding]) -> Iterator[FindingEvent]:
        """Grounded findings: stored in one insert before any of them is shown."""
        if not accepted:
            return
        if self._store:
            self.services.store.add_findings(self.analysis_id, len(self._findings) + 1, accepted)
        self._findings += accepted
        timings = self._analysis.timings_ms
        if timings.first_finding is None:
            timings.first_finding = self.ms_since(self._started)
        for finding in accepted:
            yield FindingEvent(analysis_id=self.analysis_id, finding=finding)

    # How it ends.
    def complete(self, clauses: list[Clause]) -> Iterator[Event]:
        analysis = self._analysis
        analysis.clauses = clauses
        analysis.findings = list(self._findings)
        analysis.status = "completed"
        analysis.timings_ms.total = self.ms_since(self._started)
        if self._store:
            self.services.store.finish_analysis(analysis)
        self._finished = True
        count = len(self._findings)
        yield self.status("finalize", f"{count} findings", count, count, 1.0)
        yield FinalEvent(analysis_id=self.analysis_id, analysis=analysis)

    def fail(self, kind: str, message: str) -> Iterator[Event]:
        analysis = self._analysis
        analysis.status = "failed"
        analysis.error = message
        analysis.findings = list(self._findings)
        analysis.timings_ms.total = self.ms_since(self._started)
        if self._store:
            store = self.services.store
            try:
                if not self._row_written:
                    store.start_analysis(analysis)
                store.finish_analysis(analysis)
            except ContractAnalyzerError:
                pass  # the store itself failed; the error event below still tells the user
        self._finished = True
        yield ErrorEvent(analysis_id=self.analysis_id, kind=kind, message=message)
        yield FinalEvent(analysis_id=self.analysis_id, analysis=analysis)

    def interrupt(self) -> None:
        """The consumer stopped listening (closed page, Ctrl-C): keep what was found, say so."""
        if self._store and self._row_written and not self._finished:
            self.services.store.interrupt_analysis(
                self.analysis_id, "stopped before it finished (cancelled)"
            )
