"""The window's side of data safety: damaged databases, crash recovery on start, deleting all data."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.core.paths import DataDir

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"


def test_the_window_shows_first_and_a_damaged_database_is_offered_a_new_one_after(
    qtbot, data_dir: DataDir, qsettings, gui_workspace_model, monkeypatch
) -> None:
    """At start-up the history opens on the pool after the window shows; a damaged file is still
    reported, kept as it is, and a new database replaces it when the person agrees."""
    from app.gui.application import make_application, open_history_in_background
    from app.gui.main_window import MainWindow
    from app.gui.settings import AppSettings
    from app.gui.workers import JobRunner
    from app.services.workspace import Workspace

    make_application([])
    data_dir.database.write_bytes(b"garbage, not a database" * 100)
    digest = hashlib.sha256(data_dir.database.read_bytes()).hexdigest()
    transcriber, scorer, judge, story_judge = gui_workspace_model
    workspace = Workspace(data_dir, transcriber=transcriber, scorer=scorer, judge=judge, story_judge=story_judge)
    window = MainWindow(workspace, AppSettings(qsettings), JobRunner())
    qtbot.addWidget(window)
    window.show()
    assert workspace._history is None  # nothing waited for the database
    exits: list[int] = []
    monkeypatch.setattr("app.gui.application.QApplication.exit", lambda code=0: exits.append(code))
    declined: list[str] = []
    open_history_in_background(window, ask=lambda message: declined.append(message) or False)
    qtbot.waitUntil(lambda: exits == [1], timeout=20_000)  # declining closes the app, the file untouched
    assert hashlib.sha256(data_dir.database.read_bytes()).hexdigest() == digest
    assert "not an SQLite file" in declined[0] and "left untouched" in declined[0]
    assert not list(data_dir.root.glob("rehearse-*.sqlite3"))  # nothing set aside when declined
    asked: list[str] = []
    open_history_in_background(window, ask=lambda message: asked.append(message) or True)
    qtbot.waitUntil(lambda: workspace._history is not None, timeout=20_000)
    assert "not an SQLite file" in asked[0]
    kept = list(data_dir.root.glob("rehearse-*.sqlite3"))
    assert len(kept) == 1 and hashlib.sha256(kept[0].read_bytes()).hexdigest() == digest
    assert workspace.history.count_attempts() == 0
    qtbot.waitUntil(lambda: window.start_page.table.rowCount() > 0, timeout=10_000)
    workspace.close()


def test_start_up_offers_to_recover_an_interrupted_answer(window, qtbot, fake_mic, spoken) -> None:
    from app.core.audio.recorder import Recorder
    from app.gui.recovery_prompt import offer_recovery

    window.import_pack_file(DEMO)
    fake_mic.load(spoken("SHAP uses Shapley values from game theory."))
    recorder = Recorder(
        window.workspace.data_dir.incoming,
        device=fake_mic.device,
        max_seconds=6,
        context={"pack_id": "demo", "question_id": "shap-and-lime"},
    )
    recorder.start()
    qtbot.waitUntil(lambda: not recorder.running, timeout=10000)
    result = recorder.stop()
    questions: list[str] = []
    offer_recovery(window, ask=lambda _w, text: questions.append(text) or "recover")
    qtbot.wait(300)
    assert questions == [], "this process still owns the answer: it is not offered"
    result.pending.release()  # what a crash does: the part file stays, its owner is gone
    offer_recovery(window, ask=lambda _w, text: questions.append(text) or "recover")
    qtbot.waitUntil(lambda: bool(questions), timeout=5000)
    assert "closed while recording" in questions[0] and "shap-and-lime" in questions[0]
    qtbot.waitUntil(lambda: window.workspace.history.count_attempts() == 1, timeout=60000)
    [attempt] = window.workspace.history.list_attempts()
    assert attempt.status == "recovered" and abs(attempt.duration_s - 6.0) < 0.01


def test_discarding_an_interrupted_answer_removes_it(window, qtbot, fake_mic, spoken) -> None:
    from app.core.audio.recorder import Recorder
    from app.gui.recovery_prompt import offer_recovery

    fake_mic.load(spoken("Throw this away."))
    recorder = Recorder(window.workspace.data_dir.incoming, device=fake_mic.device, max_seconds=2)
    recorder.start()
    qtbot.waitUntil(lambda: not recorder.running, timeout=10000)
    recorder.stop().pending.release()  # as after a crash
    offer_recovery(window, ask=lambda _w, _t: "discard")
    qtbot.waitUntil(lambda: list(window.workspace.data_dir.incoming.iterdir()) == [], timeout=5000)


def test_delete_all_my_data_from_preferences(window, qtbot, tmp_path) -> None:
    import numpy as np

    from app.core.analysis import judge_transcript
    from app.core.audio.files import write_recording
    from app.core.packs import load_pack
    from app.core.transcribe.transcript import Transcript, Word
    from app.gui.settings_dialog import SettingsDialog

    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    words = [Word("SHAP", 0.0, 0.3)]
    audio = write_recording(np.zeros(1600, np.float32), window.workspace.data_dir.recordings / "2026" / "a.flac")
    window.workspace.history.save_attempt(
        pack,
        question,
        judge_transcript(pack, question, Transcript(words, words, 1.0), window.workspace.scorer()),
        audio,
    )
    dialog = SettingsDialog(
        window.settings,
        window.workspace.data_dir.root,
        tts_available=False,
        delete_all=window._delete_all_data,
        parent=window,
    )
    qtbot.addWidget(dialog)
    dialog.confirm = lambda _text: False
    dialog.delete_button.click()
    assert window.workspace.history.count_attempts() == 1 and audio.exists()
    dialog.confirm = lambda _text: True
    dialog.delete_button.click()  # deletes on the pool (tests/gui/test_gui_thread_free.py)
    qtbot.waitUntil(lambda: "deleted" in dialog.deleted_note.text(), timeout=10000)
    assert window.workspace.history.count_attempts() == 0 and not audio.exists()
    assert str(window.workspace.data_dir.root) in dialog.data_dir.text(), "settings show where data lives"
