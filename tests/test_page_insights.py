"""The Insights page through AppTest: charts from stored rows, the empty state, the note shown
when no Claude call was ever made. Rows are synthetic; no analysis runs, no model loads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.store import Store
from tests.conftest import open_app_page
from tests.test_insights import build_bulk, insert_frame, llm_calls_frame, sonnet_cost

NO_CLAUDE = "No Claude usage yet: all analyses ran on the offline engine"
RISK_CHARTS = {"risk_over_time", "clause_risk_heatmap", "top_deviations", "risk_per_analysis"}
USAGE_CHARTS = {"cost_over_time", "tokens_over_time", "cost_per_analysis"}


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def chart_keys(at: AppTest) -> set[str]:
    return {chart.key for chart in at.get("plotly_chart")}


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def test_empty_database_points_to_the_analyze_page(db_path: Path) -> None:
    at = open_app_page("pages/insights.py")
    assert any("Nothing analysed yet" in text for text in infos(at))
    assert at.page_link[0].proto.page.endswith("analyze")
    assert at.get("plotly_chart") == []
    assert not at.error


def test_thousands_of_offline_analyses_chart_without_claude_usage(db_path: Path) -> None:
    store = Store(db_path)
    analyses, _ = build_bulk(store, n=3_000, per=10, start=now() - timedelta(days=150), days=150)
    store.close()
    at = open_app_page("pages/insights.py")

    assert chart_keys(at) == RISK_CHARTS | {"stage_latency"}
    assert NO_CLAUDE in infos(at)
    start, end = at.date_input(key="insights_range").value
    # By default the 90 days up to the latest analysis, through today (the latest synthetic
    # analysis can fall on yesterday when the test runs just after midnight UTC).
    last = analyses["created_at"].max().date()
    assert end == now().date()
    assert (last - start).days == 89
    heatmap = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert heatmap["layout"]["xaxis"]["ticktext"] == ["critical", "high", "medium", "low"]
    assert len(heatmap["data"][0]["y"]) == 16  # top 15 clause types + the rest
    assert not at.error


def test_one_analysis_with_claude_calls_shows_usage_charts(db_path: Path) -> None:
    store = Store(db_path)
    build_bulk(store, n=1, per=4, start=now() - timedelta(days=1), days=1)
    when = now() - timedelta(hours=1)
    calls = [
        ("a00000", when, "claude-sonnet", 1_000, 200, 0, 10_000, sonnet_cost(1_000, 200, 0, 10_000))
    ]
    insert_frame(store, "llm_calls", llm_calls_frame(calls))
    store.close()
    at = open_app_page("pages/insights.py")

    assert chart_keys(at) == RISK_CHARTS | USAGE_CHARTS | {"stage_latency"}
    assert NO_CLAUDE not in infos(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Analyses"] == "1" and metrics["Findings"] == "4"
    assert metrics["Cache savings"] == "$0.03"
    assert not at.error


def test_a_range_without_analyses_says_so(db_path: Path) -> None:
    store = Store(db_path)
    build_bulk(store, n=50, per=2, start=now() - timedelta(days=30), days=5)
    store.close()
    at = open_app_page("pages/insights.py")
    picker = at.date_input(key="insights_range")
    end = picker.value[1]
    picker.set_value((end, end)).run()

    assert "No findings in this date range." in infos(at)
    assert chart_keys(at) == set()
    assert not at.exception
