"""Clause extraction: contract structure in, clauses with exact [start, end) offsets out.

Page furniture never starts, ends or forms a clause; when it falls inside a clause (a page break
mid-section) it is left out of the clause's `runs`, the stretches of text that are analysed.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from core.clauses.lines import Line, find_furniture, split_inline, split_lines
from core.clauses.sentences import split_sentences
from core.clauses.structure import Boundary, classify
from core.models import Clause


@dataclass
class Segment:
    """A clause plus the stretches of document text that are its words (furniture excluded)."""

    clause: Clause
    runs: list[tuple[int, int]]
    text: str  # the runs joined by newlines: what labelling and embedding read

    def sentences(self, doc_text: str) -> list[tuple[int, int]]:
        return [s for a, b in self.runs for s in split_sentences(doc_text, a, b)]


@dataclass
class _Draft:
    boundary: Boundary | None
    section: str | None
    lines: list[Line] = field(default_factory=list)
    heading_lines: int = 0  # leading lines that hold only headings/numbers
    is_list: bool = False  # a lead-in kept with its items (see _keep_lists)

    @property
    def only_headings(self) -> bool:
        return len(self.lines) == self.heading_lines


def extract_clauses(
    text: str,
    page_starts: list[int] | None = None,
    heading_offsets: list[int] | None = None,
    max_clause_chars: int = 1800,
) -> list[Segment]:
    lines = split_lines(text)
    lines, furniture = split_inline(lines, find_furniture(lines, page_starts or []))
    # A list stays whole up to twice the clause limit: cutting it at an arbitrary sentence would
    # separate items from the lead-in they complete.
    list_limit = 2 * max_clause_chars
    drafts = _keep_lists(_draft_clauses(lines, furniture, set(heading_offsets or [])), list_limit)
    segments: list[Segment] = []
    for draft in drafts:
        limit = list_limit if draft.is_list else max_clause_chars
        for runs in _split_long(text, _runs(draft.lines, furniture), limit):
            segments.append(_segment(text, draft, runs, len(segments), page_starts or []))
    return segments


def _draft_clauses(lines: list[Line], furniture: set[int], marked: set[int]) -> list[_Draft]:
    drafts: list[_Draft] = []
    section: str | None = None
    current: _Draft | None = None
    previous: Line | None = None
    for line in lines:
        if line.blank or line.index in furniture:
            continue
        boundary = classify(line.text, line.start in marked)
        if boundary is not None and boundary.kind == "heading" and _wrapped(previous, line):
            boundary = None  # the next line of a wrapped sentence, not a heading
        previous = line
        if boundary is None or (current and _continues(current, boundary)):
            if current is None:
                current = _Draft(None, None)
                drafts.append(current)
            current.lines.append(line)
            continue
        if boundary.level == "top":
            section = boundary.heading
        if current is not None and current.only_headings and current.lines:
            # A heading line on its own ("ARTICLE V", "TERM AND TERMINATION") belongs to the
            # clause that follows it.
            current = _merge_heading(current, boundary, section)
        else:
            current = _Draft(boundary, section if boundary.level != "top" else None)
            drafts.append(current)
        current.lines.append(line)
        if boundary.heading_only:
            current.heading_lines = len(current.lines)
    return drafts


def _keep_lists(drafts: list[_Draft], limit: int) -> list[_Draft]:
    """A numbered clause whose words end with a colon introduces a list ("Either party may
    terminate this Agreement: (a) …; (b) …"): its items only complete its sentence, so the lead-in
    and the items below it are one clause when together they fit within `limit` characters.
    Longer lists keep one clause per item."""
    kept: list[_Draft] = []
    i = 0
    while i < len(drafts):
        lead = drafts[i]
        j = i + 1
        if _introduces_list(lead):
            while j < len(drafts) and _below(drafts[j], lead):
                j += 1
        group = drafts[i:j]
        kept.append(lead)
        if j > i + 1 and group[-1].lines[-1].end - lead.lines[0].start <= limit:
            lead.lines = [line for draft in group for line in draft.lines]
            lead.is_list = True
            i = j
        else:
            i += 1  # too long to keep whole: its items stay clauses (and may lead lists)
    return kept


def _introduces_list(draft: _Draft) -> bool:
    b = draft.boundary
    return (
        b is not None
        and b.kind == "numbered"
        and b.level != "item"
        and not draft.only_headings
        and draft.lines[-1].text.rstrip().endswith((":", "—", "–"))
    )


def _below(draft: _Draft, lead: _Draft) -> bool:
    """True when `draft` is an item or numbered sub-clause of `lead` (a list item, or 10.2.1
    under 10.2)."""
    b, top = draft.boundary, lead.boundary
    if b is None or top is None or b.kind != "numbered" or not b.number:
        return False
    if b.level == "item":
        return True
    return bool(top.number) and b.number.startswith(f"{top.number}.")


def _wrapped(previous: Line | None, line: Line) -> bool:
    """True when `line` continues a sentence that `previous` wrapped (PDF text)."""
    if previous is None or previous.index != line.index - 1:
        return False
    before = previous.text.rstrip()
    return len(before) >= 50 and not before.endswith((".", ":", ";", "!", "?"))


def _continues(current: _Draft, boundary: Boundary) -> bool:
    # Everything after "IN WITNESS WHEREOF" is the signature block until a new numbered part
    # (an exhibit or schedule) begins.
    kind = current.boundary.kind if current.boundary else None
    return kind == "signature" and boundary.kind == "heading"


def _merge_heading(draft: _Draft, boundary: Boundary, section: str | None) -> _Draft:
    old = draft.boundary
    heading = boundary.heading or (old.heading if old else None)
    number = boundary.number or (old.number if old else None)
    kind, level = boundary.kind, boundary.level
    if old and old.number and boundary.level == "item" and boundary.number:
        # "5.2 Termination." over "(a) Either party may…": clause 5.2(a), at 5.2's level.
        item = boundary.number if boundary.number.startswith("(") else f"({boundary.number})"
        kind, level, number = old.kind, old.level, f"{old.number}{item}"
    draft.boundary = Boundary(
        kind, level, number, heading, boundary.heading_only, boundary.body_offset
    )
    if old and old.heading and boundary.heading and old.heading != boundary.heading:
        draft.section = old.heading  # the parent heading stays as the section
    elif draft.section is None and boundary.level != "top":
        draft.section = section
    return draft


def _runs(lines: list[Line], furniture: set[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    previous: Line | None = None
    for line in lines:
        broken = previous is None or any(
            i in furniture for i in range(previous.index + 1, line.index)
        )
        if broken:
            runs.append((line.start, line.end))
        else:
            runs[-1] = (runs[-1][0], line.end)
        previous = line
    return runs


def _split_long(text: str, runs: list[tuple[int, int]], limit: int) -> list[list[tuple[int, int]]]:
    pieces = [p for a, b in runs for p in _pieces(text, a, b, limit)]
    groups: list[list[tuple[int, int]]] = [[]]
    for a, b in pieces:
        size = a - groups[-1][0][0] if groups[-1] else 0
        # Never leave a lone heading behind: a group closes only once it has some substance.
        if groups[-1] and b - groups[-1][0][0] > limit and size >= 200:
            groups.append([])
        groups[-1].append((a, b))
    return [_merge_adjacent(text, g) for g in groups if g]


def _pieces(text: str, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    if b - a <= limit:
        return [(a, b)]
    return split_sentences(text, a, b)


def _merge_adjacent(text: str, group: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged = [group[0]]
    for a, b in group[1:]:
        if not text[merged[-1][1] : a].strip():
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _segment(
    text: str, draft: _Draft, runs: list[tuple[int, int]], index: int, page_starts: list[int]
) -> Segment:
    b = draft.boundary
    start, end = runs[0][0], runs[-1][1]
    page = bisect_right(page_starts, start) if page_starts else None
    clause = Clause(
        id=f"c{index + 1}",
        start=start,
        end=end,
        number=b.number if b else None,
        heading=(b.heading if b else None) or (None if b else "Preamble" if index == 0 else None),
        section=draft.section,
        page=page,
    )
    return Segment(clause, runs, "\n".join(text[a:z] for a, z in runs))
