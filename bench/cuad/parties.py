"""Scoring the party list against CUAD's "Parties" answer.

CUAD writes the parties as one string, names separated by ";", each usually followed by its
defined short name: `ACME, INC. ("Acme"); Zeta Ltd ("Supplier"); (each a "Party")`. Reading it:
- parenthesised and quoted text is dropped (the short names), and so are entries left with no
  name: collective definitions ("Each of the foregoing is referred to as a Party"), blanks
  ("[]", "[ * * * ]"), descriptions in lower case ("the entity named on the cover page") and
  bare roles ("Agent", "Supplier");
- an entry that only joins other listed names or short names with "and" ("Acme and Zeta (each a
  Recipient)") is a collective definition too and is dropped; repeated names count once.
Names compare after normalisation: case, punctuation, accents, "the" and legal-form words
("Inc.", "Corp.", "Ltd.", "LLC", "GmbH", ...) are ignored, "&" reads "and". Two names match when
- one contains the other word for word ("Bluefin" / "Bluefin Game Studios"),
- they are the same but for spaces ("NorthStar" / "North Star"),
- they share their first two words, each of three letters or more ("Halden Chemie GmbH & Co KG"
  / "Halden Chemie Ltd"; not "Fund IV-A" / "Fund IV-B"), or
- they have as many words, each the same but for a typo ("Quorvant" / "Quorvent").
The list is correct when every CUAD name is matched by one of ours and each of ours matches a
CUAD name. When CUAD's answer holds no nameable party (only a blank), it is not scored.
"""

from __future__ import annotations

import re
import unicodedata

from core.terms.names import SUFFIXES

_PARENS = re.compile(r"\([^()]*\)")
_QUOTED = re.compile(r"[\"“”][^\"“”]*[\"“”]")
_COLLECTIVE = re.compile(
    r"^\W*(?:each|both|collectively|together|individually|sometimes|hereinafter)\b"
    r"|\breferred\sto\b",
    re.IGNORECASE,
)
_FORM_WORDS = {s.strip(".").replace(".", "") for s in SUFFIXES} | {"the", "company", "co"}
# A bare role where CUAD could not name the party ("Supplier ("Supplier")").
_ROLES = frozenset(
    re.findall(
        r"\w+",
        "agent party parties you company franchisee franchisor employee consultant supplier "
        "customer distributor licensee licensor buyer seller purchaser vendor client contractor",
    )
)
_AND = re.compile(r"\s(?:and|AND|And)\s")


def gold_parties(answer: str) -> list[str] | None:
    """CUAD's party names as normalised word strings; None when none can be named."""
    aliases = {normalise(q.strip('"“”')) for q in _QUOTED.findall(answer)}
    entries: list[str] = []
    for entry in _entries(answer):
        text = _QUOTED.sub(" ", entry)
        while _PARENS.search(text):
            text = _PARENS.sub(" ", text)
        text = text.strip(" ()[]*,.\t\n")
        if not _COLLECTIVE.search(text) and any(c.isupper() for c in text):
            entries.append(text)
    keys = [normalise(text) for text in entries]
    names: list[str] = []
    for text, key in zip(entries, keys, strict=True):
        if not key or key in _ROLES or key in names:
            continue
        if not _joins_others(text, [k for k in keys if k != key], aliases):
            names.append(key)
    return names or None


def _entries(answer: str) -> list[str]:
    """`answer` split at the ";" that stand outside parentheses."""
    entries, depth, begin = [], 0, 0
    for pos, char in enumerate(answer):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            entries.append(answer[begin:pos])
            begin, depth = pos + 1, 0
    return [*entries, answer[begin:]]


def _joins_others(entry: str, others: list[str], aliases: set[str]) -> bool:
    """ "Acme and Zeta": every part joined by "and" is a short name or opens another name."""
    parts = [normalise(p) for p in _AND.split(entry)]
    if len(parts) < 2:
        return False
    return all(
        not p or p in aliases or any(f"{o} ".startswith(f"{p} ") for o in others) for p in parts
    )


def normalise(name: str) -> str:
    """Lower-case words without punctuation, accents, "the" or legal-form words."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^\w\s]+", "", plain.lower().replace("-", " ").replace("&", " and ")).split()
    return " ".join(w for w in words if w not in _FORM_WORDS)


def _contains(outer: str, inner: str) -> bool:
    return bool(inner) and f" {inner} " in f" {outer} "


def same_party(a: str, b: str) -> bool:
    """Whether two normalised names name the same party."""
    if not a or not b:
        return False
    words_a, words_b = a.split(), b.split()
    if _contains(a, b) or _contains(b, a) or a.replace(" ", "") == b.replace(" ", ""):
        return True
    lead = words_a[:2]
    if len(lead) == 2 and lead == words_b[:2] and min(map(len, lead)) >= 3:
        return True
    # A typo in CUAD's answer or in the contract ("Quorvant" / "Quorvent").
    return len(words_a) == len(words_b) and all(map(_near, words_a, words_b))


def _near(a: str, b: str) -> bool:
    if a == b:
        return True
    short = min(len(a), len(b))
    return short >= 3 and _edits(a, b) <= (1 if short < 6 else 2)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def parties_ok(answer: str, ours: list[str]) -> bool | None:
    """Every CUAD party found among ours, and none of ours outside CUAD's list."""
    if not answer.strip():
        return not ours
    gold = gold_parties(answer)
    if gold is None:
        return None
    found = [normalise(n) for n in ours]
    every_gold = all(any(same_party(g, f) for f in found) for g in gold)
    no_extra = all(any(same_party(g, f) for g in gold) for f in found)
    return every_gold and no_extra
