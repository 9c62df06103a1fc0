"""Answer shape: a technical answer that opens with the answer vs one that warms up first (the real
token-recall scorer finds the key points), and a story's STAR parts placed in time (the real judge)."""

from __future__ import annotations

import pytest

from app.core.analysis import judge_transcript
from app.core.packs import load_pack
from app.core.paths import builtin_packs_dir
from app.core.transcribe.transcript import Transcript, Word

DIRECT = (
    "Interpretability is how well a person can understand why a model made a prediction. "
    "It matters for debugging, because explanations expose shortcuts and data leakage that accuracy hides."
)
WARM_UP = (
    "That is a really good question and one I have thought about a lot over the years in many different teams "
    "and projects, so let me start with some background on where I have worked and what we built there. "
    "In the end, interpretability is how well a person can understand why a model made a prediction."
)


def transcript(text: str) -> Transcript:
    words = [Word(w, 0.5 + i * 0.4, 0.5 + i * 0.4 + 0.3) for i, w in enumerate(text.split())]
    return Transcript(words=words, raw_words=list(words), duration_s=words[-1].end + 0.5)


@pytest.fixture(scope="module")
def ml():
    pack = load_pack(builtin_packs_dir() / "ml-interpretability.yaml")
    return pack, pack.question("what-is-interpretability")


def test_a_direct_opening_is_told_from_a_warm_up(ml, scorer) -> None:
    pack, question = ml
    direct = judge_transcript(pack, question, transcript(DIRECT), scorer).delivery.shape
    slow = judge_transcript(pack, question, transcript(WARM_UP), scorer).delivery.shape
    assert direct.kind == "technical" and direct.direct_opening is True
    assert direct.first_point_s == pytest.approx(0.5)
    assert slow.direct_opening is False and slow.first_point_s is not None and slow.first_point_s > 15


def test_a_story_places_its_parts_and_names_the_missing_one(scorer, story_judge) -> None:
    from tests.core.test_star import RESULT, STORY

    pack = load_pack(builtin_packs_dir() / "behavioural-core.yaml")
    question = next(q for q in pack.questions if (q.category or "").lower() == "behavioural")
    whole = judge_transcript(pack, question, transcript(STORY + RESULT), scorer, story_judge=story_judge).delivery.shape
    assert whole.kind == "story" and whole.missing_part is None
    assert all(p.start_s is not None and p.end_s > p.start_s for p in whole.story)
    result = next(p for p in whole.story if p.part == "result")
    assert result.end_s == pytest.approx(transcript(STORY + RESULT).words[-1].end)
    cut = judge_transcript(pack, question, transcript(STORY), scorer, story_judge=story_judge).delivery.shape
    assert cut.missing_part is not None and cut.missing_part.part == "result"
    assert cut.missing_part.missing == "no result: what changed because of what you did?"
