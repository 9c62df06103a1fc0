"""Voice, hedges and shape on screen: a real espeak-ng answer (flat voice, hedges), transcribed by
the real model and measured by Praat, shown on the feedback page and in replay; the strip under
the transcript seeks the recording; an old attempt without these figures still shows as before."""

from __future__ import annotations

from datetime import UTC

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QMediaPlayer

from app.core.analysis import analyse_answer, judge_transcript
from app.core.audio.files import load_audio, write_recording
from app.core.audio.pending import recording_destination
from app.core.packs import load_pack
from app.core.paths import builtin_packs_dir
from tests.core.test_voice import espeak
from tests.gui.conftest import screenshot
from tests.gui.test_review_replay import open_attempt
from tests.gui.test_story_feedback import story_analysis

FLAT_HEDGED = (
    "I think interpretability is how well a person can understand why a model made a prediction. "
    "Maybe it matters most for debugging, because explanations expose shortcuts and data leakage. "
    "It is kind of important for trust as well, and for regulation."
)


def saved_flat_answer(window):
    workspace = window.workspace
    pack = load_pack(builtin_packs_dir() / "ml-interpretability.yaml")
    question = pack.question("what-is-interpretability")
    audio = load_audio(espeak(f'<prosody range="x-low">{FLAT_HEDGED}</prosody>'))
    flac = write_recording(audio, recording_destination(workspace.data_dir.recordings, "voice-test"))
    analysis = analyse_answer(audio, pack, question, workspace.transcriber(), workspace.scorer())
    return pack, question, analysis, flac, workspace.history.save_attempt(pack, question, analysis, flac)


def manner(panel) -> dict[str, tuple[str, str]]:
    return {t.label.text(): (t.value.text(), t.detail.text()) for t in panel.manner_tiles if not t.isHidden()}


def test_feedback_shows_voice_hedges_and_opening_and_the_strip_seeks(window, qtbot) -> None:
    _pack, question, analysis, flac, _attempt = saved_flat_answer(window)
    page = window.feedback_page
    page.show_analysis(question, analysis, has_audio=True, audio_path=flac)
    window.stack.setCurrentWidget(page)
    qtbot.wait(50)
    shown = manner(page.panel)
    assert shown["PITCH"][1].startswith("monotone"), shown
    assert shown["HEDGES"][0] == "3" and "“i think”" in shown["HEDGES"][1], shown
    assert shown["OPENING"][0] == "direct", shown
    assert "SENTENCE ENDS" in shown
    html = page.transcript.toHtml()
    assert html.count("#6639ba") >= 3, "hedges marked in their own colour"
    strip = page.panel.strip
    assert strip.isVisible() and strip.height() >= 50
    assert "click to play from here" in strip.describe(2.0)
    screenshot(window, "feedback-voice-1280x800")
    screenshot(strip, "feedback-voice-strip")

    # A click on the strip's right half plays from that moment.
    x = int(strip.width() * 0.6)
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x, strip.height() // 2))
    expected_ms = strip._seconds(x) * 1000
    player = page.replay.player
    assert player is not None and player.source().toLocalFile() == str(flac)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10000)
    qtbot.waitUntil(lambda: player.position() >= expected_ms - 50, timeout=10000)
    assert player.position() >= expected_ms - 50 and page.replay.current_word is not None
    assert strip.position_s is not None and abs(strip.position_s * 1000 - expected_ms) < 1500
    page.replay.stop()


def test_replay_shows_the_same_figures_and_an_old_attempt_shows_none(window, qtbot) -> None:
    pack, question, analysis, _flac, attempt_id = saved_flat_answer(window)
    view = open_attempt(window, qtbot, attempt_id)
    assert manner(view.panel) == manner_of(window, question, analysis)
    assert view.panel.strip.isVisible()
    screenshot(window, "replay-voice-1280x800")

    # An attempt stored before these figures existed: the delivery JSON has none of them.
    old = judge_transcript(pack, question, analysis.transcript, window.workspace.scorer())
    old.delivery.voice = old.delivery.hedges = old.delivery.overused = old.delivery.shape = None
    old_id = window.workspace.history.save_attempt(pack, question, old, None)
    assert "voice" not in window.workspace.history.get_attempt(old_id).delivery.to_dict()
    view = open_attempt(window, qtbot, old_id)
    assert manner(view.panel) == {} and not view.panel.strip.isVisible()
    assert view.tiles[0].value.text().endswith("/6") and "#6639ba" not in view.transcript.toHtml()


def manner_of(window, question, analysis) -> dict[str, tuple[str, str]]:
    page = window.feedback_page
    page.show_analysis(question, analysis, has_audio=False)
    return manner(page.panel)


def test_a_story_draws_its_parts_in_the_strip_and_names_the_missing_one(window, qtbot) -> None:
    _pack, question, _words, analysis = story_analysis(window)
    page = window.feedback_page
    page.show_analysis(question, analysis, has_audio=False)
    window.stack.setCurrentWidget(page)
    qtbot.wait(50)
    shown = manner(page.panel)
    assert shown["STORY"] == ("3/4 parts", "no result: what changed because of what you did?")
    strip = page.panel.strip
    assert strip.isVisible()  # no audio here, but the story's parts are drawn in time
    action = next(p for p in analysis.delivery.shape.story if p.part == "action")
    assert "action told here" in strip.describe((action.start_s + action.end_s) / 2)
    screenshot(strip, "feedback-story-strip")


def test_a_recorded_answer_is_measured_while_recording_and_stored(window, qtbot, fake_mic, spoken) -> None:
    """The practice window's own path: the fake microphone, the recorder feeding the VoiceTracker, Stop."""
    from tests.gui.test_practice_flow import ANSWER, open_demo

    fake_mic.load(spoken(ANSWER))
    open_demo(window, qtbot)
    qtbot.mouseClick(window.start_page.start_button, Qt.MouseButton.LeftButton)
    controller = window.controller
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.voice is not None or controller.last_attempt is not None, timeout=10000)
    tracker = controller.voice
    with qtbot.waitSignal(controller.feedbackReady, timeout=120000) as blocker:
        pass
    saved = blocker.args[0]
    assert tracker is not None and tracker.fed_seconds == pytest.approx(16.0, abs=0.1)
    voice = saved.analysis.delivery.voice
    assert voice is not None and voice.pitch_variation_st is not None and len(voice.contour_level_db) == 160
    stored = window.workspace.history.get_attempt(saved.attempt_id).delivery
    assert stored.voice is not None and stored.voice.to_dict() == voice.to_dict()
    assert window.feedback_page.panel.strip.isVisible()


def test_progress_charts_each_new_figure_over_time(window, qtbot) -> None:
    import math
    from datetime import datetime, timedelta

    workspace = window.workspace
    pack = next(p for p in workspace.library.packs() if p.id == "ml-interpretability")
    question = pack.question("what-is-interpretability")
    start = datetime.now(UTC) - timedelta(days=3)
    ids = []
    for day, ssml in enumerate(
        [None, f'<prosody range="x-low">{FLAT_HEDGED}</prosody>', f'<prosody range="x-high">{FLAT_HEDGED}</prosody>']
    ):
        analysis = analyse_answer(
            load_audio(espeak(ssml or FLAT_HEDGED)), pack, question, workspace.transcriber(), workspace.scorer()
        )
        if ssml is None:  # saved before these figures were measured
            analysis.delivery.voice = analysis.delivery.hedges = analysis.delivery.overused = (
                analysis.delivery.shape
            ) = None
        ids.append(
            workspace.history.save_attempt(pack, question, analysis, None, created_at=start + timedelta(days=day))
        )
    page = window.review.progress_page
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.review.show_progress(pack.id, question.id)
    page.chart_tabs.setCurrentIndex(1)
    qtbot.wait(50)
    assert page.chart_tabs.tabText(1) == "Voice, hedges, opening"
    _x, pitch = page.voice_charts["pitch"].curve.getData()
    assert len(pitch) == 3 and math.isnan(pitch[0]) and pitch[1] < 1.0 < pitch[2]
    _x, hedges = page.voice_charts["hedges"].curve.getData()
    assert hedges[1] > 0 and hedges[2] > 0
    for key in ("trailing", "pace_change", "first_point"):
        assert page.voice_charts[key].isVisible() and page.voice_charts[key].chart is not None
    screenshot(window, "progress-voice-1280x800")
