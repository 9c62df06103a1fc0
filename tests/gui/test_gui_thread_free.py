"""Disk and database work started from the window runs on the pool: the GUI thread keeps ticking.

Each test slows the real call down and records the thread it ran on, while a 5 ms QTimer measures
the longest gap between its ticks: only a GUI thread that waited for the call would show it.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from app.gui.practice_controller import Phase

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
SLOW_S = 0.6


class Ticker:
    """A 5 ms timer on the GUI thread; `longest_ms` is the longest it went without a tick."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.longest_ms = 0
        self.ticks = 0

    def __enter__(self) -> Ticker:
        self.clock.start()
        self.timer.start()
        return self

    def _tick(self) -> None:
        self.longest_ms = max(self.longest_ms, self.clock.restart())
        self.ticks += 1

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self.longest_ms = max(self.longest_ms, self.clock.elapsed())


def slowed(calls: list[threading.Thread], fn, seconds: float = SLOW_S):
    """`fn`, recording the thread each call runs on, then taking `seconds` longer."""

    def wrapper(*args, **kwargs):
        calls.append(threading.current_thread())
        result = fn(*args, **kwargs)
        time.sleep(seconds)
        return result

    return wrapper


def test_a_round_starts_at_once_and_its_answers_carry_the_session_id(
    window,
    qtbot,
    fake_mic,
    spoken,
    monkeypatch,
) -> None:
    history = window.workspace.history
    calls: list[threading.Thread] = []
    monkeypatch.setattr(history, "start_session", slowed(calls, history.start_session, seconds=2.0))
    controller = window.controller
    phase_when_id_came: list[Phase] = []
    set_session = controller.set_session
    monkeypatch.setattr(
        controller, "set_session", lambda sid: (phase_when_id_came.append(controller.phase), set_session(sid))
    )
    saved: list[object] = []
    controller.feedbackReady.connect(saved.append)
    fake_mic.load(spoken("SHAP uses Shapley values from game theory."))
    window.settings.input_device = "fakemic"
    window.settings.answer_seconds = 2  # stops by itself after 4 s of samples: before the session id is here
    assert window.import_pack_file(DEMO)
    with Ticker() as ticker:
        window.start_page.start_button.click()
        assert window.stack.currentWidget() is window.practice_page
        assert window.practice_page.question.text() == "Describe your experience with SHAP and LIME."
        qtbot.keyClick(window, Qt.Key.Key_Space)  # answer at once, while the session row is still being written
        qtbot.waitUntil(lambda: bool(phase_when_id_came), timeout=10000)
    assert calls and all(t is not threading.main_thread() for t in calls), calls
    assert ticker.longest_ms < 1000, ticker.longest_ms
    assert phase_when_id_came == [Phase.PROCESSING], "the answer ended first and its save waited for the id"
    assert not saved, "nothing was saved before the session id came"
    qtbot.waitUntil(lambda: bool(saved), timeout=60000)
    [summary] = history.attempt_summaries()
    assert summary.id == saved[0].attempt_id
    assert summary.session_id is not None and summary.session_id == controller.session_id
    assert [a.id for a in history.attempt_summaries(session_id=summary.session_id)] == [summary.id]


def test_delete_all_runs_on_the_pool_and_the_dialog_reports_it(window, qtbot, monkeypatch) -> None:
    from app.core.analysis import judge_transcript
    from app.core.audio.files import write_recording
    from app.core.packs import load_pack
    from app.core.transcribe.transcript import Transcript, Word
    from app.gui.settings_dialog import SettingsDialog

    history = window.workspace.history
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    words = [Word("SHAP", 0.0, 0.3)]
    audio = write_recording(np.zeros(1600, np.float32), window.workspace.data_dir.recordings / "2026" / "01" / "a.flac")
    history.save_attempt(
        pack,
        question,
        judge_transcript(pack, question, Transcript(words, words, 1.0), window.workspace.scorer()),
        audio,
    )
    calls: list[threading.Thread] = []
    monkeypatch.setattr(history, "delete_all", slowed(calls, history.delete_all))
    dialog = SettingsDialog(
        window.settings,
        window.workspace.data_dir.root,
        tts_available=False,
        delete_all=window._delete_all_data,
        parent=window,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.confirm = lambda _text: True
    with Ticker() as ticker:
        dialog.delete_button.click()
        assert not dialog.delete_button.isEnabled() and "Deleting" in dialog.deleted_note.text()
        dialog.reject()
        assert dialog.isVisible(), "the dialog stays until the deletion has ended"
        qtbot.waitUntil(lambda: "deleted" in dialog.deleted_note.text(), timeout=10000)
    assert calls and calls[0] is not threading.main_thread()
    assert ticker.longest_ms < SLOW_S * 1000 / 2, ticker.longest_ms
    assert dialog.delete_button.isEnabled()
    assert history.count_attempts() == 0 and not audio.exists()
    assert "deleted" in window.statusBar().currentMessage()


def test_a_failed_delete_all_is_reported(window, qtbot, monkeypatch) -> None:
    from app.gui.settings_dialog import SettingsDialog

    def refuse() -> None:
        raise PermissionError("recordings/2026: permission denied")

    monkeypatch.setattr(window.workspace.history, "delete_all", refuse)
    dialog = SettingsDialog(
        window.settings,
        window.workspace.data_dir.root,
        tts_available=False,
        delete_all=window._delete_all_data,
        parent=window,
    )
    qtbot.addWidget(dialog)
    dialog.confirm = lambda _text: True
    dialog.delete_button.click()
    qtbot.waitUntil(lambda: "failed" in dialog.deleted_note.text(), timeout=10000)
    assert "permission denied" in dialog.deleted_note.text() and dialog.delete_button.isEnabled()


def test_the_microphone_test_starts_and_stops_on_the_pool(
    qtbot,
    qsettings,
    tmp_path,
    fake_mic,
    spoken,
    monkeypatch,
) -> None:
    from app.core.audio.recorder import Recorder
    from app.gui.application import make_application
    from app.gui.settings import AppSettings
    from app.gui.settings_dialog import SettingsDialog

    make_application([])
    starts: list[threading.Thread] = []
    stops: list[threading.Thread] = []
    monkeypatch.setattr(Recorder, "start", slowed(starts, Recorder.start))
    monkeypatch.setattr(Recorder, "stop", slowed(stops, Recorder.stop))
    fake_mic.load(spoken("Testing the microphone level."))
    dialog = SettingsDialog(AppSettings(qsettings), tmp_path, tts_available=False)
    qtbot.addWidget(dialog)
    dialog.device.setCurrentIndex(dialog.device.findData(fake_mic.device))
    with Ticker() as ticker:
        dialog.test_button.setChecked(True)
        test = dialog._test
        assert test is not None
        qtbot.waitUntil(lambda: test.recorder is not None and bool(starts) and not dialog.runner.busy, timeout=10000)
        folder = Path(test.recorder.incoming_dir)
        assert folder.is_dir()
        dialog.reject()
        assert dialog._test is None
        qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10000)
    assert starts and stops and all(t is not threading.main_thread() for t in starts + stops), (starts, stops)
    assert ticker.longest_ms < SLOW_S * 1000 / 2, ticker.longest_ms
    assert not folder.exists(), "the test recording's folder is removed"


def test_the_microphone_test_stopped_while_starting_ends_cleanly(
    qtbot, qsettings, tmp_path, fake_mic, monkeypatch
) -> None:
    from app.core.audio.recorder import Recorder
    from app.gui.application import make_application
    from app.gui.settings import AppSettings
    from app.gui.settings_dialog import SettingsDialog

    make_application([])
    starts: list[threading.Thread] = []
    monkeypatch.setattr(Recorder, "start", slowed(starts, Recorder.start))
    folders_before = set(Path(tempfile.gettempdir()).glob("rehearse-mic-test-*"))
    dialog = SettingsDialog(AppSettings(qsettings), tmp_path, tts_available=False)
    qtbot.addWidget(dialog)
    dialog.device.setCurrentIndex(dialog.device.findData(fake_mic.device))
    dialog.test_button.setChecked(True)
    test = dialog._test
    dialog.test_button.setChecked(False)  # before the start has finished
    qtbot.waitUntil(lambda: not dialog.runner.busy, timeout=10000)
    assert test is not None and (test.recorder is None or not test.recorder.running)
    assert set(Path(tempfile.gettempdir()).glob("rehearse-mic-test-*")) == folders_before
    assert not dialog._meter_timer.isActive() and dialog.test_button.text() == "Test"


@pytest.fixture(autouse=True)
def _no_leftover_jobs(qtbot):
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(15000)
