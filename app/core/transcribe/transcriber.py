"""Run faster-whisper on an answer: word timestamps, question-aware prompt, glossary fixes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from app.core.audio.files import SAMPLE_RATE
from app.core.transcribe.chunking import hear_in_chunks
from app.core.transcribe.decoding import (  # noqa: F401  (re-exported: the names callers know)
    DecodeOptions,
    ProgressCallback,
    TranscriptionCancelled,
    drop_cut_marks,
    is_hallucination,
    merge_word_pieces,
)
from app.core.transcribe.fidelity import Heard
from app.core.transcribe.glossary import GlossaryCorrector
from app.core.transcribe.models import ModelInfo
from app.core.transcribe.prompt import build_initial_prompt
from app.core.transcribe.transcript import Transcript, Word


class Transcriber:
    """Wraps a loaded WhisperModel. One call at a time: CTranslate2 already uses every core given."""

    def __init__(self, model: Any, info: ModelInfo, options: DecodeOptions | None = None) -> None:
        self.model = model
        self.info = info
        self.options = options or DecodeOptions()
        self.lock = threading.Lock()

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
        with self.lock:
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
        return self.assemble(
            heard.words, audio.shape[0] / SAMPLE_RATE, glossary, prompt_for([]), heard.language, heard=heard
        )

    def warm_up(self) -> None:
        """Run the model and the VAD once on a second of noise, so the first real answer is not slower."""
        from faster_whisper.vad import get_vad_model

        get_vad_model()
        noise = np.random.default_rng(0).normal(0, 0.01, SAMPLE_RATE).astype(np.float32)
        self.raw_words(noise, "")

    def assemble(
        self,
        raw: list[Word],
        duration_s: float,
        glossary: Sequence[str],
        prompt: str,
        language: str = "en",
        heard: Heard | None = None,
    ) -> Transcript:
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
