"""Agreement, effective and expiration dates.

Choices: a date is only reported when its day is known ("March 2025" and blanks such as
"____, 1996" give None, never a guess); a date's role is judged from the words right before it
("dated as of", "effective as of", "shall expire on") or the defined term right after it
("(the "Effective Date")"). Dates in references to other documents ("that certain Lease dated
...") are skipped. Without a dated preamble, the latest date of the signature block is used.
"""

from __future__ import annotations

import re
from datetime import date

from core.terms.dates import DateHit, find_dates
from core.terms.spans import Found, left, sentence_bounds

_I = re.IGNORECASE
_FILLER = (
    r"(?:[\s,]{1,3}(?:as|of|on|this|the|and|effective|into|at|in|is|hereby|made|entered|executed"
    r"|dated|signed|day))*[\s,:]{0,3}$"
)
_AGREEMENT_CUE = re.compile(
    rf"\b(?:dated|made|entered\sinto|executed|signed|concluded|(?<![A-Za-z]\s)date)\b{_FILLER}", _I
)
_EFFECTIVE_CUE = re.compile(rf"\beffective\b{_FILLER}", _I)
_EFFECTIVE_LABEL = re.compile(
    r"\b(?:effective|commencement)\sdate[\"”]?(?:\s?:|\s(?:means|shall\smean|is|shall\sbe))"
    r"(?:\sthe)?\s{0,2}$",
    _I,
)
_DEFINED = re.compile(
    r"\s?,?\s?\(\s?(?:such\s(?:date|day),?\s)?(?:the\s|this\s|hereinafter\s(?:referred\sto\sas\s)?"
    r"(?:the\s)?)?(?:[\"“'](?P<name>[^\"”'\n]{2,40})[\"”']|(?P<bare>(?:[A-Z]\w+\s){1,2}Date)\))",
    _I,
)
_OTHER_DOCUMENT = re.compile(
    r"\b(?:a|an|certain|the|that|said|such|its|prior|existing)\s(?:[\w&-]+\s){0,6}?"
    r"(?:agreement|contract|lease|letter|plan|indenture|amendment|note|license|notice|order)"
    r"(?:\s?\([^()\n]{0,60}\))?,?\s(?:dated|effective|executed|made|entered\sinto)\b[^.;]{0,20}$",
    _I,
)
_THIS_DOCUMENT = re.compile(
    r"\bthis\s[\"“]?(?:agreement|amendment|addendum|contract)\b|\bthe\s[\"“]?term\b|(?-i:\bthe\sAgreement\b)",
    _I,
)
_PREAMBLE_END = re.compile(
    r"\b(?:WHEREAS|Whereas|RECITALS?|Recitals|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H"
    r"|NOW,?\sTHEREFORE|Now,?\sTherefore|IT\sIS\s(?:HEREBY\s)?AGREED|agree\sas\sfollows"
    r"|IN\sWITNESS\sWHEREOF|In\sWitness\sWhereof)\b"
)
_TITLE_BEFORE = re.compile(r"(?:AGREEMENT|Agreement|CONTRACT|\n)\s?$")
_SAME_AS_AGREEMENT = re.compile(
    r"\b(?:effective|commenc\w*|begin\w*|start\w*)\s(?:as\sof|on|from|upon)\s(?:the\s)?"
    r"(?:date\s(?:first\s)?(?:above|here|written|set)|(?:latest|last)\sdate\s(?:set|written|referenced"
    r"|signed|below|on)|date\sof\s(?:this|the)\s(?:agreement|contract"
    r"|document)|date\shereof|agreement\sdate|execution\sdate"
    r"|(?:(?:completion|date)\sof\s(?:the\s)?)?(?:execution|signing|signature)\b)"
    r"|\b(?:become\s|be\s)?effective\s(?:when|once)\s(?:it\sis\s|duly\s)?(?:signed|executed)"
    r"|\b(?:effective|commencement)\sdate[\"”]?\s(?:means|shall\smean|is)\sthe\s(?:date\s(?:of\s"
    r"(?:this|the)\s(?:agreement|contract)|hereof|first)|agreement\sdate|execution\sdate)"
    r"|\bterm\b[^.;]{0,60}?\b(?:from|commencing\son|beginning\son|starting\son)\sthe\sdate\s"
    r"(?:hereof|of\s(?:this|the)\s(?:agreement|contract|document)|first)",
    _I,
)
_SIGNATURE = re.compile(
    r"IN\sWITNESS\sWHEREOF|SIGNATURE\sPAGE|signed\sin\sagreement|DONE\sAND\sSIGNED|/s/"
    r"|AGREED\sAND\sACCEPTED|ACCEPTED\sAND\sAGREED|duly\s(?:authorized\s)?(?:executed|signed)",
    _I,
)
# In a signature block a date follows a label ("Date:"), "on"/"dated", a name, or a new line.
_SIGNATURE_CUE = re.compile(
    r"(?:\b(?:date|dated|on|this|the|of|as\sof)\s?:?\s?|(?-i:[A-Z][\w.]*\s)|\n|[:\]]\s?)$", _I
)
_METADATA_LINE = re.compile(r"(?:^|\n)(?:Source|Filed|Printed|Page)\b[^\n]{0,80}$")


def preamble_end(text: str) -> int:
    """Where the opening paragraph (title, date, parties) ends: recitals or 3,000 characters."""
    match = _PREAMBLE_END.search(text, 100, 20000)
    return match.start() if match else min(len(text), 3000)


def _defined_name(text: str, hit: DateHit) -> str:
    match = _DEFINED.match(text, hit.end)
    if match is None:
        return ""
    return (match.group("name") or match.group("bare") or "").lower()


def _name_roles(name: str) -> set[str]:
    roles = set()
    if "effective" in name or "commencement" in name:
        roles.add("effective")
    if "execution" in name or "agreement date" in name or "signing" in name:
        roles.add("agreement")
    if "expiration" in name or "termination" in name or "end date" in name:
        roles.add("expiration")
    return roles


def role(text: str, hit: DateHit, preamble: bool) -> set[str]:
    """What a date is, from its surroundings: "agreement", "effective" and/or "expiration"."""
    before = left(text, hit.start, 90)
    roles = _name_roles(_defined_name(text, hit))
    if _EFFECTIVE_LABEL.search(before):
        roles.add("effective")
    if preamble and _AGREEMENT_CUE.search(before):
        roles.add("agreement")
    if _EFFECTIVE_CUE.search(before):
        start = sentence_bounds(text, hit.start, 300)[0]
        if preamble or _THIS_DOCUMENT.search(text, start, hit.start):
            roles.update(("effective", "effective as of"))
    return roles if roles and _keep(text, hit) else set()


def _signature_date(text: str) -> Found[date | None] | None:
    """The latest date in the final signature block."""
    marks = [m.start() for m in _SIGNATURE.finditer(text)]
    if not marks:
        return None
    first = marks[-1]
    for mark in reversed(marks):
        if first - mark > 1500:
            break
        first = mark
    hits = [
        h
        for h in find_dates(text, first, min(len(text), marks[-1] + 1500))
        if _keep(text, h) and _SIGNATURE_CUE.search(left(text, h.start, 40))
    ]
    dated = [h for h in hits if h.value is not None]
    if dated:
        best = max(dated, key=lambda h: (h.value, -h.start))
        return Found(best.value, best.start, best.end)
    return Found(None, hits[0].start, hits[0].end) if hits else None


def agreement_date(text: str, hits: list[DateHit]) -> Found[date | None] | None:
    """The date the contract is dated / made as of; `hits` are all the dates of `text`.

    Returns `Found(None, ...)` when that date is a blank placeholder, `None` when absent.
    """
    end = preamble_end(text)
    hits = [h for h in hits if h.start < end and _keep(text, h)]
    roles = [role(text, hit, preamble=True) for hit in hits]
    for wanted in ("agreement", "effective as of"):
        for hit, found in zip(hits, roles, strict=True):
            if wanted in found:
                return Found(hit.value, hit.start, hit.end)
    for hit in hits:
        if _TITLE_BEFORE.search(left(text, hit.start, 12)):
            return Found(hit.value, hit.start, hit.end)
    return _signature_date(text)


def _keep(text: str, hit: DateHit) -> bool:
    before = left(text, hit.start, 90)
    return not (_METADATA_LINE.search(before) or _OTHER_DOCUMENT.search(before))


def effective_date(
    text: str, hits: list[DateHit], agreed: Found[date | None] | None
) -> Found[date | None] | None:
    """The effective date: defined or cued explicitly, else the agreement date if so stated."""
    end = preamble_end(text)
    for hit in hits:
        if "effective" in role(text, hit, preamble=hit.start < end):
            return Found(hit.value, hit.start, hit.end)
    if agreed is None or agreed.value is None:
        return None
    for same in _SAME_AS_AGREEMENT.finditer(text):
        lo = max(sentence_bounds(text, same.start(), 300)[0], same.start() - 150)
        if _THIS_DOCUMENT.search(text, lo, same.end()):
            return Found(agreed.value, same.start(), same.end())
    return None
