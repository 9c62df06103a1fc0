"""Killed mid-answer or mid-save: the audio and the history survive.

A child process records from a real-time PulseAudio source and is killed with SIGKILL; the
next start finds the unfinished recording and recovers it. Another child saves attempts in a
loop and is killed; the database is intact and holds no half-written attempt.
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

from app.core.audio.recovery import find_unfinished
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


def test_killed_while_recording_loses_at_most_a_second(pulse_mic, spoken, data_dir: DataDir, transcriber, scorer) -> None:  # type: ignore[no-untyped-def]
    wav = spoken(" ".join(["SHAP explains predictions with Shapley values from cooperative game theory."] * 4))
    player = pulse_mic.play(wav)
    child = subprocess.Popen(
        [sys.executable, "-c", RECORDER_CHILD.format(repo=str(REPO), incoming=str(data_dir.incoming))],
        stdout=subprocess.PIPE, text=True,
    )
    captured = 0.0
    assert child.stdout is not None
    for line in child.stdout:
        captured = float(line)
        if captured >= 4.0:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    player.kill()

    [unfinished] = find_unfinished(data_dir.incoming)
    assert unfinished.context == {"pack_id": "demo", "question_id": "shap-and-lime"}
    recorded = unfinished.duration_s
    assert captured - 1.0 <= recorded <= captured + 1.0, (captured, recorded)

    # The next start: the app offers recovery; the person accepts.
    from app.core.recovery import recover_recording
    from app.core.workspace import Workspace

    (data_dir.packs / "demo.yaml").write_text(DEMO.read_text())
    workspace = Workspace(data_dir)
    workspace._transcriber, workspace._scorer = transcriber, scorer
    message = recover_recording(workspace, unfinished)
    assert "Recovered the answer" in message
    [attempt] = workspace.history.list_attempts()
    assert attempt.status == "recovered" and attempt.has_audio
    assert attempt.duration_s == pytest.approx(recorded, abs=0.01)
    assert find_unfinished(data_dir.incoming) == []
    detail = workspace.history.get_attempt(attempt.id)
    assert "SHAP" in detail.transcript.text
    workspace.close()


def test_killed_during_a_save_loop_leaves_the_database_intact(data_dir: DataDir) -> None:
    from app.db.history import History

    History.open(data_dir).close()
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER_CHILD.format(repo=str(REPO), demo=str(DEMO), data=str(data_dir.root))],
        stdout=subprocess.PIPE, text=True,
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


def test_data_folder_and_recordings_are_private(data_dir: DataDir, fake_mic, spoken) -> None:  # type: ignore[no-untyped-def]
    from app.core.audio.recorder import Recorder
    from app.core.audio.recovery import finalize
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
    dest = data_dir.recordings / "x.flac"
    finalize(result.part_path, result.journal_path, dest)
    for folder in (data_dir.root, data_dir.recordings, data_dir.incoming, data_dir.packs):
        assert os.stat(folder).st_mode & 0o777 == 0o700, folder
    assert os.stat(dest).st_mode & 0o777 == 0o600
    assert os.stat(data_dir.database).st_mode & 0o777 == 0o600
