"""The composition root of the core: one data folder, its packs, history, model and scorer.

Each part is built on first use, so `rehearse packs` never loads Whisper and the GUI can show
its window while the model loads in the background.
"""

from __future__ import annotations

import threading
from pathlib import Path

from app.core.packs import PackLibrary
from app.core.paths import DataDir, builtin_packs_dir
from app.core.scoring.keypoints import EmbeddingScorer, KeyPointScorer
from app.core.transcribe.models import ModelInfo, load_whisper
from app.core.transcribe.transcriber import DecodeOptions, Transcriber


class Workspace:
    def __init__(self, data_dir: DataDir | Path | None = None, model_setting: str | None = None, cpu_threads: int = 0) -> None:
        self.data_dir = data_dir if isinstance(data_dir, DataDir) else DataDir(data_dir)
        self.model_setting = model_setting
        self.cpu_threads = cpu_threads
        self.library = PackLibrary(builtin_packs_dir(), self.data_dir.packs)
        self._history = None
        self._transcriber: Transcriber | None = None
        self._scorer: KeyPointScorer | None = None
        self._lock = threading.Lock()

    @property
    def history(self):  # type: ignore[no-untyped-def]  # -> History; imported late to keep `packs` fast
        with self._lock:
            if self._history is None:
                from app.db.history import History

                self._history = History.open(self.data_dir)
            return self._history

    def transcriber(self) -> Transcriber:
        """Load the configured model once (falls back to the embedded one, see ModelInfo.fallback_reason)."""
        with self._lock:
            if self._transcriber is None:
                model, info = load_whisper(self.model_setting, self.data_dir.models, self.cpu_threads)
                self._transcriber = Transcriber(model, info, DecodeOptions())
            return self._transcriber

    def set_model(self, setting: str | None) -> None:
        """Use another model from the next transcription on (loaded on first use)."""
        with self._lock:
            self.model_setting = setting
            self._transcriber = None

    @property
    def model_info(self) -> ModelInfo | None:
        return self._transcriber.info if self._transcriber else None

    def scorer(self) -> KeyPointScorer:
        with self._lock:
            if self._scorer is None:
                scorer = EmbeddingScorer()
                scorer.embedder.load()
                self._scorer = scorer
            return self._scorer

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
