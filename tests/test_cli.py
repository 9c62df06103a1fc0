"""The command line, run as a person runs it: `python -m app ...` in a child process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

DEMO = Path(__file__).resolve().parent / "data" / "demo-pack.yaml"
SPOKEN_ANSWER = (
    "Um, so, SHAP explains a single prediction with Shapley values, which come from cooperative game theory. "
    "LIME fits a simple local surrogate model around that one prediction, using perturbed samples."
)


def test_packs_lists_builtin_and_user_packs(_private_data_dir: Path) -> None:
    user_packs = _private_data_dir / "packs"
    user_packs.mkdir(parents=True)
    (user_packs / "demo.yaml").write_text(DEMO.read_text())
    (user_packs / "broken.yaml").write_text("id: broken\nquestions: []\n")
    result = run_cli("packs", "--json")
    assert result.returncode == 0, result.stderr
    packs = json.loads(result.stdout)
    demo = next(p for p in packs if p["id"] == "demo")
    assert demo["questions"] == 2 and demo["builtin"] is False
    broken = next(p for p in packs if p["path"].endswith("broken.yaml"))
    assert broken["error"].endswith("broken.yaml:2: questions: must be a non-empty list")
    plain = run_cli("packs")
    assert "demo" in plain.stdout and "(broken)" in plain.stdout


def test_check_passes_good_packs_and_fails_broken_ones(tmp_path: Path) -> None:
    ok = run_cli("check", str(DEMO))
    assert ok.returncode == 0 and "ok, 2 questions" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nquestions:\n  - id: q\n    text: Hi\n    key_points: nope\n")
    result = run_cli("check", str(DEMO), str(bad))
    assert result.returncode == 1
    assert f"{bad}:5: questions[0].key_points: must be a non-empty list, not str 'nope'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--question", "nope", "AUDIO"], "pack 'demo' has no question 'nope'"),
        (["--question", "shap-and-lime", "/no/such.wav"], "/no/such.wav: no such file"),
        (["--question", "shap-and-lime", "JUNK"], "not an audio file that can be read"),
        (["--question", "shap-and-lime", "EMPTY"], "the file is empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path, spoken) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(bytes(range(256)) * 40)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    replace = {"AUDIO": str(spoken("hello")), "JUNK": str(junk), "EMPTY": str(empty)}
    result = run_cli("score", "--pack", str(DEMO), *[replace.get(a, a) for a in args])
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unknown_pack_is_exit_2(spoken) -> None:
    result = run_cli("score", "--pack", "no-such-pack", "--question", "q", str(spoken("hello")))
    assert result.returncode == 2 and "no pack with id 'no-such-pack'" in result.stderr


def test_silence_is_exit_2(tmp_path: Path) -> None:
    import numpy as np
    import soundfile

    silence = tmp_path / "silence.wav"
    soundfile.write(str(silence), np.zeros(16000 * 4, dtype=np.int16), 16000)
    result = run_cli("score", "--pack", str(DEMO), "--question", "shap-and-lime", str(silence))
    assert result.returncode == 2 and "no speech was heard" in result.stderr


def test_spoken_answer_end_to_end_scored_saved_and_listed(spoken, _private_data_dir: Path) -> None:
    wav = spoken(SPOKEN_ANSWER)
    result = run_cli("score", "--pack", str(DEMO), "--question", "shap-and-lime", str(wav), "--json", "--save")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in (
        "question_id",
        "transcript",
        "raw_transcript",
        "duration_s",
        "speech_start_s",
        "words_per_minute",
        "fillers",
        "long_pauses",
        "key_points",
        "coverage",
    ):
        assert key in data
    assert data["question_id"] == "shap-and-lime"
    for term in ("SHAP", "Shapley", "LIME"):
        assert term in data["transcript"]
    assert [kp["covered"] for kp in data["key_points"]] == [True, True, False]
    assert data["coverage"] == pytest.approx(2 / 3, abs=1e-3)
    assert any(f["word"] in {"um", "umm"} for f in data["fillers"])
    assert 100 < data["words_per_minute"] < 220
    assert data["key_points"][0]["evidence"] and "Shapley" in data["key_points"][0]["evidence"]

    listed = json.loads(run_cli("history", "--json").stdout)
    assert len(listed) == 1 and listed[0]["id"] == data["attempt_id"]
    assert listed[0]["coverage"] == data["coverage"]
    audio = Path(listed[0]["audio_path"])
    assert audio.exists() and audio.suffix == ".flac" and audio.is_relative_to(_private_data_dir / "recordings")
    assert "shap-and-lime" in run_cli("history", "--question", "shap-and-lime").stdout
    assert run_cli("history", "--question", "other", "--json").stdout.strip() == "[]"


def test_python_dash_m_and_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("rehearse ")


def test_import_stores_a_recording_and_refuses_a_bad_file(spoken, tmp_path: Path, _private_data_dir: Path) -> None:
    import subprocess

    flac = tmp_path / "answer.flac"
    subprocess.run(["sox", "-D", str(spoken(SPOKEN_ANSWER)), "-r", "22050", str(flac)], check=True)
    result = run_cli("import", "--pack", str(DEMO), "--question", "shap-and-lime", str(flac), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [kp["covered"] for kp in data["key_points"]] == [True, True, False]
    assert Path(data["audio_path"]).is_relative_to(_private_data_dir / "recordings")

    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3 not really an mp3" * 50)
    result = run_cli("import", "--pack", str(DEMO), "--question", "shap-and-lime", str(broken))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "broken.mp3" in result.stderr and "nothing was saved" in result.stderr
    listed = json.loads(run_cli("history", "--json").stdout)
    assert [a["id"] for a in listed] == [data["attempt_id"]]
