"""Which parts of a behavioural story were told: situation, task, action, result (STAR).

Interviewers listen for the shape of a story as much as its points. The entailment judge reads
each part's description as a key point against the answer's windows; each part has its own
threshold, tuned on the training split of the in-domain set's STAR labels
(`training/tune_star.py`, written into resources/models/star/judge.json: the story judge).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core.packs.model import Question
from app.core.scoring.entailment import windows
from app.core.transcribe.transcript import Word

if TYPE_CHECKING:
    from app.core.scoring.entailment import EntailmentJudge


@dataclass(frozen=True)
class StarPart:
    name: str
    hypothesis: str  # what the judge reads as the "key point"
    missing: str  # what to tell the person when the part is not heard


PARTS = (
    StarPart(
        "situation", "They describe the situation they were in", "no situation: where were you and what was going on?"
    ),
    StarPart(
        "task",
        "They say what they had to achieve or what their responsibility was",
        "no task: what were you responsible for?",
    ),
    StarPart("action", "They say what they personally did", "no action: what did you yourself do?"),
    StarPart("result", "They say what the outcome was", "no result: what changed because of what you did?"),
)


@dataclass(frozen=True)
class StarCheck:
    part: str
    present: bool
    score: float
    threshold: float
    missing: str
    start_s: float | None = None  # the best window's time: where the part was told (drawn in the voice strip)
    end_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "present": self.present,
            "score": round(self.score, 4),
            "threshold": self.threshold,
            "start_s": self.start_s,
            "end_s": self.end_s,
        }


def is_story_question(question: Question) -> bool:
    """Behavioural questions ask for a story ("Tell me about a time ...")."""
    return (question.category or "").lower() == "behavioural"


@functools.lru_cache(maxsize=4)
def _star_levels(settings: Path) -> dict[str, float]:
    """The STAR thresholds in a judge.json (read once: the streaming warm-up asks on every chunk)."""
    star = json.loads(settings.read_text(encoding="utf-8")).get("star", {})
    return {name: float(level) for name, level in star.items()}


def thresholds(judge: EntailmentJudge) -> dict[str, float]:
    star = _star_levels(judge.model_dir / "judge.json")
    return {part.name: star.get(part.name, judge.default_threshold) for part in PARTS}


def part_probabilities(judge: EntailmentJudge, words: Sequence[Word]) -> np.ndarray:
    """(parts, windows) probabilities, windows read in order until a part is told (then NaN); also
    what the streaming warm-up calls, so that Stop finds the same windows judged."""
    limits = thresholds(judge)
    return judge.window_probabilities([p.hypothesis for p in PARTS], words, stop_at=[limits[p.name] for p in PARTS])


def check_story(judge: EntailmentJudge, words: Sequence[Word]) -> list[StarCheck]:
    """Each STAR part: told or not, with the probability of the first window that told it (else
    the best window's)."""
    limits = thresholds(judge)
    if not words:
        return [StarCheck(p.name, False, 0.0, limits[p.name], p.missing) for p in PARTS]
    # Only the probabilities: a part's verdict needs no evidence span or missing words (token recall).
    probs = part_probabilities(judge, words)
    spans = windows(len(words), judge.settings.window_words, judge.settings.window_stride)
    checks = []
    for part, row in zip(PARTS, probs):
        best = int(np.nanargmax(row))
        a, b = spans[best]
        checks.append(
            StarCheck(
                part.name,
                float(row[best]) >= limits[part.name],
                float(row[best]),
                limits[part.name],
                part.missing,
                round(words[a].start, 2),
                round(words[b - 1].end, 2),
            )
        )
    return checks
