"""Streaming transcription with the real model: chunks cut at pauses, the tail at finish, the disk fallback."""

from __future__ import annotations

import threading
import time

import jiwer
import numpy as np
import pytest

from app.core.audio.files import SAMPLE_RATE, load_audio
from app.core.transcribe import Transcriber
from app.core.transcribe.streaming import StreamingOptions, StreamingTranscriber, find_cut

SENTENCES = [
    "SHAP explains one prediction with Shapley values from cooperative game theory.",
    "The values add up to the difference between the prediction and the average prediction.",
    "LIME fits a simple local surrogate model on perturbed samples around the instance.",
    "Its explanations can change from run to run, so I always check their stability.",
    "For images I prefer Grad-CAM or integrated gradients, and I run sanity checks on them.",
    "Finally, I use t-SNE and UMAP only to look at embeddings, never as explanations.",
]
GLOSSARY = ["SHAP", "LIME", "Shapley values", "Grad-CAM", "t-SNE", "UMAP", "integrated gradients"]
QUESTION = "How do you explain the predictions of a complex model?"


@pytest.fixture(scope="module")
def long_answer(spoken) -> np.ndarray:
    pause = np.zeros(int(0.9 * SAMPLE_RATE), np.float32)
    parts = []
    for sentence in SENTENCES * 2:
        parts += [load_audio(spoken(sentence)), pause]
    return np.concatenate(parts)


def feed_all(stream: StreamingTranscriber, audio: np.ndarray, block: int = 1600) -> None:
    for start in range(0, audio.shape[0], block):
        stream.feed(audio[start : start + block])


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the streaming worker made no progress"
        time.sleep(0.05)


def test_find_cut_cuts_inside_a_pause(spoken) -> None:
    first = load_audio(spoken(SENTENCES[0] + " " + SENTENCES[1]))
    second = load_audio(spoken(SENTENCES[2]))
    pause_start = first.shape[0]
    audio = np.concatenate([first, np.zeros(SAMPLE_RATE, np.float32), second])
    cut = find_cut(audio, StreamingOptions(min_chunk_s=3.0, max_chunk_s=24.0))
    assert cut is not None
    assert pause_start - 0.3 * SAMPLE_RATE <= cut <= pause_start + 1.0 * SAMPLE_RATE
    assert find_cut(audio[: 2 * SAMPLE_RATE], StreamingOptions(min_chunk_s=3.0)) is None


def test_streaming_transcribes_in_chunks_and_matches_batch(transcriber: Transcriber, long_answer: np.ndarray) -> None:
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY)
    feed_all(stream, long_answer)
    total_s = long_answer.shape[0] / SAMPLE_RATE
    wait_for(lambda: stream.stats.chunk_seconds > total_s - 30)
    assert stream.stats.chunks >= 3
    assert stream.text, "text so far is available for live captions"
    result = stream.finish(lambda: long_answer)
    assert stream.stats.tail_seconds < 30 and not stream.stats.spilled
    batch = transcriber.transcribe(long_answer, question_text=QUESTION, glossary=GLOSSARY)
    assert jiwer.wer(batch.text.lower(), result.text.lower()) < 0.15
    for term in ("SHAP", "LIME", "Shapley values", "t-SNE", "UMAP"):
        assert term in result.text, result.text
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and starts[-1] <= total_s
    assert result.duration_s == pytest.approx(total_s)
    assert result.raw_words and len(result.words) <= len(result.raw_words)


def test_chunks_cut_while_recording_are_the_ones_batch_makes(transcriber: Transcriber, long_answer: np.ndarray) -> None:
    """Streaming cuts where batch transcription cuts (the last pause of each full window), with the
    same prompts, so every word transcribed before Stop is the word batch gives, at the same time."""
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY)
    feed_all(stream, long_answer)
    total_s = long_answer.shape[0] / SAMPLE_RATE
    wait_for(lambda: stream.stats.chunk_seconds > total_s - StreamingOptions().max_chunk_s - 1)
    result = stream.finish(lambda: long_answer)
    batch = transcriber.transcribe(long_answer, question_text=QUESTION, glossary=GLOSSARY)
    recorded = stream.stats.chunk_seconds

    def before_stop(words):
        return [(w.text, round(w.start, 2), round(w.end, 2)) for w in words if w.start < recorded]

    assert stream.stats.chunks >= 2
    assert before_stop(result.raw_words) == before_stop(batch.raw_words)
    assert len(before_stop(result.raw_words)) > 40


def test_falling_behind_reads_the_rest_from_disk(transcriber: Transcriber, long_answer: np.ndarray) -> None:
    stream = StreamingTranscriber(
        lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY, options=StreamingOptions(max_backlog_s=5.0)
    )
    feed_all(stream, long_answer)
    assert stream.stats.spilled
    assert stream._pending_frames == 0, "nothing is held in memory once spilled"
    calls = []

    def from_disk() -> np.ndarray:
        calls.append(1)
        return long_answer

    result = stream.finish(from_disk)
    assert calls == [1]
    assert "Shapley values" in result.text and result.duration_s == pytest.approx(long_answer.shape[0] / SAMPLE_RATE)


def test_close_abandons_without_transcribing(transcriber: Transcriber, long_answer: np.ndarray) -> None:
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION)
    stream.close()
    feed_all(stream, long_answer[: 10 * SAMPLE_RATE])
    stream._worker.join(timeout=30)
    assert not stream._worker.is_alive() and stream.stats.chunks == 0


def test_a_pause_before_stop_is_transcribed_ahead(transcriber: Transcriber, spoken) -> None:
    speech = load_audio(spoken(SENTENCES[0]))
    silence = np.zeros(int(1.5 * SAMPLE_RATE), np.float32)
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY)
    feed_all(stream, np.concatenate([speech, silence]))
    wait_for(lambda: stream.stats.speculative_passes >= 1)
    result = stream.finish(lambda: np.concatenate([speech, silence]))
    assert stream.stats.used_speculative and stream.stats.tail_seconds == 0.0
    assert "Shapley values" in result.text


def test_a_pause_before_stop_hands_the_scorer_the_whole_answer(transcriber: Transcriber, spoken) -> None:
    """The speculative pass's words go to `on_words` too (corrected as the transcript will have them):
    when the person stops in that pause, the scorer has judged every word before Stop."""
    speech = load_audio(spoken(SENTENCES[0]))
    audio = np.concatenate([speech, np.zeros(int(1.5 * SAMPLE_RATE), np.float32)])
    seen: list[list[str]] = []
    stream = StreamingTranscriber(
        lambda: transcriber,
        question_text=QUESTION,
        glossary=GLOSSARY,
        on_words=lambda words: seen.append([w.text for w in words]),
    )
    feed_all(stream, audio)
    wait_for(lambda: stream.stats.speculative_passes >= 1 and bool(seen))
    result = stream.finish(lambda: audio)
    assert stream.stats.used_speculative and stream.stats.chunks == 0
    assert seen[-1] == [w.text for w in result.words]


def test_speech_after_the_pause_is_not_lost(transcriber: Transcriber, spoken) -> None:
    first = load_audio(spoken(SENTENCES[0]))
    second = load_audio(spoken("And one more thing about LIME."))
    silence = np.zeros(int(1.0 * SAMPLE_RATE), np.float32)
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY)
    feed_all(stream, np.concatenate([first, silence]))
    wait_for(lambda: stream.stats.speculative_passes >= 1)
    feed_all(stream, second)
    result = stream.finish()
    assert not stream.stats.used_speculative
    assert "Shapley values" in result.text and "LIME" in result.text


class HeldTranscriber:
    """The real transcriber, except that a pass given a cancel event (a speculative one) waits at
    its start until released or cancelled: so the pass is certainly running when Stop comes."""

    def __init__(self, transcriber: Transcriber) -> None:
        self.transcriber = transcriber
        self.entered = threading.Event()
        self.release = threading.Event()

    def raw_words(self, audio, prompt, *, cancel=None, **kwargs):
        if cancel is not None:
            self.entered.set()
            deadline = time.monotonic() + 60
            while not (self.release.is_set() or cancel.is_set()) and time.monotonic() < deadline:
                time.sleep(0.01)
        return self.transcriber.raw_words(audio, prompt, cancel=cancel, **kwargs)

    def __getattr__(self, name):
        return getattr(self.transcriber, name)


@pytest.mark.parametrize("more_speech", [True, False])
def test_a_speculative_pass_running_at_stop_is_dropped_only_if_speech_followed(
    transcriber: Transcriber, spoken, more_speech: bool
) -> None:
    first = load_audio(spoken(SENTENCES[0]))
    second = load_audio(spoken("And one more thing about LIME."))
    silence = np.zeros(int(1.0 * SAMPLE_RATE), np.float32)
    held = HeldTranscriber(transcriber)
    stream = StreamingTranscriber(lambda: held, question_text=QUESTION, glossary=GLOSSARY)
    feed_all(stream, np.concatenate([first, silence]))
    assert held.entered.wait(60), "a speculative pass started in the pause"
    if more_speech:
        feed_all(stream, second)
    else:
        threading.Timer(0.3, held.release.set).start()  # the pass finishes on its own, after Stop
    result = stream.finish()
    assert "Shapley values" in result.text
    if more_speech:
        assert stream.stats.speculation_cancelled and not stream.stats.used_speculative
        assert "LIME" in result.text
    else:
        assert not stream.stats.speculation_cancelled and stream.stats.used_speculative


@pytest.mark.parametrize("more_speech", [False, True])
def test_a_window_that_fills_in_the_last_pause_is_not_decoded_before_stop(
    transcriber: Transcriber, spoken, more_speech: bool
) -> None:
    """The 16 s window often fills in the person's last pause, after the pass made in that pause
    has every word: decoding the chunk then would make a Stop that comes next wait about a second
    for words it already has. The chunk waits; if speech resumes it is decoded at the same cut."""
    speech = np.concatenate(
        [
            load_audio(spoken(SENTENCES[0])),
            np.zeros(int(0.9 * SAMPLE_RATE), np.float32),
            load_audio(spoken(SENTENCES[1])),
        ]
    )
    pause = np.zeros(int(1.0 * SAMPLE_RATE), np.float32)
    rest = np.zeros(int(19.0 * SAMPLE_RATE) - speech.shape[0] - pause.shape[0], np.float32)
    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY)
    feed_all(stream, np.concatenate([speech, pause]))
    wait_for(lambda: stream.stats.speculative_passes >= 1)
    feed_all(stream, rest)  # the window fills in the pause
    wait_for(lambda: stream.stats.chunks_deferred >= 1)
    assert stream.stats.chunks == 0
    if more_speech:
        feed_all(stream, load_audio(spoken("And one more thing about LIME.")))
        wait_for(lambda: stream.stats.chunks >= 1)  # speech resumed: the chunk is decoded
    result = stream.finish()
    assert "Shapley values" in result.text and "prediction" in result.text, result.text
    if more_speech:
        assert "LIME" in result.text and not stream.stats.used_speculative
    else:
        assert stream.stats.used_speculative and stream.stats.chunks == 0 and stream.stats.tail_seconds == 0.0


def test_each_chunk_hands_its_words_on_and_a_failing_listener_loses_nothing(
    transcriber: Transcriber, long_answer: np.ndarray
) -> None:
    """`on_words` is how the scorer encodes finished sentences before Stop; if it fails, transcription goes on."""
    seen: list[int] = []

    def listener(words) -> None:
        seen.append(len(words))
        raise RuntimeError("the scorer broke")

    stream = StreamingTranscriber(lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY, on_words=listener)
    feed_all(stream, long_answer)
    total_s = long_answer.shape[0] / SAMPLE_RATE
    wait_for(lambda: stream.stats.chunk_seconds > total_s - 30)
    result = stream.finish(lambda: long_answer)
    # every chunk, and each pause's speculative pass (its words ahead of the chunk)
    assert stream.stats.chunks <= len(seen) <= stream.stats.chunks + stream.stats.speculative_passes
    assert stream.stats.chunks >= 3 and seen[0] > 0
    assert "Shapley values" in result.text and len(result.words) > seen[-1]


def test_captions_show_the_words_transcribed_ahead_in_a_pause(transcriber: Transcriber, spoken) -> None:
    """A pause's speculative pass updates the captions at once (chunks end only once a 16 s window
    is pending, so captions from chunks alone trailed speech by up to that much); the transcript is not changed."""
    speech = load_audio(spoken(SENTENCES[0]))
    audio = np.concatenate([speech, np.zeros(int(1.5 * SAMPLE_RATE), np.float32)])
    captions: list[str] = []
    stream = StreamingTranscriber(
        lambda: transcriber, question_text=QUESTION, glossary=GLOSSARY, on_text=captions.append
    )
    feed_all(stream, audio)
    wait_for(lambda: bool(captions))
    assert stream.stats.chunks == 0 and stream.text == "", "nothing committed: the caption is the pass ahead"
    assert "Shapley" in captions[-1] and captions[-1] == stream.caption()
    result = stream.finish(lambda: audio)
    assert result.raw_words and " ".join(w.text for w in result.raw_words) == captions[-1]
