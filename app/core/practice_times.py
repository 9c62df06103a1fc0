"""Which prep and answer times, and which hard-stop factor, Preferences offers.

0 seconds stands for "the pack's time". Other values keep to a grid a person can step through
with the arrow keys without landing on a 2 s answer by accident: one slip below the shortest
real time goes back to the pack's time, never to a few seconds. Preferences shows a value saved
by an older version with 1 s steps brought into range, and saves it so. (The settings object
itself keeps any value: tests set 4 s targets through it to keep answers short.)
"""

from __future__ import annotations

from dataclasses import dataclass

PACKS_TIME = 0


@dataclass(frozen=True)
class SecondsChoice:
    """The pack's time (0), or `minimum`..`maximum` seconds, stepped by `step`."""

    minimum: int
    maximum: int
    step: int

    def clamp(self, seconds: int) -> int:
        """A stored or typed value made valid: 0 stays the pack's time, others go into range."""
        if seconds <= PACKS_TIME:
            return PACKS_TIME
        return max(self.minimum, min(self.maximum, int(seconds)))

    def step_from(self, seconds: int, steps: int) -> int:
        """Where the arrow keys go from `seconds`: along the grid; below the minimum is the pack's time."""
        seconds = self.clamp(seconds)
        if steps == 0:
            return seconds
        if seconds == PACKS_TIME:
            if steps < 0:
                return PACKS_TIME
            seconds, steps = self.minimum, steps - 1
        # An off-grid value (typed, or saved by an older version) moves to the next grid line first.
        offset = (seconds - self.minimum) % self.step
        if offset and steps > 0:
            seconds, steps = seconds + self.step - offset, steps - 1
        elif offset:
            seconds, steps = seconds - offset, steps + 1
        target = seconds + steps * self.step
        if target < self.minimum:
            return PACKS_TIME
        return min(self.maximum, target)


ANSWER_SECONDS = SecondsChoice(minimum=30, maximum=600, step=15)  # 30 s .. 10 min
PREP_SECONDS = SecondsChoice(minimum=5, maximum=300, step=5)  # 5 s .. 5 min

# Recording stops by itself at this many times the answer target. Below 1.25 a person who runs
# a little long is cut off mid-sentence, which is what the hard stop is meant to prevent.
HARD_LIMIT_MIN, HARD_LIMIT_MAX, HARD_LIMIT_STEP = 1.25, 10.0, 0.25


def clamp_hard_limit(factor: float) -> float:
    return max(HARD_LIMIT_MIN, min(HARD_LIMIT_MAX, factor))
