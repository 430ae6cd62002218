"""The memo's words for a review: each finding's decision, the review's progress, and the
warnings a reader of the memo must see (what the input guard and the grounding check found)."""

from __future__ import annotations

from core import guards
from core.models import Analysis
from core.reports.markdown_text import md
from core.reports.wording import guardrail_words
from core.review.model import REASON_WORDS, STATE_WORDS, Review, ReviewedFinding


def review_summary(review: Review) -> str:
    accepted = sum(r.status == "accepted" for r in review.findings)
    dismissed = sum(r.status == "dismissed" for r in review.findings)
    return (
        f"{STATE_WORDS[review.state]}: {review.progress}"
        f" ({accepted} accepted, {dismissed} dismissed)"
    )


def decision_words(item: ReviewedFinding) -> str:
    """e.g. "Dismissed (acceptable risk) by Ann on 2026-12-04. Note: agreed on the call." """
    if item.status == "undecided":
        words = "Not decided yet"
    elif item.status == "accepted":
        words = "Accepted"
    else:
        words = f"Dismissed ({REASON_WORDS.get(item.reason or '', 'no reason given')})"
    if item.status != "undecided" and item.decided_by:
        words += f" by {item.decided_by}"
    if item.status != "undecided" and item.decided_at:
        words += f" on {item.decided_at[:10]}"
    words += "."
    if item.edited:
        before = f" (was {item.original_risk})" if item.original_risk else ""
        words += f" Edited by the reviewer{before}."
    if item.note:
        words += f" Note: {item.note}"
    return words


def warning_lines(analysis: Analysis) -> list[str]:
    """A Markdown "Warnings" section, or nothing when there is none."""
    lines = [f"- {md(guardrail_words(w))}" for w in analysis.guardrail_warnings]
    if headline := guards.headline(analysis.input_warnings):
        lines.append(f"- **{md(headline)}**")
    lines += [f"- {md(guards.describe(w))}" for w in analysis.input_warnings]
    return ["## Warnings", "", *lines, ""] if lines else []
