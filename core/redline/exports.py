"""What a review hands back: the redlined Word document and the Markdown memo of decisions."""

from __future__ import annotations

from datetime import UTC, datetime

from core.errors import NotFound
from core.redline.result import Redline
from core.reports.render import render_markdown
from core.review.actions import load_review
from core.review.model import Review
from core.store import Store

DEFAULT_AUTHOR = "Contract Analyzer"


def redline(store: Store, analysis_id: str, author: str | None = None) -> Redline:
    """The analysis's accepted findings as tracked changes: in the uploaded Word file when the
    document was one, else in a Word copy of its text."""
    analysis, review = load_review(store, analysis_id)
    original = None
    if analysis.document.format == "docx":
        try:
            _, original = store.load_document(analysis.document.sha256)
        except NotFound:
            original = None  # analysed with --no-store of the file: a copy of the text it is
    name = author or last_decider(review) or DEFAULT_AUTHOR
    from core.redline.document import build_redline  # python-docx: only when a redline is made

    return build_redline(analysis, review, original, name, datetime.now(UTC))


def memo(store: Store, analysis_id: str) -> str:
    analysis, review = load_review(store, analysis_id)
    return render_markdown(analysis, review)


def last_decider(review: Review) -> str | None:
    users = [d.user for d in review.decisions if d.user]
    return users[-1] if users else None
