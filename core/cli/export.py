"""`python -m core export ANALYSIS_ID --format docx|md --out PATH`: the reviewed analysis as a
Word document with tracked changes and comments, or as the Markdown memo of its decisions."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from core.redline import exports
from core.settings import Settings
from core.store import Store


def command(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open_for_reading(settings.db_path)
    try:
        analysis_id = store.resolve_analysis_id(args.analysis_id)
        if args.format == "md":
            _write(args.out, exports.memo(store, analysis_id).encode("utf-8"))
            print(f"Wrote {args.out}: the review memo.")
            return 0
        red = exports.redline(store, analysis_id, args.author or settings.reviewer or None)
    finally:
        store.close()
    _write(args.out, red.content)
    where = "the original Word file" if red.based_on == "original" else "a Word copy of the text"
    print(
        f"Wrote {args.out}: {red.changes} tracked change{'s' if red.changes != 1 else ''} and"
        f" {red.comments} comment{'s' if red.comments != 1 else ''} in {where}."
    )
    if not red.changes and not red.comments:
        print("No finding is accepted yet: accept findings with `python -m core review`.")
    for warning in red.warnings:
        print(f"Warning: {warning}")
    return 0


def _write(path: Path, content: bytes) -> None:
    """All or nothing: a killed export never leaves half a file where the old one was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        mask = os.umask(0)  # mkstemp makes the file private; give it the usual permissions
        os.umask(mask)
        Path(tmp).chmod(0o666 & ~mask)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
