"""Progress over time: the series behind the charts, trends in words, and a summary per pack.

Per question every attempt is a point (length in seconds against that attempt's target band);
over all questions the attempts of a day are averaged (length as a share of each target, so
questions with different targets can share one chart).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.core.records import SCORED_STATUSES, AttemptSummary, ProgressPoint
from app.core.scoring.delivery import TARGET_HIGH, TARGET_LOW
from app.core.timing import describe_timing, timing_error  # noqa: F401  (callers import them from here too)

if TYPE_CHECKING:
    from app.core.packs.model import Pack, Question

TREND_WINDOW = 5


def progress_points(summaries: Iterable[AttemptSummary]) -> list[ProgressPoint]:
    """Scored attempts, oldest first."""
    points = [
        ProgressPoint(
            s.id,
            s.created_at,
            s.pack_id,
            s.question_id,
            s.duration_s,
            s.target_s,
            s.coverage,
            s.words_per_minute,
            s.filler_count,
            s.covered_count,
            s.point_count,
            s.status == "typed",
        )
        for s in summaries
        if s.status in SCORED_STATUSES
    ]
    points.sort(key=lambda p: (p.at, p.attempt_id))
    return points


# -- series ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One chart: x is seconds since the epoch (UTC), y the figure; band the target area if any."""

    key: str
    title: str
    unit: str
    better: str  # "up", "down" or "band": which way is better
    x: list[float]
    y: list[float]  # NaN where the figure is unknown (no pace for a silent answer)
    band_low: list[float] | None = None
    band_high: list[float] | None = None
    ids: list[int] | None = None  # the attempt behind each point (per-question charts)
    typed: list[bool] | None = None  # which points are typed answers (drawn as squares)

    def __len__(self) -> int:
        return len(self.x)


@dataclass(frozen=True)
class Trend:
    key: str
    label: str
    before: float
    after: float
    verdict: str  # "better", "worse", "steady"
    text: str


@dataclass(frozen=True)
class Progress:
    scope: str  # "question" or "all"
    charts: dict[str, Chart]
    trends: list[Trend]
    attempts: int
    days: int
    first: datetime | None = None
    last: datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.attempts == 0


def _epoch(at: datetime) -> float:
    return at.timestamp()


def question_series(points: Sequence[ProgressPoint]) -> Progress:
    """Every attempt of one question as a point."""
    x = [_epoch(p.at) for p in points]
    ids = [p.attempt_id for p in points]
    nan = math.nan
    typed = [p.typed for p in points] if any(p.typed for p in points) else None
    charts = {
        "duration": Chart(
            "duration",
            "Answer length (seconds)",
            "s",
            "band",
            x,
            [nan if p.typed else p.duration_s for p in points],
            [p.target_s * TARGET_LOW if p.target_s else nan for p in points],
            [p.target_s * TARGET_HIGH if p.target_s else nan for p in points],
            ids,
        ),
        "coverage": Chart(
            "coverage", "Key points covered (%)", "%", "up", x, [p.coverage * 100 for p in points], ids=ids, typed=typed
        ),
        "wpm": Chart(
            "wpm",
            "Words per minute",
            "wpm",
            "band",
            x,
            [p.words_per_minute if p.words_per_minute is not None else nan for p in points],
            [PACE_LOW] * len(points),
            [PACE_HIGH] * len(points),
            ids,
        ),
        "fillers": Chart(
            "fillers",
            "Fillers per minute",
            "/min",
            "down",
            x,
            [nan if p.typed else p.fillers_per_minute for p in points],
            ids=ids,
        ),
    }
    return _progress("question", charts, points)


PACE_LOW, PACE_HIGH = 110.0, 170.0  # the pace feedback calls clear (app.core.feedback.figures)


def local_day(at: datetime, tz: tzinfo | None = None) -> date:
    """The date of `at` in `tz` (the machine's zone by default).

    Zone offsets and their changes fall on quarter hours, so every instant of a UTC quarter hour
    has the same local date: one conversion per quarter hour, not per attempt (the Progress page
    asks for 10,000 attempts' days three times, and a zone conversion costs microseconds).
    """
    return _quarter_hour_day(int(at.timestamp() // 900), tz)


@lru_cache(maxsize=1 << 16)
def _quarter_hour_day(quarter: int, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(quarter * 900, UTC).astimezone(tz).date()


def daily_series(points: Sequence[ProgressPoint], tz: tzinfo | None = None) -> Progress:
    """All questions: one point per day with practice, at that day's noon (local time by default)."""
    days: dict[date, list[ProgressPoint]] = defaultdict(list)
    for p in points:
        days[local_day(p.at, tz)].append(p)
    ordered = sorted(days)
    x: list[float] = []
    length: list[float] = []
    coverage: list[float] = []
    wpm: list[float] = []
    fillers: list[float] = []
    for day in ordered:
        group = days[day]
        noon = datetime.combine(day, time(12), tzinfo=tz) if tz else datetime.combine(day, time(12)).astimezone()
        x.append(noon.timestamp())
        ratios = [p.length_ratio for p in group if p.length_ratio is not None]
        length.append(100 * sum(ratios) / len(ratios) if ratios else math.nan)
        coverage.append(100 * sum(p.coverage for p in group) / len(group))
        paces = [p.words_per_minute for p in group if p.words_per_minute is not None]
        wpm.append(sum(paces) / len(paces) if paces else math.nan)
        minutes = sum(p.duration_s for p in group) / 60
        fillers.append(sum(p.filler_count for p in group) / minutes if minutes > 0 else 0.0)
    n = len(x)
    charts = {
        "duration": Chart(
            "duration",
            "Answer length (% of target, daily mean)",
            "%",
            "band",
            x,
            length,
            [TARGET_LOW * 100] * n,
            [TARGET_HIGH * 100] * n,
        ),
        "coverage": Chart("coverage", "Key points covered (%, daily mean)", "%", "up", x, coverage),
        "wpm": Chart("wpm", "Words per minute (daily mean)", "wpm", "band", x, wpm, [PACE_LOW] * n, [PACE_HIGH] * n),
        "fillers": Chart("fillers", "Fillers per minute (daily)", "/min", "down", x, fillers),
    }
    return _progress("all", charts, points, days=n)


def _progress(
    scope: str, charts: dict[str, Chart], points: Sequence[ProgressPoint], days: int | None = None
) -> Progress:
    if days is None:
        days = len({local_day(p.at, None) for p in points})
    return Progress(
        scope=scope,
        charts=charts,
        trends=trends(points),
        attempts=len(points),
        days=days,
        first=points[0].at if points else None,
        last=points[-1].at if points else None,
    )


# -- trends --------------------------------------------------------------------------------------


def _mean(values: Sequence[float | None]) -> float:
    present = [v for v in values if v is not None and not math.isnan(v)]
    return sum(present) / len(present) if present else math.nan


def trends(points: Sequence[ProgressPoint], window: int = TREND_WINDOW) -> list[Trend]:
    """The last `window` attempts against the `window` before them, per figure, in words."""
    k = min(window, len(points) // 2)
    if k < 2:
        return []
    recent, earlier = points[-k:], points[-2 * k : -k]
    out = []

    def add(
        key: str, label: str, values: Callable[[ProgressPoint], float | None], fmt: Callable[[float], str], better: str
    ) -> None:
        before, after = _mean([values(p) for p in earlier]), _mean([values(p) for p in recent])
        if math.isnan(before) or math.isnan(after):
            return
        delta = after - before
        threshold = {"coverage": 5.0, "timing": 5.0, "wpm": 8.0, "fillers": 0.5}[key]
        if abs(delta) < threshold:
            verdict = "steady"
        elif better == "down":
            verdict = "better" if delta < 0 else "worse"
        else:
            verdict = "better" if delta > 0 else "worse"
        words = {"better": "better", "worse": "worse", "steady": "about the same"}[verdict]
        out.append(
            Trend(
                key,
                label,
                before,
                after,
                verdict,
                f"{label}: {fmt(before)} → {fmt(after)} ({words}; last {k} answers against the {k} before)",
            )
        )

    add("coverage", "Key points covered", lambda p: p.coverage * 100, lambda v: f"{v:.0f}%", "up")
    add("timing", "Time outside the target band", lambda p: p.timing_error * 100, lambda v: f"{v:.0f}%", "down")
    add("fillers", "Fillers per minute", lambda p: p.fillers_per_minute, lambda v: f"{v:.1f}", "down")
    pace = [p for p in points if p.words_per_minute is not None]
    if len(pace) >= 4:
        before, after = _mean([p.words_per_minute for p in earlier]), _mean([p.words_per_minute for p in recent])
        if not (math.isnan(before) or math.isnan(after)):

            def distance(v: float) -> float:
                return 0.0 if PACE_LOW <= v <= PACE_HIGH else min(abs(v - PACE_LOW), abs(v - PACE_HIGH))

            change = distance(before) - distance(after)
            verdict = (
                "steady"
                if abs(change) < 8 and abs(after - before) < 8
                else ("better" if change > 0 else "worse" if change < 0 else "steady")
            )
            words = {
                "better": "closer to a clear pace",
                "worse": "further from a clear pace",
                "steady": "about the same",
            }[verdict]
            out.append(Trend("wpm", "Pace", before, after, verdict, f"Pace: {before:.0f} → {after:.0f} wpm ({words})"))
    return out


# -- pack summary ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekTotal:
    week_start: date  # Monday
    attempts: int
    seconds: float


@dataclass(frozen=True)
class PackSummary:
    pack_id: str
    title: str
    questions: int
    practised: int
    never_practised: list[Question]
    weakest: list[tuple[Question, str]]  # question, why it is weak
    streak_days: int  # consecutive days with practice, ending today (or yesterday)
    practised_today: bool
    weeks: list[WeekTotal]  # oldest first, including weeks without practice
    total_attempts: int
    total_seconds: float


def streak(days: Iterable[date], today: date) -> tuple[int, bool]:
    """Days in a row with practice up to today; yesterday still counts, so the streak is not lost before bedtime."""
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    count = 0
    while day in practised:
        count += 1
        day -= timedelta(days=1)
    return count, today in practised


def weekly_totals(
    points: Sequence[ProgressPoint], today: date, weeks: int = 8, tz: tzinfo | None = None
) -> list[WeekTotal]:
    this_monday = today - timedelta(days=today.weekday())
    starts = [this_monday - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)]
    totals = {start: [0, 0.0] for start in starts}
    for p in points:
        day = local_day(p.at, tz)
        monday = day - timedelta(days=day.weekday())
        if monday in totals:
            totals[monday][0] += 1
            totals[monday][1] += p.duration_s
    return [WeekTotal(start, int(totals[start][0]), float(totals[start][1])) for start in starts]


def pack_summary(
    pack: Pack, points: Sequence[ProgressPoint], now: datetime | None = None, tz: tzinfo | None = None, weakest: int = 3
) -> PackSummary:
    """Questions never practised, the weakest ones (with why), the streak and practice time per week."""
    from app.core.review.scheduler import schedule

    now = now or datetime.now(UTC)
    today = now.astimezone(tz).date()
    mine = [p for p in points if p.pack_id == pack.id]
    known = {q.id for q in pack.questions}
    practised_ids = {p.question_id for p in mine if p.question_id in known}
    picks = [pick for pick in schedule(pack, mine, now, tz) if pick.state.reviews]
    picks.sort(key=lambda pick: (pick.state.last_score, pick.question.id))
    day_list = {local_day(p.at, tz) for p in mine}
    streak_days, today_done = streak(day_list, today)
    return PackSummary(
        pack_id=pack.id,
        title=pack.title,
        questions=len(pack.questions),
        practised=len(practised_ids),
        never_practised=[q for q in pack.questions if q.id not in practised_ids],
        weakest=[(pick.question, pick.weakness) for pick in picks[:weakest] if pick.state.last_score < 0.8],
        streak_days=streak_days,
        practised_today=today_done,
        weeks=weekly_totals(mine, today, tz=tz),
        total_attempts=len(mine),
        total_seconds=sum(p.duration_s for p in mine),
    )


# -- voice, hedges and shape (issue 18) ---------------------------------------------------------
# key -> (title, unit, better, the figure in History.delivery_figures). Attempts saved before these
# were measured have no figures: NaN, a gap in the line.
MANNER_CHARTS = {
    "pitch": ("Pitch variation (semitones)", "st", "up", "pitch_variation_st"),
    "trailing": ("Sentence ends that trail off", "", "down", "trailing_count"),
    "pace_change": ("Pace in the last third (% vs before)", "%", "band", "rate_change"),
    "hedges": ("Hedges per minute", "/min", "down", "hedges_per_minute"),
    "first_point": ("First key point (seconds in)", "s", "down", "first_point_s"),
}
PACE_CHANGE_BAND = (-20.0, 25.0)  # what voice.SLOWING_RATIO / RUSHING_RATIO call steady


def _manner_value(key: str, figures: Mapping[str, Any] | None) -> float:
    value = None if figures is None else figures.get(MANNER_CHARTS[key][3])
    if value is None:
        return math.nan
    return (float(value) - 1) * 100 if key == "pace_change" else float(value)


def with_manner(
    progress: Progress,
    points: Sequence[ProgressPoint],
    figures: Mapping[int, Mapping[str, Any]],
    tz: tzinfo | None = None,
) -> Progress:
    """`progress` with a chart for each voice/hedge/shape figure: one point per attempt for a
    question, daily means (at the same noons as daily_series) over many questions."""
    charts = dict(progress.charts)
    if progress.scope == "question":
        x, ids = [_epoch(p.at) for p in points], [p.attempt_id for p in points]
        columns = {key: [_manner_value(key, figures.get(p.attempt_id)) for p in points] for key in MANNER_CHARTS}
    else:
        days: dict[date, list[ProgressPoint]] = defaultdict(list)
        for p in points:
            days[local_day(p.at, tz)].append(p)
        x, ids = [], None
        columns = {key: [] for key in MANNER_CHARTS}
        for day in sorted(days):
            noon = datetime.combine(day, time(12), tzinfo=tz) if tz else datetime.combine(day, time(12)).astimezone()
            x.append(noon.timestamp())
            for key in MANNER_CHARTS:
                columns[key].append(_mean([_manner_value(key, figures.get(p.attempt_id)) for p in days[day]]))
    daily = "" if progress.scope == "question" else " (daily mean)"
    for key, (title, unit, better, _field) in MANNER_CHARTS.items():
        band = (
            ([PACE_CHANGE_BAND[0]] * len(x), [PACE_CHANGE_BAND[1]] * len(x)) if key == "pace_change" else (None, None)
        )
        charts[key] = Chart(key, title + daily, unit, better, x, columns[key], band[0], band[1], ids)
    return replace(progress, charts=charts)
