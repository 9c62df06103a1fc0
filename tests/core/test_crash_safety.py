"""Killed mid-answer or mid-save: the audio and the history survive.

A child process records from a real-time PulseAudio source and is killed with SIGKILL; while
it lives its answer is never offered for recovery, and after the kill the next start finds and
recovers it. Children that save an answer are killed after the FLAC is written, during
transcription, during scoring and inside the commit: the next start recovers the answer once,
with its audio intact. Another child saves attempts in a loop and is killed; the database is
intact and holds no half-written attempt.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.audio.pending import PendingRecording, discard, find_unfinished
from app.core.paths import DataDir

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "tests" / "data" / "demo-pack.yaml"

RECORDER_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from app.core.audio.recorder import Recorder
recorder = Recorder(Path({incoming!r}), device="pulse", context={{"pack_id": "demo", "question_id": "shap-and-lime"}})
recorder.start()
while True:
    print(f"{{recorder.seconds:.3f}}", flush=True)
    time.sleep(0.05)
"""

SAVER_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from app.core.analysis import judge_transcript
from app.core.packs import load_pack
from app.core.paths import DataDir
from app.core.scoring import LexicalScorer
from app.core.transcribe.transcript import Transcript, Word
from app.db.history import History
pack = load_pack({demo!r})
question = pack.question("shap-and-lime")
words = [Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate("SHAP uses Shapley values from game theory".split())]
analysis = judge_transcript(pack, question, Transcript(words, words, 10.0), LexicalScorer())
history = History.open(DataDir(Path({data!r})))
n = 0
while True:
    history.save_attempt(pack, question, analysis, None)
    n += 1
    print(n, flush=True)
"""


def test_killed_while_recording_loses_at_most_a_second(
    pulse_mic, spoken, data_dir: DataDir, transcriber, scorer
) -> None:
    wav = spoken(" ".join(["SHAP explains predictions with Shapley values from cooperative game theory."] * 4))
    player = pulse_mic.play(wav)
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER_CHILD.format(repo=str(REPO), incoming=str(data_dir.incoming))],
        stdout=subprocess.PIPE,
        text=True,
    )
    captured = 0.0
    assert child.stdout is not None
    for line in child.stdout:
        captured = float(line)
        if captured >= 4.0:
            break
    # A second window starting now must not be offered the live answer, nor be able to discard it.
    assert find_unfinished(data_dir.incoming) == []
    [journal] = data_dir.incoming.glob("*.json")
    assert not discard(PendingRecording(journal, {})) and journal.with_suffix(".pcm").exists()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    player.kill()

    [unfinished] = find_unfinished(data_dir.incoming)
    assert unfinished.context == {"pack_id": "demo", "question_id": "shap-and-lime"}
    recorded = unfinished.duration_s
    assert captured - 1.0 <= recorded <= captured + 1.0, (captured, recorded)

    # The next start: the app offers recovery; the person accepts.
    from app.services.attempts import recover_recording
    from app.services.workspace import Workspace

    (data_dir.packs / "demo.yaml").write_text(DEMO.read_text())
    workspace = Workspace(data_dir, transcriber=transcriber, scorer=scorer)
    message = recover_recording(workspace, unfinished)
    assert "Recovered the answer" in message
    [attempt] = workspace.history.list_attempts()
    assert attempt.status == "recovered" and attempt.has_audio
    assert attempt.duration_s == pytest.approx(recorded, abs=0.01)
    assert find_unfinished(data_dir.incoming) == [] and list(data_dir.incoming.iterdir()) == []
    detail = workspace.history.get_attempt(attempt.id)
    assert "SHAP" in detail.transcript.text
    workspace.close()


def test_killed_during_a_save_loop_leaves_the_database_intact(data_dir: DataDir) -> None:
    from app.db.history import History

    History.open(data_dir).close()
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER_CHILD.format(repo=str(REPO), demo=str(DEMO), data=str(data_dir.root))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    saved = 0
    started = time.monotonic()
    for line in child.stdout:
        saved = int(line)
        if saved >= 40 or time.monotonic() - started > 60:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert saved >= 1

    conn = sqlite3.connect(data_dir.database)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    attempts = conn.execute("select count(*) from attempts").fetchone()[0]
    assert saved <= attempts <= saved + 1, "every reported save is there; at most the one in flight too"
    orphans = conn.execute(
        "select count(*) from attempts a where (select count(*) from key_point_results k where k.attempt_id = a.id) != a.point_count"
    ).fetchone()[0]
    assert orphans == 0, "no attempt is stored without all of its key-point results"
    conn.close()
    history = History.open(data_dir)
    assert history.count_attempts() == attempts
    history.close()


def test_data_folder_and_recordings_are_private(data_dir: DataDir, fake_mic, spoken) -> None:
    from app.core.audio.recorder import Recorder
    from app.db.history import History

    History.open(data_dir).close()
    fake_mic.load(spoken("Private."))
    recorder = Recorder(data_dir.incoming, device=fake_mic.device, max_seconds=1)
    recorder.start()
    while recorder.running:
        time.sleep(0.01)
    result = recorder.stop()
    assert os.stat(result.part_path).st_mode & 0o777 == 0o600
    assert os.stat(result.journal_path).st_mode & 0o777 == 0o600
    dest, _seconds = result.pending.finalise()
    assert os.stat(result.journal_path).st_mode & 0o777 == 0o600
    result.pending.done()
    for folder in (
        data_dir.root,
        data_dir.recordings,
        data_dir.incoming,
        data_dir.packs,
        dest.parent,
        dest.parent.parent,
    ):
        assert os.stat(folder).st_mode & 0o777 == 0o700, folder
    assert os.stat(dest).st_mode & 0o777 == 0o600
    assert os.stat(data_dir.database).st_mode & 0o777 == 0o600


SAVE_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
import numpy as np, soundfile
from app.services.attempts import save_recording_as_attempt
from app.core.audio.pending import start_pending
from app.core.packs import load_pack
from app.core.paths import DataDir
from app.core.scoring import TokenRecallScorer
from app.services.workspace import Workspace

kill_at = {kill_at!r}
data = DataDir(Path({data!r})).create()
pack = load_pack(Path({pack!r}))
question = pack.question("shap-and-lime")
workspace = Workspace(data)
workspace.transcriber(), workspace.scorer()
scorer = workspace.scorer()
real_score = scorer.score

def slow_score(*args, **kwargs):
    result = real_score(*args, **kwargs)
    if kill_at == "scoring":
        print("in-scoring", flush=True)
        time.sleep(30)  # held here until the test kills the process
    return result

scorer.score = slow_score
if kill_at == "commit":
    from sqlalchemy import event

    @event.listens_for(workspace.history.engine, "commit")
    def _in_commit(_connection):
        print("in-commit", flush=True)  # the rows are written, the COMMIT not yet sent
        time.sleep(30)

samples, _ = soundfile.read({wav!r}, dtype="int16")
pending = start_pending(data.incoming, "answer1", {{"pack_id": "demo", "question_id": "shap-and-lime",
                                                  "pack_path": {pack!r}, "target_s": 45}})
pending.part_path.write_bytes(samples.astype("<i2").tobytes())

def progress(stage, fraction):
    print(f"{{stage}} {{fraction:.3f}}", flush=True)
    if kill_at == "flac" and stage == "transcribing":
        time.sleep(30)

save_recording_as_attempt(workspace, pack, question, pending, progress=progress, target_s=45)
print("saved", flush=True)
"""

KILL_WHEN = {
    "flac": lambda line: line.startswith("transcribing 0.000"),  # the FLAC is written, nothing transcribed
    "transcribing": lambda line: line.startswith("transcribing") and not line.startswith("transcribing 0.000"),
    "scoring": lambda line: line == "in-scoring",
    "commit": lambda line: line == "in-commit",
}


@pytest.mark.parametrize("kill_at", list(KILL_WHEN))
def test_killed_while_saving_an_answer_the_next_start_recovers_it_once(
    kill_at: str, spoken, data_dir: DataDir, transcriber, scorer
) -> None:
    import numpy as np
    import soundfile

    from app.services.attempts import recover_recording
    from app.services.workspace import Workspace

    pack = data_dir.packs / "demo.yaml"
    pack.write_text(DEMO.read_text())
    wav = spoken(
        "I have used SHAP a lot. It explains a prediction with Shapley values from cooperative game theory. "
        "I also used LIME, which fits a simple local surrogate model around one prediction. In my experience "
        "LIME explanations can be unstable from one run to the next."
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SAVE_CHILD.format(repo=str(REPO), data=str(data_dir.root), pack=str(pack), wav=str(wav), kill_at=kill_at),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        if KILL_WHEN[kill_at](line.strip()):
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(30)
    assert child.returncode == -signal.SIGKILL, seen
    assert "saved" not in seen

    # The FLAC is on disk and the journal names it; the raw part file is gone.
    [orphan] = find_unfinished(data_dir.incoming)
    assert orphan.finalised and not orphan.part_path.exists(), seen
    stored, _ = soundfile.read(str(orphan.audio_path), dtype="int16")
    spoken_samples, _ = soundfile.read(str(wav), dtype="int16")
    assert np.array_equal(stored, spoken_samples)

    workspace = Workspace(data_dir, transcriber=transcriber, scorer=scorer)
    assert workspace.history.count_attempts() == 0, "a killed commit stores nothing"
    message = recover_recording(workspace, orphan)
    assert "Recovered the answer" in message
    [attempt] = workspace.history.list_attempts()
    assert attempt.status == "recovered" and attempt.target_s == 45
    assert attempt.audio_path == orphan.audio_path and attempt.covered_count == 3
    assert find_unfinished(data_dir.incoming) == [] and list(data_dir.incoming.iterdir()) == []
    recorded, _ = soundfile.read(str(attempt.audio_path), dtype="int16")
    assert np.array_equal(recorded, spoken_samples)
    workspace.close()


def test_a_crash_after_the_commit_is_not_stored_twice(data_dir: DataDir, spoken, transcriber, scorer) -> None:
    """The journal goes right after the commit; a crash between the two must not make a second attempt."""
    import soundfile

    from app.core.audio.pending import start_pending
    from app.core.packs import load_pack
    from app.services.attempts import recover_recording, save_recording_as_attempt
    from app.services.workspace import Workspace

    pack = load_pack(DEMO)
    question = pack.question("shap-and-lime")
    workspace = Workspace(data_dir, transcriber=transcriber, scorer=scorer)
    samples, _ = soundfile.read(str(spoken("SHAP uses Shapley values.")), dtype="int16")
    pending = start_pending(
        data_dir.incoming, "twice", {"pack_id": "demo", "question_id": "shap-and-lime", "pack_path": str(DEMO)}
    )
    pending.part_path.write_bytes(samples.astype("<i2").tobytes())
    journal_before_done = {}
    real_done = pending.done
    pending.done = lambda: (
        journal_before_done.update(pending.journal) or pending.release()
    )  # the crash: done() never runs
    saved = save_recording_as_attempt(workspace, pack, question, pending)
    [orphan] = find_unfinished(data_dir.incoming)
    assert orphan.audio_path == saved.audio_path
    assert "already saved" in recover_recording(workspace, orphan)
    assert workspace.history.count_attempts() == 1
    assert list(data_dir.incoming.iterdir()) == []
    del real_done
    workspace.close()
