"""Folding text for matching: one output character per input character, so every offset found
in the folded text is an offset in the original.

Fullwidth, small-capital, mathematical and look-alike letters fold to plain lowercase ASCII, so
"ＩＧＮＯＲＥ", "ɪɢɴᴏʀᴇ" and a Cyrillic-spiced "ignоre" all read as "ignore" to the detectors.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that look like Latin ones (lowercase forms; uppercase folds first).
CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "ɩ": "i", "ı": "i",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
}  # fmt: skip
_LETTER_NAME = re.compile(r"LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])$")


class _FoldTable(dict[int, str]):
    """str.translate table that works out (and caches) the fold of each new code point."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    lower = char.lower() if len(char.lower()) == 1 else char
    if lower in CONFUSABLES:
        return CONFUSABLES[lower]
    compat = unicodedata.normalize("NFKC", char)
    if len(compat) == 1 and compat.isascii():
        return compat.lower()
    if compat in ("\u3000",) or unicodedata.category(char) == "Zs":
        return " "
    match = _LETTER_NAME.match(unicodedata.name(char, ""))
    if match:
        return match.group(1).lower()
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed and decomposed[0].isascii() and decomposed[0].isalpha():
        return decomposed[0].lower()  # é -> e: accents do not hide words
    return lower


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase ASCII look-alike of `text`, exactly as long as `text`."""
    return text.translate(_TABLE)
