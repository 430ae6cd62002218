"""Downloadable renderings of one analysis: the findings as CSV and the analysis object as JSON
(the Markdown memo is `core.reports.render.render_markdown`)."""

from __future__ import annotations

import csv
import io

from core.models import Analysis, Finding
from core.reports.render import sorted_findings

CSV_COLUMNS = (
    "id",
    "risk",
    "clause_type",
    "kind",
    "clause_number",
    "clause_heading",
    "page",
    "start",
    "end",
    "source_text",
    "deviation",
    "recommendation",
    "guidance",
    "rule",
    "also_types",
)
# A spreadsheet treats a cell starting with one of these as a formula; contract text comes from
# the other side of the table, so such cells are prefixed with a quote (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def analysis_json(analysis: Analysis) -> str:
    """The analysis object exactly as the CLI's `--format json` describes it."""
    return analysis.model_dump_json(indent=2)


def findings_csv(analysis: Analysis) -> str:
    """One row per finding, highest risk first, with where it is and the guidance it cites."""
    clauses = {c.id: c for c in analysis.clauses}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for finding in sorted_findings(analysis):
        clause = clauses.get(finding.clause_id or "")
        writer.writerow(
            [
                finding.id,
                finding.risk,
                finding.clause_type,
                finding.kind,
                _cell(clause.number if clause else None),
                _cell(clause.heading if clause else None),
                clause.page if clause and clause.page else "",
                finding.start,
                finding.end,
                _cell(finding.source_text),
                _cell(finding.deviation),
                _cell(finding.recommendation),
                _cell(_guidance(finding)),
                _cell(finding.rule),
                _cell("; ".join(finding.also_types)),
            ]
        )
    return out.getvalue()


def _guidance(finding: Finding) -> str:
    return "; ".join(
        f"{c.source} (v{c.version}, similarity {c.similarity:.2f})"
        for c in finding.retrieved_chunks
    )


def _cell(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value
