"""Turning Claude's drafts into grounded Findings, and checking them against the offline rules.

A quote is re-anchored to exact offsets in `document.text` (whitespace-normalised at most) and
cited chunk ids must be among those sent for that clause, or the draft is dropped with a warning
(the pipeline's guardrails then check every finding once more). The rules engine is the floor:
where it finds a high or critical problem that Claude rated lower or missed, its finding is kept
and the disagreement flagged (that is how an answer steered by injected text shows up).
"""

from __future__ import annotations

from collections.abc import Iterator

from core.engine.base import ClauseContext, DocumentContext, EngineOutput, EngineWarning
from core.engine.claude_prompt import flags_in
from core.llm.schema import DraftFinding
from core.llm.text import anchor
from core.models import RISK_ORDER, ChunkRef, Finding

FLOOR_RISKS = {"critical", "high"}


def ground(
    doc: DocumentContext, batch: list[ClauseContext], draft: DraftFinding
) -> Finding | EngineWarning:
    ctx = next((c for c in batch if c.segment.clause.id == draft.clause_id), None)
    refs = [_ref(doc, ctx, cid) for cid in draft.chunk_ids]
    clause_type = _clause_type(doc, draft, refs)
    if ctx is None:
        return EngineWarning(
            "ungrounded_finding",
            f"a {clause_type} finding about clause {draft.clause_id!r}, which was not"
            " among the clauses sent",
        )
    clause = ctx.segment.clause
    stray = [cid for cid in draft.chunk_ids if cid not in ctx.retrieved_ids]
    if stray:
        return EngineWarning(
            "ungrounded_finding",
            f"a {clause_type} finding that cites guidance that was not retrieved for"
            f" clause {clause.id}: {stray[0]}",
            clause.id,
        )
    span = anchor(draft.quote, doc.text, clause.start, clause.end)
    if span is None:
        return EngineWarning(
            "ungrounded_finding",
            f"a {clause_type} finding whose quote is not in clause {clause.id}"
            f" ({draft.quote[:80]!r})",
            clause.id,
        )
    start, end = span
    return _finding(draft, clause_type, refs, doc.text[start:end], start, end)


def _finding(
    draft: DraftFinding, clause_type: str, refs: list[ChunkRef], text: str, start: int, end: int
) -> Finding:
    return Finding(
        id="",
        clause_id=draft.clause_id,
        clause_type=clause_type,
        kind=draft.kind,
        risk=draft.risk,
        source_text=text,
        start=start,
        end=end,
        deviation=draft.deviation,
        recommendation=draft.recommendation,
        retrieved_chunks=refs,
        rule=f"claude:{draft.kind}",
    )


def _ref(doc: DocumentContext, ctx: ClauseContext | None, chunk_id: str) -> ChunkRef:
    version = doc.index.version.version
    chunk = doc.index.chunk(chunk_id)
    if chunk is None:
        return ChunkRef(
            chunk_id=chunk_id, source="not in the playbook", version=version, similarity=0
        )
    similarity = next(
        (r.similarity for r in (ctx.retrieved if ctx else []) if r.chunk.id == chunk_id), 0.0
    )
    return chunk.ref(version, similarity)


def _clause_type(doc: DocumentContext, draft: DraftFinding, refs: list[ChunkRef]) -> str:
    """The rule type Claude named, or the type of the first guidance it cited."""
    if doc.playbook.rule_for(draft.clause_type) is not None:
        return draft.clause_type
    for ref in refs:
        chunk = doc.index.chunk(ref.chunk_id)
        if chunk is not None:
            return chunk.clause_type
    return draft.clause_type


def cross_check(
    doc: DocumentContext,
    batch: list[ClauseContext],
    claude: list[Finding],
    rules: list[Finding],
) -> Iterator[EngineOutput]:
    """The rules' high/critical findings that Claude missed or rated lower, flagged and kept."""
    flagged = {c.segment.clause.id for c in batch if flags_in(doc.input_warnings, c)}
    for rule in rules:
        if rule.risk not in FLOOR_RISKS:
            continue
        ranks = [RISK_ORDER[f.risk] for f in claude if f.clause_id == rule.clause_id]
        if ranks and min(ranks) <= RISK_ORDER[rule.risk]:
            continue
        why = "missed" if not ranks else "rated lower"
        suspicion = (
            "; the clause holds text flagged by the input guard, so the answer may have"
            " followed injected instructions"
            if rule.clause_id in flagged
            else ""
        )
        yield EngineWarning(
            "claude_disagreement",
            f"Claude {why} a {rule.risk} {rule.clause_type} problem in clause {rule.clause_id}"
            f" that the playbook rules found; the rules' finding is kept{suspicion}",
            rule.clause_id,
        )
        yield rule


def missed_by_claude(rules: list[Finding], claude: list[Finding]) -> Iterator[Finding]:
    """After a failed call: the offline findings for what Claude had not covered yet."""
    covered = {(f.clause_id, f.clause_type) for f in claude}
    for rule in rules:
        if (rule.clause_id, rule.clause_type) not in covered:
            yield rule
