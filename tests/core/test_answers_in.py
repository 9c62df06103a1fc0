"""Answers that do not come from the microphone (issue 19, parts 3-4): an imported recording takes the
live answer's save path; a typed answer is judged by the same scorer with no delivery figures."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from app.core.audio.errors import AudioFileError
from app.core.packs import load_pack
from app.core.review.progress import question_series
from app.services.answers_in import import_answer, judge_typed, save_typed_answer
from app.services.workspace import Workspace

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-pack.yaml"
ANSWER = (
    "SHAP explains a single prediction with Shapley values from cooperative game theory. "
    "LIME fits a simple local surrogate model around that one prediction, using perturbed samples."
)


@pytest.fixture
def workspace(data_dir, transcriber, scorer):
    ws = Workspace(data_dir, transcriber=transcriber, scorer=scorer)
    yield ws
    ws.close()


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_an_ogg_recording_is_imported_through_the_save_path(workspace, spoken, tmp_path: Path) -> None:
    ogg = tmp_path / "answer.ogg"
    # not 16 kHz mono
    subprocess.run(["sox", "-D", str(spoken(ANSWER)), "-r", "44100", "-c", "2", str(ogg)], check=True)
    pack = load_pack(DEMO)
    saved = import_answer(workspace, pack, pack.question("shap-and-lime"), ogg)
    assert saved.error is None
    assert [kp.covered for kp in saved.analysis.key_points] == [True, True, False], saved.analysis.transcript.text
    assert saved.audio_path is not None and saved.audio_path.suffix == ".flac" and saved.audio_path.exists()
    assert saved.audio_path.is_relative_to(workspace.data_dir.recordings)
    (attempt,) = workspace.history.attempt_summaries()
    assert attempt.id == saved.attempt_id and attempt.status == "complete" and attempt.has_audio
    assert workspace.history.get_attempt(attempt.id).settings["source"] == "import"
    assert files_under(workspace.data_dir.incoming) == []  # journal and lock gone once committed


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"this is not audio at all, just text\n" * 40, "not an audio file that can be read"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_saved(workspace, tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "answer.wav"
    bad.write_bytes(content)
    pack = load_pack(DEMO)
    with pytest.raises(AudioFileError, match=message) as caught:
        import_answer(workspace, pack, pack.question("shap-and-lime"), bad)
    assert str(bad) in str(caught.value)
    assert workspace.history.count_attempts() == 0
    assert files_under(workspace.data_dir.recordings) == []


def test_a_typed_answer_is_judged_like_a_spoken_one_without_delivery(workspace) -> None:
    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    saved = save_typed_answer(workspace, pack, question, ANSWER)
    assert [kp.covered for kp in saved.analysis.key_points] == [True, True, False]
    assert saved.audio_path is None
    delivery = saved.analysis.delivery
    assert delivery.words_per_minute is None and delivery.target_s is None and not delivery.fillers
    (attempt,) = workspace.history.attempt_summaries()
    assert attempt.status == "typed" and attempt.audio_path is None and attempt.covered_count == 2
    # Marked in the charts: its coverage is plotted (as a typed point), its length and fillers are not.
    points = workspace.history.progress_points(question_id="shap-and-lime")
    assert [p.typed for p in points] == [True]
    series = question_series(points)
    assert series.charts["coverage"].y == [pytest.approx(200 / 3)] and series.charts["coverage"].typed == [True]
    assert math.isnan(series.charts["duration"].y[0]) and math.isnan(series.charts["fillers"].y[0])


def test_an_empty_typed_answer_is_refused(scorer) -> None:
    pack = load_pack(DEMO)
    with pytest.raises(ValueError, match="empty"):
        judge_typed(pack, pack.question("shap-and-lime"), "   \n", scorer)
