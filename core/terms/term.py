"""The initial term: "for a term of three (3) years from the Effective Date" -> 36 months."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.terms.blanks import BLANK_NUMBER
from core.terms.numbers import (
    DURATION,
    ORDINAL_WORDS,
    UNIT,
    ordinal_to_int,
    parse_duration,
    to_months,
)
from core.terms.spans import Found, left, sentence_bounds

_I = re.IGNORECASE
# "three (3) years", or "[***] years" where the copy leaves the number out.
_BLANK_D = rf"(?P<blank>{BLANK_NUMBER})[ -]?(?:\(\s?[^()\s]{{1,12}}\s?\)[ -]?)?{UNIT}\b"
_D = rf"(?P<dur>{DURATION}|{_BLANK_D})"
_PERIOD_OF = r"(?:an?\s(?:initial\s)?(?:period|term)\sof\s)?(?:approximately\s)?"
_TERM_RES = [
    re.compile(pattern, _I)
    for pattern in (
        r"\bterm\s(?:of\s(?:the\s)?(?:validity\sof\s)?(?:this|the)\s(?:agreement|contract)\s)?"
        rf"(?:(?:shall|will)\s(?:be\s|continue\s|run\s)|is\s|be\s)(?:for\s)?{_PERIOD_OF}{_D}",
        rf"\b(?:initial\s)?term\sof\s{_D}",
        r"\b(?:remain|continue|be|stay)\sin\s(?:full\s)?(?:force|effect)(?:\sand\s(?:force|effect))?"
        rf",?\s(?:for\s)?{_PERIOD_OF}{_D}",
        r"\b(?:continue|be\sin\seffect|remain\seffective|be\seffective|last|run|endure|be\svalid)"
        rf"\sfor\s{_PERIOD_OF}{_D}",
        rf"\bterm\s?:\s?{_D}",
    )
]
_ANNIVERSARY_RE = re.compile(
    r"\b(?:until|ending\son|end\son|expires?\son|terminates?\son|means)\s(?:the\s(?:later|earlier)"
    rf"\sof\s(?:\(\w\)\s)?)?the\s(?P<ord>{ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th))\s"
    r"(?:\(\d{1,2}\w{0,2}\)\s)?anniversary\s(?:thereof|of\s(?:the\s)?(?:effective|commencement"
    r"|start|execution)\sdate)",
    _I,
)
# "renew for an additional term of one year", "survive for a period of two years": not initial.
_NOT_INITIAL = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|additional|successive|consecutive|thereafter|survive\w*)"
    r"\W+(?:\w+\W+){0,6}$",
    _I,
)
_AFTER_END = re.compile(
    r"\s?(?:after|following|beyond|from)\s(?:the\s|its\s|any\s)?(?:termination|expir)", _I
)
_FROM = re.compile(
    r"\s?(?:\([^()\n]{0,40}\)\s?)?,?\s?(?:from|after|following|commencing|beginning|starting"
    r"|as\sof)\s(?:on\s|with\s)?(?:the\s)?(?P<what>[^.;\n]{0,60})",
    _I,
)
_START_EVENT = re.compile(
    r"(?:effective|commencement|start|execution|signing|signature|date\s(?:hereof|of\s(?:this|the)"
    r"\s(?:agreement|contract|document)|first|above|set\sforth|of\sexecution|of\ssigning"
    r"|this\sagreement)|date\sabove|this\sdate|date\son\swhich\sthis|date\sthis)",
    _I,
)
_FROM_EFFECTIVE = re.compile(
    r"\b(?:commenc\w*|begin\w*|start\w*|effective)\s(?:on|as\sof|from|upon)\s(?:the\s)?"
    r"effective\sdate",
    _I,
)
_AGREEMENT_WORD = re.compile(r"\b(?:agreement|contract|licen[cs]e|amendment|addendum)\b", _I)


@dataclass(frozen=True)
class Term:
    months: int  # 0 when `blank`
    # What the term runs from: "start" (the contract's own date, effective or agreement date),
    # "effective" (explicitly the Effective Date) or "other" (an event such as first launch).
    anchor: str
    blank: str = ""  # the redaction or placeholder standing for the number ("[***]")


Candidate = tuple[int, int, int, str, str]


def _months_of(phrase: str) -> int | None:
    parsed = parse_duration(phrase)
    months = to_months(*parsed) if parsed else None
    if months is None or not 0 < months <= 1200 or not float(months).is_integer():
        return None
    return int(months)


def _anchor(text: str, start: int, end: int) -> str:
    match = _FROM.match(text, end)
    if match is None:
        return "effective" if _FROM_EFFECTIVE.search(left(text, start, 120)) else "start"
    what = match.group("what")
    if _START_EVENT.match(what):
        return "effective" if what.lower().startswith("effective") else "start"
    return "other"


def _about_agreement(text: str, start: int, end: int) -> bool:
    lo, hi = sentence_bounds(text, start, 300)
    return bool(_AGREEMENT_WORD.search(text, max(lo, start - 200), min(hi, end + 150)))


def _first_match(text: str, pattern: re.Pattern[str]) -> Candidate | None:
    for match in pattern.finditer(text):
        if _NOT_INITIAL.search(left(text, match.start(), 60)):
            continue
        if not _about_agreement(text, match.start(), match.end()):
            continue
        if _AFTER_END.match(text, match.end()):
            continue
        blank = match.group("blank") or ""
        months = 0 if blank else _months_of(match.group("dur"))
        if months is not None:
            anchor = _anchor(text, match.start(), match.end())
            return match.start(), match.end(), months, anchor, blank
    return None


def _anniversary(text: str) -> Candidate | None:
    match = _ANNIVERSARY_RE.search(text)
    years = ordinal_to_int(match.group("ord")) if match else None
    if match is None or not years or years > 100:
        return None
    return match.start(), match.end(), years * 12, "effective", ""


def initial_term(text: str) -> Found[Term] | None:
    """The initial term in whole months, from its earliest statement."""
    found = [_first_match(text, pattern) for pattern in _TERM_RES] + [_anniversary(text)]
    candidates = [c for c in found if c is not None]
    if not candidates:
        return None
    start, end, months, anchor, blank = min(candidates)
    return Found(Term(months, anchor, blank), start, end)
