"""Fakes for tests: stand-ins that behave like the real collaborators, without the model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np


class FakeEmbedder:
    """Bag-of-words hashed into 384 dimensions: texts sharing words are similar, deterministic,
    instant. Counts calls so tests can see what was (not) re-embedded."""

    model_id = "fake-bag-of-words"

    def __init__(self) -> None:
        self.calls = 0
        self.texts_encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        out = np.zeros((len(texts), 384), dtype="float32")
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % 384] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)
