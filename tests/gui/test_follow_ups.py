"""A mock interview asks the follow-up aimed at what an answer missed; the summary shows the chain.
The pack editor edits follow-ups in its form."""

from __future__ import annotations

from pathlib import Path

from app.core.packs import load_pack
from app.core.practice import Mode
from app.gui.practice_controller import Phase
from tests.core.test_follow_ups import demo_with_follow_ups
from tests.gui.conftest import screenshot
from tests.gui.test_review_pack_editor import open_editor, problems

FIRST = (
    "SHAP explains a prediction with Shapley values from cooperative game theory. "
    "LIME fits a simple local surrogate model around that one prediction."
)
SECOND = "LIME explanations can be unstable across runs, because the perturbed samples are random."


def type_answer(window, qtbot, text: str) -> None:
    window.type_answer()
    window.typed_dialog.editor.setPlainText(text)
    window.typed_dialog.buttons.accepted.emit()


def test_mock_interview_asks_the_follow_up_and_shows_the_chain(window, qtbot, tmp_path: Path) -> None:
    source = tmp_path / "demo.yaml"
    source.write_text(demo_with_follow_ups())
    assert window.import_pack_file(source)
    start = window.start_page
    start.set_mode(Mode.MOCK.value)
    # The start page draws a mock's questions at random; this round is the one question with follow-ups.
    window.start_round(start.current_pack, [start.current_pack.question("shap-and-lime")], 0, Mode.MOCK.value)
    controller = window.controller
    assert controller.phase is Phase.PREP and controller.question.id == "shap-and-lime"
    type_answer(window, qtbot, FIRST)
    qtbot.waitUntil(
        lambda: controller.question.id == "shap-and-lime.follow-up-2" and controller.phase is Phase.PREP, timeout=30_000
    )
    page = window.practice_page
    assert page.question.text() == "Why would LIME give a different answer when you run it again?"
    assert page.position.text() == "Mock interview · question 2 of 2"
    assert "follows up on your last answer" in page.reason.text()
    screenshot(window, "mock-follow-up-asked-1280x800")
    type_answer(window, qtbot, SECOND)
    summary = window.review.mock_summary
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary and summary.table.rowCount() == 2, timeout=30_000)
    assert summary.table.item(0, 0).text() == "1" and summary.table.item(1, 0).text() == "1a"
    chain = summary.table.item(1, 1).text()
    assert chain.startswith("↳ Follow-up: Why would LIME give a different answer") and "unstable across runs" in chain
    assert summary.table.item(1, 3).text() == "1/1 (100%)"
    screenshot(window, "mock-follow-up-summary-1280x800")
    first, second = (d.summary for d in summary.details)
    assert window.workspace.history.get_attempt(second.id).parent_attempt_id == first.id
    assert second.question_id == "shap-and-lime.follow-up-2"


def test_follow_ups_in_the_pack_editor_form(window, qtbot, tmp_path: Path) -> None:
    source = tmp_path / "demo.yaml"
    source.write_text(demo_with_follow_ups())
    window.import_pack_file(source)
    editor = open_editor(window, qtbot)
    index = editor.chooser.findData(str(window.workspace.data_dir.packs / "demo.yaml"))
    editor.chooser.setCurrentIndex(index)
    editor.chooser.activated.emit(index)
    assert editor.q_follow_ups.toPlainText().splitlines() == [
        "Can you give me a concrete example?",
        "Why would LIME give a different answer when you run it again? | 3",
        "What did you change as a result? | result | They name what changed because of the explanation",
    ]
    editor.q_follow_ups.setPlainText("How did you check the explanation? | 9")
    assert any("questions[0].follow_ups[0].about: must be a key point number (1-3)" in p for p in problems(editor))
    editor.q_follow_ups.setPlainText("How did you check the explanation? | 1")
    assert (
        problems(editor) == []
        and "  follow_ups:\n  - ask: How did you check the explanation?\n    about: 1\n" in editor.yaml.toPlainText()
    )
    screenshot(window, "pack-editor-follow-ups-1280x800")
    with qtbot.waitSignal(editor.packSaved, timeout=10000):
        editor.save_button.click()
    saved = load_pack(window.workspace.data_dir.packs / "demo.yaml").question("shap-and-lime")
    assert [(f.text, f.about) for f in saved.follow_ups] == [("How did you check the explanation?", 0)]
