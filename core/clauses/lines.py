"""Lines of a document with offsets, and page furniture (running headers, footers, page numbers)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    index: int
    start: int
    end: int  # exclusive; excludes the newline
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_PAGE_NUMBER = re.compile(
    r"""^(?:
        (?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?     # Page 3, Page 3 of 9
      | \d{1,4}\s*(?:of|/)\s*\d{1,4}                                 # 3 of 9, 3/9
      | [-–—]\s*\d{1,4}\s*[-–—]                                     # - 3 -
      | \[?\d{1,4}\]?                                                # 3, [3]
      | [ivxlc]{1,7}                                                 # roman page numbers
      | [A-Z]-\d{1,3}                                                # A-3 (exhibit pages)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_DIGITS = re.compile(r"\d+")


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    start = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())


def find_furniture(lines: list[Line], page_starts: list[int]) -> set[int]:
    """Indices of lines that are page furniture rather than contract text."""
    furniture = {ln.index for ln in lines if _PAGE_NUMBER.match(ln.text.strip())}
    shapes = Counter(_shape(ln.text) for ln in lines if not ln.blank and len(ln.text) <= 120)
    min_repeats = 3 if not page_starts else max(2, len(page_starts) // 3)
    page_edges = _page_edge_lines(lines, page_starts)
    for ln in lines:
        if ln.blank or len(ln.text) > 120 or ln.index in furniture:
            continue
        count = shapes[_shape(ln.text)]
        # A short line repeated on many pages is a running header/footer; near a page edge a
        # couple of repeats suffice, elsewhere we demand more so defined phrases survive.
        repeated = (ln.index in page_edges and count >= min_repeats) or count >= max(
            4, min_repeats + 1
        )
        if repeated and not _looks_like_sentence(ln.text):
            furniture.add(ln.index)
    return furniture


def _page_edge_lines(lines: list[Line], page_starts: list[int]) -> set[int]:
    if not page_starts:
        return set()
    starts = [ln.start for ln in lines]
    edges: set[int] = set()
    bounds = [*page_starts[1:], lines[-1].end + 1]
    for first, nxt in zip(page_starts, bounds, strict=True):
        top = bisect_right(starts, first) - 1
        bottom = bisect_right(starts, nxt - 1) - 1
        content = [i for i in range(max(top, 0), bottom + 1) if not lines[i].blank]
        edges.update(content[:2] + content[-2:])
    return edges


def _looks_like_sentence(text: str) -> bool:
    words = text.split()
    return len(words) > 12 and text.rstrip().endswith((".", ";", ","))


# A clause that starts mid-line, as in text exports that lost their line breaks: a heading or
# number right after a sentence end (or after a run of capitals: "ARTICLE 1 GRANT 1.1 License").
_INLINE_START = re.compile(
    r"(?:(?<=[.:;!?\"”)])|(?<=[A-Z]{2}))\s+(?="
    r"(?:ARTICLE|Article|SECTION|Section)\s+(?:[IVXLC]{1,6}|\d{1,3})\b\.?\s+[A-Z\"“]"
    r"|\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+[A-Z\"“(]"
    r"|\d{1,2}\.\s+[A-Z\"“][A-Za-z]"
    r"|WHEREAS\b|NOW,? THEREFORE\b|IN WITNESS WHEREOF\b)"
)


def split_inline(lines: list[Line], furniture: set[int]) -> tuple[list[Line], set[int]]:
    """Split lines at inline clause starts; returns re-indexed lines and furniture indices."""
    out: list[Line] = []
    new_furniture: set[int] = set()
    for line in lines:
        if line.index in furniture:
            new_furniture.add(len(out))
            out.append(Line(len(out), line.start, line.end, line.text))
            continue
        cut = line.start
        for match in _INLINE_START.finditer(line.text):
            piece_end = line.start + match.start()
            out.append(Line(len(out), cut, piece_end, line.text[cut - line.start : match.start()]))
            cut = line.start + match.end()
        out.append(Line(len(out), cut, line.end, line.text[cut - line.start :]))
    return out, new_furniture
