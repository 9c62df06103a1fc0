"""Transcribe an answer while it is being recorded, so feedback is ready about a second after Stop.

The recorder's writer thread hands every block to `feed()`, which only appends it to a pending
buffer. A worker thread watches that buffer; once it holds a whole window (16 s), Silero VAD
(shipped with faster-whisper) finds its last pause, and the audio up to that pause is
transcribed with the question-aware prompt plus the text so far as context: the cuts and
prompts batch transcription of the file would use, so the transcript is the same. At Stop,
`finish()` transcribes only what is left after the last cut, or nothing, if the person paused
before Stop and the pending audio was transcribed ahead (a window that fills during that pause is
not decoded while the pause's pass has its words, so Stop never waits for it). Glossary fixes run
once at the end.

If transcription falls behind (a slow machine, a big model), the pending buffer is not allowed
to grow without bound: past `max_backlog_s` it is dropped and `finish()` reads the rest of the
answer from the recording on disk instead. Memory stays flat whatever the answer's length.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.core.audio.files import SAMPLE_RATE
from app.core.transcribe.chunking import (  # noqa: F401  (find_cut, batch_cut, hear_in_chunks: re-exported)
    StreamingOptions,
    batch_cut,
    find_cut,
    hear_in_chunks,
)
from app.core.transcribe.decoding import ProgressCallback, TranscriptionCancelled
from app.core.transcribe.fidelity import Heard, hear_chunk
from app.core.transcribe.glossary import GlossaryCorrector
from app.core.transcribe.prompt import build_initial_prompt
from app.core.transcribe.transcriber import Transcriber
from app.core.transcribe.transcript import Transcript, Word

log = logging.getLogger(__name__)

AudioSource = Callable[[], np.ndarray]


@dataclass
class StreamStats:
    chunks: int = 0
    chunk_seconds: float = 0.0
    busy_seconds: float = 0.0  # time spent transcribing chunks while recording
    spilled: bool = False
    tail_seconds: float = 0.0  # audio left for finish()
    finish_seconds: float = 0.0  # time finish() took
    speculative_passes: int = 0
    used_speculative: bool = False  # finish() had nothing left: the last pause's pass covered it
    speculation_cancelled: bool = False  # a pass was running at Stop, but speech followed what it covered
    chunks_deferred: int = 0  # checks that found a chunk to cut but left it: the pause's pass had its words


SPECULATE_AFTER_S = 0.4  # silence after the last word before transcribing the pending audio ahead
SPECULATE_SLACK_S = 0.2  # a pause's pass covers the speech and this much after it
MAX_DEFER_S = 40.0  # a chunk is left undecoded in a pause only while this much audio is pending


def _speech_end(audio: np.ndarray) -> int | None:
    """Where the last speech in `audio` ends (VAD), or None if there is none."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.shape[0] < SAMPLE_RATE // 10:
        return None
    speech = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=100))
    return speech[-1]["end"] if speech else None


class StreamingTranscriber:
    def __init__(
        self,
        transcriber: Callable[[], Transcriber],
        *,
        question_text: str | None = None,
        glossary: Sequence[str] = (),
        reference_answer: str | None = None,
        options: StreamingOptions | None = None,
        on_text: Callable[[str], None] | None = None,
        on_words: Callable[[list[Word]], None] | None = None,
    ) -> None:
        self._get_transcriber = transcriber
        self.question_text = question_text
        self.glossary = tuple(glossary)
        self.reference_answer = reference_answer
        self.options = options or StreamingOptions()
        self.on_text = on_text
        self.on_words = on_words  # e.g. the scorer encoding finished sentences before Stop
        self._corrector = GlossaryCorrector(self.glossary)
        self._told: list[Word] = []  # the words handed to on_words so far, glossary-corrected (worker thread only)
        self._told_raw = 0  # how many of self._words they come from
        self.stats = StreamStats()
        self._blocks: list[np.ndarray] = []
        self._pending_frames = 0
        self._fed_frames = 0
        self._done_frames = 0  # frames already transcribed (the offset of the pending audio)
        self._since_check = 0
        self._backlog_checked = False
        self._speculative: tuple[int, int, Heard] | None = None  # (offset, frames, what the pass heard)
        self._speculating: int | None = None  # frames the running speculative pass covers
        self._speculation_cancel = threading.Event()
        self._words: list[Word] = []
        self._language = "en"
        self._heard = Heard()  # speech regions, unclear gaps and repair counts of the committed chunks (not words)
        self._cond = threading.Condition()
        self._finishing = False
        self._closed = False
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._run, name="rehearse-streaming", daemon=True)
        self._worker.start()

    # -- producer side (the recorder's writer thread) -------------------------------------------
    def feed(self, block: np.ndarray) -> None:
        """Called for every recorded block; only appends, never waits on transcription."""
        with self._cond:
            self._fed_frames += block.shape[0]
            if self.stats.spilled or self._closed:
                return
            self._blocks.append(block)
            self._pending_frames += block.shape[0]
            self._since_check += block.shape[0]
            if self._pending_frames > self.options.max_backlog_s * SAMPLE_RATE:
                # Falling behind: keep memory flat; the rest will be read from disk at the end.
                self.stats.spilled = True
                self._blocks.clear()
                self._pending_frames = 0
            if self._since_check >= self.options.check_every_s * SAMPLE_RATE:
                self._cond.notify()

    @property
    def text(self) -> str:
        """The words so far (for live captions)."""
        with self._cond:
            return " ".join(w.text for w in self._words)

    def caption(self) -> str:
        """For live captions: the words so far, then the last speculative pass's words past them.

        Chunks end only once a 16 s window is pending, so the committed text alone trails speech by
        up to that much; each pause's speculative pass has the newer words. They are shown, never
        kept: the transcript, the cuts and the prompts come from the chunks alone.
        """
        with self._cond:
            words = [w.text for w in self._words]
            ahead = self._speculative
            if ahead is not None:
                committed_s = self._done_frames / SAMPLE_RATE
                words += [w.text for w in ahead[2].words if w.start >= committed_s - 0.01]
        return " ".join(words)

    @property
    def fed_seconds(self) -> float:
        return self._fed_frames / SAMPLE_RATE

    # -- worker ------------------------------------------------------------------------------------
    def _pending_audio(self) -> np.ndarray:
        if len(self._blocks) > 1:
            self._blocks = [np.concatenate(self._blocks)]
        return self._blocks[0] if self._blocks else np.zeros(0, np.float32)

    def _ready(self) -> bool:
        """Worth looking for a cut: enough new audio, or a backlog left after the last chunk."""
        if self._since_check >= self.options.check_every_s * SAMPLE_RATE:
            return True
        return not self._backlog_checked and self._pending_frames >= self.options.min_chunk_s * SAMPLE_RATE

    def _prompt(self) -> str:
        return self._prompt_with(self._words)

    def _prompt_with(self, words: list[Word]) -> str:
        context = " ".join(w.text for w in words[-60:])
        return build_initial_prompt(self.question_text, self.glossary, self.reference_answer, context=context)

    def _run(self) -> None:
        try:
            while True:
                with self._cond:
                    while not (self._closed or self._finishing or self._ready()):
                        self._cond.wait()
                    if self._closed or self._finishing or self.stats.spilled:
                        return
                    self._since_check = 0
                    audio = self._pending_audio()
                    offset = self._done_frames
                    prompt = self._prompt()
                cut = self._cut(audio)
                if cut is None:
                    with self._cond:
                        self._backlog_checked = True
                    self._speculate(audio, offset, prompt)
                    continue
                if self._defer_chunk(audio, cut):
                    with self._cond:
                        self._backlog_checked = True
                    continue
                started = time.perf_counter()
                heard = hear_chunk(self._get_transcriber(), audio[:cut], prompt, offset_s=offset / SAMPLE_RATE)
                self.stats.busy_seconds += time.perf_counter() - started
                with self._cond:
                    if self.stats.spilled or self._closed:
                        return
                    self._commit(heard)
                    pending = self._pending_audio()
                    self._blocks = [pending[cut:]]
                    self._pending_frames -= cut
                    self._done_frames += cut
                    self.stats.chunks += 1
                    self._backlog_checked = False
                    self.stats.chunk_seconds += cut / SAMPLE_RATE
                if self.on_text is not None:
                    self.on_text(self.caption())
                if self.on_words is not None:
                    self._tell_words()
        except BaseException as exc:  # reported by finish(); the answer is still on disk
            log.exception("streaming transcription stopped; the rest is transcribed from the recording")
            self._error = exc

    def _commit(self, heard: Heard) -> None:
        """Add a chunk's words, and keep its speech regions, gaps and counts for the transcript."""
        self._words += heard.words
        self._language = heard.language
        self._heard.extend(
            Heard(
                language=heard.language,
                speech=heard.speech,
                gaps=heard.gaps,
                redecoded=heard.redecoded,
                recovered_words=heard.recovered_words,
                unclear=heard.unclear,
            )
        )

    def _cut(self, audio: np.ndarray) -> int | None:
        """Where to cut the pending audio, or None to wait for more.

        Only once a whole batch window (max_chunk_s and a pause) is pending, and then where batch
        transcription would cut: the chunks, their prompts and so the transcript are the ones
        transcribing the file after Stop gives. (Cutting at the first pause past min_chunk_s gave
        shorter chunks, more boundaries and a WER 1.2 points above batch.) At Stop at most one
        window is left, and the speculative pass during the person's last pause usually has it.
        """
        window = int((self.options.max_chunk_s + self.options.min_pause_s) * SAMPLE_RATE)
        if audio.shape[0] < window:
            return None
        return batch_cut(audio, self.options)

    def _tell_words(self, ahead: Sequence[Word] = ()) -> None:
        """Hand the words so far to `on_words` as the final transcript will have them (glossary fixes
        merge "Shapley values" into one word, which shifts every sentence after it, so a scorer
        warmed with raw words would judge it all again at Stop). Only the words new since the last
        call are corrected (a glossary fix is local, and chunks end in pauses): correcting the whole
        answer each time grows with its length. `ahead`: a speculative pass's words, told but not
        kept, since they are the rest of the answer if the person stops now (then Stop finds
        everything judged). Its failure costs only its head start, never the answer."""
        with self._cond:
            new = self._words[self._told_raw :]
            self._told_raw = len(self._words)
        on_words = self.on_words
        assert on_words is not None  # only called when there is someone to tell
        try:
            self._told += self._corrector.correct(new)[0]
            if ahead:
                on_words(self._told + self._corrector.correct(list(ahead))[0])
            else:
                on_words(list(self._told))
        except Exception:  # noqa: BLE001
            log.warning("on_words failed; the answer will be scored from scratch at Stop", exc_info=True)

    def _speculate(self, audio: np.ndarray, offset: int, prompt: str) -> None:
        """While the person pauses, transcribe the pending audio ahead of time.

        People usually stop talking a moment before they press Stop. If nothing was said after
        this pass, finish() uses it and has nothing left to transcribe.
        """
        end = _speech_end(audio)
        if end is None or audio.shape[0] - end < SPECULATE_AFTER_S * SAMPLE_RATE:
            return  # silence only, or still speaking
        covered = min(audio.shape[0], end + int(SPECULATE_SLACK_S * SAMPLE_RATE))
        done = self._speculative
        if done is not None and done[0] == offset and done[1] >= covered:
            return
        with self._cond:
            if self._finishing:
                return  # Stop came first: finish() transcribes the tail itself
            self._speculating = covered
            self._speculation_cancel.clear()
        try:
            heard = hear_chunk(
                self._get_transcriber(),
                audio[:covered],
                prompt,
                offset_s=offset / SAMPLE_RATE,
                cancel=self._speculation_cancel,
            )
        except TranscriptionCancelled:
            self.stats.speculation_cancelled = True
            return
        finally:
            with self._cond:
                self._speculating = None
        with self._cond:
            if self._done_frames != offset:
                return
            self._speculative = (offset, covered, heard)
            self.stats.speculative_passes += 1
        if self.on_text is not None:
            self.on_text(self.caption())  # captions need not wait for the chunk to end (up to 16 s)
        if self.on_words is not None:
            self._tell_words(ahead=heard.words)

    def _drop_useless_speculation(self) -> None:
        """At Stop: a speculative pass still running is worth waiting for only if nothing was said
        after the audio it covers; otherwise its result cannot be used, so it stops at its next segment."""
        with self._cond:
            covered = self._speculating
            if covered is None:
                return
            pending = self._pending_audio()
        if _speech_end(pending[covered:]) is not None:
            self._speculation_cancel.set()

    def _defer_chunk(self, audio: np.ndarray, cut: int) -> bool:
        """Whether to leave a chunk that is due undecoded for now: the person is in a pause, and the
        pass made in it already has every word of the pending audio (same start and prompt, and its
        speech ends inside the chunk). A window often fills in the last pause before Stop; decoding
        the chunk then (about a second) would make Stop wait for words it already has. When speech
        resumes the chunk is decoded at the same cut as ever; past MAX_DEFER_S of pending audio it
        is decoded anyway, so the buffer stays bounded."""
        done = self._speculative
        if done is None or done[1] > cut + int(SPECULATE_SLACK_S * SAMPLE_RATE):
            return False
        if audio.shape[0] > MAX_DEFER_S * SAMPLE_RATE or self._use_speculative(audio) is None:
            return False  # _use_speculative: the same start, and no speech after the pass
        self.stats.chunks_deferred += 1
        return True

    def _use_speculative(self, tail: np.ndarray) -> Heard | None:
        """The speculative pass, if it covers this tail: same start, and no speech after it."""
        done = self._speculative
        if done is None or done[0] != self._done_frames or done[1] > tail.shape[0]:
            return None
        if _speech_end(tail[done[1] :]) is not None:
            return None
        return done[2]

    # -- end ---------------------------------------------------------------------------------------
    def close(self) -> None:
        """Abandon (the person cancelled the answer)."""
        with self._cond:
            self._closed = True
            self._cond.notify()

    def finish(
        self,
        audio_source: AudioSource | None = None,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe what is left and return the whole answer's transcript.

        `audio_source()` returns the whole recording from disk; it is read only when the stream
        fell behind or failed, so the usual path never reloads the audio.
        """
        started = time.perf_counter()
        with self._cond:
            self._finishing = True
            self._cond.notify()
        self._drop_useless_speculation()
        self._worker.join()
        transcriber = self._get_transcriber()
        with self._cond:
            fallback = self.stats.spilled or self._error is not None
            total_frames = self._fed_frames
            if fallback:
                if audio_source is None:
                    raise RuntimeError("streaming transcription fell behind and no recording was given to finish from")
                whole = audio_source()
                total_frames = whole.shape[0]
                tail = whole[self._done_frames :]
            else:
                tail = self._pending_audio()
            offset = self._done_frames
        self.stats.tail_seconds = tail.shape[0] / SAMPLE_RATE
        ahead = None if fallback else self._use_speculative(tail)
        if ahead is not None:
            self.stats.tail_seconds = 0.0
            self.stats.used_speculative = True
            self._commit(ahead)
        elif tail.shape[0] >= SAMPLE_RATE // 10:
            earlier = list(self._words)
            self._commit(
                hear_in_chunks(
                    transcriber,
                    tail,
                    lambda so_far: self._prompt_with(earlier + so_far),
                    offset_frames=offset,
                    options=self.options,
                    progress=progress,
                    cancel=cancel,
                )
            )
        transcript = transcriber.assemble(
            list(self._words),
            total_frames / SAMPLE_RATE,
            self.glossary,
            build_initial_prompt(self.question_text, self.glossary, self.reference_answer),
            self._language,
            heard=self._heard,
        )
        self.stats.finish_seconds = time.perf_counter() - started
        if progress is not None:
            progress(1.0)
        return transcript
