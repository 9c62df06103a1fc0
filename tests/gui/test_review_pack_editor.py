"""My packs: write a pack in the form, see `rehearse check`'s errors as you type, save it, edit the YAML, import and export."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt

from app.core.packs import PackError, load_pack
from app.gui import dialogs
from tests.core.test_review_seeding import DEMO
from tests.gui.test_review_history import shoot


def open_editor(window, qtbot):
    window.review.nav_actions["packs"].trigger()
    editor = window.review.pack_editor
    assert window.stack.currentWidget() is editor
    return editor


def check_errors(text: str, tmp_path: Path, name: str) -> list[str]:
    """What `rehearse check NAME` prints for this text (the same loader, run on a file)."""
    (tmp_path / name).write_text(text)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        pack = load_pack(name)
    except PackError as exc:
        return [str(i) for i in exc.issues + exc.warnings]
    finally:
        os.chdir(cwd)
    return [str(w) for w in pack.warnings]


def problems(editor) -> list[str]:
    return [editor.problems.item(i).text()[2:] for i in range(editor.problems.count())]


def test_write_a_pack_in_the_form_and_save_it(window, qtbot, tmp_path) -> None:
    window.reload_packs()
    editor = open_editor(window, qtbot)
    # A new pack starts with one empty question: the checker says what is missing, where.
    assert editor.pack_id.text() == "my-pack" and not editor.save_button.isEnabled()
    assert problems(editor) == check_errors(editor.yaml.toPlainText(), tmp_path, "my-pack.yaml")
    assert problems(editor) == [
        "my-pack.yaml:6: questions[0].text: must not be empty",
        "my-pack.yaml:9: questions[0].key_points: must be a non-empty list",
    ]
    shoot(window, "review-pack-editor-new", qtbot)

    editor.pack_title.clear()
    qtbot.keyClicks(editor.pack_title, "Data science basics")
    qtbot.keyClicks(editor.pack_glossary, "SHAP, LIME")
    qtbot.keyClicks(editor.q_text, "What does SHAP tell you about a prediction?")
    editor.q_category.setEditText("technical")
    editor.q_answer.setValue(60)
    qtbot.keyClicks(editor.q_points, "SHAP splits a prediction among the features | Shapley, contribution")
    qtbot.keyClick(editor.q_points, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.q_points, "The contributions add up to the prediction minus the average")
    editor.q_reference.setPlainText("SHAP gives each feature a Shapley value.\nThey add up to the prediction.")
    assert editor.pack is not None and editor.save_button.isEnabled()
    assert problems(editor) == []
    text = editor.yaml.toPlainText()
    assert (
        "reference_answer: |-\n    SHAP gives each feature a Shapley value.\n    They add up to the prediction." in text
    )
    assert "cues: [Shapley, contribution]" in text and "glossary: [SHAP, LIME]" in text

    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.question_list.count() == 2 and editor.pack is None, "the new question is empty"
    qtbot.keyClicks(editor.q_text, "Tell me about yourself.")
    qtbot.keyClicks(editor.q_points, "Opens with the current role")
    assert editor.pack is not None and [q.id for q in editor.pack.questions] == ["question-1", "question-2"]
    shoot(window, "review-pack-editor-filled", qtbot)

    with qtbot.waitSignal(editor.packSaved, timeout=10000) as blocker:
        editor.save_button.click()
    assert blocker.args == ["my-pack"]
    saved = window.workspace.data_dir.packs / "my-pack.yaml"
    pack = load_pack(saved)
    assert replace(pack, source=None) == replace(editor.pack, source=None)
    question = pack.question("question-1")
    assert question.category == "technical" and question.answer_seconds == 60
    assert question.key_points[0].cues == ("Shapley", "contribution")
    assert question.reference_answer == "SHAP gives each feature a Shapley value.\nThey add up to the prediction."
    assert window.start_page.pack_combo.findData("my-pack") >= 0, "the new pack can be practised at once"


def test_yaml_typed_by_hand_is_checked_like_rehearse_check(window, qtbot, tmp_path) -> None:
    window.import_pack_file(DEMO)
    editor = open_editor(window, qtbot)
    index = editor.chooser.findData(str(window.workspace.data_dir.packs / "demo.yaml"))
    editor.chooser.setCurrentIndex(index)
    editor.chooser.activated.emit(index)
    assert editor.pack is not None and editor.pack.id == "demo"
    assert (
        editor.question_list.count() == 2
        and editor.q_text.toPlainText() == "Describe your experience with SHAP and LIME."
    )
    original = editor.yaml.toPlainText()
    assert original == DEMO.read_text(), "the file as written, comments and all"

    broken = original.replace("answer_seconds: 45", "answer_seconds: 2").replace("  - id: tell-me", "  - id: tell me")
    editor.yaml.setPlainText(broken)
    qtbot.waitUntil(lambda: editor.pack is None, timeout=5000)
    expected = check_errors(broken, tmp_path, "demo.yaml")
    assert problems(editor) == expected
    assert expected == [
        "demo.yaml:10: questions[0].answer_seconds: must be between 5 and 3600 seconds, not 2",
        "demo.yaml:22: questions[1].id: 'tell me' is not a valid id: use letters, digits, '-', '_' or '.' (max 64)",
    ]
    assert not editor.save_button.isEnabled() and not editor.form_scroll.widget().isEnabled()
    editor.problems.itemClicked.emit(editor.problems.item(0))
    assert editor.yaml.textCursor().blockNumber() == 9, "a click on a problem goes to its line"
    shoot(window, "review-pack-editor-errors", qtbot)

    editor.yaml.setPlainText(original.replace("answer_seconds: 45", "answer_seconds: 75"))
    qtbot.waitUntil(lambda: editor.pack is not None, timeout=5000)
    assert editor.form_scroll.widget().isEnabled() and editor.q_answer.value() == 75
    assert editor.save_button.isEnabled()

    out = tmp_path / "shared.yaml"
    messages: list[str] = []
    editor.message.connect(messages.append)
    editor.export_to(out)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert load_pack(out).question("shap-and-lime").answer_seconds == 75


def test_a_builtin_pack_is_saved_as_the_users_own_copy(window, qtbot) -> None:
    window.reload_packs()
    editor = open_editor(window, qtbot)
    index = next(i for i in range(editor.chooser.count()) if "built-in" in editor.chooser.itemText(i))
    editor.chooser.setCurrentIndex(index)
    editor.chooser.activated.emit(index)
    assert "your own copy" in editor.where.text() and editor.pack is not None
    pack_id = editor.pack.id
    shoot(window, "review-pack-editor-builtin", qtbot)
    with qtbot.waitSignal(editor.packSaved, timeout=10000):
        editor.save_button.click()
    assert (window.workspace.data_dir.packs / f"{pack_id}.yaml").exists()


def test_import_never_writes_outside_the_user_pack_folder(window, qtbot, tmp_path) -> None:
    folder = window.workspace.data_dir.packs
    outside = tmp_path / "outside.yaml"
    (folder / "demo.yaml").symlink_to(outside)  # a link planted in the pack folder
    with dialogs.answered() as seen:
        assert window.import_pack_file(DEMO) is False
    assert not outside.exists()
    assert seen and seen[0].kind == "warn" and "cannot be used as a pack file name" in seen[0].text


def test_key_point_examples_are_edited_in_the_form_beside_the_cues(window, qtbot, tmp_path) -> None:
    source = tmp_path / "demo.yaml"
    source.write_text(
        DEMO.read_text().replace(
            "        cues: [surrogate, perturb]\n",
            "        cues: [surrogate, perturb]\n        examples: [a sparse linear model, 'a shallow tree, depth two']\n",
        )
    )
    window.import_pack_file(source)
    editor = open_editor(window, qtbot)
    index = editor.chooser.findData(str(window.workspace.data_dir.packs / "demo.yaml"))
    editor.chooser.setCurrentIndex(index)
    editor.chooser.activated.emit(index)
    lines = editor.q_points.toPlainText().splitlines()
    assert lines[1] == (
        "LIME fits a simple, interpretable surrogate model around one prediction | surrogate, perturb"
        " | a sparse linear model; a shallow tree, depth two"
    )
    assert lines[2] == "LIME explanations can be unstable across runs | unstable", "no examples, no second bar"

    # Examples typed in the form go to `examples:`; the claim the judge checks stays as it was.
    cursor = editor.q_points.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.q_points.setTextCursor(cursor)
    qtbot.keyClicks(editor.q_points, " | a different top feature per seed")
    assert "    examples:\n    - a different top feature per seed\n" in editor.yaml.toPlainText()
    assert problems(editor) == []
    point = editor.pack.question("shap-and-lime").key_points[2]
    assert (point.text, point.cues, point.examples) == (
        "LIME explanations can be unstable across runs",
        ("unstable",),
        ("a different top feature per seed",),
    )
    assert editor.pack.question("shap-and-lime").key_points[1].examples == (
        "a sparse linear model",
        "a shallow tree, depth two",
    )

    # An example written into the claim gets the same warning as `rehearse check`, pointing at `examples:`.
    qtbot.keyClick(editor.q_points, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.q_points, "Uses an analogy, such as a mail truck")
    expected = check_errors(editor.yaml.toPlainText(), tmp_path, "demo.yaml")
    assert problems(editor) == expected and len(expected) == 1
    assert "warning: questions[0].key_points[3]: 'such as ...'" in expected[0] and "'examples:'" in expected[0]
    assert editor.save_button.isEnabled(), "a warning does not stop saving"
    shoot(window, "review-pack-editor-examples", qtbot)

    with qtbot.waitSignal(editor.packSaved, timeout=10000):
        editor.save_button.click()
    saved = load_pack(window.workspace.data_dir.packs / "demo.yaml").question("shap-and-lime")
    assert [kp.examples for kp in saved.key_points] == [
        (),
        ("a sparse linear model", "a shallow tree, depth two"),
        ("a different top feature per seed",),
        (),
    ]
