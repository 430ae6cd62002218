"""Human-readable renderings of an analysis: a terminal report and a Markdown memo."""

from __future__ import annotations

from collections import Counter

from core import guards
from core.models import RISK_ORDER, Analysis, Finding, KeyTerms, Verdict
from core.reports.markdown_text import md as _md
from core.reports.review_md import decision_words, review_summary, warning_lines
from core.reports.wording import guardrail_words, match_words
from core.review.model import Review

_TERM_LABELS = {
    "document_name": "Document",
    "agreement_date": "Agreement date",
    "effective_date": "Effective date",
    "expiration_date": "Expiration date",
    "initial_term_months": "Initial term (months)",
    "renewal_term": "Renewal term",
    "notice_period_days": "Notice to stop renewal (days)",
    "governing_law": "Governing law",
    "liability_cap": "Liability cap",
    "payment_terms_days": "Payment term (days)",
}


def sorted_findings(analysis: Analysis) -> list[Finding]:
    return sorted(analysis.findings, key=lambda f: (RISK_ORDER[f.risk], f.start, f.id))


def risk_summary(analysis: Analysis) -> str:
    counts: Counter[str] = Counter(f.risk for f in analysis.findings)
    parts = [f"{counts[r]} {r}" for r in RISK_ORDER if counts[r]]
    return ", ".join(parts) if parts else "no findings"


REDACTED = "redacted — cannot be assessed"
UNFILLED = "not filled in (template placeholder)"


def _blank(terms: KeyTerms, field: str) -> str | None:
    """How a term the copy leaves out reads; the liability cap stands for its amount/months."""
    fields = {field, f"{field}_amount", f"{field}_months"} if field == "liability_cap" else {field}
    if fields & set(terms.redacted):
        return REDACTED
    return UNFILLED if fields & set(terms.unfilled) else None


def key_term_rows(analysis: Analysis) -> list[tuple[str, str]]:
    terms = analysis.key_terms
    blank_party = ["(a party not filled in)"] if "parties" in terms.unfilled else []
    parties = [*terms.parties, *blank_party]
    rows = [("Parties", "; ".join(parties))] if terms.parties else []
    if not terms.parties and "parties" in terms.unfilled:
        rows.append(("Parties", UNFILLED))
    for field, label in _TERM_LABELS.items():
        value = getattr(terms, field)
        if value not in (None, ""):
            rows.append((label, str(value)))
        elif blank := _blank(terms, field):
            rows.append((label, blank))
    return rows


def _where(analysis: Analysis, finding: Finding) -> str:
    clause = next((c for c in analysis.clauses if c.id == finding.clause_id), None)
    if clause is None:
        return "not in the contract"
    parts = [
        f"§ {clause.number}" if clause.number else "",
        clause.heading or "",
        f"page {clause.page}" if clause.page else "",
    ]
    return ", ".join(p for p in parts if p) or clause.id


VERDICT_WORDS = {
    "states": "the contract says this",
    "contradicts": "the contract says otherwise",
    "silent": "the contract does not say",
}


def verdict_standing(v: Verdict) -> str:
    """ "ok" when the verdict is on the company's side, "problem" when it goes against it (a
    finding), "open" when the contract is silent on a position that is not required."""
    if v.verdict == "silent":
        return "problem" if v.wanted and v.required else "open" if v.wanted else "ok"
    return "ok" if (v.verdict == "states") == v.wanted else "problem"


MARKS = {"ok": "✓", "problem": "✗", "open": "–"}


def checklist_lines(analysis: Analysis) -> list[str]:
    """One line per playbook check: its mark, name, verdict in words and confidence."""
    out = []
    for v in analysis.verdicts:
        wanted = "" if v.wanted else " (we do not want this)"
        out.append(
            f"{MARKS[verdict_standing(v)]} {v.name}{wanted}: {VERDICT_WORDS[v.verdict]}"
            f" ({v.confidence:.0%} sure)"
        )
    return out


def checks_summary(analysis: Analysis) -> str:
    ok = sum(verdict_standing(v) == "ok" for v in analysis.verdicts)
    return f"{ok} of {len(analysis.verdicts)} positions as we want them"


def render_text(analysis: Analysis) -> str:
    doc = analysis.document
    if analysis.status != "completed":
        return f"{doc.name}: {analysis.status.upper()} — {analysis.error}\n"
    pb = analysis.playbook
    lines = [
        f"{doc.name}  ({doc.chars:,} chars{f', {doc.pages} pages' if doc.pages else ''}, "
        f"{len(analysis.clauses)} clauses)",
        f"Playbook {pb.name} v{pb.version}  ·  engine {analysis.engine}  ·  "
        f"{analysis.timings_ms.total / 1000:.1f} s  ·  analysis {analysis.analysis_id}"
        if pb
        else "",
        *([f"Reads as a {analysis.contract_type.label}"] if analysis.contract_type else []),
        f"Findings: {risk_summary(analysis)}",
        "",
    ]
    for f in sorted_findings(analysis):
        lines.append(
            f"[{f.risk.upper()}] {f.clause_type} — {f.kind.replace('_', ' ')} "
            f"({_where(analysis, f)})"
        )
        if f.source_text:
            lines.append(f'  "{_clip(f.source_text, 300)}"')
        lines.append(f"  Why: {f.deviation}")
        lines.append(f"  Ask for: {f.recommendation}")
        if f.retrieved_chunks:
            lines.append(
                f"  Guidance: {f.retrieved_chunks[0].source} ({match_words(f.retrieved_chunks[0])})"
            )
        lines.append("")
    if analysis.verdicts:
        lines.append(f"Playbook checks: {checks_summary(analysis)}")
        lines += [f"  {line}" for line in checklist_lines(analysis)]
        lines.append("")
    if rows := key_term_rows(analysis):
        lines.append("Key terms:")
        lines += [f"  {label}: {value}" for label, value in rows]
    if cost := usage_line(analysis):
        lines.append(cost)
    lines += [f"Warning: {message}" for message in doc.warnings]
    lines += [f"Warning: {guardrail_words(w)}" for w in analysis.guardrail_warnings]
    if headline := guards.headline(analysis.input_warnings):
        lines.append(f"Warning: {headline}")
    lines += [f"  {guards.describe(w)}" for w in analysis.input_warnings]
    return "\n".join(lines).rstrip() + "\n"


def usage_line(analysis: Analysis) -> str:
    """What the LLM calls of this analysis used and cost (empty for offline analyses)."""
    u = analysis.usage
    if not u.total_tokens:
        return ""
    return (
        f"Claude usage: {u.prompt_tokens:,} input tokens"
        f" ({u.cache_read_input_tokens:,} read from cache),"
        f" {u.output_tokens:,} output tokens, ${u.cost_usd:.4f}"
    )


def render_markdown(analysis: Analysis, review: Review | None = None) -> str:
    """The memo; with a review, findings as the reviewer edited them, each with its decision."""
    if review is not None:
        analysis = analysis.model_copy(update={"findings": [r.finding for r in review.findings]})
    decided = {r.finding.id: r for r in review.findings} if review else {}
    doc, pb = analysis.document, analysis.playbook
    out = [f"# Contract review: {_md(doc.name)}", ""]
    if analysis.status != "completed":
        return "\n".join([*out, f"**{analysis.status.title()}:** {_md(analysis.error or '')}", ""])
    out += [
        f"- **Playbook:** {pb.name} v{pb.version}" if pb else "- **Playbook:** none",
        f"- **Engine:** {analysis.engine}",
        *(
            [f"- **Contract type:** {_md(analysis.contract_type.label)}"]
            if analysis.contract_type
            else []
        ),
        *([f"- **{usage_line(analysis)}**"] if usage_line(analysis) else []),
        f"- **Reviewed:** {analysis.created_at} UTC (analysis `{analysis.analysis_id}`)",
        f"- **Findings:** {risk_summary(analysis)}",
        *([f"- **Review:** {review_summary(review)}"] if review else []),
        *[f"- **Warning:** {_md(message)}" for message in doc.warnings],
        "",
    ]
    if rows := key_term_rows(analysis):
        out += ["## Key terms", "", "| Term | Value |", "|---|---|"]
        out += [f"| {label} | {_md(value)} |" for label, value in rows]
        out.append("")
    out += ["## Findings", ""]
    for n, f in enumerate(sorted_findings(analysis), 1):
        out += [
            f"### {n}. {f.clause_type} — {f.risk} risk ({f.kind.replace('_', ' ')})",
            "",
            f"*Where:* {_md(_where(analysis, f))}",
            "",
        ]
        if f.source_text:
            out += [f"> {_md(_clip(f.source_text, 600))}", ""]
        out += [
            f"**Issue.** {_md(f.deviation)}",
            "",
            f"**Recommendation.** {_md(f.recommendation)}",
            "",
        ]
        if f.retrieved_chunks:
            cites = "; ".join(f"{c.source} ({match_words(c)})" for c in f.retrieved_chunks)
            out += [f"*Playbook guidance:* {_md(cites)}", ""]
        if f.id in decided:
            out += [f"**Decision.** {_md(decision_words(decided[f.id]))}", ""]
    if not analysis.findings:
        out += ["No deviations from the playbook were found.", ""]
    if analysis.verdicts:
        out += [f"## Playbook checks: {checks_summary(analysis)}", ""]
        out += [f"- {_md(line)}" for line in checklist_lines(analysis)]
        out.append("")
    out += warning_lines(analysis)
    return "\n".join(out)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
