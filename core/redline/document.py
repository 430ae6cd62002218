"""Build the redline: the reviewed analysis's accepted findings as tracked changes and comments,
in the original Word file when there is one, else in a clean Word copy of the document's text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

import docx

from core import guards
from core.documents.normalize import normalize
from core.documents.word import Piece, walk_body
from core.errors import ReviewError
from core.models import Analysis
from core.redline import marks
from core.redline.result import Basis, Redline
from core.review.model import Review, ReviewedFinding


@dataclass
class _Target:
    document: Any  # python-docx Document
    pieces: list[Piece]
    source_map: list[int]  # normalised text offset -> raw offset of the walked body


def build_redline(
    analysis: Analysis,
    review: Review,
    original: bytes | None,
    author: str,
    when: datetime,
) -> Redline:
    """`original`: the uploaded bytes when the document was a Word file (None otherwise)."""
    if analysis.status != "completed":
        raise ReviewError("only a completed analysis can be exported as a redline")
    warnings: list[str] = []
    target, based_on = _open(analysis, original, warnings)
    rev = marks.Revision(
        author, when.strftime("%Y-%m-%dT%H:%M:%SZ"), marks.first_free_id(target.document.element)
    )
    accepted = [r for r in review.findings if r.status == "accepted"]
    quoted = [r for r in accepted if r.finding.end > r.finding.start]
    changes, comments = 0, _input_comments(target, analysis, author)
    for group in _overlapping(quoted):
        placed = _quote_change(target, group, rev, author)
        if placed is None:
            warnings.append(_unplaced(group))
            continue
        changes += placed
        comments += len(group)
    for item in (r for r in accepted if r.finding.end <= r.finding.start):
        if _missing_clause(target, item, rev, author):
            changes, comments = changes + 1, comments + 1
        else:
            warnings.append(f"{item.finding.clause_type}: no recommended clause to insert")
    out = BytesIO()
    target.document.save(out)
    return Redline(out.getvalue(), based_on, changes, comments, warnings)


def _open(analysis: Analysis, original: bytes | None, warnings: list[str]) -> tuple[_Target, Basis]:
    text = analysis.document.text
    if original is not None:
        target, walked = _target(docx.Document(BytesIO(original)), analysis.document.name)
        if walked == text:
            return target, "original"
        warnings.append(
            "The Word file no longer reads exactly as it did when it was analysed, so the"
            " changes are made on a Word copy of the analysed text."
        )
    copy = docx.Document()
    for line in text.split("\n"):
        copy.add_paragraph(line)
    target, walked = _target(copy, analysis.document.name)
    if walked != text:
        raise ReviewError("the document's text could not be laid out as a Word file")
    return target, "text"


def _target(document: Any, name: str) -> tuple[_Target, str]:
    """The document with where its text sits, and its text as the analysis read it."""
    pieces: list[Piece] = []
    walker = walk_body(document, name, pieces)
    text, source_map = normalize("\n".join(walker.lines))
    return _Target(document, pieces, source_map), text


def _overlapping(items: list[ReviewedFinding]) -> list[list[ReviewedFinding]]:
    """Accepted findings whose quotes overlap are changed together (one deletion)."""
    groups: list[list[ReviewedFinding]] = []
    for item in sorted(items, key=lambda r: (r.finding.start, r.finding.end)):
        if groups and item.finding.start < max(r.finding.end for r in groups[-1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _quote_change(
    target: _Target, group: list[ReviewedFinding], rev: marks.Revision, author: str
) -> int | None:
    """Delete the quote and insert the recommendations; a comment per finding. Returns 1 when a
    tracked change was made, 0 for comments only (no recommendation), None if not placeable."""
    start = min(r.finding.start for r in group)
    end = max(r.finding.end for r in group)
    smap = target.source_map
    runs = marks.cut_runs(target.pieces, smap[start], smap[end - 1] + 1)
    if not runs:
        return None
    wording = [r.finding.recommendation.strip() for r in group if r.finding.recommendation.strip()]
    first, last = runs[0], runs[-1]
    if wording:
        wrappers = marks.delete(runs, rev)
        inserted = marks.insertion(" ".join(dict.fromkeys(wording)), rev, like=runs[-1])
        wrappers[-1].addnext(inserted)
        first, last = wrappers[0], inserted
    for item in group:
        _comment(target, _comment_text(item), author, first, last)
    return 1 if wording else 0


def _missing_clause(
    target: _Target, item: ReviewedFinding, rev: marks.Revision, author: str
) -> bool:
    """Insert the recommended clause as a new paragraph at the end of the document."""
    wording = item.finding.recommendation.strip()
    if not wording:
        return False
    body = target.document.element.body
    paragraph = marks.inserted_paragraph(wording, rev)
    section = body.find(docx.oxml.ns.qn("w:sectPr"))
    if section is not None:
        section.addprevious(paragraph)
    else:
        body.append(paragraph)
    inserted = paragraph.find(docx.oxml.ns.qn("w:ins"))
    _comment(target, _comment_text(item), author, inserted, inserted)
    return True


def _input_comments(target: _Target, analysis: Analysis, author: str) -> int:
    """What the input guard found, where it is: a comment on each flagged passage in the words
    of every other report (the first also carries the verdict), placed before any change so
    the other side's reviewer sees it in Word too. Returns how many were placed."""
    headline = guards.headline(analysis.input_warnings)
    smap = target.source_map
    placed = 0
    for warning in analysis.input_warnings:
        if warning.end <= warning.start:
            continue
        runs = marks.cut_runs(target.pieces, smap[warning.start], smap[warning.end - 1] + 1)
        if not runs:
            continue
        lines = [headline] if headline and not placed else []
        text = "\n".join([*lines, guards.describe(warning)])
        _comment(target, text, author, runs[0], runs[-1])
        placed += 1
    return placed


def _comment(target: _Target, text: str, author: str, first: Any, last: Any) -> None:
    """A Word comment by `author` on first..last (inline elements)."""
    comment = target.document.comments.add_comment(text, author=author, initials=_initials(author))
    marks.anchor_comment(first, last, comment.comment_id)


def _comment_text(item: ReviewedFinding) -> str:
    f = item.finding
    lines = [f"{f.risk.capitalize()} risk: {f.clause_type}", f.deviation]
    if item.note:
        lines.append(f"Reviewer's note: {item.note}")
    return "\n".join(line for line in lines if line)


def _initials(author: str) -> str:
    return "".join(word[0] for word in author.split()[:3]).upper()


def _unplaced(group: list[ReviewedFinding]) -> str:
    names = ", ".join(r.finding.clause_type for r in group)
    return (
        f"{names}: the quoted text sits where a tracked change cannot go"
        " (a text box or a list number); see the memo"
    )
