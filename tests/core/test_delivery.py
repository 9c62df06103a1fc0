"""Delivery figures from timed words: pace, fillers (incl. 'like' only as a filler), long pauses."""

from __future__ import annotations

import pytest

from app.core.scoring.delivery import analyse_delivery, find_fillers
from app.core.transcribe.transcript import Word


def timed(text: str, start: float = 1.5, step: float = 0.4, gaps: dict[int, float] | None = None) -> list[Word]:
    words, t = [], start
    for i, token in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(Word(token, t, t + step * 0.8))
        t += step
    return words


def test_pace_counts_words_without_fillers_over_speaking_time() -> None:
    words = timed("Um, so I built a SHAP dashboard, uh, for the credit team last year.")
    delivery = analyse_delivery(words, duration_s=8.0, target_s=60)
    assert [f.word for f in delivery.fillers] == ["um", "uh"]
    assert delivery.word_count == len(words) - 2
    speaking = words[-1].end - words[0].start
    assert delivery.words_per_minute == pytest.approx((len(words) - 2) / speaking * 60)
    assert delivery.speech_start_s == pytest.approx(1.5)
    assert delivery.length_verdict == "short"


def test_like_is_a_filler_only_when_used_as_one() -> None:
    fillers = find_fillers(
        timed("It was, like, really slow. I would like to fix it. It looks like noise. Like, you know, it broke.")
    )
    assert [(f.word, f.index) for f in fillers] == [("like", 2), ("like", 15), ("you know", 16)]


def test_you_know_as_content_is_not_a_filler() -> None:
    assert find_fillers(timed("Do you know the answer")) == []


def test_long_pauses_come_from_word_gaps() -> None:
    words = timed("first part of the answer then the second part", gaps={5: 2.5, 7: 1.0})
    delivery = analyse_delivery(words, duration_s=10.0)
    assert len(delivery.long_pauses) == 1
    pause = delivery.long_pauses[0]
    assert pause.after_word == 4 and pause.duration_s == pytest.approx(2.5 + 0.4 * 0.2)


@pytest.mark.parametrize(("duration", "verdict"), [(20, "short"), (40, "on target"), (60, "on target"), (70, "long")])
def test_length_verdict_against_target(duration: float, verdict: str) -> None:
    assert analyse_delivery(timed("a b c"), duration_s=duration, target_s=60).length_verdict == verdict


def test_no_words_gives_no_pace() -> None:
    delivery = analyse_delivery([], duration_s=5.0, target_s=60)
    assert delivery.words_per_minute is None and delivery.speech_start_s is None and delivery.fillers == []


def test_delivery_round_trips_through_its_dict() -> None:
    from app.core.scoring.delivery import Delivery

    delivery = analyse_delivery(timed("Um, one two, like, three", gaps={3: 3.0}), 9.0, 30)
    again = Delivery.from_dict(delivery.to_dict())
    assert again.to_dict() == delivery.to_dict()
