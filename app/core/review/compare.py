"""Two attempts at one question side by side: what changed in the figures and in the key points.

The earlier attempt is always "before". Key points are matched by their text, so a question
edited between the attempts shows points that were added or dropped instead of wrong pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.practice import format_seconds
from app.core.review.progress import PACE_HIGH, PACE_LOW
from app.core.timing import describe_timing, timing_error

if TYPE_CHECKING:
    from app.core.records import AttemptDetail
    from app.core.scoring.delivery import Delivery


@dataclass(frozen=True)
class FigureChange:
    key: str
    label: str
    before: float | None
    after: float | None
    before_text: str
    after_text: str
    change_text: str
    verdict: str  # "better", "worse", "same" or "" (no judgement)


@dataclass(frozen=True)
class PointChange:
    point: str
    before: bool | None  # None: the point was not part of the question then
    after: bool | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "new point"
        if self.after is None:
            return "dropped point"
        if self.after and not self.before:
            return "newly covered"
        if self.before and not self.after:
            return "newly missed"
        return "still covered" if self.after else "still missed"


@dataclass(frozen=True)
class Comparison:
    before: AttemptDetail
    after: AttemptDetail
    figures: list[FigureChange]
    points: list[PointChange]

    @property
    def newly_covered(self) -> list[str]:
        return [p.point for p in self.points if p.status == "newly covered"]

    @property
    def newly_missed(self) -> list[str]:
        return [p.point for p in self.points if p.status == "newly missed"]

    @property
    def question_changed(self) -> bool:
        return any(p.before is None or p.after is None for p in self.points) or (
            self.before.question.text != self.after.question.text
        )

    @property
    def apart(self) -> str:
        """How far apart the two answers were given: "the same day", "1 day apart", "12 days apart"."""
        days = (self.after.summary.created_at - self.before.summary.created_at).total_seconds() / 86400
        return "the same day" if days < 1 else f"{days:.0f} day{'s' if round(days) != 1 else ''} apart"

    def figure(self, key: str) -> FigureChange:
        return next(f for f in self.figures if f.key == key)


def _verdict(before: float | None, after: float | None, better: str, tolerance: float) -> str:
    """`better`: "up" or "down" - which direction of the raw value is an improvement."""
    if before is None or after is None or math.isnan(before) or math.isnan(after):
        return ""
    delta = after - before
    if abs(delta) <= tolerance:
        return "same"
    return "better" if (delta > 0) == (better == "up") else "worse"


def _signed(value: float, fmt: str) -> str:
    return ("+" if value > 0 else "") + format(value, fmt)


def _points_change(count: int, share: float) -> str:
    noun = "key point" if abs(count) == 1 else "key points"
    return f"{_signed(count, 'd')} {noun} ({_signed(round(share * 100), 'd')} %)"


def _pace_distance(wpm: float | None) -> float | None:
    if wpm is None:
        return None
    return 0.0 if PACE_LOW <= wpm <= PACE_HIGH else min(abs(wpm - PACE_LOW), abs(wpm - PACE_HIGH))


def compare_attempts(first: AttemptDetail, second: AttemptDetail) -> Comparison:
    """Compare two attempts of the same question (in any order). Raises ValueError otherwise."""
    a, b = first.summary, second.summary
    if (a.pack_id, a.question_id) != (b.pack_id, b.question_id):
        raise ValueError(
            f"attempts {a.id} and {b.id} answer different questions ({a.pack_id}/{a.question_id} and {b.pack_id}/{b.question_id})"
        )
    if (b.created_at, b.id) < (a.created_at, a.id):
        first, second = second, first
    before, after = first, second
    db, da = before.delivery, after.delivery
    figures: list[FigureChange] = []

    # Length against the target: better when it moves into (or towards) the band.
    eb, ea = timing_error(db.duration_s, db.target_s), timing_error(da.duration_s, da.target_s)

    def length_text(d: Delivery) -> str:
        if not d.target_s:
            return format_seconds(d.duration_s)
        return f"{format_seconds(d.duration_s)} of {format_seconds(d.target_s)} ({describe_timing(d.duration_s, d.target_s)})"

    figures.append(
        FigureChange(
            "duration",
            "Length vs target",
            db.duration_s,
            da.duration_s,
            length_text(db),
            length_text(da),
            _signed(da.duration_s - db.duration_s, ".0f") + " s",
            _verdict(eb, ea, "down", 0.005),
        )
    )

    def wpm_text(d: Delivery) -> str:
        return "-" if d.words_per_minute is None else f"{d.words_per_minute:.0f} wpm"

    wb, wa = db.words_per_minute, da.words_per_minute
    figures.append(
        FigureChange(
            "wpm",
            "Words per minute",
            wb,
            wa,
            wpm_text(db),
            wpm_text(da),
            "-" if wb is None or wa is None else _signed(wa - wb, ".0f") + " wpm",
            _verdict(_pace_distance(wb), _pace_distance(wa), "down", 2.0),
        )
    )
    figures.append(
        FigureChange(
            "fillers",
            "Fillers",
            db.fillers_per_minute,
            da.fillers_per_minute,
            f"{len(db.fillers)} ({db.fillers_per_minute:.1f}/min)",
            f"{len(da.fillers)} ({da.fillers_per_minute:.1f}/min)",
            _signed(da.fillers_per_minute - db.fillers_per_minute, ".1f") + "/min",
            _verdict(db.fillers_per_minute, da.fillers_per_minute, "down", 0.1),
        )
    )
    pb, pa = len(db.long_pauses), len(da.long_pauses)
    figures.append(
        FigureChange(
            "pauses",
            "Long pauses",
            float(pb),
            float(pa),
            str(pb),
            str(pa),
            _signed(pa - pb, "d"),
            _verdict(pb, pa, "down", 0),
        )
    )
    cb, ca = before.summary.coverage, after.summary.coverage
    figures.append(
        FigureChange(
            "coverage",
            "Key points covered",
            cb,
            ca,
            f"{before.summary.covered_count}/{before.summary.point_count} ({cb:.0%})",
            f"{after.summary.covered_count}/{after.summary.point_count} ({ca:.0%})",
            _points_change(after.summary.covered_count - before.summary.covered_count, ca - cb),
            _verdict(cb, ca, "up", 0.001),
        )
    )

    old = {r.point: r.judged_covered for r in before.key_points}
    new = {r.point: r.judged_covered for r in after.key_points}
    points = [PointChange(point, old.get(point), covered) for point, covered in new.items()]
    points += [PointChange(point, covered, None) for point, covered in old.items() if point not in new]
    return Comparison(before, after, figures, points)
