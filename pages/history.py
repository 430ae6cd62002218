"""History: the audit trail of every stored analysis (completed, failed, interrupted), filtered
by date, status, playbook version and risk, a page at a time. Selecting one shows it exactly as
it was stored, with the same renderer as the Analyze page; nothing is re-run."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from core.app import (
    PAGE_SIZES,
    RISK_ORDER,
    STATUSES,
    Analysis,
    ContractAnalyzerError,
    HistoryFilter,
    HistoryOptions,
    HistoryPage,
    Services,
    delete_analysis,
    history_options,
    history_page,
    load_analysis,
)
from pages._auth import require_sign_in, signed_in_user
from pages._results import render_analysis
from pages._ui import guarded, md, risk_label, services_or_stop

COLUMNS = {
    "created_at": st.column_config.DatetimeColumn("when (UTC)", format="YYYY-MM-DD HH:mm:ss"),
    "document_name": st.column_config.TextColumn("document"),
    "user": st.column_config.TextColumn("run by"),  # shown once any analysis records who
    "playbook": st.column_config.TextColumn("playbook"),
    "status": st.column_config.TextColumn("status"),
    "review": st.column_config.TextColumn("review"),
    "reviewer": st.column_config.TextColumn("decided by"),
    **{r: st.column_config.NumberColumn(risk_label(r)) for r in RISK_ORDER},
    "tokens": st.column_config.NumberColumn("tokens"),
    "cost_usd": st.column_config.NumberColumn("cost", format="$%.4f"),
    "duration_s": st.column_config.NumberColumn("duration (s)", format="%.1f"),
    "engine": st.column_config.TextColumn("engine"),
    "error": st.column_config.TextColumn("error", width="large"),
}


def _clear_selection() -> None:
    # The table shows other rows now: a kept row index would open a different analysis.
    st.session_state["history_table"] = {"selection": {"rows": [], "columns": []}}


def _delete(services: Services, analysis_id: str) -> None:
    """Button callback: runs before the page is drawn again, so the table no longer lists it."""
    user = signed_in_user() or services.settings.reviewer or None
    try:
        name = delete_analysis(services, analysis_id, user)
        st.session_state["history_notice"] = ("success", f"Deleted the analysis of {name}.")
    except ContractAnalyzerError as exc:
        st.session_state["history_notice"] = ("error", f"Nothing was deleted: {exc}")
    _clear_selection()
    st.query_params.pop("analysis", None)
    st.session_state["history_delete_sure"] = False


def _delete_section(services: Services, analysis: Analysis) -> None:
    with st.expander("Delete this analysis"):
        st.caption(
            "Removes the analysis with its findings, checks and review decisions (and the"
            " uploaded file, when no other analysis used it). The deletion is recorded with"
            " your name and cannot be undone; Claude costs stay in the ledger."
        )
        sure = st.checkbox(
            f"Yes, delete the analysis of {md(analysis.document.name)}", key="history_delete_sure"
        )
        st.button(
            "Delete for good",
            key="history_delete",
            type="primary",
            disabled=not sure,
            on_click=_delete,
            args=(services, analysis.analysis_id),
        )


def _first_page() -> None:
    st.session_state["history_page"] = 1
    _clear_selection()


def _date_range(options: HistoryOptions) -> tuple[date | None, date | None]:
    first = options.first_day
    today = datetime.now(UTC).date()
    last = max(options.last_day or today, today)
    picked = st.date_input(
        "Date range (UTC)",
        value=(first, last),
        min_value=first,
        max_value=last,
        key="history_dates",
        on_change=_first_page,
    )
    days = [d for d in picked if d is not None] if isinstance(picked, tuple) else [picked]
    # While the second date is being picked the widget holds one date: show that day.
    return (days[0], days[-1]) if days else (None, None)


def _filters(options: HistoryOptions) -> HistoryFilter:
    search = st.text_input(
        "Search",
        key="history_search",
        placeholder="part of a document's name or of a party's name",
        on_change=_first_page,
    )
    cols = st.columns([3, 2, 3, 2])
    with cols[0]:
        start, end = _date_range(options)
    statuses = cols[1].multiselect(
        "Status", STATUSES, key="history_status", placeholder="any", on_change=_first_page
    )
    versions = cols[2].multiselect(
        "Playbook version",
        list(options.versions),
        key="history_playbook",
        format_func=lambda v: options.versions[v],
        placeholder="any",
        on_change=_first_page,
    )
    risks = cols[3].multiselect(
        "With findings at risk",
        list(RISK_ORDER),
        key="history_risk",
        format_func=risk_label,
        placeholder="any",
        on_change=_first_page,
    )
    return HistoryFilter(
        start, end, tuple(statuses), tuple(versions), tuple(risks), search=search.strip()
    )


def _table(page: HistoryPage, show_user: bool) -> str | None:
    """The page's analyses as a selectable table; the id of the selected one, if any."""
    rows = page.rows
    columns = [c for c in COLUMNS if show_user or c != "user"]
    frame = rows.assign(
        playbook=[
            f"{n} v{v}" if isinstance(n, str) else "—"
            for n, v in zip(rows["playbook_name"], rows["playbook_version"], strict=True)
        ],
        duration_s=rows["duration_ms"] / 1000,
        error=rows["error"].fillna(""),
        user=rows["user"].fillna("—"),
        review=rows["review"].fillna("—"),
        reviewer=rows["reviewer"].fillna("—"),
    )[columns]
    event = st.dataframe(
        frame,
        hide_index=True,
        column_config={c: COLUMNS[c] for c in columns},
        key="history_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    selected = [i for i in event.selection.rows if i < len(rows)]
    return str(rows["analysis_id"].iloc[selected[0]]) if selected else None


def _pager(page: HistoryPage) -> None:
    if st.session_state.get("history_page") != page.page:
        st.session_state["history_page"] = page.page  # clamped: fewer pages than before
    left, middle, right = st.columns([1, 1, 3])
    left.number_input(
        "Page", min_value=1, max_value=page.pages, key="history_page", on_change=_clear_selection
    )
    middle.selectbox(
        "Per page", PAGE_SIZES, index=1, key="history_page_size", on_change=_first_page
    )
    right.caption(f"Page {page.page} of {page.pages} · {page.total:,} analyses match")


# --- page -------------------------------------------------------------------------------------
require_sign_in()
st.title("History")
services = services_or_stop()
notice = st.session_state.pop("history_notice", None)
if notice is not None:
    (st.success if notice[0] == "success" else st.error)(md(notice[1]))
options = guarded(lambda: history_options(services))
if options is None:
    st.stop()
if options.first_day is None:
    st.info("Nothing analysed yet: every analysis is listed here once it has run.")
    st.page_link("pages/analyze.py", label="Analyse a contract or the bundled samples", icon="🔎")
    st.stop()
filters = _filters(options)
size = int(st.session_state.get("history_page_size", PAGE_SIZES[1]))
requested = int(st.session_state.get("history_page", 1))
page = guarded(lambda: history_page(services, filters, requested, size))
if page is None:
    st.stop()
opened: str | None = None
if page.total == 0:
    st.info("No analysis matches these filters.")
else:
    st.caption("Select a row to open that analysis exactly as it was stored.")
    opened = _table(page, options.has_users)
_pager(page)
opened = opened or st.query_params.get("analysis")
if opened:
    analysis_id = opened
    analysis = guarded(lambda: load_analysis(services, analysis_id))
    if analysis is not None:
        st.divider()
        render_analysis(analysis, key="history_result", services=services)
        _delete_section(services, analysis)
elif page.total:
    st.caption("No analysis open.")
