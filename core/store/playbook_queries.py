"""SQL for playbooks, their immutable versions and chunks, and the embedding cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from core.errors import NotFound
from core.playbooks.chunks import PlaybookChunk
from core.store.database import Database


@dataclass(frozen=True)
class VersionInfo:
    id: str
    playbook_name: str
    version: int
    sha256: str
    change_note: str
    created_at: datetime
    content: str


# version id -> the chunks to store with that version
ChunkFactory = Callable[[str], list[PlaybookChunk]]

_VERSION_COLUMNS = "id, playbook_name, version, sha256, change_note, created_at, content"


class PlaybookQueries(Database):
    def add_playbook_version(
        self,
        name: str,
        title: str,
        content: str,
        sha256: str,
        change_note: str,
        chunks_for: ChunkFactory,
    ) -> tuple[VersionInfo, bool]:
        """Store content as the next version; identical content returns the existing version."""
        with self.transaction() as cur:
            existing = cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions"
                " WHERE playbook_name = ? AND sha256 = ?",
                [name, sha256],
            ).fetchone()
            if existing:
                return VersionInfo(*existing), False
            cur.execute(
                "INSERT INTO playbooks (name, title) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                [name, title],
            )
            (latest,) = cur.execute(
                "SELECT coalesce(max(version), 0) FROM playbook_versions WHERE playbook_name = ?",
                [name],
            ).fetchone() or (0,)
            version = int(latest) + 1
            version_id = f"{name}@v{version}"
            cur.execute(
                "INSERT INTO playbook_versions (id, playbook_name, version, content, sha256,"
                " change_note) VALUES (?, ?, ?, ?, ?, ?)",
                [version_id, name, version, content, sha256, change_note],
            )
            chunks = pd.DataFrame(
                [
                    (
                        c.id,
                        c.version_id,
                        c.ordinal,
                        c.clause_type,
                        c.kind,
                        c.text,
                        c.risk,
                        c.text_sha256,
                    )
                    for c in chunks_for(version_id)
                ],
                columns=[
                    "id",
                    "version_id",
                    "ordinal",
                    "clause_type",
                    "kind",
                    "text",
                    "risk",
                    "text_sha256",
                ],
            )
            cur.register("new_chunks", chunks)
            cur.execute(
                "INSERT INTO playbook_chunks (id, version_id, ordinal, clause_type, kind, text,"
                " risk, text_sha256) SELECT * FROM new_chunks"
            )
            cur.unregister("new_chunks")
            row = cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions WHERE id = ?", [version_id]
            ).fetchone()
        assert row is not None
        return VersionInfo(*row), True

    def list_playbooks(self) -> list[dict[str, object]]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT p.name, p.title, count(v.id) AS versions, max(v.version) AS latest,"
                " max(v.created_at) AS updated_at FROM playbooks p"
                " JOIN playbook_versions v ON v.playbook_name = p.name"
                " GROUP BY p.name, p.title ORDER BY p.name"
            ).fetchall()
        keys = ("name", "title", "versions", "latest", "updated_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def list_versions(self, name: str) -> list[VersionInfo]:
        with self.cursor() as cur:
            rows = cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions WHERE playbook_name = ?"
                " ORDER BY version",
                [name],
            ).fetchall()
        return [VersionInfo(*row) for row in rows]

    def get_version(self, name: str, version: int | None = None) -> VersionInfo:
        versions = self.list_versions(name)
        if not versions:
            raise NotFound(f"no playbook named {name!r}")
        if version is None:
            return versions[-1]
        for info in versions:
            if info.version == version:
                return info
        raise NotFound(
            f"playbook {name!r} has no version {version} (latest is {versions[-1].version})"
        )

    def load_chunks(
        self, version_id: str, model: str | None = None
    ) -> list[tuple[PlaybookChunk, np.ndarray | None]]:
        """A version's chunks, each with its vector when `model` made one (else None)."""
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT id, version_id, ordinal, clause_type, kind, text, risk,"
                " CASE WHEN embedding_model = ? THEN embedding END"
                " FROM playbook_chunks WHERE version_id = ? ORDER BY ordinal",
                [model, version_id],
            ).fetchall()
        return [
            (PlaybookChunk(*row[:7]), None if row[7] is None else np.asarray(row[7], "float32"))
            for row in rows
        ]

    def save_chunk_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        frame = pd.DataFrame(
            {"id": list(vectors), "embedding": [v.tolist() for v in vectors.values()]}
        )
        with self.transaction() as cur:
            cur.register("chunk_vectors", frame)
            cur.execute(
                "UPDATE playbook_chunks SET embedding = cv.embedding::FLOAT[], embedding_model = ?"
                " FROM chunk_vectors cv WHERE playbook_chunks.id = cv.id",
                [model],
            )
            cur.unregister("chunk_vectors")

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        if not hashes:
            return {}
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT sha256, vector FROM embeddings WHERE model = ?"
                " AND sha256 IN (SELECT unnest(?::VARCHAR[]))",
                [model, list(hashes)],
            ).fetchall()
        return {sha: np.asarray(vec, dtype="float32") for sha, vec in rows}

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if not vectors:
            return
        frame = pd.DataFrame(
            {
                "model": model,
                "sha256": list(vectors),
                "vector": [v.tolist() for v in vectors.values()],
            }
        )
        with self.transaction() as cur:
            cur.register("new_vectors", frame)
            cur.execute(
                "INSERT INTO embeddings (model, sha256, vector)"
                " SELECT model, sha256, vector::FLOAT[] FROM new_vectors"
                " ON CONFLICT DO NOTHING"
            )
            cur.unregister("new_vectors")
