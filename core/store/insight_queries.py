"""SQL for the Insights dashboard: every aggregate is computed in DuckDB, so the result sizes
depend on the number of buckets and categories asked for, never on the number of stored rows.

Each function takes the store and an inclusive range of UTC dates (`created_at` is stored as
naive UTC), and returns a small pandas DataFrame or a few numbers.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

from core.models import Timings
from core.store.database import Database
from core.store.records import fetch_one

Bucket = Literal["day", "week", "month"]

OTHER = "(all other)"

# Anthropic bills prompt-cache reads at 0.1x and 5-minute cache writes at 1.25x the model's
# base input price, and output at 5x it for every current Claude model. llm_calls keeps the
# cost of each call but not the price table behind it, so the base input price is recovered
# from the cost: cost = input_price * (input + 1.25*cache_write + 0.1*cache_read + 5*output).
CACHE_READ_MULTIPLIER = 0.1
CACHE_WRITE_MULTIPLIER = 1.25
OUTPUT_MULTIPLIER = 5.0

# Per call: what the cache reads would have cost as plain input, minus what they did cost.
_SAVINGS = (
    "(cache_read_input_tokens * (1 - $read) * cost_usd"
    " / nullif(input_tokens + $write * cache_creation_input_tokens"
    " + $read * cache_read_input_tokens + $output * output_tokens, 0))"
)
_PRICE_PARAMS = {
    "read": CACHE_READ_MULTIPLIER,
    "write": CACHE_WRITE_MULTIPLIER,
    "output": OUTPUT_MULTIPLIER,
}


_STAGE_FIELDS = tuple(Timings.model_fields)
_STAGE_TYPES = json.dumps(dict.fromkeys(_STAGE_FIELDS, "DOUBLE"))


def _span(start: date, end: date) -> dict[str, datetime]:
    """Half-open timestamp bounds for an inclusive range of days (the created_at index applies)."""
    return {
        "start": datetime.combine(start, time.min),
        "stop": datetime.combine(end + timedelta(days=1), time.min),
    }


def _frame(db: Database, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    with db.cursor() as cur:
        return cur.execute(sql, params).df()


def analysis_date_bounds(db: Database) -> tuple[date, date] | None:
    """First and last day with a stored analysis, or None when there is none."""
    with db.cursor() as cur:
        cur.execute(
            "SELECT min(created_at)::DATE AS first, max(created_at)::DATE AS last FROM analyses"
        )
        row = fetch_one(cur)
    if row is None or row["first"] is None:
        return None
    return row["first"], row["last"]


def analysis_totals(db: Database, start: date, end: date) -> dict[str, int]:
    """Analyses (by outcome) and findings (by the two worst risks) in the range."""
    sql = (
        "WITH a AS (SELECT id, status FROM analyses"
        " WHERE created_at >= $start AND created_at < $stop),"
        " f AS (SELECT f.risk FROM findings f JOIN a ON a.id = f.analysis_id)"
        " SELECT (SELECT count(*) FROM a) AS analyses,"
        " (SELECT count(*) FROM a WHERE status = 'completed') AS completed,"
        " (SELECT count(*) FROM a WHERE status IN ('failed', 'interrupted')) AS failed,"
        " (SELECT count(*) FROM f) AS findings,"
        " (SELECT count(*) FROM f WHERE risk = 'critical') AS critical,"
        " (SELECT count(*) FROM f WHERE risk = 'high') AS high"
    )
    with db.cursor() as cur:
        cur.execute(sql, _span(start, end))
        row = fetch_one(cur) or {}
    return {name: int(value or 0) for name, value in row.items()}


def findings_by_risk_over_time(
    db: Database, start: date, end: date, bucket: Bucket
) -> pd.DataFrame:
    """Columns: bucket (first day of the day/week/month), risk, findings."""
    sql = (
        "SELECT date_trunc($bucket, a.created_at)::DATE AS bucket, f.risk, count(*) AS findings"
        " FROM findings f JOIN analyses a ON a.id = f.analysis_id"
        " WHERE a.created_at >= $start AND a.created_at < $stop"
        " GROUP BY ALL ORDER BY bucket, f.risk"
    )
    return _frame(db, sql, {**_span(start, end), "bucket": bucket})


def findings_by_clause_type_and_risk(
    db: Database, start: date, end: date, top_n: int
) -> pd.DataFrame:
    """Columns: clause_type, risk, findings. The `top_n` clause types with the most findings keep
    their name; the rest are summed under OTHER, so the totals still equal the finding count."""
    # Findings are counted once per (type, risk); ranking and folding work on those few rows.
    sql = (
        "WITH g AS (SELECT f.clause_type, f.risk, count(*) AS findings FROM findings f"
        "  JOIN analyses a ON a.id = f.analysis_id"
        "  WHERE a.created_at >= $start AND a.created_at < $stop GROUP BY ALL),"
        " ranked AS (SELECT clause_type,"
        "  row_number() OVER (ORDER BY sum(findings) DESC, clause_type) AS rank"
        "  FROM g GROUP BY clause_type)"
        " SELECT CASE WHEN r.rank <= $top_n THEN g.clause_type ELSE $other END AS clause_type,"
        "  g.risk, sum(g.findings)::BIGINT AS findings, min(r.rank) AS rank"
        " FROM g JOIN ranked r USING (clause_type)"
        " GROUP BY ALL ORDER BY rank, g.risk"
    )
    frame = _frame(db, sql, {**_span(start, end), "top_n": top_n, "other": OTHER})
    return frame.drop(columns="rank")


def top_deviations(db: Database, start: date, end: date, limit: int) -> pd.DataFrame:
    """Columns: clause_type, rule, risk, findings, total — the `limit` most frequent
    (clause type, playbook rule) pairs, most frequent first, split by risk. Findings without a
    recorded rule are grouped by their kind (deviation, missing, red_flag)."""
    # One pass over the findings into (type, rule, risk) counts; the top pairs come from those.
    sql = (
        "WITH g AS (SELECT f.clause_type, coalesce(f.rule, f.kind) AS rule, f.risk,"
        "  count(*) AS findings FROM findings f JOIN analyses a ON a.id = f.analysis_id"
        "  WHERE a.created_at >= $start AND a.created_at < $stop GROUP BY ALL),"
        " top AS (SELECT clause_type, rule, sum(findings)::BIGINT AS total FROM g GROUP BY ALL"
        "  ORDER BY total DESC, clause_type, rule LIMIT $limit)"
        " SELECT g.clause_type, g.rule, g.risk, g.findings, t.total"
        " FROM g JOIN top t USING (clause_type, rule)"
        " ORDER BY t.total DESC, g.clause_type, g.rule, g.risk"
    )
    return _frame(db, sql, {**_span(start, end), "limit": limit})


def positions_met(db: Database, start: date, end: date) -> pd.DataFrame:
    """Columns: playbook, check_id, name, met, against, not_covered, analyses — for each playbook
    check, over the completed analyses in the range: how often the contract was as the company
    wants (met), went against it (a finding: contradicted, unwanted and stated, or silent on a
    required check), or was silent on a check that is not required. Most often against first."""
    sql = (
        "WITH v AS (SELECT split_part(a.playbook_version_id, '@', 1) AS playbook, v.check_id,"
        "  v.name, CASE"
        "   WHEN (v.verdict = 'contradicts' AND v.wanted)"
        "    OR (v.verdict = 'states' AND NOT v.wanted)"
        "    OR (v.verdict = 'silent' AND v.wanted AND v.required) THEN 'against'"
        "   WHEN v.verdict = 'silent' AND v.wanted THEN 'not_covered'"
        "   ELSE 'met' END AS standing"
        "  FROM verdicts v JOIN analyses a ON a.id = v.analysis_id"
        "  WHERE a.status = 'completed' AND a.created_at >= $start AND a.created_at < $stop)"
        " SELECT playbook, check_id, any_value(name) AS name,"
        " count(*) FILTER (WHERE standing = 'met') AS met,"
        " count(*) FILTER (WHERE standing = 'against') AS against,"
        " count(*) FILTER (WHERE standing = 'not_covered') AS not_covered,"
        " count(*) AS analyses"
        " FROM v GROUP BY playbook, check_id"
        " ORDER BY against::DOUBLE / count(*) DESC, playbook, check_id"
    )
    return _frame(db, sql, _span(start, end))


def risk_per_analysis(db: Database, start: date, end: date, limit: int) -> pd.DataFrame:
    """Columns: analysis_id, created_at, document_name, status, critical, high, medium, low,
    findings — the `limit` latest analyses in the range, newest first."""
    sql = (
        "WITH latest AS (SELECT id, created_at, document_name, status FROM analyses"
        "  WHERE created_at >= $start AND created_at < $stop"
        "  ORDER BY created_at DESC, id LIMIT $limit)"
        " SELECT l.id AS analysis_id, l.created_at, l.document_name, l.status,"
        " count(f.id) FILTER (WHERE f.risk = 'critical') AS critical,"
        " count(f.id) FILTER (WHERE f.risk = 'high') AS high,"
        " count(f.id) FILTER (WHERE f.risk = 'medium') AS medium,"
        " count(f.id) FILTER (WHERE f.risk = 'low') AS low,"
        " count(f.id) AS findings"
        " FROM latest l LEFT JOIN findings f ON f.analysis_id = l.id"
        " GROUP BY ALL ORDER BY l.created_at DESC, l.id"
    )
    return _frame(db, sql, {**_span(start, end), "limit": limit})


def llm_call_counts(db: Database, start: date, end: date) -> tuple[int, int]:
    """(calls ever recorded, calls in the range)."""
    sql = (
        "SELECT count(*) AS ever,"
        " count(*) FILTER (WHERE created_at >= $start AND created_at < $stop) AS in_range"
        " FROM llm_calls"
    )
    with db.cursor() as cur:
        cur.execute(sql, _span(start, end))
        row = fetch_one(cur)
    return (int(row["ever"]), int(row["in_range"])) if row else (0, 0)


def usage_over_time(
    db: Database, start: date, end: date, bucket: Bucket, top_models: int
) -> pd.DataFrame:
    """Columns: bucket, model, calls, input_tokens, output_tokens, cache_creation_input_tokens,
    cache_read_input_tokens, cost_usd, cache_savings_usd. Models beyond the `top_models` most
    expensive are summed under OTHER."""
    sql = (
        "WITH c AS (SELECT *, " + _SAVINGS + " AS savings FROM llm_calls"
        "  WHERE created_at >= $start AND created_at < $stop),"
        " ranked AS (SELECT model, row_number() OVER (ORDER BY sum(cost_usd) DESC, model)"
        "  AS rank FROM c GROUP BY model)"
        " SELECT date_trunc($bucket, c.created_at)::DATE AS bucket,"
        " CASE WHEN r.rank <= $top_models THEN c.model ELSE $other END AS model,"
        " count(*) AS calls, sum(input_tokens) AS input_tokens,"
        " sum(output_tokens) AS output_tokens,"
        " sum(cache_creation_input_tokens) AS cache_creation_input_tokens,"
        " sum(cache_read_input_tokens) AS cache_read_input_tokens,"
        " sum(cost_usd) AS cost_usd, coalesce(sum(savings), 0) AS cache_savings_usd"
        " FROM c JOIN ranked r USING (model) GROUP BY ALL ORDER BY bucket, model"
    )
    params = {
        **_span(start, end),
        **_PRICE_PARAMS,
        "bucket": bucket,
        "top_models": top_models,
        "other": OTHER,
    }
    return _frame(db, sql, params)


def cost_per_analysis(db: Database, start: date, end: date, limit: int) -> pd.DataFrame:
    """Columns: analysis_id, created_at, document_name, calls, tokens, cost_usd,
    cache_savings_usd — the `limit` latest analyses that made LLM calls in the range."""
    sql = (
        "WITH c AS (SELECT analysis_id, count(*) AS calls,"
        "  sum(input_tokens + output_tokens + cache_creation_input_tokens"
        "  + cache_read_input_tokens) AS tokens, sum(cost_usd) AS cost_usd,"
        "  coalesce(sum(" + _SAVINGS + "), 0) AS cache_savings_usd"
        "  FROM llm_calls WHERE created_at >= $start AND created_at < $stop"
        "  GROUP BY analysis_id)"
        " SELECT c.analysis_id, a.created_at, coalesce(a.document_name, c.analysis_id)"
        " AS document_name, c.calls, c.tokens, c.cost_usd, c.cache_savings_usd"
        " FROM c LEFT JOIN analyses a ON a.id = c.analysis_id"
        " ORDER BY a.created_at DESC NULLS LAST, c.analysis_id LIMIT $limit"
    )
    return _frame(db, sql, {**_span(start, end), **_PRICE_PARAMS, "limit": limit})


def cost_summary(db: Database, start: date, end: date) -> dict[str, float]:
    """Total cost and cache savings, and the median and p90 cost of one analysis."""
    sql = (
        "WITH per AS (SELECT analysis_id, sum(cost_usd) AS cost,"
        "  coalesce(sum(" + _SAVINGS + "), 0) AS savings FROM llm_calls"
        "  WHERE created_at >= $start AND created_at < $stop GROUP BY analysis_id)"
        " SELECT count(*) AS analyses, coalesce(sum(cost), 0) AS cost_usd,"
        " coalesce(sum(savings), 0) AS cache_savings_usd,"
        " coalesce(quantile_cont(cost, 0.5), 0) AS median_cost_usd,"
        " coalesce(quantile_cont(cost, 0.9), 0) AS p90_cost_usd FROM per"
    )
    with db.cursor() as cur:
        cur.execute(sql, {**_span(start, end), **_PRICE_PARAMS})
        row = fetch_one(cur) or {}
    return {name: float(value or 0) for name, value in row.items()}


def stage_latency(db: Database, start: date, end: date, stages: list[str]) -> pd.DataFrame:
    """Columns: stage, analyses, median_ms, p90_ms — one row per stage that has timings, in the
    order given; from the `timings_ms` of completed analyses in the range."""
    import pandas as pd

    known = [s for s in stages if s in _STAGE_FIELDS]  # names become SQL text below
    columns = pd.Index(["stage", "analyses", "median_ms", "p90_ms"])
    if not known:
        return pd.DataFrame(columns=columns)
    # One json_transform per row into typed fields, then one pass of aggregates: parsing the
    # JSON once per stage instead took ~0.9 s at 100k analyses, this ~30 ms.
    sql = (
        "SELECT "
        + ", ".join(
            f"count(t['{s}']) AS {s}_n, quantile_cont(t['{s}'], [0.5, 0.9]) AS {s}_q" for s in known
        )
        + " FROM (SELECT json_transform(timings_ms, $types) AS t FROM analyses"
        "  WHERE status = 'completed' AND timings_ms IS NOT NULL"
        "  AND created_at >= $start AND created_at < $stop)"
    )
    with db.cursor() as cur:
        cur.execute(sql, {**_span(start, end), "types": _STAGE_TYPES})
        row = fetch_one(cur)
    assert row is not None  # an aggregate without GROUP BY always returns one row
    rows = [
        (stage, int(row[f"{stage}_n"]), *(row[f"{stage}_q"] or (None, None)))
        for stage in known
        if row[f"{stage}_n"]
    ]
    return pd.DataFrame(rows, columns=columns)
