"""Chart-ready data for the Insights dashboard: risk, LLM usage and cost, and stage latency over
a date range. The SQL aggregates (core.store.insight_queries); this module picks the time
bucket, orders risks and labels, and shapes small frames so the page only has to draw them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from core.models import RISK_ORDER
from core.reports.wording import rule_words
from core.store import insight_queries as q
from core.store.database import Database
from core.store.insight_queries import OTHER, Bucket

if TYPE_CHECKING:  # pandas loads with the first Insights query, not with the landing page
    import pandas as pd

RISKS: list[str] = sorted(RISK_ORDER, key=RISK_ORDER.__getitem__)  # critical → low
STAGES: list[str] = ["load", "extract", "embed", "retrieve", "analyze", "total", "first_finding"]
STAGE_LABELS: dict[str, str] = {"first_finding": "first finding"}
DEFAULT_DAYS = 90
TOP_CLAUSE_TYPES = 15
TOP_DEVIATIONS = 15
LATEST_ANALYSES = 25
TOP_MODELS = 5
BUCKET_DAYS: dict[Bucket, float] = {"day": 1, "week": 7, "month": 30.4}

__all__ = ["OTHER", "RISKS", "Bucket", "DateRange", "Insights", "load_insights"]


@dataclass(frozen=True)
class DateRange:
    """Inclusive range of UTC calendar days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class DataExtent:
    """The days the date filter may cover, and the range it starts on."""

    full: DateRange | None  # None: nothing has been analysed yet
    default: DateRange | None


@dataclass(frozen=True)
class RiskInsights:
    totals: dict[str, int]
    over_time: pd.DataFrame  # bucket, risk, findings
    heatmap: pd.DataFrame  # index: clause type (most findings first); columns: RISKS
    deviations: pd.DataFrame  # label, clause_type, rule, risk, findings, total
    per_analysis: pd.DataFrame  # label, risk, findings (newest analysis first)


@dataclass(frozen=True)
class UsageInsights:
    calls_ever: int
    calls_in_range: int
    summary: dict[str, float]  # analyses, cost_usd, cache_savings_usd, median/p90_cost_usd
    over_time: pd.DataFrame  # bucket, model, calls, *tokens, cost_usd, cache_savings_usd
    tokens: pd.DataFrame  # bucket, kind, tokens
    per_analysis: pd.DataFrame  # label, calls, tokens, cost_usd, cache_savings_usd


@dataclass(frozen=True)
class Insights:
    range: DateRange
    bucket: Bucket
    risk: RiskInsights
    usage: UsageInsights
    latency: pd.DataFrame  # stage, analyses, median_ms, p90_ms (in STAGES order)
    # playbook, check_id, name, met, against, not_covered, analyses (most often against first)
    positions: pd.DataFrame

    @property
    def bar_width_ms(self) -> float:
        """Bar width on a date axis (milliseconds), so a lone bucket is still a visible bar."""
        return BUCKET_DAYS[self.bucket] * 86_400_000 * 0.8


def utc_today() -> date:
    # created_at is stored as naive UTC, so "today" is the UTC day too.
    return datetime.now(UTC).date()


def data_extent(db: Database, today: date | None = None) -> DataExtent:
    """All days from the first analysis to today, and the default filter: the 90 days up to the
    latest analysis (through today), or all time when there are fewer."""
    today = today or utc_today()
    bounds = q.analysis_date_bounds(db)
    if bounds is None:
        return DataExtent(full=None, default=None)
    first, last = bounds
    end = max(last, today)
    start = max(first, min(last, today) - timedelta(days=DEFAULT_DAYS - 1))
    return DataExtent(full=DateRange(first, end), default=DateRange(start, end))


def bucket_for(selected: DateRange) -> Bucket:
    """Days for two months or less, weeks up to two years, months beyond: ≤ ~100 bars."""
    if selected.days <= 62:
        return "day"
    return "week" if selected.days <= 731 else "month"


def load_insights(db: Database, selected: DateRange) -> Insights:
    bucket = bucket_for(selected)
    return Insights(
        range=selected,
        bucket=bucket,
        risk=_risk(db, selected, bucket),
        usage=_usage(db, selected, bucket),
        latency=_latency(db, selected),
        positions=q.positions_met(db, selected.start, selected.end),
    )


def _risk(db: Database, r: DateRange, bucket: Bucket) -> RiskInsights:
    over_time = q.findings_by_risk_over_time(db, r.start, r.end, bucket)
    matrix = q.findings_by_clause_type_and_risk(db, r.start, r.end, TOP_CLAUSE_TYPES)
    deviations = q.top_deviations(db, r.start, r.end, TOP_DEVIATIONS)
    # A check's finding is named by its check (the clause type field holds the check's name).
    rule = deviations["rule"].map(rule_words)
    deviations.insert(0, "label", deviations["clause_type"] + " — " + rule)
    latest = q.risk_per_analysis(db, r.start, r.end, LATEST_ANALYSES)
    return RiskInsights(
        totals=q.analysis_totals(db, r.start, r.end),
        over_time=over_time,
        heatmap=_heatmap(matrix),
        deviations=deviations,
        per_analysis=_per_analysis_long(latest),
    )


def _heatmap(matrix: pd.DataFrame) -> pd.DataFrame:
    order = list(dict.fromkeys(matrix["clause_type"]))  # the query lists them by frequency
    grid = matrix.pivot_table(
        index="clause_type", columns="risk", values="findings", aggfunc="sum", fill_value=0
    )
    return grid.reindex(index=order, columns=RISKS, fill_value=0).astype("int64")


def _labels(frame: pd.DataFrame) -> pd.Series:
    """Document name and time; the id is added where that is not enough to tell them apart."""
    when = frame["created_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("unknown time")
    label = frame["document_name"] + " · " + when
    clash = label.duplicated(keep=False)
    return label.where(~clash, label + " · " + frame["analysis_id"].str.slice(0, 8))


def _per_analysis_long(latest: pd.DataFrame) -> pd.DataFrame:
    if latest.empty:
        import pandas as pd

        return pd.DataFrame({"label": [], "risk": [], "findings": []})
    wide = latest.assign(label=_labels(latest))[["label", *RISKS]]
    return wide.melt(id_vars="label", var_name="risk", value_name="findings")


def _usage(db: Database, r: DateRange, bucket: Bucket) -> UsageInsights:
    calls_ever, calls_in_range = q.llm_call_counts(db, r.start, r.end)
    if calls_in_range == 0:
        import pandas as pd

        empty = pd.DataFrame()
        return UsageInsights(calls_ever, 0, {}, empty, empty, empty)
    over_time = q.usage_over_time(db, r.start, r.end, bucket, TOP_MODELS)
    kinds = {
        "input_tokens": "input",
        "output_tokens": "output",
        "cache_creation_input_tokens": "cache write",
        "cache_read_input_tokens": "cache read",
    }
    tokens = (
        over_time.groupby("bucket", as_index=False)[list(kinds)]
        .sum()
        .rename(columns=kinds)
        .melt(id_vars="bucket", var_name="kind", value_name="tokens")
    )
    per_analysis = q.cost_per_analysis(db, r.start, r.end, LATEST_ANALYSES)
    per_analysis.insert(0, "label", _labels(per_analysis))
    return UsageInsights(
        calls_ever=calls_ever,
        calls_in_range=calls_in_range,
        summary=q.cost_summary(db, r.start, r.end),
        over_time=over_time,
        tokens=tokens,
        per_analysis=per_analysis,
    )


def _latency(db: Database, r: DateRange) -> pd.DataFrame:
    frame = q.stage_latency(db, r.start, r.end, STAGES)
    frame["stage"] = frame["stage"].map(lambda s: STAGE_LABELS.get(s, s))
    return frame
