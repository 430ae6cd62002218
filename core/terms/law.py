"""Governing law: "governed by the laws of the State of New York" -> "New York"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.terms.spans import Found, left, right, sentence_bounds

_US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|District of Columbia|"
    "Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|"
    "New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
_REGIONS = (
    "Ontario|Quebec|British Columbia|Alberta|Manitoba|Saskatchewan|Nova Scotia|New Brunswick|"
    "Newfoundland and Labrador|Prince Edward Island|New South Wales|Victoria|Queensland|"
    "Western Australia|South Australia|Tasmania|Australian Capital Territory|Northern Territory|"
    "England and Wales|England|Scotland|Northern Ireland|Wales|Hong Kong|Macau|Bavaria|Zurich|"
    "Geneva|Ontario, Canada"
)
_COUNTRIES = (
    "United States of America|United States|United Kingdom|Canada|Australia|New Zealand|Ireland|"
    "Germany|France|Italy|Spain|Portugal|Netherlands|Belgium|Luxembourg|Switzerland|Austria|"
    "Sweden|Norway|Denmark|Finland|Iceland|Poland|Czech Republic|Hungary|Greece|Turkey|Israel|"
    "Russia|Russian Federation|Ukraine|Japan|China|People's Republic of China|PRC|Korea|"
    "Republic of Korea|South Korea|Taiwan|Singapore|Malaysia|Thailand|Indonesia|Philippines|"
    "Vietnam|India|Pakistan|United Arab Emirates|Dubai|Saudi Arabia|Qatar|Egypt|South Africa|"
    "Republic of South Africa|Nigeria|Kenya|Brazil|Argentina|Chile|Mexico|Colombia|Peru|"
    "Cayman Islands|British Virgin Islands|Bermuda|Bahamas|Isle of Man|Jersey|Guernsey|Cyprus|"
    "Malta|Liechtenstein|Monaco|Estonia|Latvia|Lithuania|Romania|Bulgaria|Croatia|Slovenia|"
    "Slovakia|Serbia|Vanuatu|Panama|Barbados"
)
_NAMES = sorted(f"{_US_STATES}|{_REGIONS}|{_COUNTRIES}".split("|"), key=len, reverse=True)
_CANONICAL = {name.lower(): name for name in _NAMES}
_CANONICAL.update(
    {
        "people's republic of china": "China",
        "prc": "China",
        "republic of south africa": "South Africa",
        "united states of america": "United States",
        "republic of korea": "South Korea",
        "russian federation": "Russia",
        "ontario, canada": "Ontario",
    }
)
_ADJECTIVES = {
    "english": "England", "scottish": "Scotland", "scots": "Scotland", "irish": "Ireland",
    "german": "Germany", "french": "France", "swiss": "Switzerland", "dutch": "Netherlands",
    "italian": "Italy", "spanish": "Spain", "japanese": "Japan", "chinese": "China",
    "canadian": "Canada", "australian": "Australia", "singaporean": "Singapore",
    "swedish": "Sweden", "israeli": "Israel", "indian": "India", "korean": "South Korea",
}  # fmt: skip
_NAME_ALT = "|".join(
    re.escape(n).replace("\\ ", " ").replace(" ", r"\s").replace("'", "['’]") for n in _NAMES
)
_PREFIX = (
    r"(?:the\s)?(?:(?:state|commonwealth|province|republic|kingdom|territory|federal\srepublic"
    r"|canton|emirate|country)\sof\s)?(?:the\s)?"
)
_LAW_WORD = re.compile(r"\blaws?\b", re.IGNORECASE)
_AFTER_LAW = re.compile(
    r"\s(?:(?:in\sforce\s|applicable\s|prevailing\s)?in|of)\s"
    + _PREFIX
    + rf"(?P<name>{_NAME_ALT})\b(?P<wales>\sand\sWales)?",
    re.IGNORECASE,
)
_BEFORE_LAW = re.compile(
    rf"\b(?P<name>{_NAME_ALT}|{'|'.join(_ADJECTIVES)})\s(?:governing\s)?$", re.IGNORECASE
)
_STRONG = re.compile(r"\bgovern|\bchoice\sof\slaw|\bapplicable\slaw", re.IGNORECASE)
_WEAK = re.compile(r"\bconstru|\binterpret|\benforce|\bsubject\sto", re.IGNORECASE)
_HEADING = re.compile(r"governing\slaw|applicable\slaw|choice\sof\slaw", re.IGNORECASE)
_SHALL_GOVERN = re.compile(r"\s?(?:shall|will|does|to)\s(?:govern|apply|control)", re.IGNORECASE)
_NOT_LAW = re.compile(
    r"\b(?:organi[sz]ed|incorporated|existing|formed|chartered|registered|established|constituted"
    r"|conflicts?|licensed|qualified|operating|residents?|doing\sbusiness|standing)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


def _canonical(raw: str, wales: bool) -> str:
    key = re.sub(r"\s+", " ", raw).lower().replace("’", "'")
    if key in _ADJECTIVES:
        return _ADJECTIVES[key]
    name = _CANONICAL.get(key, raw)
    return "England and Wales" if name == "England" and wales else name


def _candidates(text: str) -> Iterator[tuple[str, int, int]]:
    """(jurisdiction, start, end) for each "laws of X" / "X law" phrase."""
    for word in _LAW_WORD.finditer(text):
        after = _AFTER_LAW.match(text, word.end())
        if after:
            wales = bool(after.group("wales"))
            yield _canonical(after.group("name"), wales), word.start(), after.end()
            continue
        lo = max(0, word.start() - 40)
        before = _BEFORE_LAW.search(text, lo, word.start())
        if before:
            yield _canonical(before.group("name"), False), before.start(), word.end()


def _strength(text: str, first: int, last: int) -> int:
    """2: sentence says "governed"; 1: "construed"/"interpreted"; 0: not a choice of law."""
    if _NOT_LAW.search(left(text, first, 60)):
        return 0
    start, end = sentence_bounds(text, first, 400)
    before = text[start:first]
    after = right(text, last, min(200, max(0, end - last)))
    heading = left(text, start, 40)
    if _STRONG.search(before) or _SHALL_GOVERN.match(after):
        return 2
    if _HEADING.search(heading):
        return 2
    return 1 if _WEAK.search(before) else 0


def governing_law(text: str) -> Found[str] | None:
    """First jurisdiction chosen with "governed by" wording, else with "construed" wording."""
    weak: Found[str] | None = None
    for name, start, end in _candidates(text):
        strength = _strength(text, start, end)
        if strength == 2:
            return Found(name, start, end)
        if strength == 1 and weak is None:
            weak = Found(name, start, end)
    return weak
