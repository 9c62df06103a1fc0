"""Progress series, trends and the pack summary from a seeded history in a real SQLite file."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, timedelta

import pytest

from app.core.packs import KeyPoint, Pack, Question
from app.core.review.progress import daily_series, pack_summary, progress_points, question_series, streak, timing_error
from app.db.history import History
from tests.core.test_review_seeding import T0, save

# (day, duration_s, covered, fillers) for shap-and-lime (target 45 s, three key points).
SHAP = [
    (0, 70.0, [False, False, True], 3),
    (1, 60.0, [True, False, False], 2),
    (2, 50.0, [True, True, False], 2),
    (3, 42.0, [True, True, False], 1),
    (4, 40.0, [True, True, True], 0),
    (5, 38.0, [True, True, True], 0),
]


def answer(fillers: int) -> str:
    return " ".join(
        ["um, so"] * fillers + ["SHAP uses Shapley values and LIME fits a local surrogate model around one prediction"]
    )


@pytest.fixture
def seeded(history: History, demo: Pack) -> History:  # noqa: F811
    shap, tell = demo.question("shap-and-lime"), demo.question("tell-me")
    for day, duration, covered, fillers in SHAP:
        save(history, demo, shap, T0 + timedelta(days=day), duration_s=duration, covered=covered, text=answer(fillers))
    save(
        history,
        demo,
        shap,
        T0 + timedelta(days=3, hours=2),
        duration_s=5.0,
        covered=[False] * 3,
        status="untranscribed",
        text="",
    )
    save(history, demo, tell, T0 + timedelta(days=1, hours=6), duration_s=30.0, covered=[False])
    save(history, demo, tell, T0 + timedelta(days=5, hours=1), duration_s=20.0, covered=[False])
    return history


def test_question_series_has_one_point_per_scored_attempt(seeded: History) -> None:
    points = progress_points(seeded.attempt_summaries(pack_id="demo", question_id="shap-and-lime"))
    assert len(points) == 6, "the untranscribed attempt is not plotted"
    progress = question_series(points)
    charts = progress.charts
    assert charts["duration"].x == [(T0 + timedelta(days=d)).timestamp() for d, *_ in SHAP]
    assert charts["duration"].y == [70.0, 60.0, 50.0, 42.0, 40.0, 38.0]
    assert charts["duration"].band_low == pytest.approx([27.0] * 6) and charts["duration"].band_high == pytest.approx(
        [49.5] * 6
    )
    assert charts["coverage"].y == pytest.approx([100 / 3, 100 / 3, 200 / 3, 200 / 3, 100, 100])
    assert charts["fillers"].y == pytest.approx([f / (d / 60) for _, d, _, f in SHAP])
    summaries = sorted(seeded.attempt_summaries(question_id="shap-and-lime"), key=lambda s: s.created_at)
    assert charts["wpm"].y == [s.words_per_minute for s in summaries if s.status == "complete"]
    assert all(w > 0 for w in charts["wpm"].y)
    assert progress.attempts == 6 and progress.days == 6


def test_daily_series_averages_each_day_over_all_questions(seeded: History) -> None:
    progress = daily_series(progress_points(seeded.attempt_summaries()), tz=UTC)
    charts = progress.charts
    noon = [(T0.replace(hour=12) + timedelta(days=d)).timestamp() for d in range(6)]
    assert charts["duration"].x == noon
    # day 1: shap 60 s of 45 and tell-me 30 s of 60; day 5: 38 of 45 and 20 of 60
    assert charts["duration"].y[1] == pytest.approx((60 / 45 + 30 / 60) / 2 * 100)
    assert charts["duration"].y[5] == pytest.approx((38 / 45 + 20 / 60) / 2 * 100)
    assert charts["duration"].y[0] == pytest.approx(70 / 45 * 100)
    assert charts["duration"].band_low == pytest.approx([60.0] * 6) and charts["duration"].band_high == pytest.approx(
        [110.0] * 6
    )
    assert charts["coverage"].y == pytest.approx([100 / 3, 100 / 6, 200 / 3, 200 / 3, 100, 50])
    assert charts["fillers"].y[1] == pytest.approx(2 / ((60 + 30) / 60))


def test_trends_say_whether_answers_are_getting_better(seeded: History) -> None:
    progress = question_series(progress_points(seeded.attempt_summaries(question_id="shap-and-lime")))
    trends = {t.key: t for t in progress.trends}
    assert trends["coverage"].verdict == "better"
    assert trends["coverage"].before == pytest.approx(400 / 9) and trends["coverage"].after == pytest.approx(800 / 9)
    assert trends["timing"].verdict == "better" and trends["timing"].after == 0
    assert trends["fillers"].verdict == "better"
    assert "last 3 answers against the 3 before" in trends["coverage"].text
    assert question_series(progress_points(seeded.attempt_summaries(question_id="tell-me"))).trends == []


def test_pack_summary_lists_never_practised_weakest_streak_and_weeks(seeded: History, demo: Pack) -> None:
    extra = Question("new-one", "A question nobody answered yet?", (KeyPoint("Something"),))
    pack = replace(demo, questions=demo.questions + (extra,))
    now = T0 + timedelta(days=6, hours=3)  # Sunday, no practice yet today
    summary = pack_summary(pack, progress_points(seeded.attempt_summaries()), now=now, tz=UTC)
    assert [q.id for q in summary.never_practised] == ["new-one"]
    assert summary.practised == 2 and summary.questions == 3
    assert [q.id for q, _ in summary.weakest] == ["tell-me"], "the last shap answer was good"
    assert summary.weakest[0][1] == "Last answer covered 0 of 1 key points (0%) and stopped at 33% of the target."
    assert (summary.streak_days, summary.practised_today) == (6, False)
    assert len(summary.weeks) == 8 and summary.weeks[-1].week_start == date(2026, 3, 2)
    assert summary.weeks[-1].attempts == 8 and summary.weeks[-1].seconds == pytest.approx(
        sum(d for _, d, _, _ in SHAP) + 50
    )
    assert all(w.attempts == 0 for w in summary.weeks[:-1])
    assert summary.total_attempts == 8


def test_streak_rules() -> None:
    today = date(2026, 3, 10)
    assert streak([today, today - timedelta(days=1), today - timedelta(days=3)], today) == (2, True)
    assert streak([today - timedelta(days=1), today - timedelta(days=2)], today) == (2, False)
    assert streak([today - timedelta(days=2)], today) == (0, False)
    assert streak([], today) == (0, False)


def test_timing_error_is_distance_outside_the_band() -> None:
    assert timing_error(45, 60) == 0 and timing_error(66, 60) == 0
    assert timing_error(30, 60) == pytest.approx(0.1)
    assert timing_error(90, 60) == pytest.approx(0.4)
    assert timing_error(90, None) == 0


def test_empty_history_gives_empty_charts() -> None:
    progress = daily_series([])
    assert progress.empty and all(len(c) == 0 for c in progress.charts.values())
    assert not any(math.isnan(v) for c in question_series([]).charts.values() for v in c.y)


def test_the_light_progress_query_matches_the_summaries(seeded: History) -> None:
    assert seeded.progress_points() == progress_points(seeded.attempt_summaries())
    assert seeded.progress_points(pack_id="demo", question_id="tell-me") == progress_points(
        seeded.attempt_summaries(question_id="tell-me")
    )
    assert len(seeded.progress_points()) == 8 and seeded.progress_points(pack_id="nope") == []


@pytest.mark.parametrize(
    "zone", ["Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Apia"]
)
def test_local_day_agrees_with_a_full_zone_conversion(zone: str) -> None:
    """local_day converts once per UTC quarter hour; around midnights and daylight-saving changes
    (half an hour on Lord Howe, a skipped day on Apia in 2011) it must give the same date as
    converting each instant."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.core.review.progress import local_day

    tz = ZoneInfo(zone)
    starts = [
        datetime(2026, 3, 28, tzinfo=UTC),
        datetime(2026, 10, 24, tzinfo=UTC),
        datetime(2026, 4, 4, tzinfo=UTC),
        datetime(2011, 12, 28, tzinfo=UTC),
    ]
    for start in starts:
        for minute in range(0, 4 * 24 * 60, 7):  # every 7 minutes over four days, so every quarter hour's edges are hit
            at = start + timedelta(minutes=minute, seconds=minute % 60)
            assert local_day(at, tz) == at.astimezone(tz).date(), (zone, at)
