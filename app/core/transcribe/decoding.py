"""What every decoding step shares: Whisper's word pieces joined, cut marks and hallucinated
segments dropped, cancellation, and the narrow `Decoder` interface the chunking and repair steps
need (so they do not depend on the `Transcriber` that uses them)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from app.core.transcribe.models import ModelInfo
from app.core.transcribe.transcript import Word

ProgressCallback = Callable[[float], None]


class TranscriptionCancelled(Exception):
    pass


@dataclass(frozen=True)
class DecodeOptions:
    beam_size: int = 5
    vad_filter: bool = True
    language: str | None = "en"  # for multilingual models; None lets Whisper detect it


def merge_word_pieces(words: Iterable[Any]) -> list[Word]:
    """faster-whisper splits "t-SNE" into " t" + "-SNE"; a piece without a leading space joins the word before."""
    merged: list[Word] = []
    for w in words:
        text = w.word
        if merged and text and not text[0].isspace():
            last = merged[-1]
            merged[-1] = Word(
                last.text + text.strip(), last.start, float(w.end), min(last.probability, float(w.probability))
            )
        elif text.strip():
            merged.append(Word(text.strip(), float(w.start), float(w.end), float(w.probability)))
    return merged


ELLIPSES = ("...", "…")


def drop_cut_marks(words: list[Word]) -> list[Word]:
    """Whisper marks a segment that starts or ends mid-sentence with an ellipsis ("because explanation..."
    then "...expose"), where a chunk or segment was cut, not where the person trailed off; joined
    into one transcript these show as odd ellipses inside it. The first word's leading and the last
    word's trailing ellipsis of a segment are dropped (a word that was nothing else goes with it).
    """
    out = list(words)
    if out:
        first = out[0]
        text = first.text
        while text.startswith(ELLIPSES):
            text = text[3:] if text.startswith("...") else text[1:]
        out[0] = Word(text, first.start, first.end, first.probability)
        last = out[-1]
        text = last.text
        while text.endswith(ELLIPSES):
            text = text[:-3] if text.endswith("...") else text[:-1]
        out[-1] = Word(text, last.start, last.end, last.probability)
    return [w for w in out if w.text.strip()]


def is_hallucination(segment: Any) -> bool:
    """Whisper's "Thank you very much." over the silence at the end of a chunk.

    Seen here on spoken answers: such segments had no_speech_prob 0.73-0.84 and avg_logprob
    -0.75..-0.84, which Whisper's own rule (no_speech > 0.6 *and* logprob < -1.0) lets through;
    real speech segments had no_speech_prob below 0.2.
    """
    return bool(segment.no_speech_prob > 0.6 and segment.avg_logprob < -0.5)


class Decoder(Protocol):
    """A loaded Whisper model run one call at a time (`lock`), as `Transcriber` is."""

    model: Any
    info: ModelInfo
    options: DecodeOptions
    lock: threading.Lock

    def raw_words(
        self,
        audio: np.ndarray,
        prompt: str,
        *,
        offset_s: float = 0.0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        language: str | None = None,
    ) -> tuple[list[Word], str]: ...


def release_free_memory() -> None:
    """Hand the memory a decode freed back to the OS. glibc keeps it otherwise: a long answer creeps up,
    and what runs after a decode (Praat's pitch, the judges) allocates on top of what was kept, so the
    peak of transcribing and scoring an answer rises by as much. A no-op where glibc is not the allocator."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if callable(_malloc_trim):
        _malloc_trim(0)


_malloc_trim: Callable[[int], object] | bool | None = None  # libc's malloc_trim, False where there is none
