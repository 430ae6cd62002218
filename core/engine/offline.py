"""The offline engine: deterministic judging from clause labels, key terms, retrieved guidance
and the playbook's rules. Same input, same findings, no network."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from core.engine.base import ClauseContext, DocumentContext, blank_term, term_evidence
from core.labels.labeler import TERM_TYPES
from core.models import RISK_ORDER, ChunkRef, Finding, FindingKind, RiskLevel, TermEvidence
from core.playbooks.accepted import is_accepted
from core.playbooks.chunks import chunk_id
from core.playbooks.schema import ClauseRule, Threshold
from core.terms.blanks import BLANK_NUMBER

_TERM_NAMES = {
    "notice_period_days": ("notice period to stop renewal", "days"),
    "payment_terms_days": ("payment term", "days"),
    "liability_cap_months": ("liability cap", "months of fees"),
    "renewal_term_months": ("renewal term", "months"),
    "initial_term_months": ("initial term", "months"),
}


_BLANK = re.compile(BLANK_NUMBER, re.IGNORECASE)
_BLANK_WORDS = {
    "redacted": "is redacted in this copy",
    "unfilled": "is a template placeholder that was never filled in",
}

# A clause must carry a type this surely before we say it misses the playbook's position on it.
POSITION_MIN_SCORE = 0.7


class OfflineEngine:
    name = "offline"
    streams = False

    def judge_clauses(
        self, doc: DocumentContext, clauses: list[ClauseContext]
    ) -> Iterator[Finding]:
        for ctx in clauses:
            found: list[Finding] = []
            for clause_type in sorted(ctx.relevant_types):
                rule = doc.playbook.rule_for(clause_type)
                if rule is not None:
                    found += self._red_flags(doc, ctx, rule)
                    found += self._thresholds(doc, ctx, rule)
            yield from merge_same_quote(_not_accepted(doc, found))

    def judge_document(
        self,
        doc: DocumentContext,
        clauses: list[ClauseContext],
        best_similarity: dict[str, float],
        prior: list[Finding],
    ) -> Iterator[Finding]:
        flagged = {t for f in prior for t in (f.clause_type, *f.also_types)}
        quoted = {(f.clause_id, f.start, f.end) for f in prior}
        found: list[Finding] = []
        for rule in doc.playbook.rules:
            if not any(_label_score(c, rule.type) for c in clauses):
                if rule.required:
                    found.append(self._missing(doc, rule, best_similarity))
                continue
            if rule.type in flagged:
                continue  # its red flags / thresholds already say what is wrong
            holders = [c for c in clauses if _label_score(c, rule.type) >= POSITION_MIN_SCORE]
            found += [
                f
                for f in self._position(doc, rule, holders)
                if (f.clause_id, f.start, f.end) not in quoted
            ]
        yield from merge_same_quote(_not_accepted(doc, found))

    def _red_flags(
        self, doc: DocumentContext, ctx: ClauseContext, rule: ClauseRule
    ) -> Iterator[Finding]:
        for i, flag in enumerate(rule.red_flags):
            span = _locate(doc.flat, ctx, [flag.pattern])
            if span is not None:
                yield _finding(
                    doc,
                    ctx,
                    rule,
                    "red_flag",
                    flag.risk,
                    span,
                    f"Red flag: {flag.description}",
                    [chunk_id(doc.index.version.id, rule.type, "red_flag", i)],
                    f"red_flag:{i + 1}",
                )

    def _thresholds(
        self, doc: DocumentContext, ctx: ClauseContext, rule: ClauseRule
    ) -> Iterator[Finding]:
        clause = ctx.segment.clause
        for i, th in enumerate(rule.thresholds):
            value = getattr(doc.terms, th.term)
            spans = [
                e
                for e in term_evidence(doc.terms, th.term)
                if clause.start <= e.start and e.end <= clause.end
            ]
            if value is None and spans and (blank := blank_term(doc.terms, th.term)):
                yield _unchecked(doc, ctx, rule, i, th, spans[0], blank)
                continue
            if value is None or not spans or th.holds(float(value)):
                continue
            label, unit = _TERM_NAMES[th.term]
            text = (
                f"The {label} is {float(value):g} {unit}; the playbook requires {th.op} "
                f"{th.value:g} {unit}. {th.description}"
            )
            span = _sentence_span(ctx.sentences, spans[0].start, spans[0].end)
            yield _finding(
                doc,
                ctx,
                rule,
                "deviation",
                th.risk,
                span,
                text,
                [chunk_id(doc.index.version.id, rule.type, "threshold", i)],
                f"threshold:{th.term}",
            )

    def _position(
        self, doc: DocumentContext, rule: ClauseRule, holders: list[ClauseContext]
    ) -> Iterator[Finding]:
        if not rule.standard.accept_if or not holders:
            return  # nothing to recognise the standard by: the rule only flags and measures
        if _first_match(doc.flat, holders, rule.standard.accept_if):
            return
        version_id = doc.index.version.id
        for i, fallback in enumerate(rule.fallbacks):
            hit = _first_match(doc.flat, holders, fallback.accept_if)
            if hit:
                ctx, span = hit
                yield _finding(
                    doc,
                    ctx,
                    rule,
                    "deviation",
                    fallback.risk,
                    span,
                    f"Meets fallback position {i + 1} ({fallback.text}) rather than the standard "
                    f"position: {rule.standard.text}",
                    [chunk_id(version_id, rule.type, "fallback", i)],
                    f"fallback:{i + 1}",
                )
                return
        ctx = max(holders, key=lambda c: _label_score(c, rule.type))
        label = next(lb for lb in ctx.segment.clause.labels if lb.type == rule.type)
        yield _finding(
            doc,
            ctx,
            rule,
            "deviation",
            rule.risk,
            _evidence_sentence(doc, ctx, rule.type) or (label.start, label.end),
            f"Does not meet the standard position or any fallback. Standard: {rule.standard.text}",
            [],
            "position",
        )

    def _missing(self, doc: DocumentContext, rule: ClauseRule, best: dict[str, float]) -> Finding:
        version = doc.index.version
        ids = [
            chunk_id(version.id, rule.type, "required"),
            chunk_id(version.id, rule.type, "standard"),
        ]
        refs = [r for cid in ids if (r := _ref(doc, cid, best.get(cid, 0.0))) is not None]
        return Finding(
            id="",
            clause_id=None,
            clause_type=rule.type,
            kind="missing",
            risk=rule.risk,
            source_text="",
            start=0,
            end=0,
            deviation=f"No {rule.type} clause was found; the playbook requires one. "
            f"Standard position: {rule.standard.text}",
            recommendation=rule.recommendation,
            retrieved_chunks=refs,
            rule="required",
        )


def _unchecked(
    doc: DocumentContext,
    ctx: ClauseContext,
    rule: ClauseRule,
    index: int,
    th: Threshold,
    evidence: TermEvidence,
    blank: str,
) -> Finding:
    """A low-risk note, not a deviation: the value is blacked out or left blank, so the
    playbook's threshold cannot be checked. It quotes the sentence holding the blank."""
    label, unit = _TERM_NAMES[th.term]
    token = _BLANK.search(evidence.text)
    shown = token.group(0) if token else evidence.text
    text = (
        f"The {label} {_BLANK_WORDS[blank]} ({shown}), so it could not be checked against the "
        f"playbook's {th.value:g} {unit}."
    )
    span = _sentence_span(ctx.sentences, evidence.start, evidence.end)
    cite = [chunk_id(doc.index.version.id, rule.type, "threshold", index)]
    found = _finding(doc, ctx, rule, "unchecked", "low", span, text, cite, f"unchecked:{th.term}")
    ask = "an unredacted copy" if blank == "redacted" else "the completed contract"
    return found.model_copy(
        update={"recommendation": f"Ask for {ask} and check the {label} against the playbook."}
    )


def _finding(
    doc: DocumentContext,
    ctx: ClauseContext,
    rule: ClauseRule,
    kind: FindingKind,
    risk: RiskLevel,
    span: tuple[int, int],
    deviation: str,
    cite: list[str],
    rule_key: str,
) -> Finding:
    sims = {r.chunk.id: r.similarity for r in ctx.retrieved}
    wanted = [*cite, chunk_id(doc.index.version.id, rule.type, "standard")]
    refs = [
        r
        for cid in dict.fromkeys(wanted)
        if cid in sims and (r := _ref(doc, cid, sims[cid])) is not None
    ]
    start, end = span
    return Finding(
        id="",
        clause_id=ctx.segment.clause.id,
        clause_type=rule.type,
        kind=kind,
        risk=risk,
        source_text=doc.text[start:end],
        start=start,
        end=end,
        deviation=deviation,
        recommendation=rule.recommendation,
        retrieved_chunks=refs,
        rule=rule_key,
    )


def _ref(doc: DocumentContext, cid: str, similarity: float) -> ChunkRef | None:
    chunk = doc.index.chunk(cid)
    return None if chunk is None else chunk.ref(doc.index.version.version, similarity)


def _evidence_sentence(
    doc: DocumentContext, ctx: ClauseContext, clause_type: str
) -> tuple[int, int] | None:
    """For a type the key terms mark (governing law, renewal term …), the sentence of this clause
    holding that evidence: a label spans its whole clause, a quote should be the words."""
    clause = ctx.segment.clause
    for term, term_type in TERM_TYPES.items():
        if term_type != clause_type:
            continue
        for ev in doc.terms.evidence.get(term, []):
            if clause.start <= ev.start and ev.end <= clause.end:
                return _sentence_span(ctx.sentences, ev.start, ev.end)
    return None


def _sentence_span(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence(s) covering [start, end); the match itself when no sentence does."""
    if not sentences:
        return start, end
    starts = [s for s, _ in sentences]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, max(end - 1, start)) - 1, first)
    a, b = sentences[first][0], sentences[last][1]
    return (a, b) if a <= start and end <= b else (start, end)


def _not_accepted(doc: DocumentContext, findings: list[Finding]) -> list[Finding]:
    """Drop findings that quote wording a reviewer accepted for their clause type."""
    kept = []
    for f in findings:
        rule = doc.playbook.rule_for(f.clause_type)
        if rule is None or not is_accepted(f.source_text, rule.accepted):
            kept.append(f)
    return kept


def _first_match(
    text: str, holders: list[ClauseContext], patterns: list[str]
) -> tuple[ClauseContext, tuple[int, int]] | None:
    for ctx in holders:
        span = _locate(text, ctx, patterns)
        if span is not None:
            return ctx, span
    return None


def _locate(text: str, ctx: ClauseContext, patterns: list[str]) -> tuple[int, int] | None:
    """Where in the clause any of the patterns holds: the sentence(s) around the match; for a
    zero-width, clause-level pattern (look-aheads), the first sentence where it holds alone, else
    the clause's first full sentence."""
    for a, b in ctx.segment.runs:
        for pattern in patterns:
            match = re.search(pattern, text[a:b], re.IGNORECASE)
            if match is None:
                continue
            if match.end() > match.start():
                return _sentence_span(ctx.sentences, a + match.start(), a + match.end())
            inside = [s for s in ctx.sentences if a <= s[0] and s[1] <= b]
            alone = [s for s in inside if re.search(pattern, text[s[0] : s[1]], re.IGNORECASE)]
            full = [s for s in inside if len(text[s[0] : s[1]].split()) >= 5]
            return (alone or full or inside or [(a, b)])[0]
    return None


def _label_score(ctx: ClauseContext, clause_type: str) -> float:
    return max(
        (lb.score for lb in ctx.segment.clause.labels if lb.type == clause_type), default=0.0
    )


def merge_same_quote(findings: list[Finding]) -> list[Finding]:
    """One finding per quoted span of a clause: the highest risk leads, the others are named in
    its deviation and their guidance is cited too."""
    groups: dict[tuple[str | None, int, int], list[Finding]] = {}
    key: tuple[str | None, int, int]
    for f in findings:
        key = (f.clause_id, f.start, f.end) if f.kind != "missing" else (f.clause_type, -1, -1)
        groups.setdefault(key, []).append(f)
    merged = []
    for group in groups.values():
        lead = min(group, key=lambda f: RISK_ORDER[f.risk])
        others = [f for f in group if f is not lead]
        if not others:
            merged.append(lead)
            continue
        refs = {r.chunk_id: r for f in [lead, *others] for r in f.retrieved_chunks}
        also = " ".join(f"Also ({f.clause_type}): {f.deviation}" for f in others)
        merged.append(
            lead.model_copy(
                update={
                    "deviation": f"{lead.deviation} {also}",
                    "retrieved_chunks": list(refs.values()),
                    "also_types": sorted({f.clause_type for f in others} - {lead.clause_type}),
                }
            )
        )
    return merged
