"""`python -m core analyze PATH...`: review contracts against a playbook; stage progress on
stderr when it is a terminal (not with --quiet), the report or JSON on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from core.cli.output import dump_json, expand_paths
from core.errors import ContractAnalyzerError
from core.models import Analysis, DocumentInfo
from core.pipeline.events import ErrorEvent, FinalEvent, FindingEvent, StatusEvent, WarningEvent
from core.reports.render import render_markdown, render_text
from core.settings import Settings

if TYPE_CHECKING:
    from core.pipeline.services import Services


def command(args: argparse.Namespace, settings: Settings) -> int:
    from core.pipeline.services import open_services

    services = open_services(settings)
    progress = sys.stderr if not args.quiet and sys.stderr.isatty() else None
    results: list[Analysis] = []
    try:
        for path in expand_paths(args.paths):
            analysis = _analyze_one(services, path, args, progress)
            results.append(analysis)
            if args.format == "jsonl":
                print(analysis.model_dump_json(), flush=True)
            elif analysis.status != "completed":
                continue  # a report of a failure would repeat the one-line error on stderr
            elif args.format == "text":
                print(render_text(analysis), flush=True)
            elif args.format == "md":
                print(render_markdown(analysis), flush=True)
    finally:
        services.close()
    if not results:
        raise ContractAnalyzerError("no contract files found (accepted: .pdf .docx .txt .md)")
    if args.format == "json":
        payload = [a.model_dump(mode="json") for a in results]
        print(dump_json(payload[0] if len(payload) == 1 else payload))
    for failed in (a for a in results if a.status != "completed"):
        print(f"error: {failed.document.name}: {failed.error}", file=sys.stderr)
    return 0 if all(a.status == "completed" for a in results) else 1


def _analyze_one(
    services: Services, path: Path, args: argparse.Namespace, progress: TextIO | None
) -> Analysis:
    from core.pipeline import runner  # heavy imports only for commands that analyse

    try:
        data = path.read_bytes()
    except OSError as exc:
        return Analysis(
            analysis_id="",
            status="failed",
            error=f"cannot read {path}: {exc.strerror or exc}",
            document=DocumentInfo(name=path.name, sha256="", chars=0, text=""),
        )
    if not args.quiet:
        _print_estimate(services, data, path.name, args.playbook)
    final: Analysis | None = None
    for event in runner.run(services, data, path.name, args.playbook, store=not args.no_store):
        if progress is not None:
            _show_progress(event, progress)
        if isinstance(event, FinalEvent):
            final = event.analysis
    assert final is not None  # run() always ends with a final event
    return final


def _print_estimate(services: Services, data: bytes, name: str, playbook: str | None) -> None:
    """Before a Claude run, what it should cost (the run itself reports any bad input)."""
    from core.pipeline.preview import preview_cost

    try:
        preview = preview_cost(services, data, name, playbook)
    except ContractAnalyzerError:
        return
    if preview is not None:
        print(f"{name}: {preview.sentence()}", file=sys.stderr, flush=True)


def _show_progress(event: object, out: TextIO) -> None:
    if isinstance(event, StatusEvent):
        out.write(f"\r\x1b[K{event.progress:4.0%}  {event.stage}: {event.message}")
    elif isinstance(event, FindingEvent):
        f = event.finding
        out.write(f"\r\x1b[K  [{f.risk}] {f.clause_type}: {f.kind.replace('_', ' ')}\n")
    elif isinstance(event, WarningEvent | ErrorEvent):
        out.write(f"\r\x1b[K  {event.type}: {event.message}\n")
    if isinstance(event, FinalEvent):
        out.write("\r\x1b[K")
    out.flush()
