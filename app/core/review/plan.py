"""Practice toward an interview date: FSRS decides when each question is due; the plan spreads
them over the days left within a daily load, lighter on easy days.

Each question is an FSRS card (the `fsrs` package, the algorithm Anki uses). Its reviews are
the scored answers, replayed in order, each graded from what the feedback measured: key points
covered and the length against the target (a typed answer by its key points alone). The maximum
interval is the days left, so nothing falls due after the interview; a question FSRS would leave
until after it, whose recall on the day would be below the desired retention, gets a last review
the day before. Questions never practised are spread evenly over the days left. Each day takes
at most the daily load (half of it on an easy day); what does not fit moves to the next day, and
what does not fit before the interview is named with the load that would fit it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from fsrs import Card, Rating, Scheduler

from app.core.packs.library import PackLibrary
from app.core.packs.model import Question
from app.core.ports import HistoryStore
from app.core.records import DEFAULT_DAILY_LOAD, DEFAULT_RETENTION, PlanSettings, ProgressPoint  # noqa: F401  (importable from here too)
from app.core.review.progress import local_day
from app.core.timing import describe_timing

# PlanSettings and its defaults live with the other records (app.core.records).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RATING_WORDS = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}


def parse_easy_days(text: str) -> frozenset[int]:
    """'sat,sun' -> {5, 6}; raises ValueError naming the word it did not know."""
    days = set()
    for word in filter(None, (w.strip().lower()[:3] for w in text.split(","))):
        if word not in WEEKDAYS:
            raise ValueError(f"'{word}' is not a day of the week (use mon, tue, wed, thu, fri, sat, sun)")
        days.add(WEEKDAYS.index(word))
    return frozenset(days)


def rate(point: ProgressPoint) -> Rating:
    """An answer's FSRS grade from its coverage and its timing."""
    timing = 0.0 if point.typed else point.timing_error
    if point.coverage < 0.5 or timing >= 0.3:
        return Rating.Again
    if point.coverage >= 0.999 and timing == 0:
        return Rating.Easy
    if point.coverage >= 0.8 and timing == 0:
        return Rating.Good
    return Rating.Hard


@dataclass(frozen=True)
class PlannedQuestion:
    pack_id: str
    question: Question
    due: date  # when FSRS (or the spread of new questions) wants it
    reason: str
    new: bool = False
    recall_at_interview: float | None = None


@dataclass(frozen=True)
class DayPlan:
    day: date
    capacity: int
    easy: bool
    items: tuple[PlannedQuestion, ...]


@dataclass(frozen=True)
class Plan:
    settings: PlanSettings
    today: date
    days: tuple[DayPlan, ...]
    ready: tuple[PlannedQuestion, ...]  # recall on the day already at the target: no review planned
    overflow: tuple[PlannedQuestion, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def days_left(self) -> int:
        return (self.settings.interview_date - self.today).days

    @property
    def due_today(self) -> tuple[PlannedQuestion, ...]:
        return self.days[0].items if self.days and self.days[0].day == self.today else ()

    def headline(self) -> str:
        when = self.settings.interview_date.strftime("%a %d %b")
        if self.days_left < 0:
            return f"The interview on {when} has passed."
        left = "today" if self.days_left == 0 else "tomorrow" if self.days_left == 1 else f"in {self.days_left} days"
        due = len(self.due_today)
        return (
            f"Interview {left} ({when}): {due} question{'s' if due != 1 else ''} due today, "
            f"{self.settings.daily_load} a day at most; {len(self.ready)} ready."
        )


def _scheduler(settings: PlanSettings, days_left: int) -> Scheduler:
    # No same-day learning steps: an answer is practised once a day at most, as a review.
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=max(1, days_left),
        enable_fuzzing=False,
    )


def _card(scheduler: Scheduler, points: Sequence[ProgressPoint]) -> Card:
    card = Card(card_id=1)
    for point in points:
        card, _ = scheduler.review_card(card, rate(point), point.at)
    return card


def build_plan(
    questions: Sequence[tuple[str, Question]],
    points: Sequence[ProgressPoint],
    settings: PlanSettings,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> Plan:
    """The plan from today to the interview for these (pack id, question) pairs and their answers."""
    now = now or datetime.now(UTC)
    today = now.astimezone(tz).date()
    interview = settings.interview_date
    last_day = max(today, interview - timedelta(days=1))  # practise up to the day before (or today)
    days_left = max(0, (interview - today).days)
    scheduler = _scheduler(settings, days_left)
    on_day = (
        datetime.combine(interview, time(9), tzinfo=tz) if tz else datetime.combine(interview, time(9)).astimezone()
    )
    by_question: dict[tuple[str, str], list[ProgressPoint]] = {}
    for p in points:
        by_question.setdefault((p.pack_id, p.question_id), []).append(p)
    wanted: list[PlannedQuestion] = []
    ready: list[PlannedQuestion] = []
    new: list[tuple[str, Question]] = []
    for pack_id, question in questions:
        history = sorted(by_question.get((pack_id, question.id), []), key=lambda p: (p.at, p.attempt_id))
        if not history:
            new.append((pack_id, question))
            continue
        card = _card(scheduler, history)
        last = history[-1]
        due = local_day(card.due, tz)
        recall = scheduler.get_card_retrievability(card, on_day)
        graded = (
            f"last answer {last.covered_count}/{last.point_count} key points, "
            f"{'typed' if last.typed else describe_timing(last.duration_s, last.target_s)} "
            f"(graded {RATING_WORDS[rate(last)]})"
        )
        if due <= today:
            overdue = (today - due).days
            when = "today" if overdue == 0 else f"{overdue} day{'s' if overdue != 1 else ''} ago"
            wanted.append(
                PlannedQuestion(
                    pack_id, question, today, f"FSRS review due {when}: {graded}", recall_at_interview=recall
                )
            )
        elif due <= last_day:
            wanted.append(
                PlannedQuestion(
                    pack_id, question, due, f"FSRS review due {due:%a %d %b}: {graded}", recall_at_interview=recall
                )
            )
        elif recall < settings.desired_retention:
            wanted.append(
                PlannedQuestion(
                    pack_id,
                    question,
                    last_day,
                    f"a last review before the interview (recall then {recall:.0%} without it): {graded}",
                    recall_at_interview=recall,
                )
            )
        else:
            ready.append(
                PlannedQuestion(
                    pack_id,
                    question,
                    due,
                    f"ready: recall on the day {recall:.0%}; {graded}",
                    recall_at_interview=recall,
                )
            )
    span = (last_day - today).days + 1
    # New questions are spread over the room the reviews leave each day (less on easy days), so they
    # are not all on the first day and do not pile up on a light one.
    room = [
        max(
            0,
            settings.capacity(today + timedelta(days=d)) - sum(1 for w in wanted if w.due == today + timedelta(days=d)),
        )
        for d in range(span)
    ]
    total = sum(room)
    bounds, running = [], 0
    for r in room:
        running += r
        bounds.append(running)
    for i, (pack_id, question) in enumerate(new):
        share = (i + 0.5) * total / len(new) if total >= len(new) else i
        offset = next((d for d, bound in enumerate(bounds) if share < bound), span - 1) if total >= len(new) else 0
        wanted.append(
            PlannedQuestion(
                pack_id,
                question,
                today + timedelta(days=offset),
                "never practised: spread over the days left",
                new=True,
            )
        )
    wanted.sort(
        key=lambda item: (item.due, item.new, item.recall_at_interview if item.recall_at_interview is not None else 1.0)
    )
    days: list[DayPlan] = []
    queue = list(wanted)
    carried: list[PlannedQuestion] = []
    for offset in range(span):
        day = today + timedelta(days=offset)
        arriving = [item for item in queue if item.due == day]
        waiting = carried + arriving
        capacity = settings.capacity(day)
        days.append(DayPlan(day, capacity, day.weekday() in settings.easy_days, tuple(waiting[:capacity])))
        carried = waiting[capacity:]
    notes = []
    if carried:
        total = len(wanted)
        needed = math.ceil(total / max(1, span))
        notes.append(
            f"{len(carried)} question{'s do' if len(carried) != 1 else ' does'} not fit before the interview "
            f"at {settings.daily_load} a day: about {needed} a day would fit them."
        )
    return Plan(settings, today, tuple(days), tuple(ready), tuple(carried), tuple(notes))


class PlanSources(Protocol):
    """What a plan is worked out from: the history and the packs (the application's workspace)."""

    @property
    def history(self) -> HistoryStore: ...

    @property
    def library(self) -> PackLibrary: ...


def interview_plan(workspace: PlanSources, pack_id: str | None, now: datetime | None = None) -> Plan | None:
    """The stored plan of a pack (or of all packs) worked out from today's history; None without a plan."""
    settings = workspace.history.get_plan(pack_id)
    if settings is None:
        return None
    packs = [p for p in workspace.library.packs() if pack_id is None or p.id == pack_id]
    questions = [(p.id, q) for p in packs for q in p.questions]
    return build_plan(questions, workspace.history.progress_points(pack_id=pack_id), settings, now)
