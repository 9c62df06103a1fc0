"""History in a real SQLite file: round trip, overrides, deletes, migrations, damaged databases."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from app.core.analysis import judge_transcript
from app.core.packs import load_pack
from app.core.paths import DataDir
from app.core.transcribe.transcript import Transcript, Word
from app.db.engine import DatabaseCorruptError, DatabaseTooNewError, alembic_config, head_revision, make_engine
from app.db.history import History

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo-pack.yaml"
ANSWER = "Um, SHAP splits a prediction among features using Shapley values from game theory. I like pizza."


def transcript(text: str = ANSWER, duration: float = 20.0) -> Transcript:
    words = [Word(w, 1.0 + i * 0.4, 1.3 + i * 0.4, 0.9) for i, w in enumerate(text.split())]
    return Transcript(words=words, raw_words=words, duration_s=duration, model="tiny.en")


@pytest.fixture
def history(data_dir: DataDir):
    h = History.open(data_dir)
    yield h
    h.close()


def save(history: History, scorer, audio: Path | None = None, text: str = ANSWER) -> int:
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    analysis = judge_transcript(pack, question, transcript(text), scorer)
    return history.save_attempt(pack, question, analysis, audio, settings={"model": "tiny.en"})


def test_an_attempt_round_trips_with_everything_it_showed(history: History, scorer, data_dir: DataDir) -> None:
    audio = data_dir.recordings / "a.flac"
    audio.write_bytes(b"fLaC")
    attempt_id = save(history, scorer, audio)
    detail = history.get_attempt(attempt_id)
    s = detail.summary
    assert (s.pack_id, s.question_id, s.point_count) == ("demo", "shap-and-lime", 3)
    assert s.covered_count == 1 and s.coverage == pytest.approx(1 / 3)
    assert s.audio_path == audio and s.has_audio
    assert s.filler_count == 1 and s.duration_s == 20.0 and s.target_s == 45
    assert detail.transcript.text == ANSWER and detail.transcript.words[0].start == pytest.approx(1.0)
    assert [kp.covered for kp in detail.key_points] == [True, False, False]
    assert "Shapley" in detail.key_points[0].evidence.text
    assert detail.delivery.fillers[0].word == "um"
    assert detail.settings == {"scorer": scorer.name, "model": "tiny.en"}
    assert detail.question.text == "Describe your experience with SHAP and LIME."
    assert s.created_at.tzinfo is not None


def test_paths_are_stored_relative_so_the_folder_can_move(history: History, scorer, data_dir: DataDir) -> None:
    save(history, scorer, data_dir.recordings / "2026" / "x.flac")
    stored = sqlite3.connect(data_dir.database).execute("select audio_path from attempts").fetchone()[0]
    assert stored == "recordings/2026/x.flac"


def test_overrides_change_the_figures_and_are_kept_as_labels(history: History, scorer) -> None:
    attempt_id = save(history, scorer)
    assert history.set_override(attempt_id, 1, True) == pytest.approx(2 / 3)
    assert history.set_override(attempt_id, 0, False) == pytest.approx(1 / 3)
    detail = history.get_attempt(attempt_id)
    assert [kp.judged_covered for kp in detail.key_points] == [False, True, False]
    assert [kp.covered for kp in detail.key_points] == [True, False, False]
    labels = history.overrides()
    assert sorted(label for _, _, label in labels) == [False, True]
    assert history.set_override(attempt_id, 1, None) == pytest.approx(0.0)


def test_delete_removes_row_and_recording(history: History, scorer, data_dir: DataDir) -> None:
    audio = data_dir.recordings / "gone.flac"
    audio.write_bytes(b"x")
    attempt_id = save(history, scorer, audio)
    history.delete_attempt(attempt_id)
    assert not audio.exists()
    assert history.list_attempts() == []
    assert sqlite3.connect(data_dir.database).execute("select count(*) from key_point_results").fetchone()[0] == 0
    with pytest.raises(KeyError):
        history.get_attempt(attempt_id)


def test_listing_filters_and_sorts(history: History, scorer) -> None:
    first = save(history, scorer, text="SHAP uses Shapley values.")
    second = save(history, scorer)
    assert [a.id for a in history.list_attempts()] == [second, first]
    assert [a.id for a in history.list_attempts(order_by="coverage", descending=False)][0] in (first, second)
    assert history.list_attempts(question_id="tell-me") == []
    assert len(history.list_attempts(pack_id="demo", limit=1)) == 1
    with pytest.raises(ValueError, match="cannot sort by 'colour'"):
        history.list_attempts(order_by="colour")
    stats = history.question_stats("demo")["shap-and-lime"]
    assert stats.attempts == 2 and stats.last_duration_s == 20.0


def test_notes(history: History, scorer) -> None:
    attempt_id = save(history, scorer)
    history.set_note(attempt_id, "Too fast at the start")
    assert history.get_attempt(attempt_id).summary.note == "Too fast at the start"


def test_edited_questions_keep_their_old_history_apart(history: History, scorer, tmp_path: Path) -> None:
    save(history, scorer)
    edited_file = tmp_path / "demo.yaml"
    edited_file.write_text(DEMO.read_text().replace("can be unstable across runs", "vary between runs"))
    pack = load_pack(edited_file)
    question = pack.question("shap-and-lime")
    history.save_attempt(pack, question, judge_transcript(pack, question, transcript(), scorer), None)
    details = [history.get_attempt(a.id) for a in history.list_attempts()]
    assert {d.question.key_points[2].text for d in details} == {
        "LIME explanations can be unstable across runs",
        "LIME explanations vary between runs",
    }


def test_key_point_examples_are_kept_and_a_question_given_examples_gets_its_own_row(
    history: History, scorer, tmp_path: Path
) -> None:
    first = save(history, scorer)
    edited_file = tmp_path / "demo.yaml"
    edited_file.write_text(
        DEMO.read_text().replace(
            "        cues: [unstable]", "        cues: [unstable]\n        examples: [a different top feature per seed]"
        )
    )
    pack = load_pack(edited_file)
    question = pack.question("shap-and-lime")
    second = history.save_attempt(pack, question, judge_transcript(pack, question, transcript(), scorer), None)
    old, new = history.get_attempt(first).question.key_points[2], history.get_attempt(second).question.key_points[2]
    assert (old.text, old.examples) == ("LIME explanations can be unstable across runs", ())
    assert (new.text, new.examples) == (
        "LIME explanations can be unstable across runs",
        ("a different top feature per seed",),
    )
    assert history.get_attempt(second).question.content_hash == question.content_hash
    assert {a.id for a in history.list_attempts()} == {first, second}


def test_database_is_wal_with_foreign_keys(history: History, data_dir: DataDir) -> None:
    with history.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_delete_all_removes_rows_and_recordings(history: History, scorer, data_dir: DataDir) -> None:
    audio = data_dir.recordings / "2026" / "11" / "a.flac"
    audio.parent.mkdir(parents=True)
    audio.write_bytes(b"x")
    save(history, scorer, audio)
    history.delete_all()
    assert history.count_attempts() == 0 and not audio.exists()


# -- migrations ------------------------------------------------------------------------------------


def test_a_database_at_the_first_revision_upgrades_with_its_data(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data").create()
    engine = make_engine(data_dir.database)
    config = alembic_config(engine)
    first = ScriptDirectory.from_config(config).get_base()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, first)
    with engine.begin() as conn:
        conn.exec_driver_sql("insert into packs (id, pack_id, title) values (1, 'demo', 'Demo')")
        conn.exec_driver_sql(
            "insert into questions (id, pack_row_id, question_id, content_hash, text, prep_seconds, answer_seconds, key_points, first_seen)"
            " values (1, 1, 'q', 'h', 'Q?', 10, 60, '[]', '2026-01-01 10:00:00')"
        )
        conn.exec_driver_sql(
            "insert into attempts (id, question_row_id, created_at, status, audio_path, duration_s, word_count, filler_count,"
            " long_pause_count, coverage, covered_count, point_count, transcript, raw_transcript, transcript_data, delivery, settings)"
            " values (7, 1, '2026-01-01 10:00:00', 'complete', 'recordings/a.flac', 42.5, 3, 0, 0, 0.5, 1, 2,"
            " 'hello there you', 'hello there you', '{\"words\": []}', '{\"duration_s\": 42.5}', '{}')"
        )
    engine.dispose()
    history = History.open(data_dir)
    attempt = history.get_attempt(7)
    assert attempt.summary.duration_s == 42.5 and attempt.transcript.text == ""
    assert attempt.summary.audio_path == data_dir.root / "recordings" / "a.flac"
    assert history.list_attempts()[0].id == 7
    with history.engine.connect() as conn:
        assert conn.exec_driver_sql("select version_num from alembic_version").scalar() == head_revision()
    history.close()


def test_the_head_constant_matches_the_migrations() -> None:
    from app.db.engine import HEAD_REVISION

    assert head_revision() == HEAD_REVISION, "update HEAD_REVISION in app/db/engine.py with each new migration"


def test_every_migration_downgrades_to_base_and_back(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.sqlite3")
    config = alembic_config(engine)
    for target in ("head", "base", "head"):
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.upgrade if target == "head" else command.downgrade)(config, target)
    with engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("select name from sqlite_master where type='table'")}
    assert {"attempts", "questions", "packs", "key_point_results", "practice_sessions"} <= tables


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(data_dir: DataDir) -> None:
    History.open(data_dir).close()
    conn = sqlite3.connect(data_dir.database)
    conn.execute("update alembic_version set version_num = 'from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(data_dir.database)
    with pytest.raises(DatabaseTooNewError, match="newer version of Rehearse"):
        History.open(data_dir)
    assert _digest(data_dir.database) == before


def test_a_corrupt_database_is_refused_and_left_untouched(data_dir: DataDir) -> None:
    data_dir.database.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8192)
    before = _digest(data_dir.database)
    with pytest.raises(DatabaseCorruptError, match="left untouched"):
        History.open(data_dir)
    assert _digest(data_dir.database) == before
    data_dir.database.write_bytes(b"not a database at all")
    with pytest.raises(DatabaseCorruptError, match="not an SQLite file"):
        History.open(data_dir)
