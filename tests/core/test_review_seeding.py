"""A seeded history for the review tests: attempts with chosen figures, saved through History.save_attempt.

The analyses are built by hand (words with times, key-point results with evidence spans) so the
figures are exact; everything else is the real path: real SQLite, real rows, real queries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.analysis import AnswerAnalysis
from app.core.packs import Pack, Question
from app.core.paths import DataDir
from app.core.scoring.delivery import analyse_delivery
from app.core.scoring.keypoints import PointResult
from app.core.scoring.spans import Span
from app.core.transcribe.transcript import Transcript, Word
from app.db.history import History

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def words_for(text: str, duration_s: float, start_s: float = 1.0) -> list[Word]:
    parts = text.split()
    if not parts:
        return []
    step = (duration_s - start_s - 0.5) / len(parts)
    return [Word(w, start_s + i * step, start_s + i * step + step * 0.8) for i, w in enumerate(parts)]


def make_analysis(
    pack: Pack,
    question: Question,
    *,
    duration_s: float,
    covered: list[bool],
    text: str | None = None,
    target_s: float | None = None,
) -> AnswerAnalysis:
    """An analysis with exact figures: each covered point's evidence is its own stretch of the words."""
    text = text or " ".join(f"point{i} is said here clearly" for i in range(len(covered)))
    words = words_for(text, duration_s)
    per_point = max(1, len(words) // max(1, len(covered)))
    results = []
    for i, (kp, c) in enumerate(zip(question.key_points, covered)):
        span = Span(
            i * per_point,
            min(len(words), (i + 1) * per_point),
            " ".join(w.text for w in words[i * per_point : (i + 1) * per_point]),
        )
        results.append(
            PointResult(
                kp.text,
                c,
                0.72 if c else 0.31,
                0.55,
                evidence=span if words else None,
                start_s=words[span.start].start if words else None,
                end_s=words[span.end - 1].end if words else None,
                missing_words=[] if c else ["interpretable"],
            )
        )
    return AnswerAnalysis(
        pack.id,
        question.id,
        Transcript(words, words, duration_s, model="tiny.en"),
        analyse_delivery(words, duration_s, target_s or question.answer_seconds),
        results,
        "minilm-spans-v1",
    )


def save(
    history: History,
    pack: Pack,
    question: Question,
    at: datetime,
    *,
    duration_s: float,
    covered: list[bool],
    text: str | None = None,
    status: str = "complete",
    audio: Path | None = None,
    session_id: int | None = None,
) -> int:
    analysis = make_analysis(pack, question, duration_s=duration_s, covered=covered, text=text)
    return history.save_attempt(pack, question, analysis, audio, created_at=at, status=status, session_id=session_id)


def test_seeded_figures_come_back_from_the_database(history: History, demo: Pack) -> None:
    question = demo.question("shap-and-lime")
    text = "um so SHAP uses Shapley values and LIME fits a surrogate model um"
    attempt_id = save(history, demo, question, T0, duration_s=30.0, covered=[True, False, True], text=text)
    [summary] = history.attempt_summaries()
    assert summary.id == attempt_id and summary.created_at == T0
    assert summary.duration_s == 30.0 and summary.target_s == 45 and summary.filler_count == 2
    assert (summary.covered_count, summary.point_count) == (2, 3)
    detail = history.get_attempt(attempt_id)
    assert [r.judged_covered for r in detail.key_points] == [True, False, True]
    assert detail.key_points[0].evidence is not None and detail.key_points[0].evidence.start == 0


def test_attempt_summaries_match_list_attempts_for_every_filter_and_sort(
    history: History, demo: Pack, data_dir: DataDir
) -> None:
    shap, tell = demo.question("shap-and-lime"), demo.question("tell-me")
    audio = data_dir.recordings / "2026" / "a.flac"
    session = history.start_session(demo, "mock-interview")
    for day in range(6):
        save(
            history,
            demo,
            shap,
            T0 + timedelta(days=day),
            duration_s=20 + day * 5,
            covered=[day % 2 == 0, True, day > 3],
            audio=audio if day == 2 else None,
            session_id=session if day >= 4 else None,
        )
        save(history, demo, tell, T0 + timedelta(days=day, hours=3), duration_s=40 + day, covered=[day % 3 == 0])
    history.set_note(1, "first one")
    history.end_session(session)
    for order in ("created_at", "duration_s", "coverage", "words_per_minute", "filler_count", "long_pause_count"):
        for descending in (True, False):
            assert history.attempt_summaries(order_by=order, descending=descending) == history.list_attempts(
                order_by=order, descending=descending
            )
    window = {"since": T0 + timedelta(days=1), "until": T0 + timedelta(days=4)}
    assert history.attempt_summaries(**window) == history.list_attempts(**window)
    assert len(history.attempt_summaries(**window)) == 6
    assert history.attempt_summaries(pack_id="demo", question_id="tell-me", limit=2) == history.list_attempts(
        pack_id="demo", question_id="tell-me", limit=2
    )
    in_session = history.attempt_summaries(session_id=session, descending=False)
    assert [s.created_at for s in in_session] == [T0 + timedelta(days=4), T0 + timedelta(days=5)]
    assert history.last_session_id("mock-interview") == session
    assert history.last_session_id("in-order") is None
    with pytest.raises(ValueError, match="cannot sort by"):
        history.attempt_summaries(order_by="note")
