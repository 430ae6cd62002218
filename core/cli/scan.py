"""`python -m core scan`: the input guard's report on documents, without analysing them.

Per document: `{"path", "verdict": "clean"|"suspicious", "signals": [{kind, start, end, excerpt,
score}]}` with offsets into the document's normalised text (the `document.text` of `analyze`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from core import documents, guards
from core.cli.output import dump_json, expand_paths
from core.documents.messages import clean_name
from core.errors import ContractAnalyzerError
from core.models import InputWarning
from core.settings import Settings


class ScanReport(BaseModel):
    path: str
    verdict: guards.Verdict
    signals: list[InputWarning]


def scan_file(path: Path, settings: Settings) -> ScanReport:
    """Raises ContractAnalyzerError (with a user-ready message) when the file cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContractAnalyzerError(f"cannot read {path}: {exc.strerror or exc}") from None
    doc = documents.load(data, path.name, settings)
    signals = guards.check_document(doc)
    return ScanReport(path=str(path), verdict=guards.verdict(signals), signals=signals)


def scan_paths(paths: Iterator[Path], settings: Settings) -> Iterator[ScanReport | str]:
    """A report per readable file; an error line ("name: message") per unreadable one."""
    for path in paths:
        try:
            yield scan_file(path, settings)
        except ContractAnalyzerError as exc:
            yield f"{path}: {exc}"


def render_text(report: ScanReport) -> str:
    lines = [f"{clean_name(report.path)}: {report.verdict} ({len(report.signals)} signals)"]
    if headline := guards.headline(report.signals):
        lines.append(f"  {headline}")
    lines += [f"  {guards.describe(signal)}" for signal in report.signals]
    return "\n".join(lines)


def command(args: argparse.Namespace, settings: Settings) -> int:
    reports: list[ScanReport] = []
    failed = 0
    for item in scan_paths(expand_paths(args.paths), settings):
        if isinstance(item, str):
            failed += 1
            print(f"error: {item}", file=sys.stderr)
            continue
        reports.append(item)
        if args.format == "jsonl":
            print(item.model_dump_json(), flush=True)
        elif args.format == "text":
            print(render_text(item), flush=True)
    if not reports and not failed:
        raise ContractAnalyzerError("no contract files found (accepted: .pdf .docx .txt .md)")
    if args.format == "json" and reports:
        payload = [r.model_dump(mode="json") for r in reports]
        print(dump_json(payload[0] if len(payload) == 1 else payload))
    return 1 if failed else 0
