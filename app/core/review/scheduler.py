"""Weakest first: which question to practise next, and why, in the spirit of spaced repetition.

Each question is a card. Every scored attempt grades it from what the feedback measured:

- good: at least 80 % of the key points, and the length inside the target band (60-110 %);
- poor: under half of the key points, or the length far outside the band (30 % of the
  target or more beyond its edge);
- hard: anything between.

As in Anki, a good answer makes the interval until the next review grow (1 day, then times
the ease, 2.5 to start); a hard answer keeps it short and lowers the ease; a poor answer resets
it, so the question is due again at once. Practising a card before it is due does not grow
its interval: cramming the same question five times in an evening is not five reviews.

The order of a round: questions whose last answer was weak (poor or hard: anything short of
good, poor before hard, weakest first), then questions never practised (in pack order), then
the other due questions (most overdue first), then the rest by when they fall due. A weak
answer comes before an unseen question because practising it again is what helps most: a
4-of-6 answer that was too short is not left behind dozens of questions never tried. With
`Order.UNSEEN_FIRST` (the person's choice) the never-practised questions come first instead.
Each pick carries a sentence that says why it is where it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import Enum

from app.core.packs.model import Pack, Question
from app.core.records import ProgressPoint
from app.core.timing import describe_timing

GOOD_COVERAGE = 0.8
POOR_COVERAGE = 0.5
POOR_TIMING_ERROR = 0.3
START_EASE = 2.5
MIN_EASE = 1.3
MAX_EASE = 3.0
FIRST_INTERVAL_DAYS = 1.0
HARD_FACTOR = 1.2


class Order(str, Enum):
    """Which comes first in a weakest-first round: answers that were weak, or questions never tried."""

    WEAK_FIRST = "weak-first"
    UNSEEN_FIRST = "unseen-first"


def grade(coverage: float, timing_error: float) -> str:
    if coverage < POOR_COVERAGE or timing_error >= POOR_TIMING_ERROR:
        return "poor"
    if coverage >= GOOD_COVERAGE and timing_error == 0:
        return "good"
    return "hard"


def score(coverage: float, timing_error: float) -> float:
    """One number for ordering the weak: coverage, less up to half for timing."""
    return coverage - min(0.5, timing_error)


@dataclass(frozen=True)
class CardState:
    question_id: str
    reviews: int = 0
    lapses: int = 0  # poor answers
    ease: float = START_EASE
    interval_days: float = 0.0
    last_at: datetime | None = None
    due_at: datetime | None = None
    last_grade: str | None = None
    last_coverage: float = 0.0
    last_covered: int = 0
    last_points: int = 0
    last_duration_s: float = 0.0
    last_target_s: float | None = None
    last_score: float = 0.0


def card_state(question_id: str, attempts: Sequence[ProgressPoint]) -> CardState:
    """Replay the attempts of one question (oldest first) through the interval rules.

    The state is carried in locals and frozen once at the end: a question with hundreds of
    attempts would otherwise build hundreds of CardStates nobody reads.
    """
    if not attempts:
        return CardState(question_id)
    interval, ease, lapses = 0.0, START_EASE, 0
    due_at: datetime | None = None
    g = ""
    for attempt in attempts:
        g = grade(attempt.coverage, attempt.timing_error)
        early = due_at is not None and attempt.at < due_at
        if g == "poor":
            interval, ease, lapses = 0.0, max(MIN_EASE, ease - 0.2), lapses + 1
        elif g == "hard":
            interval = max(FIRST_INTERVAL_DAYS, interval if early else interval * HARD_FACTOR)
            ease = max(MIN_EASE, ease - 0.15)
        else:
            if interval <= 0:
                interval = FIRST_INTERVAL_DAYS
            elif not early:
                interval = interval * ease
            ease = min(MAX_EASE, ease + 0.05)
        due_at = attempt.at + timedelta(days=interval)
    last = attempts[-1]
    return CardState(
        question_id=question_id,
        reviews=len(attempts),
        lapses=lapses,
        ease=ease,
        interval_days=interval,
        last_at=last.at,
        due_at=due_at,
        last_grade=g,
        last_coverage=last.coverage,
        last_covered=last.covered_count,
        last_points=last.point_count,
        last_duration_s=last.duration_s,
        last_target_s=last.target_s,
        last_score=score(last.coverage, last.timing_error),
    )


@dataclass(frozen=True)
class Pick:
    question: Question
    state: CardState
    tier: int  # 0 weak last time (poor or hard), 1 new, 2 due after a good answer, 3 not due yet
    reason: str  # why it is in this place of the round
    weakness: str  # what was weak about the last answer ("" for new questions)
    short: str = ""  # the reason in a few words, for a table cell


def _ago(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    if days < 1 / 24:
        return "just now"
    if days < 1:
        hours = round(days * 24)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    whole = round(days)
    return "yesterday" if whole == 1 else f"{whole} days ago"


def _interval(days: float) -> str:
    if days < 1.5:
        return "1 day"
    return f"{days:.0f} days"


def _last_answer(state: CardState, points: int) -> str:
    covered = state.last_covered
    if state.last_points:
        points = state.last_points
    else:  # figures from before counts were kept: estimate from the share
        covered = round(state.last_coverage * points)
    timing = describe_timing(state.last_duration_s, state.last_target_s)
    return f"covered {covered} of {points} key points ({state.last_coverage:.0%}) and {timing}"


def _brief(state: CardState) -> str:
    points = (
        f"{state.last_covered}/{state.last_points} points"
        if state.last_points
        else f"{state.last_coverage:.0%} of points"
    )
    timing = describe_timing(state.last_duration_s, state.last_target_s)
    timing = timing.replace("stopped at ", "").replace(" of the target", " of target").replace(" the target", "")
    return f"{points}, {timing}"


def _pick(question: Question, state: CardState, now: datetime, tz: tzinfo | None, order: Order) -> Pick:
    points = len(question.key_points)
    unseen_first = order is Order.UNSEEN_FIRST
    if state.reviews == 0:
        if unseen_first:
            return Pick(
                question,
                state,
                1,
                "Never practised; questions never practised come first (you chose \u201cUnseen first\u201d).",
                "",
                "Never practised",
            )
        return Pick(
            question, state, 1, "Never practised; comes after the questions answered weakly.", "", "Never practised"
        )
    assert state.last_at is not None and state.due_at is not None
    last = _last_answer(state, points)
    weakness = f"Last answer {last}."
    ago = _ago(now - state.last_at)
    place = "right after the questions never practised" if unseen_first else "before questions never practised"
    if state.last_grade == "poor":
        reason = (
            f"Weak last time ({ago}): {last}. A weak answer resets the interval, so it comes "
            f"{'first' if not unseen_first else place} "
            f"({state.lapses} weak answer{'s' if state.lapses != 1 else ''} so far)."
        )
        return Pick(question, state, 0, reason, weakness, f"Weak last time: {_brief(state)}")
    if state.last_grade == "hard":
        reason = (
            f"Not yet good last time ({ago}): {last}; a good answer covers {GOOD_COVERAGE:.0%} of the key "
            f"points in 60-110% of the target time. Practising a weak answer again helps most, so it comes {place}."
        )
        return Pick(question, state, 0, reason, weakness, f"Not yet good: {_brief(state)}")
    if state.due_at <= now:
        overdue = now - state.due_at
        late = round(overdue.total_seconds() / 86400)
        due_text = "due today" if late < 1 else f"overdue by {late} day{'s' if late != 1 else ''}"
        reason = (
            f"Due for review: practised {ago}, interval {_interval(state.interval_days)}, {due_text}. "
            f"Last answer {last}."
        )
        return Pick(question, state, 2, reason, weakness, f"Due ({due_text}); last: {_brief(state)}")
    when = state.due_at.astimezone(tz)
    reason = (
        f"Not due until {when:%a %d %b} (interval {_interval(state.interval_days)} after a "
        f"{state.last_grade} answer {ago}); in the round because everything due comes first."
    )
    return Pick(question, state, 3, reason, weakness, f"Not due until {when:%a %d %b}")


def schedule(
    pack: Pack,
    points: Iterable[ProgressPoint],
    now: datetime | None = None,
    tz: tzinfo | None = None,
    order: Order = Order.WEAK_FIRST,
) -> list[Pick]:
    """Every question of the pack in the order to practise them, each with its reason."""
    now = now or datetime.now(UTC)
    by_question: dict[str, list[ProgressPoint]] = defaultdict(list)
    for p in points:
        if p.pack_id == pack.id and p.at <= now:
            by_question[p.question_id].append(p)
    picks = []
    for position, question in enumerate(pack.questions):
        attempts = sorted(by_question.get(question.id, []), key=lambda p: (p.at, p.attempt_id))
        picks.append((position, _pick(question, card_state(question.id, attempts), now, tz, order)))

    def key(item: tuple[int, Pick]) -> tuple[float, ...]:
        position, pick = item
        s = pick.state
        if pick.tier == 0:  # poor before hard, then the weakest
            rank = 1 if order is Order.UNSEEN_FIRST else 0
            return (rank, s.last_grade != "poor", s.last_score, s.last_at.timestamp() if s.last_at else 0, position)
        if pick.tier == 1:
            return (0 if order is Order.UNSEEN_FIRST else 1, position)
        if pick.tier == 2:
            overdue = (now - s.due_at).total_seconds() / 86400 if s.due_at else 0
            return (2, -overdue / max(s.interval_days, 1.0), s.last_score, position)
        return (3, s.due_at.timestamp() if s.due_at else 0, position)

    return [pick for _, pick in sorted(picks, key=key)]


def next_question(
    pack: Pack,
    points: Iterable[ProgressPoint],
    now: datetime | None = None,
    tz: tzinfo | None = None,
    order: Order = Order.WEAK_FIRST,
) -> Pick | None:
    picks = schedule(pack, points, now, tz, order)
    return picks[0] if picks else None
