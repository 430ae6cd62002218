"""Limitation of liability: a fixed amount, a number of months of fees, or both."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.terms.blanks import BLANK_NUMBER
from core.terms.numbers import DURATION, parse_duration, to_months
from core.terms.spans import Found, sentence_bounds

_I = re.IGNORECASE
_LIMIT = re.compile(
    r"\b(?:(?:shall|will|may)\snot\s(?:\w+\s){0,3}?exceed|not\sto\sexceed|in\sno\sevent\sexceed"
    r"|(?:be\s|is\s)limited\sto|(?:is\s|be\s)capped\sat|in\sexcess\sof|(?:a|the)\smaximum\sof"
    r"|exceed)\b",
    _I,
)
_LIABILITY = re.compile(r"\bliabilit", _I)
_AMOUNT = re.compile(
    r"(?P<cur>US\s?\$|U\.S\.\s?\$|USD|EUR|GBP|CAD|AUD|\$|€|£)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d{1,12})"
    r"(?P<dec>\.\d{1,2})?(?:\s?(?P<mult>million|billion|thousand|mm|m|bn|k)\b)?",
    _I,
)
_FEES_FOR = re.compile(
    r"\b(?:fees|amounts|charges|sums|compensation|payments|price|consideration)\b[^.;]{0,150}?"
    r"\b(?:in|during|for|over|within|of|under)\s(?:the\s|any\s|a\s)?(?:(?:immediately\s|calendar\s)?"
    r"(?:preceding|prior|previous|last|past|first|trailing)\s)?(?P<dur>" + DURATION + r")",
    _I,
)
_MONTHS_OF_FEES = re.compile(
    r"(?P<dur>" + DURATION + r")['’]?s?\s(?:of\s)?(?:the\s)?(?:fees|charges|compensation|payments)",
    _I,
)
# "shall not exceed [*] dollars", "limited to $[***]": the copy leaves the amount out.
_BLANK_AMOUNT = re.compile(
    rf"\s?(?:the\s(?:sum|amount)\sof\s)?(?:US\s?\$|USD|\$|€|£)?\s?(?P<blank>{BLANK_NUMBER})", _I
)
_UNLIMITED = re.compile(
    r"\bliability\s(?:\w+\s){0,4}?(?:shall|will)\sbe\sunlimited"
    r"|\bunlimited\sliability\b(?!\s(?:company|companies|corporation|partnership))",
    _I,
)
_MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mm": 1e6,
    "billion": 1e9,
    "bn": 1e9,
}
_INSURANCE = re.compile(r"\binsur|\bcoverage\b|\bpolic(?:y|ies)\b", _I)
_SYMBOLS = {
    "$": "$",
    "us$": "$",
    "u.s.$": "$",
    "usd": "$",
    "€": "€",
    "eur": "€",
    "£": "£",
    "gbp": "£",
}


@dataclass(frozen=True)
class Cap:
    label: str
    months: float | None
    amount: float | None
    blank: str = ""  # the redaction or placeholder standing for the amount ("[***]")


def _amount(match: re.Match[str]) -> tuple[float, str]:
    value = float(match.group("num").replace(",", "") + (match.group("dec") or ""))
    value *= _MULTIPLIERS.get((match.group("mult") or "").lower(), 1.0)
    symbol = _SYMBOLS.get(re.sub(r"\s", "", match.group("cur")).lower(), match.group("cur") + " ")
    shown = f"{value:,.2f}" if not value.is_integer() else f"{value:,.0f}"
    return value, symbol + shown


def _months(text: str, start: int, end: int) -> float | None:
    match = _FEES_FOR.search(text, start, end) or _MONTHS_OF_FEES.search(text, start, end)
    if match is None:
        return None
    parsed = parse_duration(match.group("dur"))
    return to_months(*parsed) if parsed else None


def _label(months: float | None, shown: str | None, context: str) -> str:
    fees = f"fees paid in the {months:g} months before the claim" if months else ""
    if fees and shown:
        word = "lesser" if re.search(r"\blesser\sof", context, _I) else "greater"
        return f"the {word} of {shown} and {fees}"
    return fees or shown or ""


def _cap_at(text: str, match: re.Match[str]) -> Found[Cap] | None:
    start, end = sentence_bounds(text, match.start(), 500)
    if not _LIABILITY.search(text, start, match.start()) or _INSURANCE.search(text, start, end):
        return None
    stop = min(end, match.end() + 300)
    months = _months(text, match.end(), stop)
    money = _AMOUNT.search(text, match.end(), stop)
    amount, shown = _amount(money) if money else (None, None)
    if months is None and amount is None:
        blank = _BLANK_AMOUNT.match(text, match.end())
        return Found(Cap("", None, None, blank.group("blank")), start, end) if blank else None
    label = _label(months, shown, text[start:end])
    return Found(Cap(label, months, amount), start, end)


def liability_cap(text: str) -> Found[Cap] | None:
    """The first limit on a party's liability, e.g. `Cap("$1,000,000", None, 1e6)`."""
    for match in _LIMIT.finditer(text):
        found = _cap_at(text, match)
        if found is not None:
            return found
    unlimited = _UNLIMITED.search(text)
    if unlimited:
        return Found(Cap("uncapped", None, None), unlimited.start(), unlimited.end())
    return None
