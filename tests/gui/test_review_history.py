"""History: the table of attempts (sort, filter by pack / question / date), delete with its recording, compare two.

Real window, real SQLite history seeded through History.save_attempt, real dialogs answered by
clicking their buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.core.packs import load_pack
from app.gui import dialogs
from tests.core.test_review_seeding import DEMO, save
from tests.gui.conftest import screenshot

NOW = datetime.now(UTC).replace(microsecond=0)


def shoot(window, name: str, qtbot) -> None:
    """Screenshots of the current page at 1280x800 and 800x600 (screenshots/, not committed)."""
    for width, height in ((1280, 800), (800, 600)):
        window.resize(width, height)
        qtbot.wait(80)
        screenshot(window, f"{name}-{width}x{height}")
    window.resize(1280, 800)
    qtbot.wait(30)


def seed_demo(window, audio_for: Callable[[int], Path | None] | None = None) -> list[int]:
    """Twelve attempts over the last 40 days: shap-and-lime getting better, tell-me once."""
    pack = load_pack(DEMO)
    history = window.workspace.history
    shap, tell = pack.question("shap-and-lime"), pack.question("tell-me")
    ids = []
    for n in range(10):
        covered = [True, n >= 3, n >= 7]
        ids.append(
            save(
                history,
                pack,
                shap,
                NOW - timedelta(days=40 - 4 * n),
                duration_s=75 - 4 * n,
                covered=covered,
                text="um so " * (8 - n // 2) + "SHAP uses Shapley values and LIME fits a local surrogate model",
                audio=audio_for(n) if audio_for else None,
            )
        )
    ids.append(save(history, pack, tell, NOW - timedelta(days=2), duration_s=50, covered=[False]))
    ids.append(save(history, pack, tell, NOW - timedelta(hours=3), duration_s=20, covered=[True]))
    window.reload_packs()
    window.import_pack_file(DEMO)
    return ids


def open_history(window, qtbot):
    page = window.review.history_page
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.review.nav_actions["history"].trigger()
    assert window.stack.currentWidget() is page
    return page


def test_history_lists_sorts_and_filters(window, qtbot, tmp_path) -> None:
    ids = seed_demo(window)
    page = open_history(window, qtbot)
    model = page.model
    assert model.rowCount() == 12
    assert [r.id for r in model.rows] == [ids[11], ids[10], *reversed(ids[:10])], "newest first"
    assert model.index(0, model.column_of("question")).data() == "Tell me about yourself."
    assert page.count.text() == "12 attempts"
    shoot(window, "review-history", qtbot)

    # Sort by any figure: a click on the header.
    header = page.table.horizontalHeader()
    coverage = model.column_of("coverage")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(coverage) + 10, header.height() // 2),
    )
    values = [r.coverage for r in model.rows]
    assert values in (sorted(values), sorted(values, reverse=True))
    order = header.sortIndicatorOrder()
    page.table.sortByColumn(model.column_of("duration_s"), Qt.SortOrder.AscendingOrder)
    assert [r.duration_s for r in model.rows] == sorted(r.duration_s for r in model.rows)
    assert [model.index(i, model.column_of("duration_s")).data() for i in range(2)] == ["0:20", "0:39"]
    assert order is not None

    # Filter by pack, then question: the query runs again on the pool.
    assert not page.question_combo.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.pack_combo.setCurrentIndex(page.pack_combo.findData("demo"))
    assert model.rowCount() == 12 and page.question_combo.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10000) as blocker:
        page.question_combo.setCurrentIndex(page.question_combo.findData("tell-me"))
    assert blocker.args == [2] and {r.question_id for r in model.rows} == {"tell-me"}

    # Filter by date: the last 7 days, then a custom range.
    page.question_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: model.rowCount() == 12, timeout=10000)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.period_combo.setCurrentIndex(page.period_combo.findData(7))
    assert {r.id for r in model.rows} == {ids[9], ids[10], ids[11]}
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.period_combo.setCurrentIndex(page.period_combo.findData(-1))
    assert page.date_from.isVisible() and page.date_to.isVisible()
    start = (NOW - timedelta(days=41)).astimezone().date()
    end = (NOW - timedelta(days=30)).astimezone().date()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.date_to.setDate(QDate(end.year, end.month, end.day))
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.date_from.setDate(QDate(start.year, start.month, start.day))
    assert {r.id for r in model.rows} == {ids[0], ids[1], ids[2]}  # days -40, -36, -32
    shoot(window, "review-history-filtered", qtbot)

    # What is shown can be exported as CSV (on the pool).
    messages: list[str] = []
    page.message.connect(messages.append)
    out = tmp_path / "shown.csv"
    page.write_csv(out)
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == [f"Exported 3 attempts to {out}"]
    assert [line.split(",")[0] for line in out.read_text().splitlines()[1:]] == [str(i) for i in ids[:3]]


def test_back_to_history_keeps_the_selection_until_the_history_changes(window, qtbot) -> None:
    """Unchanged history comes back as it was left (read cache, no model reset); a change since,
    here a note written by another part of the app, shows at once."""
    ids = seed_demo(window)
    page = open_history(window, qtbot)
    assert page.select_attempt(ids[3])
    window.show_start()
    page = open_history(window, qtbot)
    assert [s.id for s in page.selected()] == [ids[3]]
    window.workspace.history.set_note(ids[3], "Started too slowly")
    window.show_start()
    page = open_history(window, qtbot)
    row = next(i for i, s in enumerate(page.model.rows) if s.id == ids[3])
    assert page.model.index(row, page.model.column_of("note")).data() == "Started too slowly"


def select_rows(page, rows: list[int]) -> None:
    """Select rows as Ctrl+click does."""
    from PySide6.QtCore import QItemSelectionModel

    selection = page.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            page.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )


def test_delete_asks_first_and_removes_the_recording(window, qtbot, data_dir) -> None:
    recordings = []

    def audio(n: int) -> Path | None:
        if n != 9:
            return None
        path = data_dir.recordings / "2026" / "x.flac"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"fLaC")
        recordings.append(path)
        return path

    ids = seed_demo(window, audio)
    page = open_history(window, qtbot)
    assert page.select_attempt(ids[9])
    assert page.delete_button.isEnabled()

    # Cancel first: nothing happens.
    with dialogs.answered(dialogs.Button.Cancel):
        page.delete_button.click()
    assert window.workspace.history.count_attempts() == 12 and recordings[0].exists()

    with dialogs.answered(dialogs.Button.Yes) as seen, qtbot.waitSignal(page.loaded, timeout=10000):
        page.delete_button.click()
    assert "and its recording" in seen[0].text and "cannot be undone" in seen[0].text
    assert not recordings[0].exists()
    assert window.workspace.history.count_attempts() == 11
    assert ids[9] not in [r.id for r in page.model.rows] and page.model.rowCount() == 11


def test_compare_two_answers_to_the_same_question(window, qtbot) -> None:
    ids = seed_demo(window)
    page = open_history(window, qtbot)
    rows = {r.id: i for i, r in enumerate(page.model.rows)}
    select_rows(page, [rows[ids[10]], rows[ids[9]]])  # tell-me and shap
    assert not page.compare_button.isEnabled(), "different questions"
    select_rows(page, [rows[ids[2]], rows[ids[8]]])
    assert page.compare_button.isEnabled()
    view = window.review.compare_view
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is view
    comparison = view.comparison
    assert comparison.before.summary.id == ids[2] and comparison.after.summary.id == ids[8]
    cells = {
        view.figures.item(r, 0).text(): [view.figures.item(r, c).text() for c in (1, 2, 3)]
        for r in range(view.figures.rowCount())
    }
    assert cells["Length vs target"][0] == "1:07 of 0:45 (ran 49% over the target)"
    assert cells["Length vs target"][1] == "0:43 of 0:45 (on target)"
    assert cells["Length vs target"][2] == "-24 s  better"
    assert cells["Key points covered"][2] == "+2 key points (+67 %)  better"
    statuses = {view.points.item(r, 0).text(): view.points.item(r, 2).text() for r in range(view.points.rowCount())}
    assert list(statuses.values()) == ["newly covered", "newly covered", "still covered"]
    assert "2 newly covered" in view.summary.text()
    assert "Shapley" in view.after_text.toPlainText()
    assert view.before_combo.count() == 10
    shoot(window, "review-compare", qtbot)

    # Pick another pair in the combos.
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.before_combo.setCurrentIndex(view.before_combo.findData(ids[0]))
        view.before_combo.activated.emit(view.before_combo.currentIndex())
    assert view.comparison.before.summary.id == ids[0]
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is page


@pytest.fixture(autouse=True)
def _no_dialog_left_open():
    yield
    box = QApplication.activeModalWidget()
    if box is not None:
        box.close()
