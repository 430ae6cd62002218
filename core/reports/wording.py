"""Internal identifiers said in plain words for a reviewer: which part of the playbook raised a
finding, and how closely a piece of guidance matched."""

from __future__ import annotations

from core.models import ChunkRef, GuardrailWarning

_TERMS = {
    "notice_period_days": "notice period",
    "payment_terms_days": "payment term",
    "liability_cap_months": "liability cap",
    "liability_cap_amount": "liability cap",
    "renewal_term_months": "renewal term",
    "initial_term_months": "initial term",
}


def rule_words(rule: str | None) -> str:
    """e.g. "red_flag:6" -> "red flag 6 of the playbook's rule"; "" when there is none."""
    if not rule:
        return ""
    kind, _, detail = rule.partition(":")
    term = _TERMS.get(detail, detail.replace("_", " "))
    words = {
        "check": "a playbook check",
        "red_flag": f"red flag {detail} of the playbook's rule",
        "threshold": f"the playbook's limit on the {term}",
        "unchecked": f"the playbook's limit on the {term}",
        "fallback": f"fallback position {detail} of the playbook",
        "position": "the playbook's standard position",
        "required": "a clause the playbook requires",
        "claude": f"Claude's reading ({detail.replace('_', ' ')})",
    }
    return words.get(kind, rule.replace("_", " "))


def match_words(chunk: ChunkRef) -> str:
    """How the guidance came to be cited: its closeness to the clause, or the rule itself."""
    if chunk.similarity <= 0:
        return "cited by the rule that raised the finding"
    return f"{chunk.similarity:.0%} match"


_GUARDRAIL_LEADS = {
    "ungrounded_finding": "A finding was left out because it could not be grounded in the "
    "contract and the playbook",
    "claude_fallback": "The offline rules stood in for Claude",
    "claude_disagreement": "Claude and the playbook rules disagreed",
}


def guardrail_words(warning: GuardrailWarning) -> str:
    """A guardrail warning for a reader: what kind of thing happened, then the detail. Only a
    finding the grounding check refused is said to be left out."""
    lead = _GUARDRAIL_LEADS.get(warning.kind)
    message = warning.message
    if lead is None:
        return message[:1].upper() + message[1:]
    return f"{lead}: {message}"
