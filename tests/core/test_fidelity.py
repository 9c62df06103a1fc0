"""No wordless speech: stretches VAD calls speech but Whisper left without words are decoded again,
or marked unclear; a long pause is reported only where there was silence. Real model, real espeak-ng audio."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.core.audio.files import SAMPLE_RATE, load_audio
from app.core.feedback import figures, transcript_html, transcript_tokens
from app.core.scoring.delivery import Delivery, analyse_delivery
from app.core.transcribe import Transcriber
from app.core.transcribe.fidelity import repair, speech_regions
from app.core.transcribe.prompt import build_initial_prompt
from app.core.transcribe.streaming import StreamingTranscriber
from app.core.transcribe.transcript import Gap, Transcript

BEFORE = "Post hoc methods explain a trained model from the outside."
LOST = "Examples are kernel SHAP, LIME and anchors."
AFTER = "Each one probes the model with perturbed inputs."
QUESTION = "How do you explain a black-box model?"
GLOSSARY = ["SHAP", "LIME", "kernel SHAP"]


def sox(*args: str) -> None:
    """sox without dither (-D): the same parts give the same samples on every run (tests/conftest.speak)."""
    subprocess.run(["sox", "-D", *args], check=True)


def joined(tmp_path: Path, *parts: Path | float) -> np.ndarray:
    """The parts one after another (a float is that many seconds of silence), joined with sox."""
    files = []
    for i, part in enumerate(parts):
        if isinstance(part, float):
            silence = tmp_path / f"silence{i}.wav"
            sox("-n", "-r", "16000", "-c", "1", "-b", "16", str(silence), "trim", "0", str(part))
            files.append(str(silence))
        else:
            files.append(str(part))
    out = tmp_path / "answer.wav"
    sox(*files, str(out))
    return load_audio(out)


def babble_of(tmp_path: Path, spoken, seconds: float) -> Path:
    """Six voices talking over each other, played backwards: speech to VAD, no words to Whisper
    (four voices forwards still gave it words to guess)."""
    texts = (
        (BEFORE, "en-gb"),
        (LOST, "en-us"),
        (AFTER, "en-gb"),
        (QUESTION, "en-us"),
        (LOST, "en-gb"),
        (BEFORE, "en-us"),
    )
    out = tmp_path / f"babble-{seconds}.wav"
    sox("-m", *(str(spoken(s, voice=v)) for s, v in texts), str(out), "reverse", "trim", "0", str(seconds))
    return out


@pytest.fixture
def babble(tmp_path: Path, spoken) -> Path:
    """2.5 s of babble: longer than any "um"."""
    return babble_of(tmp_path, spoken, 2.5)


def test_a_stretch_the_prompted_decode_dropped_is_decoded_again_and_merged(
    transcriber: Transcriber, spoken, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The issue's case: a real decode with the words of one sentence taken out (as prompted
    decoding dropped "Examples are kernel SHAP, LIME and"); repair finds the wordless speech and
    brings words back, in order, inside the stretch, and the gap no longer reads as a pause."""
    audio = joined(
        tmp_path, spoken(BEFORE, voice="en-gb"), 0.3, spoken(LOST, voice="en-gb"), 0.3, spoken(AFTER, voice="en-gb")
    )
    lost_from = load_audio(spoken(BEFORE, voice="en-gb")).shape[0] / SAMPLE_RATE + 0.3
    lost_to = lost_from + load_audio(spoken(LOST, voice="en-gb")).shape[0] / SAMPLE_RATE
    words, _ = transcriber.raw_words(audio, build_initial_prompt(QUESTION, GLOSSARY, None, context=BEFORE + " " + LOST))
    kept = [w for w in words if not lost_from - 0.1 <= (w.start + w.end) / 2 <= lost_to + 0.1]
    assert len(words) - len(kept) >= 4, "the stretch had words to lose"
    # What the old code reported for such a transcript: a long pause where the person spoke.
    assert analyse_delivery(kept, audio.shape[0] / SAMPLE_RATE).long_pauses

    with caplog.at_level(logging.INFO, logger="app.core.transcribe.fidelity"):
        heard = repair(transcriber, audio, kept)
    assert heard.redecoded == 1 and heard.recovered_words >= 4 and heard.unclear == 0 and not heard.gaps
    recovered = [w for w in heard.words if w not in kept]
    assert len(recovered) == heard.recovered_words
    assert all(lost_from - 0.4 <= w.start and w.end <= lost_to + 0.4 for w in recovered), recovered
    starts = [w.start for w in heard.words]
    assert starts == sorted(starts)
    assert "decoded again" in caplog.text
    assert not analyse_delivery(heard.words, audio.shape[0] / SAMPLE_RATE, speech=heard.speech).long_pauses


def test_a_real_pause_is_kept_and_a_continuous_answer_has_none(
    transcriber: Transcriber, spoken, tmp_path: Path
) -> None:
    """End to end: 2.3 s of silence spliced in with sox is one long pause; the same answer without
    it has none; nothing is decoded again on clean speech."""
    parts = [spoken(s, voice="en-gb") for s in (BEFORE, LOST, AFTER)]
    paused = joined(tmp_path, parts[0], 2.3, parts[1], 0.3, parts[2])
    transcript = transcriber.transcribe(paused, question_text=QUESTION, glossary=GLOSSARY)
    assert transcript.speech, "the speech regions travel with the transcript"
    delivery = analyse_delivery(transcript.words, transcript.duration_s, speech=transcript.speech, gaps=transcript.gaps)
    assert len(delivery.long_pauses) == 1 and 2.0 < delivery.long_pauses[0].duration_s < 3.0
    assert transcript.redecoded == 0 and not transcript.gaps

    continuous = joined(tmp_path, parts[0], 0.3, parts[1], 0.3, parts[2])
    transcript = transcriber.transcribe(continuous, question_text=QUESTION, glossary=GLOSSARY)
    delivery = analyse_delivery(transcript.words, transcript.duration_s, speech=transcript.speech, gaps=transcript.gaps)
    assert not delivery.long_pauses and not delivery.unclear and transcript.redecoded == 0


def test_speech_with_no_words_is_marked_unclear_never_a_pause(
    transcriber: Transcriber, spoken, babble: Path, tmp_path: Path
) -> None:
    """Babble (six voices at once, backwards) between two sentences: VAD calls it speech, Whisper finds no
    words even when asked again; the feedback shows "[unclear …]" there and counts no long pause."""
    first, last = spoken(BEFORE, voice="en-gb"), spoken(AFTER, voice="en-gb")
    audio = joined(tmp_path, first, 0.3, babble, 0.3, last)
    assert speech_regions(load_audio(babble)), "VAD hears the babble as speech"
    babble_from = load_audio(first).shape[0] / SAMPLE_RATE + 0.3
    babble_to = babble_from + 2.5
    before, _ = transcriber.raw_words(load_audio(first), "")
    after, _ = transcriber.raw_words(load_audio(last), "", offset_s=babble_to + 0.3)
    heard = repair(transcriber, audio, before + after)
    assert heard.redecoded == 1 and heard.unclear == 1 and heard.recovered_words == 0
    [gap] = heard.gaps
    assert (
        gap.kind == "unclear" and babble_from - 0.3 <= gap.start and gap.end <= babble_to + 0.3 and gap.duration_s > 1.5
    )

    transcript = transcriber.assemble(heard.words, audio.shape[0] / SAMPLE_RATE, [], "", heard=heard)
    delivery = analyse_delivery(transcript.words, transcript.duration_s, speech=transcript.speech, gaps=transcript.gaps)
    assert not delivery.long_pauses, "the gap between the words was speech, not a pause"
    tokens = transcript_tokens(transcript.words, [], delivery)
    assert [t.index for t in tokens if t.unclear_before_s] == [len(before)], "marked where the babble was"
    markup = transcript_html(tokens, [])
    assert f"[unclear {gap.duration_s:.1f} s]" in markup and "[pause" not in markup
    # Saved and loaded, the marker and the figures are still there.
    again = Transcript.from_dict(transcript.to_dict())
    assert again.to_dict()["gaps"] == transcript.to_dict()["gaps"] and again.unclear == 1 and again.redecoded == 1
    assert Delivery.from_dict(delivery.to_dict()).to_dict()["unclear"] == delivery.to_dict()["unclear"] != []


def test_a_short_wordless_sound_between_words_is_a_possible_filler_counted_apart(
    transcriber: Transcriber, spoken, tmp_path: Path
) -> None:
    """0.7 s of babble between two sentences, as long as a drawn-out "um": it re-decodes to nothing,
    so it is shown and counted as a possible filler, not as unclear speech nor as a filler."""
    first, last = spoken(BEFORE, voice="en-gb"), spoken(AFTER, voice="en-gb")
    sound = babble_of(tmp_path, spoken, 0.7)
    audio = joined(tmp_path, first, 0.3, sound, 0.3, last)
    sound_from = load_audio(first).shape[0] / SAMPLE_RATE + 0.3
    before, _ = transcriber.raw_words(load_audio(first), "")
    after, _ = transcriber.raw_words(load_audio(last), "", offset_s=sound_from + 1.0)
    heard = repair(transcriber, audio, before + after)
    assert heard.redecoded == 1 and heard.recovered_words == 0, [w.text for w in heard.words]
    [gap] = heard.gaps
    assert gap.kind == "possible filler" and sound_from - 0.3 <= gap.start and gap.end <= sound_from + 1.0

    transcript = transcriber.assemble(heard.words, audio.shape[0] / SAMPLE_RATE, [], "", heard=heard)
    delivery = analyse_delivery(transcript.words, transcript.duration_s, speech=transcript.speech, gaps=transcript.gaps)
    assert delivery.fillers == [] and delivery.unclear == [] and not delivery.long_pauses
    assert [p.after_word for p in delivery.possible_fillers] == [len(before) - 1]
    fillers = next(f for f in figures(delivery, []) if f.label == "Fillers")
    assert fillers.value == "0" and "1 possible" in fillers.detail
    tokens = transcript_tokens(transcript.words, [], delivery)
    assert [t.index for t in tokens if t.possible_fillers_before] == [len(before)]
    markup = transcript_html(tokens, [])
    assert markup.count("[possible filler]") == 1 and "[unclear" not in markup
    again = Delivery.from_dict(delivery.to_dict())
    assert again.to_dict()["possible_fillers"] == delivery.to_dict()["possible_fillers"] != []
    assert again.unclear == []
    assert Transcript.from_dict(transcript.to_dict()).to_dict()["gaps"] == transcript.to_dict()["gaps"]
    assert [g.kind for g in Transcript.from_dict(transcript.to_dict()).gaps] == ["possible filler"]


def test_streaming_and_batch_hear_the_same_unclear_stretch(
    transcriber: Transcriber, spoken, babble: Path, tmp_path: Path
) -> None:
    """Both go through hear_chunk: same words, same gaps, same counts."""
    audio = joined(tmp_path, spoken(BEFORE, voice="en-gb"), 0.3, babble, 0.3, spoken(AFTER, voice="en-gb"), 1.0)
    batch = transcriber.transcribe(audio, question_text=QUESTION, glossary=GLOSSARY)
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY)
    for start in range(0, audio.shape[0], 1600):
        stream.feed(audio[start : start + 1600])
    streamed = stream.finish(lambda: audio)
    assert [(w.text, round(w.start, 2)) for w in streamed.raw_words] == [
        (w.text, round(w.start, 2)) for w in batch.raw_words
    ]
    assert streamed.gaps == batch.gaps and streamed.speech == batch.speech
    assert (streamed.redecoded, streamed.recovered_words, streamed.unclear) == (
        batch.redecoded,
        batch.recovered_words,
        batch.unclear,
    )


def test_a_transcript_saved_before_gaps_still_loads_and_counts_its_pauses() -> None:
    """Old history rows have no gaps, speech or counts: they load, and every long gap between words
    is a pause as it was (the speech regions are not known)."""
    old = {
        "words": [
            {"text": "one", "start": 0.0, "end": 0.4, "p": 0.9},
            {"text": "two", "start": 3.0, "end": 3.4, "p": 0.9},
        ],
        "raw_words": [],
        "duration_s": 4.0,
        "corrections": [],
        "language": "en",
        "model": "tiny.en",
        "prompt": "",
    }
    transcript = Transcript.from_dict(old)
    assert transcript.gaps == [] and transcript.speech is None and transcript.unclear == 0
    delivery = analyse_delivery(transcript.words, transcript.duration_s, speech=transcript.speech, gaps=transcript.gaps)
    assert len(delivery.long_pauses) == 1 and delivery.unclear == []
    old_delivery = delivery.to_dict()
    del old_delivery["unclear"]
    assert Delivery.from_dict(old_delivery).unclear == []
    # With speech regions known, speech inside the gap is not a pause; silence is.
    assert not analyse_delivery(transcript.words, 4.0, speech=[(0.0, 3.4)]).long_pauses
    assert len(analyse_delivery(transcript.words, 4.0, speech=[(0.0, 0.45), (2.95, 3.4)]).long_pauses) == 1
    assert Gap.from_dict(Gap(1.0, 2.0).to_dict()) == Gap(1.0, 2.0, "unclear")


def test_a_loop_or_an_echo_of_the_prompt_s_terms_is_degenerate() -> None:
    from app.core.transcribe.fidelity import degenerate
    from app.core.transcribe.transcript import Word

    def words(text: str) -> list[Word]:
        return [Word(w, i * 0.3, i * 0.3 + 0.2) for i, w in enumerate(text.split())]

    assert degenerate(words("SHAP explains it and then come come come come."))
    assert degenerate(words("SHAP, EXPLAIN, MUP, RIDICTION, WIN, CHAP, LIME."))
    assert not degenerate(words("SHAP explains a prediction with Shapley values; LIME fits a local surrogate."))
    assert not degenerate(words("I used SHAP, LIME and t-SNE on the NLP and CV models of our team."))
