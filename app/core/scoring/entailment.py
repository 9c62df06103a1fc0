"""Key points judged as an interviewer would: does this stretch of the answer say what the point says?

A cross-encoder (all-MiniLM-L6-v2 fine-tuned by this project on graded answers, int8 ONNX in
`resources/models/judge`, rebuilt by `training/train_judge.py`) reads the key point and a window
of the answer together, as textual entailment does, and gives the probability that the window
covers the point. Vectors computed apart (token recall) miss paraphrases and stories told in the
person's own words; reading both together is what a grader does.

Windows of the transcript overlap (stride half a window), so a point made across a sentence
boundary is inside one of them; the best window decides. Token recall still explains the verdict:
the matched words are the evidence shown, the point's words with no match are listed as missing.
A window's probability is cached by its text, so while the person speaks the finished windows are
judged (`warm`) and Stop leaves only the last one or two.

Windows are read in order, and a point is not read again once a window covers it with room to
spare (SURE_MARGIN above the threshold, as far as a personal threshold may move): its verdict is
settled under any threshold in use, so at Stop only the points not yet made read the new words.
The probability shown for such a point is that of the first window that made it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

from app.core.packs.model import KeyPoint
from app.core.paths import resource_path
from app.core.scoring.calibration import MAX_SHIFT
from app.core.scoring.embedder import onnx_session
from app.core.scoring.keypoints import PointResult
from app.core.scoring.recall import TokenRecallScorer
from app.core.scoring.spans import Span, span_text
from app.core.transcribe.transcript import Word

log = logging.getLogger(__name__)

CACHE_SIZE = 8192
MAX_RUNS = 4  # pairs judged at once by default
SURE_MARGIN = MAX_SHIFT  # a window this far above the default threshold covers the point under any personal one


@dataclass(frozen=True)
class JudgeSettings:
    """What the training run chose (resources/models/judge/judge.json)."""

    threshold: float = 0.5
    window_words: int = 120  # 0: the whole answer in one pair
    window_stride: int = 60
    max_tokens: int = 256
    positive_index: int = 1  # the "covered" column of a two-logit output; ignored for one logit
    name: str = "minilm-entailment-v1"  # stored with each judgement: a person's corrections calibrate this model only

    @classmethod
    def read(cls, path: Path) -> JudgeSettings:
        data = json.loads(path.read_text(encoding="utf-8"))
        labels = data.get("labels", ["not_covered", "covered"])
        return cls(
            threshold=float(data["threshold"]),
            window_words=int(data.get("window_words", 120)),
            window_stride=int(data.get("window_stride_words", 60)),
            max_tokens=int(data.get("max_length", 256)),
            positive_index=labels.index("covered") if "covered" in labels else 1,
            name=str(data.get("name", cls.name)),
        )


def judge_dir() -> Path:
    """The key-point judge."""
    return resource_path("models", "judge")


def story_judge_dir() -> Path:
    """The judge of a story's STAR parts: the first build of the key-point judge, kept for this because
    the second build told a story's result less reliably (resources/models/star/MODEL_CARD.md)."""
    return resource_path("models", "star")


def windows(n_words: int, width: int, stride: int) -> list[tuple[int, int]]:
    """Word ranges [start, end) that cover the answer: fixed starts from the beginning (so a growing
    transcript keeps its earlier windows) plus one that ends at the last word. Width 0: one window."""
    if width <= 0 or n_words <= width:
        return [(0, n_words)] if n_words else []
    out = [(start, start + width) for start in range(0, n_words - width + 1, stride)]
    if out[-1][1] < n_words:
        out.append((n_words - width, n_words))
    return out


class EntailmentJudge:
    """`score(points, words)`: per key point, the best window's probability of covering it."""

    def __init__(
        self,
        model_dir: Path | None = None,
        threshold: float | None = None,
        recall: TokenRecallScorer | None = None,
        threads: int = 0,
    ) -> None:
        self.model_dir = model_dir or judge_dir()
        self.settings = JudgeSettings.read(self.model_dir / "judge.json")
        self.name = self.settings.name
        self.default_threshold = self.settings.threshold
        self.threshold = self.settings.threshold if threshold is None else threshold
        self.recall = recall or TokenRecallScorer()
        self.threads = threads  # pairs judged at once, each on one core (0: one per core, at most MAX_RUNS)
        self._session: Any = None  # an onnxruntime InferenceSession once loaded (untyped library)
        self._runs: ThreadPoolExecutor | None = None
        self._tokenizer: Tokenizer | None = None
        self._load_lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._cache_lock = threading.Lock()

    # -- model ----------------------------------------------------------------------------------
    def load(self) -> EntailmentJudge:
        with self._load_lock:
            if self._session is None:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(resource_path("models", "minilm-tokenizer", "tokenizer.json")))
                tokenizer.no_padding()  # one pair per run, as long as it is
                tokenizer.enable_truncation(self.settings.max_tokens, strategy="only_second")
                self._tokenizer = tokenizer
                # One thread per run, several runs at once: see `probabilities`.
                self._session = onnx_session(self.model_dir / "model.onnx", 1)
                # At most MAX_RUNS at once: each run holds its own activations, and a few key points' windows
                # keep four busy.
                cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
                workers = self.threads or min(MAX_RUNS, cores)
                self._runs = ThreadPoolExecutor(workers, thread_name_prefix="judge")
                self.recall.embedder.load()
        return self

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(the text covers the point) for (point, text) pairs; cached by their text.

        Each pair runs alone: the int8 model quantises its activations with one scale for the whole
        input, so in a batch a pair's probability moved with the pairs beside it and their padding
        (0.85 alone, 0.75 in a batch of four), across the threshold. Alone, a window gets one
        probability however and whenever it is read. Runs of one thread each, one per core at once,
        are also faster than batches on all cores (bench_grading: 69 ms at Stop against 92)."""
        with self._cache_lock:
            known = {pair: self._cache[pair] for pair in pairs if pair in self._cache}
        todo = list(dict.fromkeys(pair for pair in pairs if pair not in known))
        if todo:
            self.load()
            runs = self._runs  # None once closed: a late call still gets its answer, on this thread
            for pair, p in zip(todo, runs.map(self._forward_one, todo) if runs else map(self._forward_one, todo)):
                known[pair] = p
            with self._cache_lock:
                for pair in todo:
                    self._cache[pair] = known[pair]
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return [known[pair] for pair in pairs]

    def close(self) -> None:
        """Let the pool's threads go; runs already started finish, later ones run on the caller's thread."""
        runs, self._runs = self._runs, None
        if runs is not None:
            runs.shutdown(wait=False)

    def _forward_one(self, pair: tuple[str, str]) -> float:
        return self._forward([pair])[0]

    def _forward(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        assert self._session is not None and self._tokenizer is not None
        encodings = self._tokenizer.encode_batch([(point, text) for point, text in pairs])
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        names = {i.name for i in self._session.get_inputs()}
        logits = self._session.run(None, {k: v for k, v in feed.items() if k in names})[0]
        logits = np.asarray(logits, dtype=np.float64)
        if logits.ndim == 1 or logits.shape[-1] == 1:
            return list(1.0 / (1.0 + np.exp(-logits.reshape(-1))))
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        return list(shifted[:, self.settings.positive_index] / shifted.sum(axis=1))

    # -- judging --------------------------------------------------------------------------------
    def _windows(self, words: Sequence[Word]) -> list[tuple[int, int, str]]:
        return [
            (a, b, " ".join(w.text for w in words[a:b]))
            for a, b in windows(len(words), self.settings.window_words, self.settings.window_stride)
        ]

    @property
    def sure(self) -> float:
        """A window at or above this covers a point under the default and any personal threshold."""
        return max(self.default_threshold + SURE_MARGIN, self.threshold)

    def warm(self, words: Sequence[Word], points: Sequence[KeyPoint] = ()) -> None:
        """Judge the windows of the transcript so far (cached by text) as `score` will, so that Stop
        finds them judged: the windows from the start settle as the answer grows, and the last
        ones are judged again only if more words came after this call."""
        self.recall.warm(words, points)
        self.window_probabilities([p.text for p in points], words, stop_at=[self.sure] * len(points))

    def window_probabilities(
        self, statements: Sequence[str], words: Sequence[Word], stop_at: Sequence[float] | None = None
    ) -> np.ndarray:
        """(statements, windows) probabilities that each window says each statement. With `stop_at`
        (a level per statement) the windows are read in order and a statement is not read again
        after a window reaches its level: the windows after it are NaN."""
        spans = self._windows(words)
        if stop_at is None:
            probs = self.probabilities([(text, window) for text in statements for _a, _b, window in spans])
            return np.array(probs, dtype=np.float64).reshape(len(statements), len(spans))
        out = np.full((len(statements), len(spans)), np.nan)
        reading = list(range(len(statements)))
        for j, (_a, _b, window) in enumerate(spans):
            if not reading:
                break
            got = self.probabilities([(statements[i], window) for i in reading])
            out[reading, j] = got
            reading = [i for i, p in zip(reading, got) if p < stop_at[i]]
        return out

    def score(self, points: Sequence[KeyPoint], words: Sequence[Word]) -> list[PointResult]:
        explained = self.recall.score(points, words)
        spans = self._windows(words)
        if not spans:
            return [
                PointResult(p.text, False, 0.0, self.threshold, missing_words=r.missing_words)
                for p, r in zip(points, explained)
            ]
        probs = self.window_probabilities([p.text for p in points], words, stop_at=[self.sure] * len(points))
        return [self._result(point, row, spans, why, words) for point, row, why in zip(points, probs, explained)]

    def _result(
        self,
        point: KeyPoint,
        probs: np.ndarray,
        spans: list[tuple[int, int, str]],
        why: PointResult,
        words: Sequence[Word],
    ) -> PointResult:
        best = int(np.nanargmax(probs))  # windows after the one that settled the point are not read
        score = float(probs[best])
        covered = score >= self.threshold
        a, b, _text = spans[best]
        evidence = why.evidence
        if evidence is None or evidence.end <= a or evidence.start >= b:
            # Token recall found its best match elsewhere: show the window the judge read.
            evidence = Span(a, b, span_text(words, a, b))
        return PointResult(
            point.text,
            covered,
            score,
            self.threshold,
            evidence=evidence,
            start_s=words[evidence.start].start,
            end_s=words[evidence.end - 1].end,
            matched_cues=why.matched_cues,
            missing_words=[] if covered else why.missing_words,
        )
