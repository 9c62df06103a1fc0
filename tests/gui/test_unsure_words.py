"""Words the recogniser was unsure of are shown grey with a reason on hover, and "Show what was
heard" puts the words as heard (before glossary fixes) in place of the corrected ones.

A real spoken answer through the real tiny.en model and scorer, shown in the real AnswerPanel.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from app.core.analysis import analyse_answer
from app.core.audio.files import load_audio
from app.core.feedback import UNSURE_SHOWN_BELOW, explain
from app.core.packs import load_pack
from app.core.scoring.keypoints import PointResult
from app.core.scoring.spans import Span
from app.gui.widgets.answer_panel import AnswerPanel
from tests.gui.conftest import screenshot
from tests.gui.test_review_replay import word_position

PACK = Path(__file__).resolve().parents[2] / "questions" / "ml-interpretability.yaml"
# In this voice tiny.en hears "Model-ampostic" (unsure), which the pack's terms correct to model-agnostic.
ANSWER = (
    "Model-agnostic methods treat the model as a black box and only need its inputs and outputs. "
    "Examples are KernelSHAP, LIME and permutation importance."
)


@pytest.fixture(scope="module")
def analysis(gui_workspace_model, spoken):
    transcriber, scorer, _judge, _story_judge = gui_workspace_model
    pack = load_pack(PACK)
    question = pack.question("agnostic-vs-specific")
    return analyse_answer(load_audio(spoken(ANSWER, speed=185, voice="en-us+f3")), pack, question, transcriber, scorer)


def test_unsure_words_are_grey_and_say_so_on_hover(qtbot, analysis) -> None:
    panel = AnswerPanel("Your answer", "legend")
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitExposed(panel)
    words = analysis.transcript.words
    panel.show_answer(
        words,
        analysis.key_points,
        analysis.delivery,
        raw_words=analysis.transcript.raw_words,
        corrections=analysis.transcript.corrections,
    )
    unsure = [i for i, w in enumerate(words) if w.probability < UNSURE_SHOWN_BELOW]
    sure = [i for i, w in enumerate(words) if w.probability >= 0.9]
    assert unsure and sure, [(w.text, round(w.probability, 2)) for w in words]
    html = panel.transcript.toHtml()
    assert "#7d8590" in html, "unsure words are drawn grey"
    assert "The recogniser was unsure" in panel._titles[unsure[0]]
    assert sure[0] not in panel._titles or "unsure" not in panel._titles[sure[0]]

    # Hovering an unsure word shows why it is grey.
    pos = word_position(panel, unsure[0])
    qtbot.mouseMove(panel.transcript.viewport(), pos)
    qtbot.waitUntil(lambda: "unsure" in QToolTip.text(), timeout=3000)
    screenshot(panel, "unsure-words")


def test_show_what_was_heard_toggles_the_raw_words(qtbot, analysis) -> None:
    transcript = analysis.transcript
    assert transcript.corrections, f"the glossary fixed something here: {transcript.raw_text}"
    fix = transcript.corrections[0]
    panel = AnswerPanel("Your answer", "legend")
    qtbot.addWidget(panel)
    panel.show()
    panel.show_answer(
        transcript.words,
        analysis.key_points,
        analysis.delivery,
        raw_words=transcript.raw_words,
        corrections=transcript.corrections,
    )
    assert panel.heard.isEnabled() and not panel.heard.isChecked()
    shown = panel.transcript.toPlainText()
    assert fix.corrected in shown and fix.original not in shown

    qtbot.mouseClick(panel.heard, Qt.MouseButton.LeftButton, pos=QPoint(5, panel.heard.height() // 2))
    assert panel.heard.isChecked()
    heard = panel.transcript.toPlainText()
    assert fix.original in heard and fix.corrected not in heard
    assert f"Corrected to “{fix.corrected}”" in panel._titles[fix.index]
    screenshot(panel, "show-what-was-heard")

    qtbot.mouseClick(panel.heard, Qt.MouseButton.LeftButton, pos=QPoint(5, panel.heard.height() // 2))
    assert panel.transcript.toPlainText() == shown

    # An answer the glossary did not touch has nothing else to show.
    panel.show_answer(
        transcript.raw_words, analysis.key_points, analysis.delivery, raw_words=transcript.raw_words, corrections=[]
    )
    assert not panel.heard.isEnabled()


def test_a_point_covered_only_by_unsure_words_says_so(analysis) -> None:
    words = analysis.transcript.words
    unsure = next(i for i, w in enumerate(words) if w.probability < UNSURE_SHOWN_BELOW)
    sure = next(i for i, w in enumerate(words) if w.probability >= 0.9)
    covered = PointResult("A point", True, 0.7, 0.56, evidence=Span(unsure, unsure + 1, words[unsure].text))
    assert "heard only in words the recogniser was unsure of" in explain(covered, words).lower()
    mixed = PointResult("A point", True, 0.7, 0.56, evidence=Span(min(unsure, sure), max(unsure, sure) + 1, "..."))
    assert "unsure" not in explain(mixed, words)
