"""Find calendar dates in contract text and turn them into `datetime.date`.

Recognised: "March 3, 2025", "March 3rd 2025", "3 March 2025", "3rd day of March, 2025",
"the third day of March, 2025", "2025-03-03", "03/03/2025" and "3/3/25" (US month/day/year).
Blank placeholders ("____, 1996", "[ ] day of [ ], 2020", "April ___, 2003") and dates without
a day ("March 2025") are found too but carry no value: a key term is never guessed from them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from core.terms.numbers import ORDINAL_WORDS, ordinal_to_int

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_SUFFIX = r"(?:\s?(?:st|nd|rd|th|t\s?h)\b)?"
_HOLE = r"(?:_{2,}|\[[^\]\n]{0,12}\]|\*{3,})"

DATE_RE = re.compile(
    rf"\b(?P<ma>{_MONTH})\s?(?P<da>\d{{1,2}}){_SUFFIX}\s?,?\s?(?P<ya>{_YEAR})"
    rf"|\b(?P<db>\d{{1,2}}){_SUFFIX}\s(?:day\sof\s|of\s)?(?P<mb>{_MONTH})\s?,?\s?(?P<yb>{_YEAR})"
    rf"|\b(?P<dc>{ORDINAL_WORDS})\s(?:day\sof|of)\s(?P<mc>{_MONTH})\s?,?\s?(?:in\sthe\syear\s)?"
    rf"(?P<yc>{_YEAR})"
    rf"|\b(?P<yd>{_YEAR})-(?P<md>\d\d?)-(?P<dd>\d\d?)\b"
    rf"|(?<![\d/.])(?P<me>\d\d?)/(?P<de>\d\d?)/(?P<ye>\d{{4}}|\d\d)(?![\d/])"
    rf"|(?P<blank>(?:{_HOLE}|\b{_MONTH})\s?(?:(?:day\s)?of\s?)?{_HOLE}?\s?,?\s?{_YEAR}"
    rf"|{_HOLE}\s?(?:day\s)?of\s?(?:{_MONTH}|{_HOLE})\s?,?\s?{_YEAR})",
    re.IGNORECASE,
)

_ANCHOR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|(?<![\d/.])\d\d?/\d\d?/(?:\d{4}|\d\d)(?![\d/])")
_TOKEN_START = re.compile(r"(?<![\w\[*])[\w\[*]")  # where a date can start


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    value: date | None  # None: blank placeholder or no day given


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(token: str) -> int:
    return _MONTHS.get(token.lower().rstrip("."), 0)


def _two_digit_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    return 2000 + value if value < 50 else 1900 + value


def _value(match: re.Match[str]) -> date | None:
    g = match.group
    if g("ma"):
        return _make(int(g("ya")), _month(g("ma")), int(g("da")))
    if g("mb"):
        return _make(int(g("yb")), _month(g("mb")), int(g("db")))
    if g("mc"):
        day = ordinal_to_int(g("dc"))
        return _make(int(g("yc")), _month(g("mc")), day) if day else None
    if g("yd"):
        return _make(int(g("yd")), int(g("md")), int(g("dd")))
    if g("me"):
        return _make(_two_digit_year(g("ye")), int(g("me")), int(g("de")))
    return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateHit]:
    """Every date (and blank date) in `text[start:end]`, in order of appearance.

    Every date form holds a year or a d/m/y slash, so the full pattern only runs near those.
    """
    stop = len(text) if end is None else min(end, len(text))
    hits: list[DateHit] = []
    done = start
    for anchor in _ANCHOR.finditer(text, start, stop):
        if anchor.start() < done:
            continue
        window_end = min(stop, anchor.end() + 12)
        found = None
        for token in _TOKEN_START.finditer(text, max(done, anchor.start() - 60), anchor.end()):
            match = DATE_RE.match(text, token.start(), window_end)
            if match and match.end() > anchor.start():
                found = match
                break
        if found is None:
            # No date holds this anchor, so none that holds a later one starts before it.
            done = anchor.start()
            continue
        hits.append(DateHit(found.start(), found.end(), _value(found)))
        done = found.end()
    return hits


def add_months(start: date, months: int) -> date | None:
    """`start` plus a whole number of months, clamped to the month's last day."""
    index = start.month - 1 + months
    year = start.year + index // 12
    if not 1 <= year <= 9999:
        return None
    month = index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
