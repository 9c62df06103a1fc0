"""Preferences: prep and answer times step along a sensible grid; a slip of the arrow never leaves a 2 s answer."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from app.gui.settings import AppSettings
from tests.gui.conftest import screenshot


def open_dialog(qtbot, settings: AppSettings, tmp_path):
    from app.gui.application import make_application
    from app.gui.settings_dialog import SettingsDialog

    make_application([])
    dialog = SettingsDialog(settings, tmp_path / "data", tts_available=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def press(qtbot, widget, key: Qt.Key, times: int = 1) -> None:
    widget.setFocus()
    for _ in range(times):
        qtbot.keyClick(widget, key)


def test_the_arrows_step_answer_and_prep_times_and_never_go_below_a_real_answer(qtbot, qsettings, tmp_path) -> None:
    dialog = open_dialog(qtbot, AppSettings(qsettings), tmp_path)
    answer, prep, limit = dialog.answer, dialog.prep, dialog.limit
    assert answer.text() == prep.text() == "Pack's time", "the default is each question's own time"

    press(qtbot, answer, Qt.Key.Key_Down)
    assert (answer.value(), answer.text()) == (0, "Pack's time"), "nothing below the pack's time"
    press(qtbot, answer, Qt.Key.Key_Up)
    assert (answer.value(), answer.text()) == (30, "30 s"), "the shortest answer is 30 s, not 1 s"
    press(qtbot, answer, Qt.Key.Key_Up, 3)
    assert (answer.value(), answer.text()) == (75, "1 min 15 s"), "15 s steps"
    press(qtbot, answer, Qt.Key.Key_Down, 4)
    assert answer.text() == "Pack's time", "one step below 30 s is the pack's time, never 15 s or 2 s"
    press(qtbot, answer, Qt.Key.Key_PageUp, 10)
    assert answer.value() == 600 and answer.text() == "10 min", "up to 10 min"

    press(qtbot, prep, Qt.Key.Key_Up, 2)
    assert (prep.value(), prep.text()) == (10, "10 s"), "prep steps by 5 s"
    press(qtbot, prep, Qt.Key.Key_Down, 2)
    assert prep.text() == "Pack's time"

    # Typed values: as written when in range, brought into range when not.
    answer.setFocus()
    answer.lineEdit().selectAll()
    qtbot.keyClicks(answer.lineEdit(), "1:40")
    answer.interpretText()
    assert answer.value() == 100
    answer.lineEdit().selectAll()
    qtbot.keyClicks(answer.lineEdit(), "3")
    answer.interpretText()  # what leaving the box does: a value too short is brought up to 30 s
    assert (answer.value(), answer.text()) == (30, "30 s")

    limit.setFocus()
    limit.setValue(1.0)
    assert limit.value() == 1.25 and limit.text() == "1.25 × target", "no hard stop at the target itself"
    press(qtbot, limit, Qt.Key.Key_Down)
    assert limit.value() == 1.25
    press(qtbot, limit, Qt.Key.Key_Up)
    assert limit.value() == 1.5, "0.25 steps"

    for width, height in ((1440, 900), (800, 600)):  # the dialog as it opens over either window size
        dialog.resize(min(width, 560), min(height, dialog.sizeHint().height()))
        screenshot(dialog, f"preferences-times-{width}x{height}")
    dialog.accept()
    again = AppSettings(QSettings(qsettings.fileName(), QSettings.Format.IniFormat))
    assert (again.prep_seconds, again.answer_seconds, again.hard_limit_factor) == (0, 30, 1.5)


def test_a_slip_saved_by_an_older_version_is_brought_back_into_range(qtbot, qsettings, tmp_path) -> None:
    """The hard stop is never below 1.25x; times saved with 1 s steps show, and are saved, in range."""
    qsettings.setValue("practice/answer_seconds", 2)
    qsettings.setValue("practice/prep_seconds", 3)
    qsettings.setValue("practice/hard_limit_factor", 1.0)
    settings = AppSettings(qsettings)
    assert settings.hard_limit_factor == 1.25
    dialog = open_dialog(qtbot, settings, tmp_path)
    assert (dialog.answer.text(), dialog.prep.text(), dialog.limit.value()) == ("30 s", "5 s", 1.25)
    dialog.accept()
    assert (settings.answer_seconds, settings.prep_seconds, settings.hard_limit_factor) == (30, 5, 1.25)
