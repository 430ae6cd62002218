"""Playbook versions in the store: parse and validate YAML, import (new content → new immutable
version; identical content → no-op), seed the bundled playbooks, and resolve `NAME[@VERSION]`."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from core.errors import PlaybookError
from core.playbooks.chunks import build_chunks
from core.playbooks.schema import Playbook
from core.settings import DATA_DIR
from core.store import Store, VersionInfo
from core.taxonomy.names import ALL_TYPES
from core.yamltext import load_yaml

BUNDLED_DIR = DATA_DIR / "playbooks"
_SPEC = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*)(?:@v?(?P<version>\d+))?$")


def parse_playbook(content: str, source: str = "playbook") -> Playbook:
    try:
        data = load_yaml(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise PlaybookError(f"{source} is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise PlaybookError(f"{source} must be a YAML mapping with name, title and rules")
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(part) for part in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise PlaybookError(f"{source}: {loc}: {msg}" if loc else f"{source}: {msg}") from None
    unknown = [r.type for r in playbook.rules if r.type not in ALL_TYPES]
    unknown += [
        f"{t} (check {c.id})" for c in playbook.checks for t in c.clause_types if t not in ALL_TYPES
    ]
    if unknown:
        raise PlaybookError(f"{source}: unknown clause type(s) {unknown}; see docs/taxonomy.md")
    return playbook


def import_playbook(
    store: Store, content: str, note: str, source: str = "playbook", draft: bool = False
) -> tuple[VersionInfo, bool]:
    """Store content as a new version of its playbook (a draft when `draft`); returns
    (version, created)."""
    if not note.strip():
        raise PlaybookError("a change note is required (say why this version exists)")
    playbook = parse_playbook(content, source)
    sha = hashlib.sha256(content.encode()).hexdigest()
    return store.add_playbook_version(
        playbook.name,
        playbook.title,
        content,
        sha,
        note.strip(),
        lambda version_id: build_chunks(playbook, version_id),
        draft,
    )


def import_file(
    store: Store, path: Path, note: str, draft: bool = False
) -> tuple[VersionInfo, bool]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError(f"cannot read {path}: {exc.__class__.__name__}") from None
    return import_playbook(store, content, note, source=path.name, draft=draft)


def seed_bundled(store: Store, directory: Path = BUNDLED_DIR) -> list[VersionInfo]:
    """Import the bundled playbook versions listed in the manifest, in order (idempotent)."""
    manifest = load_yaml((directory / "manifest.yaml").read_text(encoding="utf-8"))
    created = []
    for entry in manifest["playbooks"]:
        for version in entry["versions"]:
            info, new = import_file(store, directory / version["file"], version["note"])
            if new:
                created.append(info)
    return created


def bundled_for(store: Store, kind: str, directory: Path = BUNDLED_DIR) -> str | None:
    """The first bundled playbook (in manifest order) whose latest version is written for this
    kind of contract, or None."""
    manifest = load_yaml((directory / "manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest["playbooks"]:
        _, playbook = resolve(store, str(entry["name"]))
        if kind in playbook.contract_types:
            return playbook.name
    return None


def resolve(store: Store, spec: str) -> tuple[VersionInfo, Playbook]:
    """`name`, `name@2` or `name@v2` → the stored version and its parsed playbook."""
    match = _SPEC.match(spec.strip())
    if not match:
        raise PlaybookError(f"bad playbook reference {spec!r}; use NAME or NAME@VERSION")
    version = int(match["version"]) if match["version"] else None
    info = store.get_version(match["name"], version)
    return info, _parse_stored(info.content, info.id)


@lru_cache(maxsize=32)
def _parse_stored(content: str, version_id: str) -> Playbook:
    # Stored versions never change and Playbook is frozen: parse each once per process, not
    # once per analysis (the YAML parse took ~60-150 ms of every analysis).
    return parse_playbook(content, version_id)
