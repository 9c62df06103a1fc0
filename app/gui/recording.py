"""A recording as the GUI sees it: start and stop off the GUI thread, level and time by signals.

The core Recorder does the work (callback -> queue -> writer thread -> disk). This object polls
its level and sample count every 40 ms for the meter and the clock, and turns the recorder's
own end (limit reached, device lost, disk full) into a signal on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.audio import AudioError
from app.core.audio.recorder import Recorder, RecordingResult, StopReason
from app.gui.workers import AUDIO, JobRunner

POLL_MS = 40


class RecordingSession(QObject):
    started = Signal()
    level = Signal(float, float)  # rms dBFS, peak dBFS
    elapsed = Signal(float)  # seconds of audio captured
    ended = Signal(object)  # RecordingResult, when stopped by the person or by itself
    failed = Signal(str)  # could not start: no microphone, device busy, ...

    def __init__(
        self,
        runner: JobRunner,
        incoming_dir: Path,
        *,
        device: str | None,
        max_seconds: float | None,
        context: dict[str, Any],
        sd: Any | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.recorder = Recorder(
            incoming_dir,
            device=device,
            max_seconds=max_seconds,
            context=context,
            sd=sd,
            on_finished=self._ended_by_itself,
        )
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._self_ended = _SelfEnded()
        self._self_ended.result.connect(self._on_self_ended)
        self.stopping = False
        self.result: RecordingResult | None = None

    def start(self) -> None:
        self.runner.start(self.recorder.start, on_done=self._on_started, on_error=self._on_failed, lane=AUDIO)

    def _on_started(self, _result: object) -> None:
        self._timer.start()
        self.started.emit()

    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    def _poll(self) -> None:
        level = self.recorder.level
        self.level.emit(level.rms_db, level.peak_db)
        self.elapsed.emit(self.recorder.seconds)

    @property
    def seconds(self) -> float:
        return self.recorder.seconds

    def stop(self, reason: StopReason = StopReason.USER) -> None:
        """Ask the recorder to stop; `ended` follows once every sample is on disk."""
        if self.stopping:
            return
        self.stopping = True
        self._timer.stop()
        self.runner.start(self.recorder.stop, reason, on_done=self._on_stopped, on_error=self._on_failed, lane=AUDIO)

    def cancel(self) -> None:
        self.stopping = True
        self._timer.stop()
        self.runner.start(self.recorder.cancel, lane=AUDIO)

    def _on_stopped(self, result: RecordingResult) -> None:
        self.result = result
        self.ended.emit(result)

    # The recorder calls this on its writer thread; a signal carries it to the GUI thread.
    def _ended_by_itself(self, result: RecordingResult) -> None:
        self._self_ended.result.emit(result)

    def _on_self_ended(self, result: RecordingResult) -> None:
        if self.stopping:
            return
        self.stopping = True
        self._timer.stop()
        self._poll()
        self.runner.start(
            self.recorder.stop, result.reason, on_done=self._on_stopped, on_error=self._on_failed, lane=AUDIO
        )


class _SelfEnded(QObject):
    result = Signal(object)


def describe_end(result: RecordingResult) -> str | None:
    """A message for the person when a recording ended other than by their Stop."""
    if result.reason is StopReason.LIMIT:
        return "Time limit reached: recording stopped."
    if result.error:
        return result.error
    return None


__all__ = ["AudioError", "RecordingSession", "describe_end"]
