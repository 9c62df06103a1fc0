"""One recording's replay: play / pause, a position slider and clock, and the word being played.

The feedback page and a past attempt use this same player, so replay looks and behaves alike
everywhere. `wordChanged` follows playback (the host highlights that word in its transcript);
`seek_to_word` plays from a clicked word. A seek asked for before the file has loaded is kept and
applied once it has (QMediaPlayer ignores setPosition until then).

Speed (0.75x to 1.5x) keeps the voice's pitch: Qt's FFmpeg backend time-stretches when pitch
compensation is on (measured: tests/gui/test_replay_speed.py renders the output and compares F0).
A loop replays one passage (words selected in the transcript) until it is switched off.
"""

from __future__ import annotations

import logging
import time
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, Qt, QUrl, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from app.core.practice import format_seconds

# After a stop or a change of file, Qt's FFmpeg backend deletes its audio renderer on its own thread,
# holding one of Qt's connection locks; dropping the renderer's connections to our QAudioOutput (a
# PySide object) then needs Python's interpreter lock. If this thread, holding that lock, meanwhile
# makes or drops any connection guarded by the same Qt lock, both wait for ever (seen in test runs:
# Esc on the feedback page during playback froze the window; once more on 2026-12-02 under load, the
# stop's own positionChanged redrawing the transcript inside player.stop(), before the sleep). Sleeping
# briefly here releases the interpreter lock while the renderer goes, and the player's signals are
# queued so that none of our slots runs inside the call that starts it. The stop itself goes through
# QMetaObject.invokeMethod, which PySide runs without the interpreter lock (QMediaPlayer.stop() keeps
# it, unlike setSource): the renderer, asking for the lock from inside the stop, then gets it.
SETTLE_S = 0.05

if TYPE_CHECKING:  # QtMultimedia is imported on first play (~0.1 s to start)
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger(__name__)

PAUSE_TEXT = "❚❚ Pause"
SPEEDS = (0.75, 0.9, 1.0, 1.1, 1.25, 1.5)  # slower to hear a passage, faster to skim: the range speech stays clear in
LOOP_TEXT = "⟲ Loop"


def nearest_speed(rate: float) -> float:
    return min(SPEEDS, key=lambda s: abs(s - rate))


class ReplayPlayer(QWidget):
    wordChanged = Signal(object)  # index of the word being played, or None
    message = Signal(str)  # playback failed
    speedChanged = Signal(float)
    loopChanged = Signal(bool)

    def __init__(self, play_text: str = "▶ Play", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_text = play_text
        self.player: QMediaPlayer | None = None  # made on first use (QtMultimedia takes ~0.1 s to start)
        self.audio_output: QAudioOutput | None = None
        self.path: Path | None = None
        self.duration_s = 0.0
        self.current_word: int | None = None
        self._starts: list[float] = []
        self._pending_seek_ms: int | None = None
        self.speed = 1.0
        self.loop_range: tuple[float, float] | None = None  # seconds: the passage a loop replays
        self.looping = False
        self._wrapped = False  # a loop has just sent playback back to its passage's start

        self.play_button = QPushButton(play_text)
        self.play_button.setAccessibleName("Play or pause the recording")
        self.play_button.clicked.connect(self.toggle_play)
        widest = max(self.play_button.fontMetrics().horizontalAdvance(t) for t in (play_text, PAUSE_TEXT))
        self.play_button.setMinimumWidth(widest + 32)  # the same width playing or paused: nothing beside it moves
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Position in the recording")
        self.slider.setRange(0, 0)
        self.slider.sliderMoved.connect(self._update_clock)
        self.slider.sliderReleased.connect(lambda: self.seek_ms(self.slider.value()))
        self.clock = QLabel("0:00 / 0:00")
        self.clock.setObjectName("muted")
        self.clock.setMinimumWidth(90)
        self.speed_combo = QComboBox()
        self.speed_combo.setAccessibleName("Replay speed")
        self.speed_combo.setToolTip("Replay speed; the voice keeps its pitch ([ slower, ] faster)")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_combo.currentIndexChanged.connect(lambda i: self.set_speed(SPEEDS[i]))
        self.loop_button = QPushButton(LOOP_TEXT)
        self.loop_button.setCheckable(True)
        self.loop_button.setAccessibleName("Loop the selected passage")
        self.loop_button.toggled.connect(self.set_looping)
        self._loop_tip()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.clock)
        layout.addWidget(self.speed_combo)
        layout.addWidget(self.loop_button)

    # -- what to play ---------------------------------------------------------------------------------
    def set_recording(self, path: Path | None, duration_s: float, word_starts: Sequence[float]) -> None:
        """A new recording (None: nothing to play): stopped at its start, no word highlighted."""
        self.stop()
        self.set_loop_range(None)
        self.path = path if path is not None and path.exists() else None
        self.duration_s = duration_s
        self._starts = list(word_starts)
        self.current_word = None
        self.play_button.setEnabled(self.path is not None)
        self.slider.setEnabled(self.path is not None)
        self._loop_tip()
        self.slider.setRange(0, int(duration_s * 1000))
        self.slider.setValue(0)
        self._update_clock(0)

    @property
    def playing(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        return self.player is not None and self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _ensure_player(self) -> QMediaPlayer:
        player = self.player
        if player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            player = self.player = QMediaPlayer(self)
            self.audio_output = QAudioOutput(self)
            player.setAudioOutput(self.audio_output)
            # Queued: a stop or a change of file emits these inside the call, and their slots redraw the
            # transcript, which makes connections (QTextEdit.setHtml) while the renderer goes (see
            # SETTLE_S). Queued, they run from the event loop once the call has returned and SETTLE_S
            # has passed. The state's slot only relabels the button and stays direct.
            queued = Qt.ConnectionType.QueuedConnection
            player.positionChanged.connect(self._position_changed, queued)
            player.mediaStatusChanged.connect(self._media_status, queued)
            player.playbackStateChanged.connect(self._state_changed)
            player.errorOccurred.connect(self._error)
            self._keep_pitch()
            player.setPlaybackRate(self.speed)
        if self.path is not None:
            url = QUrl.fromLocalFile(str(self.path))
            if player.source() != url:
                player.setSource(url)
                time.sleep(SETTLE_S)
        return player

    def _error(self, _error: QMediaPlayer.Error, text: str) -> None:
        log.error("Playback of %s failed: %s", self.path, text)
        self.message.emit(f"Playback failed: {text}")

    def _keep_pitch(self) -> None:
        """Time-stretch instead of resampling, so 1.5x does not sound like a chipmunk. Only while the
        speed is not 1x: at 1x there is nothing to stretch, and the FFmpeg backend's stretcher once
        left `stop()` waiting forever after a pause (a whole test run hung there)."""
        from PySide6.QtMultimedia import QMediaPlayer

        player = self.player
        assert player is not None
        if player.pitchCompensationAvailability() == QMediaPlayer.PitchCompensationAvailability.Unavailable:
            if self.speed != 1.0:
                log.warning(
                    "This Qt multimedia backend cannot keep pitch: replay at %gx changes the voice's pitch", self.speed
                )
            self.speed_combo.setToolTip(
                "Replay speed ([ slower, ] faster); this system's player changes pitch with speed"
            )
        elif player.pitchCompensation() != (self.speed != 1.0):
            player.setPitchCompensation(self.speed != 1.0)

    @property
    def pitch_kept(self) -> bool:
        return self.player is not None and (self.speed == 1.0 or self.player.pitchCompensation())

    # -- speed and loop -------------------------------------------------------------------------------
    def set_speed(self, rate: float) -> None:
        """Play at `rate` (the nearest of SPEEDS); the host remembers it in the settings via speedChanged."""
        rate = nearest_speed(rate)
        self.speed_combo.blockSignals(True)
        self.speed_combo.setCurrentIndex(SPEEDS.index(rate))
        self.speed_combo.blockSignals(False)
        if rate == self.speed:
            return
        self.speed = rate
        if self.player is not None:
            self._keep_pitch()
            self.player.setPlaybackRate(rate)
        self.speedChanged.emit(rate)

    def step_speed(self, steps: int) -> None:
        """[ and ]: one step slower or faster, stopping at the ends."""
        index = min(len(SPEEDS) - 1, max(0, SPEEDS.index(self.speed) + steps))
        self.set_speed(SPEEDS[index])

    def set_loop_range(self, passage: tuple[float, float] | None) -> None:
        """The passage a loop plays (start, end seconds), or None; a loop running moves to the new passage."""
        if passage is not None and passage[1] - passage[0] < 0.05:
            passage = None
        self.loop_range = passage
        if passage is None and self.looping:
            self.loop_button.setChecked(False)
        elif passage is not None and self.looping:
            self.seek_ms(int(passage[0] * 1000), play=True)
        self._loop_tip()

    def _loop_tip(self) -> None:
        passage = self.loop_range
        self.loop_button.setEnabled(passage is not None and self.path is not None)
        if passage is None:
            self.loop_button.setText(LOOP_TEXT)
            self.loop_button.setToolTip("Select words in the transcript to loop them (L); Esc stops the loop")
        else:
            span = f"{format_seconds(passage[0])}–{format_seconds(passage[1])}"
            self.loop_button.setText(f"{LOOP_TEXT} {span}")
            self.loop_button.setToolTip(f"Play {span} over and over (L); Esc stops the loop")

    def set_looping(self, on: bool) -> None:
        on = on and self.loop_range is not None and self.path is not None
        if self.loop_button.isChecked() != on:
            self.loop_button.setChecked(on)  # comes back here through toggled
            return
        if on == self.looping:
            return
        self.looping = on
        if on:
            assert self.loop_range is not None
            self.seek_ms(int(self.loop_range[0] * 1000), play=True)
        self.loopChanged.emit(on)

    def stop_loop(self) -> bool:
        """Esc: end a loop (playback goes on from where it is); True when there was one."""
        if not self.looping:
            return False
        self.set_looping(False)
        return True

    # -- controls -------------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.path is None:
            return
        player = self._ensure_player()
        if self.playing:
            player.pause()
        else:
            player.play()

    def seek_to_word(self, index: int) -> None:
        """Play from the start of word `index` (a click on the transcript)."""
        if self.path is None or not 0 <= index < len(self._starts):
            return
        self.seek_ms(int(self._starts[index] * 1000), play=True)
        self._set_current_word(index)

    def seek_ms(self, position_ms: int, play: bool = False) -> None:
        if self.path is None:
            return
        from PySide6.QtMultimedia import QMediaPlayer

        player = self._ensure_player()
        if player.mediaStatus() in (QMediaPlayer.MediaStatus.LoadingMedia, QMediaPlayer.MediaStatus.NoMedia):
            self._pending_seek_ms = position_ms  # applied once the file is open
        else:
            player.setPosition(position_ms)
        if play:
            player.play()

    def stop(self) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if self.player is not None and self.player.playbackState() != QMediaPlayer.PlaybackState.StoppedState:
            QMetaObject.invokeMethod(self.player, "stop", Qt.ConnectionType.DirectConnection)  # lock released
            time.sleep(SETTLE_S)
        self._pending_seek_ms = None

    def release(self) -> None:
        """Let go of the file, so it can be removed (Windows locks open files)."""
        self.stop()
        if self.player is not None:
            self.player.setSource(QUrl())
            time.sleep(SETTLE_S)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if self.player is not None and self.playing:  # its page was left: playback should not go on unseen
            self.player.pause()  # (pause(), not stop(): stop would also leave Stopped)
        super().hideEvent(event)

    # -- following playback ---------------------------------------------------------------------------
    def word_at(self, seconds: float) -> int | None:
        """The word being spoken at `seconds`: the last word that has started (None before the first)."""
        i = bisect_right(self._starts, seconds + 1e-6) - 1
        return i if i >= 0 else None

    def _media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        loaded = status in (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if loaded and self._pending_seek_ms is not None and self.player is not None:
            position, self._pending_seek_ms = self._pending_seek_ms, None
            self.player.setPosition(position)
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            if self.looping and self.loop_range is not None:  # a passage to the very end: round again
                self.seek_ms(int(self.loop_range[0] * 1000), play=True)
                return
            self._set_current_word(None)

    def _position_changed(self, position_ms: int) -> None:
        if self.looping and self.loop_range is not None and position_ms >= self.loop_range[1] * 1000:
            if not self._wrapped and self.player is not None:  # the first report past the end after a wrap
                self._wrapped = True  # is stale: the seek is under way
                self.player.setPosition(int(self.loop_range[0] * 1000))
            return
        self._wrapped = False
        if not self.slider.isSliderDown():
            self.slider.setValue(position_ms)
        self._update_clock(position_ms)
        self._set_current_word(self.word_at(position_ms / 1000))

    def _set_current_word(self, index: int | None) -> None:
        if index != self.current_word:
            self.current_word = index
            self.wordChanged.emit(index)

    def _state_changed(self, _state: QMediaPlayer.PlaybackState) -> None:
        self.play_button.setText(PAUSE_TEXT if self.playing else self.play_text)

    def _update_clock(self, position_ms: int) -> None:
        self.clock.setText(f"{format_seconds(position_ms / 1000)} / {format_seconds(self.duration_s)}")
