"""The DuckDB store: every table and every SQL statement of the product live in this package."""

from __future__ import annotations

from core.store.analysis_queries import AnalysisQueries
from core.store.audit_queries import AuditQueries
from core.store.decision_queries import DecisionQueries
from core.store.document_queries import DocumentQueries
from core.store.llm_queries import LLMQueries
from core.store.playbook_queries import PlaybookQueries
from core.store.records import VersionInfo


class Store(
    AnalysisQueries, AuditQueries, DecisionQueries, DocumentQueries, LLMQueries, PlaybookQueries
):
    """One DuckDB file: playbooks and versions, the embedding cache, analyses and their parts,
    the ledger of LLM calls, reviewers' decisions on findings, and the audit log."""


__all__ = ["Store", "VersionInfo"]
