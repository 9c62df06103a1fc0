"""No wordless speech: where voice activity found speech but Whisper gave no words, decode again.

Prompted decoding now and then skips a stretch of audio (a 29 s answer lost "Examples are kernel
SHAP, LIME and"; the gap then read as a long pause). After each chunk is decoded, Silero VAD's
speech regions are compared with the word times; a stretch of speech of MIN_WORDLESS_S or more
with no words is decoded again on its own, without the prompt (then with temperature fallback),
and its words are merged in. What still gives nothing is kept as a gap, so the feedback says so
instead of calling it a pause: a short one between words (at most MAX_POSSIBLE_FILLER_S, the
length of a drawn-out "um") is a "possible filler", counted apart from the fillers that were heard
as words; a longer one, or one at the edge of the chunk, is "unclear".

Batch (`hear_in_chunks`) and streaming both go through `hear_chunk`, so they still give the
same transcript.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.core.audio.files import SAMPLE_RATE
from app.core.transcribe.decoding import (
    Decoder,
    TranscriptionCancelled,
    drop_cut_marks,
    merge_word_pieces,
    release_free_memory,
)
from app.core.transcribe.echo import bare_word, drop_prompt_echo, placed_nowhere
from app.core.transcribe.prompt import HESITATIONS, hesitant, hesitant_prompt
from app.core.transcribe.transcript import POSSIBLE_FILLER, UNCLEAR, Gap, Word

log = logging.getLogger(__name__)

MIN_WORDLESS_S = 0.5  # speech this long with no words is decoded again
WORD_SLACK_S = 0.15  # Whisper's word times are this loose at either end: not a wordless stretch
CONTEXT_S = 0.2  # audio either side of a stretch given to the re-decode (a word cut at the edge is heard)
FALLBACK_TEMPERATURES = (0.2, 0.4, 0.6, 0.8, 1.0)
MAX_POSSIBLE_FILLER_S = 1.0  # a wordless stretch between words up to this long may be an "um"
# Re-decoding a short stretch without context is prone to "Thank you." on noise: a segment must be
# likelier speech than not and decoded with some confidence to count.
MAX_NO_SPEECH = 0.6
MIN_AVG_LOGPROB = -1.0

Region = tuple[float, float]


@dataclass
class Heard:
    """One chunk (or a whole answer) as heard: words, VAD speech regions, unclear gaps, what repair did."""

    words: list[Word] = field(default_factory=list)
    language: str = "en"
    speech: list[Region] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    redecoded: int = 0  # wordless stretches decoded again
    recovered_words: int = 0  # words those re-decodes brought back
    unclear: int = 0  # stretches that stayed wordless

    def extend(self, other: Heard) -> None:
        self.words += other.words
        self.language = other.language
        self.speech += other.speech
        self.gaps += other.gaps
        self.redecoded += other.redecoded
        self.recovered_words += other.recovered_words
        self.unclear += other.unclear


def speech_regions(audio: np.ndarray) -> list[Region]:
    """Silero VAD's speech regions in seconds, split at silences of 0.3 s or more (a long pause
    must show as silence, which faster-whisper's 2 s default would merge into speech)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.shape[0] < SAMPLE_RATE // 10:
        return []
    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=100))
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def wordless_stretches(speech: Sequence[Region], words: Sequence[Word], min_s: float = MIN_WORDLESS_S) -> list[Region]:
    """Parts of the speech regions no word covers (words widened by WORD_SLACK_S), min_s or longer."""
    covered = sorted((w.start - WORD_SLACK_S, w.end + WORD_SLACK_S) for w in words)
    out: list[Region] = []
    for start, end in speech:
        cursor = start
        for w_start, w_end in covered:
            if w_end <= cursor or w_start >= end:
                continue
            if w_start - cursor >= min_s:
                out.append((cursor, w_start))
            cursor = max(cursor, w_end)
        if end - cursor >= min_s:
            out.append((cursor, end))
    return out


def _confident(segment: Any) -> bool:
    return bool(segment.no_speech_prob <= MAX_NO_SPEECH and segment.avg_logprob >= MIN_AVG_LOGPROB)


def redecode(transcriber: Decoder, audio: np.ndarray, temperature: float | tuple[float, ...]) -> list[Word]:
    """Words Whisper hears in `audio` alone, with no prompt and no VAD filter (VAD already said it is speech)."""
    words: list[Word] = []
    with transcriber.lock:
        if temperature != 0.0:
            import ctranslate2

            ctranslate2.set_random_seed(0)  # sampling: the same audio gives the same words, batch or streaming
        segments, _ = transcriber.model.transcribe(
            audio,
            language="en" if transcriber.info.name.endswith(".en") else transcriber.options.language,
            beam_size=transcriber.options.beam_size,
            word_timestamps=True,
            initial_prompt=None,
            vad_filter=False,
            condition_on_previous_text=False,
            temperature=temperature,
        )
        for segment in segments:
            if _confident(segment):
                words += drop_cut_marks(merge_word_pieces(segment.words or []))
    return words


def repair(
    transcriber: Decoder,
    audio: np.ndarray,
    words: list[Word],
    offset_s: float = 0.0,
    speech: list[Region] | None = None,
    cancel: threading.Event | None = None,
) -> Heard:
    """Fill the wordless stretches of one chunk: `words` are its words (times include `offset_s`),
    `speech` its VAD regions relative to the chunk (found here if not given)."""
    if speech is None:
        speech = speech_regions(audio)
    regions = [(s + offset_s, e + offset_s) for s, e in speech]
    heard = Heard(words=list(words), speech=regions)
    duration = audio.shape[0] / SAMPLE_RATE
    for start, end in wordless_stretches(regions, words):
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled()
        lo = max(0.0, start - offset_s - CONTEXT_S)
        hi = min(duration, end - offset_s + CONTEXT_S)
        clip = audio[int(lo * SAMPLE_RATE) : int(hi * SAMPLE_RATE)]
        found: list[Word] = []
        for temperature in (0.0, FALLBACK_TEMPERATURES):
            found = [
                Word(w.text, w.start + lo + offset_s, w.end + lo + offset_s, w.probability)
                for w in redecode(transcriber, clip, temperature)
            ]
            # Only words inside the stretch: the context either side belongs to words already there.
            found = [w for w in found if start <= (w.start + w.end) / 2 <= end]
            if found:
                break
        heard.redecoded += 1
        if found:
            heard.recovered_words += len(found)
            heard.words = sorted(heard.words + found, key=lambda w: w.start)
            log.info(
                "wordless speech %.2f-%.2f s decoded again: %d words recovered (%s)",
                start,
                end,
                len(found),
                " ".join(w.text for w in found),
            )
        else:
            heard.unclear += 1
            between = any(w.end <= start + WORD_SLACK_S for w in words) and any(
                w.start >= end - WORD_SLACK_S for w in words
            )
            kind = POSSIBLE_FILLER if between and end - start <= MAX_POSSIBLE_FILLER_S else UNCLEAR
            heard.gaps.append(Gap(start, end, kind))
            log.info("wordless speech %.2f-%.2f s decoded again: still no words, marked %s", start, end, kind)
    return heard


LOOP_REPEATS = 4  # the same word this many times in a row: Whisper's repetition loop, not speech


def degenerate(words: Sequence[Word]) -> bool:
    """A decode that is a repetition loop, or mostly shouted single words (an echo of the prompt's terms)."""
    texts = [w.text.strip(".,!?;:").lower() for w in words]
    run = 1
    for before, after in zip(texts, texts[1:]):
        run = run + 1 if after and after == before else 1
        if run >= LOOP_REPEATS:
            return True
    letters = [w.text.strip(".,!?;:-") for w in words if any(c.isalpha() for c in w.text)]
    shouted = sum(1 for t in letters if len(t) > 1 and t.isupper())
    return len(letters) >= 6 and shouted / len(letters) > 0.6


SAME_WORDS = 0.8  # a reading on a hunch of fillers must keep this share of the other words


def adds_fillers(plain: Sequence[Word], again: Sequence[Word]) -> bool:
    """Whether the denser reading only adds fillers to the plain one: its other words mostly the
    same, no filler said twice in a row, and a filler among the words, not only after the last one.
    On read speech with no filler the denser preface can rewrite a clip ("Seven of clubs." ->
    "So, uh, uh, we're going to be doing this."), or keep it and go on past its end ("Seven of
    clubs. So, uh,"): fillers heard on a hunch must not cost the words nor be the preface's echo.
    Nor be placed nowhere: on some CPUs it read "Five, five." as "Uh, five, five.", the "Uh" given
    no time and probability 0.00, text written from the preface, not sound."""
    keys = [bare_word(w.text) for w in again]
    if any(a == b and a in HESITATIONS for a, b in zip(keys, keys[1:])):
        return False
    before = [k for k in map(bare_word, (w.text for w in plain)) if k not in HESITATIONS]
    spoken = [i for i, k in enumerate(keys) if k not in HESITATIONS]  # positions in `again` of the other words
    matcher = difflib.SequenceMatcher(None, before, [keys[i] for i in spoken], autojunk=False)
    if matcher.ratio() < SAME_WORDS:
        return False
    shared = [spoken[b.b + n] for b in matcher.get_matching_blocks() for n in range(b.size)]
    last_shared = shared[-1] if shared else -1
    return any(k in HESITATIONS and not placed_nowhere(w) for k, w in zip(keys[: last_shared + 1], again))


def hear_chunk(
    transcriber: Decoder,
    audio: np.ndarray,
    prompt: str,
    *,
    offset_s: float = 0.0,
    cancel: threading.Event | None = None,
) -> Heard:
    """Decode one chunk with its prompt (again with the denser preface if it holds the answer's first
    "um" or "uh", or is the answer's first chunk), drop a trailing echo of the prompt, then repair
    its wordless stretches. The one place batch and streaming decode a chunk, so their transcripts
    stay the same."""
    try:
        return _hear_chunk(transcriber, audio, prompt, offset_s=offset_s, cancel=cancel)
    finally:
        release_free_memory()


def _hear_chunk(
    transcriber: Decoder,
    audio: np.ndarray,
    prompt: str,
    *,
    offset_s: float,
    cancel: threading.Event | None,
) -> Heard:
    words, language = transcriber.raw_words(audio, prompt, offset_s=offset_s, cancel=cancel)
    if prompt and degenerate(words):
        # The prompt's list of terms can pull Whisper into echoing it ("SHAP, LIME, CHAP, ...") and
        # into a loop ("come come come ..."): the plain decode is the safer reading of this chunk.
        plain, plain_language = transcriber.raw_words(audio, "", offset_s=offset_s, cancel=cancel)
        log.info(
            "chunk at %.1f s decoded into a loop or a list of terms with the prompt; decoded again without it "
            "(%d words -> %d)",
            offset_s,
            len(words),
            len(plain),
        )
        if not degenerate(plain):
            words, language = plain, plain_language
            prompt = ""
    denser = hesitant_prompt(prompt)
    had_filler = hesitant(w.text for w in words)
    if denser is not None and (had_filler or offset_s == 0.0):
        # No "um" or "uh" heard in the answer yet, and this chunk holds one, or is the answer's
        # first: decoded again with the denser preface, which keeps fillers Whisper drops with the
        # plain one (often all of a chunk's, folded into the words beside them). Its reading is
        # taken when the plain one held a filler, or when it finds one the plain one missed and
        # keeps the plain one's words (adds_fillers); a fluent chunk keeps its plain words. Later
        # chunks get the denser preface from the start.
        # Only the first chunk is decoded twice on a hunch: for every chunk of a fluent answer it
        # doubles the decoding, and the worker falls behind what Stop must wait for.
        again, again_language = transcriber.raw_words(audio, denser, offset_s=offset_s, cancel=cancel)
        again = drop_prompt_echo(again, denser, audio, offset_s)
        heard_more = hesitant(w.text for w in again) and adds_fillers(words, again)
        if not degenerate(again) and (had_filler or heard_more):
            log.info("chunk at %.1f s has a filler: decoded again with the denser preface", offset_s)
            words, language, prompt = again, again_language, denser
    words = drop_prompt_echo(words, prompt, audio, offset_s)
    try:
        heard = repair(transcriber, audio, words, offset_s, cancel=cancel)
    except TranscriptionCancelled:
        raise
    except Exception:  # noqa: BLE001
        log.exception(
            "checking %.1f s of audio at %.1f s for wordless speech failed; its words are kept as decoded",
            audio.shape[0] / SAMPLE_RATE,
            offset_s,
        )
        heard = Heard(words=list(words))
    heard.language = language
    return heard
