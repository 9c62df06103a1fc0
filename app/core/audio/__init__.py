"""Audio: microphone capture straight to disk, audio files in and out, level metering."""

from app.core.audio.errors import AudioDeviceError, AudioError, AudioFileError, NoInputDeviceError

SAMPLE_RATE = 16_000

__all__ = ["SAMPLE_RATE", "AudioDeviceError", "AudioError", "AudioFileError", "NoInputDeviceError"]
