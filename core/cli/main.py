"""`python -m core`: analyze contracts, manage playbooks, list history. The JSON output of
`analyze` is a public contract (README.md, "The analysis object"): extend it, never rename or
drop fields."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from core.cli.review_args import add_export, add_review
from core.errors import ContractAnalyzerError
from core.settings import DOTENV, Settings, process_env


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="DuckDB file (default: $CA_DB_PATH or data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    analyze = sub.add_parser(
        "analyze", parents=[common], help="review contracts against a playbook"
    )
    analyze.add_argument("paths", nargs="+", type=Path, help="files or folders")
    analyze.add_argument(
        "--playbook", help="NAME or NAME@VERSION (default: latest default playbook)"
    )
    analyze.add_argument(
        "--engine",
        choices=["auto", "offline", "claude"],
        help="judge: auto = Claude when ANTHROPIC_API_KEY is set (default: $CA_ENGINE)",
    )
    analyze.add_argument("--format", choices=["text", "json", "jsonl", "md"], default="text")
    analyze.add_argument("--no-store", action="store_true", help="do not keep the analysis")
    analyze.add_argument("--quiet", action="store_true", help="no progress on stderr")

    playbook = sub.add_parser("playbook", help="list, show, import, publish and compare playbooks")
    pb = playbook.add_subparsers(dest="action", required=True)
    pb.add_parser("list", parents=[common], help="playbooks and their versions")
    show = pb.add_parser("show", parents=[common], help="one version's rules")
    show.add_argument("spec", help="NAME or NAME@VERSION")
    show.add_argument("--format", choices=["text", "yaml", "json"], default="text")
    imp = pb.add_parser("import", parents=[common], help="store a YAML file as a new version")
    imp.add_argument("file", type=Path)
    imp.add_argument("--note", required=True, help="why this version exists")
    imp.add_argument(
        "--draft", action="store_true", help="keep it a draft until `playbook publish`"
    )
    publish = pb.add_parser(
        "publish", parents=[common], help="make a draft the version analyses use by default"
    )
    publish.add_argument("spec", help="NAME@VERSION (NAME alone: its newest version)")
    diff = pb.add_parser("diff", parents=[common], help="compare two versions per clause type")
    diff.add_argument("name")
    diff.add_argument("v1", type=int)
    diff.add_argument("v2", type=int)
    diff.add_argument("--format", choices=["text", "json"], default="text")

    history = sub.add_parser("history", parents=[common], help="stored analyses, newest first")
    history.add_argument("--limit", type=int, default=20)
    history.add_argument("--offset", type=int, default=0)
    history.add_argument("--status", choices=["running", "completed", "failed", "interrupted"])
    history.add_argument("--playbook", help="only analyses under this playbook")
    history.add_argument("--id", help="print one stored analysis exactly as it was")
    history.add_argument("--format", choices=["text", "json", "md"], default="text")

    scan = sub.add_parser(
        "scan", parents=[common], help="report hidden text and injection signals, no analysis"
    )
    scan.add_argument("paths", nargs="+", type=Path, help="files or folders")
    scan.add_argument("--format", choices=["text", "json", "jsonl"], default="text")

    ledger = sub.add_parser(
        "ledger", parents=[common], help="one analysis's Claude calls: tokens, cost, cache savings"
    )
    ledger.add_argument("analysis_id")
    ledger.add_argument("--format", choices=["text", "json"], default="text")
    batch = sub.add_parser(
        "batch", parents=[common], help="analyse a folder: progress bar and a summary CSV"
    )
    batch.add_argument("folder", type=Path, help="every .pdf .docx .txt .md under it")
    batch.add_argument("--out", type=Path, default=Path("summary.csv"), help="summary CSV")
    batch.add_argument("--playbook", help="NAME or NAME@VERSION (default: latest default)")
    batch.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_review(sub, common)
    add_export(sub, common)
    return parser


def settings_for(args: argparse.Namespace, dotenv: Path = DOTENV) -> Settings:
    """The dashboard's settings (environment over the .env file), with the command's options."""
    env = process_env(dotenv)
    if getattr(args, "db", None):
        env["CA_DB_PATH"] = str(args.db)
    if getattr(args, "engine", None):
        env["CA_ENGINE"] = args.engine
    return Settings.from_env(env)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # Only the command that runs is imported: `--help` stays quick, and `analyze` does not
        # pay for the Word and PDF libraries that `export` and `scan` need.
        module = importlib.import_module(f"core.cli.{args.command}")
        return int(module.command(args, settings_for(args)))
    except ContractAnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("CA_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (set CA_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1
