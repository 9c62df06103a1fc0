"""One past attempt: its recording with play / pause / seek, the transcript following playback, the feedback as shown.

The transcript highlights the word being played (transcript_html(current_word=...)); clicking
a word seeks the recording there. Notes are saved, and the attempt can be deleted, compared
with another attempt at the same question, or exported as a report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.records import AttemptDetail
from app.gui.widgets.answer_panel import AnswerPanel
from app.gui.widgets.bookmarks_panel import BookmarksPanel
from app.gui.widgets.page_scroll import page_scroller
from app.gui.widgets.replay_player import ReplayPlayer
from app.gui.workers import DATABASE, JobRunner
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QMediaPlayer


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
        self.find_text = ""  # the History search that led here: its words are marked in the transcript

        top = self._build_heading()

        self.replay = ReplayPlayer()
        self.replay.wordChanged.connect(self._word_changed)
        self.replay.message.connect(self.message)
        self.play_button, self.slider, self.clock = self.replay.play_button, self.replay.slider, self.replay.clock
        self._build_panel(workspace, runner)
        buttons = self._build_buttons()

        # The answer scrolls in a small window (bookmarks, strip and legend keep their height); the
        # heading, the player and the buttons stay put.
        for part in (self.panel.transcript, self.panel.points):  # a few lines each, never one
            part.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.page_scroll = page_scroller(self.notice, self.panel, stretch=self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.replay)
        layout.addWidget(self.page_scroll, 1)
        layout.addLayout(buttons)

    def _build_heading(self) -> QHBoxLayout:
        """Back, the question, when and in which pack, and a notice."""
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
        return top

    def _build_panel(self, workspace: Workspace, runner: JobRunner) -> None:
        """The transcript with the person's note under it and bookmarks beside the key points."""
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your note on this answer (saved with it)…")
        self.note.setAccessibleName("Note")
        self.note.setFixedHeight(54)
        self.save_note_button = QPushButton("Save note")
        self.note.textChanged.connect(lambda: self.save_note_button.setEnabled(self._note_dirty()))
        self.save_note_button.clicked.connect(self.save_note)
        note_row = QWidget()
        note_layout = QHBoxLayout(note_row)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.addWidget(self.note, 1)
        note_layout.addWidget(self.save_note_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.bookmarks = BookmarksPanel(workspace, runner, self.replay)
        self.bookmarks.seekRequested.connect(lambda seconds: self.replay.seek_ms(int(seconds * 1000), play=True))
        self.bookmarks.message.connect(self.message)
        self.panel = AnswerPanel(
            "Transcript",
            "Click a word to play from there · highlighted: covered key points · "
            "<u style='color:#b03a2e'>underlined</u>: fillers "
            "(<i style='color:#b03a2e'>[possible filler]</i>: a short sound that came back as no word) · <i style='color:#6639ba'>purple</i>: hedges · "
            "<span style='color:#7d8590'>grey</span>: the recogniser was unsure",
            below_transcript=[note_row],
            below_points=[self.bookmarks],
        )
        self.panel.passageSelected.connect(self.replay.set_loop_range)
        self.panel.wordClicked.connect(self.replay.seek_to_word)
        self.panel.strip.seekRequested.connect(lambda seconds: self.replay.seek_ms(int(seconds * 1000), play=True))
        self.tiles, self.transcript, self.points, self.why, self.splitter = (
            self.panel.tiles,
            self.panel.transcript,
            self.panel.points,
            self.panel.why,
            self.panel.splitter,
        )

    def _build_buttons(self) -> QHBoxLayout:
        """Delete, export, this question's progress, compare."""
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save this answer as an HTML or Markdown report")
        self.export_button.clicked.connect(self.export)
        self.progress_button = QPushButton("Progress on this question")
        self.progress_button.clicked.connect(self._progress)
        self.compare_button = QPushButton("Compare with…")
        self.compare_button.setToolTip("Put this answer next to another answer to the same question")
        self.compare_button.clicked.connect(self._compare)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress_button)
        buttons.addWidget(self.compare_button)
        return buttons

    def _compare(self) -> None:
        if self.detail is not None:
            self.compareRequested.emit(self.detail.summary.id)

    # -- content --------------------------------------------------------------------------------------
    def show_attempt(self, attempt_id: int) -> None:
        self.stop()
        self.runner.start(
            self.workspace.review.attempt,
            attempt_id,
            on_done=self.set_detail,
            on_error=lambda m: self.message.emit(f"This answer could not be opened: {m}"),
            lane=DATABASE,
            key="attempt-view",
        )  # a quick second pick shows the second answer

    def set_detail(self, detail: AttemptDetail) -> None:
        self.stop()
        self.detail = detail
        s = detail.summary
        self.title.setText(detail.question.text)
        when = s.created_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        self.meta.setText(f"{s.pack_title} · {when} · attempt {s.id}")
        notice = ""
        if s.status == "untranscribed":
            notice = "This answer was saved but never transcribed, so it has no transcript or scores."
        elif s.status == "typed":
            notice = (
                "A typed answer: key points were judged on the words typed; it has no recording or delivery figures."
            )
        elif not s.has_audio:
            notice = "The recording of this answer is no longer on this computer; the transcript and feedback are kept."
        from app.core.review.search import matching_words, search_terms

        self.panel.found = matching_words((w.text for w in detail.transcript.words), search_terms(self.find_text))
        if self.find_text:
            found = len(self.panel.found)
            self.meta.setText(
                f"{self.meta.text()} · {found} word{'s' if found != 1 else ''} found for “{self.find_text}”"
            )
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.replay.set_recording(
            Path(s.audio_path) if s.has_audio and s.audio_path else None,
            detail.delivery.duration_s,
            [w.start for w in detail.transcript.words],
        )
        self.panel.show_answer(
            detail.transcript.words,
            detail.key_points,
            detail.delivery,
            empty_text="No speech was transcribed for this answer.",
            raw_words=detail.transcript.raw_words,
            corrections=detail.transcript.corrections,
            typed=s.status == "typed",
        )
        self.bookmarks.set_bookmarks(s.id, detail.bookmarks)
        self.note.blockSignals(True)
        self.note.setPlainText(s.note or "")
        self.note.blockSignals(False)
        self.save_note_button.setEnabled(False)
        self.loaded.emit(s.id)

    # -- playback (app/gui/widgets/replay_player.py) -------------------------------------------------------
    @property
    def player(self) -> QMediaPlayer | None:
        """None until the first play."""
        return self.replay.player

    @property
    def current_word(self) -> int | None:
        return self.replay.current_word

    def toggle_play(self) -> None:
        self.replay.toggle_play()

    def seek_to_word(self, index: int) -> None:
        self.replay.seek_to_word(index)

    def stop(self) -> None:
        self.replay.stop()

    def _word_changed(self, index: int | None) -> None:
        """The transcript highlights the word being played and keeps it in view."""
        self.panel.render_transcript(index)
        if index is not None:
            self.transcript.scroll_to_word(index)
            self.panel.strip.set_position(self.panel.words[index].start if index < len(self.panel.words) else None)

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
        self.runner.start(
            self.workspace.review.set_note,
            attempt_id,
            text or None,
            on_done=saved,
            on_error=lambda m: self.message.emit(f"The note could not be saved: {m}"),
            lane=DATABASE,
        )

    def delete(self) -> None:
        if self.detail is None:
            return
        from app.gui.history_page import confirm_delete

        def done(attempt_id: int) -> None:
            self.replay.release()
            self.detail = None
            self.deleted.emit(attempt_id)

        self.replay.release()  # the file can be removed
        confirm_delete(self, self.workspace, self.runner, self.detail.summary, done)

    def _progress(self) -> None:
        if self.detail is not None:
            self.progressRequested.emit(self.detail.summary.pack_id, self.detail.summary.question_id)

    def export(self) -> None:
        if self.detail is None:
            return
        name = (
            f"rehearse-{self.detail.summary.question_id}-{self.detail.summary.created_at.astimezone():%Y%m%d-%H%M}.html"
        )
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export this answer", str(Path.home() / name), "HTML report (*.html);;Markdown (*.md)"
        )
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
