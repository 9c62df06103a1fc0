"""The practice window driven like a person would: keys and clicks, a real microphone device, the real model.

The microphone is the ALSA `fakemic` device (real PortAudio) playing an espeak-ng answer. It
delivers audio faster than real time, so the answer ends by the hard time limit (counted in
samples); Stop/Space and Esc are tested on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.coach import advice
from app.core.practice import Zone
from app.gui.practice_controller import Phase
from tests.gui.conftest import screenshot

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
ANSWER = (
    "Um, so, SHAP explains a single prediction with Shapley values from cooperative game theory. "
    "LIME fits a simple local surrogate model around that one prediction, using perturbed samples."
)


def open_demo(window, qtbot, answer_seconds: int = 8, device: str | None = "fakemic") -> None:
    # Name the device: once the PulseAudio fixture has started, the system default input is PulseAudio's.
    window.settings.input_device = device
    window.settings.answer_seconds = answer_seconds
    window.settings.prep_seconds = 30
    assert window.import_pack_file(DEMO)
    page = window.start_page
    assert page.current_pack_id == "demo"
    assert page.table.rowCount() == 2 and page.table.item(0, 1).text() == "Describe your experience with SHAP and LIME."


def test_whole_flow_pack_to_feedback_to_database(window, qtbot, fake_mic, spoken) -> None:
    fake_mic.load(spoken(ANSWER))
    open_demo(window, qtbot)
    screenshot(window, "1-start-1280x800")
    qtbot.mouseClick(window.start_page.start_button, Qt.MouseButton.LeftButton)
    controller = window.controller
    assert window.stack.currentWidget() is window.practice_page
    assert controller.phase is Phase.PREP
    assert window.practice_page.question.text() == "Describe your experience with SHAP and LIME."
    screenshot(window, "2-prep-1280x800")

    ticks: list[tuple[float, str]] = []
    controller.answerTick.connect(lambda s, z: ticks.append((s, z)))
    qtbot.keyClick(window, Qt.Key.Key_Space)  # skip the prep, start answering
    qtbot.waitUntil(lambda: controller.phase in (Phase.ANSWER, Phase.PROCESSING, Phase.FEEDBACK), timeout=10000)
    with qtbot.waitSignal(controller.feedbackReady, timeout=120000) as blocker:
        pass
    saved = blocker.args[0]
    assert saved.error is None, saved.error

    # Auto-stop at the hard limit: 2 x the 8 s target, counted in samples.
    assert saved.analysis.delivery.duration_s == pytest.approx(16.0, abs=0.05)
    assert ticks and ticks[-1][1] == Zone.OVER.value
    assert window.stack.currentWidget() is window.feedback_page
    page = window.feedback_page
    items = [page.points.item(i).text() for i in range(page.points.count())]
    assert items[0].startswith("✓") and items[1].startswith("✓") and items[2].startswith("✗"), (
        items,
        saved.analysis.transcript.text,
    )
    assert "SHAP" in page.transcript.toPlainText() and "Shapley" in page.transcript.toPlainText()
    assert page.tiles[0].value.text() == "2/3"
    assert page.play_button.isEnabled()
    # The coach's part on top: what was measured in one line, what to do next, and Try again beside it.
    coach = advice(saved.analysis, window.controller.question)
    assert coach.kinds[:2] == ("long", "content"), coach  # 16 s against 8 s; one of three points missed
    assert page.advice_box.isVisible() and page.advice_box.headline.text() == coach.headline
    assert page.advice_box.headline.text().startswith("You ran 100% over the 0:08 target and covered 2 of 3 key points")
    actions = page.advice_box.next_steps.text()
    assert (
        "Cut about 8 s (aim for 0:08)" in actions
        and "Make the point “LIME explanations can be unstable across runs”" in actions
    )
    assert page.again_button.parent() is page.advice_box and page.again_button.isVisible()
    assert page.advice_box.geometry().bottom() < page.vertical.geometry().top(), "the advice sits above the figures"
    screenshot(window, "4-feedback-1280x800")
    for width, height in ((1440, 900), (800, 600)):
        window.resize(width, height)
        qtbot.wait(50)
        screenshot(window, f"4-feedback-advice-{width}x{height}")
    window.resize(1280, 800)
    qtbot.wait(50)
    # "I did cover this" on the missed point: the advice no longer asks for it.
    page.points.setCurrentRow(2)
    page.mark_covered.click()
    assert "LIME explanations" not in page.advice_box.next_steps.text()
    assert page.advice_box.headline.text() == "You ran 100% over the 0:08 target; the rest was on track."
    page.points.setCurrentRow(2)
    page.mark_missed.click()
    assert "LIME explanations can be unstable across runs" in page.advice_box.next_steps.text()
    page.reference_button.click()
    assert page.reference.isVisible()
    screenshot(window, "5-feedback-reference-1280x800")
    window.resize(800, 600)
    qtbot.wait(50)
    screenshot(window, "4-feedback-800x600")

    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)  # the two corrections, stored in the order made
    attempts = window.workspace.history.list_attempts()
    assert len(attempts) == 1
    attempt = attempts[0]
    assert attempt.question_id == "shap-and-lime" and attempt.covered_count == 2 and attempt.has_audio
    assert attempt.session_id is not None
    assert list(window.workspace.data_dir.incoming.iterdir()) == []

    # Ctrl+R (the advice box's Try again) asks the same question again.
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.practice_page and controller.phase is Phase.PREP
    assert window.practice_page.question.text() == "Describe your experience with SHAP and LIME."
    controller.cancel()


def test_stop_with_space_in_real_time_and_the_answer_is_saved(window, qtbot, pulse_mic, spoken) -> None:
    """Real-time capture (PulseAudio): the person speaks, then presses Space to stop."""
    wav = spoken(ANSWER)
    import soundfile

    spoken_s = soundfile.info(str(wav)).duration
    open_demo(window, qtbot, answer_seconds=60, device=pulse_mic.device)
    window.start_page.start_button.click()
    controller = window.controller
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.phase is Phase.ANSWER, timeout=10000)
    player = pulse_mic.play(wav)
    qtbot.waitUntil(lambda: controller.recording.seconds > 2.0, timeout=10000)
    assert window.practice_page.rec_dot.isVisible()
    assert window.practice_page.meter.rms_db > -60, "the level meter shows the voice"
    screenshot(window, "3-answer-1280x800")
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=60000)
    qtbot.wait(700)
    with qtbot.waitSignal(controller.feedbackReady, timeout=120000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    saved = blocker.args[0]
    assert spoken_s < saved.analysis.delivery.duration_s < spoken_s + 5
    assert [kp.covered for kp in saved.analysis.key_points] == [True, True, False]
    assert saved.audio_path.exists()
    assert window.workspace.history.count_attempts() == 1


def test_escape_cancels_without_saving(window, qtbot, fake_mic, spoken) -> None:
    fake_mic.load(spoken("This answer will be thrown away."))
    open_demo(window, qtbot, answer_seconds=60)
    window.start_page.start_button.click()
    controller = window.controller
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.phase is Phase.ANSWER, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert controller.phase is Phase.READY
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert list(window.workspace.data_dir.incoming.iterdir()) == []
    assert window.workspace.history.count_attempts() == 0
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc again: back to the question list
    assert window.stack.currentWidget() is window.start_page


def test_prep_countdown_starts_the_answer_by_itself(window, qtbot, fake_mic, spoken) -> None:
    fake_mic.load(spoken("Hello."))
    open_demo(window, qtbot, answer_seconds=60)
    window.settings.prep_seconds = 1
    window.start_page.start_button.click()
    controller = window.controller
    assert controller.phase is Phase.PREP
    qtbot.waitUntil(lambda: controller.phase is Phase.ANSWER, timeout=5000)
    controller.cancel()


def test_no_microphone_shows_a_message_and_keeps_the_question(window, qtbot) -> None:
    open_demo(window, qtbot, device="USB headset that is not plugged in")
    window.start_page.start_button.click()
    with qtbot.waitSignal(window.controller.message, timeout=10000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert "is not available" in blocker.args[0]
    assert window.controller.phase is Phase.READY
    assert "is not available" in window.practice_page.status.text()
    screenshot(window, "6-no-microphone-1280x800")


def test_a_model_that_fails_keeps_the_recording(window, qtbot, fake_mic, spoken, monkeypatch) -> None:
    from app.core.transcribe import ModelLoadError

    def broken():
        raise ModelLoadError("Model folder /models/broken could not be loaded: bad file")

    monkeypatch.setattr(window.workspace, "transcriber", broken)
    fake_mic.load(spoken("SHAP uses Shapley values."))
    open_demo(window, qtbot, answer_seconds=5)
    window.start_page.start_button.click()
    with qtbot.waitSignal(window.controller.feedbackReady, timeout=60000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    saved = blocker.args[0]
    assert saved.error and "/models/broken" in saved.error
    assert saved.audio_path.exists()
    assert window.feedback_page.notice.isVisible()
    headline = window.feedback_page.advice_box.headline.text()
    assert "could not be transcribed" in headline and "recording is kept" in headline, headline
    assert "microphone" not in window.feedback_page.advice_box.next_steps.text(), "the model failed, not the microphone"
    [attempt] = window.workspace.history.list_attempts()
    assert attempt.status == "untranscribed" and attempt.has_audio
    screenshot(window, "7-model-failed-1280x800")


def test_shortcuts_and_menus_exist(window) -> None:
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Practice", "&Replay", "&Help"]
    assert window.import_action.shortcut().toString() == "Ctrl+O"
    assert window.next_action.shortcut().toString() == "Ctrl+N"
    assert window.space_action.shortcut().toString() == "Space"
    assert window.escape_action.shortcut().toString() == "Esc"


def test_window_appears_before_the_model_is_loaded(qtbot, data_dir, qsettings) -> None:
    from app.gui.application import load_model_in_background, make_application
    from app.gui.main_window import MainWindow
    from app.gui.settings import AppSettings
    from app.gui.workers import JobRunner
    from app.services.workspace import Workspace

    make_application([])
    workspace = Workspace(data_dir)
    runner = JobRunner()
    win = MainWindow(workspace, AppSettings(qsettings), runner)
    qtbot.addWidget(win)
    win.show()
    assert workspace.model_info is None and win.model_status.text() == "Loading the speech model…"
    with qtbot.waitSignal(win.modelReady, timeout=60000):
        load_model_in_background(win)
    assert win.model_status.text() == "Speech model ready: tiny.en"
    runner.shutdown()
    workspace.close()


def test_a_microphone_that_disappears_mid_answer_keeps_the_audio(qtbot, workspace, qsettings) -> None:
    """The device vanishes after half a second of audio: a message, and the half second is saved and scored."""
    from app.gui.application import make_application
    from app.gui.main_window import MainWindow
    from app.gui.settings import AppSettings
    from app.gui.workers import JobRunner
    from tests.core.test_recorder import _fake_sounddevice

    make_application([])
    runner = JobRunner()
    win = MainWindow(workspace, AppSettings(qsettings), runner, sd=_fake_sounddevice())
    qtbot.addWidget(win)
    win.show()
    win.import_pack_file(DEMO)
    win.start_page.start_button.click()
    messages: list[str] = []
    win.controller.message.connect(messages.append)
    with qtbot.waitSignal(win.controller.feedbackReady, timeout=60000) as blocker:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    saved = blocker.args[0]
    assert any("unplugged" in m for m in messages)
    assert saved.audio_path.exists() and saved.analysis.delivery.duration_s == pytest.approx(0.5)
    assert workspace.history.count_attempts() == 1
    runner.shutdown()
