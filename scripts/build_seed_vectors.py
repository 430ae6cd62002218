"""Compute the vectors every installation needs before its first analysis and ship them in
data/models/seed_vectors.npz: the clause taxonomy's descriptions and examples, and the
guidance and check sentences of every bundled playbook version (all our own texts).

    .venv/bin/python scripts/build_seed_vectors.py [--out PATH]

Run it after changing the taxonomy or a bundled playbook (tests/test_seed_vectors.py says when).
Deterministic; about a minute on two cores. Encodes with sentence-transformers (torch), the
library the model comes from.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.pipeline.services import open_services  # noqa: E402
from core.playbooks.library import resolve  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.vectors.embeddings import Embedder, SentenceTransformerEmbedder, text_sha256  # noqa: E402
from core.vectors.seed import SEED_FILE, write_seed  # noqa: E402
from core.verdicts.judge import check_vectors  # noqa: E402


class Recording:
    """Encodes with `inner` and keeps every text it was asked for."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.seen: dict[str, np.ndarray] = {}

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.inner.encode(texts)
        for text, vector in zip(texts, vectors, strict=True):
            self.seen[text_sha256(text)] = vector
        return vectors


def constant_vectors(inner: Embedder) -> tuple[str, dict[str, np.ndarray]]:
    """Every text a fresh database embeds before a contract's own: hash → vector."""
    recording = Recording(inner)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_path=Path(tmp) / "seed.duckdb", engine="offline")
        services = open_services(settings, embedder=recording)
        services.embedder.seed = None  # compute everything, never read the old file
        try:
            services.labeler()
            for book in services.store.list_playbooks():
                for entry in services.store.list_versions(str(book["name"])):
                    spec = f"{entry.playbook_name}@{entry.version}"
                    version, playbook = resolve(services.store, spec)
                    services.indexes.get(version, playbook)
                    check_vectors(services.embedder, playbook.checks)
        finally:
            services.close()
    return recording.model_id, recording.seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SEED_FILE)
    args = parser.parse_args()
    model, vectors = constant_vectors(SentenceTransformerEmbedder(backend="torch"))
    write_seed(args.out, model, vectors)
    size = args.out.stat().st_size
    print(f"{len(vectors)} vectors for {model} -> {args.out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
