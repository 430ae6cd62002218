"""Playbook retrieval: one FAISS inner-product index per playbook version over normalised MiniLM
vectors of its chunks, built once and cached; per clause, the chunks most similar to it plus every
chunk of the clause types it carries, each with its similarity."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from core.playbooks.schema import Playbook
from core.store import Store, VersionInfo
from core.store.records import PlaybookChunk
from core.vectors.embeddings import Embedder


@dataclass(frozen=True)
class Retrieved:
    chunk: PlaybookChunk
    similarity: float


class PlaybookIndex:
    def __init__(
        self,
        version: VersionInfo,
        playbook: Playbook,
        chunks: list[PlaybookChunk],
        vectors: np.ndarray,
    ) -> None:
        import faiss  # heavy import, deferred until a playbook is actually searched

        self.version = version
        self.playbook = playbook
        self.chunks = chunks
        self._index = faiss.IndexFlatIP(vectors.shape[1])
        self._index.add(np.ascontiguousarray(vectors, dtype="float32"))
        self._by_id = {c.id: c for c in chunks}

    def chunk(self, chunk_id: str) -> PlaybookChunk | None:
        return self._by_id.get(chunk_id)

    def search(self, vectors: np.ndarray, types: list[set[str]], k: int) -> list[list[Retrieved]]:
        """Per clause: the top-k chunks overall plus all chunks of its types, best first."""
        if len(vectors) == 0:
            return []
        sims, ids = self._index.search(
            np.ascontiguousarray(vectors, dtype="float32"), len(self.chunks)
        )
        results = []
        for row_sims, row_ids, wanted in zip(sims, ids, types, strict=True):
            picked = [
                Retrieved(self.chunks[i], float(s))
                for rank, (s, i) in enumerate(zip(row_sims, row_ids, strict=True))
                if i >= 0 and (rank < k or self.chunks[i].clause_type in wanted)
            ]
            results.append(picked)
        return results


class IndexCache:
    """Builds each playbook version's index once per process (thread-safe)."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder
        self._indexes: dict[str, PlaybookIndex] = {}
        self._lock = threading.Lock()

    def has(self, version_id: str) -> bool:
        return version_id in self._indexes

    def get(self, version: VersionInfo, playbook: Playbook) -> PlaybookIndex:
        with self._lock:
            if version.id not in self._indexes:
                self._indexes[version.id] = self._build(version, playbook)
            return self._indexes[version.id]

    def _build(self, version: VersionInfo, playbook: Playbook) -> PlaybookIndex:
        stored = self._store.load_chunks(version.id, self._embedder.model_id)
        chunks = [c for c, _ in stored]
        missing = [c for c, vec in stored if vec is None]
        fresh: dict[str, np.ndarray] = {}
        if missing:
            vectors = self._embedder.encode([c.text for c in missing])
            fresh = {c.id: v for c, v in zip(missing, vectors, strict=True)}
            self._store.save_chunk_embeddings(self._embedder.model_id, fresh)
        matrix = np.stack([fresh[c.id] if vec is None else vec for c, vec in stored])
        return PlaybookIndex(version, playbook, chunks, matrix)
