"""The history's list reads: kept until the next commit (from this process or another), answered
from the covering index, and the same figures as the ORM path. Real SQLite files throughout."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.core.packs import Pack, load_pack
from app.core.paths import DataDir
from app.db.history import History
from app.db.models import Base
from app.db.read_cache import ReadCache
from tests.core.test_review_seeding import DEMO, T0, save


@pytest.fixture
def history(data_dir: DataDir):
    h = History.open(data_dir)
    yield h
    h.close()


@pytest.fixture
def demo() -> Pack:
    return load_pack(DEMO)


@pytest.fixture
def seeded(history: History, demo: Pack) -> History:
    shap, tell = demo.question("shap-and-lime"), demo.question("tell-me")
    for day in range(4):
        save(history, demo, shap, T0 + timedelta(days=day), duration_s=30 + day, covered=[True, day > 1, False])
        save(history, demo, tell, T0 + timedelta(days=day, hours=2), duration_s=50, covered=[day % 2 == 0])
    return history


def test_a_read_is_kept_until_this_process_commits(seeded: History) -> None:
    first = seeded.attempt_summaries()
    again = seeded.attempt_summaries()
    assert again == first and all(a is b for a, b in zip(again, first)), "served from the cache, not read again"
    assert again is not first, "each caller gets its own list to sort or trim"
    again.clear()
    assert len(seeded.attempt_summaries()) == 8

    points = seeded.progress_points()
    seeded.set_note(first[0].id, "too long")
    after = seeded.attempt_summaries()
    assert after[0].note == "too long" and after[0] is not first[0]
    assert seeded.progress_points() == points and seeded.progress_points()[0] is not points[0], (
        "read again after the commit"
    )


def test_a_commit_through_another_connection_is_seen(seeded: History, demo: Pack, data_dir: DataDir) -> None:
    points = seeded.progress_points(pack_id="demo")
    stats = seeded.question_stats("demo")
    assert stats["tell-me"].attempts == 4
    # Another program (the CLI, another window) writes through its own connection.
    other = sqlite3.connect(data_dir.database)
    other.execute("update attempts set coverage = 0.0, covered_count = 0 where id = ?", (points[-1].attempt_id,))
    other.commit()
    other.close()
    assert seeded.progress_points(pack_id="demo")[-1].coverage == 0.0
    other_history = History.open(data_dir)
    save(other_history, demo, demo.question("tell-me"), T0 + timedelta(days=9), duration_s=40, covered=[True])
    other_history.close()
    assert seeded.question_stats("demo")["tell-me"].attempts == 5
    assert len(seeded.attempt_summaries(question_id="tell-me")) == 5


def test_every_filter_has_its_own_entry(seeded: History) -> None:
    everything = seeded.attempt_summaries()
    tell = seeded.attempt_summaries(question_id="tell-me")
    oldest_first = seeded.attempt_summaries(descending=False)
    assert len(everything) == 8 and len(tell) == 4 and {s.question_id for s in tell} == {"tell-me"}
    assert oldest_first == everything[::-1]
    assert seeded.attempt_summaries(question_id="tell-me") == tell


def test_a_question_saved_between_the_two_reads_is_looked_up_again(seeded: History, demo: Pack, monkeypatch) -> None:
    """The list reads the question rows, then the attempts; a new question version saved in between
    has no entry in the first read, so the rows are read again rather than failing."""
    stale = seeded._read_questions()
    edited = demo.question("tell-me")
    from dataclasses import replace

    changed = replace(edited, text="Tell me about yourself, briefly.")
    save(seeded, demo, changed, T0 + timedelta(days=20), duration_s=40, covered=[True])
    monkeypatch.setattr(seeded, "_questions", lambda: stale)
    newest = seeded.attempt_summaries()[0]
    assert newest.question_text == "Tell me about yourself, briefly."
    assert seeded.progress_points()[-1].question_id == "tell-me"


def test_without_a_way_to_watch_the_database_nothing_is_kept(tmp_path: Path) -> None:
    cache = ReadCache(tmp_path / "missing" / "history.sqlite3")
    calls: list[int] = []
    for _ in range(3):
        cache.get("key", lambda: calls.append(1) or len(calls))
    assert calls == [1, 1, 1] and cache.version() is None


def test_the_lists_are_answered_from_the_covering_index(seeded: History) -> None:
    """The history view and the charts never read the rows with their transcript JSON."""
    from sqlalchemy import event

    captured: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM attempts" in statement:
            captured.append((statement, tuple(parameters)))

    seeded.set_note(1, "drop the cache")
    event.listen(seeded.engine, "before_cursor_execute", capture)
    seeded.attempt_summaries()
    seeded.progress_points()
    seeded.attempt_summaries(pack_id="demo")
    seeded.progress_points(question_id="tell-me")
    seeded.question_stats("demo")
    event.remove(seeded.engine, "before_cursor_execute", capture)
    assert len(captured) == 5
    with seeded.engine.connect() as conn:
        for statement, parameters in captured:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "COVERING INDEX ix_attempts_summary" in plan, plan


def test_the_models_match_the_migrations(history: History) -> None:
    with history.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
