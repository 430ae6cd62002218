"""Grounding checks every finding must pass before it is emitted or stored."""

from __future__ import annotations

from core.models import Clause, Finding, GuardrailWarning


def check_finding(
    finding: Finding,
    doc_text: str,
    clause: Clause | None,
    retrieved_ids: set[str],
) -> GuardrailWarning | None:
    """None when the finding is grounded; otherwise the reason it must be dropped.

    `retrieved_ids` are the chunk ids retrieved for the finding's clause, or, for a `missing`
    finding, the chunks of the playbook rule it stands on.
    """
    problem = _problem(finding, doc_text, clause, retrieved_ids)
    if problem is None:
        return None
    return GuardrailWarning(
        kind="ungrounded_finding",
        message=problem,
        finding_id=finding.id,
        clause_id=finding.clause_id,
    )


def _problem(
    finding: Finding, doc_text: str, clause: Clause | None, retrieved_ids: set[str]
) -> str | None:
    cited = [c.chunk_id for c in finding.retrieved_chunks]
    if not cited:
        return f"{finding.clause_type} finding cites no playbook guidance"
    stray = [c for c in cited if c not in retrieved_ids]
    if stray:
        return f"{finding.clause_type} finding cites guidance that was not retrieved: {stray[0]}"
    if finding.kind == "missing":
        return None if finding.clause_id is None else "a missing-clause finding names a clause"
    if clause is None or clause.id != finding.clause_id:
        return f"{finding.clause_type} finding refers to an unknown clause {finding.clause_id!r}"
    if not 0 <= finding.start < finding.end <= len(doc_text):
        return f"{finding.clause_type} finding has invalid offsets [{finding.start}, {finding.end})"
    if doc_text[finding.start : finding.end] != finding.source_text:
        return (
            f"{finding.clause_type} finding quotes text that is not in the contract at its offsets"
        )
    if not (clause.start <= finding.start and finding.end <= clause.end):
        return f"{finding.clause_type} finding quotes text outside clause {clause.id}"
    return None
