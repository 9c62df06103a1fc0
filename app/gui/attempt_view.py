"""One past attempt: its recording with play / pause / seek, the transcript following playback, the feedback as shown.

The transcript highlights the word being played (transcript_html(current_word=...)); clicking
a word seeks the recording there. Notes are saved, and the attempt can be deleted, compared
with another attempt at the same question, or exported as a report.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QHideEvent, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.core.practice import format_seconds
from app.core.workspace import Workspace
from app.db.history import AttemptDetail
from app.gui.widgets.answer_panel import AnswerPanel
from app.gui.workers import JobRunner


class AttemptView(QWidget):
    backRequested = Signal()
    compareRequested = Signal(int)  # this attempt's id
    progressRequested = Signal(str, str)  # pack id, question id
    deleted = Signal(int)
    message = Signal(str)
    loaded = Signal(int)

    def __init__(self, workspace: Workspace, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.detail: AttemptDetail | None = None
        self.player = None  # QMediaPlayer, made on first use
        self.audio_output = None
        self.current_word: int | None = None
        self._starts: list[float] = []
        self._pending_seek_ms: int | None = None

        self.back_button = QPushButton("← Back")
        self.back_button.clicked.connect(self.backRequested)
        self.title = QLabel()
        self.title.setObjectName("feedbackQuestion")
        self.title.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        self.meta.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("warning")
        self.notice.setWordWrap(True)
        self.notice.hide()
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.meta)
        top.addLayout(heading, 1)

        self.play_button = QPushButton("▶ Play")
        self.play_button.setAccessibleName("Play or pause the recording")
        self.play_button.clicked.connect(self.toggle_play)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Position in the recording")
        self.slider.setRange(0, 0)
        self.slider.sliderMoved.connect(self._slider_moved)
        self.slider.sliderReleased.connect(lambda: self.seek_ms(self.slider.value()))
        self.clock = QLabel("0:00 / 0:00")
        self.clock.setObjectName("muted")
        self.clock.setMinimumWidth(90)
        player_row = QHBoxLayout()
        player_row.addWidget(self.play_button)
        player_row.addWidget(self.slider, 1)
        player_row.addWidget(self.clock)

        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your note on this answer (saved with it)…")
        self.note.setAccessibleName("Note")
        self.note.setFixedHeight(54)
        self.note.textChanged.connect(lambda: self.save_note_button.setEnabled(self._note_dirty()))
        self.save_note_button = QPushButton("Save note")
        self.save_note_button.clicked.connect(self.save_note)
        note_row = QWidget()
        note_layout = QHBoxLayout(note_row)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.addWidget(self.note, 1)
        note_layout.addWidget(self.save_note_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.panel = AnswerPanel(
            "Transcript",
            "Click a word to play from there · highlighted: covered key points · "
            "<u style='color:#b03a2e'>underlined</u>: fillers",
            below_transcript=[note_row],
        )
        self.panel.wordClicked.connect(self.seek_to_word)
        self.tiles, self.transcript, self.points, self.why, self.splitter = (
            self.panel.tiles, self.panel.transcript, self.panel.points, self.panel.why, self.panel.splitter)

        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save this answer as an HTML or Markdown report")
        self.export_button.clicked.connect(self.export)
        self.progress_button = QPushButton("Progress on this question")
        self.progress_button.clicked.connect(self._progress)
        self.compare_button = QPushButton("Compare with…")
        self.compare_button.setToolTip("Put this answer next to another answer to the same question")
        self.compare_button.clicked.connect(lambda: self.detail and self.compareRequested.emit(self.detail.summary.id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress_button)
        buttons.addWidget(self.compare_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(player_row)
        layout.addWidget(self.panel, 1)
        layout.addLayout(buttons)

    # -- content --------------------------------------------------------------------------------------
    def show_attempt(self, attempt_id: int) -> None:
        self.stop()
        self.runner.start(self.workspace.history.get_attempt, attempt_id, on_done=self.set_detail,
                          on_error=lambda m: self.message.emit(f"This answer could not be opened: {m}"))

    def set_detail(self, detail: AttemptDetail) -> None:
        self.stop()
        self.detail = detail
        s = detail.summary
        self.current_word = None
        self._starts = [w.start for w in detail.transcript.words]
        self.title.setText(detail.question.text)
        when = s.created_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        self.meta.setText(f"{s.pack_title} · {when} · attempt {s.id}")
        notice = ""
        if s.status == "untranscribed":
            notice = "This answer was saved but never transcribed, so it has no transcript or scores."
        elif not s.has_audio:
            notice = "The recording of this answer is no longer on this computer; the transcript and feedback are kept."
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.play_button.setEnabled(s.has_audio)
        self.slider.setEnabled(s.has_audio)
        self.slider.setRange(0, int(detail.delivery.duration_s * 1000))
        self.slider.setValue(0)
        self._update_clock(0)
        self.panel.show_answer(detail.transcript.words, detail.key_points, detail.delivery,
                               empty_text="No speech was transcribed for this answer.")
        self.note.blockSignals(True)
        self.note.setPlainText(s.note or "")
        self.note.blockSignals(False)
        self.save_note_button.setEnabled(False)
        self.loaded.emit(s.id)

    def _render_transcript(self) -> None:
        self.panel.render_transcript(self.current_word)

    # -- playback ------------------------------------------------------------------------------------------
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
        detail = self.detail
        if detail is not None and detail.summary.audio_path is not None:
            url = QUrl.fromLocalFile(str(detail.summary.audio_path))
            if self.player.source() != url:
                self.player.setSource(url)
        return self.player

    def toggle_play(self) -> None:
        if self.detail is None or not self.detail.summary.has_audio:
            return
        from PySide6.QtMultimedia import QMediaPlayer

        player = self._ensure_player()
        if player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            player.pause()
        else:
            player.play()

    def seek_to_word(self, index: int) -> None:
        """Play from the start of word `index` (a click on the transcript)."""
        detail = self.detail
        if detail is None or not 0 <= index < len(detail.transcript.words):
            return
        self.seek_ms(int(detail.transcript.words[index].start * 1000), play=True)
        self._set_current_word(index)

    def seek_ms(self, position_ms: int, play: bool = False) -> None:
        if self.detail is None or not self.detail.summary.has_audio:
            return
        from PySide6.QtMultimedia import QMediaPlayer

        player = self._ensure_player()
        if player.mediaStatus() in (QMediaPlayer.MediaStatus.LoadingMedia, QMediaPlayer.MediaStatus.NoMedia):
            self._pending_seek_ms = position_ms  # applied once the file is open
        else:
            player.setPosition(position_ms)
        if play:
            player.play()

    def _media_status(self, status) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia) and self._pending_seek_ms is not None:
            position, self._pending_seek_ms = self._pending_seek_ms, None
            self.player.setPosition(position)  # type: ignore[union-attr]
        elif status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._set_current_word(None)

    def _slider_moved(self, value: int) -> None:
        self._update_clock(value)

    def _position_changed(self, position_ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(position_ms)
        self._update_clock(position_ms)
        self._set_current_word(self.word_at(position_ms / 1000))

    def word_at(self, seconds: float) -> int | None:
        """The word being spoken at `seconds`: the last word that has started (None before the first)."""
        i = bisect_right(self._starts, seconds + 1e-6) - 1
        return i if i >= 0 else None

    def _set_current_word(self, index: int | None) -> None:
        if index == self.current_word:
            return
        self.current_word = index
        self._render_transcript()
        if index is not None:
            self._scroll_to_word(index)

    def _scroll_to_word(self, index: int) -> None:
        """Keep the highlighted word in view as playback moves on."""
        document = self.transcript.document()
        target = f"word:{index}"
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().anchorHref() == target:
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    rect = self.transcript.cursorRect(cursor)
                    viewport = self.transcript.viewport().rect()
                    if not viewport.adjusted(0, 20, 0, -20).contains(rect.center()):
                        bar = self.transcript.verticalScrollBar()
                        bar.setValue(bar.value() + rect.center().y() - viewport.height() // 3)
                    return
                it += 1
            block = block.next()

    def _state_changed(self, state) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtMultimedia import QMediaPlayer

        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText("❚❚ Pause" if playing else "▶ Play")

    def _update_clock(self, position_ms: int) -> None:
        total = self.detail.delivery.duration_s if self.detail else 0
        self.clock.setText(f"{format_seconds(position_ms / 1000)} / {format_seconds(total)}")

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._pending_seek_ms = None

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if self.player is not None:
            self.player.pause()
        super().hideEvent(event)

    # -- note, delete, export ---------------------------------------------------------------------------
    def _note_dirty(self) -> bool:
        return self.detail is not None and self.note.toPlainText().strip() != (self.detail.summary.note or "")

    def save_note(self) -> None:
        detail = self.detail
        if detail is None:
            return
        text = self.note.toPlainText().strip()
        attempt_id = detail.summary.id

        def saved(_result: object) -> None:
            if self.detail is not None and self.detail.summary.id == attempt_id:
                from dataclasses import replace

                self.detail = replace(self.detail, summary=self.detail.summary._replace(note=text or None))
                self.save_note_button.setEnabled(self._note_dirty())
            self.message.emit("Note saved")

        self.save_note_button.setEnabled(False)
        self.runner.start(self.workspace.history.set_note, attempt_id, text or None, on_done=saved,
                          on_error=lambda m: self.message.emit(f"The note could not be saved: {m}"))

    def delete(self) -> None:
        if self.detail is None:
            return
        from app.gui.history_page import confirm_delete

        def done(attempt_id: int) -> None:
            self.stop()
            if self.player is not None:
                self.player.setSource(QUrl())
            self.detail = None
            self.deleted.emit(attempt_id)

        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())  # let go of the file, so it can be removed (Windows locks open files)
        confirm_delete(self, self.workspace, self.runner, self.detail.summary, done)

    def _progress(self) -> None:
        if self.detail is not None:
            self.progressRequested.emit(self.detail.summary.pack_id, self.detail.summary.question_id)

    def export(self) -> None:
        if self.detail is None:
            return
        name = f"rehearse-{self.detail.summary.question_id}-{self.detail.summary.created_at.astimezone():%Y%m%d-%H%M}.html"
        path, chosen = QFileDialog.getSaveFileName(self, "Export this answer", str(Path.home() / name),
                                                   "HTML report (*.html);;Markdown (*.md)")
        if path:
            self.write_report(Path(path), "md" if path.endswith(".md") or chosen.startswith("Markdown") else "html")

    def write_report(self, path: Path, fmt: str) -> None:
        from app.core.review import export
        from app.core.review.reports import save

        detail = self.detail
        assert detail is not None

        def write() -> str:
            text = export.attempt_html(detail) if fmt == "html" else export.attempt_markdown(detail)
            return f"Exported to {save(text, path)}"

        self.runner.start(write, on_done=self.message.emit, on_error=lambda m: self.message.emit(f"Export failed: {m}"))

