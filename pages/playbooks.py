"""Playbooks: versions and change notes, one version's positions per clause type, new versions
from edited or uploaded YAML, the diff of two versions, and how one document's findings change
between versions (with a one-click re-run against another version)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from core.app import (
    STATUS_TITLES,
    AnalysedDocument,
    Check,
    ClauseRule,
    Comparison,
    Event,
    FindingChange,
    Playbook,
    RuleChange,
    Services,
    StatusEvent,
    VersionInfo,
    analysed_documents,
    check_playbook_edit,
    compare_analyses,
    contract_kind_names,
    create_playbook_version,
    diff_playbooks,
    document_analyses,
    list_playbooks,
    parse_playbook,
    playbook_versions,
    publish_playbook_version,
    read_upload,
    rerun,
    save_check,
)
from pages._auth import require_sign_in
from pages._ui import RISK_COLOURS, allow_analysis, guarded, risk_label, services_or_stop

DEL = "color:#b91c1c;text-decoration:line-through;background:#fee2e2"
INS = "color:#15803d;text-decoration:none;background:#dcfce7"


@st.cache_resource(max_entries=32, show_spinner=False)
def _playbook(content: str, version_id: str) -> Playbook:
    # Versions are immutable, so the parsed playbook can be kept per content.
    return parse_playbook(content, version_id)


def _esc(text: object) -> str:
    return html.escape(str(text))


def _diff_html(marked: str) -> str:
    """[-old-] {+new+} markers (from FieldChange.text_diff) as struck red / green, text escaped."""
    out = re.sub(
        r"\[-(.*?)-\]", lambda m: f'<del style="{DEL}">{m[1]}</del>', _esc(marked), flags=re.S
    )
    return re.sub(r"\{\+(.*?)\+\}", lambda m: f'<ins style="{INS}">{m[1]}</ins>', out, flags=re.S)


def _risk_html(risk: str) -> str:
    return f'<b style="color:{RISK_COLOURS.get(risk, "#555")}">{_esc(risk)}</b>'


def _keep(key: str, options: Sequence[Any], default: Any) -> None:
    """Give a keyed widget a valid value before it is drawn (no default argument, no warning)."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def _version_picker(label: str, versions: list[VersionInfo], key: str, default: int) -> VersionInfo:
    by_number = {v.version: v for v in versions}
    labels = {n: f"v{n} — {v.change_note[:60]}" for n, v in by_number.items()}
    _keep(key, list(by_number), versions[default].version)
    chosen = st.selectbox(label, list(by_number), key=key, format_func=lambda n: labels[n])
    return by_number[chosen if chosen is not None else versions[default].version]


# --- 1. versions ------------------------------------------------------------------------------
def _status(v: VersionInfo, default: VersionInfo | None) -> str:
    if v.draft:
        return "draft"
    return "published · the default" if default and v.id == default.id else "published"


def _versions_section(services: Services, versions: list[VersionInfo]) -> None:
    if flash := st.session_state.pop("pb_versions_flash", None):
        st.success(flash)
    published = [v for v in versions if not v.draft]
    default = published[-1] if published else None
    rows = [
        (f"v{v.version}", _status(v, default), v.created_at, v.sha256[:12], v.change_note)
        for v in versions
    ]
    columns = ["version", "status", "created", "sha256", "change note"]
    frame = pd.DataFrame(rows[::-1], columns=columns)
    st.dataframe(frame, hide_index=True, key="pb_versions_table")
    drafts = [v for v in versions if v.draft and (default is None or v.version > default.version)]
    for v in reversed(drafts):
        with st.container(border=True):
            st.markdown(f"**v{v.version} is a draft.** {_esc(v.change_note)}")
            st.caption(
                "Analyses that name no version use the latest published one; publish this"
                " draft to make it everyone's default."
            )
            if st.button(f"Publish v{v.version}", key=f"pb_publish_{v.id}", type="primary"):
                done = guarded(partial(publish_playbook_version, services, v.id))
                if done is not None:
                    st.session_state["pb_versions_flash"] = (
                        f"Published {done.id}: analyses that name no version now use it."
                    )
                    st.rerun()
    for v in reversed(versions):
        with st.expander(f"v{v.version} change note"):
            st.html(f"<p>{_esc(v.change_note)}</p>")


# --- 2. positions -----------------------------------------------------------------------------
def _list_html(title: str, items: list[str], tag: str = "ul") -> str:
    return f"<p><b>{title}</b></p><{tag}>{''.join(items)}</{tag}>" if items else ""


def _rule_html(rule: ClauseRule) -> str:
    fallbacks = [f"<li>{_risk_html(f.risk)} {_esc(f.text)}</li>" for f in rule.fallbacks]
    flags = [
        f"<li>{_risk_html(r.risk)} {_esc(r.description)} <code>{_esc(r.pattern)}</code></li>"
        for r in rule.red_flags
    ]
    limits = [
        f"<li>{_risk_html(t.risk)} <code>{t.term} {_esc(t.op)} {t.value:g}</code>"
        f" {_esc(t.description)}</li>"
        for t in rule.thresholds
    ]
    return (
        f"<p><b>Risk</b> {_risk_html(rule.risk)} · required: {'yes' if rule.required else 'no'}</p>"
        f"<p><b>Standard</b>: {_esc(rule.standard.text)}</p>"
        + _list_html("Fallbacks, in order of preference", fallbacks, "ol")
        + _list_html("Red flags", flags)
        + _list_html("Thresholds (acceptable when true)", limits)
        + f"<p><b>Recommendation</b>: {_esc(rule.recommendation)}</p>"
    )


def _searchable(rule: ClauseRule) -> str:
    texts = [rule.type, rule.standard.text, rule.recommendation]
    texts += [f.text for f in rule.fallbacks] + [r.description for r in rule.red_flags]
    return " ".join(texts + [t.description for t in rule.thresholds]).lower()


def _positions_section(versions: list[VersionInfo]) -> None:
    info = _version_picker("Version", versions, "pb_view_version", -1)
    playbook = _playbook(info.content, info.id)
    left, right = st.columns([2, 1])
    types = left.multiselect("Clause types", [r.type for r in playbook.rules], key="pb_view_types")
    query = right.text_input("Search the positions", key="pb_view_search").strip().lower()
    rules = [
        r
        for r in playbook.rules
        if (not types or r.type in types) and (not query or query in _searchable(r))
    ]
    if playbook.rules:
        st.caption(f"{len(rules)} of {len(playbook.rules)} clause types")
    for rule in rules:
        required = " · required" if rule.required else ""
        with st.expander(f"{rule.type} — {risk_label(rule.risk)}{required}"):
            st.html(_rule_html(rule))
    checks = [c for c in playbook.checks if not query or query in _check_text(c)]
    if playbook.checks:
        st.caption(f"{len(checks)} of {len(playbook.checks)} checks (positions in plain words)")
    for check in checks:
        stance = "we want this" if check.wanted else "we do not want this"
        required = " · required" if check.required else ""
        with st.expander(f"{check.name} — {stance} · {risk_label(check.risk)}{required}"):
            st.html(_check_html(check))


def _check_text(check: Check) -> str:
    parts = [check.name, check.statement, check.recommendation, *check.examples.says]
    return " ".join([*parts, *check.examples.contradicts]).lower()


def _check_html(check: Check) -> str:
    return (
        f"<p><b>Position.</b> {_esc(check.statement)}</p>"
        + _list_html("Sentences that state it", list(check.examples.says))
        + _list_html("Sentences that go against it", list(check.examples.contradicts))
        + f"<p><b>Ask for.</b> {_esc(check.recommendation)}</p>"
    )


# --- 3b. checks as a form -----------------------------------------------------------------------
NEW_CHECK = "+ New check"
RISKS = ["low", "medium", "high", "critical"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _checks_form(services: Services, versions: list[VersionInfo]) -> None:
    latest = versions[-1]
    playbook = _playbook(latest.content, latest.id)
    flash = st.session_state.pop("pb_check_flash", None)
    if flash:
        st.success(flash)
    st.caption(
        f"Edit one check of {latest.id} in plain words; saving creates the next version."
        " No regular expressions needed."
    )
    names = {c.id: c.name for c in playbook.checks}
    _keep("pb_check_pick", [NEW_CHECK, *names], NEW_CHECK if not names else next(iter(names)))
    picked = st.selectbox(
        "Check",
        [NEW_CHECK, *names],
        key="pb_check_pick",
        format_func=lambda i: i if i == NEW_CHECK else names[i],
    )
    current = next((c for c in playbook.checks if c.id == picked), None)
    k = f"pb_check_{latest.id}_{picked}"  # widget keys per version and check: fresh defaults
    with st.form(k):
        left, right = st.columns(2)
        check_id = left.text_input("Id", current.id if current else "", key=f"{k}_id")
        title = right.text_input(
            "Title", (current.title or "") if current else "", key=f"{k}_title"
        )
        statement = st.text_area(
            "Position (plain words)",
            current.statement if current else "",
            height=80,
            key=f"{k}_statement",
        )
        a, b, c = st.columns(3)
        wanted = a.radio(
            "We want the contract to",
            ["say this", "not say this"],
            index=0 if current is None or current.wanted else 1,
            horizontal=True,
            key=f"{k}_wanted",
        )
        required = b.checkbox(
            "Required (silence is a finding)",
            current.required if current else False,
            key=f"{k}_required",
        )
        risk = c.selectbox(
            "Risk when against us",
            RISKS,
            index=RISKS.index(current.risk if current else "medium"),
            key=f"{k}_risk",
        )
        says = st.text_area(
            "Example sentences that state it (one per line)",
            "\n".join(current.examples.says) if current else "",
            key=f"{k}_says",
        )
        against = st.text_area(
            "Example sentences that go against it (one per line)",
            "\n".join(current.examples.contradicts) if current else "",
            key=f"{k}_against",
        )
        recommendation = st.text_area(
            "Ask for (recommended wording)",
            current.recommendation if current else "",
            height=80,
            key=f"{k}_recommendation",
        )
        note = st.text_input("Change note (required): why this version exists", key=f"{k}_note")
        saved = st.form_submit_button("Save as a new version", type="primary", key=f"{k}_save")
    if saved:
        fields: dict[str, object] = {
            "id": check_id.strip(),
            "title": title.strip() or None,
            "statement": statement.strip(),
            "wanted": wanted == "say this",
            "required": required,
            "risk": risk,
            "clause_types": list(current.clause_types) if current else [],
            "examples": {"says": _lines(says), "contradicts": _lines(against)},
            "recommendation": recommendation.strip(),
        }
        result = guarded(
            lambda: save_check(
                services, latest.content, fields, current.id if current else None, note
            )
        )
        if result is not None and result.created:
            st.session_state["pb_check_flash"] = result.message
            st.rerun()
        elif result is not None:
            st.info(result.message)


# --- 3. new version ---------------------------------------------------------------------------
def _load_editor(versions: list[VersionInfo]) -> None:
    flash = st.session_state.pop("pb_edit_flash", None)
    if flash:  # a version was just created: start from it, with an empty note
        st.success(flash[0])
        st.session_state["pb_edit_note"] = ""
        created = [v.version for v in versions if v.id == flash[1]]
        st.session_state.update({"pb_edit_base": created[0]} if created else {})
    left, right = st.columns(2)
    with left:
        base = _version_picker("Start from", versions, "pb_edit_base", -1)
    upload = right.file_uploader("…or upload a YAML file", type=["yaml", "yml"], key="pb_edit_up")
    source = upload.file_id if upload is not None else base.id
    if st.session_state.get("pb_edit_loaded") != source:
        text = (
            base.content
            if upload is None
            else guarded(lambda: read_upload(upload.getvalue(), upload.name))
        )
        if text is not None:
            st.session_state["pb_edit_yaml"] = text
        st.session_state["pb_edit_loaded"] = source


def _editor_section(services: Services, versions: list[VersionInfo]) -> None:
    _load_editor(versions)
    content = st.text_area("Playbook YAML", key="pb_edit_yaml", height=480)
    note = st.text_input("Change note (required): why this version exists", key="pb_edit_note")
    left, right = st.columns(2)
    if left.button("Validate", key="pb_edit_validate"):
        check = guarded(lambda: check_playbook_edit(services, content))
        if check is not None:
            st.success(check.summary)
            if check.latest is not None:
                _render_diff(check.changes, check.playbook)
    if right.button("Create version", key="pb_edit_create", type="primary"):
        result = guarded(lambda: create_playbook_version(services, content, note))
        if result is not None and result.created:
            st.session_state["pb_edit_flash"] = (result.message, result.version.id)
            st.session_state["pb_edit_loaded"] = result.version.id
            st.rerun()
        elif result is not None:
            st.info(result.message)


# --- 4. diff ----------------------------------------------------------------------------------
# What a diff's fields are called on screen (the CLI's JSON keeps the keys).
FIELD_NAMES = {"contract_types": "Kinds of contract it is written for"}


def _render_diff(changes: list[RuleChange], new: Playbook) -> None:
    if not changes:
        st.info("No clause type differs between these versions.")
    for change in changes:
        blocks = []
        rule = new.rule_for(change.clause_type)
        if change.status == "added" and rule is not None:
            blocks.append(_rule_html(rule))
        for fc in change.changes:
            name = FIELD_NAMES.get(fc.field, fc.field)
            if fc.added or fc.removed:
                said = contract_kind_names if fc.field == "contract_types" else str
                items = [f'<li><del style="{DEL}">− {_esc(said(i))}</del></li>' for i in fc.removed]
                items += [f'<li><ins style="{INS}">+ {_esc(said(i))}</ins></li>' for i in fc.added]
                blocks.append(f"<p><b>{_esc(name)}</b></p><ul>{''.join(items)}</ul>")
            else:
                blocks.append(f"<p><b>{_esc(name)}</b>: {_diff_html(fc.text_diff)}</p>")
        st.markdown(f"**{change.clause_type}** — {change.status}")
        if blocks:
            st.html("".join(blocks))


def _diff_section(versions: list[VersionInfo]) -> None:
    if len(versions) < 2:
        st.info("This playbook has one version: create another to compare them.")
        return
    left, right = st.columns(2)
    with left:
        old = _version_picker("From", versions, "pb_diff_old", -2)
    with right:
        new = _version_picker("To", versions, "pb_diff_new", -1)
    st.caption(f"{old.id} → {new.id}")
    new_playbook = _playbook(new.content, new.id)
    _render_diff(diff_playbooks(_playbook(old.content, old.id), new_playbook), new_playbook)


# --- 5. analyses of one document under two versions -----------------------------------------
def _change_rows(changes: list[FindingChange]) -> pd.DataFrame:
    rows = []
    for c in changes:
        f = c.finding
        risks = [risk_label(x.risk) for x in (c.before, c.after) if x is not None]
        quote = f.source_text if f.kind != "missing" else "(clause missing)"
        rows.append((f.clause_type, f.kind, " → ".join(risks), quote[:240], f.deviation))
    return pd.DataFrame(rows, columns=["clause type", "kind", "risk", "quote", "deviation"])


def _show_comparison(cmp: Comparison) -> None:
    before, after = cmp.before.playbook, cmp.after.playbook
    st.caption(f"{before.version_id if before else '?'} → {after.version_id if after else '?'}")
    counts = cmp.counts()
    for col, (status, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        col.metric(STATUS_TITLES[status], count)
    for status in ("added", "removed", "risk_changed"):
        if cmp.of(status):
            st.subheader(STATUS_TITLES[status])
            st.dataframe(_change_rows(cmp.of(status)), hide_index=True, key=f"pb_cmp_{status}")
    for change in cmp.of("reworded"):
        f = change.finding
        diffs = [f"<p><b>{k}</b>: {_diff_html(v)}</p>" for k, v in change.text_diffs().items()]
        with st.expander(f"Guidance changed: {f.clause_type} ({f.kind}, {risk_label(f.risk)})"):
            st.html("".join(diffs))


def _rerun_control(services: Services, doc: AnalysedDocument, analysis_id: str, name: str) -> None:
    versions = playbook_versions(services, name)
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    with left:
        target = _version_picker(
            f"Re-run against a version of {name}", versions, "pb_cmp_target", -1
        )
    clicked = right.button(
        f"Re-run this document against version {target.version}",
        key="pb_cmp_rerun",
        disabled=not doc.original_stored,
        help=None if doc.original_stored else "the original file of this document is not stored",
    )
    if not clicked or not allow_analysis(services.settings):  # a re-run counts as an analysis
        return
    bar = st.progress(0.0, text=f"Re-running {doc.name} against {target.id}")

    def show(event: Event) -> None:
        if isinstance(event, StatusEvent):
            bar.progress(event.progress, text=event.message)

    new = guarded(lambda: rerun(services, analysis_id, f"{name}@{target.version}", show))
    if new is not None:
        st.session_state["pb_cmp_pending"] = (analysis_id, new.analysis_id)
        st.rerun()


def _doc(d: AnalysedDocument) -> str:
    return f"{d.name} · {d.analyses} analyses · last {d.last_analysed:%Y-%m-%d %H:%M}"


def _compare_section(services: Services, playbook_name: str) -> None:
    docs = {d.sha256: d for d in analysed_documents(services)}
    if not docs:
        st.info("No document has been analysed yet: analyse one on the Analyze page first.")
        return
    pending = st.session_state.pop("pb_cmp_pending", None)
    if pending:  # a re-run just finished: compare the analysis it started from with the new one
        st.session_state.update(pb_cmp_before=pending[0], pb_cmp_after=pending[1])
    sha = st.selectbox(
        "Document", list(docs), key="pb_cmp_doc", format_func=lambda s: _doc(docs[s])
    )
    runs = {r.analysis_id: r for r in document_analyses(services, sha)}
    ids = list(runs)
    first = next(iter(runs.values()))
    other = next((i for i, r in runs.items() if r.version_id != first.version_id), ids[-1])
    _keep("pb_cmp_before", ids, other)
    _keep("pb_cmp_after", ids, ids[0])
    left, right = st.columns(2)
    before = left.selectbox(
        "Compare", ids, key="pb_cmp_before", format_func=lambda i: runs[i].label
    )
    after = right.selectbox("with", ids, key="pb_cmp_after", format_func=lambda i: runs[i].label)
    _rerun_control(services, docs[sha], before, runs[before].playbook_name or playbook_name)
    if before == after:
        st.info("Pick two different analyses, or re-run this document against another version.")
        return
    comparison = guarded(lambda: compare_analyses(services, before, after))
    if comparison is not None:
        _show_comparison(comparison)


# --- page -------------------------------------------------------------------------------------
require_sign_in()  # before anything is opened for this visitor
services = services_or_stop()
st.title("Playbooks")
playbooks = {str(p["name"]): p for p in list_playbooks(services)}
if not playbooks:
    st.info("No playbook is stored yet.")
    st.stop()
name = st.selectbox(
    "Playbook",
    list(playbooks),
    key="pb_name",
    format_func=lambda n: f"{n} — {playbooks[n]['title']}",
)
versions = playbook_versions(services, name)
tabs = st.tabs(["Versions", "Positions", "Edit a check", "New version", "Diff", "Compare analyses"])
with tabs[0]:
    _versions_section(services, versions)
with tabs[1]:
    _positions_section(versions)
with tabs[2]:
    _checks_form(services, versions)
with tabs[3]:
    _editor_section(services, versions)
with tabs[4]:
    _diff_section(versions)
with tabs[5]:
    _compare_section(services, name)
