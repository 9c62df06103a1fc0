"""Where an answer is cut into the chunks Whisper decodes, and the batch reading of a whole answer.

Streaming and batch cut at the same pauses and decode each chunk with `hear_chunk`, so an answer
gives the same transcript whether it was heard live or read from the file afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.core.audio.files import SAMPLE_RATE
from app.core.transcribe.decoding import Decoder, ProgressCallback, TranscriptionCancelled
from app.core.transcribe.fidelity import Heard, hear_chunk
from app.core.transcribe.transcript import Word


@dataclass(frozen=True)
class StreamingOptions:
    min_chunk_s: float = 8.0  # cut only at a pause past this point of a window: no short chunks (unless the answer is)
    # Always cut by here. Whisper reads 30 s windows, but tiny.en dropped words from chunks of 20-24 s:
    # WER 0.21 with 24 s chunks, 0.06 with 16 s, 0.10 with 10 s on 22 joined human eval clips (157 s);
    # on espeak-ng reference answers 24 s did a little better (0.157 vs 0.182): real speech decides.
    max_chunk_s: float = 16.0
    min_pause_s: float = 0.5  # a pause at least this long is a place to cut
    check_every_s: float = 1.0  # look for a cut after this much new audio
    max_backlog_s: float = 90.0  # beyond this, stop buffering and read the rest from disk at the end


def find_cut(audio: np.ndarray, options: StreamingOptions) -> int | None:
    """Sample index to cut the pending audio at: the middle of the last pause between min_chunk_s
    and max_chunk_s (fewer, longer chunks: each boundary is a chance to lose a word)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    n = audio.shape[0]
    min_samples = int(options.min_chunk_s * SAMPLE_RATE)
    max_samples = int(options.max_chunk_s * SAMPLE_RATE)
    if n < min_samples:
        return None
    window = audio[: max_samples + int(options.min_pause_s * SAMPLE_RATE)]
    speech = get_speech_timestamps(
        window, VadOptions(min_silence_duration_ms=int(options.min_pause_s * 1000), speech_pad_ms=100)
    )
    if not speech:
        # Nothing but silence: let it go once it is long enough, so it is not carried forever.
        return int(min(n, max_samples))
    candidates: list[int] = []
    for current, following in zip(speech, speech[1:]):
        gap_start, gap_end = int(current["end"]), int(following["start"])
        if gap_start >= min_samples and gap_end <= max_samples:
            candidates.append((gap_start + gap_end) // 2)
    last_end = int(speech[-1]["end"])
    if min_samples <= last_end <= max_samples and window.shape[0] - last_end >= options.min_pause_s * SAMPLE_RATE:
        candidates.append(min(window.shape[0], last_end + int(options.min_pause_s * SAMPLE_RATE) // 2))
    if candidates:
        return max(candidates)
    if n >= max_samples:
        # No pause in the whole window: cut at the widest gap, or at the limit.
        gaps = [
            ((b["start"] - a["end"]), (a["end"] + b["start"]) // 2)
            for a, b in zip(speech, speech[1:])
            if b["start"] <= max_samples
        ]
        return int(max(gaps)[1]) if gaps else max_samples
    return None


def batch_cut(audio: np.ndarray, options: StreamingOptions) -> int:
    """Where hear_in_chunks ends the chunk that starts at audio[0]."""
    max_samples = int(options.max_chunk_s * SAMPLE_RATE)
    if audio.shape[0] <= max_samples:
        return int(audio.shape[0])
    return find_cut(audio, options) or max_samples


def hear_in_chunks(
    transcriber: Decoder,
    audio: np.ndarray,
    prompt_for: Callable[[list[Word]], str],
    *,
    offset_frames: int = 0,
    options: StreamingOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Heard:
    """Whole audio, cut at pauses into windows Whisper handles well, each prompted with the text so far
    and checked for wordless speech (`hear_chunk`).

    Long-form decoding of one long file dropped whole windows here (WER 0.44 on 2.6 minutes of
    joined clips, against 0.07 clip by clip); cutting at pauses keeps it at the clip-level rate.
    """
    options = options or StreamingOptions()
    heard = Heard()
    done = 0
    total = audio.shape[0]
    while total - done > 0:
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled()
        rest = audio[done:]
        cut = batch_cut(rest, options)
        heard.extend(
            hear_chunk(
                transcriber,
                rest[:cut],
                prompt_for(heard.words),
                offset_s=(offset_frames + done) / SAMPLE_RATE,
                cancel=cancel,
            )
        )
        done += cut
        if progress is not None:
            progress(min(1.0, done / total))
    return heard
