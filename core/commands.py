"""What each CLI command does, given parsed arguments and settings; prints, returns an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from core.cli import dump_json, expand_paths
from core.errors import ContractAnalyzerError
from core.events import ErrorEvent, FinalEvent, FindingEvent, StatusEvent, WarningEvent
from core.models import Analysis, DocumentInfo
from core.playbooks.diff import diff_playbooks
from core.playbooks.library import import_file, parse_playbook, resolve
from core.report import render_markdown, render_text
from core.settings import Settings
from core.store import Store

if TYPE_CHECKING:
    from core.services import Services


def analyze(args: argparse.Namespace, settings: Settings) -> int:
    from core.services import open_services

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
    from core import pipeline  # heavy imports only for commands that analyse

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
    for event in pipeline.run(services, data, path.name, args.playbook, store=not args.no_store):
        if progress is not None:
            _show_progress(event, progress)
        if isinstance(event, FinalEvent):
            final = event.analysis
    assert final is not None  # run() always ends with a final event
    return final


def _print_estimate(services: Services, data: bytes, name: str, playbook: str | None) -> None:
    """Before a Claude run, what it should cost (the run itself reports any bad input)."""
    from core.llm.preview import preview_cost

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


def playbook(args: argparse.Namespace, settings: Settings) -> int:
    from core.playbooks.library import seed_bundled

    store = Store(settings.db_path)
    try:
        seed_bundled(store)
        return {"list": _pb_list, "show": _pb_show, "import": _pb_import, "diff": _pb_diff}[
            args.action
        ](store, args)
    finally:
        store.close()


def _pb_list(store: Store, args: argparse.Namespace) -> int:
    for pb in store.list_playbooks():
        print(
            f"{pb['name']}  —  {pb['title']}  ({pb['versions']} versions, latest v{pb['latest']})"
        )
        for v in store.list_versions(str(pb["name"])):
            print(
                f"  v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.sha256[:12]}  {v.change_note}"
            )
    return 0


def _pb_show(store: Store, args: argparse.Namespace) -> int:
    info, pb = resolve(store, args.spec)
    if args.format == "yaml":
        print(info.content, end="" if info.content.endswith("\n") else "\n")
        return 0
    if args.format == "json":
        print(
            dump_json(
                {
                    "version_id": info.id,
                    "version": info.version,
                    "sha256": info.sha256,
                    "change_note": info.change_note,
                    "playbook": pb.model_dump(mode="json"),
                }
            )
        )
        return 0
    print(f"{pb.title} — {info.id} ({pb.perspective} side, {len(pb.rules)} clause types)")
    print(f"change note: {info.change_note}\n")
    for rule in pb.rules:
        flags = f", {len(rule.red_flags)} red flags" if rule.red_flags else ""
        limits = "".join(f", {t.term} {t.op} {t.value:g}" for t in rule.thresholds)
        print(
            f"{rule.type}{' (required)' if rule.required else ''} — risk {rule.risk}{flags}{limits}"
        )
        print(f"  standard: {rule.standard.text}")
        for i, fb in enumerate(rule.fallbacks, 1):
            print(f"  fallback {i} [{fb.risk}]: {fb.text}")
    return 0


def _pb_import(store: Store, args: argparse.Namespace) -> int:
    info, created = import_file(store, args.file, args.note)
    if created:
        print(f"imported {args.file.name} as {info.id} ({info.sha256[:12]})")
    else:
        print(f"unchanged: {args.file.name} is identical to {info.id}; no new version")
    return 0


def _pb_diff(store: Store, args: argparse.Namespace) -> int:
    old_info, new_info = (
        store.get_version(args.name, args.v1),
        store.get_version(args.name, args.v2),
    )
    old = parse_playbook(old_info.content, old_info.id)
    new = parse_playbook(new_info.content, new_info.id)
    changes = diff_playbooks(old, new)
    if args.format == "json":
        print(
            dump_json(
                [
                    {
                        "clause_type": c.clause_type,
                        "status": c.status,
                        "changes": [
                            {
                                "field": f.field,
                                "before": f.before,
                                "after": f.after,
                                "added": list(f.added),
                                "removed": list(f.removed),
                            }
                            for f in c.changes
                        ],
                    }
                    for c in changes
                ]
            )
        )
        return 0
    print(f"{old_info.id} → {new_info.id}: {new_info.change_note}")
    if not changes:
        print("no differences")
    for c in changes:
        print(f"\n{c.status.upper():8} {c.clause_type}")
        for f in c.changes:
            if f.added or f.removed:
                print(f"  {f.field}:")
                print("".join(f"    - {item}\n" for item in f.removed), end="")
                print("".join(f"    + {item}\n" for item in f.added), end="")
            else:
                print(f"  {f.field}: {f.text_diff}")
    return 0


def history(args: argparse.Namespace, settings: Settings) -> int:
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
