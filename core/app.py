"""The dashboard's one door into core: the few functions and types a page needs to run an
analysis, read history, read insights and manage playbooks. Pages import nothing else from core
(ruff's TID251 rule in pages/ruff.toml); everything behind this module may change shape without
touching a page. Functions take the process's `Services` handle (see `open_services`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from core import guards
from core.doctype.detect import KIND_PLURALS
from core.documents.messages import size_text
from core.engine.base import Engine
from core.engine.factory import available_engines
from core.errors import ContractAnalyzerError
from core.models import (
    RISK_ORDER,
    Action,
    Analysis,
    Clause,
    ContractKind,
    Finding,
    InputWarning,
    Verdict,
)
from core.pipeline import runner
from core.pipeline.events import Event, FinalEvent, FindingEvent, StatusEvent, WarningEvent
from core.pipeline.limits import RateLimiter, limits_text
from core.pipeline.preview import Preview, preview_cost
from core.pipeline.samples import Sample, SampleProgress, analyse_samples, list_samples, read_sample
from core.pipeline.services import Services, open_services
from core.playbooks import editing
from core.playbooks.diff import RuleChange, diff_playbooks
from core.playbooks.editing import EditCheck, EditResult, read_upload
from core.playbooks.library import parse_playbook
from core.playbooks.schema import Check, ClauseRule, Playbook
from core.portfolio import comparison, insights
from core.portfolio.comparison import STATUS_TITLES, Comparison, FindingChange, rerun
from core.portfolio.insights import BUCKET_DAYS, RISKS, DataExtent, DateRange, Insights
from core.redline import exports as redline_exports
from core.redline.result import Redline
from core.reports.exports import analysis_json, findings_csv
from core.reports.render import (
    VERDICT_WORDS,
    checks_summary,
    key_term_rows,
    render_markdown,
    risk_summary,
    sorted_findings,
    verdict_standing,
)
from core.reports.wording import guardrail_words, match_words, rule_words
from core.review import actions as review_actions
from core.review import learning
from core.review.model import REASON_WORDS, STATE_WORDS, Review, ReviewedFinding
from core.settings import Settings
from core.store import VersionInfo, comparison_queries, history_queries
from core.store.comparison_queries import AnalysedDocument, DocumentAnalysis
from core.store.history_queries import (
    PAGE_SIZES,
    STATUSES,
    HistoryFilter,
    HistoryOptions,
    HistoryPage,
)
from core.vectors.embeddings import SentenceTransformerEmbedder

__all__ = [
    "BUCKET_DAYS",
    "PAGE_SIZES",
    "REASON_WORDS",
    "RISKS",
    "RISK_ORDER",
    "STATE_WORDS",
    "STATUSES",
    "STATUS_TITLES",
    "VERDICT_WORDS",
    "Action",
    "AnalysedDocument",
    "Analysis",
    "Check",
    "Clause",
    "ClauseRule",
    "Comparison",
    "ContractAnalyzerError",
    "DataExtent",
    "DateRange",
    "DocumentAnalysis",
    "EditCheck",
    "EditResult",
    "Engine",
    "Event",
    "FinalEvent",
    "Finding",
    "FindingChange",
    "FindingEvent",
    "HistoryFilter",
    "HistoryOptions",
    "HistoryPage",
    "InputWarning",
    "Insights",
    "Playbook",
    "Preview",
    "RateLimiter",
    "Redline",
    "Review",
    "ReviewedFinding",
    "RuleChange",
    "Sample",
    "SampleProgress",
    "SentenceTransformerEmbedder",
    "Services",
    "Settings",
    "StatusEvent",
    "Verdict",
    "VersionInfo",
    "WarningEvent",
    "accept_wording",
    "accept_wording_note",
    "analyse_samples",
    "analysed_documents",
    "analysis_json",
    "check_playbook_edit",
    "checks_summary",
    "compare_analyses",
    "contract_kind_names",
    "create_playbook_version",
    "data_extent",
    "decide",
    "delete_analysis",
    "describe_input_warning",
    "diff_playbooks",
    "document_analyses",
    "engines",
    "findings_csv",
    "guardrail_words",
    "has_analyses",
    "history_options",
    "history_page",
    "input_headline",
    "input_hidden",
    "key_term_rows",
    "limits_text",
    "list_playbooks",
    "list_samples",
    "load_analysis",
    "load_insights",
    "load_review",
    "match_words",
    "open_services",
    "parse_playbook",
    "playbook_versions",
    "preview_cost",
    "publish_playbook_version",
    "read_sample",
    "read_upload",
    "redline_docx",
    "render_markdown",
    "rerun",
    "review_memo",
    "risk_summary",
    "rule_words",
    "run_analysis",
    "save_check",
    "size_text",
    "sorted_findings",
    "verdict_standing",
]


# --- analyse ------------------------------------------------------------------------------------
def run_analysis(
    services: Services,
    data: bytes,
    filename: str,
    playbook: str | None = None,
    engine: Engine | None = None,
    user: str | None = None,
) -> Iterator[Event]:
    """Analyse and store one document as a stream of events ending with a `FinalEvent`."""
    return runner.run(services, data, filename, playbook, engine=engine, user=user)


def engines(services: Services) -> dict[str, Engine]:
    """The engines a user may pick, best first (Claude only when a key is configured)."""
    return available_engines(services.settings, services.store, services.engine)


def contract_kind_names(kind: str) -> str:
    """A contract kind a playbook declares (`saas`), in plain words ("SaaS or cloud services
    agreements")."""
    return KIND_PLURALS.get(cast(ContractKind, kind), kind)


def describe_input_warning(warning: InputWarning) -> str:
    """What the input guard noticed, in plain words."""
    return guards.describe(warning)


def input_headline(warnings: list[InputWarning]) -> str | None:
    """The input guard's verdict in one sentence, the same in every report; None when clean."""
    return guards.headline(warnings)


def input_hidden(warnings: list[InputWarning]) -> bool:
    """Whether hidden content was found (the only case said to look tampered with)."""
    return guards.tampered(warnings)


# --- history ------------------------------------------------------------------------------------
def has_analyses(services: Services) -> bool:
    return history_queries.count_analyses(services.store, HistoryFilter()) > 0


def history_options(services: Services) -> HistoryOptions:
    return history_queries.history_options(services.store)


def history_page(
    services: Services, filters: HistoryFilter, page: int = 1, page_size: int = 25
) -> HistoryPage:
    return history_queries.history_page(services.store, filters, page, page_size)


def delete_analysis(services: Services, analysis_id: str, user: str | None) -> str:
    """Delete a stored analysis and all kept with it, recorded in the audit log; its name."""
    return services.store.delete_analysis(analysis_id, user)


def load_analysis(services: Services, analysis_id: str) -> Analysis:
    """One stored analysis exactly as it was produced."""
    return services.store.load_analysis(analysis_id)


# --- review -------------------------------------------------------------------------------------
def load_review(services: Services, analysis_id: str) -> Review:
    """The analysis as reviewed so far: each finding with its latest decision."""
    return review_actions.load_review(services.store, analysis_id)[1]


def decide(
    services: Services,
    analysis_id: str,
    finding_ids: list[str],
    action: Action,
    **fields: Any,
) -> Review:
    """Record a decision (accept, dismiss with a reason, edit, reopen, note) on findings."""
    return review_actions.decide(services.store, analysis_id, finding_ids, action, **fields)


def accept_wording(services: Services, analysis_id: str, finding_id: str, note: str) -> EditResult:
    """Make a finding dismissed as acceptable risk accepted wording of its playbook position, in
    the playbook's next version, so the same wording is not flagged again."""
    return learning.accept_wording(services.store, analysis_id, finding_id, note)


def accept_wording_note(document: str, position: str) -> str:
    """The change note offered for `accept_wording`."""
    return learning.default_note(document, position)


def redline_docx(services: Services, analysis_id: str, author: str | None = None) -> Redline:
    """The accepted findings as tracked changes and comments in a Word document."""
    name = author or services.settings.reviewer or None
    return redline_exports.redline(services.store, analysis_id, name)


def review_memo(services: Services, analysis_id: str) -> str:
    """The Markdown memo with the decisions taken so far."""
    return redline_exports.memo(services.store, analysis_id)


# --- insights -----------------------------------------------------------------------------------
def data_extent(services: Services) -> DataExtent:
    return insights.data_extent(services.store)


def load_insights(services: Services, selected: DateRange) -> Insights:
    return insights.load_insights(services.store, selected)


# --- playbooks ----------------------------------------------------------------------------------
def list_playbooks(services: Services) -> list[dict[str, Any]]:
    """Each stored playbook: name, title, versions, latest, updated_at."""
    return services.store.list_playbooks()


def playbook_versions(services: Services, name: str) -> list[VersionInfo]:
    """A playbook's immutable versions, oldest first."""
    return services.store.list_versions(name)


def check_playbook_edit(services: Services, content: str) -> EditCheck:
    return editing.check_edit(services.store, content)


def create_playbook_version(services: Services, content: str, note: str) -> EditResult:
    return editing.create_version(services.store, content, note)


def publish_playbook_version(services: Services, version_id: str) -> VersionInfo:
    """Make a draft version the one analyses use when they name no version."""
    return services.store.publish_version(version_id)


def save_check(
    services: Services,
    content: str,
    fields: dict[str, object],
    replaces: str | None,
    note: str,
) -> EditResult:
    """A new version of the playbook `content` with the check from a form's `fields` in place of
    the check `replaces` (or added when None)."""
    check = editing.build_check(fields)
    return editing.create_version(
        services.store, editing.with_check(content, check, replaces), note
    )


def analysed_documents(services: Services) -> list[AnalysedDocument]:
    return comparison_queries.analysed_documents(services.store)


def document_analyses(services: Services, sha256: str) -> list[DocumentAnalysis]:
    return comparison_queries.document_analyses(services.store, sha256)


def compare_analyses(services: Services, before_id: str, after_id: str) -> Comparison:
    return comparison.compare_analyses(services.store, before_id, after_id)
