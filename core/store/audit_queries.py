"""SQL for acts that remove something (deleting an analysis), each written to the audit log in
the same transaction as the act itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from core.errors import NotFound, StoreError
from core.store.database import Database
from core.store.records import Row, fetch_all, fetch_one

# Everything stored about one analysis, besides its row in `analyses`. llm_calls stay: they are
# the record of money spent.
_PARTS = ("clauses", "findings", "guardrail_warnings", "verdicts", "decisions")


class AuditQueries(Database):
    def delete_analysis(self, analysis_id: str, user: str | None) -> str:
        """Delete a stored analysis and everything kept with it (its uploaded file too, when no
        other analysis used it), recording who deleted what; returns the document's name."""
        with self.transaction() as cur:
            cur.execute(
                "SELECT a.document_name, a.document_sha256, a.status, a.created_at,"
                " (SELECT count(*) FROM findings f WHERE f.analysis_id = a.id) AS findings,"
                " (SELECT count(*) FROM decisions d WHERE d.analysis_id = a.id) AS decisions"
                " FROM analyses a WHERE a.id = ?",
                [analysis_id],
            )
            row = fetch_one(cur)
            if row is None:
                raise NotFound(f"no stored analysis {analysis_id!r}")
            if row["status"] == "running":
                raise StoreError("this analysis is still running; delete it once it has ended")
            detail: dict[str, Any] = {
                "document_name": row["document_name"],
                "status": row["status"],
                "analysed_at": str(row["created_at"]),
                "findings": int(row["findings"]),
                "decisions": int(row["decisions"]),
            }
            cur.execute(
                "INSERT INTO audit_log VALUES (?, ?, 'delete analysis', ?, ?)",
                [datetime.now(UTC).replace(tzinfo=None), user, analysis_id, json.dumps(detail)],
            )
            for table in _PARTS:
                cur.execute(f"DELETE FROM {table} WHERE analysis_id = ?", [analysis_id])
            cur.execute("DELETE FROM analyses WHERE id = ?", [analysis_id])
            cur.execute(
                "DELETE FROM documents WHERE sha256 = ? AND NOT EXISTS"
                " (SELECT 1 FROM analyses WHERE document_sha256 = ?)",
                [row["document_sha256"], row["document_sha256"]],
            )
        return str(row["document_name"])

    def audit_log(self, limit: int = 100) -> list[Row]:
        """The latest acts, newest first: happened_at, user, action, analysis_id, detail."""
        with self.cursor() as cur:
            cur.execute(
                "SELECT happened_at, user, action, analysis_id, detail FROM audit_log"
                " ORDER BY happened_at DESC LIMIT ?",
                [limit],
            )
            rows = fetch_all(cur)
        return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]
