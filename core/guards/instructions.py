"""Sentences aimed at an AI reviewer rather than at the other party: each sentence of the folded
text is scored against the weighted patterns of `vocabulary`, plus two shape rules for chat
requests that have no business inside a contract (a question or a bare command with no legal
words in it). Role tags and fake system blocks are matched over the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.guards.vocabulary import LEGAL, PATTERNS, QUESTION_START, TASK_VERBS

THRESHOLD = 1.0
_OVERRIDE_FAMILY = ("override", "override_earlier", "override_everything", "earlier_rules")
# A sentence: up to a terminator or a line break. Abbreviations split sentences too early,
# which only makes fragments shorter (and the shape rules need four words or more).
_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+['\"”’)\]]*|(?=\n)|$)")
_LEAD = re.compile(r"^[\s\-*•·>#\"'“‘(\[]*(?:(?:[a-z0-9]{1,3}[.)]|q:|a:|also:|ps:|note:)\s+)*")
_WORDS = re.compile(r"[a-z][a-z'-]*")
_ENUMERATOR = re.compile(r"^\s*(?:[-*•·]|\(?[a-zA-Z0-9]{1,4}[.)])\s")
# "Provide" followed by these is a noun phrase or a definition ("Use of Name", "Claim means").
_NOT_A_VERB = re.compile(
    r"^\w+\W+(?:of|and|or|is|are|was|were|means|shall|will|may|must|fee|fees|date|letter)\b"
    r"|^\w+\W+(?!you|i|we|they|he|she|it|me|us)\w+\W+(?:is|are|was|were|means|shall|will|may|must|"
    r"has|have)\b"
)
# Verbs that start the items of a scope of work; a request next to them is one of the items.
_LIST_VERB = re.compile(
    r"(?:Install|Add|Remove|Replace|Use|Maintain|Ensure|Deliver|Supply|Paint|Repair|Upgrade|"
    r"Refinish|Renovate|Clean|Purchase|Prepare|Submit|Obtain|Perform|Conduct|Coordinate|Develop|"
    r"Implement|Establish|Manage|Support|Assist|Review|Update|Furnish|Test|Train|Document|"
    r"Monitor|Report|Attend|Sell|Market|Distribute|Promote|Design|Build|Construct|Relocate|"
    r"Retain|Pay|Notify|Inform|Send|Include|Provide|Keep|Make|Hold|Complete)\b"
)
_UPPER_WORD = re.compile(r"\b[A-Z][A-Za-z'-]*")
_ROLE_TAG = re.compile(
    r"(?im)<\|?\s*/?\s*(?:system|im_start|im_end|assistant|user|endoftext|sys|instruction)s?\s*\|?>"
    r"|\[\[?\s*/?\s*(?:system|inst|sys|end_system|assistant|user|admin|instruction override|"
    r"inject\w*|system injection|hidden)\b[^\]\n]{0,40}\]\]?|<</?sys>>"
    r"|^\s*#{1,4}\s*(?:system|instruction|instructions|assistant|user|human|response)\b\s*:?"
    r"|[\"']role[\"']\s*:\s*[\"'](?:system|assistant|user|developer)[\"']"
    r"|\{\{\s*/?\s*system\w*\s*\}\}"
    r"|^\s*(?:system|assistant|user|human|ai|bot)\s*(?:prompt|message|note|override)?\s*:"
    r"[ \t]*\S+[ \t]+\S"
    r"|\b(?:system|admin|developer|instruction|security|safety)\s+(?:override|injection|notice|"
    r"alert|update|command)\s*:"
    r"|-{2,}\s*(?:end|begin|start)\s+of\s+(?:the\s+)?(?:system\s+)?(?:prompt|instructions|context|"
    r"document)\s*-{2,}"
    r"|<!--(?:(?!-->).){0,400}?(?:instruction|ignore|assistant|\bai\b|prompt|system)(?:(?!-->).){0,400}?-->"
)


@dataclass(frozen=True)
class Hit:
    kind: str  # "ai_instruction" | "role_tag"
    start: int
    end: int
    score: float
    reasons: tuple[str, ...]


def sentences(text: str) -> Iterator[tuple[int, int]]:
    for match in _SENTENCE.finditer(text):
        a, b = match.span()
        while a < b and text[a].isspace():
            a += 1
        if b - a >= 3:
            yield a, b


def score_sentence(original: str, folded: str, in_list: bool = False) -> tuple[float, list[str]]:
    """The sentence's weight and the names of the patterns that make it up. `in_list`: the
    sentence is one of several commands in a row (a scope of work, not a stray request)."""
    reasons = [name for name, _, pattern in PATTERNS if pattern.search(folded)]
    weights = {name: weight for name, weight, _ in PATTERNS if name in reasons}
    # One override phrase ("ignore all previous instructions") matches several of these.
    family = sum(weights.pop(name, 0.0) for name in _OVERRIDE_FAMILY)
    total = sum(weights.values()) + min(family, 1.2)
    if len(set(LEGAL.findall(folded))) >= 2:
        total -= 0.5  # contract wording ("Purchaser may disregard prior instructions of Seller")
    shape = chat_shape(original, folded)
    if shape and not (shape == "command" and in_list):
        reasons.append(shape)
        total += 0.5
        if not LEGAL.search(folded):
            reasons.append("no_legal_words")
            total += 0.5
    return total, reasons


def chat_shape(original: str, folded: str) -> str | None:
    """ "question" or "command" for a sentence shaped like a chat request, else None."""
    lead = _LEAD.match(folded)
    start = lead.end() if lead else 0
    body = folded[start:].rstrip(" \t'\"”’)]")
    words = _WORDS.findall(body)
    if len(words) < 4 or body.endswith((":", ";", ",")) or _looks_like_heading(original[start:]):
        return None
    if body.endswith("?") or (QUESTION_START.match(body) and "?" in body):
        return "question"
    if QUESTION_START.match(body) and re.match(
        r"^(?:please\W+)?(?:can|could|would|will) you", body
    ):
        return "question"
    if len(re.findall(r"\d+", body)) >= 4:
        return None  # addresses, tables, schedules of figures
    first = original[start:].split(" ", 1)[0]
    enumerated = bool(_ENUMERATOR.match(original))
    if (
        first[:1].isupper()
        and not first.isupper()
        and not enumerated
        and TASK_VERBS.match(body)
        and not _NOT_A_VERB.match(body)
    ):
        return "command"
    return None


def _looks_like_heading(original: str) -> bool:
    letters = [c for c in original if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return True  # ALL CAPS captions
    words = original.split()
    capital = len(_UPPER_WORD.findall(original))
    return len(words) <= 8 and capital >= max(3, len(words) - 1)  # Title Case Captions


def instruction_hits(text: str, folded: str) -> Iterator[Hit]:
    spans = list(sentences(text))
    commands = [
        chat_shape(text[a:b], folded[a:b]) == "command" or bool(_LIST_VERB.match(text, a, b))
        for a, b in spans
    ]
    firsts = [folded[a:b].split(" ", 1)[0] for a, b in spans]
    for i, (a, b) in enumerate(spans):
        # Scopes of work list commands ("Provide ...", "Install ..."): a command with another
        # one nearby, or with the same first word, is a list item, not a stray request.
        near = range(max(0, i - 3), min(len(spans), i + 4))
        in_list = commands[i] and any(
            j != i and (commands[j] or firsts[j] == firsts[i]) for j in near
        )
        total, reasons = score_sentence(text[a:b], folded[a:b], in_list)
        if total >= THRESHOLD:
            yield Hit("ai_instruction", a, b, total, tuple(reasons))


def role_tag_hits(text: str, folded: str) -> Iterator[Hit]:
    for match in _ROLE_TAG.finditer(folded):
        yield Hit("role_tag", match.start(), match.end(), 1.5, ("role_tag",))
