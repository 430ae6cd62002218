"""What the commands share: the files a list of paths names, and JSON as the commands print it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from core.documents import SUPPORTED_EXTENSIONS


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS
            )
        else:
            yield path


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
