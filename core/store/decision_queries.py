"""SQL for a reviewer's decisions on findings: appended in order, read back oldest first."""

from __future__ import annotations

from datetime import UTC, datetime

from core.models import Decision
from core.store.database import Database
from core.store.records import fetch_all

_COLUMNS = "finding_id, action, reason, risk, recommendation, note, user"


class DecisionQueries(Database):
    def add_decisions(self, analysis_id: str, decisions: list[Decision]) -> None:
        """Append decisions in one transaction, numbered after the analysis's last one."""
        if not decisions:
            return
        rows = [
            [d.finding_id, d.action, d.reason, d.risk, d.recommendation, d.note, d.user]
            for d in decisions
        ]
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows))
        now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC, like analyses
        with self.transaction() as cur:
            cur.execute(
                "SELECT coalesce(max(ordinal), 0) FROM decisions WHERE analysis_id = ?",
                [analysis_id],
            )
            last = int(cur.fetchone()[0])  # type: ignore[index]
            params = [
                value
                for i, row in enumerate(rows, 1)
                for value in (analysis_id, last + i, *row, now)
            ]
            cur.execute(
                f"INSERT INTO decisions (analysis_id, ordinal, {_COLUMNS}, created_at)"
                f" VALUES {values}",
                params,
            )

    def list_decisions(self, analysis_id: str) -> list[Decision]:
        """Every decision on the analysis, oldest first."""
        with self.cursor() as cur:
            cur.execute(
                f"SELECT analysis_id, {_COLUMNS}, strftime(created_at, '%Y-%m-%dT%H:%M:%S')"
                " AS created_at FROM decisions WHERE analysis_id = ? ORDER BY ordinal",
                [analysis_id],
            )
            rows = fetch_all(cur)
        return [Decision(**{k: v for k, v in row.items() if v is not None}) for row in rows]
