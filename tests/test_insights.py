"""Insights aggregates over a real DuckDB: risk counts, clause type × risk, frequent deviations,
latency per stage, Claude usage and cost, date filtering — with one analysis and thousands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.portfolio.insights import (
    OTHER,
    RISKS,
    STAGES,
    TOP_CLAUSE_TYPES,
    DateRange,
    bucket_for,
    data_extent,
    load_insights,
)
from core.store import Store

START = datetime(2025, 1, 1)


# ---- synthetic rows, inserted in bulk from DataFrames (shared with the page test) ----


def insert_frame(store: Store, table: str, frame: pd.DataFrame) -> None:
    columns = ", ".join(frame.columns)
    with store.transaction() as cur:
        cur.register("new_rows", frame)
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM new_rows")
        cur.unregister("new_rows")


def analyses_frame(created: pd.Series, status: np.ndarray, timings: list[dict]) -> pd.DataFrame:
    n = len(created)
    return pd.DataFrame(
        {
            "id": [f"a{i:05d}" for i in range(n)],
            "created_at": created.to_numpy(),
            "status": status,
            "document_name": [f"contract-{i % 97}.pdf" for i in range(n)],
            "engine": "offline",
            "parameters": "{}",
            "timings_ms": [json.dumps(t) for t in timings],
        }
    )


def findings_frame(
    analysis_ids: np.ndarray, clause_types: np.ndarray, risks: np.ndarray, rules: np.ndarray
) -> pd.DataFrame:
    n = len(analysis_ids)
    return pd.DataFrame(
        {
            "analysis_id": analysis_ids,
            "id": [f"f{i}" for i in range(n)],
            "ordinal": np.arange(n),
            "clause_type": clause_types,
            "kind": "deviation",
            "risk": risks,
            "source_text": "quoted text",
            "start_offset": 0,
            "end_offset": 11,
            "deviation": "differs from the playbook",
            "recommendation": "ask for the standard",
            "retrieved_chunks": "[]",
            "rule": rules,
        }
    )


def build_bulk(
    store: Store, n: int, per: int, start: datetime, days: int, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n analyses spread over `days` from `start`, `per` findings each, skewed clause types."""
    rng = np.random.default_rng(seed)
    created = pd.Series(start + pd.to_timedelta(rng.integers(0, days * 86_400, n), unit="s"))
    status = np.where(np.arange(n) % 50 == 49, "failed", "completed")
    stage_ms = {s: rng.uniform(1, 100, n).round(3) for s in STAGES}
    stage_ms["first_finding"] = np.where(np.arange(n) % 10 == 0, np.nan, stage_ms["first_finding"])
    timings = [
        {s: (None if np.isnan(stage_ms[s][i]) else float(stage_ms[s][i])) for s in STAGES}
        for i in range(n)
    ]
    analyses = analyses_frame(created, status, timings)
    for s in STAGES:
        analyses[f"ms_{s}"] = stage_ms[s]
    weights = 1 / np.arange(1, 31)
    owner = np.repeat(analyses["id"].to_numpy(), per)
    findings = findings_frame(
        owner,
        rng.choice([f"Type {k:02d}" for k in range(30)], owner.size, p=weights / weights.sum()),
        rng.choice(RISKS, owner.size, p=[0.1, 0.2, 0.3, 0.4]),
        rng.choice(np.array(["rule-a", "rule-b", "rule-c", None], dtype=object), owner.size),
    )
    insert_frame(store, "analyses", analyses.drop(columns=[f"ms_{s}" for s in STAGES]))
    insert_frame(store, "findings", findings)
    findings["created_at"] = np.repeat(analyses["created_at"].to_numpy(), per)
    return analyses, findings


def llm_calls_frame(
    rows: list[tuple[str, datetime, str, int, int, int, int, float]],
) -> pd.DataFrame:
    columns = [
        "analysis_id",
        "created_at",
        "model",
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "cost_usd",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(0, "id", [f"call{i}" for i in range(len(frame))])
    frame["outcome"] = "ok"
    return frame


def sonnet_cost(inp: int, out: int, write: int, read: int) -> float:
    # $3 / $15 per million tokens; cache writes 1.25x and reads 0.1x the input price.
    return (inp * 3 + out * 15 + write * 3.75 + read * 0.3) / 1e6


# ---- tests ----


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "insights.duckdb")
    yield opened
    opened.close()


def test_an_empty_database_has_no_extent(store: Store) -> None:
    assert data_extent(store).full is None


def test_one_analysis_is_counted_exactly(store: Store) -> None:
    created = pd.Series([START + timedelta(hours=9)])
    timings = [{"load": 12.0, "extract": 30.0, "total": 400.0, "first_finding": 150.0}]
    insert_frame(store, "analyses", analyses_frame(created, np.array(["completed"]), timings))
    insert_frame(
        store,
        "findings",
        findings_frame(
            np.array(["a00000"] * 3),
            np.array(["Cap On Liability", "Cap On Liability", "Governing Law"]),
            np.array(["critical", "high", "high"]),
            np.array(["threshold:cap", "threshold:cap", None], dtype=object),
        ),
    )
    day = DateRange(START.date(), START.date())
    data = load_insights(store, day)

    assert data.bucket == "day"
    assert data.risk.totals == {
        "analyses": 1,
        "completed": 1,
        "failed": 0,
        "findings": 3,
        "critical": 1,
        "high": 2,
    }
    assert data.risk.over_time.set_index("risk")["findings"].to_dict() == {"critical": 1, "high": 2}
    assert data.risk.heatmap.loc["Cap On Liability"].to_dict() == {
        "critical": 1,
        "high": 1,
        "medium": 0,
        "low": 0,
    }
    assert list(data.risk.heatmap.columns) == RISKS
    top = data.risk.deviations.drop_duplicates("label")
    assert list(top["label"]) == [
        "Cap On Liability — the playbook's limit on the cap",  # plain words, not "threshold:cap"
        "Governing Law — deviation",
    ]
    per = data.risk.per_analysis.set_index("risk")["findings"].to_dict()
    assert per == {"critical": 1, "high": 2, "medium": 0, "low": 0}
    assert data.risk.per_analysis["label"].iloc[0] == "contract-0.pdf · 2025-01-01 09:00"
    latency = data.latency.set_index("stage")
    assert list(latency.index) == ["load", "extract", "total", "first finding"]
    assert latency.loc["first finding", "median_ms"] == 150.0
    assert latency.loc["total", "p90_ms"] == 400.0
    assert data.usage.calls_ever == 0  # offline engine only: the page shows a note, no charts


def test_thousands_of_analyses_aggregate_to_the_right_totals(store: Store) -> None:
    analyses, findings = build_bulk(store, n=5_000, per=10, start=START, days=200)
    everything = DateRange(START.date(), START.date() + timedelta(days=199))
    data = load_insights(store, everything)

    assert data.bucket == "week"
    assert data.risk.totals["analyses"] == 5_000
    assert data.risk.totals["failed"] == 100
    assert data.risk.totals["findings"] == 50_000
    by_risk = data.risk.over_time.groupby("risk")["findings"].sum().to_dict()
    assert by_risk == findings["risk"].value_counts().to_dict()
    assert data.risk.over_time["bucket"].nunique() <= 30  # weekly bars, not one per day

    heatmap = data.risk.heatmap
    assert int(heatmap.to_numpy().sum()) == 50_000
    assert len(heatmap) == TOP_CLAUSE_TYPES + 1 and heatmap.index[-1] == OTHER
    expected_types = findings["clause_type"].value_counts().index[:TOP_CLAUSE_TYPES]
    assert list(heatmap.index[:-1]) == list(expected_types)
    assert (
        heatmap.loc["Type 00", "critical"]
        == ((findings["clause_type"] == "Type 00") & (findings["risk"] == "critical")).sum()
    )

    deviations = data.risk.deviations.drop_duplicates("label")
    pairs = findings.assign(rule=findings["rule"].fillna("deviation"))
    expected = pairs.groupby(["clause_type", "rule"]).size().sort_values(ascending=False)
    assert len(deviations) == 15
    assert list(deviations["total"]) == list(expected.iloc[:15])
    assert deviations["total"].is_monotonic_decreasing

    assert data.risk.per_analysis["label"].nunique() == 25
    assert data.risk.per_analysis.groupby("label")["findings"].sum().eq(10).all()

    completed = analyses[analyses["status"] == "completed"]
    latency = data.latency.set_index("stage")
    for stage in STAGES:
        values = completed[f"ms_{stage}"].dropna()
        label = "first finding" if stage == "first_finding" else stage
        assert latency.loc[label, "analyses"] == len(values)
        assert latency.loc[label, "median_ms"] == pytest.approx(np.percentile(values, 50))
        assert latency.loc[label, "p90_ms"] == pytest.approx(np.percentile(values, 90))


def test_the_date_filter_keeps_only_analyses_created_in_the_range(store: Store) -> None:
    analyses, findings = build_bulk(store, n=2_000, per=5, start=START, days=120)
    window = DateRange(date(2025, 2, 1), date(2025, 2, 28))
    data = load_insights(store, window)

    days = analyses["created_at"].dt.date
    inside = analyses[(days >= window.start) & (days <= window.end)]
    in_findings = findings[findings["analysis_id"].isin(inside["id"])]
    assert data.bucket == "day"
    assert data.risk.totals["analyses"] == len(inside)
    assert data.risk.totals["findings"] == len(in_findings)
    assert int(data.risk.heatmap.to_numpy().sum()) == len(in_findings)
    buckets = data.risk.over_time["bucket"]
    assert buckets.min() >= pd.Timestamp(window.start) and buckets.max() <= pd.Timestamp(window.end)
    stats = data.latency.set_index("stage")
    completed = inside[inside["status"] == "completed"]
    assert stats.loc["load", "median_ms"] == pytest.approx(completed["ms_load"].median())

    empty = load_insights(store, DateRange(date(2030, 1, 1), date(2030, 1, 31)))
    assert empty.risk.totals["findings"] == 0 and empty.latency.empty


def test_default_range_is_the_last_90_days_or_all_time_when_shorter(store: Store) -> None:
    analyses, _ = build_bulk(store, n=200, per=1, start=datetime(2025, 6, 1), days=200)
    last = analyses["created_at"].max().date()
    extent = data_extent(store, today=last)
    assert extent.full == DateRange(date(2025, 6, 1), last)
    assert extent.default == DateRange(last - timedelta(days=89), last)
    # Nothing analysed lately: the window still ends today but reaches back over the last
    # 90 days that have analyses, instead of opening on empty charts.
    stale = data_extent(store, today=last + timedelta(days=30)).default
    assert stale == DateRange(last - timedelta(days=89), last + timedelta(days=30))

    young = Store(store.path.replace(".duckdb", "-young.duckdb"))
    build_bulk(young, n=20, per=1, start=datetime(2025, 12, 20), days=5)
    today = date(2025, 12, 31)
    assert data_extent(young, today=today).default == DateRange(date(2025, 12, 20), today)
    young.close()


def test_buckets_stay_around_a_hundred_bars_at_most() -> None:
    def span(days: int) -> DateRange:
        return DateRange(date(2020, 1, 1), date(2020, 1, 1) + timedelta(days=days - 1))

    assert [bucket_for(span(d)) for d in (1, 62, 63, 731, 732)] == [
        "day",
        "day",
        "week",
        "week",
        "month",
    ]


def test_claude_usage_cost_and_cache_savings_per_day_and_model(store: Store) -> None:
    build_bulk(store, n=3, per=1, start=START, days=1)
    d1, d2 = START + timedelta(hours=1), START + timedelta(days=1, hours=1)
    calls = [
        ("a00000", d1, "claude-sonnet", 1_000, 200, 0, 10_000, sonnet_cost(1_000, 200, 0, 10_000)),
        ("a00000", d1, "claude-sonnet", 500, 100, 2_000, 0, sonnet_cost(500, 100, 2_000, 0)),
        ("a00001", d2, "claude-haiku", 4_000, 400, 0, 0, 0.0056),
    ]
    insert_frame(store, "llm_calls", llm_calls_frame(calls))
    usage = load_insights(store, DateRange(START.date(), d2.date())).usage

    assert (usage.calls_ever, usage.calls_in_range) == (3, 3)
    day1 = usage.over_time[usage.over_time["bucket"] == pd.Timestamp(START.date())].iloc[0]
    assert (day1["model"], day1["calls"], day1["cache_read_input_tokens"]) == (
        "claude-sonnet",
        2,
        10_000,
    )
    assert day1["cost_usd"] == pytest.approx(0.009 + 0.0105)
    # 10,000 cache-read tokens at $3 − $0.30 per million.
    assert day1["cache_savings_usd"] == pytest.approx(0.027)
    assert usage.summary["cache_savings_usd"] == pytest.approx(0.027)
    assert usage.summary["cost_usd"] == pytest.approx(0.009 + 0.0105 + 0.0056)
    assert usage.summary["analyses"] == 2
    tokens = usage.tokens.groupby("kind")["tokens"].sum().to_dict()
    assert tokens == {"input": 5_500, "output": 700, "cache write": 2_000, "cache read": 10_000}
    per = usage.per_analysis.set_index("analysis_id")
    assert per.loc["a00000", "calls"] == 2 and per.loc["a00001", "cache_savings_usd"] == 0

    later = load_insights(store, DateRange(d2.date(), d2.date())).usage
    assert (later.calls_ever, later.calls_in_range) == (3, 1)


def test_models_beyond_the_top_five_are_summed_as_other(store: Store) -> None:
    build_bulk(store, n=1, per=1, start=START, days=1)
    calls = [("a00000", START, f"model-{k}", 10, 1, 0, 0, float(10 - k)) for k in range(8)]
    insert_frame(store, "llm_calls", llm_calls_frame(calls))
    usage = load_insights(store, DateRange(START.date(), START.date())).usage
    cost = usage.over_time.set_index("model")["cost_usd"].to_dict()
    assert cost == {
        "model-0": 10.0,
        "model-1": 9.0,
        "model-2": 8.0,
        "model-3": 7.0,
        "model-4": 6.0,
        OTHER: 5.0 + 4.0 + 3.0,
    }


def test_each_playbook_check_is_counted_as_met_against_or_not_covered(store: Store) -> None:
    created = pd.Series([START + timedelta(hours=h) for h in range(3)])
    analyses = analyses_frame(created, np.array(["completed", "completed", "failed"]), [{}] * 3)
    analyses["playbook_version_id"] = "mutual-nda@v1"
    insert_frame(store, "analyses", analyses)
    rows = [  # analysis, check, verdict, wanted, required
        ("a00000", "no-residuals", "states", False, False),  # unwanted and stated: against
        ("a00001", "no-residuals", "silent", False, False),  # unwanted and absent: met
        ("a00000", "survival", "states", True, True),  # met
        ("a00001", "survival", "silent", True, True),  # required and silent: against
        ("a00000", "injunctive-relief", "silent", True, False),  # not covered
        ("a00001", "injunctive-relief", "contradicts", True, False),  # against
        ("a00002", "survival", "contradicts", True, True),  # a failed analysis: not counted
    ]
    verdicts = pd.DataFrame(
        {
            "analysis_id": [r[0] for r in rows],
            "ordinal": range(len(rows)),
            "check_id": [r[1] for r in rows],
            "verdict": [r[2] for r in rows],
            "confidence": 0.9,
            "evidence": "[]",
            "name": [r[1].replace("-", " ") for r in rows],
            "statement": "",
            "wanted": [r[3] for r in rows],
            "required": [r[4] for r in rows],
        }
    )
    insert_frame(store, "verdicts", verdicts)
    finding = findings_frame(
        np.array(["a00000"]),
        np.array(["No residuals clause"]),
        np.array(["high"]),
        np.array(["check:no-residuals"], dtype=object),
    )
    insert_frame(store, "findings", finding)
    data = load_insights(store, DateRange(START.date(), START.date()))
    # Named by the check, not by its internal rule id.
    assert list(data.risk.deviations["label"]) == ["No residuals clause — a playbook check"]
    table = data.positions.set_index("check_id")
    assert table.loc["no-residuals", ["met", "against", "not_covered"]].tolist() == [1, 1, 0]
    assert table.loc["survival", ["met", "against", "not_covered", "analyses"]].tolist() == [
        1,
        1,
        0,
        2,
    ]
    assert table.loc["injunctive-relief", ["met", "against", "not_covered"]].tolist() == [0, 1, 1]
    assert set(data.positions["playbook"]) == {"mutual-nda"}
