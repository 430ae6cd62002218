"""Renders one stored or just-finished Analysis: status, risk summary, a filterable findings
table, each finding with its quote highlighted inside its clause, key terms, warnings,
parameters and downloads. Used by the Analyze and History pages alike, so a stored analysis
looks exactly as it did when it ran.

Contract text is never rendered as HTML: it is html-escaped before it goes into st.html, and
markdown-escaped before it goes into anything Streamlit renders as Markdown."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import PurePosixPath

import streamlit as st

from core.app import (
    RISK_ORDER,
    VERDICT_WORDS,
    Analysis,
    Clause,
    Finding,
    Review,
    Services,
    Verdict,
    analysis_json,
    checks_summary,
    describe_input_warning,
    findings_csv,
    guardrail_words,
    input_headline,
    input_hidden,
    key_term_rows,
    load_review,
    match_words,
    redline_docx,
    render_markdown,
    review_memo,
    risk_summary,
    rule_words,
    sorted_findings,
    verdict_standing,
)
from pages._review import (
    STATUS_ICONS,
    decision_form,
    progress,
    reviewer,
    status_words,
    teach_form,
)
from pages._ui import RISK_ICONS, guarded, md, risk_label

RISKS = list(RISK_ORDER)
KINDS = {
    "deviation": "deviation",
    "missing": "missing clause",
    "red_flag": "red flag",
    "unchecked": "could not be checked",
}
MARK = "background:#fde68a;color:inherit;padding:0 1px"
CLAUSE = "white-space:pre-wrap;font-size:0.9rem;line-height:1.5;border-left:3px solid #d1d5db;"


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def where(finding: Finding, clauses: dict[str, Clause]) -> str:
    clause = clauses.get(finding.clause_id or "")
    if clause is None:
        return "not in the contract"
    parts = [f"§ {clause.number}" if clause.number else "", clause.heading or ""]
    parts.append(f"page {clause.page}" if clause.page else "")
    return ", ".join(p for p in parts if p) or clause.id


def finding_line(finding: Finding, place: str) -> str:
    """One Markdown line naming a finding (risk, clause type, kind, `place`), text escaped."""
    return (
        f"{RISK_ICONS.get(finding.risk, '⬜')} **{finding.risk}** · {md(finding.clause_type)} "
        f"({KINDS.get(finding.kind, finding.kind)}) — {md(place)}"
    )


def quote_html(text: str, clause: Clause | None, finding: Finding) -> str:
    """The clause text with the quoted span marked; every piece of contract text escaped."""
    lo, hi = (clause.start, clause.end) if clause else (finding.start, finding.end)
    a = min(max(finding.start, lo), hi)
    b = min(max(finding.end, a), hi)
    before, quote, after = text[lo:a], text[a:b], text[b:hi]
    return (
        f'<div style="{CLAUSE}padding-left:0.75rem">{html.escape(before)}'
        f'<mark style="{MARK}">{html.escape(quote)}</mark>{html.escape(after)}</div>'
    )


def _keep_valid(key: str, options: Sequence[str]) -> None:
    # A filter keeps its choices between analyses only where they still exist here.
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def _cost(analysis: Analysis) -> str:
    u = analysis.usage
    cached = u.cache_read_input_tokens
    return f"Claude cost ${u.cost_usd:,.4f} ({cached:,} prompt tokens read from cache)"


def _kind(analysis: Analysis) -> str:
    found = analysis.contract_type
    assert found is not None
    return f"reads as a {md(found.label)} (from its {found.basis})"


def _header(analysis: Analysis) -> None:
    doc, pb = analysis.document, analysis.playbook
    st.subheader(md(doc.name))
    size = f"{doc.chars:,} characters" + (f", {doc.pages} pages" if doc.pages else "")
    st.caption(
        " · ".join(
            [
                f"playbook {md(pb.name)} v{pb.version}" if pb else "no playbook",
                f"engine {md(analysis.engine)}",
                *([_cost(analysis)] if analysis.usage.output_tokens else []),
                f"analysed {md(analysis.created_at or '?')} UTC",
                *([f"run by {md(analysis.user)}"] if analysis.user else []),
                f"{analysis.timings_ms.total / 1000:.1f} s",
                f"{size}, {len(analysis.clauses)} clauses",
                *([_kind(analysis)] if analysis.contract_type else []),
                f"analysis {analysis.analysis_id}",
            ]
        )
    )
    if analysis.contract_type and analysis.contract_type.playbook_warning:
        st.warning(md(analysis.contract_type.playbook_warning), icon="🧭")
    if analysis.status == "failed":
        st.error(f"This analysis failed: {md(analysis.error or 'no reason recorded')}")
    elif analysis.status == "interrupted":
        st.warning(
            f"This analysis was interrupted: {md(analysis.error or 'no reason recorded')}. "
            "Only the findings stored before it stopped are shown."
        )
    elif analysis.status == "running":
        st.info("This analysis is still running; the findings stored so far are shown.")


def _risk_summary(analysis: Analysis) -> None:
    counts = {r: sum(f.risk == r for f in analysis.findings) for r in RISKS}
    cols = st.columns(len(RISKS) + 1)
    cols[0].metric("Findings", len(analysis.findings))
    for col, risk in zip(cols[1:], RISKS, strict=True):
        col.metric(risk_label(risk), counts[risk])
    st.caption(f"Summary: {risk_summary(analysis)}")


def _filtered(analysis: Analysis, key: str) -> list[Finding]:
    findings = sorted_findings(analysis)
    risks = [r for r in RISKS if any(f.risk == r for f in findings)]
    types = sorted({f.clause_type for f in findings})
    kinds = [k for k in KINDS if any(f.kind == k for f in findings)]
    for name, options in (("risk", risks), ("type", types), ("kind", kinds)):
        _keep_valid(f"{key}_filter_{name}", options)
    left, middle, right = st.columns([1, 2, 1])
    pick_risk = left.multiselect("Risk", risks, key=f"{key}_filter_risk", placeholder="all")
    pick_type = middle.multiselect(
        "Clause type", types, key=f"{key}_filter_type", placeholder="all"
    )
    pick_kind = right.multiselect(
        "Kind", kinds, key=f"{key}_filter_kind", format_func=lambda k: KINDS[k], placeholder="all"
    )
    return [
        f
        for f in findings
        if (not pick_risk or f.risk in pick_risk)
        and (not pick_type or f.clause_type in pick_type)
        and (not pick_kind or f.kind in pick_kind)
    ]


def _findings(
    analysis: Analysis, key: str, review: Review | None = None, services: Services | None = None
) -> None:
    """The findings, highest risk first; with a review, as a queue to decide on."""
    st.markdown("#### Findings to review" if review else "#### Findings")
    if not analysis.findings:
        st.info("No deviations from the playbook were found.")
        return
    items = {r.finding.id: r for r in review.findings} if review else {}
    if review:
        analysis = analysis.model_copy(update={"findings": [r.finding for r in review.findings]})
        progress(review)
    shown = _filtered(analysis, key)
    if review and st.toggle("Only undecided", key=f"{key}_only_undecided"):
        shown = [f for f in shown if items[f.id].status == "undecided"]
    clauses = {c.id: c for c in analysis.clauses}
    rows = [
        (
            *([status_words(items[f.id])] if review else []),
            risk_label(f.risk),
            f.clause_type,
            KINDS.get(f.kind, f.kind),
            where(f, clauses),
            " ".join(f.source_text.split()),
            f.deviation,
        )
        for f in shown
    ]
    columns = [*(["decision"] if review else []), "risk", "clause type", "kind", "where"]
    import pandas as pd  # here, not with the landing page (pages._ui.warm_up loads it early)

    frame = pd.DataFrame(rows, columns=[*columns, "quote", "deviation"])
    st.caption(f"{len(shown)} of {len(analysis.findings)} findings, highest risk first")
    st.dataframe(
        frame,
        hide_index=True,
        key=f"{key}_findings_table",
        column_config={
            "quote": st.column_config.TextColumn(width="large"),
            "deviation": st.column_config.TextColumn(width="large"),
        },
    )
    for finding in shown:
        item = items.get(finding.id)
        status = f" · {STATUS_ICONS[item.status]} {item.status}" if item else ""
        with st.expander(finding_line(finding, where(finding, clauses)) + status):
            _finding_detail(analysis, finding, clauses)
            if item is not None and services is not None:
                decision_form(services, analysis.analysis_id, item, key)
                teach_form(services, analysis.analysis_id, analysis.document.name, item, key)


STANDING_ICONS = {"ok": "✅", "problem": "❌", "open": "➖"}
STANDING_WORDS = {"ok": "as we want", "problem": "against us", "open": "not covered"}


def _checklist(analysis: Analysis, key: str) -> None:
    """Every check of the playbook with its verdict: met, against us, or not covered, with the
    sentences it was read from."""
    st.markdown("#### Playbook checks")
    st.caption(
        f"{checks_summary(analysis)}. ✅ as we want · ❌ against us (a finding) · ➖ the contract"
        " does not say (not required)"
    )
    only = st.toggle("Only problems", key=f"{key}_checks_problems")
    shown = [v for v in analysis.verdicts if not only or verdict_standing(v) == "problem"]
    if not shown:
        st.info("Every position of the playbook is as we want it.")
    clauses = {c.id: c for c in analysis.clauses}
    findings = {f.id: f for f in analysis.findings}
    for verdict in shown:
        standing = verdict_standing(verdict)
        unwanted = "" if verdict.wanted else " (we do not want this)"
        label = (
            f"{STANDING_ICONS[standing]} {verdict.name}{unwanted} — "
            f"{VERDICT_WORDS[verdict.verdict]}"
        )
        with st.expander(md(label)):
            _verdict_detail(verdict, standing, findings, clauses)


def _verdict_detail(
    verdict: Verdict, standing: str, findings: dict[str, Finding], clauses: dict[str, Clause]
) -> None:
    st.markdown(f"**Position.** {md(verdict.statement)}")
    wanted = "We want the contract to say this" if verdict.wanted else "We do not want this"
    required = " and it is required" if verdict.wanted and verdict.required else ""
    st.caption(
        f"{wanted}{required}. Verdict: {VERDICT_WORDS[verdict.verdict]}"
        f" ({verdict.confidence:.0%} sure) — {STANDING_WORDS[standing]}."
    )
    for evidence in verdict.evidence:
        st.html(
            f'<div style="{CLAUSE}padding-left:0.6rem"><mark style="{MARK}">'
            f"{html.escape(evidence.text)}</mark></div>"
        )
    finding = findings.get(verdict.finding_id or "")
    if finding is not None:
        st.markdown(
            f"**Finding** ({risk_label(finding.risk)}): {md(finding.deviation)}  \n"
            f"**Ask for:** {md(finding.recommendation)}"
        )


def _finding_detail(analysis: Analysis, finding: Finding, clauses: dict[str, Clause]) -> None:
    clause = clauses.get(finding.clause_id or "")
    if finding.kind == "missing":
        st.caption("Not in the contract: the playbook requires this clause.")
    else:
        st.html(quote_html(analysis.document.text, clause, finding))
    label = {"missing": "Missing", "red_flag": "Red flag", "unchecked": "Not checked"}.get(
        finding.kind, "Deviation"
    )
    st.markdown(f"**{label}.** {md(finding.deviation)}")
    st.markdown(f"**Recommendation.** {md(finding.recommendation)}")
    if finding.retrieved_chunks:
        lines = [
            f"- {md(c.source)} — version {c.version}, {match_words(c)}"
            for c in finding.retrieved_chunks
        ]
        st.markdown("**Playbook guidance judged against**\n" + "\n".join(lines))
    extra = [f"raised by {md(rule_words(finding.rule))}" if finding.rule else ""]
    if finding.also_types:
        extra.append("also flagged as " + ", ".join(md(t) for t in finding.also_types))
    if any(extra):
        st.caption(" · ".join(e for e in extra if e))


def _key_terms(analysis: Analysis, key: str) -> None:
    st.markdown("#### Key terms")
    rows = key_term_rows(analysis)
    if not rows:
        st.caption("No key terms were found.")
        return
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["term", "value"])
    st.dataframe(frame, hide_index=True, key=f"{key}_key_terms")


def _input_banner(analysis: Analysis) -> None:
    """The guard's verdict up front, in the words every report uses: a contract with hidden
    text or passages that address an AI reviewer is flagged before any finding is read (the
    passages are quoted under Warnings)."""
    headline = input_headline(analysis.input_warnings)
    if headline is None:
        return
    if input_hidden(analysis.input_warnings):
        st.error(f"**{md(headline)}**", icon="🛡️")
    else:
        st.warning(f"**{md(headline)}**", icon="🛡️")


def _warnings(analysis: Analysis, notes: Sequence[str]) -> None:
    st.markdown("#### Warnings")
    shown = analysis.contract_type.playbook_warning if analysis.contract_type else None
    notes = [n for n in dict.fromkeys([*analysis.document.warnings, *notes]) if n != shown]
    for note in notes:
        st.warning(f"About the document: {md(note)}")
    for w in analysis.input_warnings:
        st.warning(md(describe_input_warning(w)))
    for g in analysis.guardrail_warnings:
        st.warning(md(guardrail_words(g)))
    if notes or analysis.input_warnings or analysis.guardrail_warnings:
        return
    if analysis.status == "failed":
        st.caption("No warnings.")
    else:
        other = "No other warnings" if shown else "No warnings"
        st.caption(f"{other}: the document had no hidden text and every finding was grounded.")


def _details(analysis: Analysis, key: str) -> None:
    import pandas as pd

    with st.expander("Parameters, timings and usage"):
        params = pd.DataFrame(
            [(name, str(value)) for name, value in analysis.parameters.items()],
            columns=["parameter", "value"],
        )
        st.dataframe(params, hide_index=True, key=f"{key}_parameters")
        timings = analysis.timings_ms.model_dump()
        st.dataframe(
            pd.DataFrame(
                [(stage, ms) for stage, ms in timings.items() if ms is not None],
                columns=["stage", "milliseconds"],
            ),
            hide_index=True,
            key=f"{key}_timings",
        )
        u = analysis.usage
        st.caption(f"LLM tokens: {u.total_tokens:,} · cost: ${u.cost_usd:,.4f}")


def _downloads(analysis: Analysis, key: str, services: Services | None, reviewed: bool) -> None:
    if analysis.status == "failed":
        return  # nothing worth keeping: the error is shown above
    stem = re.sub(r"[^\w.-]+", "-", PurePosixPath(analysis.document.name).stem).strip("-.")
    stem = stem or "contract"
    memo = render_markdown(analysis)
    if reviewed and services is not None:
        memo = guarded(lambda: review_memo(services, analysis.analysis_id)) or memo
        _redline_download(analysis, key, services, stem)
    cols = st.columns(3)
    cols[0].download_button(
        "Download JSON",
        analysis_json(analysis),
        f"{stem}-analysis.json",
        "application/json",
        key=f"{key}_download_json",
        on_click="ignore",
    )
    cols[1].download_button(
        "Download findings (CSV)",
        findings_csv(analysis),
        f"{stem}-findings.csv",
        "text/csv",
        key=f"{key}_download_csv",
        on_click="ignore",
    )
    cols[2].download_button(
        "Download memo (Markdown)",
        memo,
        f"{stem}-review.md",
        "text/markdown",
        key=f"{key}_download_md",
        on_click="ignore",
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _redline_download(analysis: Analysis, key: str, services: Services, stem: str) -> None:
    """The redline: accepted findings as tracked changes and comments."""
    red = guarded(lambda: redline_docx(services, analysis.analysis_id, reviewer(services)))
    if red is None:
        return
    if red.changes or red.comments:
        where = (
            "the original Word file" if red.based_on == "original" else "a Word copy of the text"
        )
        st.caption(
            f"The redline has {red.changes} tracked change(s) and {red.comments} comment(s),"
            f" in {where}."
        )
    else:
        st.caption("Accept findings to put them in the redline as tracked changes.")
    for warning in red.warnings:
        st.warning(md(warning))
    st.download_button(
        "Download redline (Word, tracked changes)",
        red.content,
        f"{stem}-redline.docx",
        DOCX,
        key=f"{key}_download_docx",
        on_click="ignore",
        type="primary",
        disabled=not (red.changes or red.comments),
    )


def render_analysis(
    analysis: Analysis, key: str, notes: Sequence[str] = (), services: Services | None = None
) -> None:
    """Everything about one analysis; `key` prefixes every widget key; `notes` are any further
    warnings seen while it ran (the document's own warnings are part of the analysis). With
    `services`, a completed analysis is a review queue with decisions and the redline."""
    _header(analysis)
    _input_banner(analysis)
    review = None
    if services is not None and analysis.status == "completed":
        review = guarded(lambda: load_review(services, analysis.analysis_id))
    if analysis.status == "completed" or analysis.findings:
        _risk_summary(analysis)
        _findings(analysis, key, review, services)
        if analysis.verdicts:
            _checklist(analysis, key)
        _key_terms(analysis, key)
    _warnings(analysis, notes)
    _details(analysis, key)
    _downloads(analysis, key, services, review is not None)
