"""Memory: peak RSS while transcribing, and RSS over a 30-minute recording (it must stay flat).

    python -m tests.bench.bench_memory [--minutes 30]

1. Peak resident memory of a fresh process that loads what the app loads (Whisper, the key-point
   judge with its token recall, the story judge), then transcribes and scores a 120 s answer
   (batch), measured by getrusage in a child process: the median and the largest of `--runs`.
2. A 30-minute recording through the real recorder (writer thread, part file on disk) with
   streaming transcription attached, sampling RSS every second. The input device is a stand-in
   that delivers a spoken answer, looped, at `--pace` times real time through the same callback
   PortAudio would call (a real device cannot be sped up; ALSA's file device is unpaced and
   delivers 30 minutes in a few seconds, which says nothing about streaming). Audio goes to disk
   and the stream keeps only the audio it has not transcribed yet, so memory must not grow
   with the length of the answer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from tests.bench.common import REPO, SAMPLE_RATE, rss_mb, spoken_answer, write_result

CHILD = """
import json, sys
sys.path.insert(0, {repo!r})
from tests.bench.common import load_model, peak_rss_mb, rss_mb, spoken_answer
from app.core.analysis import analyse_answer
from app.core.packs import load_pack
from app.core.scoring.entailment import EntailmentJudge, story_judge_dir
start = rss_mb()
audio, _ = spoken_answer(120)
transcriber = load_model()
scorer = EntailmentJudge(threads={threads}).load()
story_judge = EntailmentJudge(story_judge_dir(), recall=scorer.recall).load()
loaded = rss_mb()
pack = load_pack({repo!r} + "/questions/ml-interpretability.yaml")
analysis = analyse_answer(audio, pack, pack.questions[0], transcriber, scorer, story_judge=story_judge)
print(json.dumps({{"rss_start_mb": round(start, 1), "rss_models_loaded_mb": round(loaded, 1),
                  "peak_rss_mb": round(peak_rss_mb(), 1), "words": len(analysis.transcript.words)}}))
"""


def peak_while_transcribing(runs: int = 9, judge_runs: int = 0) -> dict:
    """The peak of `runs` fresh processes: it moves by about 50 MB from run to run with the same input
    (glibc's per-thread heaps and what Whisper, Praat and onnxruntime allocate when), so one run says little.
    `judge_runs`: pairs the judge reads at once (0: as the app, one per CPU this process may use, at most four);
    each holds its own activations, so a machine with four or more cores needs more than this one."""
    results = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", CHILD.format(repo=str(REPO), threads=judge_runs)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=900,
        )
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    peaks = sorted(r["peak_rss_mb"] for r in results)
    return {
        **results[0],
        "runs": runs,
        "judge_runs": judge_runs or "one per CPU, at most four",
        "peak_rss_mb": round(statistics.median(peaks), 1),
        "peak_rss_max_mb": peaks[-1],
        "peaks_mb": peaks,
        "rss_models_loaded_mb": round(statistics.median(r["rss_models_loaded_mb"] for r in results), 1),
    }


class _PacedStream:
    """The device edge: calls the recorder's callback with 50 ms blocks of `audio`, at `pace` x real time."""

    def __init__(self, audio: np.ndarray, pace: float, callback, finished_callback, blocksize, **_: object) -> None:
        self.audio, self.pace, self.callback, self.finished, self.blocksize = (
            audio,
            pace,
            callback,
            finished_callback,
            blocksize,
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = time.perf_counter()
        position = 0
        while not self._stop.is_set():
            block = self.audio[np.arange(position, position + self.blocksize) % self.audio.shape[0]]
            self.callback((block * 32767).astype(np.int16)[:, None], self.blocksize, None, None)
            position += self.blocksize
            delay = started + position / SAMPLE_RATE / self.pace - time.perf_counter()
            if delay > 0:
                time.sleep(delay)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def close(self) -> None:
        pass


def long_recording(minutes: float, pace: float) -> dict:
    from types import SimpleNamespace

    from app.core.audio.recorder import Recorder
    from app.core.transcribe.streaming import StreamingTranscriber
    from tests.bench.common import load_model

    answer, _ = spoken_answer(120)
    sd = SimpleNamespace(
        query_devices=lambda: [{"name": "paced", "max_input_channels": 1, "hostapi": 0, "default_samplerate": 16000.0}],
        query_hostapis=lambda: [{"name": "bench"}],
        default=SimpleNamespace(device=(0, 0)),
        InputStream=lambda **kw: _PacedStream(answer, pace, **kw),
    )
    transcriber = load_model()
    transcriber.warm_up()
    folder = Path(tempfile.mkdtemp(prefix="rehearse-bench-"))
    samples: list[tuple[float, float, float]] = []
    done = threading.Event()
    recorder = Recorder(folder, max_seconds=minutes * 60, sd=sd, on_finished=lambda _r: done.set())
    stream = StreamingTranscriber(lambda: transcriber, question_text="Tell me about SHAP.")
    recorder.add_listener(stream.feed)
    baseline = rss_mb()
    started = time.perf_counter()
    recorder.start()
    while not done.wait(1.0):
        samples.append((round(time.perf_counter() - started, 2), round(recorder.seconds, 1), round(rss_mb(), 1)))
    result = recorder.stop()
    finish_started = time.perf_counter()
    transcript = stream.finish(lambda: np.zeros(0, np.float32))
    finish_s = time.perf_counter() - finish_started
    samples.append((round(time.perf_counter() - started, 2), round(recorder.seconds, 1), round(rss_mb(), 1)))
    rss = [s[2] for s in samples]
    tenth = max(1, len(rss) // 10)
    out = {
        "recorded_minutes": round(result.duration_s / 60, 2),
        "pace": pace,
        "wall_s": samples[-1][0],
        "rss_before_mb": round(baseline, 1),
        "rss_first_tenth_max_mb": max(rss[:tenth]),
        "rss_last_tenth_max_mb": max(rss[-tenth:]),
        "rss_max_mb": max(rss),
        "stream_spilled": stream.stats.spilled,
        "stream_chunks": stream.stats.chunks,
        "words": len(transcript.words),
        "finish_s": round(finish_s, 3),
        "part_file_mb": round(result.part_path.stat().st_size / 1e6, 1),
        "samples": samples[:: max(1, len(samples) // 60)],
    }
    print(json.dumps({k: v for k, v in out.items() if k != "samples"}), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--pace", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=9, help="fresh processes for the peak while transcribing")
    parser.add_argument(
        "--peak-only", action="store_true", help="only the peak while transcribing (keeps the stored long run)"
    )
    parser.add_argument(
        "--judge-runs",
        type=int,
        default=0,
        help="only the peak with this many pairs judged at once (4: as on a machine of four or more cores), "
        "stored beside the app's own",
    )
    args = parser.parse_args()
    if args.judge_runs or args.peak_only:
        result = json.loads((REPO / "tests" / "bench" / "results" / "memory.json").read_text())
        when = result.get("machine", {}).get("when")  # the stored parts keep their own date
        result["long_recording"].setdefault("measured", when)
        if args.judge_runs:
            result["transcribing"].setdefault("measured", when)
            result[f"transcribing_{args.judge_runs}_judge_runs"] = peak_while_transcribing(args.runs, args.judge_runs)
        else:
            result["transcribing"] = peak_while_transcribing(args.runs)
    else:
        result = {
            "transcribing": peak_while_transcribing(args.runs),
            "long_recording": long_recording(args.minutes, args.pace),
        }
    print(write_result("memory", result))


if __name__ == "__main__":
    main()
