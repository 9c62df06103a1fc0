"""Replay speed: 0.75x to 1.5x from the combo or [ and ], remembered, and the voice keeps its pitch.

The pitch test plays a real answer through the app's ReplayPlayer (in a child process, so it
reaches the test's PulseAudio server whatever this process's Qt saw at start-up) into a null sink,
records the sink's monitor with parec, and measures F0 with Praat (parselmouth): at 1.5x the
median F0 is the original's, and the control (pitch compensation off) shows the 1.5x rise the
measurement would catch.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer

from app.gui.settings import AppSettings
from app.gui.shortcuts_dialog import shortcut_rows
from tests.conftest import REPO
from tests.gui.conftest import screenshot
from tests.gui.test_review_replay import ANSWER, open_attempt, recorded_attempt


def test_speed_steps_with_the_keys_applies_to_every_player_and_is_remembered(window, qtbot, spoken, qsettings) -> None:
    attempt_id, _flac = recorded_attempt(window, spoken)
    view = open_attempt(window, qtbot, attempt_id)
    replay = view.replay
    assert replay.speed == 1.0 and replay.speed_combo.currentText() == "1×"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert replay.speed == 1.25 and replay.speed_combo.currentText() == "1.25×"
    replay.toggle_play()
    player = view.player
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    assert player.playbackRate() == pytest.approx(1.25) and player.pitchCompensation() and replay.pitch_kept
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert replay.speed == 1.5 and player.playbackRate() == pytest.approx(1.5), "stops at the fastest"
    screenshot(window, "replay-speed")
    for _ in range(8):
        qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    assert replay.speed == 0.75 and player.playbackRate() == pytest.approx(0.75), "stops at the slowest"
    replay.speed_combo.setCurrentIndex(replay.speed_combo.findText("0.9×"))
    assert player.playbackRate() == pytest.approx(0.9)
    replay.toggle_play()
    # Remembered: in the settings, and by the feedback page's player too.
    assert AppSettings(qsettings).replay_speed == pytest.approx(0.9)
    assert window.feedback_page.replay.speed == pytest.approx(0.9)
    rows = shortcut_rows(window)
    assert ("Replay", "Slower", "[") in rows and ("Replay", "Faster", "]") in rows


def test_a_new_window_starts_at_the_speed_last_chosen(window, qtbot, qsettings) -> None:
    AppSettings(qsettings).replay_speed = 1.25
    from app.gui.main_window import MainWindow

    other = MainWindow(window.workspace, AppSettings(qsettings), window.runner)
    qtbot.addWidget(other)
    assert other.feedback_page.replay.speed == 1.25
    assert other.review.attempt_view.replay.speed == 1.25
    AppSettings(qsettings).replay_speed = 7.0  # a hand-edited settings file
    assert AppSettings(qsettings).replay_speed == 1.0


def _median_f0(wav: Path) -> tuple[float, float]:
    """Median F0 (Hz) over voiced frames and the span from first to last sound (s)."""
    import parselmouth
    import soundfile

    samples, rate = soundfile.read(str(wav), dtype="float64")
    loud = np.nonzero(np.abs(samples) > 1e-3)[0]
    assert len(loud), f"{wav}: nothing was recorded"
    samples = samples[loud[0] : loud[-1]]
    pitch = parselmouth.Sound(samples, rate).to_pitch(pitch_floor=60, pitch_ceiling=400).selected_array["frequency"]
    return float(np.median(pitch[pitch > 0])), len(samples) / rate


def _render(pulse_mic, wav: Path, speed: float, out: Path, *extra: str) -> Path:
    """What the ReplayPlayer sends to the sound card at `speed`, as a 16 kHz WAV."""
    recorder = subprocess.Popen(
        [
            "parec",
            "--device=mic_sink.monitor",
            "--format=s16le",
            "--rate=16000",
            "--channels=1",
            "--file-format=wav",
            str(out),
        ]
    )
    try:
        for _ in range(200):  # recording before the player starts
            listed = subprocess.run(["pactl", "list", "short", "source-outputs"], capture_output=True, text=True).stdout
            if listed.strip():
                break
            subprocess.run(["sleep", "0.05"])
        child = subprocess.run(
            [sys.executable, "-m", "tests.gui.replay_render", str(wav), str(speed), *extra],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == 0, child.stderr
    finally:
        recorder.terminate()
        recorder.wait(10)
    return out


@pytest.mark.slow
def test_replay_at_one_and_a_half_keeps_the_voice_pitch(pulse_mic, spoken, tmp_path) -> None:
    wav = spoken(ANSWER)
    original_f0, original_span = _median_f0(wav)
    fast_f0, fast_span = _median_f0(_render(pulse_mic, wav, 1.5, tmp_path / "fast.wav"))
    raw_f0, _ = _median_f0(_render(pulse_mic, wav, 1.5, tmp_path / "raw.wav", "--pitch-not-kept"))
    print(
        f"F0 original {original_f0:.1f} Hz, 1.5x kept {fast_f0:.1f} Hz, 1.5x not kept {raw_f0:.1f} Hz; "
        f"span {original_span:.2f} s -> {fast_span:.2f} s"
    )
    assert fast_span == pytest.approx(original_span / 1.5, rel=0.08), "it did play faster"
    assert fast_f0 == pytest.approx(original_f0, rel=0.03), "the voice keeps its pitch"
    assert raw_f0 == pytest.approx(original_f0 * 1.5, rel=0.05), "the control: without compensation the pitch rises"
