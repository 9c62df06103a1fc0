"""'Play my answer' on the feedback page: the same player as a past attempt's (state, position, the word played).

A real answer from the fake microphone, transcribed by the real model; QtMultimedia plays the
saved FLAC (to a null audio output offscreen).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaPlayer

from app.core.practice import format_seconds
from tests.conftest import REPO
from tests.gui.conftest import screenshot
from tests.gui.test_practice_flow import ANSWER, open_demo
from tests.gui.test_review_replay import word_position


def test_play_my_answer_shows_state_position_and_the_word_being_played(window, qtbot, fake_mic, spoken) -> None:
    fake_mic.load(spoken(ANSWER))
    open_demo(window, qtbot)
    qtbot.mouseClick(window.start_page.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.controller.feedbackReady, timeout=120000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    saved = blocker.args[0]
    page = window.feedback_page
    assert window.stack.currentWidget() is page
    words = saved.analysis.transcript.words
    assert len(words) > 15
    replay = page.replay
    assert page.play_button.isEnabled() and page.play_button.text() == "▶ Play my answer"
    duration = saved.analysis.delivery.duration_s
    assert replay.clock.text() == f"0:00 / {format_seconds(duration)}" and replay.slider.maximum() == int(
        duration * 1000
    )

    # Ctrl+P plays: the button says Pause, the position moves, the transcript highlights the word played.
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    player = replay.player
    assert player is not None and player.source().toLocalFile() == str(saved.audio_path)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    assert page.play_button.text() == "❚❚ Pause"
    qtbot.waitUntil(lambda: replay.slider.value() >= 1500 and replay.current_word is not None, timeout=15000)
    assert replay.clock.text().startswith("0:01") or replay.clock.text().startswith("0:02")
    first = replay.current_word
    qtbot.waitUntil(lambda: replay.current_word is not None and replay.current_word > first, timeout=15000)
    assert replay.current_word == replay.word_at(player.position() / 1000) or replay.current_word > first
    assert "#1f6feb" in page.transcript.toHtml(), "the word being played is highlighted"
    window.resize(1440, 900)
    qtbot.wait(50)
    screenshot(window, "feedback-replay-1440x900")

    # Ctrl+P again pauses where it is.
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PausedState, timeout=5000)
    assert page.play_button.text() == "▶ Play my answer" and player.position() >= 1500

    # A click on a word plays from it, and the highlight is there.
    target = next(i for i, w in enumerate(words) if w.text.lower().startswith("lime"))
    start_ms = int(words[target].start * 1000)
    assert start_ms > 4000
    qtbot.mouseClick(page.transcript.viewport(), Qt.MouseButton.LeftButton, pos=word_position(page, target))
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    qtbot.waitUntil(lambda: player.position() >= start_ms, timeout=10000)
    assert replay.current_word is not None and replay.current_word >= target
    window.resize(800, 600)
    qtbot.wait(50)
    screenshot(window, "feedback-replay-800x600")

    # Leaving the page stops the replay. The stop's own position report reaches the highlight from the
    # event loop, not inside the stop: redrawing the transcript there deadlocked with Qt's audio thread.
    inside_stop, seen = [True], []
    replay.wordChanged.connect(lambda _index: seen.append(inside_stop[0]))
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    inside_stop[0] = False
    assert window.stack.currentWidget() is window.start_page
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.StoppedState, timeout=5000)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert not any(seen), "the transcript was redrawn inside the player's stop"


def test_a_stop_lets_a_thread_that_needs_python_run_before_it_returns(tmp_path) -> None:
    """Qt's audio renderer, deleted inside QMediaPlayer.stop(), needs Python's interpreter lock for our
    QAudioOutput; a stop that kept the lock waited for it for ever (a whole CI run hung there under
    load). The child makes that wait certain: a slot on another thread, which needs the lock, must run
    before the stop returns. Real QtMultimedia in a real subprocess, killed if it hangs."""
    wav = REPO / "tests/data/eval/speech/pocketsphinx_misc/004.wav"
    try:
        child = subprocess.run(
            [sys.executable, "-m", "tests.gui.replay_stop", str(wav)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("ReplayPlayer.stop() kept the interpreter lock while Qt waited for another thread: deadlock")
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["stopped", "1", "True"]
