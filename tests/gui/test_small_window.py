"""The feedback page and a past answer at 800x600, the smallest window the app supports: nothing is
squeezed below the height its text needs or cut off by a parent's edge. Real widgets offscreen, a
real espeak-ng answer transcribed by the real model and measured by Praat; screenshots at both sizes."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from app.core.analysis import analyse_answer
from app.core.audio.files import load_audio, write_recording
from app.core.audio.pending import recording_destination
from app.core.packs import load_pack
from app.gui.widgets.page_scroll import needed_height
from tests.gui.conftest import screenshot
from tests.gui.test_review_replay import ANSWER, DEMO, open_attempt

SIZES = ((1280, 800), (800, 600))


def settle(window, width: int, height: int) -> None:
    """Resize and let every pending layout run (no timing: the posted events are handled)."""
    window.resize(width, height)
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    for area in window.findChildren(QScrollArea):  # each page seen from its top, as when it opens
        area.verticalScrollBar().setValue(0)


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def clipped(widget: QWidget) -> str | None:
    """Why `widget` is not wholly readable: squeezed below the height its contents need, or cut by
    the edge of a parent (a scroll area's viewport included); None when it is whole."""
    width, height = widget.width(), widget.height()
    need = needed_height(widget, width)
    name = widget.accessibleName() or widget.objectName() or type(widget).__name__
    if height < need:
        return f"{name} is {height} px high but needs {need} px at {width} px wide"
    rect, parent = on_screen(widget), widget.parentWidget()
    while parent is not None:
        if not on_screen(parent).contains(rect):
            return (
                f"{name} {rect.getRect()} is cut off by {type(parent).__name__} {parent.objectName()} "
                f"{on_screen(parent).getRect()}"
            )
        parent = parent.parentWidget()
    return None


def scroll_to(widget: QWidget) -> None:
    """What a person does to reach a part below the fold: scroll every page scroller to it."""
    parent = widget.parentWidget()
    while parent is not None:
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if content is not None and content.isAncestorOf(widget):
            # ensureVisible on the whole rectangle: ensureWidgetVisible shows only a text box's cursor.
            top_left = widget.mapTo(content, QPoint(0, 0))
            half_w, half_h = widget.width() // 2, widget.height() // 2
            parent.ensureVisible(top_left.x() + half_w, top_left.y() + half_h, half_w + 1, half_h + 1)
        parent = parent.parentWidget()
    QApplication.processEvents()


def saved_answer(window):
    """The demo answer (espeak-ng), saved with two bookmarks, as the app saves one."""
    from tests.conftest import speak

    workspace = window.workspace
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    audio = load_audio(speak(ANSWER))
    flac = write_recording(audio, recording_destination(workspace.data_dir.recordings, "small-window"))
    analysis = analyse_answer(audio, pack, question, workspace.transcriber(), workspace.scorer())
    attempt_id = workspace.history.save_attempt(pack, question, analysis, flac)
    workspace.history.add_bookmark(attempt_id, 1.0, "the opening")
    workspace.history.add_bookmark(attempt_id, 3.0, "rushed the LIME part")
    return question, analysis, flac, attempt_id


def test_feedback_advice_and_figures_are_whole_at_800x600(window, qtbot) -> None:
    question, analysis, flac, _attempt = saved_answer(window)
    page = window.feedback_page
    page.show_analysis(
        question,
        analysis,
        has_audio=True,
        audio_path=flac,
        notice="The microphone was quiet: check its level in Preferences.",
    )
    window.stack.setCurrentWidget(page)
    headline = page.advice_box.headline
    assert len(headline.text()) > 50, "a headline long enough to wrap at 800 px"
    for width, height in SIZES:
        settle(window, width, height)
        screenshot(window, f"feedback-layout-{width}x{height}")
        # The advice is read first: whole without scrolling.
        assert clipped(headline) is None, clipped(headline)
        assert clipped(page.advice_box.next_steps) is None, clipped(page.advice_box.next_steps)
        assert clipped(page.advice_box) is None, clipped(page.advice_box)
        assert clipped(page.again_button) is None, clipped(page.again_button)
        for tile in [*page.panel.tiles, *(t for t in page.panel.manner_tiles if not t.isHidden())]:
            scroll_to(tile)
            assert clipped(tile) is None, clipped(tile)
        for part in (page.transcript, page.panel.strip, page.panel.strip_legend, page.points):
            scroll_to(part)
            assert clipped(part) is None, clipped(part)
        assert not on_screen(page.panel.strip).intersects(on_screen(page.panel.strip_legend))
    for button in (page.play_button, page.next_button):
        assert clipped(button) is None, clipped(button)  # outside the scrolled part: always at hand


def test_past_answer_bookmarks_and_strip_are_whole_at_800x600(window, qtbot) -> None:
    _question, _analysis, _flac, attempt_id = saved_answer(window)
    view = open_attempt(window, qtbot, attempt_id)
    marks = view.bookmarks
    assert [m.note for m in marks.marks] == ["the opening", "rushed the LIME part"]
    assert view.panel.strip.isVisible() and view.panel.strip_legend.isVisible()
    for width, height in SIZES:
        settle(window, width, height)
        screenshot(window, f"replay-layout-{width}x{height}")
        scroll_to(marks)
        for part in (marks, marks.list, marks.note, marks.add_button):
            assert clipped(part) is None, clipped(part)
        for part in (view.panel.strip, view.panel.strip_legend, view.transcript, view.note):
            scroll_to(part)
            assert clipped(part) is None, clipped(part)
        assert not on_screen(view.panel.strip).intersects(on_screen(view.panel.strip_legend)), "strip over its legend"
    for button in (view.play_button, view.back_button, view.compare_button):
        assert clipped(button) is None, clipped(button)
