"""The interview date plan on the start page: set the date and load, see what is due today and why, practise it."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from app.core.practice import Mode
from app.gui.practice_controller import Phase
from app.gui.shortcuts_dialog import shortcut_rows
from tests.gui.conftest import screenshot


def test_set_an_interview_date_and_practise_what_is_due(window, qtbot) -> None:
    start = window.start_page
    start.pack_combo.setCurrentIndex(start.pack_combo.findData("behavioural-core"))
    qtbot.waitUntil(lambda: start.plan_text.isVisible(), timeout=10_000)
    assert start.plan_text.text().startswith("No interview date set")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert start.plan_date.hasFocus()
    start.plan_date.setDate(QDate(date.today() + timedelta(days=4)))
    start.plan_load.setValue(3)
    start.plan_button.click()
    qtbot.waitUntil(lambda: start.plan is not None, timeout=10_000)
    text = start.plan_text.text()
    assert text.startswith("Interview in 4 days") and "3 a day at most" in text
    assert "never practised: spread over the days left" in text
    assert window.workspace.history.get_plan("behavioural-core").daily_load == 3

    start.set_mode(Mode.PLAN.value)
    due = [item.question.text for item in start.plan.due_today]
    assert 1 <= len(due) <= 3 and start.table.rowCount() == len(due)
    assert [start.table.item(r, 1).text() for r in range(len(due))] == due
    assert not start.table.isColumnHidden(start.table.columnCount() - 1)
    screenshot(window, "plan-start-page-1280x800")
    start.start_button.click()
    assert window.controller.phase is Phase.PREP and window.practice_page.question.text() == due[0]
    assert "never practised" in window.practice_page.reason.text()
    window.controller.cancel()


def test_the_plan_shortcut_is_listed(window) -> None:
    assert ("Interview date", "Ctrl+D") in {(what, keys) for _, what, keys in shortcut_rows(window)}
