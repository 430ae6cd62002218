"""`python -m core playbook list|show|import|publish|diff`: the stored playbook versions."""

from __future__ import annotations

import argparse

from core.cli.output import dump_json
from core.doctype.detect import KIND_PLURALS
from core.playbooks.diff import diff_playbooks
from core.playbooks.library import import_file, parse_playbook, resolve, seed_bundled
from core.settings import Settings
from core.store import Store


def command(args: argparse.Namespace, settings: Settings) -> int:
    store = Store(settings.db_path)
    try:
        seed_bundled(store)
        return {
            "list": _pb_list,
            "show": _pb_show,
            "import": _pb_import,
            "publish": _pb_publish,
            "diff": _pb_diff,
        }[args.action](store, args)
    finally:
        store.close()


def _pb_list(store: Store, args: argparse.Namespace) -> int:
    for pb in store.list_playbooks():
        print(
            f"{pb['name']}  —  {pb['title']}  ({pb['versions']} versions, latest v{pb['latest']})"
        )
        for v in store.list_versions(str(pb["name"])):
            draft = "  (draft)" if v.draft else ""
            print(
                f"  v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.sha256[:12]}  {v.change_note}"
                f"{draft}"
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
    checks = f", {len(pb.checks)} checks" if pb.checks else ""
    print(f"{pb.title} — {info.id} ({pb.perspective} side, {len(pb.rules)} clause types{checks})")
    if pb.contract_types:
        print(f"written for: {', '.join(KIND_PLURALS[kind] for kind in pb.contract_types)}")
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
    for check in pb.checks:
        stance = "we want this" if check.wanted else "we do not want this"
        required = ", required" if check.required else ""
        print(f"{check.name} ({check.id}) — {stance}{required}, risk {check.risk}")
        print(f"  position: {check.statement}")
    return 0


def _pb_import(store: Store, args: argparse.Namespace) -> int:
    info, created = import_file(store, args.file, args.note, draft=args.draft)
    if created:
        kind = " as a draft (publish it with `playbook publish`)" if info.draft else ""
        print(f"imported {args.file.name} as {info.id} ({info.sha256[:12]}){kind}")
    else:
        print(f"unchanged: {args.file.name} is identical to {info.id}; no new version")
    return 0


def _pb_publish(store: Store, args: argparse.Namespace) -> int:
    spec = args.spec.strip()
    # NAME alone: its newest version, drafts included (resolve would give the published one).
    info = resolve(store, spec)[0] if "@" in spec else store.get_version(spec, drafts=True)
    if not info.draft:
        print(f"{info.id} is already published")
        return 0
    store.publish_version(info.id)
    print(f"published {info.id}: analyses that name no version of {info.playbook_name} use it")
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
