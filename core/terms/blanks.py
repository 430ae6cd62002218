"""Values a copy of a contract does not show: redactions ("[***]", "[REDACTED]") and template
placeholders ("{governing_law}", "[Customer Name]", "[●]", "<<Company Name>>").

A key term whose value is one of these is reported as redacted or not filled in, never as a
value. A document with many distinct placeholders is an unfilled template, and says so.
Signature and date lines ("By: ________") are common in signed contracts, so bare underscore
blanks never count towards that.
"""

from __future__ import annotations

import re

from core.terms.spans import Found

_I = re.IGNORECASE
# The regex fragments are plain strings without capturing groups, for other modules to embed.
REDACTION = (
    r"(?:\[\s?(?:\*[\s*]*|x{2,}|(?:redacted|omitted|confidential(?:\streatment(?:\srequested)?)?"
    r"|confidential\sportion\somitted)\s?\*?)\s?\]|\*{3,}|\(\s?\*[\s*]*\))"
)
# "[Customer Name]", "[INSERT DATE]", "[e-mail address]"; not "[Reserved]", "[Section 5]" or an
# editor's note such as "[SIGNATURE PAGE FOLLOWS]" or "[GRAPHIC OMITTED]".
_SLOT_WORDS = (
    r"name|date|address|amount|number|state|county|country|title|party|company|customer|vendor"
    r"|supplier|client|jurisdiction|insert|city|entity|signatory|tbd"
)
PLACEHOLDER = (
    r"(?:\{\{?\s?[A-Za-z_][\w .-]{0,40}\}\}?|<<[^<>\n]{1,40}>>"
    r"|\[\s?(?:●|•|_{2,}|\.{3,}|…)\s?\]"
    rf"|\[(?:[A-Za-z][\w'’-]*\s){{0,4}}(?i:{_SLOT_WORDS})(?:\s[\w'’-]+){{0,2}}\])"
)
# A number left out in either way, as a duration or money amount would hold it.
BLANK_NUMBER = rf"(?:{REDACTION}|{PLACEHOLDER})"
_PLACEHOLDER_RE = re.compile(PLACEHOLDER)
_REDACTION_RE = re.compile(REDACTION, _I)
# An unfilled template: this many different placeholders. Signed contracts keep a few in the
# forms they attach (a notice form's "[Date]", "[Address]"; at most 4 in 200 CUAD contracts);
# a template leaves every party, date and choice open.
TEMPLATE_MIN_PLACEHOLDERS = 5


# Where a template leaves a key term open: "governed by the laws of {governing_law}", "between
# [Customer Name] and ...", "dated as of [DATE]".
_SLOTS = {
    "governing_law": re.compile(
        r"\b(?:governed|construed|interpreted)\s(?:by|under|in\saccordance\swith)\s[^.;]{0,80}?"
        r"\blaws?\sof\s(?:the\s)?(?:(?:State|Commonwealth|Province)\sof\s)?"
        rf"(?P<blank>{PLACEHOLDER})",
        _I,
    ),
    "parties": re.compile(
        rf"\b(?:between|among)\s?:?\s(?P<blank>{PLACEHOLDER})"
        rf"|\b(?:between|among)\s[^.;]{{1,400}}?\sand\s(?P<other>{PLACEHOLDER})",
        _I,
    ),
    "agreement_date": re.compile(
        r"\b(?:dated|made|entered\sinto)\s(?:as\sof\s|on\s)?(?:this\s)?(?:the\s)?"
        rf"(?P<blank>{PLACEHOLDER})",
        _I,
    ),
}


def unfilled_slots(text: str, preamble: int) -> dict[str, Found[str]]:
    """Key terms the text leaves as a placeholder, each with the placeholder's span. Parties and
    the agreement date are looked for in the preamble (the first `preamble` characters) only."""
    found: dict[str, Found[str]] = {}
    for field, pattern in _SLOTS.items():
        end = len(text) if field == "governing_law" else preamble
        match = pattern.search(text, 0, end)
        if match is not None:
            group = "blank" if match.group("blank") else "other"
            found[field] = Found(match.group(group), match.start(group), match.end(group))
    return found


def is_placeholder(token: str) -> bool:
    return _PLACEHOLDER_RE.fullmatch(token.strip()) is not None


def is_redaction(token: str) -> bool:
    return _REDACTION_RE.fullmatch(token.strip()) is not None


def placeholders(text: str) -> list[str]:
    """The distinct placeholders in `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _PLACEHOLDER_RE.finditer(text):
        # Blanks of any length are one placeholder: "[____]" and "[________]" alike.
        seen.setdefault(re.sub(r"_{2,}", "___", " ".join(match.group(0).split())), None)
    return list(seen)


def template_warning(text: str) -> str | None:
    """A plain-words warning when `text` is a template whose blanks were never filled in."""
    found = placeholders(text)
    if len(found) < TEMPLATE_MIN_PLACEHOLDERS:
        return None
    shown = ", ".join(found[:4]) + (" …" if len(found) > 4 else "")
    return (
        f"This looks like an unfilled template: {len(found)} placeholders were never filled in "
        f"({shown}). Key terms that sit in a blank are reported as not filled in, and findings "
        "describe the template, not a signed contract."
    )
