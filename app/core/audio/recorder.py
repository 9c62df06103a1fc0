"""Record from a microphone straight to disk, so a crash or a full disk loses at most a second.

The PortAudio callback only copies each block into a queue. A writer thread converts it to
16 kHz mono, appends it to a raw part file (flushed and fsynced at least every second),
updates the level meter and hands the block to listeners (live transcription). A small JSON
journal beside the part file says what it is, so the next start can recover it after a crash.
"""

from __future__ import annotations

import enum
import errno
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from app.core.audio.devices import InputDevice, _sounddevice, resolve_input_device
from app.core.audio.errors import AudioDeviceError
from app.core.audio.files import SAMPLE_RATE
from app.core.audio.level import Level, LevelMeter
from app.core.audio.pending import PendingRecording, start_pending

FLUSH_INTERVAL_S = 0.5
BLOCK_SECONDS = 0.05

log = logging.getLogger(__name__)


class StopReason(str, enum.Enum):
    USER = "user"
    LIMIT = "limit"
    DEVICE_LOST = "device-lost"
    DISK_FULL = "disk-full"
    WRITE_FAILED = "write-failed"
    CANCELLED = "cancelled"


@dataclass
class RecordingResult:
    """What a finished recording left on disk; the part file holds every sample written.

    `pending` is still owned by this process: the save path finishes it (or a cancel drops it).
    """

    pending: PendingRecording
    frames: int
    reason: StopReason
    error: str | None = None
    overflows: int = 0
    lost_s: float = 0.0  # audio the device dropped (input overflow) before it reached us
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def part_path(self) -> Path:
        return self.pending.part_path

    @property
    def journal_path(self) -> Path:
        return self.pending.journal_path

    @property
    def duration_s(self) -> float:
        return self.frames / SAMPLE_RATE


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
        self._lost_s = 0.0
        self._next_adc_time: float | None = None
        self._sync_failed = False
        self._failed_listeners: set[int] = set()
        self.pending: PendingRecording | None = None
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._result: RecordingResult | None = None
        self.device: InputDevice | None = None
        self.meter = LevelMeter(SAMPLE_RATE)
        self.recording_id = uuid.uuid4().hex
        self.started_at = datetime.now(UTC)

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
        try:
            # The lock is taken before the journal exists: no other process ever sees this answer unowned.
            self.pending = start_pending(
                self.incoming_dir, self.recording_id, self.context, self.started_at, device=self.device.name
            )
            self._part = self._open_part()
        except BaseException:
            self._close_stream()
            if self.pending is not None:
                self.pending.done()
            raise
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
        assert self.pending is not None
        fd = os.open(self.pending.part_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "ab", buffering=0)

    def cancel(self) -> None:
        """Stop and delete what was recorded (the person pressed Esc)."""
        result = self.stop(StopReason.CANCELLED)
        result.pending.done()

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
        overflow = bool(status and getattr(status, "input_overflow", False))
        if overflow:
            self._overflows += 1
        self._count_lost(frames, getattr(time_info, "inputBufferAdcTime", 0.0) or 0.0, overflow)
        self._queue.put(indata[:, 0].copy())

    def _count_lost(self, frames: int, adc_time: float, overflow: bool) -> None:
        """Audio dropped before it reached us shows as a jump in the device's capture clock; a
        device without that clock reports only the overflow, taken as one block lost."""
        if adc_time:
            if self._next_adc_time is not None and adc_time - self._next_adc_time > 2 * BLOCK_SECONDS:
                self._lost_s += adc_time - self._next_adc_time  # a clock's jitter is far below two blocks
            self._next_adc_time = adc_time + frames / self._device_rate
        elif overflow:
            self._lost_s += BLOCK_SECONDS

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
            log.warning("the input stream did not stop cleanly", exc_info=True)
        try:
            stream.close()
        except Exception:
            log.warning("the input stream did not close cleanly", exc_info=True)

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
            log.error("recording %s: write failed: %s", self.recording_id, exc)
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
            except Exception:  # a listener bug must never cost the recording; say so once
                if id(listener) not in self._failed_listeners:
                    self._failed_listeners.add(id(listener))
                    log.exception("recording %s: a listener of the audio failed", self.recording_id)
        if self.max_frames is not None and self._frames >= self.max_frames:
            self._request_stop(StopReason.LIMIT)
            return False
        return True

    def _sync(self, last_sync: float, force: bool = False) -> float:
        now = time.monotonic()
        if force or now - last_sync >= FLUSH_INTERVAL_S:
            self._fsync_part()
            return now
        return last_sync

    def _fsync_part(self) -> None:
        try:
            os.fsync(self._part.fileno())
        except OSError:
            if not self._sync_failed:  # the data is still written; only its durability is in doubt
                self._sync_failed = True
                log.warning("recording %s: fsync of the part file failed", self.recording_id, exc_info=True)

    def _request_stop(self, reason: StopReason, error: str | None = None) -> None:
        """Record why the recording ends; a write failure outranks a stop already asked for."""
        with self._lock:
            failure = reason in (StopReason.DISK_FULL, StopReason.WRITE_FAILED)
            if self._stop_reason is None or (failure and self._stop_reason is not StopReason.CANCELLED):
                self._stop_reason = reason
                self._error = error

    def _finish(self) -> None:
        self._close_stream_from_writer()
        self._fsync_part()
        self._part.close()
        assert self.pending is not None
        self._result = RecordingResult(
            pending=self.pending,
            frames=self._frames,
            reason=self._stop_reason or StopReason.USER,
            error=self._error,
            overflows=self._overflows,
            lost_s=round(self._lost_s, 2),
            started_at=self.started_at,
        )
        if self._overflows or self._lost_s:
            log.warning(
                "recording %s: %d input overflows, %.2f s of audio lost",
                self.recording_id,
                self._overflows,
                self._lost_s,
            )
        self._finished.set()
        if self.on_finished and (self._stop_reason not in (StopReason.USER, StopReason.CANCELLED) or self._error):
            self.on_finished(self._result)

    def _close_stream_from_writer(self) -> None:
        # Stopping the PortAudio stream from inside its own finished callback would deadlock;
        # the writer thread is never that thread, so it can close the stream when it stops itself.
        if self._stop_reason not in (StopReason.USER, StopReason.CANCELLED):
            self._close_stream()
