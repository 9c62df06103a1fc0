"""Import a recording (File > Import answer…, drag and drop) and type an answer, in the real window."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.gui.practice_controller import Phase
from app.gui.shortcuts_dialog import shortcut_rows
from tests.gui.conftest import screenshot

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
ANSWER = (
    "SHAP explains a single prediction with Shapley values from cooperative game theory. "
    "LIME fits a simple local surrogate model around that one prediction, using perturbed samples."
)


def drop(window, path: Path) -> bool:
    """Drag a file over the window and drop it, as the window system would deliver it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(
        pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def test_a_dropped_recording_is_judged_and_saved_a_bad_one_is_refused(window, qtbot, spoken, tmp_path: Path) -> None:
    assert window.import_pack_file(DEMO)
    window.start_page.table.selectRow(0)
    bad = tmp_path / "notes.m4a"
    bad.write_text("not audio\n" * 100)
    assert drop(window, bad)
    qtbot.waitUntil(lambda: window.controller.phase is Phase.READY, timeout=20_000)
    assert (
        "Nothing was saved" in window.practice_page.status.text() and "notes.m4a" in window.practice_page.status.text()
    )
    screenshot(window, "import-refused-1280x800")
    assert window.workspace.history.count_attempts() == 0

    mp3 = tmp_path / "answer.mp3"
    subprocess.run(["sox", "-D", str(spoken(ANSWER)), str(mp3)], check=True)
    with qtbot.waitSignal(window.controller.feedbackReady, timeout=120_000) as blocker:
        assert drop(window, mp3)
    saved = blocker.args[0]
    assert [kp.covered for kp in saved.analysis.key_points] == [True, True, False]
    assert window.stack.currentWidget() is window.feedback_page
    assert window.feedback_page.play_button.isEnabled()
    screenshot(window, "import-feedback-1280x800")
    (attempt,) = window.workspace.history.attempt_summaries()
    assert attempt.question_id == "shap-and-lime" and attempt.has_audio


def test_a_typed_answer_from_the_practice_menu(window, qtbot) -> None:
    assert window.import_pack_file(DEMO)
    window.start_page.table.selectRow(0)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = window.typed_dialog
    assert (
        dialog.isVisible()
        and "SHAP and LIME" in dialog.findChild(type(window.practice_page.question), "question").text()
    )
    dialog.editor.setPlainText(ANSWER)
    screenshot(dialog, "typed-dialog")
    with qtbot.waitSignal(window.controller.feedbackReady, timeout=60_000) as blocker:
        dialog.buttons.accepted.emit()
    saved = blocker.args[0]
    assert saved.audio_path is None and [kp.covered for kp in saved.analysis.key_points] == [True, True, False]
    page = window.feedback_page
    assert window.stack.currentWidget() is page
    assert page.notice.isVisible() and "typed answer" in page.notice.text()
    assert not page.play_button.isEnabled()
    assert page.tiles[0].value.text() == "2/3"
    assert [t.value.text() for t in page.tiles[1:]] == ["–"] * 5  # no length, pace, fillers, pauses, first word
    screenshot(window, "typed-feedback-1280x800")
    window.review.show_history()
    history = window.review.history_page
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10_000)
    column = history.model.column_of("duration_s")
    assert history.model.index(0, column).data() == "typed"
    screenshot(window, "typed-history-1280x800")


def test_the_new_actions_are_in_the_shortcuts_list(window) -> None:
    rows = {(what, keys) for _, what, keys in shortcut_rows(window)}
    assert ("Import answer", "Ctrl+I") in rows and ("Type an answer", "Ctrl+T") in rows
