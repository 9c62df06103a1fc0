"""Feedback: figures, the marked-up transcript, the key-point checklist, replay and the next step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis import AnswerAnalysis
from app.core.feedback import explain, figures, point_colour, transcript_html, transcript_tokens
from app.core.packs import Question
from app.gui.widgets.transcript_view import TranscriptView

TONES = {"good": "#1a7f37", "warn": "#9a6700", "bad": "#cf222e", "neutral": "#1f2328"}


def _swatch(colour: str | None) -> QIcon:
    """The key point's highlight colour (as in the transcript), or an empty ring when missed."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#8c959f") if colour is None else QColor("#6e7781"))
    painter.setBrush(QColor(colour) if colour else Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(1, 1, 12, 12, 3, 3)
    painter.end()
    return QIcon(pixmap)


class FigureTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.label = QLabel()
        self.label.setObjectName("tileLabel")
        self.value = QLabel()
        self.value.setObjectName("tileValue")
        self.detail = QLabel()
        self.detail.setObjectName("tileDetail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.label)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_figure(self, label: str, value: str, detail: str, tone: str) -> None:
        self.label.setText(label.upper())
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {TONES.get(tone, TONES['neutral'])};")
        self.detail.setText(detail)


class FeedbackPage(QWidget):
    tryAgain = Signal()
    nextQuestion = Signal()
    backRequested = Signal()
    playRequested = Signal()
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

        self.tiles = [FigureTile() for _ in range(6)]
        tiles = QGridLayout()
        tiles.setSpacing(8)
        for i, tile in enumerate(self.tiles):
            tiles.addWidget(tile, 0, i)

        self.transcript = TranscriptView()
        self.transcript.wordClicked.connect(self.wordClicked)
        legend = QLabel("Highlighted: covered key points (hover for which) · <u style='color:#b03a2e'>underlined</u>: fillers · [pause]: silences over 2 s")
        legend.setObjectName("muted")
        legend.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Your answer")
        heading.setObjectName("sectionTitle")
        left_layout.addWidget(heading)
        left_layout.addWidget(self.transcript, 1)
        left_layout.addWidget(legend)

        self.points = QListWidget()
        self.points.setWordWrap(True)
        self.points.setResizeMode(QListView.ResizeMode.Adjust)
        self.points.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.points.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.points.setAccessibleName("Key points")
        self.points.currentRowChanged.connect(self._point_selected)
        self.why = QLabel()
        self.why.setObjectName("muted")
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mark_covered = QPushButton("I did cover this")
        self.mark_missed = QPushButton("I did not")
        self.mark_covered.clicked.connect(lambda: self._override(True))
        self.mark_missed.clicked.connect(lambda: self._override(False))
        marks = QHBoxLayout()
        marks.addWidget(self.mark_covered)
        marks.addWidget(self.mark_missed)
        marks.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Key points")
        heading.setObjectName("sectionTitle")
        right_layout.addWidget(heading)
        right_layout.addWidget(self.points, 1)
        right_layout.addWidget(self.why)
        right_layout.addLayout(marks)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.reference = QTextBrowser()
        self.reference.setObjectName("reference")
        self.reference.setMinimumHeight(60)
        self.reference.hide()
        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.splitter)
        self.vertical.addWidget(self.reference)
        self.vertical.setStretchFactor(0, 4)
        self.vertical.setStretchFactor(1, 1)
        self.vertical.setChildrenCollapsible(False)

        self.play_button = QPushButton("▶ Play my answer")
        self.play_button.clicked.connect(self.playRequested)
        self.reference_button = QPushButton("Show reference answer")
        self.reference_button.setCheckable(True)
        self.reference_button.toggled.connect(self._toggle_reference)
        self.back_button = QPushButton("Questions")
        self.back_button.clicked.connect(self.backRequested)
        self.again_button = QPushButton("Try again")
        self.again_button.clicked.connect(self.tryAgain)
        self.next_button = QPushButton("Next question  (Ctrl+N)")
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.nextQuestion)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.reference_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addLayout(tiles)
        layout.addWidget(self.vertical, 1)
        layout.addLayout(buttons)

    # -- content ------------------------------------------------------------------------------------
    def show_analysis(self, question: Question, analysis: AnswerAnalysis, has_audio: bool, notice: str | None = None,
                      has_next: bool = True) -> None:
        self.question, self.analysis = question, analysis
        self.title.setText(question.text)
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self.play_button.setEnabled(has_audio)
        self.next_button.setEnabled(has_next)
        self.reference_button.setEnabled(bool(question.reference_answer))
        self.reference.setPlainText(question.reference_answer or "")
        self.reference_button.setChecked(False)
        self.refresh()

    def refresh(self, current_word: int | None = None) -> None:
        analysis = self.analysis
        if analysis is None:
            return
        for tile, figure in zip(self.tiles, figures(analysis.delivery, analysis.key_points)):
            tile.show_figure(figure.label, figure.value, figure.detail, figure.tone)
        self.show_transcript(current_word)
        row = max(0, self.points.currentRow())
        self.points.blockSignals(True)
        self.points.clear()
        for i, result in enumerate(analysis.key_points):
            mark = "✓" if result.judged_covered else "✗"
            item = QListWidgetItem(_swatch(point_colour(i) if result.judged_covered else None), f"{mark}  {result.point}")
            item.setToolTip(explain(result))
            if not result.judged_covered:
                item.setForeground(QBrush(QColor("#8c1c13")))
            self.points.addItem(item)
        self.points.blockSignals(False)
        if analysis.key_points:
            self.points.setCurrentRow(min(row, len(analysis.key_points) - 1))
        self._point_selected(self.points.currentRow())

    def show_transcript(self, current_word: int | None = None) -> None:
        analysis = self.analysis
        assert analysis is not None
        if not analysis.transcript.words:
            self.transcript.set_transcript("<i>No speech was heard in this answer.</i>", {})
            return
        tokens = transcript_tokens(analysis.transcript.words, analysis.key_points, analysis.delivery)
        titles = {}
        for token in tokens:
            names = [f"Key point {p + 1}: {analysis.key_points[p].point}" for p in token.points]
            if token.filler:
                names.insert(0, "Filler word")
            if names:
                titles[token.index] = "\n".join(names)
        self.transcript.set_transcript(transcript_html(tokens, analysis.key_points, current_word), titles)

    def _point_selected(self, row: int) -> None:
        analysis = self.analysis
        valid = analysis is not None and 0 <= row < len(analysis.key_points)
        self.mark_covered.setEnabled(valid)
        self.mark_missed.setEnabled(valid)
        if not valid:
            self.why.clear()
            return
        result = analysis.key_points[row]  # type: ignore[union-attr]
        self.why.setText(explain(result))
        self.mark_covered.setEnabled(not result.judged_covered)
        self.mark_missed.setEnabled(result.judged_covered)

    def _override(self, covered: bool) -> None:
        row = self.points.currentRow()
        if self.analysis is None or not 0 <= row < len(self.analysis.key_points):
            return
        result = self.analysis.key_points[row]
        result.override = None if covered == result.covered else covered
        self.overrideRequested.emit(row, result.override)
        self.refresh()

    def _toggle_reference(self, shown: bool) -> None:
        self.reference.setVisible(shown)
        if shown:
            total = sum(self.vertical.sizes()) or self.vertical.height()
            self.vertical.setSizes([int(total * 0.7), int(total * 0.3)])
        self.reference_button.setText("Hide reference answer" if shown else "Show reference answer")

