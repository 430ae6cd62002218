"""Input guards over document text: signals a reviewer (and the LLM wrapper) should know about
before trusting a contract that came from the other side.

`check_text` finds, with offsets into the text: invisible characters, mixed-script homoglyph
words, role tags and fake system blocks, sentences aimed at an AI reviewer, and encoded or
scrambled payloads that decode to such sentences. `check_document` adds what only the file
format can show (hidden DOCX runs, invisible PDF text). The product warns; it never refuses.
"""

from __future__ import annotations

from typing import Literal

from core.documents.model import LoadedDocument
from core.guards.characters import homoglyph_words, invisible_characters
from core.guards.decoding import decoded_spans, looks_like_words, unscrambled
from core.guards.folding import fold
from core.guards.instructions import (
    THRESHOLD,
    Hit,
    instruction_hits,
    role_tag_hits,
    score_sentence,
    sentences,
)
from core.models import InputWarning

Verdict = Literal["clean", "suspicious"]
EXCERPT = 160
# One wording everywhere (dashboard, CLI report, Markdown memo), graded by evidence: content
# hidden from a reader is "hidden text"; anything written to steer an AI reviewer is "a passage
# that addresses an AI reviewer". Only hidden content makes a document look tampered with.
HIDDEN_KINDS = frozenset({"invisible_characters", "homoglyphs", "hidden_text"})
DESCRIPTIONS = {
    "invisible_characters": "Hidden text: invisible or direction-changing characters",
    "homoglyphs": "Hidden text: a word disguised with look-alike letters from another script",
    "hidden_text": "Hidden text: text the file hides from a reader",
    "role_tag": "A passage that addresses an AI reviewer (a role tag or fake system message)",
    "ai_instruction": "A passage that addresses an AI reviewer",
    "encoded_payload": "A passage that addresses an AI reviewer, encoded or scrambled",
}


def check_text(text: str) -> list[InputWarning]:
    """Every signal in `text`, ordered by position; offsets index `text`."""
    folded = fold(text)
    found = [*invisible_characters(text), *homoglyph_words(text)]
    hits = [*role_tag_hits(text, folded), *instruction_hits(text, folded)]
    found.extend(_warning(text, hit) for hit in _merge(hits))
    found.extend(_encoded(text, folded, hits))
    return sorted(found, key=lambda w: (w.start, w.end, w.kind))


def check_document(doc: LoadedDocument) -> list[InputWarning]:
    """`check_text` plus the spans the file format hides (white, tiny or vanished runs, ...)."""
    hidden = [
        InputWarning(
            kind="hidden_text",
            start=span.start,
            end=span.end,
            excerpt=f"{_clip(doc.text[span.start : span.end])} ({span.how})",
            score=1.0,
        )
        for span in doc.hidden_spans
    ]
    return sorted([*check_text(doc.text), *hidden], key=lambda w: (w.start, w.end, w.kind))


SUSPICIOUS = 0.5  # signals scored below this (a stray zero-width space) are reported, not alarming


def verdict(warnings: list[InputWarning]) -> Verdict:
    return "suspicious" if any(w.score >= SUSPICIOUS for w in warnings) else "clean"


def headline(warnings: list[InputWarning]) -> str | None:
    """The guard's verdict in one sentence for the top of a report, or None when the document
    looks clean. "Tampered" only when hidden content was found."""
    alarming = [w for w in warnings if w.score >= SUSPICIOUS]  # a stray mark alone is not
    if not alarming:
        return None
    hidden = sum(w.kind in HIDDEN_KINDS for w in alarming)
    addressed = len(alarming) - hidden
    also = f" and {_addressing(addressed)}" if addressed else ""
    after = "It was analysed anyway; read them before relying on the findings."
    if hidden:  # as tampered(): hidden content among the alarming signals
        hidden_text = "one passage" if hidden == 1 else f"{hidden} passages"
        return (
            "Hidden text found: this contract looks tampered with. It has "
            f"{hidden_text} of hidden text{also}. {after}"
        )
    return f"This contract has {_addressing(addressed)}. {after}"


def tampered(warnings: list[InputWarning]) -> bool:
    """Whether hidden content was found with enough weight to say the document looks tampered
    with (the headline's first case)."""
    return any(w.kind in HIDDEN_KINDS and w.score >= SUSPICIOUS for w in warnings)


def _addressing(n: int) -> str:
    if n == 1:
        return "one passage that addresses an AI reviewer"
    return f"{n} passages that address an AI reviewer"


def describe(warning: InputWarning) -> str:
    """One line for a user: what was seen, where, and the text itself."""
    what = DESCRIPTIONS.get(warning.kind, warning.kind.replace("_", " ").capitalize())
    return f"{what} at character {warning.start:,}: “{warning.excerpt}”"


def _merge(hits: list[Hit]) -> list[Hit]:
    """One hit per run of adjacent flagged sentences of the same kind."""
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.kind, h.start)):
        last = merged[-1] if merged else None
        if last and last.kind == hit.kind and hit.start <= last.end + 2:
            merged[-1] = Hit(
                last.kind,
                last.start,
                max(last.end, hit.end),
                max(last.score, hit.score),
                tuple(dict.fromkeys(last.reasons + hit.reasons)),
            )
        else:
            merged.append(hit)
    return merged


def _warning(text: str, hit: Hit) -> InputWarning:
    return InputWarning(
        kind=hit.kind,
        start=hit.start,
        end=hit.end,
        excerpt=_clip(text[hit.start : hit.end]),
        score=_score(hit.score),
    )


def _encoded(text: str, folded: str, hits: list[Hit]) -> list[InputWarning]:
    """Spans that only read as instructions once decoded or unscrambled."""
    flagged = [(h.start, h.end) for h in hits]

    def known(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in flagged)

    found: list[InputWarning] = []
    candidates = list(decoded_spans(text))
    for a, b in sentences(folded):
        if not known(a, b):
            candidates.extend((a, b, reading, how) for reading, how in unscrambled(folded[a:b]))
    for a, b, decoded, how in candidates:
        if known(a, b):
            continue
        best = _best_sentence(decoded)
        if best >= THRESHOLD and (best >= 1.2 or looks_like_words(fold(decoded))):
            flagged.append((a, b))
            found.append(
                InputWarning(
                    kind="encoded_payload",
                    start=a,
                    end=b,
                    excerpt=f"{_clip(text[a:b], 60)} ({how}: “{_clip(decoded, 90)}”)",
                    score=_score(best),
                )
            )
    return found


def _best_sentence(text: str) -> float:
    folded = fold(text)
    scores = (score_sentence(text[a:b], folded[a:b])[0] for a, b in sentences(text))
    return max(scores, default=0.0)


def _score(total: float) -> float:
    return round(min(1.0, total / (2 * THRESHOLD)) if total else 0.0, 2)


def _clip(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
