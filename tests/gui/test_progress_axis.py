"""Progress for answers all made just after midnight: the words say '1 day', the axis names the day,
and no tick reads '12:00' (the daily average sits at noon; the axis used to label it in hours)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.core.packs import load_pack
from tests.core.test_review_seeding import DEMO, save
from tests.gui.conftest import screenshot
from tests.gui.test_review_progress import open_progress


def tick_labels(view) -> list[str]:
    """The labels the bottom axis draws at its current range and width."""
    axis = view.plot.getPlotItem().getAxis("bottom")
    low, high = axis.range
    labels = []
    for spacing, values in axis.tickValues(low, high, axis.width()):
        labels += axis.tickStrings(values, 1.0, spacing)
    return labels


def test_answers_of_one_night_are_charted_on_their_day(window, qtbot) -> None:
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    day = date.today() - timedelta(days=1)
    for n in range(6):  # 00:01 .. 00:11 local time
        at = datetime.combine(day, time(0, 1 + 2 * n)).astimezone()
        save(window.workspace.history, pack, question, at, duration_s=40 + n, covered=[True, n > 2, False])
    window.reload_packs()
    window.import_pack_file(DEMO)

    page = open_progress(window, qtbot, None)
    assert page.scope.text() == "Daily averages over the questions of Demo pack: 6 answers on 1 day."
    for width, height in ((1440, 900), (800, 600)):
        window.resize(width, height)
        qtbot.wait(80)
        screenshot(window, f"progress-one-night-{width}x{height}")
        for key, view in page.charts.items():
            labels = tick_labels(view)
            assert labels and all(":" not in label for label in labels), (key, labels)
            assert f"{day:%d %b}" in labels, (key, labels)

    page = open_progress(window, qtbot, "shap-and-lime")  # each answer at its own time
    labels = tick_labels(page.charts["coverage"])
    assert labels and "12:00" not in labels, labels  # e.g. ['Sun 29', '01:00'] around 00:01..00:11
