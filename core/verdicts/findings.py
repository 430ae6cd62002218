"""What a verdict means for the company: a finding when the contract goes against a check (it
contradicts a position we want, or states one we do not), or is silent on a required one."""

from __future__ import annotations

from core.clauses.segment import Segment
from core.models import Evidence, Finding, Verdict
from core.playbooks.chunks import check_chunk_id
from core.vectors.retrieval import PlaybookIndex
from core.verdicts.judge import Judged

RULE_PREFIX = "check:"  # Finding.rule of a check's finding: "check:<id>" (as outputs.CHECK_RULE)


def finding_for(
    judged: Judged, text: str, segments: list[Segment], index: PlaybookIndex
) -> Finding | None:
    """The finding a verdict raises, or None when the contract is on the company's side. It cites
    the check's statement, the guidance it was judged against."""
    check = judged.check
    chunk = index.chunk(check_chunk_id(index.version.id, check.id))
    if chunk is None:
        return None
    cite = [chunk.ref(index.version.version, round(judged.confidence, 4))]
    common = {
        "id": "",
        "clause_type": check.name,
        "risk": check.risk,
        "recommendation": check.recommendation,
        "retrieved_chunks": cite,
        "rule": RULE_PREFIX + check.id,
    }
    against = (judged.verdict == "contradicts" and check.wanted) or (
        judged.verdict == "states" and not check.wanted
    )
    if against and judged.evidence:
        start, end = judged.evidence[0]
        clause = next(
            (s.clause for s in segments if s.clause.start <= start and end <= s.clause.end), None
        )
        if clause is None:
            return None
        deviation = (
            f"The contract goes against our position: {check.statement}"
            if check.wanted
            else f"The contract says what we do not accept: {check.statement}"
        )
        return Finding(
            clause_id=clause.id,
            kind="deviation",
            source_text=text[start:end],
            start=start,
            end=end,
            deviation=deviation,
            **common,
        )
    if judged.verdict == "silent" and check.wanted and check.required:
        return Finding(
            clause_id=None,
            kind="missing",
            source_text="",
            start=0,
            end=0,
            deviation=f"The contract does not say this, and the playbook requires it: "
            f"{check.statement}",
            **common,
        )
    return None


def verdict_of(judged: Judged, text: str, finding_id: str | None) -> Verdict:
    check = judged.check
    return Verdict(
        check=check.id,
        verdict=judged.verdict,
        confidence=round(judged.confidence, 4),
        evidence=[Evidence(start=a, end=b, text=text[a:b]) for a, b in judged.evidence],
        finding_id=finding_id,
        name=check.name,
        statement=check.statement,
        wanted=check.wanted,
        required=check.required,
    )
