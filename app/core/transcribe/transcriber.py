"""Run faster-whisper on an answer: word timestamps, question-aware prompt, glossary fixes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core.audio.files import SAMPLE_RATE
from app.core.transcribe.glossary import GlossaryCorrector
from app.core.transcribe.models import ModelInfo
from app.core.transcribe.prompt import build_initial_prompt
from app.core.transcribe.transcript import Transcript, Word

if TYPE_CHECKING:
    from app.core.transcribe.fidelity import Heard

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
            merged[-1] = Word(last.text + text.strip(), last.start, float(w.end), min(last.probability, float(w.probability)))
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
    return segment.no_speech_prob > 0.6 and segment.avg_logprob < -0.5


class Transcriber:
    """Wraps a loaded WhisperModel. One call at a time: CTranslate2 already uses every core given."""

    def __init__(self, model: Any, info: ModelInfo, options: DecodeOptions | None = None) -> None:
        self.model = model
        self.info = info
        self.options = options or DecodeOptions()
        self._lock = threading.Lock()

    def raw_words(
        self,
        audio: np.ndarray,
        prompt: str,
        *,
        offset_s: float = 0.0,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        language: str | None = None,
    ) -> tuple[list[Word], str]:
        """Timed words as Whisper heard them (no glossary fixes), shifted by `offset_s`; and the language."""
        duration = audio.shape[0] / SAMPLE_RATE
        words: list[Word] = []
        with self._lock:
            segments, info = self.model.transcribe(
                audio,
                language="en" if self.info.name.endswith(".en") else (language or self.options.language),
                beam_size=self.options.beam_size,
                word_timestamps=True,
                initial_prompt=prompt or None,
                vad_filter=self.options.vad_filter,
                condition_on_previous_text=True,
            )
            for segment in segments:
                if cancel is not None and cancel.is_set():
                    raise TranscriptionCancelled()
                if is_hallucination(segment):
                    continue
                words += drop_cut_marks(merge_word_pieces(segment.words or []))
                if progress is not None and duration > 0:
                    progress(min(1.0, segment.end / duration))
        if offset_s:
            words = [Word(w.text, w.start + offset_s, w.end + offset_s, w.probability) for w in words]
        return words, info.language or "en"

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        question_text: str | None = None,
        glossary: Sequence[str] = (),
        reference_answer: str | None = None,
        prompt: str | None = None,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe a whole answer (16 kHz mono float32) with the question-aware prompt and glossary fixes.

        Answers longer than one Whisper window are cut at pauses first (see hear_in_chunks).
        """
        from app.core.transcribe.streaming import hear_in_chunks

        if prompt is None:
            def prompt_for(so_far: list[Word]) -> str:
                context = " ".join(w.text for w in so_far[-60:])
                return build_initial_prompt(question_text, glossary, reference_answer, context=context)
        else:
            fixed = prompt

            def prompt_for(so_far: list[Word]) -> str:
                return fixed

        heard = hear_in_chunks(self, audio, prompt_for, progress=progress, cancel=cancel)
        if progress is not None:
            progress(1.0)
        return self.assemble(heard.words, audio.shape[0] / SAMPLE_RATE, glossary, prompt_for([]), heard.language, heard=heard)

    def warm_up(self) -> None:
        """Run the model and the VAD once on a second of noise, so the first real answer is not slower."""
        from faster_whisper.vad import get_vad_model

        get_vad_model()
        noise = np.random.default_rng(0).normal(0, 0.01, SAMPLE_RATE).astype(np.float32)
        self.raw_words(noise, "")

    def assemble(self, raw: list[Word], duration_s: float, glossary: Sequence[str], prompt: str, language: str = "en",
                 heard: Heard | None = None) -> Transcript:
        """The transcript from raw words: glossary near misses corrected, the raw words kept; `heard`
        brings the speech regions, unclear gaps and repair counts (its words are not used)."""
        words, corrections = GlossaryCorrector(glossary).correct(raw)
        return Transcript(
            words=words,
            raw_words=raw,
            duration_s=duration_s,
            corrections=corrections,
            language=language,
            model=self.info.name,
            prompt=prompt,
            gaps=list(heard.gaps) if heard else [],
            speech=list(heard.speech) if heard else None,
            redecoded=heard.redecoded if heard else 0,
            recovered_words=heard.recovered_words if heard else 0,
            unclear=heard.unclear if heard else 0,
        )
