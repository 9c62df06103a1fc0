"""History and Compare details a new user tripped over: a saved note shows at once, Compare names
two answers of the same minute apart, the question column gets the room at 800x600.

Real window, real SQLite history seeded through History.save_attempt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from app.core.packs import load_pack
from app.gui.history_page import COLUMNS
from tests.core.test_review_seeding import DEMO, save
from tests.gui.conftest import screenshot
from tests.gui.test_review_history import open_history, seed_demo

LONG_TITLE = "ML Interpretability Specialist"  # a real pack's title, shown as "ML Inter..." before


def long_titled_pack(tmp_path: Path):
    path = tmp_path / "demo-long.yaml"
    path.write_text(DEMO.read_text().replace("title: Demo pack", f"title: {LONG_TITLE}", 1))
    return load_pack(path)


def test_a_note_saved_on_an_answer_shows_in_the_history_on_going_back(window, qtbot) -> None:
    ids = seed_demo(window)
    page = open_history(window, qtbot)
    assert page.select_attempt(ids[5])
    view = window.review.attempt_view
    page.table.setFocus()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.keyClick(page.table, Qt.Key.Key_Enter)  # the keypad's Enter opens it as Return does
    view.note.setPlainText("Say the trade-off first\nthen the example")
    with qtbot.waitSignal(view.message, timeout=10000) as said:
        view.save_note_button.click()
    assert said.args == ["Note saved"]
    with qtbot.waitSignal(page.loaded, timeout=10000):
        view.back_button.click()
    assert window.stack.currentWidget() is page
    row = next(i for i, s in enumerate(page.model.rows) if s.id == ids[5])
    assert page.model.index(row, page.model.column_of("note")).data() == "Say the trade-off first"
    assert [s.id for s in page.selected()] == [ids[5]], "the answer just seen stays selected"


def test_compare_names_two_answers_of_the_same_minute_apart(window, qtbot) -> None:
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    history = window.workspace.history
    minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    first = save(history, pack, question, minute + timedelta(seconds=5), duration_s=40, covered=[True, False, False])
    second = save(history, pack, question, minute + timedelta(seconds=50), duration_s=40, covered=[True, False, False])
    twin = save(history, pack, question, minute + timedelta(seconds=50), duration_s=40, covered=[True, False, False])
    other = save(history, pack, question, minute - timedelta(hours=3), duration_s=52, covered=[True, True, False])
    window.reload_packs()
    view = window.review.compare_view
    window.review.show_compare(first, second)
    qtbot.waitUntil(lambda: view.comparison is not None and view.before_combo.count() == 4, timeout=10000)
    labels = {view.before_combo.itemData(i): view.before_combo.itemText(i) for i in range(view.before_combo.count())}
    assert len(set(labels.values())) == 4, labels
    when = minute.astimezone()
    assert labels[first].startswith(f"{when:%Y-%m-%d %H:%M}:05 · 0:40 · 1/3 points"), labels[first]
    assert labels[second].startswith(f"{when:%Y-%m-%d %H:%M}:50") and labels[second].endswith(f"#{second}")
    assert labels[twin].endswith(f"#{twin}"), "same second, length and points: the attempt number tells them apart"
    assert labels[other] == f"{minute.astimezone() - timedelta(hours=3):%Y-%m-%d %H:%M} · 0:52 · 2/3 points", (
        "no seconds where the minute alone names it"
    )
    assert view.before_caption.text() == f"Before: {labels[first]}"
    for width, height in ((1440, 900), (800, 600)):
        window.resize(width, height)
        qtbot.wait(80)
        shown = view.before_combo
        assert shown.width() >= shown.fontMetrics().horizontalAdvance(labels[first]), "the whole label is seen"
        screenshot(window, f"compare-same-minute-{width}x{height}")


def test_history_columns_give_the_question_the_room(window, qtbot, tmp_path) -> None:
    pack = long_titled_pack(tmp_path)
    history = window.workspace.history
    now = datetime.now(UTC)
    for n, question in enumerate(pack.questions * 2):
        save(
            history,
            pack,
            question,
            now - timedelta(hours=n),
            duration_s=30 + n,
            covered=[True] * len(question.key_points),
        )
    window.reload_packs()
    page = open_history(window, qtbot)
    header = page.table.horizontalHeader()
    model = page.model
    figures = [c.key for c in COLUMNS if c.key not in ("pack", "question", "note")]
    for width, height in ((1440, 900), (800, 600)):
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width: abs(window.width() - w) < 2)
        qtbot.wait(80)
        screenshot(window, f"history-columns-{width}x{height}")
        sizes = {key: header.sectionSize(model.column_of(key)) for key in figures + ["pack", "question", "note"]}
        for key in figures:
            assert sizes["question"] > sizes[key], (width, sizes)
        used = sum(header.sectionSize(i) for i in range(model.columnCount()) if not page.table.isColumnHidden(i))
        assert used <= page.table.viewport().width() + 1, "no side scroll"
        for key in figures:  # a figure column is never cut: its title and its widest figure fit
            column = model.column_of(key)
            title = header.fontMetrics().horizontalAdvance(model.headerData(column, Qt.Orientation.Horizontal))
            assert sizes[key] >= title + 12, (key, sizes[key], title)
        if width == 1440:
            assert sizes["pack"] >= page.table.fontMetrics().horizontalAdvance(LONG_TITLE), (
                "the pack title fits at full size"
            )
            assert sizes["question"] >= 0.4 * page.table.viewport().width(), sizes
        else:
            assert sizes["question"] >= sizes["pack"] + sizes["note"], sizes
    row = 0
    assert model.index(row, model.column_of("pack")).data(Qt.ItemDataRole.ToolTipRole) == LONG_TITLE
    assert (
        model.index(row, model.column_of("question")).data(Qt.ItemDataRole.ToolTipRole) == model.rows[row].question_text
    )
