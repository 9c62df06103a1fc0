"""Replaying an attempt: a real FLAC recording of an espeak-ng answer, transcribed by the real model.

Clicking a word in the transcript seeks the QMediaPlayer there; playback moves the highlight
word by word; notes are saved; delete removes the recording.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtMultimedia import QMediaPlayer

from app.core.analysis import analyse_answer
from app.core.audio.files import load_audio, write_recording
from app.core.audio.pending import recording_destination
from app.core.packs import load_pack
from app.gui import dialogs
from tests.core.test_review_seeding import DEMO
from tests.gui.test_review_history import shoot

ANSWER = (
    "SHAP explains a single prediction with Shapley values from cooperative game theory. "
    "Um, LIME fits a simple local surrogate model around that one prediction, using perturbed samples."
)


def recorded_attempt(window, spoken) -> tuple[int, Path]:
    """An attempt as the app saves one: the answer's FLAC in the recordings folder, transcribed and scored."""
    workspace = window.workspace
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    audio = load_audio(spoken(ANSWER))
    flac = write_recording(audio, recording_destination(workspace.data_dir.recordings, "replay-test"))
    analysis = analyse_answer(audio, pack, question, workspace.transcriber(), workspace.scorer())
    return workspace.history.save_attempt(pack, question, analysis, flac), flac


def word_position(view, index: int) -> QPoint:
    """Where word `index` is drawn in the transcript's viewport."""
    document = view.transcript.document()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == f"word:{index}":
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position() + 1)
                return view.transcript.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"word {index} is not in the transcript")


def open_attempt(window, qtbot, attempt_id: int):
    view = window.review.attempt_view
    with qtbot.waitSignal(view.loaded, timeout=10000):
        window.review.show_attempt(attempt_id, back_to=window.review.history_page)
    return view


def test_clicking_a_word_seeks_the_recording_and_playback_moves_the_highlight(window, qtbot, spoken) -> None:
    attempt_id, flac = recorded_attempt(window, spoken)
    view = open_attempt(window, qtbot, attempt_id)
    detail = view.detail
    words = detail.transcript.words
    assert len(words) > 20 and view.play_button.isEnabled()
    assert view.tiles[0].value.text() == f"{sum(r.judged_covered for r in detail.key_points)}/3"
    assert "Shapley" in view.transcript.toPlainText()

    target = next(i for i, w in enumerate(words) if w.text.lower().startswith("lime"))
    start_ms = int(words[target].start * 1000)
    assert start_ms > 3000, "a word well into the answer"
    qtbot.mouseClick(view.transcript.viewport(), Qt.MouseButton.LeftButton, pos=word_position(view, target))
    player = view.player
    assert player is not None and player.source().toLocalFile() == str(flac)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    qtbot.waitUntil(lambda: player.position() >= start_ms, timeout=10000)
    assert view.slider.value() >= start_ms - 300
    # The highlight follows playback: the word clicked, then the ones after it.
    assert view.current_word is not None and view.current_word >= target
    qtbot.waitUntil(lambda: view.current_word is not None and view.current_word > target, timeout=15000)
    html = view.transcript.toHtml()
    assert "#1f6feb" in html, "the current word is highlighted"
    screenshot_word = view.current_word

    # Pause keeps the position; Space toggles it from the keyboard too.
    view.play_button.click()
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PausedState, timeout=5000)
    paused_at = player.position()
    assert paused_at >= start_ms and view.play_button.text() == "▶ Play"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=5000)
    view.play_button.click()
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PausedState, timeout=5000)

    # Seeking back with a click on the first word moves the position back.
    qtbot.mouseClick(view.transcript.viewport(), Qt.MouseButton.LeftButton, pos=word_position(view, 0))
    qtbot.waitUntil(lambda: player.position() < start_ms, timeout=10000)
    assert view.current_word is not None and view.current_word < target
    assert screenshot_word is not None
    view.play_button.click()
    shoot(window, "review-attempt", qtbot)


def test_an_attempt_exports_as_a_report(window, qtbot, spoken, tmp_path) -> None:
    attempt_id, _flac = recorded_attempt(window, spoken)
    view = open_attempt(window, qtbot, attempt_id)
    messages: list[str] = []
    view.message.connect(messages.append)
    view.write_report(tmp_path / "answer.html", "html")
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    page = (tmp_path / "answer.html").read_text()
    assert messages == [f"Exported to {tmp_path / 'answer.html'}"]
    assert "Describe your experience with SHAP and LIME." in page and "Shapley" in page and "word:" not in page


def test_a_note_is_saved_and_delete_removes_the_recording(window, qtbot, spoken) -> None:
    attempt_id, flac = recorded_attempt(window, spoken)
    view = open_attempt(window, qtbot, attempt_id)
    assert not view.save_note_button.isEnabled()
    qtbot.keyClicks(view.note, "Start with the definition.")
    assert view.save_note_button.isEnabled()
    view.save_note_button.click()
    qtbot.waitUntil(
        lambda: window.workspace.history.get_attempt(attempt_id).summary.note == "Start with the definition.",
        timeout=10000,
    )
    qtbot.waitUntil(lambda: not view.save_note_button.isEnabled(), timeout=5000)

    # Seek without playing first, so the player has the file open when it is deleted.
    view.seek_to_word(3)
    qtbot.waitUntil(lambda: view.player.position() > 0, timeout=10000)
    history = window.review.history_page
    with dialogs.answered(dialogs.Button.Yes), qtbot.waitSignal(history.loaded, timeout=10000):
        view.delete_button.click()
    assert not flac.exists()
    assert window.stack.currentWidget() is history and history.model.rowCount() == 0


def test_an_attempt_whose_recording_is_gone_still_shows_its_feedback(window, qtbot, spoken) -> None:
    attempt_id, flac = recorded_attempt(window, spoken)
    flac.unlink()
    view = open_attempt(window, qtbot, attempt_id)
    assert not view.play_button.isEnabled()
    assert view.notice.isVisible() and "no longer on this computer" in view.notice.text()
    view.seek_to_word(2)  # nothing to play: no player is made
    assert view.player is None
    assert view.points.count() == 3 and view.why.text()
