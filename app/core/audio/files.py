"""Audio files: decode anything a person might hand us, and store recordings as 16 kHz mono FLAC."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile

from app.core.audio.errors import AudioFileError

SAMPLE_RATE = 16_000
MAX_ANSWER_SECONDS = 30 * 60
RECORDING_SUFFIX = ".flac"


def probe_duration(path: Path) -> float | None:
    """The container's idea of the duration, before decoding anything (None if it does not say)."""
    import av

    try:
        with av.open(str(path)) as container:
            if container.duration is not None:
                return container.duration / 1_000_000
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is not None and stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
    except Exception:  # decoding below reports the real problem with a clear message
        return None
    return None


def load_audio(path: str | Path, max_seconds: float = MAX_ANSWER_SECONDS) -> np.ndarray:
    """Decode an audio file to 16 kHz mono float32, or raise AudioFileError saying why not.

    Refuses files longer than `max_seconds` before decoding, so memory stays bounded.
    """
    import av
    from faster_whisper.audio import decode_audio

    path = Path(path)
    if not path.exists():
        raise AudioFileError(f"{path}: no such file")
    if path.is_dir():
        raise AudioFileError(f"{path}: is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioFileError(f"{path}: the file is empty")
    duration = probe_duration(path)
    if duration is not None and duration > max_seconds:
        raise AudioFileError(
            f"{path}: {duration / 60:.0f} minutes long; answers of up to {max_seconds / 60:.0f} minutes are supported"
        )
    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, IndexError, StopIteration, OSError) as exc:
        raise AudioFileError(f"{path}: not an audio file that can be read ({type(exc).__name__}: {exc})") from None
    if audio.size > max_seconds * SAMPLE_RATE:
        raise AudioFileError(f"{path}: longer than the {max_seconds / 60:.0f} minutes supported for an answer")
    if audio.size == 0:
        raise AudioFileError(f"{path}: contains no audio samples")
    return np.asarray(audio, dtype=np.float32)


def recording_seconds(path: Path) -> float:
    """A stored recording's length, from its header."""
    return float(soundfile.info(str(path)).duration)


def private_parents(path: Path) -> None:
    """Create the folders above a recording (year, month), each readable by its owner only."""
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)


def write_recording(samples: np.ndarray, path: Path) -> Path:
    """Write 16 kHz mono audio as FLAC (or WAV by suffix), readable by its owner only."""
    private_parents(path)
    tmp = path.with_name(path.name + ".tmp")
    soundfile.write(str(tmp), samples, SAMPLE_RATE, format=path.suffix.lstrip(".").upper() or "FLAC", subtype="PCM_16")
    _private(tmp)
    os.replace(tmp, path)
    return path


def pcm_to_recording(pcm_path: Path, dest: Path, chunk_frames: int = SAMPLE_RATE * 30) -> float:
    """Turn a raw s16le part file into the final recording, streaming so memory stays flat.

    Returns the duration in seconds. A trailing odd byte (a torn write) is ignored.
    """
    private_parents(dest)
    tmp = dest.with_name(dest.name + ".tmp")
    frames = 0
    fmt = dest.suffix.lstrip(".").upper() or "FLAC"
    try:
        with (
            open(pcm_path, "rb") as src,
            soundfile.SoundFile(str(tmp), "w", samplerate=SAMPLE_RATE, channels=1, format=fmt, subtype="PCM_16") as out,
        ):
            while True:
                data = src.read(chunk_frames * 2)
                usable = len(data) - len(data) % 2
                if usable <= 0:
                    break
                block = np.frombuffer(data[:usable], dtype="<i2")
                out.write(block)
                frames += block.size
        _private(tmp)
        _fsync(tmp)  # the part file is deleted next: the FLAC must be on disk first
        os.replace(tmp, dest)
        _fsync(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a half-written FLAC (a full disk): the part file is still there
        raise
    return frames / SAMPLE_RATE


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_pcm(pcm_path: Path) -> np.ndarray:
    """A raw s16le part file as float32 (used to transcribe what a recording has so far)."""
    data = pcm_path.read_bytes()
    usable = len(data) - len(data) % 2
    return np.frombuffer(data[:usable], dtype="<i2").astype(np.float32) / 32768.0


def _private(path: Path) -> None:
    if os.name == "posix":
        os.chmod(path, 0o600)
