"""Automatic renewal ("renews for successive one (1) year periods") and the non-renewal notice."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.terms.numbers import (
    DURATION,
    describe,
    find_durations,
    parse_duration,
    to_days,
    to_months,
)
from core.terms.spans import Found, sentence, sentence_bounds

_I = re.IGNORECASE
# A duration, or a bare unit meaning one of it: "for an additional year".
_D = rf"(?:(?P<dur>{DURATION})|(?P<unit>year|month)\b)"
_KIND = r"(?P<kind>successive|additional|consecutive|further|subsequent|like)"
_RENEW_RES = [
    re.compile(pattern, _I)
    for pattern in (
        r"\b(?:renew\w*|extend\w*|extension|continue\s(?:automatically|thereafter)"
        r"|automatically\scontinue)[^.;]{0,80}?\bfor\s(?:an?\s|one\s(?:\(1\)\s)?)?"
        rf"{_KIND}?\s?(?:(?:renewal\s)?(?:periods?|terms?)\sof\s)?{_D}",
        r"\b(?P<kind>successive|consecutive|additional|subsequent)\s(?:renewal\s)?"
        rf"(?:periods?|terms?)\sof\s{_D}",
        rf"\brenewal\s(?:periods?|terms?)\sof\s{_D}",
    )
]
_RENEW_ANNUAL = re.compile(
    r"\b(?:(?:successive|consecutive)\s(?:annual|one-year|yearly)\s(?:periods?|terms?)"
    r"|renew\w*\sautomatically\s(?:each|every)\syear|year[- ]to[- ]year"
    r"|(?P<monthly>month[- ]to[- ]month))\b",
    _I,
)
_RENEW_CONTEXT = re.compile(r"\b(?:renew|automatic|extension|extend)", _I)
_SUCCESSIVE = {"successive", "consecutive", "subsequent", "like"}


@dataclass(frozen=True)
class Renewal:
    label: str  # "successive 1 year", "6 months"
    months: int | None


def _renewal_from(match: re.Match[str]) -> Renewal | None:
    unit = match.group("unit")
    parsed = (1.0, unit.lower()) if unit else parse_duration(match.group("dur") or "")
    if parsed is None or parsed[0] <= 0 or parsed[1] in {"day", "week"}:
        return None
    kind = (match.groupdict().get("kind") or "").lower()
    months = to_months(*parsed)
    whole = int(months) if months is not None and float(months).is_integer() else None
    return Renewal(("successive " if kind in _SUCCESSIVE else "") + describe(*parsed), whole)


def _in_renewal_context(text: str, pos: int) -> bool:
    return bool(_RENEW_CONTEXT.search(sentence(text, pos, 300)))


def _first(text: str, pattern: re.Pattern[str]) -> Found[Renewal] | None:
    for match in pattern.finditer(text):
        renewal = _renewal_from(match) if _in_renewal_context(text, match.start()) else None
        if renewal is not None:
            return Found(renewal, match.start(), match.end())
    return None


def _annual(text: str) -> Found[Renewal] | None:
    for match in _RENEW_ANNUAL.finditer(text):
        if _in_renewal_context(text, match.start()):
            renewal = Renewal("successive 1 month", 1) if match.group("monthly") else None
            return Found(renewal or Renewal("successive 1 year", 12), match.start(), match.end())
    return None


def renewal_term(text: str) -> Found[Renewal] | None:
    """The automatic renewal period, from its earliest statement."""
    found = [_first(text, pattern) for pattern in _RENEW_RES] + [_annual(text)]
    candidates = [f for f in found if f is not None]
    return min(candidates, key=lambda f: f.start) if candidates else None


_NOTICE_OF = re.compile(
    r"\bnotice\s(?:of\s|period\sof\s)?(?:at\sleast\s|not\sless\sthan\s|no\sless\sthan\s"
    r"|a\sminimum\sof\s)?$",
    _I,
)
_BEFORE_DEADLINE = re.compile(
    r"['’]?s?\s(?:\w+\s){0,3}?(?:prior|before|in\sadvance|notice|preceding)\b", _I
)
_NONRENEWAL_CUE = re.compile(
    r"\b(?:non-?renew\w*|not\sto\s(?:renew|extend)|renew\w*"
    r"|automatic(?:ally)?\s(?:continue|extend)\w*|extension|then[- ]current\s(?:term|period)"
    r"|(?:expiration|expiry|end)\sof\s(?:the\s|such\s|any\s|each\s|its\s|then\s)?"
    r"(?:[\w-]+\s){0,2}?(?:term|period)\b)",
    _I,
)
_AUTO_RENEW = re.compile(r"\bautomatic\w*\b[^.]{0,80}\brenew|\brenew\w*\sautomatic", _I)
_NOTICE_WORD = re.compile(r"\bnotice|notify|notif", _I)
_NOT_TERM_NOTICE = re.compile(r"\bpolic(?:y|ies)\b|\binsur", _I)


def _follows_renewal(text: str, start: int) -> bool:
    """True when the sentence before `start` is about automatic renewal."""
    return start > 1 and bool(_AUTO_RENEW.search(sentence(text, start - 2, 400)))


def _about_non_renewal(text: str, pos: int) -> bool:
    start, end = sentence_bounds(text, pos, 400)
    if _NOT_TERM_NOTICE.search(text, start, end):
        return False
    if _NONRENEWAL_CUE.search(text, start, end) and _NOTICE_WORD.search(text, start, end):
        return True
    return _follows_renewal(text, start)


def notice_period(text: str) -> Found[int | str] | None:
    """Days of notice needed to stop an automatic renewal (a month counts 30 days, a week 7); the
    redaction or placeholder itself when the copy leaves the number out."""
    for duration in find_durations(text, blanks=True):
        if duration.unit == "year" or not (duration.blank or duration.amount > 0):
            continue
        stated = _BEFORE_DEADLINE.match(text, duration.end) or _NOTICE_OF.search(
            text, max(0, duration.start - 50), duration.start
        )
        if stated and _about_non_renewal(text, duration.start):
            days = duration.blank or to_days(duration.amount, duration.unit)
            return Found(days, duration.start, duration.end)
    return None
