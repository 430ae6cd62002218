"""Key-term accuracy against CUAD's normalised answers (`csv_answers`).

Normalisation rules (a prediction is correct when):
- every field: CUAD's answer is empty and we found nothing, or both are present and agree;
- dates (agreement, effective, expiration): CUAD writes m/d/yy with "[]" for a part the contract
  leaves blank; each known part must equal ours (two-digit years compare modulo 100). A date with
  blanks ("____, 1996") has no calendar form, so reporting no date is also right for it, and so
  is a date whose parts agree with the known ones. "perpetual" expiration means no end date, so
  we must report none;
- governing law: case, "the", "State/Commonwealth/Republic of" and "laws of" are ignored; the
  first place CUAD names (before "," or ";") must be one of the places we name, e.g.
  "England; Wales" matches "England and Wales", "Ontario, Canada" matches "Ontario";
- renewal term: "successive 2 years", "12 months" → months, compared with our months; CUAD's
  "perpetual" (renews indefinitely) matches any renewal we found; answers we cannot read as a
  duration (e.g. a list of dates) are left out of the score;
- notice period: "90 days" / "6 months" (30 days a month, ±5 days) / "a / b" alternatives,
  compared with our days;
- parties: every party CUAD names is matched by one of ours and we name no party CUAD does not
  (names compared without case, punctuation or "Inc./Corp./Ltd./LLC"; see `bench.cuad.parties`
  for how CUAD's "; "-separated answer is read and when two names match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.cuad.parties import parties_ok
from core.models import KeyTerms

FIELDS: dict[str, str] = {
    "governing_law": "Governing Law",
    "agreement_date": "Agreement Date",
    "effective_date": "Effective Date",
    "expiration_date": "Expiration Date",
    "renewal_term": "Renewal Term",
    "notice_period_days": "Notice Period To Terminate Renewal",
    "parties": "Parties",
}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(day|week|month|year)", re.IGNORECASE)
_PLACE_NOISE = re.compile(
    r"\b(?:the|laws?|of|state|commonwealth|republic|province|kingdom|federal)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Verdict:
    field: str
    gold: str
    predicted: str | None
    correct: bool | None  # None: CUAD's answer cannot be scored


def judge(terms: KeyTerms, answers: dict[str, str]) -> list[Verdict]:
    out = []
    for field, category in FIELDS.items():
        gold = answers.get(category, "").strip()
        if field == "renewal_term":
            months = terms.renewal_term_months
            predicted = None if terms.renewal_term is None else str(months or terms.renewal_term)
            correct = _renewal_ok(gold, terms.renewal_term, months)
        elif field == "notice_period_days":
            days = terms.notice_period_days
            predicted = None if days is None else str(days)
            correct = _notice_ok(gold, days)
        elif field == "parties":
            predicted = "; ".join(terms.parties) or None
            correct = parties_ok(gold, terms.parties)
        elif field == "governing_law":
            predicted = terms.governing_law
            correct = _law_ok(gold, predicted)
        else:
            predicted = getattr(terms, field)
            correct = _date_ok(gold, predicted)
        out.append(Verdict(field, gold, predicted, correct))
    return out


def _date_ok(gold: str, iso: str | None) -> bool:
    if not gold or gold.lower() == "perpetual":
        return iso is None
    parts = [p.strip() for p in gold.split("/")]
    if len(parts) != 3:
        return False
    if iso is None:
        return "[]" in parts
    year, month, day = (int(x) for x in iso.split("-"))
    want_m, want_d, want_y = parts
    checks = [
        want_m in ("[]", "") or int(want_m) == month,
        want_d in ("[]", "") or int(want_d) == day,
        want_y in ("[]", "") or int(want_y) % 100 == year % 100,
    ]
    return all(checks)


def _law_ok(gold: str, predicted: str | None) -> bool:
    if not gold:
        return predicted is None
    if predicted is None:
        return False
    first = _place(re.split(r"[;,]", gold)[0])
    ours = {_place(p) for p in re.split(r"[;,]|\band\b", predicted)}
    return first in ours or first == _place(predicted)


def _place(name: str) -> str:
    return " ".join(_PLACE_NOISE.sub(" ", name.lower()).split())


def _months(text: str) -> list[float]:
    per = {"day": 1 / 30, "week": 7 / 30, "month": 1.0, "year": 12.0}
    return [float(n) * per[u.lower()] for n, u in _NUMBER.findall(text)]


def _renewal_ok(gold: str, label: str | None, months: int | None) -> bool | None:
    if not gold:
        return label is None
    if gold.lower() == "perpetual":
        return label is not None
    wanted = _months(gold)
    if not wanted:
        return None
    return months is not None and any(abs(w - months) < 0.5 for w in wanted)


def _notice_ok(gold: str, days: int | None) -> bool:
    if not gold:
        return days is None
    wanted = [m * 30 for m in _months(gold)]
    return days is not None and any(abs(w - days) <= 5 for w in wanted)
