"""Replay tools on a real recording: search History's transcripts and see the words marked, loop
a passage selected in the transcript (L, Esc stops it), bookmark moments with a note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtMultimedia import QMediaPlayer

from app.core.feedback import FOUND_STYLE
from app.gui.shortcuts_dialog import shortcut_rows
from tests.core.test_history import save
from tests.gui.test_review_history import shoot
from tests.gui.test_review_replay import open_attempt, recorded_attempt


def test_history_search_finds_answers_by_the_words_said_and_marks_them(window, qtbot, spoken) -> None:
    history = window.workspace.history
    recorded, _flac = recorded_attempt(window, spoken)  # says "Shapley values" and "LIME"
    other = save(history, window.workspace.scorer(), text="LIME fits a local surrogate model around one prediction.")
    window.review.show_history()
    page = window.review.history_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClicks(page.search, "shapley")  # the query waits for the typing to pause
    assert [s.id for s in page.model.rows] == [recorded]
    assert page.count.text() == "1 attempt saying “shapley”"
    shoot(window, "history-search", qtbot)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.search.setText("LIME surrogate")
    assert [s.id for s in page.model.rows] == [other, recorded], "both say these words; newest first"
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.search.setText("Shapley values")
    assert [s.id for s in page.model.rows] == [recorded]

    page.select_attempt(recorded)
    view = window.review.attempt_view
    with qtbot.waitSignal(view.loaded, timeout=10000):
        page.open_button.click()
    words = [w.text for w in view.detail.transcript.words]
    marked = {i for i, w in enumerate(words) if "shapley" in w.lower() or "values" in w.lower()}
    assert marked and view.panel.found == marked
    assert FOUND_STYLE.split(";")[0].split(":")[1] in view.transcript.toHtml(), "the found words are marked"
    assert f"{len(marked)} word{'s' if len(marked) != 1 else ''} found for “Shapley values”" in view.meta.text(), words
    shoot(window, "history-search-attempt", qtbot)
    # Opened from elsewhere (not a search), nothing is marked.
    window.review.show_attempt(other)
    qtbot.waitUntil(lambda: view.detail.summary.id == other, timeout=10000)
    assert view.panel.found == set() and "found for" not in view.meta.text()


def _select_words(view, first: int, last: int) -> None:
    """Select words first..last in the transcript as a drag of the mouse would."""
    document = view.transcript.document()
    spans: dict[int, tuple[int, int]] = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href.startswith("word:"):
                i = int(href[5:])
                start, end = spans.get(i, (fragment.position(), fragment.position()))
                spans[i] = (min(start, fragment.position()), max(end, fragment.position() + fragment.length()))
            it += 1
        block = block.next()
    cursor = QTextCursor(document)
    cursor.setPosition(spans[first][0] + 1)  # from inside the first word to inside the last
    cursor.setPosition(spans[last][1] - 1, QTextCursor.MoveMode.KeepAnchor)
    view.transcript.setTextCursor(cursor)


def test_a_selected_passage_loops_until_esc(window, qtbot, spoken) -> None:
    attempt_id, _flac = recorded_attempt(window, spoken)
    view = open_attempt(window, qtbot, attempt_id)
    replay, words = view.replay, view.detail.transcript.words
    assert not replay.loop_button.isEnabled(), "nothing selected, nothing to loop"
    first = next(i for i, w in enumerate(words) if w.text.lower().startswith("lime"))
    last = first + 4
    _select_words(view, first, last)
    start, end = words[first].start, words[last].end
    assert replay.loop_range == (start, end) and replay.loop_button.isEnabled()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L)
    player = view.player
    assert replay.looping and replay.loop_button.isChecked()
    seen: list[int] = []
    player.positionChanged.connect(seen.append)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    # Round twice: the position reaches the passage's end and comes back to its start.
    wraps = lambda: sum(1 for a, b in zip(seen, seen[1:]) if b < a - 500)  # noqa: E731
    qtbot.waitUntil(lambda: wraps() >= 2, timeout=30000)
    assert min(seen) >= start * 1000 - 50, "never before the passage"
    assert max(seen) <= end * 1000 + 300, "never far past its end"
    shoot(window, "replay-loop", qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not replay.looping and not replay.loop_button.isChecked()
    assert window.review.is_showing("attempt"), "the first Esc only ends the loop"
    qtbot.waitUntil(
        lambda: player.position() > end * 1000 + 500 or player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia,
        timeout=20000,
    )  # plays on past it
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.review.is_showing("history")
    # The feedback page's transcript selects a loop the same way.
    window.feedback_page.panel.passageSelected.emit((1.0, 2.0))
    assert window.feedback_page.replay.loop_range == (1.0, 2.0)


def test_bookmarks_with_notes_are_kept_listed_and_seek(window, qtbot, spoken, tmp_path) -> None:
    attempt_id, _flac = recorded_attempt(window, spoken)
    view = open_attempt(window, qtbot, attempt_id)
    marks, replay = view.bookmarks, view.replay
    assert marks.list.count() == 1 and not marks.delete_button.isEnabled()  # the "no bookmarks yet" line
    replay.seek_ms(3000)
    qtbot.waitUntil(lambda: view.player is not None and view.player.position() >= 2900, timeout=10000)
    qtbot.keyClicks(marks.note, "rushed the LIME part")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(marks.marks) == 1, timeout=10000)
    assert marks.list.item(0).text() == "0:03  rushed the LIME part" and marks.note.text() == ""
    replay.seek_ms(800)
    qtbot.waitUntil(lambda: view.player.position() < 1000, timeout=10000)
    marks.add_button.click()  # no note: the moment alone
    qtbot.waitUntil(lambda: len(marks.marks) == 2, timeout=10000)
    assert [m.note for m in marks.marks] == ["", "rushed the LIME part"], "in time order"
    stored = window.workspace.history.bookmarks(attempt_id)
    assert [(round(b.at_s), b.note) for b in stored] == [(1, ""), (3, "rushed the LIME part")]
    shoot(window, "replay-bookmarks", qtbot)

    marks.list.setCurrentRow(1)
    qtbot.mouseClick(
        marks.list.viewport(), Qt.MouseButton.LeftButton, pos=marks.list.visualItemRect(marks.list.item(1)).center()
    )
    qtbot.waitUntil(lambda: view.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    assert view.player.position() >= 2900, "a click plays from the bookmark"
    replay.toggle_play()
    marks.list.setCurrentRow(0)
    marks.delete_button.click()
    qtbot.waitUntil(lambda: len(marks.marks) == 1, timeout=10000)
    assert [b.note for b in window.workspace.history.bookmarks(attempt_id)] == ["rushed the LIME part"]

    view = open_attempt(window, qtbot, attempt_id)  # opened again: read back from the database
    assert [m.note for m in view.bookmarks.marks] == ["rushed the LIME part"]
    messages: list[str] = []
    view.message.connect(messages.append)
    view.write_report(tmp_path / "answer.md", "md")
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert "- **0:03** rushed the LIME part" in (tmp_path / "answer.md").read_text()
    rows = shortcut_rows(window)
    assert ("Replay", "Bookmark this moment", "Ctrl+B") in rows and ("Replay", "Loop the selected words", "L") in rows
    assert ("Bookmarks", "Remove the selected bookmark", "Del") in rows
