"""The speech model loads on the pool after the window shows; the status bar says when it is ready.

Its own module (not application.py, the composition root) so that the window and the review pages
can start a load or settle the heap without importing the module that builds them.
"""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from app.gui import dialogs

if TYPE_CHECKING:
    from app.core.transcribe.models import ModelInfo
    from app.gui.workers import JobRunner
    from app.services.workspace import Workspace

log = logging.getLogger(__name__)


class _WarmsUp(Protocol):
    def warm_up(self) -> None: ...


class ModelHost(Protocol):
    """What a load reports to (MainWindow). A protocol, not an import of main_window, which
    imports this module."""

    workspace: Workspace
    runner: JobRunner

    @property
    def modelReady(self) -> SignalInstance: ...  # noqa: N802  (the Qt signal's name)

    @property
    def review(self) -> _WarmsUp: ...

    def show_model(self, info: ModelInfo) -> None: ...

    def set_model_status(self, text: str, error: bool = False) -> None: ...


def load_model_in_background(window: ModelHost) -> None:
    """Load Whisper and the key-point model on the pool; report in the status bar.

    Only the latest load reports (key "model-load"): when the model is chosen again while an
    earlier choice is still loading, the earlier result (a fallback from a broken folder, say) must
    not overwrite the status of the model now in use. The status names the transcriber this load
    produced, not whatever `workspace.model_info` holds when the result arrives.
    """
    workspace = window.workspace
    parent = window if isinstance(window, QWidget) else None  # the message boxes' parent

    def done(info: ModelInfo) -> None:
        window.show_model(info)
        if info.fallback_reason:
            dialogs.warn(parent, "Speech model", info.fallback_reason)
        settle_heap()
        window.modelReady.emit(info.name)
        window.review.warm_up()

    def failed(message: str) -> None:
        window.set_model_status("Speech model failed to load", error=True)
        dialogs.error(
            parent,
            "Speech model",
            f"The speech model could not be loaded: {message}\n"
            "Answers are still recorded and saved; they can be transcribed later.",
        )

    # On the shared pool, not the transcription lane: a newer choice must not queue behind an
    # abandoned load (whose result the key drops).
    window.runner.start(workspace.load_models, on_done=done, on_error=failed, key="model-load")


def settle_heap() -> None:
    """Leave what start-up built (modules, Qt wrappers, the models: about 100,000 objects) out of
    Python's full garbage collections from now on. They live as long as the app, and walking them
    made every full collection a 50-60 ms pause of the GUI thread, due every few history loads."""
    gc.freeze()
