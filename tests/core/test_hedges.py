"""Hedges counted only where they are hedges: the rules of resources/language/en/hedges.yaml on
timed words, and on a real answer spoken by espeak-ng and transcribed by Whisper."""

from __future__ import annotations

import pytest

from app.core.feedback import transcript_html, transcript_tokens
from app.core.scoring.delivery import analyse_delivery
from app.core.scoring.hedges import find_hedges, lexicon, overused_words
from app.core.transcribe.transcript import Word


def timed(text: str) -> list[Word]:
    return [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(text.split())]


def hedges(text: str) -> list[str]:
    return [h.phrase.lower() for h in find_hedges(timed(text))]


def test_every_listed_hedge_is_found() -> None:
    text = (
        "I think the model overfits. Maybe we kind of need more data, sort of. I guess it is just noise, "
        "hopefully. I'm not sure it helps, probably not."
    )
    assert hedges(text) == [
        "i think",
        "maybe",
        "kind of",
        "sort of",
        "i guess",
        "just",
        "hopefully",
        "i'm not sure",
        "probably",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "We used a just-in-time compiler for the scoring service.",
        "The data arrived just in time for the launch.",
        "It is a kind of model that predicts churn, the same kind of model as before.",
        "What sort of features matter, and which kind of loss did you use?",
        'They asked me "what do I think about Kafka?" and I explained the trade-offs.',
        "What I think matters most is latency.",
        "I think about latency first when I design a service.",
        "That was a just decision by the committee.",
    ],
)
def test_plain_english_uses_are_not_hedges(text: str) -> None:
    assert hedges(text) == []


def test_a_hedge_beside_a_plain_use_is_still_found() -> None:
    assert hedges("It is a kind of model, and I think it is kind of slow.") == ["i think", "kind of"]
    assert hedges('He asked "is it fast?" and I think it is.') == ["i think"]


def test_overused_words_are_named_once_leaned_on() -> None:
    words = timed("It is actually fast, actually cheap and actually simple, and really good.")
    assert overused_words(words) == [("actually", 3)]
    assert lexicon().overused_at == 3


def test_hedges_are_marked_in_the_transcript_with_their_own_style() -> None:
    words = timed("I think it is a kind of model, um, maybe.")
    delivery = analyse_delivery(words, 5.0)
    delivery.hedges = find_hedges(words)
    tokens = transcript_tokens(words, [], delivery)
    assert [t.word.text for t in tokens if t.hedge] == ["I", "think", "maybe."]
    assert [t.word.text for t in tokens if t.filler] == ["um,"]
    html = transcript_html(tokens, [])
    assert html.count("hedge: makes the answer sound unsure") == 3
    assert "font-style:italic" in html


@pytest.mark.slow
def test_a_spoken_answer_counts_its_hedges_and_not_its_plain_uses(spoken, transcriber) -> None:
    wav = spoken(
        "We built a just in time compiler, a kind of model server. I think it was kind of slow at first. "
        "Maybe the cache was too small. What sort of load we had mattered most."
    )
    import soundfile

    words = transcriber.transcribe(soundfile.read(str(wav), dtype="float32")[0]).words
    found = sorted(h.phrase.lower() for h in find_hedges(words))
    assert found == ["i think", "kind of", "maybe"], " ".join(w.text for w in words)
