"""The transcript with key-point evidence, fillers and pauses marked; hover names the point, click seeks."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget

from app.core.feedback import TRANSCRIPT_CSS


class TranscriptView(QTextBrowser):
    wordClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setMouseTracking(True)
        self.document().setDefaultStyleSheet(TRANSCRIPT_CSS)
        self.anchorClicked.connect(self._on_anchor)
        self._titles: dict[int, str] = {}
        self.setAccessibleName("Transcript")

    def set_transcript(self, html: str, titles: dict[int, str]) -> None:
        """`titles` maps word index -> tooltip (QTextBrowser does not show HTML titles itself)."""
        self._titles = titles
        scroll = self.verticalScrollBar().value()
        self.setHtml(f'<div style="line-height:150%">{html}</div>')
        self.verticalScrollBar().setValue(scroll)

    def _on_anchor(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("word:"):
            self.wordClicked.emit(int(target[5:]))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        anchor = self.anchorAt(event.position().toPoint())
        if anchor.startswith("word:"):
            title = self._titles.get(int(anchor[5:]))
            if title:
                QToolTip.showText(event.globalPosition().toPoint(), title, self)
            else:
                QToolTip.hideText()
        super().mouseMoveEvent(event)
