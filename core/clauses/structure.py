"""Recognising where a clause starts: numbering, Article/Section headings, caps and title headings,
recitals and signature blocks. Works on one line at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["top", "sub", "item"]
Kind = Literal["numbered", "heading", "recital", "signature"]


@dataclass(frozen=True)
class Boundary:
    kind: Kind
    level: Level
    number: str | None
    heading: str | None
    heading_only: bool  # the line holds nothing but the number/heading
    body_offset: int  # where the clause's own words start within the line


_ARTICLE = re.compile(
    r"^(?P<label>(?:article|section|clause|schedule|exhibit|annex|appendix|part)\s+"
    r"(?:[ivxlcdm]{1,7}|\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?|[a-z])\b)\.?\s*[:.\-–—]?\s*",
    re.IGNORECASE,
)
_SECTION_SIGN = re.compile(r"^(?P<label>§+\s*\d{1,3}(?:\.\d{1,3}){0,3})\.?\s*")
_DECIMAL = re.compile(r"^(?P<label>\d{1,3}(?:\.\d{1,3}){1,4})\.?\)?\s+(?=\S)")
_TOP_NUMBER = re.compile(r"^(?P<label>\d{1,3})(?:\.|\))\s+(?=\S)")
_PAREN_ITEM = re.compile(r"^(?P<label>\((?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2}|[A-Z])\))\s*(?=\S)")
_LETTER_ITEM = re.compile(
    r"^(?P<label>(?:[A-Z]|[a-z]|[ivxlc]{1,6}|[IVXLC]{1,6})[.)])\s+(?=[A-Z(\"“])"
)
_RECITAL = re.compile(r"^(?:whereas\b|now,?\s+therefore\b|recitals?\b|background\b)", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^(?:in\s+witness\s+whereof|signed\s+(?:by|for\s+and\s+on\s+behalf)|executed\s+as\s+of)\b",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[.:;]\s")  # "TERM. The term is…": a heading followed by a sentence
_RUN_IN = re.compile(r"[A-Za-z]{2,}[.:]\s+\S+\s+[a-z]")  # "RIGHTS. During the"…
_MAX_HEADING = 90  # characters: a longer line is a paragraph, however it is styled
_INLINE_HEADING = re.compile(r"^(?P<h>[A-Z][^.:\n]{1,78}?)(?:\.|:|\s[-–—])\s+(?=\S)")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "without",
        "upon",
        "under",
        "non",
        "vs",
    ]
)


def classify(line: str, marked_heading: bool = False) -> Boundary | None:
    """The clause boundary this line opens, or None if it continues the current clause."""
    text = line.strip()
    if not text:
        return None
    if _SIGNATURE.match(text):
        return Boundary("signature", "top", None, "Signatures", False, 0)
    if _RECITAL.match(text):
        alone = is_heading_line(text) and len(text.split()) <= 2
        return Boundary("recital", "top", None, "Recitals", alone, len(text) if alone else 0)
    for pattern, level in (
        (_ARTICLE, "top"),
        (_SECTION_SIGN, "top"),
        (_DECIMAL, "sub"),
        (_TOP_NUMBER, "top"),
        (_PAREN_ITEM, "item"),
        (_LETTER_ITEM, "item"),
    ):
        match = pattern.match(text)
        if match:
            return _numbered(text, match, level)  # type: ignore[arg-type]
    if is_heading_line(text) or (marked_heading and _only_a_heading(text)):
        return Boundary("heading", "top", None, text.rstrip(":. "), True, len(text))
    if marked_heading:
        # Word styles whole paragraphs as headings ("Assignment. Neither party may assign…"):
        # the paragraph opens a clause, and its run-in heading, if any, names it.
        return Boundary("heading", "sub", None, _inline_heading(text), False, 0)
    return None


def _only_a_heading(text: str) -> bool:
    """True for a title that holds only a heading ("Termination.", "Key Terms"), not a sentence
    ("Survival. The following sections survive.") and not a paragraph styled as a heading."""
    words = text.strip().rstrip(":. ")
    return len(text) <= _MAX_HEADING and not _BREAK.search(words) and _title_like(words)


def _inline_heading(text: str) -> str | None:
    inline = _INLINE_HEADING.match(text)
    if inline and _title_like(inline.group("h")):
        return inline.group("h").strip()
    return None


def _numbered(text: str, match: re.Match[str], level: Level) -> Boundary:
    label = match.group("label").strip()
    number = re.sub(r"^(?:article|section|clause|part)\s+", "", label, flags=re.IGNORECASE)
    number = number.strip("§ .") or label
    if number.endswith(")") and not number.startswith("("):
        number = number[:-1]
    if level == "sub" and number.count(".") == 0:
        level = "top"
    rest = text[match.end() :]
    if not rest.strip():
        return Boundary("numbered", level, number, None, True, len(text))
    # "5.2 Termination." holds only its heading: the words follow on the next lines.
    if is_heading_line(rest) or (level != "item" and _only_a_heading(rest)):
        return Boundary("numbered", level, number, rest.rstrip(":. "), True, len(text))
    return Boundary("numbered", level, number, _inline_heading(rest), False, match.end())


def is_heading_line(text: str) -> bool:
    """A short line that reads as a heading: ALL CAPS, or Title Case without a full stop."""
    text = text.strip()
    if not 2 <= len(text) <= _MAX_HEADING or text.endswith((",", ";")) or text[0] in "(\"“'$":
        return False
    letters = [c for c in text if c.isalpha()]
    words = text.split()
    if len(letters) < 3 or words[-1].lower().strip(",.:") in _SMALL_WORDS:
        return False  # "... BREACH OF" is a wrapped line, not a heading
    if re.search(r"\w[.;,]\s+\S.*[.;,]\s", text):
        return False  # several sentence or list breaks: running text
    if _RUN_IN.search(text):
        return False  # "GRANT OF RIGHTS. During the Term:": a run-in heading, then its words
    if sum(c.isupper() for c in letters) / len(letters) > 0.85:
        # ALL CAPS; sentences in capitals (disclaimers) are long and end with a period.
        return len(words) <= 10 and not (text.endswith(".") and len(words) > 6)
    return not text.endswith(".") and _title_like(text.rstrip(":"))


def _title_like(text: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’\-/]*", text)
    if not 1 <= len(words) <= 9:
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(significant) and all(w[0].isupper() for w in significant)
