"""What Claude must answer: the `report_findings` tool, its input schema generated from pydantic."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.models import RiskLevel

TOOL_NAME = "report_findings"


class DraftFinding(BaseModel):
    """One finding as Claude reports it; the engine grounds it into a `Finding`."""

    model_config = ConfigDict(extra="forbid")

    clause_id: str = Field(description="The id of the clause block the finding is about.")
    clause_type: str = Field(
        description="The playbook clause type judged, exactly as named in the guidance."
    )
    kind: Literal["deviation", "red_flag"] = Field(
        description="red_flag when the text matches a red flag of the guidance; otherwise"
        " deviation (the text departs from the standard or fallback position)."
    )
    risk: RiskLevel
    quote: str = Field(
        min_length=3,
        max_length=2000,
        description="The shortest passage that shows the problem, copied character for"
        " character from that clause's text (no ellipses, no paraphrase).",
    )
    deviation: str = Field(
        min_length=3, max_length=1200, description="What departs from the playbook, and why."
    )
    recommendation: str = Field(
        min_length=3, max_length=1200, description="The change to ask for, citing the position."
    )
    chunk_ids: list[str] = Field(
        min_length=1,
        description="Ids of the guidance blocks listed for this clause that the finding is"
        " judged against.",
    )


class FindingsReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    findings: list[DraftFinding] = Field(
        description="Every finding for the clauses in this request, in clause order; an empty"
        " list when every clause meets the playbook."
    )


def tool_definition() -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "description": (
            "Record the review of the contract clauses in this request against the playbook."
            " Call it exactly once, with every finding."
        ),
        "input_schema": inline_refs(FindingsReport.model_json_schema()),
        # Stream each finding's JSON as it is generated, so findings reach the user one by one.
        "eager_input_streaming": True,
    }


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with `$defs` references expanded in place (a plain, self-contained schema)."""
    defs = schema.get("$defs", {})

    def expand(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return expand(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: expand(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [expand(v) for v in node]
        return node

    result: dict[str, Any] = expand(schema)
    return result
