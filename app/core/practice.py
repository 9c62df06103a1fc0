"""The rules of a practice round, without Qt: question order, timing zones, the hard limit.

The GUI asks these functions what to show; tests check them without a window.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

from app.core.packs.model import Pack, Question

NEAR_TARGET_FRACTION = 0.85
DEFAULT_HARD_LIMIT_FACTOR = 2.0


class Mode(str, enum.Enum):
    IN_ORDER = "in-order"
    SHUFFLED = "shuffled"
    CATEGORY = "category"
    WEAKEST = "weakest-first"
    MOCK = "mock-interview"
    PLAN = "interview-plan"  # what the interview-date plan says is due today (app.core.review.plan)

    @property
    def label(self) -> str:
        return {
            Mode.IN_ORDER: "In order",
            Mode.SHUFFLED: "Shuffled",
            Mode.CATEGORY: "One category",
            Mode.WEAKEST: "Weakest first",
            Mode.MOCK: "Mock interview",
            Mode.PLAN: "Due today (interview plan)",
        }[self]


def order_questions(pack: Pack, mode: Mode, category: str | None = None, seed: int | None = None) -> list[Question]:
    """The questions of a round. Weakest-first and mock ordering are decided by the scheduler."""
    questions = list(pack.questions)
    if mode is Mode.CATEGORY:
        questions = [q for q in questions if q.category == category]
    if mode in (Mode.SHUFFLED, Mode.MOCK):
        random.Random(seed).shuffle(questions)
    return questions


class Zone(str, enum.Enum):
    """How the answer clock looks: normal, amber near the target, red past it."""

    NORMAL = "normal"
    NEAR = "near"
    OVER = "over"


@dataclass(frozen=True)
class AnswerClock:
    target_s: float
    hard_limit_factor: float = DEFAULT_HARD_LIMIT_FACTOR

    @property
    def hard_limit_s(self) -> float:
        return self.target_s * self.hard_limit_factor

    def zone(self, elapsed_s: float) -> Zone:
        if elapsed_s > self.target_s:
            return Zone.OVER
        if elapsed_s >= self.target_s * NEAR_TARGET_FRACTION:
            return Zone.NEAR
        return Zone.NORMAL

    def remaining_to_limit(self, elapsed_s: float) -> float:
        return max(0.0, self.hard_limit_s - elapsed_s)


def format_seconds(seconds: float) -> str:
    """m:ss, as a clock shows it."""
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"
