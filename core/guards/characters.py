"""Character-level signals: invisible characters and words that mix look-alike scripts.

Both hide text from a human reader while a machine still reads it: zero-width and tag characters
can smuggle a whole instruction, and a Cyrillic "о" inside "ignоre" slips past word filters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from core.guards.folding import CONFUSABLES
from core.models import InputWarning

# Zero-width and joiners, bidi controls, word joiner and invisible operators, BOM, Mongolian
# vowel separator, combining grapheme joiner, variation selectors (except the emoji/text ones,
# FE0E/FE0F, that ordinary text uses), Unicode tag characters and private-use code points.
INVISIBLE = re.compile(
    "[\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0d\ufeff"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef\ue000-\uf8ff\U000f0000-\U0010fffd]+"
)
LAYOUT_DEBRIS = "\u200b\ufeff\u200c\u2060"
_TAGS = re.compile("[\U000e0020-\U000e007e]")
_WORD = re.compile(r"\w{3,}")
_LATIN = re.compile(r"[a-zA-Z]")


def invisible_characters(text: str) -> Iterator[InputWarning]:
    for match in INVISIBLE.finditer(text):
        a, b = match.span()
        run = match.group()
        hidden = "".join(chr(ord(c) - 0xE0000) for c in _TAGS.findall(run))
        what = (
            f"hidden tag text “{hidden}”"
            if hidden
            else ", ".join(sorted({f"U+{ord(c):04X}" for c in run})[:6])
        )
        yield InputWarning(
            kind="invisible_characters",
            start=a,
            end=b,
            excerpt=f"{text[max(0, a - 30) : a]}[{what}]{text[b : b + 30]}",
            score=_invisible_score(text, a, b),
        )


def _invisible_score(text: str, a: int, b: int) -> float:
    """Low for a zero-width space or two next to a space or punctuation (debris that word
    processors and PDF exports leave); high inside a word, in longer runs (zero-width
    steganography encodes bits in them), or for bidi, tag and private-use characters."""
    if b - a <= 2 and all(c in LAYOUT_DEBRIS for c in text[a:b]):
        before = text[a - 1] if a else " "
        after = text[b] if b < len(text) else " "
        if not (before.isalnum() and after.isalnum()):
            return 0.3
    return 1.0


def homoglyph_words(text: str) -> Iterator[InputWarning]:
    """Words spelled mostly in Latin letters with a Cyrillic or Greek look-alike inside."""
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        latin = len(_LATIN.findall(word))
        alien = [c for c in word if c.lower() in CONFUSABLES and _script(c) != "LATIN"]
        if latin >= 2 and alien:
            yield InputWarning(
                kind="homoglyphs",
                start=match.start(),
                end=match.end(),
                excerpt=f"{word} (contains {', '.join(_describe(c) for c in alien[:3])})",
                score=1.0,
            )


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _describe(char: str) -> str:
    return f"{unicodedata.name(char, '?').title()} U+{ord(char):04X}"
