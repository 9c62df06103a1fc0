"""Bookmarks of one recording: moments the person marked with a note, listed beside the replay.

Add marks the replay's current position (Ctrl+B, or the button) with the note typed; a click on
a bookmark plays from there; Delete removes it. Rows are stored in the bookmarks table
(History.add_bookmark); the writes run on the pool, on the history-writes lane.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.practice import format_seconds
from app.core.records import Bookmark
from app.gui.widgets.replay_player import ReplayPlayer
from app.gui.workers import DATABASE, JobRunner
from app.services.workspace import Workspace


def bookmark_text(bookmark: Bookmark) -> str:
    return f"{format_seconds(bookmark.at_s)}  {bookmark.note or '(no note)'}"


class BookmarksPanel(QWidget):
    seekRequested = Signal(float)  # seconds
    message = Signal(str)
    changed = Signal()  # a bookmark was added or deleted (and stored)

    def __init__(
        self, workspace: Workspace, runner: JobRunner, replay: ReplayPlayer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.runner, self.replay = workspace, runner, replay
        self.attempt_id: int | None = None
        self.marks: list[Bookmark] = []

        title = QLabel("Bookmarks")
        title.setObjectName("sectionTitle")
        self.list = QListWidget()
        self.list.setAccessibleName("Bookmarks")
        self.list.setToolTip("Click a bookmark to play from there")
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self.list.setMaximumHeight(110)
        self.list.setMinimumHeight(self.list.fontMetrics().height() * 2 + 12)  # two rows even in a small window
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note for a bookmark here…")
        self.note.setAccessibleName("Bookmark note")
        self.note.returnPressed.connect(self.add_here)
        self.add_button = QPushButton("Bookmark")
        self.add_button.setToolTip("Mark the moment being played, with the note beside it (Ctrl+B)")
        self.add_button.clicked.connect(self.add_here)
        self.delete_button = QPushButton("Remove")
        self.delete_button.setToolTip("Remove the selected bookmark (Del)")
        self.delete_button.clicked.connect(self.delete_selected)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.list,
            self.delete_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        ).setWhatsThis("Bookmarks: remove the selected bookmark")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.note, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.setMinimumHeight(layout.sizeHint().height())  # the key points above scroll first
        self.set_bookmarks(None, ())

    def set_bookmarks(self, attempt_id: int | None, marks: Iterable[Bookmark]) -> None:
        self.attempt_id = attempt_id
        self.marks = sorted(marks, key=lambda b: (b.at_s, b.id))
        self.list.clear()
        for mark in self.marks:
            item = QListWidgetItem(bookmark_text(mark))
            item.setToolTip(mark.note or "")
            self.list.addItem(item)
        if not self.marks:
            placeholder = QListWidgetItem("No bookmarks yet: play, then Bookmark (Ctrl+B) marks the moment")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        self._enable()

    def _enable(self) -> None:
        can = self.attempt_id is not None and self.replay.path is not None
        self.add_button.setEnabled(can)
        self.note.setEnabled(can)
        self.delete_button.setEnabled(bool(self.marks) and 0 <= self.list.currentRow() < len(self.marks))

    def position_s(self) -> float:
        """Where the replay is: the player's position, or the slider's before it has played."""
        player = self.replay.player
        return (player.position() if player is not None else self.replay.slider.value()) / 1000

    def add_here(self) -> None:
        attempt_id = self.attempt_id
        if attempt_id is None or self.replay.path is None:
            return
        at_s, note = self.position_s(), self.note.text().strip()

        def added(mark: Bookmark) -> None:
            if self.attempt_id == attempt_id:
                self.set_bookmarks(attempt_id, [*self.marks, mark])
                self.note.clear()
            self.message.emit(f"Bookmarked {format_seconds(mark.at_s)}")
            self.changed.emit()

        self.runner.start(
            self.workspace.review.add_bookmark,
            attempt_id,
            at_s,
            note,
            on_done=added,
            on_error=lambda m: self.message.emit(f"The bookmark could not be saved: {m}"),
            lane=DATABASE,
        )

    def delete_selected(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.marks):
            return
        mark, attempt_id = self.marks[row], self.attempt_id

        def deleted(_r: object) -> None:
            if self.attempt_id == attempt_id:
                self.set_bookmarks(attempt_id, [m for m in self.marks if m.id != mark.id])
            self.changed.emit()

        self.runner.start(
            self.workspace.review.delete_bookmark,
            mark.id,
            on_done=deleted,
            on_error=lambda m: self.message.emit(f"The bookmark could not be removed: {m}"),
            lane=DATABASE,
        )

    def _clicked(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self.marks):
            self.seekRequested.emit(self.marks[row].at_s)
