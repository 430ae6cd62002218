"""Small helpers on offsets: the sentence around a position, bounded context windows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# A sentence ends at ". ", "? ", "! " or "; " before a capital/quote/paren, or at a blank line.
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[\"“(A-Z0-9])|\n\n")
_ABBREVIATION = re.compile(
    r"(?:\b(?:inc|corp|co|ltd|llc|l\.l\.c|l\.p|lp|n\.v|b\.v|s\.a|no|nos|sec|st|mr|ms|dr|jr|"
    r"u\.s|u\.s\.a|v|vs|e\.g|i\.e|etc|approx|art|para|[a-z])\.)$",
    re.IGNORECASE,
)
MAX_SENTENCE = 600


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value with the span of text that carries it."""

    value: T
    start: int
    end: int


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group(0) == "\n\n":
        return True
    return not _ABBREVIATION.search(text[max(0, match.start() - 8) : match.start()])


def sentence_bounds(text: str, pos: int, limit: int = MAX_SENTENCE) -> tuple[int, int]:
    """Start and end of the sentence holding `pos`, each at most `limit` characters away."""
    pos = max(0, min(pos, len(text)))
    lo = max(0, pos - limit)
    start = lo
    for match in _BOUNDARY.finditer(text, lo, pos):
        if _is_boundary(text, match):
            start = match.end()
    hi = min(len(text), pos + limit)
    end = hi
    for match in _BOUNDARY.finditer(text, pos, hi):
        if _is_boundary(text, match):
            end = match.start()
            break
    return start, max(end, pos)


def sentence(text: str, pos: int, limit: int = MAX_SENTENCE) -> str:
    start, end = sentence_bounds(text, pos, limit)
    return text[start:end]


def left(text: str, pos: int, size: int) -> str:
    return text[max(0, pos - size) : pos]


def right(text: str, pos: int, size: int) -> str:
    return text[pos : pos + size]
