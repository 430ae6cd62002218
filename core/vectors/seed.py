"""Vectors computed ahead for the texts every installation embeds: the clause taxonomy's
descriptions and examples, the bundled playbooks' guidance and check sentences.

Without them a fresh install's first analysis embeds those texts before the contract's own,
which took longer than the contract itself. `scripts/build_seed_vectors.py` writes the file from
our own texts (no third-party data); `tests/test_seed_vectors.py` fails when a text changed and the
file was not rebuilt. A vector is used only for the model it was computed with.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

SEED_FILE = Path(__file__).resolve().parents[2] / "data" / "models" / "seed_vectors.npz"


class SeedVectors:
    """Looks up shipped vectors by text hash; reads the file on first use, once."""

    def __init__(self, path: Path = SEED_FILE) -> None:
        self.path = path
        self._model = ""
        self._index: dict[str, int] | None = None
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._lock = threading.Lock()

    def _load(self) -> dict[str, int]:
        with self._lock:
            if self._index is None:
                self._index = {}
                if self.path.is_file():
                    with np.load(self.path, allow_pickle=False) as data:
                        self._model = str(data["model"])
                        hashes = [str(h) for h in data["hashes"]]
                        self._vectors = np.asarray(data["vectors"], dtype=np.float32)
                    self._index = {sha: i for i, sha in enumerate(hashes)}
            return self._index

    def get(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        index = self._load()
        if model != self._model:
            return {}
        return {sha: self._vectors[index[sha]] for sha in hashes if sha in index}


def write_seed(path: Path, model: str, vectors: dict[str, np.ndarray]) -> None:
    hashes = sorted(vectors)
    matrix = np.stack([vectors[h] for h in hashes]).astype(np.float32)
    np.savez_compressed(path, model=np.asarray(model), hashes=np.asarray(hashes), vectors=matrix)
