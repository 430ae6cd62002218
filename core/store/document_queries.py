"""SQL for the original uploads, kept once per content hash so analyses can be re-run."""

from __future__ import annotations

from core.errors import NotFound
from core.store.database import Database
from core.store.records import fetch_one


class DocumentQueries(Database):
    def save_document(self, sha256: str, name: str, content: bytes) -> None:
        with self.transaction() as cur:
            cur.execute(
                "INSERT INTO documents (sha256, name, size_bytes, content) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [sha256, name, len(content), content],
            )

    def load_document(self, sha256: str) -> tuple[str, bytes]:
        """(name, bytes) of a stored upload."""
        with self.cursor() as cur:
            cur.execute("SELECT name, content FROM documents WHERE sha256 = ?", [sha256])
            row = fetch_one(cur)
        if row is None:
            raise NotFound("the original file of this analysis is not stored")
        return str(row["name"]), bytes(row["content"])
