"""Reading questions aloud: the option is off, with the reason, where no voice starts; a failure is told once.

The test machine has Qt's speechd plug-in but not libspeechd, so Qt lists an engine that cannot
start: the real case of a person whose ticked option did nothing. The 'voice works' path uses
Qt's own mock engine, at the engine edge.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QApplication

from app.gui.read_aloud import NO_ENGINE, QuestionReader, probe_voice, system_voice
from app.gui.settings_dialog import SettingsDialog
from tests.gui.conftest import screenshot
from tests.gui.test_practice_flow import open_demo


def test_preferences_disable_reading_aloud_where_no_voice_starts(window, qtbot) -> None:
    window.settings.read_aloud = True  # chosen once, on a computer (or day) with a voice
    _speech, check = system_voice()
    assert not check.available
    if QTextToSpeech.availableEngines() == ["mock"]:
        assert check.problem == NO_ENGINE
    else:  # Qt lists an engine whose plug-in cannot start: its own error is named
        assert "could not start" in check.problem and "No text-to-speech voice" in check.problem
    seen: list[tuple[bool, bool, str, str]] = []

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(20, in_dialog)
            return
        box = dialog.read_aloud
        seen.append(
            (
                box.isEnabled(),
                box.isChecked(),
                dialog.read_aloud_note.text() if dialog.read_aloud_note.isVisible() else "",
                box.toolTip(),
            )
        )
        screenshot(dialog, "preferences-no-voice")
        dialog.accept()

    QTimer.singleShot(0, in_dialog)
    window.preferences_action.trigger()
    [(enabled, checked, note, tip)] = seen
    assert not enabled and not checked
    assert note == check.problem and tip == check.problem
    assert window.settings.read_aloud, "the person's choice is kept for when a voice is there"


def test_a_question_that_cannot_be_read_aloud_is_said_once_and_logged(window, qtbot, caplog) -> None:
    window.settings.read_aloud = True
    told: list[str] = []
    window.reader.failed.connect(told.append)
    open_demo(window, qtbot)
    with caplog.at_level(logging.WARNING, logger="app.gui.read_aloud"):
        qtbot.mouseClick(window.start_page.start_button, Qt.MouseButton.LeftButton)
        assert len(told) == 1 and told[0].startswith("Questions are not read aloud: no text-to-speech voice")
        assert window.statusBar().currentMessage() == told[0]
        assert window.practice_page.status.text() == told[0]
        screenshot(window, "practice-no-voice")
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # the next question
        assert window.practice_page.question.text() != "Describe your experience with SHAP and LIME."
    assert len(told) == 1, "told once, not with every question"
    assert [r.getMessage() for r in caplog.records if "read" in r.getMessage()] == [
        f"reading a question aloud failed: {system_voice()[1].problem}"
    ]


def test_a_working_engine_reads_and_a_missing_one_is_named(qtbot) -> None:
    speech, check = probe_voice(engines=["mock"])
    assert check.available and check.engine == "mock" and speech.availableVoices()
    reader = QuestionReader(probe=lambda: (speech, check))
    told: list[str] = []
    reader.failed.connect(told.append)
    states: list[object] = []
    speech.stateChanged.connect(states.append)
    reader.say("Describe your experience with SHAP and LIME.")
    qtbot.waitUntil(lambda: QTextToSpeech.State.Speaking in states, timeout=5000)
    assert told == []

    none, missing = probe_voice(engines=["no-such-engine"])
    assert none is None and not missing.available
    assert missing.problem.startswith(
        "No text-to-speech voice is available on this computer (the no-such-engine engine could not start:"
    )
    _none, nothing = probe_voice(engines=[])
    assert nothing.problem == NO_ENGINE
