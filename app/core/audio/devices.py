"""Input devices as sounddevice/PortAudio sees them, with errors a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.audio.errors import AudioDeviceError, NoInputDeviceError


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    hostapi: str
    channels: int
    default_samplerate: float
    is_default: bool

    @property
    def label(self) -> str:
        return f"{self.name} ({self.hostapi})" + ("  [default]" if self.is_default else "")


def _sounddevice(sd: Any | None) -> Any:
    if sd is not None:
        return sd
    try:
        import sounddevice
    except OSError as exc:  # PortAudio itself is missing
        raise AudioDeviceError(
            f"The audio library PortAudio could not be loaded ({exc}). Install libportaudio2."
        ) from None
    return sounddevice


def list_input_devices(sd: Any | None = None) -> list[InputDevice]:
    sd = _sounddevice(sd)
    try:
        devices = sd.query_devices()
        hostapis = sd.query_hostapis()
        default_in = sd.default.device[0]
    except Exception as exc:
        raise AudioDeviceError(f"Could not list audio devices: {exc}") from None
    result = []
    for index, info in enumerate(devices):
        if info["max_input_channels"] > 0:
            result.append(
                InputDevice(
                    index=index,
                    name=info["name"],
                    hostapi=hostapis[info["hostapi"]]["name"],
                    channels=info["max_input_channels"],
                    default_samplerate=float(info["default_samplerate"]),
                    is_default=index == default_in,
                )
            )
    return result


def resolve_input_device(device: int | str | None, sd: Any | None = None) -> InputDevice:
    """The device to record from: by index, by (part of its) name, or the system default."""
    devices = list_input_devices(sd)
    if not devices:
        raise NoInputDeviceError("No microphone was found. Connect one, or check that the system can see it.")
    if device is None or device == "":
        for candidate in devices:
            if candidate.is_default:
                return candidate
        return devices[0]
    if isinstance(device, int) or (isinstance(device, str) and device.isdigit()):
        for candidate in devices:
            if candidate.index == int(device):
                return candidate
    else:
        for candidate in devices:
            if candidate.name == device:
                return candidate
        for candidate in devices:
            if str(device).lower() in candidate.name.lower():
                return candidate
    names = ", ".join(d.name for d in devices)
    raise NoInputDeviceError(f"The microphone '{device}' is not available (found: {names}).")
