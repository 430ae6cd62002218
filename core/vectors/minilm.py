"""MiniLM (all-MiniLM-L6-v2) run with NumPy: the same weights and tokenizer as
sentence-transformers, without importing torch.

Importing torch and sentence-transformers costs ~7 s per process before the model encodes a
word, more than the encoding of a median contract; this forward pass needs only NumPy, the
`safetensors` reader and the `tokenizers` library, which sentence-transformers installs anyway.
It reproduces the library's vectors to float32 rounding (tests/test_minilm.py compares the two);
sentence-transformers stays the library the model comes from and the one we train with.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import SettingsError

# Word pieces per batch: measured 256 / 512 / 1024 / 2048 on median CUAD contracts, 512 was
# quickest (big enough for efficient matrix products, small enough for the caches).
TOKENS_PER_BATCH = 512


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


class NumpyMiniLM:
    """A BERT encoder with mean pooling and L2 normalisation, as the model's modules.json says."""

    def __init__(self, path: str | Path) -> None:
        folder = Path(path)
        config = _read_json(folder / "config.json")
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise SettingsError(f"not a BERT model with GELU: {folder}")
        pooling = _read_json(folder / "1_Pooling" / "config.json")
        if not pooling.get("pooling_mode_mean_tokens"):
            raise SettingsError(f"the model does not mean-pool: {folder}")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.max_len = int(_read_json(folder / "sentence_bert_config.json")["max_seq_length"])
        w = load_file(str(folder / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in w else ""
        self._words = w[f"{prefix}embeddings.word_embeddings.weight"]
        self._positions = w[f"{prefix}embeddings.position_embeddings.weight"]
        self._type0 = w[f"{prefix}embeddings.token_type_embeddings.weight"][0]
        self._ln_g = w[f"{prefix}embeddings.LayerNorm.weight"]
        self._ln_b = w[f"{prefix}embeddings.LayerNorm.bias"]
        self._layers = [
            _layer(w, f"{prefix}encoder.layer.{i}.")
            for i in range(int(config["num_hidden_layers"]))
        ]
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self.max_len)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self.budget = TOKENS_PER_BATCH
        self.threads = max(1, min(4, os.cpu_count() or 1))

    @property
    def dimension(self) -> int:
        return int(self._words.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, in the order given."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batches: list[list[int]] = []
        start = 0
        while start < len(order):
            end = start + 1
            # Shortest first: a batch pads to its last (longest) text; stop at the token budget.
            while end < len(order) and len(ids[order[end]]) * (end - start + 1) <= self.budget:
                end += 1
            batches.append(order[start:end])
            start = end

        def run(batch: list[int]) -> None:
            out[batch] = self._forward([ids[i] for i in batch], len(ids[batch[-1]]))

        if len(batches) == 1 or self.threads == 1:
            for batch in batches:
                run(batch)
            return out
        # NumPy's element-wise work (GELU, softmax, layer norm) runs on one core; batches on
        # parallel threads, each with a single-threaded BLAS, keep every core busy.
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        with (
            threadpool_limits(limits=1, user_api="blas"),
            ThreadPoolExecutor(self.threads) as pool,
        ):
            list(pool.map(run, batches))
        return out

    def _forward(self, batch: list[list[int]], length: int) -> np.ndarray:
        n = len(batch)
        tokens = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = self._words[tokens] + self._positions[:length] + self._type0
        x = _layer_norm(x, self._ln_g, self._ln_b, self.eps)
        # Padding gets the most negative float, as transformers does, so it has no weight.
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in self._layers:
            x = self._block(x, bias, layer)
        summed = np.einsum("nld,nl->nd", x, mask)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out: np.ndarray = (pooled / norms).astype(np.float32)
        return out

    def _block(self, x: np.ndarray, bias: np.ndarray, p: _Layer) -> np.ndarray:
        n, length, width = x.shape
        head = width // self.heads
        qkv = x @ p.qkv_w + p.qkv_b
        qkv = qkv.reshape(n, length, 3, self.heads, head).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1.0 / np.sqrt(head)) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, width)
        x = _layer_norm(x + context @ p.out_w + p.out_b, p.ln1_g, p.ln1_b, self.eps)
        hidden = _gelu(x @ p.up_w + p.up_b)
        return _layer_norm(x + hidden @ p.down_w + p.down_b, p.ln2_g, p.ln2_b, self.eps)


_MODELS: dict[str, NumpyMiniLM] = {}
_MODELS_LOCK = threading.Lock()


def load_numpy_minilm(path: str | Path) -> NumpyMiniLM:
    """One loaded model per folder and process (the weights are ~90 MB)."""
    key = str(Path(path).resolve())
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = NumpyMiniLM(key)
        return _MODELS[key]


def _layer(w: dict[str, np.ndarray], p: str) -> _Layer:
    def t(name: str) -> np.ndarray:
        return np.ascontiguousarray(w[p + name + ".weight"].T)

    def b(name: str) -> np.ndarray:
        return w[p + name + ".bias"]

    names = ("attention.self.query", "attention.self.key", "attention.self.value")
    return _Layer(
        qkv_w=np.ascontiguousarray(np.concatenate([t(n) for n in names], axis=1)),
        qkv_b=np.concatenate([b(n) for n in names]),
        out_w=t("attention.output.dense"),
        out_b=b("attention.output.dense"),
        ln1_g=w[p + "attention.output.LayerNorm.weight"],
        ln1_b=b("attention.output.LayerNorm"),
        up_w=t("intermediate.dense"),
        up_b=b("intermediate.dense"),
        down_w=t("output.dense"),
        down_b=b("output.dense"),
        ln2_g=w[p + "output.LayerNorm.weight"],
        ln2_b=b("output.LayerNorm"),
    )


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: np.ndarray = centred / np.sqrt(var + np.float32(eps)) * g + b
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, x * Φ(x), with erf from Abramowitz and Stegun 7.1.26 (error < 1.5e-7)."""
    z = np.abs(x) * np.float32(1.0 / np.sqrt(2.0))
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = np.float32(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly = poly * t + np.float32(coefficient)
    poly = poly * t
    erf = 1.0 - poly * np.exp(-z * z)
    erf = np.where(x < 0, -erf, erf)
    out: np.ndarray = x * np.float32(0.5) * (1.0 + erf)
    return out


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"cannot read the embedding model's {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"unexpected content in {path}")
    return data
