"""Keyboard: Enter starts the highlighted question, no two mnemonics clash, Help lists every shortcut.

Real window; keys are pressed with qtbot as a person would.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolBar

from tests.gui.conftest import screenshot

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"


def mnemonic(text: str) -> str | None:
    key = QKeySequence.mnemonic(text)
    return None if key.isEmpty() else key.toString()


def test_enter_on_a_highlighted_question_starts_it(window, qtbot) -> None:
    window.settings.prep_seconds = 30
    assert window.import_pack_file(DEMO)
    page = window.start_page
    assert page.table.rowCount() == 2
    page.table.setFocus()
    page.table.selectRow(1)
    assert page.table.currentRow() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice_page
    assert window.controller.question.text == page.table.item(1, 1).text(), "the highlighted one, not the first"
    window.controller.cancel()
    window.show_start()
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Enter)  # the keypad's Enter
    assert window.stack.currentWidget() is window.practice_page
    assert window.controller.question.text == page.table.item(0, 1).text()
    window.controller.cancel()


def test_no_two_mnemonics_clash_on_any_page(window, qtbot) -> None:
    """What Alt+letter reaches on each page: the menu titles, the toolbar, and that page's labels
    (through their buddies) and buttons. Within each menu, its items' letters."""
    review = window.review
    for name in ("history", "attempt", "compare", "progress", "packs", "mock"):
        review.page(name)
    bar = [a.text() for a in window.menuBar().actions()]
    bar += [a.text() for toolbar in window.findChildren(QToolBar) for a in toolbar.actions()]
    checked = 0
    for index in range(window.stack.count()):
        page = window.stack.widget(index)
        texts = list(bar)
        texts += [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
        texts += [button.text() for button in page.findChildren(QAbstractButton)]
        letters = Counter(m for m in map(mnemonic, texts) if m)
        clashes = {key: [t for t in texts if mnemonic(t) == key] for key, n in letters.items() if n > 1}
        assert not clashes, (type(page).__name__, clashes)
        checked += len(letters)
    for top in window.menuBar().actions():
        items = [a.text() for a in top.menu().actions() if not a.isSeparator()]
        letters = Counter(m for m in map(mnemonic, items) if m)
        assert all(n == 1 for n in letters.values()), (top.text(), letters)
    assert checked
    pack_label = next(
        label for label in window.start_page.findChildren(QLabel) if label.buddy() is window.start_page.pack_combo
    )
    assert mnemonic(pack_label.text()) not in {mnemonic(t) for t in bar}, "Alt+P is the Practice menu"


def test_help_lists_every_shortcut_of_the_window(window, qtbot) -> None:
    window.review.page("history")  # its page shortcuts are listed once the page exists
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.shortcuts_action in help_menu.actions()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(
        lambda: getattr(window, "shortcuts_dialog", None) is not None and window.shortcuts_dialog.isVisible()
    )
    dialog = window.shortcuts_dialog
    table = dialog.table
    rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    keys_listed = " ".join(r[2] for r in rows)
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if not key.isEmpty():
                assert key.toString(QKeySequence.SequenceFormat.NativeText) in keys_listed, (
                    action.text(),
                    key.toString(),
                )
    assert ("Practice", "Next question", "Ctrl+N") in rows
    assert ("Practice", "Start / stop answer", "Space") in rows
    assert ("Help", "Keyboard shortcuts", "F1 or Ctrl+/") in rows
    assert ("Questions", "Start the highlighted question", "Return or Enter") in rows
    assert ("History", "Replay the selected answer", "Return or Enter") in rows
    assert ("History", "Delete the selected answer", "Del") in rows
    assert (
        "Edit",
        "Preferences",
        window.preferences_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
    ) in rows
    for width, height in ((1440, 900), (800, 600)):
        window.resize(width, height)
        qtbot.wait(50)
        screenshot(dialog, f"shortcuts-dialog-{width}x{height}")
    dialog.close()
    window.activateWindow()  # the offscreen platform does not hand activation back by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not dialog and window.shortcuts_dialog.isVisible())
    window.shortcuts_dialog.close()
    QApplication.processEvents()
