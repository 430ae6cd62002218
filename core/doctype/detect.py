"""What kind of document this is, before anything is judged: whether it reads like a contract at
all, and which kind of contract (NDA, SaaS, professional services, licence, distribution or
supply, other).

A contract nearly always names its kind in its title ("MUTUAL NON-DISCLOSURE AGREEMENT"); the
title decides when it names one. Otherwise the wording does: how densely the text uses each
kind's vocabulary ("Confidential Information", "subscription", "Statement of Work", "Licensee",
"Distributor"). The patterns are ours, written from how these contracts are drafted; the
figures are in docs/accuracy.md ("Contract type")."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.models import ContractKind, ContractType

# What each kind is called, one and many.
KIND_LABELS: dict[ContractKind, str] = {
    "nda": "non-disclosure agreement",
    "saas": "SaaS or cloud services agreement",
    "services": "professional services agreement",
    "licence": "licence agreement",
    "distribution": "distribution or supply agreement",
    "other": "contract of another kind",
}
KIND_PLURALS: dict[ContractKind, str] = {
    "nda": "non-disclosure agreements",
    "saas": "SaaS or cloud services agreements",
    "services": "professional services agreements",
    "licence": "licence agreements",
    "distribution": "distribution or supply agreements",
    "other": "contracts of other kinds",
}

# In a title: the first kind, in this order, whose pattern matches wins, so "Software Licence
# and Hosting Agreement" is SaaS and "Manufacturing and Supply Agreement" is supply.
_TITLE_PATTERNS: tuple[tuple[ContractKind, str], ...] = (
    (
        "nda",
        r"non[\s-]?disclosure|confidential(?:ity)?\s+(?:and\s+\w+\s+)?(?:disclosure\s+)?"
        r"agreement|\bNDA\b|secrecy\s+agreement|confidentiality\s+undertaking",
    ),
    (
        "saas",
        r"software[\s-]+as[\s-]+a[\s-]+service|\bsaas\b|subscription|cloud|hosting|hosted"
        r"|online\s+services?|platform\s+(?:services?|agreement)|terms\s+of\s+service",
    ),
    (
        "licence",
        r"licen[cs](?:e|ing)|\beula\b|intellectual\s+property\s+agreement|royalty\s+agreement",
    ),
    (
        "distribution",
        r"distribut(?:or|ion)|reseller|resale|\bsupply\b|purchase|procurement|manufactur"
        r"|\boem\b|dealer(?:ship)?|wholesale|sales\s+agency",
    ),
    (
        "services",
        r"services?\s+agreement|professional\s+services|consult(?:ing|ancy)|outsourc"
        r"|maintenance|support\s+agreement|statement\s+of\s+work|\bsow\b|servicing"
        r"|master\s+services?|work\s+order|development\s+(?:services|agreement)"
        r"|(?:software|application|product|web|system)\s+development",
    ),
)
_TITLE = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _TITLE_PATTERNS)

# Title words that name no kind ("MASTER AGREEMENT"): such a title leaves it to the wording.
_GENERIC = re.compile(
    r"\b(?:master|agreement|contract|the|this|and|of|for|terms|conditions|general|standard"
    r"|amended|restated|form|new|exhibit|schedule|no|number)\b|[^\w]|\d",
    re.IGNORECASE,
)

# In the body: each kind's vocabulary, counted per thousand words.
_WORDING_PATTERNS: dict[ContractKind, str] = {
    "nda": r"confidential\s+information|disclosing\s+party|receiving\s+party|\bdiscloser\b"
    r"|\brecipient\b|non[\s-]?disclosure",
    "saas": r"subscription|\bsaas\b|uptime|availability|service\s+levels?|hosted|hosting"
    r"|\bcloud\b|customer\s+data|authori[sz]ed\s+users?|\bplatform\b",
    "services": r"statement\s+of\s+work|\bsows?\b|deliverables?|\bconsultant\b|contractor"
    r"|professional\s+services|time\s+and\s+materials|\bmilestones?\b|personnel",
    "licence": r"\blicensee\b|\blicensor\b|\blicen[cs]ed\b|royalt(?:y|ies)|sublicen[cs]"
    r"|source\s+code|object\s+code|trademarks?",
    "distribution": r"\bdistributor\b|\breseller\b|purchase\s+orders?|shipments?"
    r"|\bsupplier\b|manufactur|\bbuyer\b|minimum\s+purchase|resale",
}
_WORDING = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in _WORDING_PATTERNS.items()}
# A kind needs this many vocabulary hits per thousand words before the wording names it.
_MIN_DENSITY = 3.0

# What any contract uses: obligations, parties, the agreement itself, its usual clauses.
_CONTRACT_MARKERS = re.compile(
    r"\bshall\b|\bagree(?:s|d|ment)?\b|\bpart(?:y|ies)\b|\bhereby\b|\bherein\b|\bhereunder\b"
    r"|\bhereto\b|\bwhereas\b|\bcontract(?:or|ual)?\b|\bterminat\w*|\bindemnif\w*|\bliab\w*"
    r"|\bwarrant\w*|\bgovern(?:ed|ing)\s+(?:by|law)|\blicen[cs]\w*|\bconfidential\w*"
    r"|\bobligations?\b|\bbinding\b|\bbreach\w*|\bclause\b|\bsection\s+\d|\bguarantee[sd]?\b"
    r"|\bpromises?\b|\bundertak\w*|\bcovenants?\b|\brepresent(?:s|ations?)\b|\bsignature\b"
    r"|\bsigned\s+by\b|\(seal\)|in\s+witness\s+whereof|\bhereinafter\b|\bpursuant\s+to\b"
    r"|\bnotwithstanding\b|\barbitrat\w*|\bjurisdiction\b|force\s+majeure|\bsuccessors\b"
    r"|\bconsideration\b|\beffective\s+date\b",
    re.IGNORECASE,
)
# Fewer distinct markers than this, and the text is not treated as a contract.
MIN_MARKERS = 3


@dataclass(frozen=True)
class Reading:
    """Whether the text reads like a contract, and the markers that say so."""

    is_contract: bool
    markers: tuple[str, ...]


def read_as_contract(text: str) -> Reading:
    """A text is a contract when it uses at least MIN_MARKERS distinct pieces of contract
    language (one clause of a real agreement does; "hello world", a recipe or an invoice do
    not)."""
    found = {m.group(0).lower() for m in _CONTRACT_MARKERS.finditer(text)}
    stems = tuple(sorted({_stem(word) for word in found}))
    return Reading(len(stems) >= MIN_MARKERS, stems)


def _stem(word: str) -> str:
    word = re.sub(r"\s+", " ", word)
    for stem in (
        "agree",
        "part",
        "terminat",
        "indemnif",
        "liab",
        "warrant",
        "licen",
        "confiden",
        "guarantee",
        "promise",
        "undertak",
        "covenant",
        "represent",
        "arbitrat",
    ):
        if word.startswith(stem):
            return stem
    return word


def contract_type(text: str, title: str | None) -> ContractType:
    """The contract's kind: by its title when the title names one, else by its wording."""
    if title:
        for kind, pattern in _TITLE:
            if pattern.search(title):
                return ContractType(
                    type=kind, label=KIND_LABELS[kind], confidence=0.9, basis="title", title=title
                )
        if _GENERIC.sub(" ", title).strip():
            # The title names a kind of its own ("Sponsorship Agreement"): none of ours.
            return ContractType(
                type="other", label=KIND_LABELS["other"], confidence=0.8, basis="title", title=title
            )
    words = max(1, len(text.split()))
    density = {
        kind: 1000 * sum(1 for _ in pattern.finditer(text)) / words
        for kind, pattern in _WORDING.items()
    }
    kind, best = max(density.items(), key=lambda item: item[1])
    if best < _MIN_DENSITY:
        return ContractType(
            type="other", label=KIND_LABELS["other"], confidence=0.5, basis="wording"
        )
    runner_up = max(v for k, v in density.items() if k != kind)
    # 0.5 when two kinds are as likely, towards 0.9 as the best one leads.
    confidence = round(0.5 + 0.4 * (1 - math.exp(-(best - runner_up) / _MIN_DENSITY)), 3)
    return ContractType(type=kind, label=KIND_LABELS[kind], confidence=confidence, basis="wording")
