"""The records the core works with: attempts as history returns them, bookmarks, per-question stats,
progress points.

They live in the core, not beside the database code, so that core rules (progress, scheduling,
comparison, export) and the services can use them without importing `app.db`: the SQLite adapter
(`app.db.history`) builds them, the core only reads them (see `app.core.ports.HistoryStore`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from app.core.packs.model import Question
from app.core.scoring.delivery import Delivery
from app.core.scoring.keypoints import PointResult
from app.core.timing import timing_error
from app.core.transcribe.transcript import Transcript

DEFAULT_DAILY_LOAD = 5
DEFAULT_RETENTION = 0.9

# Attempts that were never transcribed have no figures worth plotting; a typed answer has its key
# points but no delivery figures (marked on the charts).
SCORED_STATUSES = frozenset({"complete", "recovered", "typed"})


class AttemptSummary(NamedTuple):
    """An attempt's figures without its transcript: one row of the history table.

    A named tuple, not a frozen dataclass: the history view makes ten thousand at a time, and a
    tuple is built in one C call where a frozen dataclass sets each of its 20 fields in Python.
    """

    id: int
    created_at: datetime
    pack_id: str
    pack_title: str
    question_id: str
    question_text: str
    category: str | None
    status: str
    duration_s: float
    target_s: float | None
    speech_start_s: float | None
    words_per_minute: float | None
    filler_count: int
    long_pause_count: int
    coverage: float
    covered_count: int
    point_count: int
    audio_file: str | None  # absolute; `audio_path` makes the Path when asked
    note: str | None
    session_id: int | None

    @property
    def audio_path(self) -> Path | None:
        return Path(self.audio_file) if self.audio_file else None

    @property
    def has_audio(self) -> bool:
        path = self.audio_path
        return path is not None and path.exists()


@dataclass(frozen=True)
class Bookmark:
    """A moment of a recording the person marked, with their note."""

    id: int
    attempt_id: int
    at_s: float
    note: str
    created_at: datetime


@dataclass(frozen=True)
class AttemptDetail:
    summary: AttemptSummary
    question: Question
    transcript: Transcript
    delivery: Delivery
    key_points: list[PointResult]
    settings: dict[str, Any]
    parent_attempt_id: int | None = None  # a follow-up: the answer it followed
    bookmarks: tuple[Bookmark, ...] = ()  # in time order


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    attempts: int
    last_coverage: float | None
    last_duration_s: float | None
    last_practised: datetime | None
    best_coverage: float | None


@dataclass(frozen=True)
class PlanSettings:
    """An interview date plan as the person set it (app.core.review.plan works it out)."""

    interview_date: date
    pack_id: str | None = None  # None: every pack
    daily_load: int = DEFAULT_DAILY_LOAD
    easy_days: frozenset[int] = frozenset()  # weekday numbers, Monday 0
    desired_retention: float = DEFAULT_RETENTION

    def capacity(self, day: date) -> int:
        """Questions that day: the daily load, half of it (at least one) on an easy day."""
        return max(1, self.daily_load // 2) if day.weekday() in self.easy_days else self.daily_load


class ProgressPoint(NamedTuple):
    """One scored attempt, reduced to what the charts and the scheduler need.

    A named tuple for the same reason as AttemptSummary: the charts read ten thousand at a time.
    """

    attempt_id: int
    at: datetime
    pack_id: str
    question_id: str
    duration_s: float
    target_s: float | None
    coverage: float
    words_per_minute: float | None
    filler_count: int
    covered_count: int = 0
    point_count: int = 0
    typed: bool = False  # typed, not spoken: no length, pace or fillers

    @property
    def length_ratio(self) -> float | None:
        return self.duration_s / self.target_s if self.target_s else None

    @property
    def fillers_per_minute(self) -> float:
        return self.filler_count / (self.duration_s / 60) if self.duration_s > 0 else 0.0

    @property
    def timing_error(self) -> float:
        return timing_error(self.duration_s, self.target_s)
