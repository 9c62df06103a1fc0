"""Feedback: figures, the marked-up transcript, the key-point checklist, replay and the next step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis import AnswerAnalysis
from app.core.coach import advice
from app.core.packs import Question
from app.gui.widgets.advice_box import AdviceBox
from app.gui.widgets.answer_panel import AnswerPanel
from app.gui.widgets.page_scroll import FittingSplitter, page_scroller
from app.gui.widgets.replay_player import ReplayPlayer


class FeedbackPage(QWidget):
    tryAgain = Signal()
    nextQuestion = Signal()
    backRequested = Signal()
    wordClicked = Signal(int)
    overrideRequested = Signal(int, object)  # key point position, True / False / None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis: AnswerAnalysis | None = None
        self.question: Question | None = None

        self.title = QLabel()
        self.title.setObjectName("feedbackQuestion")
        self.title.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("warning")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self._build_answer()
        self._build_reference()
        buttons = self._build_buttons()

        # Advice, figures and answer scroll in a small window instead of being squeezed over each
        # other; the question, the player and the buttons stay put.
        for part in (self.panel.transcript, self.panel.points):  # a few lines each, never one
            part.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.page_scroll = page_scroller(self.notice, self.advice_box, self.star, self.vertical, stretch=self.vertical)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.page_scroll, 1)
        layout.addWidget(self.replay)
        layout.addLayout(buttons)

    def _build_answer(self) -> None:
        """The judged answer (figures, transcript, key points) with its replay; a click plays from a word."""
        self.mark_covered = QPushButton("I did cover this")
        self.mark_missed = QPushButton("I did not")
        self.mark_covered.clicked.connect(lambda: self._override(True))
        self.mark_missed.clicked.connect(lambda: self._override(False))
        marks_row = QWidget()
        marks = QHBoxLayout(marks_row)
        marks.setContentsMargins(0, 0, 0, 0)
        marks.addWidget(self.mark_covered)
        marks.addWidget(self.mark_missed)
        marks.addStretch(1)
        self.panel = AnswerPanel(
            "Your answer",
            "Click a word to play from there · highlighted: covered key points (hover for which) · <u style='color:#b03a2e'>underlined</u>: fillers "
            "(<i style='color:#b03a2e'>[possible filler]</i>: a short sound that came back as no word) · "
            "<i style='color:#6639ba'>purple</i>: hedges (“I think”, “maybe”: they make you sound unsure) · "
            "[pause]: silences over 2 s · <span style='color:#7d8590'>grey</span>: the recogniser was unsure",
            below_points=[marks_row],
        )
        self.panel.wordClicked.connect(self.wordClicked)
        # Replay: the same player as a past attempt's; the transcript follows it, a click plays from a word.
        self.replay = ReplayPlayer("▶ Play my answer")
        self.replay.play_button.setToolTip("Play or pause your answer (Ctrl+P); click a word to play from there")
        self.replay.wordChanged.connect(self._word_changed)
        self.panel.wordClicked.connect(self.replay.seek_to_word)
        self.panel.passageSelected.connect(self.replay.set_loop_range)  # words selected: the passage L loops
        self.panel.strip.seekRequested.connect(lambda seconds: self.replay.seek_ms(int(seconds * 1000), play=True))
        self.play_button = self.replay.play_button
        self.panel.pointSelected.connect(self._point_selected)
        # The panel's parts, by the names the rest of the window and the tests use.
        self.tiles, self.transcript, self.points, self.why = (
            self.panel.tiles,
            self.panel.transcript,
            self.panel.points,
            self.panel.why,
        )

    def _build_reference(self) -> None:
        """The reference answer under the answer, shown on request."""
        self.reference = QTextBrowser()
        self.reference.setObjectName("reference")
        self.reference.setMinimumHeight(60)
        self.reference.hide()
        self.vertical = FittingSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.panel)
        self.vertical.addWidget(self.reference)
        self.vertical.setStretchFactor(0, 4)
        self.vertical.setStretchFactor(1, 1)
        self.vertical.setChildrenCollapsible(False)

    def _build_buttons(self) -> QHBoxLayout:
        """What to fix next with Try again beside it, the story's parts, and where to go next."""
        self.reference_button = QPushButton("Show reference answer")
        self.reference_button.setCheckable(True)
        self.reference_button.toggled.connect(self._toggle_reference)
        self.back_button = QPushButton("Questions")
        self.back_button.clicked.connect(self.backRequested)
        self.again_button = QPushButton("Try again  (Ctrl+R)")
        self.again_button.setToolTip("Answer this question again (Ctrl+R)")
        self.again_button.clicked.connect(self.tryAgain)
        # What to fix next, with the way to do it right beside it.
        self.advice_box = AdviceBox(self.again_button)
        # Behavioural questions: which parts of the story were told.
        self.star = QLabel()
        self.star.setObjectName("starStrip")
        self.star.setWordWrap(True)
        self.star.hide()
        self.next_button = QPushButton("Next question  (Ctrl+N)")
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.nextQuestion)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.reference_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        return buttons

    # -- content ------------------------------------------------------------------------------------
    def show_analysis(
        self,
        question: Question,
        analysis: AnswerAnalysis,
        has_audio: bool,
        notice: str | None = None,
        has_next: bool = True,
        audio_path: Path | None = None,
    ) -> None:
        self.question, self.analysis = question, analysis
        self.title.setText(question.text)
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self.replay.set_recording(
            audio_path if has_audio else None,
            analysis.delivery.duration_s,
            [w.start for w in analysis.transcript.words],
        )
        self.next_button.setEnabled(has_next)
        self.reference_button.setEnabled(bool(question.reference_answer))
        self.reference.setPlainText(question.reference_answer or "")
        self.reference_button.setChecked(False)
        self.panel.show_answer(
            analysis.transcript.words,
            analysis.key_points,
            analysis.delivery,
            raw_words=analysis.transcript.raw_words,
            corrections=analysis.transcript.corrections,
            typed=analysis.transcript.model == "typed",
        )
        self.advice_box.show_advice(advice(analysis, question))
        self._show_story(analysis)

    def _show_story(self, analysis: AnswerAnalysis) -> None:
        """Situation · Task · Action · Result, each ticked or crossed, and what a missing one needs."""
        checks = analysis.star or []
        self.star.setVisible(bool(checks))
        if not checks:
            return
        parts = [
            f"<span style='color:{'#1a7f37' if c.present else '#cf222e'}'>{'✓' if c.present else '✗'} "
            f"{c.part.capitalize()}</span>"
            for c in checks
        ]
        missing = [c.missing for c in checks if not c.present]
        self.star.setText("Story: " + " · ".join(parts) + (f" — {missing[0]}" if missing else ""))
        self.star.setToolTip("\n".join(f"{c.part}: {c.score:.2f} (needs {c.threshold:.2f})" for c in checks))

    def refresh(self, current_word: int | None = None) -> None:
        self.panel.refresh(self.replay.current_word if current_word is None else current_word)

    def _word_changed(self, index: int | None) -> None:
        """The transcript highlights the word being played and keeps it in view."""
        self.panel.render_transcript(index)
        if index is not None:
            self.transcript.scroll_to_word(index)
            self.panel.strip.set_position(self.panel.words[index].start if index < len(self.panel.words) else None)

    def _point_selected(self, row: int) -> None:
        analysis = self.analysis
        valid = analysis is not None and row >= 0
        covered = analysis is not None and row >= 0 and analysis.key_points[row].judged_covered
        self.mark_covered.setEnabled(valid and not covered)
        self.mark_missed.setEnabled(valid and covered)

    def _override(self, covered: bool) -> None:
        row = self.points.currentRow()
        if self.analysis is None or not 0 <= row < len(self.analysis.key_points):
            return
        result = self.analysis.key_points[row]
        result.override = None if covered == result.covered else covered
        self.overrideRequested.emit(row, result.override)
        self.refresh()
        self.advice_box.show_advice(advice(self.analysis, self.question))  # a correction can change what to fix

    def _toggle_reference(self, shown: bool) -> None:
        self.reference.setVisible(shown)
        if shown:
            total = sum(self.vertical.sizes()) or self.vertical.height()
            self.vertical.setSizes([int(total * 0.7), int(total * 0.3)])
        self.reference_button.setText("Hide reference answer" if shown else "Show reference answer")
