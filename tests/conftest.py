"""Test set-up shared by every test.

Before anything imports sounddevice, HOME points at a private folder whose `.asoundrc` defines
an ALSA capture device `fakemic` that plays `fakemic.raw` from that folder (see DEVELOPERS.md,
"Test fixtures"): the real PortAudio stack, no sound card. Tests put the answer
they want "spoken" into that file with `fake_mic.load(...)`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="rehearse-test-home-"))
FAKEMIC_RAW = _HOME / "fakemic.raw"
FAKEMIC_RAW.write_bytes(b"")
(_HOME / ".asoundrc").write_text(
    f'pcm.fakemic {{ type file; slave.pcm "null"; file "/dev/null"; infile "{FAKEMIC_RAW}"; format "raw" }}\n'
    'pcm.!default { type asym; playback.pcm "null"; capture.pcm "fakemic" }\n'
)
os.environ["HOME"] = str(_HOME)
for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache")):
    os.environ[var] = str(_HOME / sub)
os.environ["XDG_RUNTIME_DIR"] = str(_HOME / "run")
(_HOME / "run").mkdir(mode=0o700)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SPEECH_CACHE = Path(tempfile.gettempdir()) / "rehearse-test-speech"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: uses the real Whisper model or real audio devices")


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty data folder of its own."""
    data = tmp_path / "data"
    monkeypatch.setenv("REHEARSE_DATA_DIR", str(data))
    return data


@pytest.fixture
def data_dir(_private_data_dir: Path):
    from app.core.paths import DataDir

    return DataDir(_private_data_dir).create()


def speak(text: str, speed: int = 165, voice: str = "en-us") -> Path:
    """A 16 kHz mono WAV of espeak-ng saying `text` (cached across tests and runs)."""
    key = hashlib.sha256(f"{voice}|{speed}|{text}|undithered".encode()).hexdigest()[:16]
    SPEECH_CACHE.mkdir(parents=True, exist_ok=True)
    out = SPEECH_CACHE / f"{key}.wav"
    if not out.exists():
        raw = SPEECH_CACHE / f"{key}.raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
        # -D: no dither. sox dithers by default when it resamples to 16 bits, with fresh noise each time, so
        # the same sentence came out as other samples on every render and a borderline Whisper reading flipped.
        subprocess.run(["sox", str(raw), "-D", "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
        raw.unlink()
    return out


@pytest.fixture(scope="session")
def spoken():
    if not shutil.which("espeak-ng") or not shutil.which("sox"):
        pytest.fail("espeak-ng and sox are needed (bash .ci/run installs them)")
    return speak


class FakeMic:
    """The ALSA `fakemic` capture device: delivers a file's samples, then silence, unpaced."""

    device = "fakemic"

    def load(self, wav: Path | None, leading_silence_s: float = 0.0) -> Path:
        import numpy as np
        import soundfile

        if wav is None:
            FAKEMIC_RAW.write_bytes(b"")
            return FAKEMIC_RAW
        samples, rate = soundfile.read(str(wav), dtype="int16")
        assert rate == 16000, rate
        silence = np.zeros(int(leading_silence_s * 16000), dtype=np.int16)
        FAKEMIC_RAW.write_bytes(np.concatenate([silence, samples]).astype("<i2").tobytes())
        return FAKEMIC_RAW


@pytest.fixture
def fake_mic() -> FakeMic:
    mic = FakeMic()
    yield mic
    mic.load(None)


class PulseMic:
    """A PulseAudio null sink whose monitor is the default source: real-time capture via device "pulse"."""

    device = "pulse"

    def __init__(self) -> None:
        self.players: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        for tool in ("pulseaudio", "pactl", "paplay"):
            if not shutil.which(tool):
                pytest.fail(f"{tool} is needed for real-time capture tests (bash .ci/run installs pulseaudio)")
        self.daemon = subprocess.Popen(
            [
                "pulseaudio",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "-n",
                "--load=module-null-sink sink_name=mic_sink",
                "--load=module-native-protocol-unix auth-anonymous=1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if subprocess.run(["pactl", "info"], capture_output=True).returncode == 0:
                break
            time.sleep(0.05)
        subprocess.run(["pactl", "set-default-source", "mic_sink.monitor"], check=True)
        import sounddevice

        # PortAudio lists devices when it starts; start it again so it sees the new server.
        sounddevice._terminate()
        sounddevice._initialize()

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        player = subprocess.Popen(["paplay", "--device=mic_sink", str(wav)])
        self.players.append(player)
        return player

    def stop(self) -> None:
        for player in self.players:
            player.kill()
        self.daemon.terminate()
        self.daemon.wait(10)


@pytest.fixture(scope="session")
def pulse_mic():
    mic = PulseMic()
    mic.start()
    yield mic
    mic.stop()


@pytest.fixture(scope="session")
def transcriber():
    """The real embedded tiny.en model, loaded once for the session."""
    from app.core.transcribe import Transcriber, load_whisper

    model, info = load_whisper()
    return Transcriber(model, info)


@pytest.fixture(scope="session")
def scorer():
    """Token recall: the scorer under the judge, and the one its own tests are about."""
    from app.core.scoring import TokenRecallScorer

    return TokenRecallScorer()


@pytest.fixture(scope="session")
def judge():
    """The app's key-point judge (the entailment cross-encoder)."""
    from app.core.scoring.entailment import EntailmentJudge

    return EntailmentJudge().load()


@pytest.fixture(scope="session")
def story_judge(judge):
    """The judge of a story's STAR parts (its own build, resources/models/star)."""
    from app.core.scoring.entailment import EntailmentJudge, story_judge_dir

    return EntailmentJudge(story_judge_dir(), recall=judge.recall).load()


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m app ...` in a child process, as a person at a terminal would run it."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )
