"""SQL for comparing analyses: the documents that were analysed, and one document's analyses
with the playbook version each ran under (newest first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.store import Store
from core.store.records import fetch_records


@dataclass(frozen=True)
class AnalysedDocument:
    sha256: str
    name: str  # the name it was last analysed under
    analyses: int  # completed analyses
    last_analysed: datetime
    original_stored: bool  # the uploaded bytes are kept, so it can be re-run


@dataclass(frozen=True)
class DocumentAnalysis:
    analysis_id: str
    created_at: datetime
    status: str
    playbook_name: str | None
    playbook_version: int | None
    version_id: str | None
    engine: str
    findings: int

    @property
    def label(self) -> str:
        version = (
            f"{self.playbook_name} v{self.playbook_version}" if self.version_id else "no playbook"
        )
        return f"{version} · {self.created_at:%Y-%m-%d %H:%M:%S} · {self.findings} findings"


def analysed_documents(store: Store, limit: int = 500) -> list[AnalysedDocument]:
    """Documents with at least one completed analysis, most recently analysed first."""
    with store.cursor() as cur:
        cur.execute(
            "SELECT a.document_sha256 AS sha256, arg_max(a.document_name, a.created_at) AS name,"
            " count(*) AS analyses, max(a.created_at) AS last_analysed,"
            " bool_or(d.sha256 IS NOT NULL) AS original_stored"
            " FROM analyses a LEFT JOIN documents d ON d.sha256 = a.document_sha256"
            " WHERE a.status = 'completed' AND coalesce(a.document_sha256, '') <> ''"
            " GROUP BY a.document_sha256 ORDER BY max(a.created_at) DESC, 1 LIMIT ?",
            [limit],
        )
        return fetch_records(cur, AnalysedDocument)


def document_analyses(
    store: Store, sha256: str, completed_only: bool = True
) -> list[DocumentAnalysis]:
    """One document's analyses with their playbook versions and finding counts, newest first."""
    with store.cursor() as cur:
        cur.execute(
            "SELECT a.id AS analysis_id, a.created_at, a.status, v.playbook_name,"
            " v.version AS playbook_version, v.id AS version_id, a.engine,"
            " (SELECT count(*) FROM findings f WHERE f.analysis_id = a.id) AS findings"
            " FROM analyses a LEFT JOIN playbook_versions v ON v.id = a.playbook_version_id"
            " WHERE a.document_sha256 = ? AND (NOT ? OR a.status = 'completed')"
            " ORDER BY a.created_at DESC, a.id",
            [sha256, completed_only],
        )
        return fetch_records(cur, DocumentAnalysis)
