"""Expiration date: an explicit end of the term, else the start date plus the initial term."""

from __future__ import annotations

import re
from datetime import date

from core.terms.dates import DateHit, add_months
from core.terms.spans import Found, left, sentence_bounds
from core.terms.term import Term
from core.terms.timeline import role

_I = re.IGNORECASE
_CUE = re.compile(
    r"\b(?:expire|expires|expiring|expiration|terminate|terminates|terminating|end|ends|ending"
    r"|until|through|thru|extended\sto|continue\sto)"
    r"(?:\s(?:on|at|upon|the\searlier\sof|the\slater\sof|of|at\smidnight\son))*"
    r"[\s,:]{0,3}(?:\([a-z0-9]{1,3}\)\s?)?$",
    _I,
)
_SUBJECT = re.compile(
    r"\b(?:initial\s|renewal\s)?term\b|\bcontract\speriod\b|\bthis\s(?:agreement|contract|amendment)\s(?:shall|will|is|(?:commence|continue|expire"
    r"|terminate|remain|end)s?\b)",
    _I,
)
# "but in no event later than June 30, 2027" only when the sentence is about ending.
_LATER_THAN = re.compile(r"\b(?:expire|terminate|end)s?\b[^.;]{0,120}\blater\sthan\s?$", _I)
_DEFINED_END = re.compile(r"\s?,?\s?\([^()\n]{0,30}(?:expiration|termination|end)\sdate", _I)
_WHEREAS = re.compile(r"\s?whereas\b", _I)
_PAST = re.compile(r"\b(?:expired|ended)\b[^.;]{0,20}$", _I)


def _cued(text: str, hit: DateHit) -> bool:
    """True when the words around `hit` say the term ends then (and nothing else)."""
    before = left(text, hit.start, 80)
    cue = _CUE.search(before) or _LATER_THAN.search(left(text, hit.start, 160))
    roles = role(text, hit, preamble=False) if cue or _DEFINED_END.match(text, hit.end) else set()
    if not (cue or "expiration" in roles) or roles - {"expiration"}:
        return False
    return not _PAST.search(before)


def explicit_expiration(text: str, hits: list[DateHit]) -> Found[date | None] | None:
    """The first date the term is said to end on ("shall expire on December 31, 2027")."""
    for hit in hits:
        if not _cued(text, hit):
            continue
        start = sentence_bounds(text, hit.start, 400)[0]
        if _WHEREAS.match(text, start):
            continue
        if not _SUBJECT.search(text, max(start, hit.start - 300), hit.start):
            continue
        return Found(hit.value, hit.start, hit.end)
    return None


def expiration_date(
    text: str,
    hits: list[DateHit],
    agreed: Found[date | None] | None,
    effective: Found[date | None] | None,
    term: Found[Term] | None,
) -> Found[date | None] | None:
    """An explicit end date of the term, else start date + initial term.

    A term "from the Effective Date" is only computed when the effective date is known; a term
    from an event ("from first commercial sale") never is.
    """
    explicit = explicit_expiration(text, hits)
    if (explicit is not None and explicit.value is not None) or term is None:
        return explicit
    start = effective if effective is not None or term.value.anchor == "effective" else agreed
    if term.value.anchor == "other" or term.value.blank or start is None or start.value is None:
        return explicit
    end = add_months(start.value, term.value.months)
    return Found(end, term.start, term.end) if end else explicit
