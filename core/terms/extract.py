"""Assemble `KeyTerms` from the field extractors, with evidence spans into the given text.

A value the copy does not show (a redaction such as "[***]", a template placeholder such as
"[number]" or "{governing_law}") is never reported as a value: the field stays None and is
listed in `redacted` or `unfilled`, with the blank itself as its evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.models import KeyTerms, TermEvidence
from core.terms.blanks import is_placeholder, unfilled_slots
from core.terms.caps import liability_cap
from core.terms.dates import find_dates
from core.terms.ending import expiration_date
from core.terms.law import governing_law
from core.terms.parties import parties
from core.terms.payment import payment_terms
from core.terms.renewal import notice_period, renewal_term
from core.terms.spans import Found
from core.terms.term import initial_term
from core.terms.timeline import agreement_date, effective_date, preamble_end
from core.terms.titles import document_name


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[str, Any] = {}
        self.evidence: dict[str, list[TermEvidence]] = {}
        self.redacted: list[str] = []
        self.unfilled: list[str] = []

    def cite(self, field: str, *found: Found[Any] | None) -> None:
        spans = [f for f in found if f is not None and 0 <= f.start < f.end <= len(self.text)]
        if spans:
            self.evidence[field] = [
                TermEvidence(start=f.start, end=f.end, text=self.text[f.start : f.end])
                for f in spans
            ]

    def set(self, field: str, value: Any, *found: Found[Any] | None) -> None:
        if value is None:
            return
        self.values[field] = value
        self.cite(field, *found)

    def blank(self, token: str, found: Found[Any], *fields: str) -> None:
        """Record `fields` as left out of this copy: `token` redacts or is a placeholder."""
        kind = self.unfilled if is_placeholder(token) else self.redacted
        for field in fields:
            if field not in self.values and field not in self.redacted + self.unfilled:
                kind.append(field)
                self.cite(field, found)

    def set_days(self, field: str, found: Found[int | str] | None) -> None:
        if found is not None and isinstance(found.value, str):
            self.blank(found.value, found, field)
        elif found is not None:
            self.set(field, found.value, found)

    def build(self) -> KeyTerms:
        return KeyTerms(
            **self.values, evidence=self.evidence, redacted=self.redacted, unfilled=self.unfilled
        )


def _iso(found: Found[date | None] | None) -> str | None:
    return found.value.isoformat() if found is not None and found.value is not None else None


def _dates(b: _Builder) -> None:
    text = b.text
    hits = find_dates(text)
    agreed = agreement_date(text, hits)
    effective = effective_date(text, hits, agreed)
    term = initial_term(text)
    expires = expiration_date(text, hits, agreed, effective, term)
    b.set("agreement_date", _iso(agreed), agreed)
    b.set("effective_date", _iso(effective), effective)
    b.set("expiration_date", _iso(expires), expires)
    if term is not None and term.value.blank:
        b.blank(term.value.blank, term, "initial_term_months")
    elif term is not None:
        b.set("initial_term_months", term.value.months, term)


def _periods(b: _Builder) -> None:
    renewal = renewal_term(b.text)
    if renewal is not None:
        b.set("renewal_term", renewal.value.label, renewal)
        b.set("renewal_term_months", renewal.value.months, renewal)
    b.set_days("notice_period_days", notice_period(b.text))
    b.set_days("payment_terms_days", payment_terms(b.text))


def _legal(b: _Builder) -> None:
    law = governing_law(b.text)
    b.set("governing_law", law.value if law else None, law)
    cap = liability_cap(b.text)
    if cap is not None and cap.value.blank:
        fields = ("liability_cap", "liability_cap_amount", "liability_cap_months")
        b.blank(cap.value.blank, cap, *fields)
    elif cap is not None:
        b.set("liability_cap", cap.value.label or None, cap)
        b.set("liability_cap_months", cap.value.months, cap)
        b.set("liability_cap_amount", cap.value.amount, cap)


def extract_terms(text: str) -> KeyTerms:
    """Key terms of a contract's normalised text; every evidence span indexes `text` exactly."""
    b = _Builder(text)
    names = parties(text)
    if names:
        b.set("parties", [n.value for n in names], *names)
    title = document_name(text)
    b.set("document_name", title.value if title else None, title)
    _dates(b)
    _periods(b)
    _legal(b)
    for field, slot in unfilled_slots(text, preamble_end(text)).items():
        if field == "parties" and names:  # the named parties stay; one of them is still blank
            b.unfilled.append(field)
        elif b.values.get(field) in (None, slot.value):
            b.values.pop(field, None)
            b.blank(slot.value, slot, field)
    return b.build()
