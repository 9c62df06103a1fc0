"""A spoken mock interview with follow-ups: answers come through the fake microphone and the real
Whisper model, the follow-up aimed at the missed point is asked, spoken to, and stored chained to
its answer (parent_attempt_id); the mock report shows the chain."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.core.practice import Mode
from app.gui.practice_controller import Phase
from tests.core.test_follow_ups import demo_with_follow_ups
from tests.gui.conftest import screenshot
from tests.gui.test_follow_ups import FIRST, SECOND


def test_spoken_mock_interview_asks_and_chains_the_follow_up(window, qtbot, fake_mic, spoken, tmp_path: Path) -> None:
    source = tmp_path / "demo.yaml"
    source.write_text(demo_with_follow_ups())
    assert window.import_pack_file(source)
    window.settings.answer_seconds = 12  # the hard limit (2x) ends each answer after 24 s of samples
    start = window.start_page
    start.set_mode(Mode.MOCK.value)
    window.start_round(start.current_pack, [start.current_pack.question("shap-and-lime")], 0, Mode.MOCK.value)
    controller = window.controller
    fake_mic.load(spoken(FIRST))  # misses "LIME explanations can be unstable across runs"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)  # skip the prep: answer now
    qtbot.waitUntil(
        lambda: controller.question.id == "shap-and-lime.follow-up-2" and controller.phase is Phase.PREP,
        timeout=120_000,
    )
    assert window.practice_page.question.text() == "Why would LIME give a different answer when you run it again?"
    fake_mic.load(spoken(SECOND))
    qtbot.keyClick(window, Qt.Key.Key_Space)
    summary = window.review.mock_summary
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary and summary.table.rowCount() == 2, timeout=120_000)
    first, second = (d for d in summary.details)
    assert first.summary.status == second.summary.status == "complete", "spoken, transcribed answers"
    assert first.summary.has_audio and second.summary.has_audio
    assert "Shapley" in first.transcript.text and "unstable" in second.transcript.text.lower()
    stored = window.workspace.history.get_attempt(second.summary.id)
    assert stored.parent_attempt_id == first.summary.id and stored.summary.question_id == "shap-and-lime.follow-up-2"
    assert summary.table.item(1, 0).text() == "1a" and summary.table.item(1, 1).text().startswith("↳ Follow-up:")
    screenshot(window, "mock-follow-up-spoken-summary-1280x800")

    messages: list[str] = []
    summary.message.connect(messages.append)
    summary.write_report(tmp_path / "mock.md", "md")
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    report = (tmp_path / "mock.md").read_text()
    assert "| 1. Describe your experience with SHAP and LIME. |" in report
    assert "| ↳ 1a. Follow-up: Why would LIME give a different answer when you run it again? |" in report
