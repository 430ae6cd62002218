"""Payment terms: days to pay an invoice ("pay each invoice within thirty (30) days of receipt",
"net 45", "fees are payable 30 days after the invoice date").

Only the window for paying counts. Other windows in the same sentence are skipped: the days to
dispute an invoice, give notice, cure a late payment or issue a refund, and windows counted from
a payment or a notice ("within 30 days after each monthly payment"), which follow a payment
rather than set it.
"""

from __future__ import annotations

import re

from core.terms.numbers import find_durations
from core.terms.spans import Found, sentence_bounds

_I = re.IGNORECASE
_WITHIN = re.compile(r"\b(?:within|no\slater\sthan|not\slater\sthan|in)\s$", _I)
_AFTER_INVOICE = re.compile(
    r"\s(?:after|of|from|following|upon)\s(?:the\s|its\s|such\s|[A-Z][\w.]*['’]s\s)?(?:date\sof\s)?"
    r"(?:(?:the|an?|its)\s)?(?:applicable\s|relevant\s|such\s|correct\s)?"
    r"(?:receipt|invoice|issuance|billing)",
    _I,
)
# What the window runs from, when that is something other than the invoice.
_AFTER_OTHER = re.compile(
    r"\s(?:after|of|from|following|upon)\s(?:the\s|an?\s|any\s|such\s|each\s)?(?:[\w'’-]+\s){0,3}?"
    r"(?:payments?|refunds?|notices?|notifications?|termination|expiration|request|demand)\b",
    _I,
)
_NET = re.compile(r"\bnet\s?(?P<days>\d{1,3})\b(?!\s?%)(?P<unit>\s?days)?", _I)
_INVOICE = re.compile(r"\binvoic|\bbill(?:ed|ing)?\b", _I)
_PAY = re.compile(r"\bpa(?:y|id|yable|yment)\w*|\bdue\b|\bremit", _I)
# In the words leading up to the window: someone pays, or a payment falls due.
_PAYING = re.compile(
    r"\b(?:pay|pays|paid|payable|remit\w*)\b|\bdue\b|\bpayments?\b[^.;]{0,40}\b(?:made|received)\b",
    _I,
)
# ... and not a window for something else, nor a consequence of paying late.
_OTHER_WINDOW = re.compile(
    r"(?<!un)disput\w*|\bnotif\w*|\bnotice\b|\bcure\w*|\brefund\w*|\bobject\w*|\bcontest\w*"
    r"|\breturn\w*|\breject\w*|\bfails?\b|\bfailure\b|\bnot\s(?:be\s)?(?:paid|made)"
    r"|\blate\b|\boverdue\b|\bpast\sdue\b|\binterest\b|\bsuspend\w*",
    _I,
)
_CLAUSE_START = re.compile(r".*;|.*,\s(?=(?:and|but|or|provided|except|unless|if)\b)", _I | re.S)


def _about_invoices(text: str, pos: int) -> bool:
    start, end = sentence_bounds(text, pos, 300)
    return bool(_INVOICE.search(text, start, end) and _PAY.search(text, start, end))


def _lead_in(text: str, pos: int) -> str:
    """The words of the clause that lead up to `pos` (from its start or its last ";")."""
    start, _ = sentence_bounds(text, pos, 300)
    before = text[max(start, pos - 160) : pos]
    cut = _CLAUSE_START.match(before)
    return before[cut.end() :] if cut else before


def _is_pay_window(text: str, start: int, end: int, from_invoice: bool) -> bool:
    """Whether the window at [start, end) is for paying: it runs from the invoice, or the words
    before it say someone pays; either way in a sentence about paying invoices."""
    lead = _lead_in(text, start)
    # The nearest phrase of three words or more says what the window is for: "Except amounts
    # disputed in good faith, Customer shall pay" pays, "Customer shall give notice of any
    # disputed amount, in writing," does not.
    phrases = [p for p in lead.split(",") if len(p.split()) >= 3]
    if (phrases and _OTHER_WINDOW.search(phrases[-1])) or _AFTER_OTHER.match(text, end):
        return False
    return _about_invoices(text, start) and (from_invoice or bool(_PAYING.search(lead)))


def _within_days(text: str) -> Found[int | str] | None:
    for duration in find_durations(text, blanks=True):
        if duration.unit != "day" or not (duration.blank or 0 < duration.amount <= 365):
            continue
        within = _WITHIN.search(text, max(0, duration.start - 20), duration.start)
        from_invoice = _AFTER_INVOICE.match(text, duration.end) is not None
        if not (within or from_invoice):
            continue
        start = within.start() if within else duration.start
        if _is_pay_window(text, start, duration.end, from_invoice):
            return Found(duration.blank or int(duration.amount), start, duration.end)
    return None


def _net_days(text: str) -> Found[int | str] | None:
    for match in _NET.finditer(text):
        days = int(match.group("days"))
        start, end = sentence_bounds(text, match.start(), 300)
        if 0 < days <= 365 and (match.group("unit") or _PAY.search(text, start, end)):
            return Found(days, match.start(), match.end())
    return None


def payment_terms(text: str) -> Found[int | str] | None:
    """Days to pay an invoice, from the first sentence about paying invoices that gives one; a
    string when the copy leaves the number out: the redaction or placeholder standing for it."""
    within = _within_days(text)
    net = _net_days(text)
    candidates = [f for f in (within, net) if f is not None]
    return min(candidates, key=lambda f: f.start) if candidates else None
