"""A personal threshold, learned from the person's own corrections, and used only where it measurably helps.

Every attempt in which the person corrected at least one judgement counts as reviewed: its corrected
points are labelled by the correction, its other points by the judgement the person let stand. A
threshold tuned on those labels replaces the default only if, cross-validated by attempt (tuned on
the other attempts, checked on the held-out one), it agrees with the person more often than the
default does, by at least `min_gain`. It never moves more than `max_shift` from the default.
`python -m tests.bench.bench_grading` simulates people who grade more leniently than Beetle's graders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_CORRECTIONS = 8
MIN_GAIN = 0.02
MAX_SHIFT = 0.1


@dataclass(frozen=True)
class Judgement:
    """One key point of a reviewed attempt: the scorer's score and the person's verdict."""

    attempt_id: int
    score: float
    covered: bool  # the override where there is one, else the scorer's verdict the person let stand
    corrected: bool


@dataclass(frozen=True)
class Calibration:
    threshold: float  # the one to use: the personal threshold if adopted, else the default
    default: float
    adopted: bool
    judgements: int
    corrections: int
    agreement_default: float  # share of labels the default threshold agrees with
    agreement_personal: float  # the same for the personal threshold, cross-validated by attempt
    reason: str

    def describe(self) -> str:
        if not self.adopted:
            return f"Key-point threshold {self.threshold:.2f} (default): {self.reason}."
        return (
            f"Key-point threshold {self.threshold:.2f}, learned from your {self.corrections} corrections "
            f"(agrees with you {self.agreement_personal:.0%} of the time, the default {self.agreement_default:.0%})."
        )


def _agreement(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    return float(((scores >= threshold) == labels).mean()) if len(labels) else 0.0


def _tune(scores: np.ndarray, labels: np.ndarray, default: float, max_shift: float) -> float:
    """The threshold within `max_shift` of the default that agrees most; ties go to the one nearest the default."""
    grid = np.round(np.arange(default - max_shift, default + max_shift + 1e-9, 0.005), 4)
    return float(max(grid, key=lambda t: (_agreement(scores, labels, t), -abs(t - default))))


def calibrate(
    judgements: Sequence[Judgement],
    default: float,
    *,
    min_corrections: int = MIN_CORRECTIONS,
    min_gain: float = MIN_GAIN,
    max_shift: float = MAX_SHIFT,
) -> Calibration:
    corrections = sum(j.corrected for j in judgements)
    scores = np.array([j.score for j in judgements], dtype=float)
    labels = np.array([j.covered for j in judgements], dtype=bool)
    base = _agreement(scores, labels, default)

    def keep(reason: str, personal: float = 0.0) -> Calibration:
        return Calibration(
            default, default, False, len(judgements), corrections, round(base, 4), round(personal, 4), reason
        )

    if corrections < min_corrections:
        return keep(f"{corrections} of the {min_corrections} corrections needed to learn your own")
    by_attempt: dict[int, list[int]] = defaultdict(list)
    for i, j in enumerate(judgements):
        by_attempt[j.attempt_id].append(i)
    if len(by_attempt) < 3:
        return keep("corrections from at least 3 attempts are needed")
    personal_right = np.zeros(len(judgements), dtype=bool)
    for held_out in by_attempt.values():
        mask = np.ones(len(judgements), dtype=bool)
        mask[held_out] = False
        threshold = _tune(scores[mask], labels[mask], default, max_shift)
        personal_right[held_out] = (scores[held_out] >= threshold) == labels[held_out]
    personal = float(personal_right.mean())
    default_right = (scores >= default) == labels
    # McNemar's test on the held-out verdicts: adopt only a gain that is unlikely to be luck (one-sided p < 0.05).
    wins, losses = int((personal_right & ~default_right).sum()), int((default_right & ~personal_right).sum())
    significant = wins > losses and (wins - losses) >= 1.645 * np.sqrt(wins + losses)
    if personal - base < min_gain or not significant:
        return keep(
            f"a personal threshold would not agree with your corrections clearly better ({personal:.0%} vs {base:.0%})",
            personal,
        )
    threshold = _tune(scores, labels, default, max_shift)
    return Calibration(
        threshold,
        default,
        True,
        len(judgements),
        corrections,
        round(base, 4),
        round(personal, 4),
        "learned from your corrections",
    )
