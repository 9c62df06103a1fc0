"""Practice modes: weakest first (the scheduler's order and reasons) and the mock interview (no feedback until the end)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.practice import Mode
from app.core.review.scheduler import schedule
from app.gui.practice_controller import Phase
from app.gui.start_page import WHY_COLUMN
from tests.gui.test_review_history import seed_demo, shoot

ANSWER = "SHAP explains a prediction with Shapley values from game theory. LIME fits a local surrogate model."


def test_weakest_first_orders_the_round_and_says_why(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    seed_demo(window)
    page = window.start_page
    assert page.mode_combo.findData(Mode.WEAKEST.value) >= 0 and page.mode_combo.findData(Mode.MOCK.value) >= 0
    assert page.table.isColumnHidden(WHY_COLUMN)
    page.mode_combo.setCurrentIndex(page.mode_combo.findData(Mode.WEAKEST.value))
    qtbot.waitUntil(lambda: bool(page.table.item(0, WHY_COLUMN) and page.table.item(0, WHY_COLUMN).text()), timeout=10000)
    assert not page.table.isColumnHidden(WHY_COLUMN)
    pack = page.current_pack
    picks = schedule(pack, window.workspace.history.progress_points(pack_id="demo"))
    shown = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert shown == [p.question.text for p in picks]
    assert [page.table.item(r, WHY_COLUMN).text() for r in range(2)] == [p.short for p in picks]
    assert page.table.item(0, WHY_COLUMN).toolTip() == picks[0].reason
    shoot(window, "review-weakest-first", qtbot)

    page.table.selectRow(0)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    controller = window.controller
    assert [q.id for q in controller.questions] == [p.question.id for p in picks]
    assert window.statusBar().currentMessage() == f"Why this question: {picks[0].reason}"
    controller.cancel()


def test_mock_interview_asks_every_question_then_shows_one_summary(window, qtbot, fake_mic, spoken, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake_mic.load(spoken(ANSWER))
    window.settings.answer_seconds = 4  # the unpaced fake microphone ends each answer at the 8 s hard limit
    window.settings.prep_seconds = 30
    window.reload_packs()
    from tests.core.test_review_seeding import DEMO

    assert window.import_pack_file(DEMO)
    page = window.start_page
    page.mode_combo.setCurrentIndex(page.mode_combo.findData(Mode.MOCK.value))
    assert page.mock_count.isVisible()
    page.mock_count.setValue(2)
    shown: list[object] = []
    window.stack.currentChanged.connect(lambda _i: shown.append(window.stack.currentWidget()))
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    controller = window.controller
    assert len(controller.questions) == 2 and {q.id for q in controller.questions} == {"shap-and-lime", "tell-me"}
    summary = window.review.mock_summary
    for n in range(2):
        qtbot.waitUntil(lambda: controller.phase is Phase.PREP, timeout=120000)
        assert controller.index == n and window.stack.currentWidget() is window.practice_page
        qtbot.keyClick(window, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda n=n: len(window.review.mock_ids) == n + 1, timeout=120000)
    qtbot.waitUntil(lambda: summary.table.rowCount() == 2, timeout=30000)
    assert window.feedback_page not in shown, "no feedback between the questions"
    assert window.stack.currentWidget() is summary
    ids = window.review.mock_ids
    attempts = window.workspace.history.attempt_summaries(descending=False)
    assert [a.id for a in attempts] == ids and len({a.session_id for a in attempts}) == 1
    assert [summary.table.item(r, 1).text() for r in range(2)] == [q.text for q in controller.questions]
    assert "2 answers" in summary.totals.text()
    # Judged against the target practised (Preferences: 4 s), not the pack's own.
    assert summary.table.item(0, 2).text().startswith("0:08 of 0:04")
    shoot(window, "review-mock-summary", qtbot)
    messages: list[str] = []
    summary.message.connect(messages.append)
    summary.write_report(tmp_path / "mock.md", "md")
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    report = (tmp_path / "mock.md").read_text()
    assert report.startswith("# Mock interview, ") and report.count("\n## ") == 2

    # Each answer opens with its full feedback, and Back returns to the summary.
    view = window.review.attempt_view
    with qtbot.waitSignal(view.loaded, timeout=10000) as blocker:
        summary.table.cellWidget(1, summary.table.columnCount() - 1).click()
    assert blocker.args == [ids[1]]
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is summary
