"""Help > Keyboard shortcuts: every shortcut of the window, read from its actions, so the list cannot go stale.

Menu and toolbar actions give their menu, text and keys; shortcuts that belong to one page (Enter
on a table, say) are QShortcut objects that describe themselves with whatsThis "Where: what".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _plain(text: str) -> str:
    """A menu text as read: without its mnemonic marker or trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".").strip()


def _keys(shortcuts: list[QKeySequence]) -> str:
    return " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in shortcuts if not k.isEmpty())


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every shortcut of the window: its menus first, in menu order, then the pages'."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{where} › {_plain(action.text())}")
            elif not action.isSeparator() and _keys(action.shortcuts()):
                seen.add(id(action))
                rows.append((where, _plain(action.text()), _keys(action.shortcuts())))

    for top in window.menuBar().actions():
        top_menu = top.menu()
        if isinstance(top_menu, QMenu):
            walk(top_menu, _plain(top.text()))
    for action in window.findChildren(QAction):  # toolbar and window actions outside the menus
        if id(action) not in seen and _keys(action.shortcuts()) and action.text():
            seen.add(id(action))
            rows.append(("Window", _plain(action.text()), _keys(action.shortcuts())))
    pages: dict[tuple[str, str], list[QKeySequence]] = {}
    for shortcut in window.findChildren(QShortcut):
        if shortcut.whatsThis() and not shortcut.key().isEmpty():
            where, _, what = shortcut.whatsThis().partition(": ")
            what = what or where
            pages.setdefault((where, what[:1].upper() + what[1:]), []).append(shortcut.key())
    rows += [(where, what, _keys(keys)) for (where, what), keys in pages.items()]
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Action", "Keys"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel("Alt with an underlined letter opens that menu or moves to that field.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, min(680, 130 + (self.fontMetrics().height() + 8) * len(rows)))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
