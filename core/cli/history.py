"""`python -m core history`: stored analyses, newest first, or one of them exactly as stored."""

from __future__ import annotations

import argparse

from core.cli.output import dump_json
from core.reports.render import render_markdown, render_text
from core.settings import Settings
from core.store import Store


def command(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open_for_reading(settings.db_path)
    try:
        if args.id:
            analysis = store.load_analysis(store.resolve_analysis_id(args.id))
            out = {
                "json": lambda: dump_json(analysis.model_dump(mode="json")),
                "md": lambda: render_markdown(analysis),
                "text": lambda: render_text(analysis),
            }
            print(out[args.format]())
            return 0
        rows = store.list_analyses(args.limit, args.offset, args.status, args.playbook)
    finally:
        store.close()
    if args.format == "json":
        print(dump_json(rows))
        return 0
    if not rows:
        print("no stored analyses yet: run `python -m core analyze FILE`")
    for r in rows:
        risks = " ".join(f"{r[k]} {k}" for k in ("critical", "high", "medium", "low") if r[k])
        pb = f"{r['playbook_name']}@v{r['version']}" if r["playbook_name"] else "-"
        secs = f"{(r['duration_ms'] or 0) / 1000:.1f}s"
        detail = risks or ("—" if r["status"] == "completed" else r["error"] or "")
        who = f"  (by {r['user']})" if r["user"] else ""  # set when the dashboard has sign-in
        print(
            f"{r['created_at']:%Y-%m-%d %H:%M}  {r['id'][:12]}  {r['status']:<11} {pb:<22} "
            f"{secs:>6}  {r['document_name']}  {detail}{who}"
        )
    return 0
