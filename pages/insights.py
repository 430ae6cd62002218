"""Insights: findings by risk over time, clause types × risk, frequent deviations, risk per
document, Claude usage and cost, and latency per pipeline stage, for a chosen date range."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.app import (
    BUCKET_DAYS,
    RISKS,
    DateRange,
    Insights,
    data_extent,
    load_insights,
)
from pages._auth import require_sign_in
from pages._ui import RISK_COLOURS, guarded, services_or_stop

NO_CLAUDE_USAGE = "No Claude usage yet: all analyses ran on the offline engine"
LABELS = {
    "bucket": "",
    "label": "",
    "stage": "",
    "risk": "",
    "model": "",
    "kind": "",
    "amount": "",
    "statistic": "",
    "cost_usd": "cost (USD)",
    "findings": "findings",
}


def _figure(fig: go.Figure, height: int | None = None) -> go.Figure:
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend_title_text="")
    if height is not None:
        fig.update_layout(height=height)
    return fig


def _time_axis(fig: go.Figure, data: Insights, buckets: pd.Series) -> go.Figure:
    """Bars one bucket wide over the whole selected range, with date ticks (a lone bar on a date
    axis would otherwise be a sliver and the ticks hours)."""
    days = BUCKET_DAYS[data.bucket]
    half = pd.Timedelta(days=days / 2)
    low = min(pd.Timestamp(data.range.start), buckets.min()) - half
    high = max(pd.Timestamp(data.range.end), buckets.max()) + half
    fig.update_traces(width=data.bar_width_ms)
    fig.update_xaxes(range=[low, high], tickformat="%b %Y" if data.bucket == "month" else "%b %-d")
    if (high - low).days <= 14:
        fig.update_xaxes(dtick=86_400_000)
    return fig


def _risk_bars(frame: pd.DataFrame, **kwargs: Any) -> go.Figure:
    return px.bar(
        frame,
        color="risk",
        color_discrete_map=RISK_COLOURS,
        category_orders={"risk": RISKS},
        labels=LABELS,
        **kwargs,
    )


def _bar_height(rows: int, per_row: int = 26) -> int:
    # Tall enough for the legend with one row, and a readable bar per row with many.
    return max(240, 100 + per_row * rows)


def _heatmap(grid: pd.DataFrame) -> go.Figure:
    # One column per risk, each shaded from white to its risk colour on a shared scale.
    fig = go.Figure()
    top = max(int(grid.to_numpy().max()), 1)
    for position, risk in enumerate(RISKS):
        column = [[int(v)] for v in grid[risk]]
        fig.add_trace(
            go.Heatmap(
                x=[position],  # numeric: one-column heatmaps on a category axis misalign
                y=list(grid.index),
                z=column,
                text=column,
                texttemplate="%{text}",
                colorscale=[[0, "#ffffff"], [1, RISK_COLOURS[risk]]],
                zmin=0,
                zmax=top,
                showscale=False,
                hovertemplate=f"%{{y}} · {risk}: %{{z}}<extra></extra>",
            )
        )
    fig.update_xaxes(tickvals=list(range(len(RISKS))), ticktext=RISKS, side="top")
    fig.update_yaxes(autorange="reversed")
    return _figure(fig, height=120 + 28 * len(grid))


def _render_risk(data: Insights) -> None:
    risk = data.risk
    cols = st.columns(4)
    cols[0].metric("Analyses", risk.totals["analyses"])
    cols[1].metric("Findings", risk.totals["findings"])
    cols[2].metric("Critical findings", risk.totals["critical"])
    cols[3].metric("Failed or interrupted", risk.totals["failed"])
    if risk.totals["findings"] == 0:
        st.info("No findings in this date range.")
        return
    st.subheader(f"Findings by risk, per {data.bucket}")
    fig = _risk_bars(risk.over_time, x="bucket", y="findings")
    _time_axis(fig, data, risk.over_time["bucket"])
    st.plotly_chart(_figure(fig, 360), key="risk_over_time")
    st.subheader("Clause types × risk")
    st.plotly_chart(_heatmap(risk.heatmap), key="clause_risk_heatmap")
    st.subheader("Most frequent deviations")
    fig = _risk_bars(risk.deviations, x="findings", y="label", orientation="h")
    fig.update_yaxes(autorange="reversed", title_text="")
    height = _bar_height(risk.deviations["label"].nunique())
    st.plotly_chart(_figure(fig, height), key="top_deviations")
    st.subheader("Risk per document (latest analyses)")
    fig = _risk_bars(risk.per_analysis, x="findings", y="label", orientation="h")
    fig.update_yaxes(autorange="reversed", title_text="")
    height = _bar_height(risk.per_analysis["label"].nunique())
    st.plotly_chart(_figure(fig, height), key="risk_per_analysis")


def _render_usage(data: Insights) -> None:
    usage = data.usage
    st.header("Claude usage and cost")
    if usage.calls_ever == 0:
        st.info(NO_CLAUDE_USAGE)
        return
    if usage.calls_in_range == 0:
        st.info("No Claude calls in this date range.")
        return
    s = usage.summary
    cols = st.columns(4)
    cols[0].metric("Cost", f"${s['cost_usd']:,.2f}")
    cols[1].metric("Cache savings", f"${s['cache_savings_usd']:,.2f}")
    cols[2].metric("Median cost per analysis", f"${s['median_cost_usd']:,.4f}")
    cols[3].metric("p90 cost per analysis", f"${s['p90_cost_usd']:,.4f}")
    left, right = st.columns(2)
    with left:
        st.subheader(f"Cost per {data.bucket} and model")
        fig = px.bar(usage.over_time, x="bucket", y="cost_usd", color="model", labels=LABELS)
        _time_axis(fig, data, usage.over_time["bucket"])
        st.plotly_chart(_figure(fig, 320), key="cost_over_time")
    with right:
        st.subheader(f"Tokens per {data.bucket}")
        fig = px.bar(usage.tokens, x="bucket", y="tokens", color="kind", labels=LABELS)
        _time_axis(fig, data, usage.tokens["bucket"])
        st.plotly_chart(_figure(fig, 320), key="tokens_over_time")
    st.subheader("Cost and cache savings per analysis (latest)")
    per = usage.per_analysis.rename(columns={"cost_usd": "cost", "cache_savings_usd": "saved"})
    per = per.melt(id_vars="label", value_vars=["cost", "saved"], var_name="amount")
    fig = px.bar(
        per,
        x="value",
        y="label",
        color="amount",
        orientation="h",
        barmode="group",
        labels={**LABELS, "value": "USD"},
    )
    fig.update_yaxes(autorange="reversed", title_text="")
    st.plotly_chart(
        _figure(fig, _bar_height(usage.per_analysis["label"].nunique(), 34)),
        key="cost_per_analysis",
    )
    st.caption(
        "Cache savings: cache-read tokens × (input price − cache-read price), with the input "
        "price recovered from each call's recorded cost."
    )


def _render_latency(data: Insights) -> None:
    st.header("Latency per stage")
    latency = data.latency
    if latency.empty:
        st.info("No completed analyses with timings in this date range.")
        return
    first = latency[latency["stage"] == "first finding"]
    if not first.empty:
        st.metric("Time to first finding (median)", f"{first['median_ms'].iloc[0]:,.0f} ms")
    frame = latency.melt(
        id_vars="stage", value_vars=["median_ms", "p90_ms"], var_name="statistic"
    ).replace({"statistic": {"median_ms": "median", "p90_ms": "p90"}})
    labels = {**LABELS, "value": "milliseconds"}
    fig = px.bar(frame, x="stage", y="value", color="statistic", barmode="group", labels=labels)
    st.plotly_chart(_figure(fig, 340), key="stage_latency")


STANDINGS = {"met": "as we want", "against": "against us", "not_covered": "not covered"}
STANDING_COLOURS = {"as we want": "#16a34a", "against us": "#dc2626", "not covered": "#9ca3af"}


def _render_positions(data: Insights) -> None:
    """How often each playbook check is met across the analyses in range (checks only)."""
    frame = data.positions
    if frame.empty:
        return
    st.subheader("Playbook positions: how often each is met")
    st.caption(
        "Each bar is one check of a playbook, over the completed analyses in this range that"
        " used it; most often against us first."
    )
    frame = frame.assign(label=frame["name"] + " (" + frame["playbook"] + ")")
    long = frame.melt(
        id_vars=["label", "analyses"],
        value_vars=list(STANDINGS),
        var_name="standing",
        value_name="contracts",
    )
    long["standing"] = long["standing"].map(STANDINGS)
    fig = px.bar(
        long,
        x="contracts",
        y="label",
        color="standing",
        orientation="h",
        color_discrete_map=STANDING_COLOURS,
        category_orders={"standing": list(STANDINGS.values()), "label": list(frame["label"])},
        hover_data={"analyses": True},
    )
    fig.update_yaxes(title_text="")
    fig.update_layout(legend_title_text="")
    st.plotly_chart(_figure(fig, _bar_height(len(frame))), key="positions_met")


def _selected_range(full: DateRange, default: DateRange) -> DateRange:
    picked = st.date_input(
        "Date range (UTC)",
        value=(default.start, default.end),
        min_value=full.start,
        max_value=full.end,
        key="insights_range",
    )
    days = [d for d in picked if d is not None] if isinstance(picked, tuple) else [picked]
    # While the second date is being picked the widget returns one date: show that day.
    return DateRange(days[0], days[-1]) if days else default


require_sign_in()
st.title("Insights")
services = services_or_stop()
extent = guarded(lambda: data_extent(services))
if extent is None:
    st.stop()
if extent.full is None or extent.default is None:
    st.info("Nothing analysed yet: charts appear here once contracts have been analysed.")
    st.page_link("pages/analyze.py", label="Analyse the bundled sample contracts", icon="🔎")
    st.stop()
selected = _selected_range(extent.full, extent.default)
insights = guarded(lambda: load_insights(services, selected))
if insights is not None:
    _render_risk(insights)
    _render_positions(insights)
    _render_usage(insights)
    _render_latency(insights)
