"""One answer's feedback as shown: figure tiles, the marked-up transcript and the key-point checklist.

The feedback page (right after answering) and the attempt view (replaying an old answer) both
show exactly this; each adds its own controls around it (overrides, replay, notes).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.feedback import (
    Token,
    explain,
    figures,
    heard_tokens,
    manner_figures,
    point_colour,
    transcript_html,
    transcript_tokens,
    word_title,
)
from app.core.scoring.delivery import Delivery
from app.core.scoring.keypoints import PointResult
from app.core.transcribe.transcript import Correction, Word
from app.gui.widgets.page_scroll import FittingSplitter
from app.gui.widgets.transcript_view import TranscriptView
from app.gui.widgets.voice_strip import VoiceStrip

TONES = {"good": "#1a7f37", "warn": "#9a6700", "bad": "#cf222e", "neutral": "#1f2328"}


def swatch(colour: str | None) -> QIcon:
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

    def show_figure(self, label: str, value: str, detail: str, tone: str, hint: str = "") -> None:
        self.setToolTip(hint)
        self.label.setText(label.upper())
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {TONES.get(tone, TONES['neutral'])};")
        self.detail.setText(detail)


def _column(title: str, body: QWidget, *below: QWidget) -> QWidget:
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    caption = QLabel(title)
    caption.setObjectName("sectionTitle")
    layout.addWidget(caption)
    layout.addWidget(body, 1)
    for widget in below:
        layout.addWidget(widget)
    return column


class AnswerPanel(QWidget):
    wordClicked = Signal(int)
    pointSelected = Signal(int)  # row, or -1
    passageSelected = Signal(object)  # (start, end) seconds of the words selected, or None

    def __init__(
        self,
        transcript_title: str,
        legend: str,
        below_transcript: Sequence[QWidget] = (),
        below_points: Sequence[QWidget] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.words: list[Word] = []
        self.key_points: list[PointResult] = []
        self.delivery: Delivery | None = None
        self.empty_text = "No speech was heard in this answer."
        self.raw_words: list[Word] = []
        self.corrections: list[Correction] = []
        self._tokens: list[Token] = []
        self._titles: dict[int, str] = {}
        self.found: set[int] = set()  # words a History search matched

        tiles = self._build_tiles()
        legend_label = self._build_transcript(legend)
        self._build_points()

        self.splitter = FittingSplitter(Qt.Orientation.Horizontal)  # wrapped legends keep their lines
        # Pitch and loudness over the answer, under the words they belong to (click to play from there).
        self.strip = VoiceStrip()
        self.strip.hide()
        self.strip_legend = QLabel(
            "Strip: <span style='color:#1f6feb'>pitch</span> and <span style='color:#8c959f'>"
            "loudness</span> over the answer · <span style='color:#bc4c00'>▼</span> a sentence "
            "that trails off · <span style='color:#6639ba'>|</span> a hedge · click to play from there"
        )
        self.strip_legend.setObjectName("muted")
        self.strip_legend.setWordWrap(True)
        self.strip_legend.hide()
        self.splitter.addWidget(
            _column(
                transcript_title,
                self.transcript,
                self.strip,
                self.strip_legend,
                legend_label,
                self.heard,
                *below_transcript,
            )
        )
        self.splitter.addWidget(_column("Key points", self.points, self.why, *below_points))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tiles)
        layout.addWidget(self.splitter, 1)

    def _build_tiles(self) -> QGridLayout:
        """The figures; voice, hedges and shape (feedback.manner_figures) on a second row, only those measured."""
        self.tiles = [FigureTile() for _ in range(6)]
        tiles = QGridLayout()
        tiles.setSpacing(8)
        tiles.setContentsMargins(0, 0, 0, 0)
        for i, tile in enumerate(self.tiles):
            tiles.addWidget(tile, 0, i)
        self.manner_tiles = [FigureTile() for _ in range(6)]
        for i, tile in enumerate(self.manner_tiles):
            tiles.addWidget(tile, 1, i)
            tile.hide()
        return tiles

    def _build_transcript(self, legend: str) -> QLabel:
        """The transcript; 'Show what was heard' shows the words before the glossary fixed jargon, so a person can check a fix did not change what they said."""
        self.transcript = TranscriptView()
        self.transcript.wordClicked.connect(self.wordClicked)
        self.transcript.selectionChanged.connect(lambda: self.passageSelected.emit(self.selected_passage()))
        legend_label = QLabel(legend)
        legend_label.setObjectName("muted")
        legend_label.setWordWrap(True)
        self.heard = QCheckBox("Show what was heard")
        self.heard.setToolTip("Show the words as the speech recogniser heard them, before glossary corrections")
        self.heard.toggled.connect(lambda _on: self.render_transcript())
        return legend_label

    def _build_points(self) -> None:
        """The key points, and why the selected one was judged as it was."""
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

    def show_answer(
        self,
        words: Sequence[Word],
        key_points: Sequence[PointResult],
        delivery: Delivery,
        empty_text: str | None = None,
        raw_words: Sequence[Word] = (),
        corrections: Sequence[Correction] = (),
        typed: bool = False,
    ) -> None:
        self.words, self.key_points, self.delivery = list(words), list(key_points), delivery
        self.typed = typed  # a typed answer: key points only, no delivery figures
        self.raw_words, self.corrections = list(raw_words), list(corrections)
        differs = bool(self.raw_words) and [w.text for w in self.raw_words] != [w.text for w in self.words]
        self.heard.blockSignals(True)
        self.heard.setChecked(False)
        self.heard.blockSignals(False)
        self.heard.setEnabled(differs)
        self.heard.setToolTip(
            "Show the words as the speech recogniser heard them, before glossary corrections"
            if differs
            else "The glossary changed nothing: what was heard is what is shown"
        )
        if empty_text:
            self.empty_text = empty_text
        self.refresh(reset_row=True)

    def refresh(self, current_word: int | None = None, reset_row: bool = False) -> None:
        """Redraw after a change of judgement (an override): figures, highlights, checklist."""
        if self.delivery is None:
            return
        for i, (tile, figure) in enumerate(zip(self.tiles, figures(self.delivery, self.key_points))):
            if i and getattr(self, "typed", False):
                tile.show_figure(figure.label, "–", "typed answer: not measured", "neutral")
            else:
                tile.show_figure(figure.label, figure.value, figure.detail, figure.tone)
        manner = manner_figures(self.delivery)
        for tile, figure in zip(self.manner_tiles, manner):
            tile.show_figure(figure.label, figure.value, figure.detail, figure.tone, figure.hint)
        for i, tile in enumerate(self.manner_tiles):
            tile.setVisible(i < len(manner))
        self.strip.set_delivery(self.delivery)
        self.strip_legend.setVisible(self.strip.has_content())
        self._tokens = transcript_tokens(self.words, self.key_points, self.delivery)
        self.render_transcript(current_word)
        row = 0 if reset_row else max(0, self.points.currentRow())
        self.points.blockSignals(True)
        self.points.clear()
        for i, result in enumerate(self.key_points):
            mark = "✓" if result.judged_covered else "✗"
            item = QListWidgetItem(
                swatch(point_colour(i) if result.judged_covered else None), f"{mark}  {result.point}"
            )
            item.setToolTip(explain(result, self.words))
            if not result.judged_covered:
                item.setForeground(QBrush(QColor("#8c1c13")))
            self.points.addItem(item)
        self.points.blockSignals(False)
        if self.key_points:
            self.points.setCurrentRow(min(row, len(self.key_points) - 1))
        self._point_selected(self.points.currentRow())

    def render_transcript(self, current_word: int | None = None) -> None:
        if not self.words:
            self.transcript.set_transcript(f"<i>{self.empty_text}</i>", {})
            return
        tokens = self._tokens
        if self.heard.isChecked() and self.raw_words:
            tokens = heard_tokens(self.raw_words, self.words, self.corrections)
        self._titles = {}
        for token in tokens:  # words as heard may share their corrected word's index: join their titles
            title = word_title(token, self.key_points)
            if title and title not in self._titles.get(token.index, ""):
                self._titles[token.index] = "\n".join(filter(None, [self._titles.get(token.index), title]))
        self.transcript.set_transcript(
            transcript_html(tokens, self.key_points, current_word, found=self.found), self._titles
        )

    def selected_passage(self) -> tuple[float, float] | None:
        """The time span of the words selected in the transcript (the passage a loop plays), or None."""
        span = self.transcript.selected_words()
        if span is None or not self.words:
            return None
        first, last = span
        last = min(last, len(self.words) - 1)
        return (self.words[first].start, self.words[last].end) if first <= last else None

    def _point_selected(self, row: int) -> None:
        valid = 0 <= row < len(self.key_points)
        self.why.setText(explain(self.key_points[row], self.words) if valid else "")
        self.pointSelected.emit(row if valid else -1)
