"""Quitting while an answer is recorded or saved: it is saved first, and the window then closes.

Recording runs in real time from the PulseAudio null sink, so the answer is still being recorded
when the window is asked to close. The SIGTERM test runs the window in a child process, sends it
a real signal and reads the database after the process has exited.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from app.gui.practice_controller import Phase
from tests.gui.conftest import screenshot

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "tests" / "data" / "demo-pack.yaml"
ANSWER = "SHAP explains a single prediction with Shapley values from cooperative game theory."


def start_recording(window, qtbot, pulse_mic, spoken) -> None:
    window.settings.input_device = pulse_mic.device
    window.settings.answer_seconds = 60
    window.settings.prep_seconds = 30
    assert window.import_pack_file(DEMO)
    pulse_mic.play(spoken(ANSWER))
    window.start_page.start_button.click()
    window.controller.start_answer()
    qtbot.waitUntil(lambda: window.controller.phase is Phase.ANSWER, timeout=10_000)
    qtbot.waitUntil(lambda: window.controller.recording.seconds > 1.5, timeout=10_000)


def test_quit_while_recording_saves_the_answer_then_closes(window, qtbot, pulse_mic, spoken) -> None:
    start_recording(window, qtbot, pulse_mic, spoken)
    asked: list[bool] = []
    window.quit_guard.ask = lambda _parent: asked.append(True) or False  # "Keep recording"
    window.close()
    assert asked and window.isVisible() and window.controller.phase is Phase.ANSWER

    window.quit_guard.ask = lambda _parent: True  # "Save and quit"
    window.close()
    assert window.isVisible(), "the window waits for the save"
    qtbot.waitUntil(
        lambda: window.quit_guard.progress is not None and window.quit_guard.progress.isVisible(), timeout=5000
    )
    screenshot(window, "quit-saving-1280x800")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    [attempt] = window.workspace.history.list_attempts()
    assert attempt.has_audio and attempt.duration_s > 1.5
    assert list(window.workspace.data_dir.incoming.iterdir()) == []


def test_quit_while_processing_waits_for_the_attempt(window, qtbot, pulse_mic, spoken) -> None:
    start_recording(window, qtbot, pulse_mic, spoken)
    window.controller.stop_answer()
    assert window.controller.phase is Phase.PROCESSING
    window.quit_guard.ask = lambda _parent: (_ for _ in ()).throw(AssertionError("nothing to ask while saving"))
    window.close()
    assert window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert window.workspace.history.count_attempts() == 1


SIGTERM_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QTimer
from app.core.paths import DataDir
from app.services.workspace import Workspace
from app.gui.application import make_application
from app.gui.main_window import MainWindow
from app.gui.practice_controller import Phase
from app.gui.quitting import quit_on_signals
from app.gui.settings import AppSettings
from app.gui.workers import JobRunner
from PySide6.QtCore import QSettings

app = make_application([])
settings = AppSettings(QSettings({settings!r}, QSettings.Format.IniFormat))
settings.input_device, settings.answer_seconds, settings.prep_seconds = "pulse", 60, 30
window = MainWindow(Workspace(DataDir(Path({data!r})).create()), settings, JobRunner())
quit_on_signals(window.quit_guard)
window.show()
window.import_pack_file(Path({demo!r}))

def go():
    window.start_page.start_button.click()
    window.controller.start_answer()

def report():
    if window.controller.phase is Phase.ANSWER and window.controller.recording.seconds > 1.5:
        print("recording", flush=True)
    else:
        QTimer.singleShot(50, report)

QTimer.singleShot(0, go)
QTimer.singleShot(50, report)
code = app.exec()
window.workspace.close()
print("exited", code, flush=True)
sys.exit(code)
"""


def test_sigterm_while_recording_saves_the_answer_before_the_process_exits(
    pulse_mic, spoken, data_dir, tmp_path
) -> None:
    pulse_mic.play(spoken(ANSWER))
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SIGTERM_CHILD.format(
                repo=str(REPO), data=str(data_dir.root), demo=str(DEMO), settings=str(tmp_path / "settings.ini")
            ),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "recording"
        os.kill(child.pid, signal.SIGTERM)
        out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert "exited 0" in out
    conn = sqlite3.connect(data_dir.database)
    [(status, duration, audio)] = conn.execute("select status, duration_s, audio_path from attempts").fetchall()
    conn.close()
    assert status == "complete" and duration > 1.5 and (data_dir.root / audio).exists()
    assert list(data_dir.incoming.iterdir()) == []
