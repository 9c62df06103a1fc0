"""Odd audio handed to `rehearse score`: a clear one-line error or a correct result; no crash, bounded memory."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.conftest import run_cli

DEMO = Path(__file__).resolve().parent / "data" / "demo-pack.yaml"
ANSWER = "SHAP explains a prediction with Shapley values from cooperative game theory."


def score(path: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("score", "--pack", str(DEMO), "--question", "shap-and-lime", str(path), "--json")


def make_inputs(tmp: Path, spoken) -> dict[str, tuple[Path, str | None]]:
    """name -> (file, expected error fragment or None for a scored result)."""
    wav = spoken(ANSWER)
    good, rate = soundfile.read(str(wav), dtype="float32")
    cases: dict[str, tuple[Path, str | None]] = {}

    def add(name: str, data: bytes, expect: str | None) -> None:
        path = tmp / name
        path.write_bytes(data)
        cases[name] = (path, expect)

    add("empty.wav", b"", "the file is empty")
    add("text-renamed.wav", b"this is not audio at all\n" * 200, "not an audio file that can be read")
    add("random.flac", np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes(), "not an audio file")
    add("header-only.wav", wav.read_bytes()[:44], None)
    full = wav.read_bytes()
    add("truncated.wav", full[: len(full) // 2], None)
    stereo_8k = tmp / "stereo-8k.wav"
    import soxr

    low = soxr.resample(good, rate, 8000)
    soundfile.write(str(stereo_8k), np.stack([low, low * 0.5], axis=1), 8000)
    cases["stereo-8k.wav"] = (stereo_8k, None)
    ogg = tmp / "answer.ogg"
    soundfile.write(str(ogg), good, rate, format="OGG")
    cases["answer.ogg"] = (ogg, None)
    long_flac = tmp / "three-hours.flac"
    subprocess.run(["sox", "-D", "-n", "-r", "8000", "-c", "1", str(long_flac), "trim", "0", "3:00:00"], check=True)
    cases["three-hours.flac"] = (long_flac, "180 minutes long")
    folder = tmp / "a-folder.wav"
    folder.mkdir()
    cases["a-folder.wav"] = (folder, "is a folder")
    return cases


def test_every_odd_input_gets_a_clear_answer(tmp_path: Path, spoken) -> None:
    outcomes = {}
    for name, (path, expect) in make_inputs(tmp_path, spoken).items():
        result = score(path)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        if expect is not None:
            assert result.returncode == 2 and expect in result.stderr, (name, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1
        else:
            # Readable audio is scored; audio with no speech left is a clear exit 2.
            assert result.returncode in (0, 2), (name, result.stderr)
            if result.returncode == 0:
                data = json.loads(result.stdout)
                assert data["duration_s"] > 0
            else:
                assert "no speech was heard" in result.stderr or "contains no audio" in result.stderr, result.stderr
        outcomes[name] = result.returncode
    assert outcomes["stereo-8k.wav"] == 0 and outcomes["answer.ogg"] == 0 and outcomes["truncated.wav"] == 0


def test_stereo_8k_is_resampled_and_judged_like_the_original(tmp_path: Path, spoken) -> None:
    cases = make_inputs(tmp_path, spoken)
    data = json.loads(score(cases["stereo-8k.wav"][0]).stdout)
    assert "Shapley" in data["transcript"] and data["key_points"][0]["covered"]


@pytest.mark.parametrize("seconds", [0.05, 0.5])
def test_very_short_audio(tmp_path: Path, seconds: float) -> None:
    path = tmp_path / "short.wav"
    soundfile.write(str(path), np.zeros(int(16000 * seconds), np.float32), 16000)
    result = score(path)
    assert result.returncode == 2 and "no speech was heard" in result.stderr
