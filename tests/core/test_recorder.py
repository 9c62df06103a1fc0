"""Recording through real PortAudio (ALSA `fakemic` fed from a file), straight to disk.

The fake device is not paced: seconds of audio arrive in milliseconds, so limits are checked
by counting samples, never wall time.
"""

from __future__ import annotations

import errno
import json
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile

from app.core.audio import NoInputDeviceError
from app.core.audio.devices import list_input_devices, resolve_input_device
from app.core.audio.pending import PendingRecording, discard, find_unfinished
from app.core.audio.recorder import Recorder, StopReason


def record_until_stopped(recorder: Recorder, timeout: float = 20.0):
    done = threading.Event()
    recorder.on_finished = lambda result: done.set()
    recorder.start()
    assert done.wait(timeout), "recording never reached its limit"
    return recorder.stop()


def test_portaudio_lists_the_fake_microphone() -> None:
    names = [d.name for d in list_input_devices()]
    assert "fakemic" in names
    assert resolve_input_device("fakemic").name == "fakemic"
    with pytest.raises(NoInputDeviceError, match="'no-such-mic' is not available"):
        resolve_input_device("no-such-mic")


def test_recording_writes_exactly_the_samples_the_device_delivered(tmp_path: Path, fake_mic, spoken) -> None:
    wav = spoken("Recording check, one two three.")
    fake_mic.load(wav)
    expected, _ = soundfile.read(str(wav), dtype="int16")
    recorder = Recorder(
        tmp_path / "incoming",
        device=fake_mic.device,
        max_seconds=len(expected) / 16000 + 1.0,
        context={"question_id": "q1"},
    )
    result = record_until_stopped(recorder)
    assert result.reason is StopReason.LIMIT
    assert result.frames == len(expected) + 16000
    journal = json.loads(result.journal_path.read_text())
    assert journal["samplerate"] == 16000 and journal["context"] == {"question_id": "q1"}
    dest, seconds = result.pending.finalise()
    assert seconds == pytest.approx(result.frames / 16000)
    assert json.loads(result.journal_path.read_text())["audio"] == dest.relative_to(tmp_path).as_posix()
    got, rate = soundfile.read(str(dest), dtype="int16")
    assert rate == 16000
    assert np.array_equal(got[: len(expected)], expected)
    assert np.abs(got[len(expected) :]).max() <= 1  # the device's silence after the file
    assert (
        not result.part_path.exists() and result.journal_path.exists()
    )  # the journal stays until the attempt is stored
    result.pending.done()
    assert sorted(p.name for p in (tmp_path / "incoming").iterdir()) == []
    assert recorder.level.peak_db > -60


def test_cancel_removes_everything(tmp_path: Path, fake_mic, spoken) -> None:
    fake_mic.load(spoken("Cancel me."))
    recorder = Recorder(tmp_path, device=fake_mic.device, max_seconds=60)
    recorder.start()
    recorder.cancel()
    assert list(tmp_path.iterdir()) == []


def test_an_unfinished_recording_is_found_and_recovered(tmp_path: Path, fake_mic, spoken) -> None:
    fake_mic.load(spoken("This recording is interrupted."))
    recorder = Recorder(tmp_path / "incoming", device=fake_mic.device, max_seconds=3, context={"pack_id": "demo"})
    result = record_until_stopped(recorder)
    # This process still owns it (the save path would finish it): it is not an orphan.
    assert find_unfinished(tmp_path / "incoming") == []
    assert not discard(PendingRecording(result.journal_path, {}))
    assert result.part_path.exists()
    result.pending.release()  # what a crash does: the lock goes with the process
    found = find_unfinished(tmp_path / "incoming")
    assert [u.part_path for u in found] == [result.part_path]
    assert found[0].duration_s == pytest.approx(3.0) and found[0].context == {"pack_id": "demo"}
    assert found[0].started_at is not None
    assert found[0].take()
    assert found[0].finalise()[1] == pytest.approx(3.0)
    found[0].release()  # crashed again, after the FLAC was written: still found, now by its FLAC
    [again] = find_unfinished(tmp_path / "incoming")
    assert again.finalised and again.duration_s == pytest.approx(3.0)
    assert again.take()
    again.done()
    assert find_unfinished(tmp_path / "incoming") == []


def test_discard_and_orphans(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")  # journal without audio: dropped
    (tmp_path / "b.pcm").write_bytes(b"\x00\x01" * 1600)  # audio without journal: still offered
    found = find_unfinished(tmp_path)
    assert [u.part_path.name for u in found] == ["b.pcm"] and found[0].duration_s == pytest.approx(0.1)
    assert not (tmp_path / "a.json").exists()
    assert discard(found[0])
    assert list(tmp_path.iterdir()) == []


# -- the edges a test cannot reach with a real device: a vanishing device and a full disk -------


class _VanishingStream:
    """Stands in for a PortAudio stream whose device is unplugged after a few blocks."""

    def __init__(self, callback, finished_callback, blocksize, **_: object) -> None:
        self.callback, self.finished, self.blocksize = callback, finished_callback, blocksize
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        for _ in range(10):
            self.callback(np.full((self.blocksize, 1), 1000, dtype=np.int16), self.blocksize, None, None)
        self.finished()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.join()

    def close(self) -> None:
        pass


def _fake_sounddevice() -> SimpleNamespace:
    return SimpleNamespace(
        query_devices=lambda: [
            {"name": "USB mic", "max_input_channels": 1, "hostapi": 0, "default_samplerate": 16000.0}
        ],
        query_hostapis=lambda: [{"name": "ALSA"}],
        default=SimpleNamespace(device=(0, 0)),
        InputStream=_VanishingStream,
    )


def test_a_device_that_disappears_keeps_what_was_recorded(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, sd=_fake_sounddevice())
    result = record_until_stopped(recorder)
    assert result.reason is StopReason.DEVICE_LOST
    assert "unplugged" in result.error
    assert result.frames == 10 * 800
    assert result.part_path.stat().st_size == 10 * 800 * 2


def test_a_full_disk_stops_the_recording_and_keeps_what_was_written(tmp_path: Path) -> None:
    class FullDiskRecorder(Recorder):
        """The part file accepts three blocks, then the disk is full."""

        def _open_part(self):
            real = super()._open_part()
            writes = []

            class Part:
                def write(self, data: bytes) -> int:
                    if len(writes) >= 3:
                        raise OSError(errno.ENOSPC, "No space left on device")
                    writes.append(data)
                    return real.write(data)

                def __getattr__(self, name: str):
                    return getattr(real, name)

            return Part()

    result = record_until_stopped(FullDiskRecorder(tmp_path, sd=_fake_sounddevice()))
    assert result.reason is StopReason.DISK_FULL
    assert "disk is full" in result.error
    assert result.frames == 3 * 800
    assert result.part_path.stat().st_size == 3 * 800 * 2


def test_no_microphone_is_a_clear_error(tmp_path: Path) -> None:
    sd = _fake_sounddevice()
    sd.query_devices = lambda: [
        {"name": "Speakers", "max_input_channels": 0, "hostapi": 0, "default_samplerate": 48000.0}
    ]
    with pytest.raises(NoInputDeviceError, match="No microphone was found"):
        Recorder(tmp_path, sd=sd).start()
