"""A behavioural answer's feedback says which parts of the story were told, and the coach names the missing one."""

from __future__ import annotations

from app.core.analysis import judge_transcript
from app.core.transcribe.transcript import Transcript, Word
from tests.core.test_star import STORY
from tests.gui.conftest import screenshot


def story_analysis(window):
    """The behavioural pack's first story question, answered with STORY (no result), judged as the app does."""
    pack = next(p for p in window.workspace.library.packs() if p.id == "behavioural-core")
    question = next(q for q in pack.questions if q.category == "behavioural")
    words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(STORY.split())]
    analysis = judge_transcript(
        pack,
        question,
        Transcript(words, words, words[-1].end + 1),
        window.workspace.scorer(),
        story_judge=window.workspace.story_judge(),
    )
    return pack, question, words, analysis


def test_feedback_shows_the_story_parts_and_what_is_missing(window, qtbot) -> None:
    pack, question, words, analysis = story_analysis(window)
    assert analysis.star is not None and [c.part for c in analysis.star if not c.present] == ["result"]
    window.feedback_page.show_analysis(question, analysis, has_audio=False)
    window.stack.setCurrentWidget(window.feedback_page)
    strip = window.feedback_page.star
    assert strip.isVisible()
    assert "✓ Situation" in strip.text() and "✗ Result" in strip.text()
    assert "no result: what changed because of what you did?" in strip.text()
    assert "No result: what changed because of what you did?" in window.feedback_page.advice_box.next_steps.text()
    qtbot.wait(100)
    screenshot(window, "feedback-story-1280x800")

    technical = next(q for q in pack.questions if q.category != "behavioural")
    plain = judge_transcript(pack, technical, Transcript(words, words, 30.0), window.workspace.scorer())
    window.feedback_page.show_analysis(technical, plain, has_audio=False)
    assert not strip.isVisible()
