"""`python -m core review ANALYSIS_ID (--accept|--dismiss) FINDING_ID|all ...`: decide on an
analysis's findings (append-only), or, with no decision, show where its review stands."""

from __future__ import annotations

import argparse
import getpass

from core.cli.output import dump_json
from core.cli.review_args import ACTIONS
from core.errors import ReviewError
from core.review.actions import decide, load_review
from core.review.model import REASON_WORDS, Review
from core.settings import Settings
from core.store import Store

_DONE = {"accept": "Accepted", "dismiss": "Dismissed", "edit": "Edited", "reopen": "Reopened"}


def command(args: argparse.Namespace, settings: Settings) -> int:
    action = next((a for a in ACTIONS if getattr(args, a)), None)
    if action is None and (args.reason or args.note or args.risk or args.recommendation):
        raise ReviewError("say what to do: --accept, --dismiss, --edit or --reopen FINDING_ID|all")
    store = Store(settings.db_path)
    try:
        analysis_id = store.resolve_analysis_id(args.analysis_id)
        analysis, review = load_review(store, analysis_id)
        if action is not None:
            review = decide(
                store,
                analysis_id,
                getattr(args, action),
                action,
                reason=args.reason,
                note=args.note,
                risk=args.risk,
                recommendation=args.recommendation,
                user=args.user or settings.reviewer or getpass.getuser(),
            )
    finally:
        store.close()
    if args.format == "json":
        print(
            dump_json({"document_name": analysis.document.name, **review.model_dump(mode="json")})
        )
        return 0
    if action is not None:
        count = (
            len(review.findings)
            if "all" in getattr(args, action)
            else len(set(getattr(args, action)))
        )
        print(f"{_DONE[action]} {count} finding{'s' if count != 1 else ''}.")
    print(_render(analysis.document.name, review))
    return 0


def _render(name: str, review: Review) -> str:
    from core.reports.review_md import review_summary

    lines = [f"{name} · review {review_summary(review)}"]
    for item in review.findings:
        f = item.finding
        status = (
            item.status
            if item.status != "dismissed"
            else f"dismissed ({REASON_WORDS[item.reason or 'false_alarm']})"
        )
        edited = " (edited)" if item.edited else ""
        lines.append(f"  {f.id:<4} {status:<28} {f.risk:<8} {f.clause_type}{edited}")
        if item.note:
            lines.append(f"       note: {item.note}")
    return "\n".join(lines)
