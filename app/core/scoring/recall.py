"""Key-point coverage as token recall: how much of the point's meaning one stretch of the answer carries.

Each content word piece of the key point is matched to its most similar word piece of the transcript
(contextual MiniLM vectors, as BERTScore does); a window of the transcript scores the mean of those best
matches, and the best window decides. On SemEval-2013 Beetle this agrees with human graders more often
than sentence cosine or word overlap, on clean text and on transcript-like text
(`python -m tests.bench.bench_grading`). It also says why: the matched words are the evidence, and
the point's words with no good match are what was missing.

The transcript is cut into stretches of about a sentence, each encoded once and cached, so a
transcript that grows while the person speaks is encoded as it comes (`warm`), and Stop leaves
only the last stretch to encode.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from app.core.packs.model import KeyPoint
from app.core.scoring.embedder import MiniLMEmbedder, TokenVectors, shared_embedder
from app.core.scoring.keypoints import PointResult, cue_found
from app.core.scoring.spans import Span, span_text
from app.core.scoring.text import FILLER_TOKENS, NEGATIONS, STOPWORDS, bare, content_words, has_negation, tokens
from app.core.transcribe.transcript import Word

DEFAULT_THRESHOLD = 0.56  # the best macro-F1 on Beetle's training split (bench_grading); never tuned on test data
EVIDENCE_MATCH = 0.45  # the evidence runs from the first to the last word matched at least this well
MATCH = 0.6  # a point piece whose best match is at least this is "said" (evidence); below it, "missing"
NEGATION_PENALTY = 0.3
NEGATION_LOOKBACK = 3  # words before the evidence where a negation may stand: "does not use Shapley..."
NEGATION_SCOPE = 2  # content words after a negation that it denies: "does not use Shapley values"
STRONG_MATCH = 0.8  # the same word (or nearly) as in the point: a negation falling on it denies the point
CUE_BONUS = 0.03
MAX_CUE_BONUS = 0.06
STRETCH_MIN_WORDS = 12
STRETCH_MAX_WORDS = 48
STRETCH_PAUSE_S = 0.6
WINDOW_STRIDE = 3


def stretches(words: Sequence[Word]) -> list[list[int]]:
    """The transcript cut into stretches of word indices (fillers left out), about a sentence each.

    Cuts are greedy from the start (at a sentence end or pause once a stretch has enough words, or
    at the maximum length), so appending words never changes the stretches before the last one.
    """
    out: list[list[int]] = []
    current: list[int] = []
    for i, word in enumerate(words):
        plain = bare(word.text)
        if not plain or plain in FILLER_TOKENS:
            continue
        if current and len(current) >= STRETCH_MIN_WORDS:
            prev = words[current[-1]]
            if prev.text.endswith((".", "?", "!")) or word.start - prev.end >= STRETCH_PAUSE_S:
                out.append(current)
                current = []
        current.append(i)
        if len(current) >= STRETCH_MAX_WORDS:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _content_pieces(vectors: TokenVectors, point_words: Sequence[str]) -> np.ndarray:
    """Which pieces of the key point carry content: not punctuation, not a stopword."""
    keep = np.array(
        [
            piece.removeprefix("##").isalnum() and any(t not in STOPWORDS for t in tokens(point_words[w]))
            for piece, w in zip(vectors.pieces, vectors.word_of)
        ],
        dtype=bool,
    )
    return keep if keep.any() else np.ones(len(vectors.pieces), dtype=bool)


class TokenRecallScorer:
    """Best-window token recall of each key point over the transcript, with cue and negation adjustments."""

    name = "minilm-token-recall-v1"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, embedder: MiniLMEmbedder | None = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.embedder = embedder or shared_embedder()
        self.threshold = threshold

    def warm(self, words: Sequence[Word], points: Sequence[KeyPoint] = ()) -> None:
        """Encode the key points and the stretches of the transcript so far (cached), so that
        scoring at Stop encodes only what was said after this call."""
        self.embedder.token_vectors([p.text.split() for p in points])
        parts = stretches(words)
        self.embedder.token_vectors([[words[i].text for i in part] for part in parts])

    def _transcript(self, words: Sequence[Word]) -> tuple[np.ndarray, np.ndarray]:
        """Piece vectors of the whole transcript and the word index of each piece."""
        parts = stretches(words)
        encoded = self.embedder.token_vectors([[words[i].text for i in part] for part in parts])
        vectors = [e.vectors for e in encoded]
        word_of = [np.asarray(part, dtype=np.int32)[e.word_of] for part, e in zip(parts, encoded)]
        if not vectors:
            return np.zeros((0, self.embedder.dimension), np.float32), np.zeros(0, np.int32)
        return np.concatenate(vectors), np.concatenate(word_of)

    def score(self, points: Sequence[KeyPoint], words: Sequence[Word]) -> list[PointResult]:
        pieces, word_of = self._transcript(words)
        point_words = [p.text.split() for p in points]
        encoded = self.embedder.token_vectors(point_words)
        if len(pieces) == 0:
            return [
                PointResult(p.text, False, 0.0, self.threshold, missing_words=_content_words(pw))
                for p, pw in zip(points, point_words)
            ]
        # Per transcript word, the best piece: pieces of one word are adjacent.
        said, starts = np.unique(word_of, return_index=True)
        return [
            self._judge(point, pw, enc, pieces, starts, said, words)
            for point, pw, enc in zip(points, point_words, encoded)
        ]

    def _judge(
        self,
        point: KeyPoint,
        point_words: list[str],
        enc: TokenVectors,
        pieces: np.ndarray,
        starts: np.ndarray,
        said: np.ndarray,
        words: Sequence[Word],
    ) -> PointResult:
        content = _content_pieces(enc, point_words)
        wanted = enc.vectors[content]
        per_word = np.maximum.reduceat(wanted @ pieces.T, starts, axis=1)  # (point pieces, transcript words)
        n = per_word.shape[1]
        width = min(n, int(np.clip(2 * len(point_words), 16, 40)))
        starts_at = sorted({*range(0, n - width + 1, WINDOW_STRIDE), n - width})
        recalls = sliding_window_view(per_word, width, axis=1)[:, starts_at].max(axis=2).mean(axis=0)
        best = int(np.argmax(recalls))
        best_score, best_a = float(recalls[best]), starts_at[best]
        window = per_word[:, best_a : best_a + width]
        best_match = window.max(axis=1)
        matched_at = window.argmax(axis=1) + best_a
        hits = matched_at[best_match >= EVIDENCE_MATCH]
        lo, hi = (int(hits.min()), int(hits.max())) if len(hits) else (best_a, min(n, best_a + width) - 1)
        first, last = int(said[lo]), int(said[hi])
        strong = matched_at[best_match >= STRONG_MATCH]
        lookback = max(int(said[best_a]), first - NEGATION_LOOKBACK)
        denied = _denies_a_match(words, {int(said[i]) for i in strong}, lookback, last)
        window_text = " ".join(words[i].text for i in said[best_a : best_a + width]).lower()

        score = best_score
        cues = [c for c in point.cues if cue_found(c, window_text)]
        if denied and not has_negation(point.text):
            # Same words, opposite claim: cue words must not rescue it. (A point that is itself
            # negative, "not separated by a gap", is often covered without a negation: "connected".)
            score -= NEGATION_PENALTY
        else:
            # A cue said earns a little; none said costs nothing ("a validation set the model never
            # trained on" covers "held-out data" without its cue word).
            score += min(MAX_CUE_BONUS, CUE_BONUS * len(cues))
        score = float(min(1.0, score))
        covered = score >= self.threshold
        missing = [] if covered else _missing_words(enc, content, best_match, point_words)
        evidence = Span(first, last + 1, span_text(words, first, last + 1))
        return PointResult(
            point.text,
            covered,
            score,
            self.threshold,
            evidence=evidence,
            start_s=words[first].start,
            end_s=words[last].end,
            matched_cues=cues,
            missing_words=missing,
        )


def _denies_a_match(words: Sequence[Word], matched: set[int], start: int, end: int) -> bool:
    """Does a negation in [start, end] fall on a word that matched the point?

    A negation's targets are the next content words of its sentence: "LIME never fits a surrogate"
    denies "fits" of "LIME fits a surrogate model", "does not use Shapley values" denies "Shapley".
    A negated paraphrase ("terminal 1 is not connected", said for "they are in different states")
    negates words the point does not use, and is not a denial: on Beetle, answers with a negation
    are as often right as wrong, so negation alone says nothing.
    """
    for i in range(start, end + 1):
        if not has_negation(words[i].text):
            continue
        targets: list[int] = []
        for j in range(i, min(len(words), end + 1)):
            if j > i and any(t not in STOPWORDS and t not in NEGATIONS for t in tokens(words[j].text)):
                targets.append(j)
            if len(targets) == NEGATION_SCOPE or words[j].text.endswith((".", "?", "!", ";")):
                break  # a negation does not reach past its sentence
        if any(j in matched for j in targets):
            return True
    return False


def _content_words(point_words: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(content_words(" ".join(point_words))))


def _missing_words(enc: TokenVectors, content: np.ndarray, best_match: np.ndarray, point_words: list[str]) -> list[str]:
    """The point's content words whose pieces found no good match (on average) in the best window."""
    word_of = enc.word_of[content]
    missing = [
        point_words[w] for w in dict.fromkeys(int(w) for w in word_of) if best_match[word_of == w].mean() < MATCH
    ]
    return _content_words(missing)
