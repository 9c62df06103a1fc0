"""Live captions in real time (PulseAudio): the words of a pause show while the person answers,
and the buttons below the captions do not move when they appear."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.transcribe.streaming import StreamingOptions
from app.gui.practice_controller import Phase
from tests.gui.conftest import screenshot
from tests.gui.test_practice_flow import open_demo

SAID = "SHAP explains a single prediction with Shapley values."


def test_captions_arrive_in_the_first_pause_and_the_buttons_stay(window, qtbot, pulse_mic, spoken) -> None:
    window.settings.live_captions = True
    open_demo(window, qtbot, answer_seconds=60, device=pulse_mic.device)
    window.start_page.start_button.click()
    controller, page = window.controller, window.practice_page
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.phase is Phase.ANSWER, timeout=10000)
    qtbot.wait(100)
    stop, cancel = page.primary.geometry(), page.cancel_button.geometry()
    assert page.primary.text() == "Stop  (Space)" and not page.captions.isVisible()
    heard_at: list[float] = []  # seconds recorded when a caption arrived (counted in samples, not wall time)
    controller.caption.connect(
        lambda text: heard_at.append(controller.recording.seconds) if "Shapley" in text else None
    )
    player = pulse_mic.play(spoken(SAID))
    # A 4 s sentence, then a pause: its words come from the pause's pass, before a 16 s chunk could end.
    qtbot.waitUntil(lambda: "Shapley" in page.captions.text(), timeout=30000)
    assert heard_at[0] < StreamingOptions().max_chunk_s
    assert controller.phase is Phase.ANSWER and page.captions.isVisible()
    assert page.primary.geometry() == stop and page.cancel_button.geometry() == cancel
    screenshot(window, "answer-captions-1280x800")
    window.resize(800, 600)
    qtbot.wait(50)
    screenshot(window, "answer-captions-800x600")
    player.wait(30)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # cancel: nothing to save
    qtbot.waitUntil(lambda: controller.phase is not Phase.ANSWER, timeout=10000)
