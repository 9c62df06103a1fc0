"""Local speech-to-text with faster-whisper, steered by the question and the pack's glossary."""

from app.core.transcribe.decoding import TranscriptionCancelled
from app.core.transcribe.glossary import GlossaryCorrector
from app.core.transcribe.models import ModelInfo, ModelLoadError, load_whisper, resolve_model
from app.core.transcribe.prompt import build_initial_prompt
from app.core.transcribe.transcriber import Transcriber
from app.core.transcribe.transcript import Correction, Transcript, Word

__all__ = [
    "Correction",
    "GlossaryCorrector",
    "ModelInfo",
    "ModelLoadError",
    "Transcriber",
    "TranscriptionCancelled",
    "Transcript",
    "Word",
    "build_initial_prompt",
    "load_whisper",
    "resolve_model",
]
