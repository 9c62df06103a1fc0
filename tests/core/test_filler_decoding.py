"""Fillers kept and false ones dropped (issue 16, items 4 and 5): the denser preface once the person
is heard to hesitate (or when it hears fillers the plain one folded into other words), and a
repeat of the prompt or words given no time after the last spoken word dropped. Real espeak-ng
audio through the real tiny.en model; the sentences are from the filler tuning set
(tests/data/eval/fillers_dev), never from the reported set."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pytest

from app.core.audio.files import SAMPLE_RATE, load_audio
from app.core.scoring.delivery import find_fillers
from app.core.transcribe import Transcriber
from app.core.transcribe.echo import drop_prompt_echo
from app.core.transcribe.fidelity import adds_fillers
from app.core.transcribe.prompt import HESITANT_PREFACE, build_initial_prompt, hesitant, hesitant_prompt
from app.core.transcribe.streaming import StreamingTranscriber
from app.core.transcribe.transcript import Word

DISFLUENT = "Um, I keep up by reading papers on the weekend. Uh, and I try to, um, reproduce one result a month."
FLUENT = "It felt like the right moment to retrain, so we did it well before the holiday peak."
ECHOED = "Um, yes. Uh, we measured the fairness gap across, um, age groups and regions."
EVAL_SPEECH = Path(__file__).resolve().parents[1] / "data" / "eval" / "speech"
FOLDED = "We had, uh, a class imbalance of about one to fifty. Um, I tried reweighting first, and, uh, it was enough."


def test_a_hesitant_answer_keeps_its_fillers_and_a_fluent_one_its_plain_reading(
    transcriber: Transcriber, spoken, caplog: pytest.LogCaptureFixture
) -> None:
    """With the plain preface tiny.en kept one of these three fillers ("Umm, I keep up my reading
    papers on the weekend, and I try to reproduce ..."); its first "um" brings the denser preface."""
    with caplog.at_level(logging.INFO, logger="app.core.transcribe.fidelity"):
        disfluent = transcriber.transcribe(load_audio(spoken(DISFLUENT, speed=145, voice="en-us-nyc")))
    assert "denser preface" in caplog.text
    assert [f.word for f in find_fillers(disfluent.words)] == ["um", "uh", "um"], disfluent.text

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="app.core.transcribe.fidelity"):
        fluent = transcriber.transcribe(load_audio(spoken(FLUENT, speed=175, voice="en-us-nyc")))
    assert "denser preface" not in caplog.text
    assert find_fillers(fluent.words) == [], fluent.text


def test_fillers_the_plain_preface_folded_into_other_words_are_found(transcriber: Transcriber, spoken) -> None:
    """With the plain preface tiny.en lost fillers of this answer into other words: on one CPU all
    three ("We had a class in Maryland ... 150. I I tried waiting first, and it was enough.": the "uh"
    went into "had", the "um" became "I"), on another (AVX-512 FP16) the first "uh" only. The answer's
    first chunk is decoded again with the denser preface, which hears more of them."""
    audio = load_audio(spoken(FOLDED, speed=190, voice="en-us"))
    plain, _ = transcriber.raw_words(audio, build_initial_prompt(None))
    assert len(find_fillers(plain)) < 3, "the plain preface keeps every filler here: this test no longer shows anything"
    heard = transcriber.transcribe(audio)
    assert len(find_fillers(heard.words)) > len(find_fillers(plain)), heard.text
    assert len(find_fillers(heard.words)) >= 2, heard.text


@pytest.mark.parametrize(
    "clip",
    [
        "pocketsphinx_misc/003.wav",
        "pocketsphinx_misc/004.wav",
        "fleurs_en/fleurs-en-005.ogg",
    ],
)
def test_read_speech_gets_no_filler_from_the_hunch(transcriber: Transcriber, clip: str) -> None:
    """Human read speech with no filler: the denser preface, tried on the first chunk, rewrote
    "Seven of clubs." as "So, uh, uh, we're going to be doing this.", ended other clips in "uh,
    uh", and in some runs read "Seven of clubs. So, uh,". A reading on a hunch is kept only if it
    keeps the words, repeats no filler and has one among them."""
    heard = transcriber.transcribe(load_audio(EVAL_SPEECH / clip))
    assert find_fillers(heard.words) == [], heard.text


def test_a_reading_on_a_hunch_must_keep_the_words_and_repeat_no_filler() -> None:
    def said(text: str) -> list[Word]:
        return [Word(t, i * 0.3, i * 0.3 + 0.25) for i, t in enumerate(text.split())]

    plain = said("We had a class imbalance of about one to fifty.")
    assert adds_fillers(plain, said("We had, uh, a class imbalance of about one to fifty."))
    assert not adds_fillers(plain, said("We had, uh, uh, a class imbalance of about one to fifty."))
    assert not adds_fillers(said("Seven of clubs."), said("So, uh, we're going to be doing this."))
    # the words kept, but the only filler after the last of them: the preface's echo, not speech
    assert not adds_fillers(said("Seven of clubs."), said("Seven of clubs. So, uh,"))
    assert adds_fillers(said("Seven of clubs."), said("Seven, um, of clubs."))
    # a filler given no time and no confidence, before the words: written from the preface
    nowhere = [Word("Uh,", 0.0, 0.0, 0.0), *said("five, five.")]
    assert not adds_fillers(said("Five, five."), nowhere)
    assert adds_fillers(said("Five, five."), [Word("Uh,", 0.0, 0.0, 0.99), *said("five, five.")])


def test_the_preface_follows_the_answer_so_far() -> None:
    plain = build_initial_prompt("Why?", context="I would start with the data.")
    assert not plain.startswith(HESITANT_PREFACE)
    assert build_initial_prompt("Why?", context="I would, uh, start with the data.").startswith(HESITANT_PREFACE)
    assert hesitant(["Umm,"]) and not hesitant(["umbrella", "huh"])


def test_a_filler_repeated_from_the_prompt_after_the_last_word_is_dropped(transcriber: Transcriber, spoken) -> None:
    """The denser preface made tiny.en write "... age groups and regions. Uh," with probability 0.00
    over the tail of "regions": a false filler. The fillers that were spoken stay."""
    audio = load_audio(spoken(ECHOED, speed=185, voice="en-gb-x-gbclan"))
    prompt = hesitant_prompt(build_initial_prompt(None))
    assert prompt is not None
    words, _ = transcriber.raw_words(audio, prompt)
    last = max(i for i, w in enumerate(words) if w.text.strip(".").lower() == "regions")
    echo = words[last + 1 :]
    assert echo and hesitant(w.text for w in echo), [w.text for w in words]
    assert drop_prompt_echo(words, prompt, audio) == words[: last + 1]
    assert len(find_fillers(words[: last + 1])) >= 2


def test_a_filler_really_said_at_the_end_of_a_chunk_stays(transcriber: Transcriber, spoken) -> None:
    """However unsure Whisper is of it, a last "um" with its own voice is not an echo."""
    audio = load_audio(spoken("So that is why we chose the simpler model, um", speed=150, voice="en-gb"))
    prompt = build_initial_prompt(None, context="uh")
    words, _ = transcriber.raw_words(audio, prompt)
    assert hesitant([words[-1].text]), [w.text for w in words]
    # As unsure as an echo: kept for the voice under it; dropped once that voice is silenced.
    unsure = [*words[:-1], Word(words[-1].text, words[-1].start, words[-1].end, 0.01)]
    assert drop_prompt_echo(unsure, prompt, audio) == unsure
    silent = np.concatenate([audio[: int(words[-2].end * SAMPLE_RATE)], np.zeros(SAMPLE_RATE // 2, np.float32)])
    assert drop_prompt_echo(unsure, prompt, silent) == unsure[:-1]


def test_a_closing_phrase_written_over_no_sound_is_dropped(transcriber: Transcriber, spoken) -> None:
    """tiny.en closed a fast answer with "Yeah. And then, uh, we'll see you in the next one.", every
    word placed at the same instant after the last spoken word: a false "uh". Words given no time
    at the end of a chunk are dropped when no voice is left for them, and kept when there is."""
    audio = load_audio(spoken(FLUENT, speed=175, voice="en-us"))
    words = [w for w in transcriber.raw_words(audio, build_initial_prompt(None))[0] if w.end - w.start >= 0.05]
    end = words[-1].end
    closing = [
        Word(t, end, end, p) for t, p in (("And", 0.0), ("then,", 0.35), ("uh,", 0.01), ("see", 0.6), ("you.", 0.5))
    ]
    assert drop_prompt_echo(words + closing, build_initial_prompt(None), audio) == words
    more = load_audio(spoken("And then we shipped it.", speed=175, voice="en-us"))
    longer = np.concatenate([audio[: int(end * SAMPLE_RATE)], more])
    assert drop_prompt_echo(words + closing, build_initial_prompt(None), longer) == words + closing


def test_streaming_and_batch_agree_when_the_preface_changes_between_chunks(
    transcriber: Transcriber, spoken, caplog: pytest.LogCaptureFixture
) -> None:
    """The first chunk's "um" makes it decoded again, and the later chunks' prompts start with the
    denser preface (decoded once), in both paths."""
    pause = np.zeros(int(0.9 * SAMPLE_RATE), np.float32)
    texts = [DISFLUENT, FLUENT, ECHOED, FLUENT, DISFLUENT]
    audio = np.concatenate([part for t in texts for part in (load_audio(spoken(t, voice="en-gb")), pause)])
    assert audio.shape[0] > 20 * SAMPLE_RATE
    with caplog.at_level(logging.INFO, logger="app.core.transcribe.fidelity"):
        batch = transcriber.transcribe(audio)
    assert caplog.text.count("denser preface") == 1
    stream = StreamingTranscriber(lambda: transcriber)
    for start in range(0, audio.shape[0], 1600):
        stream.feed(audio[start : start + 1600])
    deadline = time.monotonic() + 120
    while stream.stats.chunks < 1:  # a chunk decoded while "recording", the rest at Stop
        assert time.monotonic() < deadline, "the streaming worker made no progress"
        time.sleep(0.05)
    streamed = stream.finish(lambda: audio)
    assert [(w.text, round(w.start, 2)) for w in streamed.raw_words] == [
        (w.text, round(w.start, 2)) for w in batch.raw_words
    ]
    assert len(find_fillers(batch.words)) >= 6, batch.text
