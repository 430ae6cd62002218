"""Contract text on its way to and from an LLM: invisible characters neutralised before sending,
and quotes re-anchored to exact offsets in `document.text` on the way back."""

from __future__ import annotations

import unicodedata

from core.guards.characters import INVISIBLE

# Format (zero-width, bidi, Unicode tags), private-use and surrogate code points carry no visible
# text, nor do the variation selectors the input guard also flags; a counterparty can hide
# instructions in them, so no LLM ever sees them.
_INVISIBLE = {"Cf", "Co", "Cs"}


def is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in _INVISIBLE or INVISIBLE.fullmatch(ch) is not None


def neutralise(text: str) -> str:
    """The text with invisible characters removed (everything else unchanged)."""
    return "".join(ch for ch in text if not is_invisible(ch))


def _projection(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """`text[start:end]` without invisible characters and with whitespace runs as one space,
    plus the offset in `text` of every character of the result."""
    chars: list[str] = []
    where: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if is_invisible(ch):
            continue
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        where.append(i)
    return "".join(chars), where


def anchor(quote: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Exact [start, end) in `text` of `quote` inside `text[start:end]`, comparing with
    invisible characters dropped and whitespace normalised; None when it is not there."""
    needle, _ = _projection(quote, 0, len(quote))
    needle = needle.strip()
    if not needle:
        return None
    hay, where = _projection(text, start, end)
    at = hay.find(needle)
    if at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1
