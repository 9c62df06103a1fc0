"""One recording's replay: play / pause, a position slider and clock, and the word being played.

The feedback page and a past attempt use this same player, so replay looks and behaves alike
everywhere. `wordChanged` follows playback (the host highlights that word in its transcript);
`seek_to_word` plays from a clicked word. A seek asked for before the file has loaded is kept and
applied once it has (QMediaPlayer ignores setPosition until then).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from app.core.practice import format_seconds

PAUSE_TEXT = "❚❚ Pause"


class ReplayPlayer(QWidget):
    wordChanged = Signal(object)  # index of the word being played, or None
    message = Signal(str)  # playback failed

    def __init__(self, play_text: str = "▶ Play", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_text = play_text
        self.player = None  # QMediaPlayer, made on first use (QtMultimedia takes ~0.1 s to start)
        self.audio_output = None
        self.path: Path | None = None
        self.duration_s = 0.0
        self.current_word: int | None = None
        self._starts: list[float] = []
        self._pending_seek_ms: int | None = None

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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.play_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.clock)

    # -- what to play ---------------------------------------------------------------------------------
    def set_recording(self, path: Path | None, duration_s: float, word_starts: Sequence[float]) -> None:
        """A new recording (None: nothing to play): stopped at its start, no word highlighted."""
        self.stop()
        self.path = path if path is not None and path.exists() else None
        self.duration_s = duration_s
        self._starts = list(word_starts)
        self.current_word = None
        self.play_button.setEnabled(self.path is not None)
        self.slider.setEnabled(self.path is not None)
        self.slider.setRange(0, int(duration_s * 1000))
        self.slider.setValue(0)
        self._update_clock(0)

    @property
    def playing(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        return self.player is not None and self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _ensure_player(self):  # type: ignore[no-untyped-def]
        if self.player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self.player = QMediaPlayer(self)
            self.audio_output = QAudioOutput(self)
            self.player.setAudioOutput(self.audio_output)
            self.player.positionChanged.connect(self._position_changed)
            self.player.playbackStateChanged.connect(self._state_changed)
            self.player.mediaStatusChanged.connect(self._media_status)
            self.player.errorOccurred.connect(lambda _e, text: self.message.emit(f"Playback failed: {text}"))
        if self.path is not None:
            url = QUrl.fromLocalFile(str(self.path))
            if self.player.source() != url:
                self.player.setSource(url)
        return self.player

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
        if self.player is not None:
            self.player.stop()
        self._pending_seek_ms = None

    def release(self) -> None:
        """Let go of the file, so it can be removed (Windows locks open files)."""
        self.stop()
        if self.player is not None:
            self.player.setSource(QUrl())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if self.playing:  # its page was left: playback should not go on unseen (pause() would also leave Stopped)
            self.player.pause()  # type: ignore[union-attr]
        super().hideEvent(event)

    # -- following playback ---------------------------------------------------------------------------
    def word_at(self, seconds: float) -> int | None:
        """The word being spoken at `seconds`: the last word that has started (None before the first)."""
        i = bisect_right(self._starts, seconds + 1e-6) - 1
        return i if i >= 0 else None

    def _media_status(self, status) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia) and self._pending_seek_ms is not None:
            position, self._pending_seek_ms = self._pending_seek_ms, None
            self.player.setPosition(position)  # type: ignore[union-attr]
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._set_current_word(None)

    def _position_changed(self, position_ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(position_ms)
        self._update_clock(position_ms)
        self._set_current_word(self.word_at(position_ms / 1000))

    def _set_current_word(self, index: int | None) -> None:
        if index != self.current_word:
            self.current_word = index
            self.wordChanged.emit(index)

    def _state_changed(self, _state) -> None:  # type: ignore[no-untyped-def]
        self.play_button.setText(PAUSE_TEXT if self.playing else self.play_text)

    def _update_clock(self, position_ms: int) -> None:
        self.clock.setText(f"{format_seconds(position_ms / 1000)} / {format_seconds(self.duration_s)}")
