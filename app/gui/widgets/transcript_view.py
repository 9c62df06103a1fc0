"""The transcript with key-point evidence, fillers and pauses marked; hover names the point, click seeks."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QMouseEvent, QTextCursor
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
        # A redraw (the word being played moves on) keeps the words selected: they are the loop's passage.
        cursor = self.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        self.blockSignals(True)
        try:
            self.setHtml(f'<div style="line-height:150%">{html}</div>')
            if anchor != position:
                last = self.document().characterCount() - 1
                cursor = QTextCursor(self.document())
                cursor.setPosition(min(anchor, last))
                cursor.setPosition(min(position, last), QTextCursor.MoveMode.KeepAnchor)
                self.setTextCursor(cursor)
        finally:
            self.blockSignals(False)
        self.verticalScrollBar().setValue(scroll)

    def scroll_to_word(self, index: int) -> None:
        """Keep word `index` in view (the word being played moves on past the visible part)."""
        document = self.document()
        target = f"word:{index}"
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().anchorHref() == target:
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    rect = self.cursorRect(cursor)
                    viewport = self.viewport().rect()
                    if not viewport.adjusted(0, 20, 0, -20).contains(rect.center()):
                        bar = self.verticalScrollBar()
                        bar.setValue(bar.value() + rect.center().y() - viewport.height() // 3)
                    return
                it += 1
            block = block.next()

    def selected_words(self) -> tuple[int, int] | None:
        """First and last word index touched by the text selection (a loop's passage), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        indices: list[int] = []
        block = self.document().findBlock(start)
        while block.isValid() and block.position() < end:
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if (
                    href.startswith("word:")
                    and fragment.position() < end
                    and fragment.position() + fragment.length() > start
                ):
                    indices.append(int(href[5:]))
                it += 1
            block = block.next()
        return (min(indices), max(indices)) if indices else None

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
