"""Practice toward an interview date (issue 19, part 1): FSRS cards from graded answers, spread over the
days left within the daily load, easy days lighter; stored plans; `rehearse plan`."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from app.core.packs import load_pack
from app.core.review.plan import PlanSettings, build_plan, parse_easy_days, rate
from app.core.review.progress import ProgressPoint
from app.db.history import History
from tests.conftest import run_cli

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # a Tuesday


def behavioural():
    pack = load_pack(QUESTIONS / "behavioural-core.yaml")
    return pack, [(pack.id, q) for q in pack.questions]


def answer(
    question_id: str, at: datetime, coverage: float, duration: float = 80.0, target: float = 90.0, attempt_id: int = 1
) -> ProgressPoint:
    return ProgressPoint(
        attempt_id, at, "behavioural-core", question_id, duration, target, coverage, 140.0, 0, round(coverage * 6), 6
    )


def test_grades_come_from_coverage_and_timing() -> None:
    assert rate(answer("q", NOW, 1.0)) == Rating.Easy
    assert rate(answer("q", NOW, 5 / 6)) == Rating.Good
    assert rate(answer("q", NOW, 5 / 6, duration=20)) == Rating.Again  # a fifth of the target: far too short
    assert rate(answer("q", NOW, 4 / 6)) == Rating.Hard
    assert rate(answer("q", NOW, 2 / 6)) == Rating.Again
    assert rate(answer("q", NOW, 1.0)._replace(typed=True, duration_s=0.0, target_s=None)) == Rating.Easy


def test_new_questions_are_spread_within_the_daily_load_and_easy_days() -> None:
    pack, questions = behavioural()
    settings = PlanSettings(date(2026, 12, 7), pack.id, daily_load=4, easy_days=parse_easy_days("sat,sun"))
    plan = build_plan(questions, [], settings, NOW, UTC)
    assert [d.day for d in plan.days] == [date(2026, 12, 1) + timedelta(days=i) for i in range(6)]
    assert [d.capacity for d in plan.days] == [4, 4, 4, 4, 2, 2]  # Sat 5 and Sun 6 are easy: half the load
    planned = [i.question.id for d in plan.days for i in d.items]
    assert sorted(planned) == sorted(q.id for _, q in questions) and len(planned) == 16, "each question once"
    assert all(len(d.items) <= d.capacity for d in plan.days)
    # Spread over the room each day has (16 over 20 places): not all at the start, easy days lighter.
    counts = [len(d.items) for d in plan.days]
    assert all(3 <= n <= 4 for n in counts[:4]) and all(1 <= n <= 2 for n in counts[4:]) and not plan.notes, counts
    assert plan.headline().startswith("Interview in 6 days (Mon 07 Dec): 3 questions due today")


def test_fsrs_decides_what_is_due_and_says_why() -> None:
    pack, questions = behavioural()
    weak, strong = questions[0][1].id, questions[1][1].id
    points = [
        answer(weak, NOW - timedelta(days=2), 2 / 6, attempt_id=1),
        answer(strong, NOW - timedelta(hours=2), 1.0, attempt_id=2),
    ]
    settings = PlanSettings(date(2026, 12, 12), pack.id, daily_load=20)
    plan = build_plan(questions[:2], points, settings, NOW, UTC)
    (today,) = [i for i in plan.due_today if i.question.id == weak]
    assert (
        today.reason.startswith("FSRS review due")
        and "2/6 key points" in today.reason
        and "graded again" in today.reason
    )
    assert strong not in [i.question.id for i in plan.due_today], "an easy answer two hours ago is not due today"
    later = [i for d in plan.days for i in d.items if i.question.id == strong] + [
        i for i in plan.ready if i.question.id == strong
    ]
    assert len(later) == 1 and "graded easy" in later[0].reason

    # The interview is tomorrow: nothing can fall due after it, so the strong answer gets its last review
    # today or is ready (recall on the day at the target).
    close = build_plan(questions[:2], points, PlanSettings(date(2026, 12, 2), pack.id), NOW, UTC)
    assert len(close.days) == 1
    everything = [i.question.id for i in close.days[0].items] + [i.question.id for i in close.ready]
    assert sorted(everything) == sorted([weak, strong])


def test_what_does_not_fit_is_named_with_the_load_that_would() -> None:
    pack, questions = behavioural()
    plan = build_plan(questions[:6], [], PlanSettings(date(2026, 12, 3), pack.id, daily_load=1), NOW, UTC)
    assert [len(d.items) for d in plan.days] == [1, 1] and len(plan.overflow) == 4
    assert plan.notes == ("4 questions do not fit before the interview at 1 a day: about 3 a day would fit them.",)


def test_plans_are_stored_per_pack_and_for_all(data_dir) -> None:
    history = History.open(data_dir)
    try:
        assert history.get_plan("behavioural-core") is None
        mine = PlanSettings(date(2026, 12, 10), "behavioural-core", 3, frozenset({5, 6}))
        history.set_plan(mine)
        history.set_plan(PlanSettings(date(2026, 12, 20), None, 8))
        assert history.get_plan("behavioural-core") == mine
        history.set_plan(PlanSettings(date(2026, 12, 11), "behavioural-core", 6))
        assert history.get_plan("behavioural-core").daily_load == 6
        assert history.get_plan(None).interview_date == date(2026, 12, 20)
        assert history.clear_plan("behavioural-core") and history.get_plan("behavioural-core") is None
    finally:
        history.close()


def test_rehearse_plan_sets_changes_and_shows_the_plan() -> None:
    when = (date.today() + timedelta(days=4)).isoformat()
    result = run_cli(
        "plan", "--pack", "behavioural-core", "--date", when, "--load", "3", "--easy-days", "sat,sun", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["interview_date"] == when and data["daily_load"] == 3 and data["easy_days"] == [5, 6]
    assert len(data["days"][0]["questions"]) <= data["days"][0]["capacity"] <= 3
    result = run_cli("plan", "--pack", "behavioural-core", "--load", "5")
    assert result.returncode == 0 and "5 a day at most" in result.stdout.splitlines()[0]
    bad = run_cli("plan", "--pack", "behavioural-core", "--easy-days", "caturday")
    assert bad.returncode == 2 and "'cat' is not a day of the week" in bad.stderr
    none = run_cli("plan")
    assert none.returncode == 2 and "no plan for all packs yet" in none.stderr
