"""The answer target set in Preferences is the one every figure uses: the practice clock, the
feedback, the stored attempt, History's "of target" column and the weakest-first scheduler.

The demo question's own target is 45 s. Preferences set 30 s with a hard stop at 1.25x, so the
unpaced fake microphone ends the answer at 37.5 s: "on target" against the pack's 45 s (83 %),
but 25 % over the 30 s the person practised against.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.core.practice import Mode
from app.gui.practice_controller import Phase
from app.gui.settings_dialog import SettingsDialog
from tests.gui.conftest import screenshot

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
ANSWER = "SHAP explains a single prediction with Shapley values from cooperative game theory."


def set_target_in_preferences(window, qtbot, seconds: int, factor: float) -> None:
    """Through the real Preferences dialog, as a person would."""
    seen: list[SettingsDialog] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        seen.append(dialog)
        dialog.answer.setValue(seconds)
        dialog.limit.setValue(factor)
        dialog.accept()

    QTimer.singleShot(200, fill)
    window.preferences_action.trigger()
    assert seen, "the Preferences dialog opened"


def test_the_target_from_preferences_reaches_feedback_history_and_scheduler(window, qtbot, fake_mic, spoken) -> None:
    window.settings.input_device = fake_mic.device
    assert window.import_pack_file(DEMO)
    set_target_in_preferences(window, qtbot, 30, 1.25)
    assert window.settings.answer_seconds == 30

    fake_mic.load(spoken(ANSWER))
    window.start_page.start_button.click()
    controller = window.controller
    assert controller.question.id == "shap-and-lime" and controller.question.answer_seconds == 45
    assert "0:30" in window.practice_page.target.text(), window.practice_page.target.text()
    controller.start_answer()
    with qtbot.waitSignal(controller.feedbackReady, timeout=120_000) as blocker:
        pass
    saved = blocker.args[0]
    assert saved.analysis.delivery.duration_s == 37.5
    assert saved.analysis.delivery.target_s == 30

    # Feedback: the length tile names the practised target and its verdict.
    tile = window.feedback_page.panel.tiles[1]
    assert "target 0:30" in tile.detail.text() and "on target" not in tile.detail.text(), tile.detail.text()
    screenshot(window, "target-feedback-1280x800")

    # The stored attempt and History.
    [attempt] = window.workspace.history.list_attempts()
    assert attempt.target_s == 30
    window.review.show_history()
    page = window.review.pages["history"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, page.model.column_of("length_ratio")).data() == "125%"

    # Weakest first reads the same target.
    window.show_start()
    window.start_page.set_mode(Mode.WEAKEST.value)
    qtbot.waitUntil(lambda: window.start_page.reason("shap-and-lime") is not None, timeout=10_000)
    reason = window.start_page.reason("shap-and-lime")
    assert "25% over the target" in reason, reason
    assert controller.phase is not Phase.PROCESSING
