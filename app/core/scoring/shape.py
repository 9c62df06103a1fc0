"""The shape of an answer: a technical answer should open with the answer in one sentence before
the detail, and reach its first key point soon; a behavioural story should tell all four STAR parts.

Uses what the key-point scorer and the story judge already found (evidence word ranges, the best
window of each STAR part); nothing here reads audio.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.scoring.keypoints import PointResult
from app.core.scoring.star import StarCheck
from app.core.scoring.voice import sentences
from app.core.transcribe.transcript import Word

DIRECT_OPENING_MAX_WORDS = 35  # a first sentence longer than this is detail, not a one-sentence answer


@dataclass(frozen=True)
class StoryPart:
    part: str
    present: bool
    start_s: float | None
    end_s: float | None
    missing: str


@dataclass
class Shape:
    kind: str  # "technical" or "story"
    direct_opening: bool | None = None  # technical: the first sentence carries a covered key point
    opening_words: int = 0
    first_point_s: float | None = None  # technical: when the first covered key point began
    story: list[StoryPart] = field(default_factory=list)

    @property
    def missing_part(self) -> StoryPart | None:
        return next((p for p in self.story if not p.present), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "direct_opening": self.direct_opening,
            "opening_words": self.opening_words,
            "first_point_s": None if self.first_point_s is None else round(self.first_point_s, 2),
            "story": [
                {
                    "part": p.part,
                    "present": p.present,
                    "missing": p.missing,
                    "start_s": None if p.start_s is None else round(p.start_s, 2),
                    "end_s": None if p.end_s is None else round(p.end_s, 2),
                }
                for p in self.story
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Shape:
        return cls(
            data.get("kind", "technical"),
            data.get("direct_opening"),
            data.get("opening_words", 0),
            data.get("first_point_s"),
            [
                StoryPart(p["part"], p["present"], p.get("start_s"), p.get("end_s"), p.get("missing", ""))
                for p in data.get("story", [])
            ],
        )


def answer_shape(
    words: Sequence[Word], key_points: Sequence[PointResult], star: Sequence[StarCheck] | None = None
) -> Shape:
    """Technical answers: direct opening and time to the first key point; stories: the STAR parts."""
    if star is not None:
        return Shape(
            "story",
            story=[
                StoryPart(c.part, c.present, getattr(c, "start_s", None), getattr(c, "end_s", None), c.missing)
                for c in star
            ],
        )
    shape = Shape("technical")
    if not words:
        return shape
    first_start, first_end = sentences(words)[0]
    shape.opening_words = first_end - first_start
    starts = [r.evidence.start for r in key_points if r.covered and r.evidence is not None]
    if starts:
        shape.first_point_s = words[min(min(starts), len(words) - 1)].start
    shape.direct_opening = shape.opening_words <= DIRECT_OPENING_MAX_WORDS and any(
        start < first_end for start in starts
    )
    return shape


__all__ = ["Shape", "StoryPart", "answer_shape"]
