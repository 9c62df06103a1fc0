"""Which parts of a behavioural story were told, read by the real entailment judge (resources/models/judge)."""

from __future__ import annotations

from app.core.packs.model import Question
from app.core.scoring.star import PARTS, check_story, is_story_question, thresholds
from app.core.transcribe.transcript import Word

STORY = (
    "Last year I was the tech lead on a fraud model at a payments company, and two weeks before launch we found the "
    "model was flagging far too many legitimate customers. My job was to get the false positives down without "
    "delaying the launch. I went through the errors with SHAP, found a leaked feature, retrained without it and "
    "walked the risk team through the change."
)
RESULT = " As a result we launched on time, false positives fell by forty percent and complaints dropped."


def words(text: str) -> list[Word]:
    return [Word(w, i * 0.3, i * 0.3 + 0.25) for i, w in enumerate(text.split())]


def told(judge, text: str) -> dict[str, bool]:
    return {check.part: check.present for check in check_story(judge, words(text))}


def test_a_whole_story_tells_all_four_parts(story_judge) -> None:
    assert told(story_judge, STORY + RESULT) == {"situation": True, "task": True, "action": True, "result": True}


def test_a_story_that_stops_before_its_result_is_missing_the_result(story_judge) -> None:
    parts = told(story_judge, STORY)
    assert not parts["result"] and parts["situation"] and parts["action"]
    [missing] = [c for c in check_story(story_judge, words(STORY)) if not c.present]
    assert missing.missing == "no result: what changed because of what you did?"


def test_a_generic_answer_is_no_story(story_judge) -> None:
    parts = told(story_judge, "I always try to communicate clearly and work hard, and I think teamwork really matters.")
    assert not parts["task"] and not parts["result"]


def test_thresholds_come_from_the_model_folder_and_only_story_questions_are_checked(story_judge) -> None:
    limits = thresholds(story_judge)
    assert set(limits) == {p.name for p in PARTS} and all(0 < t < 1 for t in limits.values())
    assert is_story_question(Question("q", "Tell me about a time you failed.", (), category="behavioural"))
    assert not is_story_question(Question("q", "What is SHAP?", (), category="technical"))
    assert all(not c.present for c in check_story(story_judge, []))
