"""Record from a microphone straight to disk, so a crash or a full disk loses at most a second.

The PortAudio callback only copies each block into a queue. A writer thread converts it to
16 kHz mono, appends it to a raw part file (flushed and fsynced at least every second),
updates the level meter and hands the block to listeners (live transcription). A small JSON
journal beside the part file says what it is, so the next start can recover it after a crash.
"""

from __future__ import annotations

import enum
import errno
import json
import os
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO, Callable

import numpy as np

from app.core.audio.devices import InputDevice, _sounddevice, resolve_input_device
from app.core.audio.errors import AudioDeviceError
from app.core.audio.files import SAMPLE_RATE
from app.core.audio.level import Level, LevelMeter

FLUSH_INTERVAL_S = 0.5
BLOCK_SECONDS = 0.05
JOURNAL_SUFFIX = ".json"
PART_SUFFIX = ".pcm"


class StopReason(str, enum.Enum):
    USER = "user"
    LIMIT = "limit"
    DEVICE_LOST = "device-lost"
    DISK_FULL = "disk-full"
    WRITE_FAILED = "write-failed"
    CANCELLED = "cancelled"


@dataclass
class RecordingResult:
    """What a finished recording left on disk; the part file holds every sample written."""

    part_path: Path
    journal_path: Path
    frames: int
    reason: StopReason
    error: str | None = None
    overflows: int = 0
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def duration_s(self) -> float:
        return self.frames / SAMPLE_RATE


def write_journal(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
        fh.flush()
        os.fsync(fh.fileno())
    if os.name == "posix":
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)


class Recorder:
    """One recording from one input device. Use start(), then stop() or cancel().

    `sd` is the sounddevice module (injectable so a test can feed blocks without PortAudio).
    `on_finished` is called from the writer thread when the recording ends by itself
    (time limit reached, device lost, disk full), so a GUI can react without polling.
    """

    def __init__(
        self,
        incoming_dir: Path,
        *,
        device: int | str | None = None,
        max_seconds: float | None = None,
        context: dict[str, Any] | None = None,
        sd: Any | None = None,
        on_finished: Callable[[RecordingResult], None] | None = None,
    ) -> None:
        self.incoming_dir = Path(incoming_dir)
        self.device_ref = device
        self.max_frames = int(max_seconds * SAMPLE_RATE) if max_seconds else None
        self.context = dict(context or {})
        self._sd = sd
        self.on_finished = on_finished
        self._listeners: list[Callable[[np.ndarray], None]] = []
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._stream: Any = None
        self._writer: threading.Thread | None = None
        self._stop_reason: StopReason | None = None
        self._error: str | None = None
        self._frames = 0
        self._overflows = 0
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._result: RecordingResult | None = None
        self.device: InputDevice | None = None
        self.meter = LevelMeter(SAMPLE_RATE)
        self.recording_id = uuid.uuid4().hex
        self.part_path = self.incoming_dir / f"{self.recording_id}{PART_SUFFIX}"
        self.journal_path = self.incoming_dir / f"{self.recording_id}{JOURNAL_SUFFIX}"
        self.started_at = datetime.now(timezone.utc)

    # -- public ------------------------------------------------------------------------------
    def add_listener(self, listener: Callable[[np.ndarray], None]) -> None:
        """Receives each new 16 kHz float32 block on the writer thread; must be quick."""
        self._listeners.append(listener)

    @property
    def frames(self) -> int:
        return self._frames

    @property
    def seconds(self) -> float:
        return self._frames / SAMPLE_RATE

    @property
    def level(self) -> Level:
        return self.meter.level

    @property
    def running(self) -> bool:
        return self._writer is not None and not self._finished.is_set()

    def start(self) -> None:
        sd = _sounddevice(self._sd)
        self.device = resolve_input_device(self.device_ref, sd)
        self.incoming_dir.mkdir(parents=True, exist_ok=True)
        samplerate = self._open_stream(sd)
        write_journal(
            self.journal_path,
            {
                "id": self.recording_id,
                "format": "s16le",
                "samplerate": SAMPLE_RATE,
                "channels": 1,
                "started_at": self.started_at.isoformat(),
                "device": self.device.name,
                "context": self.context,
            },
        )
        self._part = self._open_part()
        self._resampler = None
        if samplerate != SAMPLE_RATE:
            import soxr

            self._resampler = soxr.ResampleStream(samplerate, SAMPLE_RATE, 1, dtype="float32")
        self._writer = threading.Thread(target=self._write_loop, name="rehearse-audio-writer", daemon=True)
        self._writer.start()
        self._stream.start()

    def stop(self, reason: StopReason = StopReason.USER) -> RecordingResult:
        """Stop and wait until every captured block is on disk."""
        if self._writer is None:
            raise RuntimeError("the recording was never started")
        with self._lock:
            if self._stop_reason is None:
                self._stop_reason = reason
        self._close_stream()
        self._queue.put(None)
        if self._writer is not None:
            self._writer.join(timeout=10)
        self._finished.wait(timeout=10)
        assert self._result is not None, "recording writer did not finish"
        return self._result

    def _open_part(self) -> BinaryIO:
        part = open(self.part_path, "ab", buffering=0)
        if os.name == "posix":
            os.chmod(self.part_path, 0o600)
        return part

    def cancel(self) -> None:
        """Stop and delete what was recorded (the person pressed Esc)."""
        result = self.stop(StopReason.CANCELLED)
        for path in (result.part_path, result.journal_path):
            path.unlink(missing_ok=True)

    # -- PortAudio side ---------------------------------------------------------------------
    def _open_stream(self, sd: Any) -> int:
        assert self.device is not None
        attempts = [SAMPLE_RATE]
        if int(self.device.default_samplerate) != SAMPLE_RATE:
            attempts.append(int(self.device.default_samplerate))
        last_error: Exception | None = None
        for samplerate in attempts:
            try:
                self._stream = sd.InputStream(
                    samplerate=samplerate,
                    device=self.device.index,
                    channels=1,
                    dtype="int16",
                    blocksize=int(samplerate * BLOCK_SECONDS),
                    callback=self._callback,
                    finished_callback=self._stream_finished,
                )
                self._device_rate = samplerate
                return samplerate
            except Exception as exc:  # PortAudioError, ValueError for bad settings
                last_error = exc
        raise AudioDeviceError(f"Could not open the microphone '{self.device.name}': {last_error}")

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        if status and getattr(status, "input_overflow", False):
            self._overflows += 1
        self._queue.put(indata[:, 0].copy())

    def _stream_finished(self) -> None:
        with self._lock:
            if self._stop_reason is None:
                self._stop_reason = StopReason.DEVICE_LOST
                self._error = "The microphone stopped delivering audio (was it unplugged?). What was recorded is kept."
        self._queue.put(None)

    def _close_stream(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
        except Exception:  # a device that vanished may fail to stop; closing still releases it
            pass
        try:
            stream.close()
        except Exception:
            pass

    # -- writer thread ------------------------------------------------------------------------
    def _write_loop(self) -> None:
        last_sync = time.monotonic()
        try:
            while True:
                try:
                    block = self._queue.get(timeout=FLUSH_INTERVAL_S)
                except queue.Empty:
                    last_sync = self._sync(last_sync, force=True)
                    continue
                if block is None:  # stop() or the stream ended: write what is queued, then finish
                    self._drain_remaining()
                    break
                if not self._write_block(block):
                    break
                last_sync = self._sync(last_sync)
        finally:
            self._finish()

    def _drain_remaining(self) -> None:
        while True:
            try:
                block = self._queue.get_nowait()
            except queue.Empty:
                return
            if block is not None and not self._write_block(block):
                return

    def _write_block(self, raw: np.ndarray) -> bool:
        block = raw.astype(np.float32) / 32768.0
        if self._resampler is not None:
            block = self._resampler.resample_chunk(block)
        if self.max_frames is not None:
            room = self.max_frames - self._frames
            if room <= 0:
                self._request_stop(StopReason.LIMIT)
                return False
            block = block[:room]
        if block.size == 0:
            return True
        pcm = raw[: block.size] if self._resampler is None else (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
        try:
            self._part.write(pcm.tobytes())
        except OSError as exc:
            disk_full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            self._request_stop(
                StopReason.DISK_FULL if disk_full else StopReason.WRITE_FAILED,
                "The disk is full: recording stopped. Everything recorded up to now is kept."
                if disk_full
                else f"Could not write the recording ({exc.strerror or exc}); what was written is kept.",
            )
            return False
        self._frames += pcm.size
        self.meter.feed(block)
        for listener in self._listeners:
            try:
                listener(block)
            except Exception:  # a listener bug must never cost the recording
                pass
        if self.max_frames is not None and self._frames >= self.max_frames:
            self._request_stop(StopReason.LIMIT)
            return False
        return True

    def _sync(self, last_sync: float, force: bool = False) -> float:
        now = time.monotonic()
        if force or now - last_sync >= FLUSH_INTERVAL_S:
            try:
                os.fsync(self._part.fileno())
            except OSError:
                pass
            return now
        return last_sync

    def _request_stop(self, reason: StopReason, error: str | None = None) -> None:
        """Record why the recording ends; a write failure outranks a stop already asked for."""
        with self._lock:
            failure = reason in (StopReason.DISK_FULL, StopReason.WRITE_FAILED)
            if self._stop_reason is None or (failure and self._stop_reason is not StopReason.CANCELLED):
                self._stop_reason = reason
                self._error = error

    def _finish(self) -> None:
        self._close_stream_from_writer()
        try:
            os.fsync(self._part.fileno())
        except OSError:
            pass
        self._part.close()
        self._result = RecordingResult(
            part_path=self.part_path,
            journal_path=self.journal_path,
            frames=self._frames,
            reason=self._stop_reason or StopReason.USER,
            error=self._error,
            overflows=self._overflows,
            started_at=self.started_at,
        )
        self._finished.set()
        if self.on_finished and (self._stop_reason not in (StopReason.USER, StopReason.CANCELLED) or self._error):
            self.on_finished(self._result)

    def _close_stream_from_writer(self) -> None:
        # Stopping the PortAudio stream from inside its own finished callback would deadlock;
        # the writer thread is never that thread, so it can close the stream when it stops itself.
        if self._stop_reason not in (StopReason.USER, StopReason.CANCELLED):
            self._close_stream()
