"""Launch time and GUI responsiveness.

    python -m tests.bench.bench_app [--runs 5] [--answer-s 60]

1. Launch to interactive window and to model ready: `python -m app` in a child process with
   REHEARSE_STARTUP_PROBE=1 (the app prints wall-clock stamps and quits once the model is ready).
2. Longest GUI-thread stall while recording and transcribing: the real window answers a question
   from a real-time PulseAudio source (espeak-ng answer played into a null sink), with streaming
   transcription on, while a 5 ms QTimer records the gaps between its ticks; then Stop, and the
   same timer runs through processing until the feedback page shows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from tests.bench.common import REPO, spoken_answer, write_result


def _launch_once(home: str) -> dict:
    env = {
        **os.environ,
        "REHEARSE_STARTUP_PROBE": "1",
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": home,
        "REHEARSE_DATA_DIR": os.path.join(home, "data"),
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
    }
    started = time.time()
    proc = subprocess.run([sys.executable, "-m", "app"], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    stamps = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("interactive", "model-ready"):
            stamps[parts[0]] = round(float(parts[1]) - started, 3)
    return stamps


def launch(runs: int) -> dict:
    """First launch (creates the data folder and database) and a usual launch (they exist)."""
    rows = []
    for _ in range(runs):
        home = tempfile.mkdtemp(prefix="rehearse-bench-home-")
        row = {"first": _launch_once(home), "usual": _launch_once(home)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    return {
        "runs": rows,
        "first_launch_interactive_median_s": statistics.median(r["first"]["interactive"] for r in rows),
        "interactive_median_s": statistics.median(r["usual"]["interactive"] for r in rows),
        "model_ready_median_s": statistics.median(r["usual"]["model-ready"] for r in rows),
    }


def stall(answer_s: float) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    import tests.conftest as fixtures  # sets HOME, ALSA and runtime dirs for the audio set-up
    from app.core.audio.files import write_recording

    mic = fixtures.PulseMic()
    mic.start()
    try:
        from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

        from app.core.paths import DataDir
        from app.gui.application import make_application
        from app.gui.main_window import MainWindow
        from app.gui.practice_controller import Phase
        from app.gui.settings import AppSettings
        from app.gui.workers import JobRunner
        from app.services.workspace import Workspace

        app = make_application([])
        folder = tempfile.mkdtemp(prefix="rehearse-bench-")
        workspace = Workspace(DataDir(os.path.join(folder, "data")).create())
        workspace.transcriber()
        workspace.scorer()
        settings = AppSettings(QSettings(os.path.join(folder, "s.ini"), QSettings.Format.IniFormat))
        settings.input_device = mic.device
        settings.answer_seconds = int(answer_s * 2)
        window = MainWindow(workspace, settings, JobRunner())
        window.show()
        audio, _ = spoken_answer(answer_s)
        wav = os.path.join(folder, "answer.flac")
        write_recording(audio, __import__("pathlib").Path(wav))

        gaps: dict[str, list[float]] = {"recording": [], "processing": []}
        clock = QElapsedTimer()
        phase = {"name": None}

        def tick() -> None:
            if phase["name"] and clock.isValid():
                gaps[phase["name"]].append(clock.nsecsElapsed() / 1e6)
            clock.restart()

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        timer.start()

        def wait(predicate, timeout_s: float) -> None:
            deadline = time.monotonic() + timeout_s
            while not predicate():
                app.processEvents()
                time.sleep(0.001)
                if time.monotonic() > deadline:
                    raise TimeoutError

        # What the app does when the speech model is ready (load_model_in_background): the start-up
        # heap leaves full garbage collections, and the Progress page is prepared before any answer.
        from app.gui.application import settle_heap

        settle_heap()
        window.review.warm_up()
        wait(lambda: "progress" in window.review.pages, 30)
        window.start_page.start_button.click()
        window.controller.start_answer()
        wait(lambda: window.controller.phase is Phase.ANSWER, 30)
        phase["name"] = "recording"
        clock.restart()
        player = mic.play(__import__("pathlib").Path(wav))
        wait(lambda: player.poll() is not None, answer_s + 60)
        wait(lambda: window.controller.recording.seconds >= answer_s + 0.5, 30)
        phase["name"] = "processing"
        stopped = time.perf_counter()
        window.controller.stop_answer()
        wait(lambda: window.controller.phase is Phase.FEEDBACK, 300)
        feedback_s = time.perf_counter() - stopped
        timer.stop()
        extra = {k: [max(0.0, g - 5.0) for g in v] for k, v in gaps.items()}
        result = {
            "answer_s": answer_s,
            "stop_to_feedback_s": round(feedback_s, 3),
            "stream_chunks": None,
            "longest_stall_recording_ms": round(max(extra["recording"]), 1),
            "p99_stall_recording_ms": round(sorted(extra["recording"])[int(len(extra["recording"]) * 0.99)], 1),
            "longest_stall_processing_ms": round(max(extra["processing"]) if extra["processing"] else 0.0, 1),
            "ticks": {k: len(v) for k, v in gaps.items()},
        }
        print(json.dumps(result), flush=True)
        return result
    finally:
        mic.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answer-s", type=float, default=60.0)
    args = parser.parse_args()
    result = {"launch": launch(args.runs), "gui_stall": stall(args.answer_s)}
    print(write_result("app", result), flush=True)
    # PySide6 6.12 can crash while Python finalises Qt objects ("none_dealloc"); the figures are
    # written, so leave without finalising.
    os._exit(0)


if __name__ == "__main__":
    main()
