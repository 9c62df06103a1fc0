"""Did the answer cover each key point? Scorers share one interface so they can be swapped and measured.

`EmbeddingScorer` embeds every candidate span of the transcript and each key point with MiniLM,
takes the best span per point, nudges the similarity up for the point's cue words found in that
span and down where one side negates what the other asserts, and compares it with a threshold.
It keeps the span, its score and the threshold, so the feedback can say why it decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from rapidfuzz import fuzz

from app.core.packs.model import KeyPoint
from app.core.scoring.embedder import MiniLMEmbedder, shared_embedder
from app.core.scoring.spans import Span, candidate_spans
from app.core.scoring.text import content_words, has_negation, stem, tokens
from app.core.transcribe.transcript import Word

DEFAULT_THRESHOLD = 0.55
CUE_BONUS = 0.04
MAX_CUE_BONUS = 0.08
NEGATION_PENALTY = 0.3


@dataclass
class PointResult:
    point: str
    covered: bool
    score: float
    threshold: float
    evidence: Span | None = None  # the span that covers the point, or the closest one when missed
    start_s: float | None = None
    end_s: float | None = None
    matched_cues: list[str] = field(default_factory=list)
    missing_words: list[str] = field(default_factory=list)  # words of the point the answer never said
    override: bool | None = None  # the person's correction: True "I did cover this", False "I did not"

    @property
    def judged_covered(self) -> bool:
        """The final verdict: the person's override where they gave one, else the scorer's."""
        return self.covered if self.override is None else self.override

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "covered": self.judged_covered,
            "auto_covered": self.covered,
            "override": self.override,
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "evidence": self.evidence.text if self.evidence else None,
            "evidence_words": [self.evidence.start, self.evidence.end] if self.evidence else None,
            "evidence_start_s": None if self.start_s is None else round(self.start_s, 2),
            "evidence_end_s": None if self.end_s is None else round(self.end_s, 2),
            "matched_cues": self.matched_cues,
            "missing_words": self.missing_words,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PointResult:
        words = data.get("evidence_words")
        evidence = Span(words[0], words[1], data.get("evidence") or "") if words else None
        return cls(
            point=data["point"],
            covered=bool(data.get("auto_covered", data.get("covered"))),
            score=float(data.get("score", 0.0)),
            threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
            evidence=evidence,
            start_s=data.get("evidence_start_s"),
            end_s=data.get("evidence_end_s"),
            matched_cues=list(data.get("matched_cues", [])),
            missing_words=list(data.get("missing_words", [])),
            override=data.get("override"),
        )


class KeyPointScorer(Protocol):
    name: str

    def score(self, points: Sequence[KeyPoint], words: Sequence[Word]) -> list[PointResult]: ...


@runtime_checkable
class ThresholdScorer(KeyPointScorer, Protocol):
    """A scorer whose threshold the person's corrections can move (calibration)."""

    threshold: float
    default_threshold: float


def cue_found(cue: str, span_text: str) -> bool:
    """Is the cue in this (lower-cased) text, or nearly (a long cue heard slightly wrong)?"""
    cue_l = cue.lower()
    if cue_l in span_text:
        return True
    return len(cue_l) >= 5 and fuzz.partial_ratio(cue_l, span_text) >= 88


def _missing_words(point: KeyPoint, said: set[str]) -> list[str]:
    return [w for w in dict.fromkeys(content_words(point.text)) if stem(w) not in said]


def _locate(span: Span | None, words: Sequence[Word]) -> tuple[float | None, float | None]:
    if span is None or not words:
        return None, None
    return words[span.start].start, words[span.end - 1].end


class EmbeddingScorer:
    """MiniLM similarity over transcript spans, with cue and negation adjustments."""

    name = "minilm-spans-v1"

    def __init__(self, embedder: MiniLMEmbedder | None = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.embedder = embedder or shared_embedder()
        self.threshold = threshold

    def adjusted_scores(
        self, point: KeyPoint, point_vec: np.ndarray, spans: Sequence[Span], span_vecs: np.ndarray
    ) -> tuple[np.ndarray, list[list[str]]]:
        sims = span_vecs @ point_vec
        point_negated = has_negation(point.text)
        cues_per_span: list[list[str]] = []
        adjusted = sims.astype(np.float64).copy()
        for i, span in enumerate(spans):
            lowered = span.text.lower()
            cues = [c for c in point.cues if cue_found(c, lowered)]
            cues_per_span.append(cues)
            if has_negation(span.text) != point_negated:
                # Same words, opposite claim: cue words must not rescue it.
                adjusted[i] -= NEGATION_PENALTY
            else:
                adjusted[i] += min(MAX_CUE_BONUS, CUE_BONUS * len(cues))
        return adjusted, cues_per_span

    def score(self, points: Sequence[KeyPoint], words: Sequence[Word]) -> list[PointResult]:
        spans = candidate_spans(words)
        said = {stem(t) for w in words for t in tokens(w.text)}
        if not spans:
            return [
                PointResult(p.text, False, 0.0, self.threshold, missing_words=_missing_words(p, said)) for p in points
            ]
        vectors = self.embedder.embed([p.text for p in points] + [s.text for s in spans])
        point_vecs, span_vecs = vectors[: len(points)], vectors[len(points) :]
        results = []
        for point, point_vec in zip(points, point_vecs):
            adjusted, cues = self.adjusted_scores(point, point_vec, spans, span_vecs)
            best = int(np.argmax(adjusted))
            score = min(1.0, float(adjusted[best]))
            covered = score >= self.threshold
            start_s, end_s = _locate(spans[best], words)
            results.append(
                PointResult(
                    point=point.text,
                    covered=covered,
                    score=score,
                    threshold=self.threshold,
                    evidence=spans[best],
                    start_s=start_s,
                    end_s=end_s,
                    matched_cues=cues[best],
                    missing_words=[] if covered else _missing_words(point, said),
                )
            )
        return results


class LexicalScorer:
    """Baseline: share of the point's content words (stemmed) found in the best span."""

    name = "lexical-overlap"

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def score(self, points: Sequence[KeyPoint], words: Sequence[Word]) -> list[PointResult]:
        spans = candidate_spans(words) or [Span(0, 0, "")]
        span_stems = [{stem(t) for t in tokens(s.text)} for s in spans]
        said = set().union(*span_stems)
        results = []
        for point in points:
            wanted = {stem(w) for w in content_words(point.text)}
            overlaps = [len(wanted & s) / len(wanted) if wanted else 0.0 for s in span_stems]
            best = int(np.argmax(overlaps))
            score = overlaps[best]
            start_s, end_s = _locate(spans[best] if spans[best].end else None, words)
            results.append(
                PointResult(
                    point.text,
                    score >= self.threshold,
                    score,
                    self.threshold,
                    evidence=spans[best] if spans[best].end else None,
                    start_s=start_s,
                    end_s=end_s,
                    missing_words=_missing_words(point, said),
                )
            )
        return results
