"""Which follow-up an interviewer asks after an answer: the one aimed at what mattered most and was missed.

Key points are listed most important first (questions/README.md), so the first missed point
with a follow-up aimed at it wins; then a missing STAR part of a story (the result matters most,
then the action, the task, the situation); then a general follow-up, aimed at the first missed
point. An answer that missed nothing gets no follow-up. The follow-up is asked as a question of
its own, judged like any other on its key points (by default the point it digs into).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.analysis import AnswerAnalysis
from app.core.packs.model import FollowUp, KeyPoint, Question

STAR_PRIORITY = ("result", "action", "task", "situation")
FOLLOW_UP_MARK = ".follow-up-"
MIN_FOLLOW_UP_SECONDS = 20


@dataclass(frozen=True)
class FollowUpAsk:
    question: Question  # asked and judged like any question
    parent: Question
    why: str  # what the answer left out, in words, for the summary


def is_follow_up(question_id: str) -> bool:
    return FOLLOW_UP_MARK in question_id


def _ask(parent: Question, number: int, follow_up: FollowUp, points: tuple[KeyPoint, ...], why: str) -> FollowUpAsk:
    question = Question(
        id=f"{parent.id}{FOLLOW_UP_MARK}{number + 1}",
        text=follow_up.text,
        key_points=follow_up.key_points or points,
        category=None,  # a follow-up asks for one thing, not a whole story
        prep_seconds=min(parent.prep_seconds, 5),
        answer_seconds=max(MIN_FOLLOW_UP_SECONDS, parent.answer_seconds // 2),
        glossary=parent.glossary,
    )
    return FollowUpAsk(question, parent, why)


def choose_follow_up(question: Question, analysis: AnswerAnalysis) -> FollowUpAsk | None:
    """The follow-up to ask after this answer, or None (no follow-ups, or nothing missed)."""
    if not question.follow_ups or is_follow_up(question.id):
        return None
    results = analysis.key_points
    missed = [i for i, r in enumerate(results) if i < len(question.key_points) and not r.judged_covered]
    for i in missed:
        for number, follow_up in enumerate(question.follow_ups):
            if follow_up.about == i:
                point = question.key_points[i]
                return _ask(question, number, follow_up, (point,), f"the answer did not make the point “{point.text}”")
    told = {check.part: check.present for check in analysis.star or []}
    for part in STAR_PRIORITY:
        if told.get(part) is False:
            for number, follow_up in enumerate(question.follow_ups):
                if follow_up.about == part:
                    return _ask(question, number, follow_up, (), f"the story had no {part}")
    if missed:
        for number, follow_up in enumerate(question.follow_ups):
            if follow_up.about is None:
                point = question.key_points[missed[0]]
                return _ask(question, number, follow_up, (point,), f"the answer did not make the point “{point.text}”")
    return None


__all__ = ["FollowUpAsk", "choose_follow_up", "is_follow_up"]
