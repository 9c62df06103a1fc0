"""The save path's failures are told apart and never silent: audio the device dropped, a FLAC that
cannot be written, a save cancelled at shutdown. The edges a test cannot reach with a real device
(a capture clock that jumps, a full disk) are faked; everything else is real.
"""

from __future__ import annotations

import errno
import logging
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile

from app.core.audio.pending import find_unfinished, start_pending
from app.core.audio.recorder import Recorder
from app.core.packs import load_pack
from app.core.paths import DataDir
from app.core.transcribe import TranscriptionCancelled
from app.services.attempts import SavedAttempt, save_recording_as_attempt
from app.services.workspace import Workspace
from tests.core.test_recorder import _fake_sounddevice, _VanishingStream

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"


class _ClockJumpStream(_VanishingStream):
    """A device whose capture clock jumps 0.4 s after the fifth block: audio lost to an overflow."""

    def __init__(self, callback, finished_callback, blocksize, samplerate, **_: object) -> None:
        super().__init__(callback, finished_callback, blocksize)
        self.rate = samplerate

    def _run(self) -> None:
        adc = 100.0
        for index in range(10):
            if index == 5:
                adc += 0.4
            status = SimpleNamespace(input_overflow=index == 5)
            self.callback(
                np.full((self.blocksize, 1), 500, dtype=np.int16),
                self.blocksize,
                SimpleNamespace(inputBufferAdcTime=adc),
                status,
            )
            adc += self.blocksize / self.rate
        self.finished()


def test_audio_lost_to_an_overflow_is_measured_and_told(tmp_path: Path) -> None:
    sd = _fake_sounddevice()
    sd.InputStream = _ClockJumpStream
    done = threading.Event()
    recorder = Recorder(tmp_path, sd=sd, on_finished=lambda _r: done.set())
    recorder.start()
    assert done.wait(10)
    result = recorder.stop()
    assert result.overflows == 1 and result.lost_s == pytest.approx(0.4, abs=0.01)
    result.pending.done()
    notice = SavedAttempt(1, None, tmp_path / "a.flac", lost_s=result.lost_s).notice
    assert notice is not None and notice.startswith("0.4 s of audio was lost while recording")
    assert SavedAttempt(1, None, tmp_path / "a.flac").notice is None


def _pending_answer(data_dir: DataDir, spoken) -> tuple:
    pack = load_pack(DEMO)
    samples, _ = soundfile.read(str(spoken("SHAP uses Shapley values from game theory.")), dtype="int16")
    pending = start_pending(data_dir.incoming, "answer", {"pack_id": "demo", "question_id": "shap-and-lime"})
    pending.part_path.write_bytes(samples.astype("<i2").tobytes())
    return pack, pack.question("shap-and-lime"), pending


def test_a_flac_that_cannot_be_written_keeps_the_raw_audio_and_says_where(
    data_dir: DataDir, spoken, transcriber, scorer, monkeypatch, caplog
) -> None:
    workspace = Workspace(data_dir, transcriber=transcriber, scorer=scorer)
    pack, question, pending = _pending_answer(data_dir, spoken)

    def full_disk(_part: Path, _dest: Path) -> float:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.core.audio.pending.pcm_to_recording", full_disk)
    with caplog.at_level(logging.ERROR), pytest.raises(OSError) as failure:
        save_recording_as_attempt(workspace, pack, question, pending)
    assert "No space left on device" in str(failure.value) and str(pending.part_path) in str(failure.value)
    assert "offered for recovery" in str(failure.value)
    assert any("could not be finalised" in r.message and r.exc_info for r in caplog.records)
    monkeypatch.undo()
    [orphan] = find_unfinished(data_dir.incoming)  # released: the next start (or this one) recovers it
    assert orphan.part_path == pending.part_path and orphan.part_path.exists()
    assert workspace.history.count_attempts() == 0
    workspace.close()


def test_a_save_cancelled_at_shutdown_is_left_for_recovery_not_saved_untranscribed(
    data_dir: DataDir, spoken, transcriber, scorer
) -> None:
    workspace = Workspace(data_dir, transcriber=transcriber, scorer=scorer)
    pack, question, pending = _pending_answer(data_dir, spoken)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(TranscriptionCancelled):
        save_recording_as_attempt(workspace, pack, question, pending, cancel=cancel)
    assert workspace.history.count_attempts() == 0
    [orphan] = find_unfinished(data_dir.incoming)
    assert orphan.finalised and orphan.audio_path.exists()
    workspace.close()


def test_a_model_failure_is_logged_and_the_answer_saved_untranscribed(
    data_dir: DataDir, spoken, scorer, caplog
) -> None:
    class BrokenModel:
        info = SimpleNamespace(name="broken")

        def transcribe(self, *_a, **_k):
            raise RuntimeError("the model fell over")

    workspace = Workspace(data_dir, transcriber=BrokenModel(), scorer=scorer)
    pack, question, pending = _pending_answer(data_dir, spoken)
    with caplog.at_level(logging.ERROR):
        saved = save_recording_as_attempt(workspace, pack, question, pending)
    assert saved.error is not None and "the model fell over" in saved.error
    assert any("could not be transcribed" in r.message and r.exc_info for r in caplog.records)
    [attempt] = workspace.history.list_attempts()
    assert attempt.status == "untranscribed" and attempt.has_audio
    assert list(data_dir.incoming.iterdir()) == []
    workspace.close()
