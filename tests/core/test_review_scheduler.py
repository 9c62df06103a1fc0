"""Weakest first: grades, Anki-like intervals, the order of a round and the reasons given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.packs import KeyPoint, Pack, Question
from app.core.review.progress import ProgressPoint, progress_points
from app.core.review.scheduler import Order, card_state, grade, next_question, schedule
from app.db.history import History
from tests.core.test_review_seeding import T0, save


def point(
    question_id: str, at: datetime, coverage: float, duration_s: float = 50.0, target_s: float = 60.0, points: int = 4
) -> ProgressPoint:
    return ProgressPoint(
        0, at, "p", question_id, duration_s, target_s, coverage, 140.0, 0, round(coverage * points), points
    )


def test_grades_from_coverage_and_timing() -> None:
    assert grade(0.8, 0.0) == "good"
    assert grade(1.0, 0.05) == "hard", "a little outside the band is not good"
    assert grade(0.6, 0.0) == "hard"
    assert grade(0.49, 0.0) == "poor"
    assert grade(1.0, 0.3) == "poor", "far too long (or short) is poor whatever was covered"


def test_good_answers_grow_the_interval_and_a_poor_one_resets_it() -> None:
    day = timedelta(days=1)
    s1 = card_state("q", [point("q", T0, 1.0)])
    assert (s1.interval_days, s1.due_at) == (1.0, T0 + day)
    s2 = card_state("q", [point("q", T0, 1.0), point("q", T0 + day, 1.0)])
    assert s2.interval_days == pytest.approx(2.55)
    s3 = card_state("q", [point("q", T0, 1.0), point("q", T0 + day, 1.0), point("q", T0 + 4 * day, 0.9)])
    assert s3.interval_days == pytest.approx(2.55 * 2.6)
    assert s3.ease == pytest.approx(2.65)
    lapsed = card_state("q", [point("q", T0, 1.0), point("q", T0 + day, 1.0), point("q", T0 + 4 * day, 0.25)])
    assert lapsed.interval_days == 0 and lapsed.due_at == T0 + 4 * day and lapsed.lapses == 1
    assert lapsed.ease == pytest.approx(2.4)
    relearned = card_state(
        "q",
        [
            *[point("q", T0 + d * day, c) for d, c in ((0, 1.0), (1, 1.0), (4, 0.25))],
            point("q", T0 + 4 * day + timedelta(hours=1), 1.0),
        ],
    )
    assert relearned.interval_days == 1.0, "after a reset, a good answer starts again at one day"


def test_practising_before_the_due_date_does_not_grow_the_interval() -> None:
    crammed = card_state("q", [point("q", T0 + timedelta(minutes=m), 1.0) for m in (0, 5, 10, 15)])
    assert crammed.interval_days == 1.0 and crammed.reviews == 4


def test_hard_answers_keep_the_interval_short() -> None:
    state = card_state("q", [point("q", T0, 1.0), point("q", T0 + timedelta(days=1), 0.6)])
    assert state.interval_days == pytest.approx(1.2) and state.last_grade == "hard"
    assert state.ease == pytest.approx(2.4)


def _pack(*ids: str) -> Pack:
    return Pack(
        "p", "P", tuple(Question(i, f"Question {i}?", tuple(KeyPoint(f"{i} point {n}") for n in range(4))) for i in ids)
    )


def test_round_order_weak_then_new_then_due_then_the_rest() -> None:
    pack = _pack("fine", "new", "weak", "due", "weaker")
    now = T0 + timedelta(days=10)
    history = [
        point("fine", now - timedelta(hours=5), 1.0),  # good today: due tomorrow
        point("due", now - timedelta(days=3), 1.0),  # good 3 days ago: due since 2 days
        point("weak", now - timedelta(days=2), 0.5, duration_s=100),  # 167 % of target: poor
        point("weaker", now - timedelta(days=1), 0.25),  # 1 of 4 points: poor
    ]
    picks = schedule(pack, history, now, tz=UTC)
    # weak: 2 of 4 points but 67 % over time scores 0.5 - 0.5; weaker: 1 of 4 on time scores 0.25
    assert [p.question.id for p in picks] == ["weak", "weaker", "new", "due", "fine"]
    assert [p.tier for p in picks] == [0, 0, 1, 2, 3]
    reasons = [p.reason for p in picks]
    assert reasons[0].startswith(
        "Weak last time (2 days ago): covered 2 of 4 key points (50%) and ran 67% over the target."
    )
    assert reasons[1].startswith("Weak last time (yesterday): covered 1 of 4 key points (25%) and on target.")
    assert reasons[2] == "Never practised; comes after the questions answered weakly."
    assert reasons[3].startswith("Due for review: practised 3 days ago, interval 1 day, overdue by 2 days.")
    assert reasons[4].startswith("Not due until Fri 13 Mar (interval 1 day after a good answer 5 hours ago)")
    assert [p.short for p in picks] == [
        "Weak last time: 2/4 points, ran 67% over",
        "Weak last time: 1/4 points, on target",
        "Never practised",
        "Due (overdue by 2 days); last: 4/4 points, on target",
        "Not due until Fri 13 Mar",
    ]
    assert next_question(pack, history, now, tz=UTC).question.id == "weak"


def test_a_short_answer_short_of_good_ranks_above_questions_never_practised() -> None:
    """The reported case: 4 of 6 points, too short (hard, not poor), practised an hour ago, in a pack of 40
    with 36 questions never practised. It used to rank 40th of 40; now it comes first."""
    ids = [f"q{n:02d}" for n in range(40)]
    pack = _pack(*ids)
    now = T0 + timedelta(days=10)
    history = [
        point("q05", now - timedelta(hours=1), 4 / 6, duration_s=27, target_s=60, points=6),  # 45 % of target
        point("q01", now - timedelta(hours=2), 1.0),  # good: not due until tomorrow
        point("q02", now - timedelta(days=3), 1.0),  # good, due
        point("q03", now - timedelta(hours=3), 1.0),
    ]
    assert card_state("q05", history[:1]).last_grade == "hard", "the case is a hard answer, not a poor one"
    picks = schedule(pack, history, now, tz=UTC)
    order = [p.question.id for p in picks]
    assert order[0] == "q05"
    never = [q for q in ids if q not in ("q01", "q02", "q03", "q05")]
    assert order[1:37] == never and order[37:] == ["q02", "q03", "q01"]
    first = picks[0]
    assert first.tier == 0 and first.short == "Not yet good: 4/6 points, 45% of target"
    assert first.reason == (
        "Not yet good last time (1 hour ago): covered 4 of 6 key points (67%) and stopped at 45% of the target; "
        "a good answer covers 80% of the key points in 60-110% of the target time. Practising a weak answer "
        "again helps most, so it comes before questions never practised."
    )

    unseen = schedule(pack, history, now, tz=UTC, order=Order.UNSEEN_FIRST)
    assert [p.question.id for p in unseen] == [*never, "q05", "q02", "q03", "q01"]
    assert (
        unseen[0].reason
        == "Never practised; questions never practised come first (you chose \u201cUnseen first\u201d)."
    )
    assert unseen[36].reason.endswith("so it comes right after the questions never practised.")
    assert next_question(pack, history, now, order=Order.UNSEEN_FIRST).question.id == "q00"


def test_poor_answers_come_before_answers_short_of_good() -> None:
    pack = _pack("hard", "poor", "new")
    now = T0 + timedelta(days=10)
    history = [
        point("hard", now - timedelta(hours=1), 0.5, duration_s=30),  # 2/4, 50 % of target: score 0.4
        point("poor", now - timedelta(hours=2), 0.25),
    ]  # 1/4 on target: score 0.25
    assert [p.question.id for p in schedule(pack, history, now)] == ["poor", "hard", "new"]
    history[1] = point("poor", now - timedelta(hours=2), 0.75, duration_s=140)  # 3/4, far too long: poor, score 0.25
    history[0] = point("hard", now - timedelta(hours=1), 0.5, duration_s=50)  # 2/4 on target: hard, score 0.5
    assert [p.question.id for p in schedule(pack, history, now)] == ["poor", "hard", "new"]


def test_the_most_overdue_comes_first_among_due_questions() -> None:
    pack = _pack("a", "b")
    now = T0 + timedelta(days=30)
    history = [point("a", now - timedelta(days=3), 1.0), point("b", now - timedelta(days=9), 1.0)]
    assert [p.question.id for p in schedule(pack, history, now)] == ["b", "a"]


def test_a_weak_answer_sends_the_question_to_the_front_after_a_practice_round(history: History, demo: Pack) -> None:  # noqa: F811
    """From the real database: answer both questions well, then one badly."""
    shap, tell = demo.question("shap-and-lime"), demo.question("tell-me")
    save(history, demo, shap, T0, duration_s=40, covered=[True, True, True])
    save(history, demo, tell, T0 + timedelta(minutes=5), duration_s=50, covered=[True])
    now = T0 + timedelta(days=3)
    order = [p.question.id for p in schedule(demo, progress_points(history.attempt_summaries()), now)]
    assert order == ["shap-and-lime", "tell-me"], "both due, shap more overdue"
    save(history, demo, tell, now - timedelta(hours=1), duration_s=50, covered=[False])
    picks = schedule(demo, progress_points(history.attempt_summaries()), now)
    assert [p.question.id for p in picks] == ["tell-me", "shap-and-lime"]
    assert picks[0].reason.startswith("Weak last time (1 hour ago): covered 0 of 1 key points (0%) and on target.")
