"""Analyze: pick a contract (upload, pasted text or a bundled sample) and a playbook version,
watch the stages and the findings stream in, then review the result and download it. On a
fresh install, one click analyses the bundled samples so History and Insights have data."""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import cast

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.app import (
    Analysis,
    Engine,
    Event,
    FinalEvent,
    Finding,
    FindingEvent,
    Services,
    StatusEvent,
    WarningEvent,
    analyse_samples,
    has_analyses,
    limits_text,
    list_playbooks,
    list_samples,
    playbook_versions,
    preview_cost,
    read_sample,
    run_analysis,
    size_text,
)
from pages._auth import require_sign_in, signed_in_user
from pages._results import clip, finding_line, render_analysis
from pages._ui import allow_analysis, engine_choices, guarded, md, services_or_stop, warm_up

SOURCES = ("Upload a file", "Paste text", "Bundled sample")
STAGES = {
    "load": "Reading",
    "extract": "Finding clauses",
    "label": "Typing clauses and retrieving guidance",
    "analyze": "Judging clauses",
    "finalize": "Done",
}
RESULT = "analyze_result"  # session state: the last finished run, re-shown on every visit
# Our own constant markup (no contract text): scrolls the page to where the result begins.
SCROLL_TO_RESULT = (
    '<div id="analysis-result"></div><script>document.getElementById("analysis-result")'
    '.scrollIntoView({behavior: "smooth", block: "start"});</script>'
)


@dataclass
class LastRun:
    analysis: Analysis
    notes: list[str] = field(default_factory=list)  # document warnings seen while it ran


@dataclass
class _Live:
    """What the streaming generator collects while it consumes the pipeline's events."""

    found: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    final: Analysis | None = None


def _keep(key: str, options: list[object], default: object) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def _analyse_samples(services: Services) -> list[Analysis]:
    with st.status("Analysing the bundled samples…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        results: list[Analysis] = []
        for step in analyse_samples(services, user=signed_in_user()):
            bar.progress(step.fraction, text=f"{step.done}/{step.total} · {md(step.message)}")
            if step.analysis is not None:
                results.append(step.analysis)
                st.write(md(step.message))
        failed = sum(a.status != "completed" for a in results)
        label = f"Analysed {len(results)} sample runs" + (f", {failed} failed" if failed else "")
        status.update(label=label, state="error" if failed else "complete", expanded=False)
    return results


def _samples_offer(services: Services) -> None:
    """Fresh install: nothing stored yet, so offer to analyse the bundled samples."""
    done = st.session_state.get("analyze_samples_summary")
    if done:
        st.success(done)
        links = st.columns(2)
        links[0].page_link("pages/history.py", label="See them in History", icon="🗂️")
        links[1].page_link("pages/insights.py", label="Open Insights", icon="📊")
    if done or has_analyses(services):
        return
    versions = playbook_versions(services, services.settings.default_playbook)
    every = "both" if len(versions) == 2 else f"all {len(versions)}"
    with st.container(border=True):
        st.markdown(
            f"**Nothing analysed yet.** Analyse the {len(list_samples())} bundled sample "
            f"contracts under {every} versions of "
            f"{md(services.settings.default_playbook)} to see History, Insights and version "
            "comparison with real data."
        )
        if not st.button("Analyse the bundled samples", key="analyze_samples", type="primary"):
            return
        results = guarded(lambda: _analyse_samples(services))
    if results is None:
        return
    findings = sum(len(a.findings) for a in results)
    st.session_state["analyze_samples_summary"] = (
        f"Analysed the bundled samples: {len(results)} analyses, {findings} findings. "
        "History, Insights and the playbook comparison now have data."
    )
    st.rerun()


def _input(services: Services) -> tuple[bytes, str] | None:
    """The contract the user chose, as (bytes, file name), or None while nothing is chosen."""
    source = st.radio("Contract", SOURCES, key="analyze_source", horizontal=True)
    if source == SOURCES[0]:
        limit = services.settings.max_bytes
        upload = st.file_uploader(
            f"PDF, Word (.docx), text or Markdown — up to {size_text(limit)}",
            type=["pdf", "docx", "txt", "md"],
            key="analyze_upload",
            max_upload_size=max(1, math.ceil(limit / 1_000_000)),
        )
        st.caption(limits_text(services.settings))
        return (upload.getvalue(), upload.name) if upload is not None else None
    if source == SOURCES[1]:
        name = st.text_input("Name (shown in History)", "Pasted contract", key="analyze_paste_name")
        text = st.text_area("Contract text", key="analyze_text", height=240)
        filename = name.strip() or "Pasted contract"
        if not filename.lower().endswith((".txt", ".md")):
            filename += ".txt"
        return (text.encode("utf-8"), filename) if text.strip() else None
    samples = {s.name: s for s in list_samples()}
    if not samples:
        st.info("No bundled samples are installed.")
        return None
    name = st.selectbox(
        "Sample", list(samples), key="analyze_sample", format_func=lambda n: samples[n].label
    )
    data = guarded(lambda: read_sample(name))
    return (data, name) if data is not None else None


AUTOMATIC = "Automatic: the playbook for its kind of contract"


def _playbook_spec(services: Services) -> str | None:
    """NAME@VERSION, AUTOMATIC (the run picks the bundled playbook written for the kind of
    contract it reads), or None when no playbook is stored."""
    names = [str(p["name"]) for p in list_playbooks(services)]
    if not names:
        st.error("No playbook is stored; import one on the Playbooks page.")
        return None
    _keep("analyze_playbook", [AUTOMATIC, *names], AUTOMATIC)
    left, right = st.columns([2, 1])
    name = left.selectbox("Playbook", [AUTOMATIC, *names], key="analyze_playbook")
    if name == AUTOMATIC:
        right.caption(
            "An NDA gets the mutual NDA playbook; other contracts get "
            f"{services.settings.default_playbook} unless a playbook written for their kind exists."
        )
        return AUTOMATIC
    versions = playbook_versions(services, name)[::-1]  # latest first
    numbers: list[object] = [v.version for v in versions]
    published = [v.version for v in versions if not v.draft]
    default = published[0] if published else versions[0].version  # drafts only picked by hand
    tags = {v.version: " (draft)" if v.draft else "" for v in versions}
    tags[default] = tags[default] or " (published)"
    notes = {v.version: v.change_note for v in versions}
    _keep("analyze_version", numbers, default)
    version = right.selectbox(
        "Version",
        numbers,
        key="analyze_version",
        format_func=lambda n: f"v{n}{tags[n]} — {notes[n][:50]}",
    )
    return f"{name}@{version}"


def _live_line(finding: Finding) -> str:
    # Clauses arrive with the final result; while streaming, the quote says where it is.
    place = (
        "not in the contract" if finding.kind == "missing" else f"“{clip(finding.source_text, 90)}”"
    )
    return finding_line(finding, place)


def _stream(events: Iterator[Event], live: _Live, bar: DeltaGenerator) -> Iterator[str]:
    """Consume the pipeline's events: progress to the bar, and one Markdown line per finding
    (as it arrives) to st.write_stream. The sorted list is the result, shown once at the end."""
    for event in events:
        if isinstance(event, StatusEvent):
            bar.progress(event.progress, text=f"{STAGES[event.stage]}: {md(event.message)}")
        elif isinstance(event, FindingEvent):
            live.found.append(event.finding)
            yield _live_line(event.finding) + "  \n"
        elif isinstance(event, WarningEvent) and event.kind == "document":
            live.notes.append(event.message)
        elif isinstance(event, FinalEvent):
            live.final = event.analysis


ENGINE_LABELS = {
    "claude": "Claude",
    "offline": "Offline rules (deterministic, no API key, no cost)",
}


def _engine_choice(services: Services) -> Engine:
    """Claude or the offline rules when an API key is configured; otherwise offline, said so."""
    engines = guarded(lambda: engine_choices(services)) or {"offline": services.engine}
    if len(engines) == 1:
        (only,) = engines.values()
        st.caption(
            f"Engine: {md(only.name)} — the deterministic rules engine; runs fully offline."
            " Set ANTHROPIC_API_KEY to let Claude judge."
        )
        return only
    _keep("analyze_engine", list(engines), "claude")
    choice = st.radio(
        "Engine",
        list(engines),
        key="analyze_engine",
        horizontal=True,
        format_func=lambda k: (
            f"{ENGINE_LABELS[k]} ({engines[k].name.split(':', 1)[-1]})"
            if k == "claude"
            else ENGINE_LABELS[k]
        ),
    )
    return engines[str(choice)]


@st.cache_data(show_spinner=False, max_entries=16)
def _estimate_sentence(
    _services: Services, _engine: Engine, key: tuple[str, str], data: bytes, name: str, spec: str
) -> str | None:
    # Every widget change reruns the page: the document is read and split once per choice.
    # `key` (database, engine) is what the unhashed services and engine stand for.
    preview = preview_cost(_services, data, name, None if spec == AUTOMATIC else spec, _engine)
    return preview.sentence() if preview is not None else None


def _estimate(services: Services, chosen: tuple[bytes, str], spec: str, engine: Engine) -> None:
    sentence = guarded(
        lambda: _estimate_sentence(
            services, engine, (str(services.settings.db_path), engine.name), *chosen, spec
        )
    )
    if sentence is not None:
        st.info(md(sentence), icon="💲")


def _run(services: Services, data: bytes, filename: str, spec: str, engine: Engine) -> None:
    live = _Live()
    against = "the playbook for its kind" if spec == AUTOMATIC else spec
    status = st.status(f"Analysing {md(filename)} against {md(against)}…", expanded=True)
    with status:
        bar = st.progress(0.0, text="Starting")
        st.caption("Findings as they arrive")
        # Closed explicitly, so a run the user abandons is marked interrupted at once.
        run = cast(
            "Generator[Event, None, None]",
            run_analysis(
                services,
                data,
                filename,
                None if spec == AUTOMATIC else spec,
                engine=engine,
                user=signed_in_user(),
            ),
        )
        with closing(run) as events:
            st.write_stream(_stream(events, live, bar))
        final = live.final
        if final is None or final.status != "completed":
            status.update(label=f"Analysis of {md(filename)} failed", state="error")
        else:
            seconds = final.timings_ms.total / 1000
            status.update(
                label=f"Analysed {md(filename)}: {len(final.findings)} findings in {seconds:.1f} s",
                state="complete",
                expanded=False,
            )
    if final is not None:  # a failure shows its error with the result below
        st.session_state[RESULT] = LastRun(final, live.notes)


# --- page -------------------------------------------------------------------------------------
require_sign_in()
st.title("Analyze a contract")
services = services_or_stop()
offer = st.empty()  # the fresh-install offer goes once the first analysis is stored
with offer.container():
    _samples_offer(services)
chosen = _input(services)
spec = _playbook_spec(services)
engine = _engine_choice(services)
if chosen is not None and spec is not None:
    _estimate(services, chosen, spec, engine)
clicked = st.button(
    "Analyse", key="analyze_run", type="primary", disabled=chosen is None or spec is None
)
if chosen is None:
    st.caption("Choose a file, paste some text or pick a sample to analyse.")
warm_up()  # the page is on screen; load what a result needs while the user chooses
# The last result sits in a placeholder sent before a new run starts: the run's progress goes
# above it, and the previous result is gone at once instead of staying on screen, faded,
# beside the new run's progress until the run ends.
progress_area = st.container()
result_area = st.empty()
if clicked and chosen is not None and spec is not None and allow_analysis(services.settings):
    with progress_area:
        _run(services, chosen[0], chosen[1], spec, engine)
    offer.empty()
last: LastRun | None = st.session_state.get(RESULT)
if last is not None:
    with result_area.container():
        if clicked:  # a fresh result: bring it into view (the page does not move by itself)
            st.html(SCROLL_TO_RESULT, unsafe_allow_javascript=True)
        st.divider()
        render_analysis(last.analysis, key="analyze_result", notes=last.notes, services=services)
        st.page_link(
            "pages/history.py",
            label="Open in History",
            icon="🗂️",
            query_params={"analysis": last.analysis.analysis_id},
        )
