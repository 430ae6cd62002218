"""Payment terms: days to pay an invoice ("within thirty (30) days of receipt", "net 45")."""

from __future__ import annotations

import re

from core.terms.numbers import find_durations
from core.terms.spans import Found, sentence_bounds

_I = re.IGNORECASE
_WITHIN = re.compile(r"\b(?:within|no\slater\sthan|not\slater\sthan|in)\s$", _I)
_AFTER_INVOICE = re.compile(
    r"\s(?:after|of|from|following|upon)\s(?:the\s)?(?:date\sof\s)?(?:receipt|invoice|issuance"
    r"|billing)",
    _I,
)
_NET = re.compile(r"\bnet\s?(?P<days>\d{1,3})\b(?P<unit>\s?days)?", _I)
_INVOICE = re.compile(r"\binvoic|\bbill(?:ed|ing)?\b", _I)
_PAY = re.compile(r"\bpa(?:y|id|yable|yment)\w*|\bdue\b|\bremit", _I)


def _about_invoices(text: str, pos: int) -> bool:
    start, end = sentence_bounds(text, pos, 300)
    return bool(_INVOICE.search(text, start, end) and _PAY.search(text, start, end))


def _within_days(text: str) -> Found[int] | None:
    for duration in find_durations(text):
        if duration.unit != "day" or not 0 < duration.amount <= 365:
            continue
        within = _WITHIN.search(text, max(0, duration.start - 20), duration.start)
        if not (within or _AFTER_INVOICE.match(text, duration.end)):
            continue
        if _about_invoices(text, duration.start):
            start = within.start() if within else duration.start
            return Found(int(duration.amount), start, duration.end)
    return None


def _net_days(text: str) -> Found[int] | None:
    for match in _NET.finditer(text):
        days = int(match.group("days"))
        if 0 < days <= 365 and (match.group("unit") or _about_invoices(text, match.start())):
            return Found(days, match.start(), match.end())
    return None


def payment_terms(text: str) -> Found[int] | None:
    """Days to pay an invoice, from the first sentence about paying invoices that gives one."""
    within = _within_days(text)
    net = _net_days(text)
    candidates = [f for f in (within, net) if f is not None]
    return min(candidates, key=lambda f: f.start) if candidates else None
