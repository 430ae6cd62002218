"""`python -m core batch FOLDER`: analyse every supported file under a folder, one after the
other, with a progress bar on stderr and one summary CSV row per file. A file that cannot be
read or analysed gets its error in its row; the batch goes on."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from core.cli.output import expand_paths
from core.documents.messages import clean_name
from core.errors import ContractAnalyzerError
from core.models import Analysis
from core.settings import Settings

if TYPE_CHECKING:
    from core.pipeline.services import Services

COLUMNS = (
    "file",
    "status",
    "error",
    "analysis_id",
    "pages",
    "chars",
    "clauses",
    "findings",
    "critical",
    "high",
    "medium",
    "low",
    "seconds",
)
BAR_WIDTH = 24

Row = dict[str, object]


def command(args: argparse.Namespace, settings: Settings) -> int:
    from core.pipeline.services import open_services

    folder: Path = args.folder
    if not folder.is_dir():
        raise ContractAnalyzerError(f"{folder} is not a folder")
    files = list(expand_paths([folder]))
    if not files:
        raise ContractAnalyzerError(
            f"no contract files in {folder} (accepted: .pdf .docx .txt .md)"
        )
    services = open_services(settings)
    rows: list[Row] = []
    try:
        progress = None if args.quiet else sys.stderr
        for row in analyse_files(services, files, folder, args.playbook, progress):
            rows.append(row)
    finally:  # also after Ctrl-C: the files done so far are summarised
        services.close()
        write_summary(args.out, rows)
    failed = sum(1 for r in rows if r["status"] != "completed")
    print(f"{len(rows) - failed} of {len(rows)} analysed, {failed} failed; summary: {args.out}")
    return 0 if failed == 0 else 1


def analyse_files(
    services: Services,
    files: list[Path],
    root: Path,
    playbook: str | None = None,
    progress: TextIO | None = None,
) -> Iterable[Row]:
    """One summary row per file, in order, each as soon as that file is done."""
    for done, path in enumerate(files, start=1):
        row = analyse_file(services, path, root, playbook)
        if progress is not None:
            progress.write(progress_line(done, len(files), row) + "\n")
            progress.flush()
        yield row


def analyse_file(services: Services, path: Path, root: Path, playbook: str | None) -> Row:
    from core.pipeline import runner  # heavy imports only when something is analysed
    from core.pipeline.events import FinalEvent

    name = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
    started = time.perf_counter()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return {"file": name, "status": "failed", "error": f"cannot read: {exc.strerror or exc}"}
    final: Analysis | None = None
    for event in runner.run(services, data, path.name, playbook):
        if isinstance(event, FinalEvent):
            final = event.analysis
    assert final is not None  # run() always ends with a final event
    return summary_row(name, final, time.perf_counter() - started)


def summary_row(name: str, analysis: Analysis, seconds: float) -> Row:
    risks = [f.risk for f in analysis.findings]
    return {
        "file": name,
        "status": analysis.status,
        "error": analysis.error or "",
        "analysis_id": analysis.analysis_id,
        "pages": analysis.document.pages or "",
        "chars": analysis.document.chars,
        "clauses": len(analysis.clauses),
        "findings": len(risks),
        **{risk: risks.count(risk) for risk in ("critical", "high", "medium", "low")},
        "seconds": round(seconds, 2),
    }


def progress_line(done: int, total: int, row: Row) -> str:
    filled = round(BAR_WIDTH * done / total)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    if row["status"] == "completed":
        outcome = f"{row['findings']} findings ({row['critical']} critical, {row['high']} high)"
    else:
        outcome = f"{row['status']}: {row['error']}"
    return f"[{bar}] {done}/{total} {clean_name(str(row['file']))} — {outcome}"


def write_summary(path: Path, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
