"""The review queue of one stored analysis: where the review stands, and on each finding the
form that accepts, dismisses (with a reason) or edits it, with a note. Every save is one or more
decision events; the analysis itself is never changed."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.app import (
    REASON_WORDS,
    RISK_ORDER,
    STATE_WORDS,
    Action,
    Review,
    ReviewedFinding,
    Services,
    accept_wording,
    accept_wording_note,
    decide,
)
from pages._auth import signed_in_user
from pages._ui import guarded, risk_label

RISKS = list(RISK_ORDER)
STATUS_ICONS = {"undecided": "⏳", "accepted": "✅", "dismissed": "🚫"}
CHOICES = {"undecided": "Undecided", "accepted": "Accept", "dismissed": "Dismiss"}
_ACTION_FOR = {"accepted": "accept", "dismissed": "dismiss", "undecided": "reopen"}


def status_words(item: ReviewedFinding) -> str:
    """e.g. "✅ accepted", "🚫 dismissed: acceptable risk", "⏳ undecided"."""
    words = f"{STATUS_ICONS[item.status]} {item.status}"
    if item.status == "dismissed" and item.reason:
        words += f": {REASON_WORDS[item.reason]}"
    return words + (" · edited" if item.edited else "")


def progress(review: Review) -> None:
    share = review.decided / review.total if review.total else 1.0
    st.progress(share, text=f"{STATE_WORDS[review.state]} · {review.progress}")


def reviewer(services: Services) -> str | None:
    return signed_in_user() or services.settings.reviewer or None


def decision_form(services: Services, analysis_id: str, item: ReviewedFinding, key: str) -> None:
    f = item.finding
    k = f"{key}_{f.id}"
    if item.decided_by or item.note:
        who = f"Last decided by {item.decided_by}" if item.decided_by else "Decided"
        when = f" on {item.decided_at[:10]}" if item.decided_at else ""
        note = f". Note: {item.note}" if item.note else ""
        st.caption(f"{who}{when}{note}")
    with st.form(key=f"{k}_form", border=True):
        left, middle, right = st.columns([2, 2, 1])
        choice = left.radio(
            "Decision",
            list(CHOICES),
            index=list(CHOICES).index(item.status),
            format_func=CHOICES.__getitem__,
            horizontal=True,
            key=f"{k}_choice",
        )
        reason = middle.selectbox(
            "Why dismiss it",
            list(REASON_WORDS),
            index=list(REASON_WORDS).index(item.reason) if item.reason else 0,
            format_func=REASON_WORDS.__getitem__,
            key=f"{k}_reason",
        )
        risk = right.selectbox(
            "Risk", RISKS, index=RISKS.index(f.risk), format_func=risk_label, key=f"{k}_risk"
        )
        wording = st.text_area("Recommendation", value=f.recommendation, key=f"{k}_wording")
        note = st.text_input("Note (optional)", key=f"{k}_note")
        saved = st.form_submit_button("Save decision", key=f"{k}_save", type="primary")
    if saved:
        changes = _changes(item, choice, reason, risk, wording, note)
        if not changes:
            st.info("Nothing changed.")
            return
        user = reviewer(services)
        for action, fields in changes:
            done = guarded(
                partial(decide, services, analysis_id, [f.id], action, user=user, **fields)
            )
            if done is None:
                return
        st.toast(f"Decision saved: {CHOICES[choice].lower()}")
        st.rerun()


def teach_form(
    services: Services, analysis_id: str, document: str, item: ReviewedFinding, key: str
) -> None:
    """For a finding dismissed as an acceptable risk: make its wording accepted in the playbook's
    next version, so the same wording is not flagged again."""
    f = item.finding
    if (item.status, item.reason) != ("dismissed", "acceptable_risk") or f.end <= f.start:
        return
    k = f"{key}_{f.id}_teach"
    with st.form(key=k, border=True):
        st.markdown("**Don't flag this wording again**")
        st.caption(
            "Adds the quoted wording to this position in a new version of the playbook; later"
            " analyses under that version accept it."
        )
        note = st.text_input(
            "Change note", value=accept_wording_note(document, f.clause_type), key=f"{k}_note"
        )
        taught = st.form_submit_button("Add to the playbook", key=f"{k}_save")
    if taught:
        result = guarded(partial(accept_wording, services, analysis_id, f.id, note))
        if result is not None:
            after = (
                "a draft: once it is published on the Playbooks page, analyses accept this wording"
                if result.version.draft
                else "analyses under it accept this wording"
            )
            st.success(f"Saved as {result.version.id}, {after}.")


def _changes(
    item: ReviewedFinding, choice: str, reason: str, risk: str, wording: str, note: str
) -> list[tuple[Action, dict[str, object]]]:
    """The decision events a save makes: the edit first, then the status; the note rides on the
    last of them, or goes alone."""
    out: list[tuple[Action, dict[str, object]]] = []
    edit: dict[str, object] = {}
    if risk != item.finding.risk:
        edit["risk"] = risk
    if wording.strip() and wording.strip() != item.finding.recommendation:
        edit["recommendation"] = wording.strip()
    if edit:
        out.append(("edit", edit))
    if choice != item.status or (choice == "dismissed" and reason != item.reason):
        out.append((_ACTION_FOR[choice], {"reason": reason} if choice == "dismissed" else {}))  # type: ignore[arg-type]
    if note.strip():
        if out:
            out[-1][1]["note"] = note.strip()
        else:
            out.append(("note", {"note": note.strip()}))
    return out
