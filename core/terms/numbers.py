"""Numbers written in words or digits, and durations such as "ninety (90) days".

The regex fragments here are plain strings so other modules can embed them; they contain no
capturing groups, so callers keep control over their own group numbering.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.terms.blanks import BLANK_NUMBER

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}  # fmt: skip
_ORDINAL_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}  # fmt: skip


def _alt(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_SMALL = rf"(?:(?:{_alt(_TENS)})(?:[ -](?:{_alt(_UNITS)}))?|(?:{_alt(_UNITS)}))"
# "ninety", "twenty-four", "one hundred eighty", "one hundred and twenty".
NUMBER_WORDS = rf"(?:{_SMALL}(?:[ -]hundred(?:[ -](?:and[ -])?{_SMALL})?)?)"
# "ninety (90)", "90", "ninety", "a", "an" (as in "an additional year").
QUANTITY = (
    rf"\b(?:(?:{NUMBER_WORDS})\b(?:[ -]?\(\s?\d{{1,4}}\s?\))?"
    rf"|\d{{1,4}}(?:\.\d{{1,2}})?(?!\d)|an?\b)"
)
_ORD_SMALL = (
    rf"(?:(?:{_alt(_TENS)})[ -](?:{_alt(_ORDINAL_UNITS)})|(?:{_alt(_ORDINAL_TENS)})"
    rf"|(?:{_alt(_ORDINAL_UNITS)}))"
)
ORDINAL_WORDS = _ORD_SMALL
UNIT = r"(?:(?:calendar|business|working|banking)[ -])?(?:days?|weeks?|months?|years?)"
# "ninety (90) days", "five (5)-year", "30 calendar days", "two-year", "12-month".
DURATION = rf"{QUANTITY}[ -]?(?:\(\s?\d{{1,4}}\s?\)[ -]?)?{UNIT}\b"

_DIGITS_IN_PARENS = re.compile(r"\(\s?(\d{1,4})\s?\)")
_DIGITS = re.compile(r"\d{1,4}(?:\.\d{1,2})?")
_WORD = re.compile(r"[a-z]+")
_UNIT_WORD = re.compile(r"(day|week|month|year)s?\b", re.IGNORECASE)
_ORDINAL_DIGITS = re.compile(r"(\d{1,2})\s?(?:st|nd|rd|th|t\s?h)?\b", re.IGNORECASE)


def words_to_int(phrase: str) -> int | None:
    """`"one hundred and eighty"` -> 180; `None` when the phrase holds no number word."""
    total = 0
    current = 0
    seen = False
    for word in _WORD.findall(phrase.lower()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word == "and":
            continue
        else:
            continue
        seen = True
    return total + current if seen else None


def ordinal_to_int(phrase: str) -> int | None:
    """`"twenty-first"` -> 21, `"3rd"` -> 3, `"15t h"` -> 15."""
    digits = _ORDINAL_DIGITS.match(phrase.strip())
    if digits:
        return int(digits.group(1))
    total = 0
    seen = False
    for word in _WORD.findall(phrase.lower()):
        value = _ORDINAL_UNITS.get(word) or _ORDINAL_TENS.get(word) or _TENS.get(word)
        if value:
            total += value
            seen = True
    return total if seen else None


def parse_quantity(phrase: str) -> float | None:
    """The number in `"ninety (90)"`, `"90"`, `"ninety"`, `"an"`; digits in parentheses win."""
    paren = _DIGITS_IN_PARENS.search(phrase)
    if paren:
        return float(paren.group(1))
    digits = _DIGITS.search(phrase)
    if digits:
        return float(digits.group(0))
    value = words_to_int(phrase)
    if value is not None:
        return float(value)
    if re.match(r"\s*an?\b", phrase, re.IGNORECASE):
        return 1.0
    return None


def parse_duration(phrase: str) -> tuple[float, str] | None:
    """`"ninety (90) days"` -> `(90.0, "day")`; the unit is singular lower case."""
    unit = _UNIT_WORD.search(phrase)
    if not unit:
        return None
    amount = parse_quantity(phrase[: unit.start()])
    if amount is None:
        return None
    return amount, unit.group(1).lower()


def to_days(amount: float, unit: str) -> int:
    factor = {"day": 1, "week": 7, "month": 30, "year": 365}[unit]
    return round(amount * factor)


def to_months(amount: float, unit: str) -> float | None:
    if unit == "year":
        return amount * 12
    if unit == "month":
        return amount
    return None


def describe(amount: float, unit: str) -> str:
    """`(1, "year")` -> `"1 year"`, `(12, "month")` -> `"12 months"`."""
    number = int(amount) if float(amount).is_integer() else amount
    return f"{number} {unit}" + ("" if number == 1 else "s")


@dataclass(frozen=True)
class Duration:
    start: int
    end: int
    amount: float
    unit: str  # "day", "week", "month" or "year"
    blank: str | None = None  # "[***]" / "[number]" where the number was left out (amount 0)


_UNIT_RE = re.compile(r"\b(?:days?|weeks?|months?|years?)\b", re.IGNORECASE)
_QUANTITY_BEFORE = re.compile(
    rf"(?:{QUANTITY})[ -]?(?:\(\s?\d{{1,4}}\s?\)[ -]?)?"
    r"(?:(?:calendar|business|working|banking)[ -])?$",
    re.IGNORECASE,
)


_BLANK_BEFORE = re.compile(
    rf"(?P<blank>{BLANK_NUMBER})[ -]?(?:\(\s?(?:{BLANK_NUMBER}|\*+)\s?\)[ -]?)?"
    r"(?:(?:calendar|business|working|banking)[ -])?$",
    re.IGNORECASE,
)


def find_durations(
    text: str, start: int = 0, end: int | None = None, blanks: bool = False
) -> Iterator[Duration]:
    """Each "ninety (90) days" / "5-year" in `text[start:end]`, found from its unit word; with
    `blanks`, also "[***] days" and "[number] days", whose number the copy does not show."""
    stop = len(text) if end is None else min(end, len(text))
    for unit in _UNIT_RE.finditer(text, start, stop):
        window = max(start, unit.start() - 60)
        word = unit.group(0).lower().rstrip("s")
        quantity = _QUANTITY_BEFORE.search(text, max(start, unit.start() - 40), unit.start())
        amount = parse_quantity(quantity.group(0)) if quantity else None
        if quantity is not None and amount is not None:
            yield Duration(quantity.start(), unit.end(), amount, word)
        elif blanks and (blank := _BLANK_BEFORE.search(text, window, unit.start())):
            yield Duration(blank.start(), unit.end(), 0.0, word, blank.group("blank"))
