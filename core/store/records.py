"""Typed records the store reads and writes. Every query names its columns after these fields,
and rows are read into them by column name (`fetch_all`, `fetch_one`), never by position."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import duckdb

from core.models import ChunkRef

Row = dict[str, Any]
R = TypeVar("R")


def fetch_all(cur: duckdb.DuckDBPyConnection) -> list[Row]:
    """The rows of the query just run on `cur`, each as {column name: value}."""
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def fetch_one(cur: duckdb.DuckDBPyConnection) -> Row | None:
    """The first row of the query just run on `cur` as {column name: value}, or None."""
    names = [d[0] for d in cur.description or ()]
    row = cur.fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def fetch_records(cur: duckdb.DuckDBPyConnection, make: Callable[..., R]) -> list[R]:
    """The rows of the query just run on `cur`, each made into a record by column name."""
    return [make(**row) for row in fetch_all(cur)]


@dataclass(frozen=True)
class VersionInfo:
    """One immutable playbook version."""

    id: str
    playbook_name: str
    version: int
    sha256: str
    change_note: str
    created_at: datetime
    content: str
    draft: bool = False  # not yet published: used only when named with its version


ChunkKind = str  # standard | fallback | red_flag | threshold | required | check


@dataclass(frozen=True)
class PlaybookChunk:
    id: str
    version_id: str
    ordinal: int
    clause_type: str
    kind: ChunkKind
    text: str
    risk: str | None

    def ref(self, version: int, similarity: float) -> ChunkRef:
        """How a finding cites this chunk."""
        source = f"{self.version_id} · {self.clause_type} · {self.kind.replace('_', ' ')}"
        return ChunkRef(
            chunk_id=self.id, source=source, version=version, similarity=round(similarity, 4)
        )

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()
