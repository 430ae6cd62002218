"""SQL for the History (audit) page: every stored analysis, filtered and paginated in DuckDB, so
a page costs the same with ten analyses or a hundred thousand.

`created_at` is stored as naive UTC; date filters are inclusive ranges of UTC days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from core.store.database import INTERRUPTED_MESSAGE, Database
from core.store.records import fetch_all, fetch_one

STATUSES = ("completed", "failed", "interrupted", "running")
PAGE_SIZES = (10, 25, 50, 100)

# A run still marked running in a file opened read-only has no process behind it: DuckDB lets
# a reader in only when no process writes the file, and a writer marks such rows interrupted
# when it opens it. Shown as what it is until then.
_STATUS = "CASE WHEN a.status = 'running' AND $orphaned THEN 'interrupted' ELSE a.status END"
_ERROR = "CASE WHEN a.status = 'running' AND $orphaned THEN $interrupted ELSE a.error END"

# Only the rows of the requested page are joined with their findings and usage.
_FILTERED = (
    "SELECT a.id, a.created_at FROM analyses a"
    " WHERE ($start::TIMESTAMP IS NULL OR a.created_at >= $start::TIMESTAMP)"
    " AND ($stop::TIMESTAMP IS NULL OR a.created_at < $stop::TIMESTAMP)"
    " AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], " + _STATUS + "))"
    " AND (len($versions::VARCHAR[]) = 0"
    "  OR list_contains($versions::VARCHAR[], a.playbook_version_id))"
    " AND (len($risks::VARCHAR[]) = 0 OR EXISTS (SELECT 1 FROM findings f"
    "  WHERE f.analysis_id = a.id AND list_contains($risks::VARCHAR[], f.risk)))"
    " AND (len($playbooks::VARCHAR[]) = 0 OR EXISTS (SELECT 1 FROM playbook_versions pv"
    "  WHERE pv.id = a.playbook_version_id"
    "  AND list_contains($playbooks::VARCHAR[], pv.playbook_name)))"
    # Search: the document's name or a party named in it (case-insensitive, anywhere).
    " AND ($search::VARCHAR IS NULL OR a.document_name ILIKE $search::VARCHAR ESCAPE '\\'"
    "  OR CAST(json_extract(a.key_terms, '$.parties') AS VARCHAR)"
    "  ILIKE $search::VARCHAR ESCAPE '\\')"
)
_USAGE_TOKENS = " + ".join(
    f"coalesce(TRY_CAST(json_extract_string(a.usage, '$.{name}') AS BIGINT), 0)"
    for name in (
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
    )
)
_PAGE = (
    "WITH page AS (" + _FILTERED + " ORDER BY a.created_at DESC, a.id LIMIT $limit OFFSET $offset),"
    " counts AS (SELECT f.analysis_id,"
    "  count(*) FILTER (WHERE f.risk = 'critical') AS critical,"
    "  count(*) FILTER (WHERE f.risk = 'high') AS high,"
    "  count(*) FILTER (WHERE f.risk = 'medium') AS medium,"
    "  count(*) FILTER (WHERE f.risk = 'low') AS low, count(*) AS findings"
    "  FROM findings f JOIN page p ON p.id = f.analysis_id GROUP BY f.analysis_id),"
    # Each finding's latest accept / dismiss / reopen, and who decided last (core/review).
    " latest AS (SELECT d.analysis_id, d.finding_id, max(d.ordinal) AS ordinal,"
    "  arg_max(d.action, d.ordinal) FILTER (WHERE d.action IN ('accept', 'dismiss', 'reopen'))"
    "  AS status, arg_max(d.user, d.ordinal) AS user"
    "  FROM decisions d JOIN page p ON p.id = d.analysis_id GROUP BY ALL),"
    " reviews AS (SELECT analysis_id, count(*) FILTER (WHERE status IN ('accept', 'dismiss'))"
    "  AS decided, arg_max(user, ordinal) AS reviewer FROM latest GROUP BY analysis_id)"
    " SELECT a.id AS analysis_id, a.created_at, a.document_name, v.playbook_name,"
    " v.version AS playbook_version, a.engine, "
    + _STATUS
    + " AS status, "
    + _ERROR
    + " AS error, a.user,"
    " coalesce(c.critical, 0) AS critical, coalesce(c.high, 0) AS high,"
    " coalesce(c.medium, 0) AS medium, coalesce(c.low, 0) AS low,"
    " coalesce(c.findings, 0) AS findings,"
    " (" + _USAGE_TOKENS + ") AS tokens,"
    " coalesce(TRY_CAST(json_extract_string(a.usage, '$.cost_usd') AS DOUBLE), 0) AS cost_usd,"
    " a.duration_ms,"
    " CASE WHEN a.status <> 'completed' THEN NULL WHEN r.analysis_id IS NULL THEN 'not started'"
    "  WHEN r.decided = coalesce(c.findings, 0) THEN 'done' ELSE 'in review' END AS review,"
    " r.reviewer"
    " FROM page p JOIN analyses a ON a.id = p.id"
    " LEFT JOIN playbook_versions v ON v.id = a.playbook_version_id"
    " LEFT JOIN counts c ON c.analysis_id = a.id"
    " LEFT JOIN reviews r ON r.analysis_id = a.id"
    " ORDER BY a.created_at DESC, a.id"
)


@dataclass(frozen=True)
class HistoryFilter:
    start: date | None = None  # first UTC day, inclusive
    end: date | None = None  # last UTC day, inclusive
    statuses: tuple[str, ...] = ()  # empty: any
    version_ids: tuple[str, ...] = ()  # playbook versions, e.g. "default-customer@v2"; empty: any
    risks: tuple[str, ...] = ()  # with at least one finding at one of these risks; empty: any
    playbooks: tuple[str, ...] = ()  # playbook names, any version; empty: any
    search: str = ""  # part of the document's name or of a party's name; empty: any

    def params(self) -> dict[str, Any]:
        return {
            "start": datetime.combine(self.start, time.min) if self.start else None,
            "stop": datetime.combine(self.end + timedelta(days=1), time.min) if self.end else None,
            "statuses": list(self.statuses),
            "versions": list(self.version_ids),
            "risks": list(self.risks),
            "playbooks": list(self.playbooks),
            "search": _like(self.search) if self.search.strip() else None,
        }


def _params(db: Database, filters: HistoryFilter) -> dict[str, Any]:
    """The filter's parameters and whether runs still marked running are orphans."""
    return {**filters.params(), "orphaned": db.read_only}


def _like(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class HistoryPage:
    """One page of analyses, newest first. Columns of `rows`: analysis_id, created_at,
    document_name, playbook_name, playbook_version, engine, status, error, user (who ran it,
    when sign-in is on), critical, high, medium, low, findings, tokens, cost_usd, duration_ms,
    review (not started / in review / done; None unless completed), reviewer (who decided last)."""

    rows: pd.DataFrame
    total: int  # analyses matching the filter, on all pages
    page: int  # 1-based; clamped to the pages that exist
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


@dataclass(frozen=True)
class HistoryOptions:
    """What the filters can offer: the days with analyses and the playbook versions used."""

    first_day: date | None
    last_day: date | None
    versions: dict[str, str] = field(default_factory=dict)  # version id -> "name vN"
    has_users: bool = False  # some analysis records who ran it (the dashboard had sign-in)


def count_analyses(db: Database, filters: HistoryFilter) -> int:
    with db.cursor() as cur:
        cur.execute(f"SELECT count(*) AS analyses FROM ({_FILTERED})", _params(db, filters))
        row = fetch_one(cur)
    return int(row["analyses"]) if row else 0


def history_page(
    db: Database, filters: HistoryFilter, page: int = 1, page_size: int = 25
) -> HistoryPage:
    """The analyses matching `filters`, newest first, `page_size` at a time."""
    page_size = max(1, page_size)
    total = count_analyses(db, filters)
    page = min(max(1, page), max(1, math.ceil(total / page_size)))
    rows = history_rows(db, filters, page_size, (page - 1) * page_size)
    return HistoryPage(rows=rows, total=total, page=page, page_size=page_size)


def history_rows(db: Database, filters: HistoryFilter, limit: int, offset: int) -> pd.DataFrame:
    """`limit` analyses matching `filters` from `offset`, newest first (columns: HistoryPage)."""
    params = {**_params(db, filters), "limit": limit, "offset": offset}
    params["interrupted"] = INTERRUPTED_MESSAGE  # an orphan's error, as a writer would set it
    with db.cursor() as cur:
        return cur.execute(_PAGE, params).df()


def history_options(db: Database) -> HistoryOptions:
    with db.cursor() as cur:
        cur.execute(
            "SELECT min(a.created_at)::DATE AS first_day, max(a.created_at)::DATE AS last_day,"
            " coalesce(bool_or(a.user IS NOT NULL), false) AS has_users FROM analyses a"
        )
        bounds = fetch_one(cur) or {"first_day": None, "last_day": None, "has_users": False}
        cur.execute(
            "SELECT v.id, v.playbook_name, v.version FROM playbook_versions v"
            " WHERE v.id IN (SELECT DISTINCT playbook_version_id FROM analyses)"
            " ORDER BY v.playbook_name, v.version"
        )
        versions = fetch_all(cur)
    return HistoryOptions(
        first_day=bounds["first_day"],
        last_day=bounds["last_day"],
        versions={v["id"]: f"{v['playbook_name']} v{v['version']}" for v in versions},
        has_users=bool(bounds["has_users"]),
    )
