"""Progress charts: the plotted arrays for a seeded history, the pack summary beside them, a report with the charts."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from PySide6.QtCore import QPointF, Qt

from app.core.review.progress import TARGET_HIGH, TARGET_LOW
from tests.gui.test_review_history import NOW, seed_demo, shoot


def open_progress(window, qtbot, question_id: str | None):
    page = window.review.progress_page
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.review.show_progress("demo", question_id)
    return page


def test_charts_of_one_question_plot_every_answer(window, qtbot) -> None:
    ids = seed_demo(window)
    page = open_progress(window, qtbot, "shap-and-lime")
    assert window.stack.currentWidget() is page
    x, y = page.charts["duration"].curve.getData()
    expected_x = [(NOW - timedelta(days=40 - 4 * n)).timestamp() for n in range(10)]
    assert list(x) == pytest.approx(expected_x)
    assert list(y) == [75 - 4 * n for n in range(10)]
    low_x, low_y = page.charts["duration"].band_low.getData()
    _, high_y = page.charts["duration"].band_high.getData()
    assert list(low_x) == pytest.approx(expected_x)
    assert list(low_y) == pytest.approx([45 * TARGET_LOW] * 10) and list(high_y) == pytest.approx(
        [45 * TARGET_HIGH] * 10
    )
    _, coverage = page.charts["coverage"].curve.getData()
    assert list(coverage) == pytest.approx([100 * (1 + (n >= 3) + (n >= 7)) / 3 for n in range(10)])
    _, fillers = page.charts["fillers"].curve.getData()
    assert fillers[0] > fillers[-1] > 0
    assert page.point_count() == 10
    trends = page.trends.text()
    assert "Key points covered: 47% → 87% (better; last 5 answers against the 5 before)" in trends
    assert "Every answer to “Describe your experience with SHAP and LIME.” (10)" in page.scope.text()
    assert page.export_button.isEnabled()
    shoot(window, "review-progress-question", qtbot)

    # A click on a point opens that answer.
    view = page.charts["coverage"]
    plot = view.plot
    scene_point = plot.getPlotItem().vb.mapViewToScene(QPointF(expected_x[9], coverage[9]))
    with qtbot.waitSignal(window.review.attempt_view.loaded, timeout=10000) as blocker:
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.mapFromScene(scene_point))
    assert blocker.args == [ids[9]]
    assert window.stack.currentWidget() is window.review.attempt_view
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is page


def test_all_questions_are_averaged_per_day_with_a_pack_summary(window, qtbot) -> None:
    seed_demo(window)
    page = open_progress(window, qtbot, None)
    x, y = page.charts["duration"].curve.getData()
    days = {(NOW - timedelta(days=40 - 4 * n)).astimezone().date() for n in range(10)}
    days |= {(NOW - timedelta(days=2)).astimezone().date(), (NOW - timedelta(hours=3)).astimezone().date()}
    assert len(x) == len(days)
    assert y[0] == pytest.approx(75 / 45 * 100), "length as a share of the target"
    _, low = page.charts["duration"].band_low.getData()
    assert list(low) == pytest.approx([60.0] * len(days))
    summary = page.pack_text.text()
    assert "2 of 2 questions practised, 12 answers" in summary
    assert "Every question of this pack has been practised." in summary
    # The latest answer was 3 hours ago: today, or (run just after midnight) yesterday, after one the day before.
    latest_today = (NOW - timedelta(hours=3)).astimezone().date() == NOW.astimezone().date()
    streak = "Streak: 1 day in a row." if latest_today else "Streak: 2 days in a row (practise today to keep it)."
    assert streak in page.practice.text()
    assert not page.export_button.isEnabled(), "a report is of one question"
    shoot(window, "review-progress-all", qtbot)

    # The weakest question links to its own charts.
    page.question_combo.setCurrentIndex(page.question_combo.findData("tell-me"))
    qtbot.waitUntil(lambda: page.point_count() == 2, timeout=10000)


def test_the_report_of_a_question_embeds_the_charts(window, qtbot, tmp_path) -> None:
    seed_demo(window)
    page = open_progress(window, qtbot, "shap-and-lime")
    out = tmp_path / "report.html"
    messages: list[str] = []
    page.message.connect(messages.append)
    page.write_report(out, "html")
    qtbot.waitUntil(lambda: bool(messages), timeout=15000)
    assert messages == [f"Exported to {out}"]
    html = out.read_text()
    images = [part.split('"', 1)[0] for part in html.split('src="data:image/png;base64,')[1:]]
    assert len(images) == 4 and all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert html.count("<tr>") == 11, "ten attempts and the header"


def test_no_history_yet(window, qtbot) -> None:
    window.reload_packs()
    page = window.review.progress_page
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.review.nav_actions["progress"].trigger()
    assert page.point_count() == 0
    assert page.scope.text() == "No scored answers yet."
    assert "A few more answers" in page.trends.text()
    shoot(window, "review-progress-empty", qtbot)


def test_the_progress_page_is_prepared_ahead_but_never_during_an_answer(window, qtbot) -> None:
    """At model-ready the app imports pyqtgraph on the pool and builds the Progress page, so the first
    Progress opens quickly; while a question is on screen it waits for first use instead."""
    review = window.review
    window.reload_packs()
    window.start_page.start_button.click()  # a question is on screen (prep countdown)
    assert window.stack.currentWidget() is window.practice_page
    review.warm_up()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    qtbot.wait(50)  # the build is queued behind the import's result
    assert "progress" not in review.pages
    window.controller.cancel()
    window.show_start()
    review.warm_up()  # as when History opens: the import is done, the page is built now
    qtbot.waitUntil(lambda: "progress" in review.pages, timeout=30000)
    with qtbot.waitSignal(review.progress_page.loaded, timeout=10000):
        review.nav_actions["progress"].trigger()
