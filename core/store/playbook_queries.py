"""SQL for playbooks, their immutable versions and chunks, and the embedding cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from core.errors import NotFound
from core.store.database import Database, as_columns, columns_select
from core.store.records import PlaybookChunk, VersionInfo, fetch_all, fetch_one, fetch_records

# version id -> the chunks to store with that version
ChunkFactory = Callable[[str], list[PlaybookChunk]]

_VERSION_COLUMNS = (
    "id, playbook_name, version, sha256, change_note, created_at, content,"
    " EXISTS (SELECT 1 FROM playbook_drafts d WHERE d.version_id = playbook_versions.id)"
    " AS draft"
)


class PlaybookQueries(Database):
    def add_playbook_version(
        self,
        name: str,
        title: str,
        content: str,
        sha256: str,
        change_note: str,
        chunks_for: ChunkFactory,
        draft: bool = False,
    ) -> tuple[VersionInfo, bool]:
        """Store content as the next version (a draft when `draft`); identical content returns
        the existing version."""
        with self.transaction() as cur:
            cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions"
                " WHERE playbook_name = ? AND sha256 = ?",
                [name, sha256],
            )
            existing = fetch_records(cur, VersionInfo)
            if existing:
                return existing[0], False
            cur.execute(
                "INSERT INTO playbooks (name, title) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                [name, title],
            )
            cur.execute(
                "SELECT coalesce(max(version), 0) AS latest FROM playbook_versions"
                " WHERE playbook_name = ?",
                [name],
            )
            latest = fetch_one(cur)
            version = int(latest["latest"] if latest else 0) + 1
            version_id = f"{name}@v{version}"
            cur.execute(
                "INSERT INTO playbook_versions (id, playbook_name, version, content, sha256,"
                " change_note) VALUES (?, ?, ?, ?, ?, ?)",
                [version_id, name, version, content, sha256, change_note],
            )
            if draft:
                cur.execute("INSERT INTO playbook_drafts VALUES (?)", [version_id])
            chunks = list(chunks_for(version_id))
            if chunks:
                rows = [
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
                    for c in chunks
                ]
                types = ["VARCHAR", "VARCHAR", "INTEGER"] + ["VARCHAR"] * 5
                cur.execute(
                    "INSERT INTO playbook_chunks (id, version_id, ordinal, clause_type, kind, text,"
                    f" risk, text_sha256) {columns_select(types)}",
                    as_columns(rows),
                )
            cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions WHERE id = ?", [version_id]
            )
            (info,) = fetch_records(cur, VersionInfo)
        return info, True

    def publish_version(self, version_id: str) -> VersionInfo:
        """Make a draft the published version (analyses naming no version use it from now)."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM playbook_drafts WHERE version_id = ?", [version_id])
            cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions WHERE id = ?", [version_id]
            )
            found = fetch_records(cur, VersionInfo)
        if not found:
            raise NotFound(f"no playbook version {version_id!r}")
        return found[0]

    def list_playbooks(self) -> list[dict[str, object]]:
        with self.cursor() as cur:
            cur.execute(
                "SELECT p.name, p.title, count(v.id) AS versions, max(v.version) AS latest,"
                " max(v.created_at) AS updated_at FROM playbooks p"
                " JOIN playbook_versions v ON v.playbook_name = p.name"
                " GROUP BY p.name, p.title ORDER BY p.name"
            )
            return fetch_all(cur)

    def list_versions(self, name: str) -> list[VersionInfo]:
        with self.cursor() as cur:
            cur.execute(
                f"SELECT {_VERSION_COLUMNS} FROM playbook_versions WHERE playbook_name = ?"
                " ORDER BY version",
                [name],
            )
            return fetch_records(cur, VersionInfo)

    def get_version(
        self, name: str, version: int | None = None, drafts: bool = False
    ) -> VersionInfo:
        """Version `version`; without one, the latest published version (with `drafts`, the
        latest version of all, drafts included: what an edit builds on)."""
        versions = self.list_versions(name)
        if not versions:
            raise NotFound(f"no playbook named {name!r}")
        if version is None:
            published = [v for v in versions if drafts or not v.draft]
            if not published:
                raise NotFound(
                    f"playbook {name!r} has only drafts so far: publish one on the Playbooks page"
                    f" (or `python -m core playbook publish {name}@{versions[-1].version}`),"
                    f" or name the version, e.g. {name}@{versions[-1].version}"
                )
            return published[-1]
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
            cur.execute(
                "SELECT id, version_id, ordinal, clause_type, kind, text, risk,"
                " CASE WHEN embedding_model = ? THEN embedding END AS vector"
                " FROM playbook_chunks WHERE version_id = ? ORDER BY ordinal",
                [model, version_id],
            )
            rows = fetch_all(cur)
        loaded: list[tuple[PlaybookChunk, np.ndarray | None]] = []
        for row in rows:
            vector = row.pop("vector")
            loaded.append(
                (PlaybookChunk(**row), None if vector is None else np.asarray(vector, "float32"))
            )
        return loaded

    def save_chunk_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if not vectors:
            return
        columns = [list(vectors), [v.tolist() for v in vectors.values()]]
        with self.transaction() as cur:
            cur.execute(
                "UPDATE playbook_chunks SET embedding = cv.c1, embedding_model = ?"
                f" FROM ({columns_select(['VARCHAR', 'FLOAT[]'])}) cv"
                " WHERE playbook_chunks.id = cv.c0",
                [model, *columns],
            )

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        if not hashes:
            return {}
        with self.cursor() as cur:
            cur.execute(
                "SELECT sha256, vector FROM embeddings WHERE model = ?"
                " AND sha256 IN (SELECT unnest(?::VARCHAR[]))",
                [model, list(hashes)],
            )
            rows = fetch_all(cur)
        return {row["sha256"]: np.asarray(row["vector"], dtype="float32") for row in rows}

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if not vectors:
            return
        columns = [[model] * len(vectors), list(vectors), [v.tolist() for v in vectors.values()]]
        with self.transaction() as cur:
            cur.execute(
                "INSERT INTO embeddings (model, sha256, vector)"
                f" {columns_select(['VARCHAR', 'VARCHAR', 'FLOAT[]'])} ON CONFLICT DO NOTHING",
                columns,
            )
