"""Whitespace normalisation of extracted text, with an exact map back to the raw text.

Every later stage (clause splitting, labels, findings) works on the normalised text, but quotes and
highlights must point into what the file really said; `source_map` makes that translation exact.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

# Line breaks. U+0085/U+2028/U+2029 count too, because downstream code splits lines on "\n" only
# and would otherwise see two visual lines as one.
_NL = "\n\r\x85\u2028\u2029"
# Horizontal spaces: ASCII space and tab, vertical tab and form feed (PDF extractors emit these
# between columns and pages), and every Unicode space separator (Zs), e.g. U+00A0, U+2007, U+202F.
# Zero-width characters (U+200B, U+FEFF, ...) are deliberately absent: a guard module flags them.
_HS = " \t\x0b\x0c\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"

# One token per match, covering the input completely:
#   1: a line break ("\r\n" is one break)
#   2: a run of horizontal spaces
#   3: a "phrase": non-space text with single plain spaces inside, which needs no change at all;
#      matching whole phrases keeps typical text to one or two tokens per line, so the Python
#      loop below runs per line rather than per word.
_TOKEN = re.compile(rf"(\r\n|[{_NL}])|([{_HS}]+)|([^{_HS}{_NL}]+(?: [^{_HS}{_NL}]+)*)")
_LAYOUT_GAP = 3
_BLANK = re.compile(rf"[{_HS}{_NL}]*")


def normalize(raw: str) -> tuple[str, list[int]]:
    """Return the normalised text and its source map (len(text) + 1 entries).

    A run of three or more horizontal spaces between words on one line becomes a line break.
    `source_map[i]` is the index in `raw` of the character `text[i]` came from: a collapsed space
    run maps to its first character, a line break to its first character ("\\r" of "\\r\\n"), the
    blank line kept for a run of 3+ breaks to the second break. The last entry is `len(raw)`.
    """
    parts: list[str] = []
    smap: list[int] = []
    breaks: list[int] = []  # starts of the line breaks since the last phrase
    space = -1  # start of a space run after the last phrase on this line, or -1
    gap = 0  # its length
    has_content = False
    for match in _TOKEN.finditer(raw):
        kind = match.lastindex
        start = match.start()
        if kind == 3:
            if breaks:
                if has_content:
                    # One break ends the line; two or more keep exactly one blank line.
                    parts.append("\n" if len(breaks) == 1 else "\n\n")
                    smap.extend(breaks[:2])
                breaks.clear()
            elif space >= 0 and has_content:
                # A wide gap inside a line is layout (plain-text and EDGAR exports put paragraph
                # and list breaks there), so it becomes a line break rather than one space.
                parts.append("\n" if gap >= _LAYOUT_GAP else " ")
                smap.append(space)
            parts.append(match.group())
            smap.extend(range(start, match.end()))
            has_content = True
            space = -1
        elif kind == 2:
            space, gap = start, match.end() - start
        else:
            breaks.append(start)
            space = -1  # trailing spaces of a line are dropped
    smap.append(len(raw))
    return "".join(parts), smap


def is_blank(text: str) -> bool:
    """True when `normalize(text)` would be empty."""
    return _BLANK.fullmatch(text) is not None


def map_offsets(source_map: list[int], raw_offsets: Iterable[int]) -> list[int]:
    """Translate offsets in the raw text to offsets in the normalised text.

    Each raw offset maps to the first normalised character at or after it, so the start of a
    page or heading whose leading whitespace was dropped lands on its first visible character.
    """
    return [bisect_left(source_map, offset) for offset in raw_offsets]
