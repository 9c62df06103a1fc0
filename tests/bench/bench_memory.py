"""Memory: peak RSS while transcribing, and RSS over a 30-minute recording (it must stay flat).

    python -m tests.bench.bench_memory [--minutes 30]

1. Peak resident memory of a fresh process that loads the model and the key-point scorer,
   then transcribes and scores a 120 s answer (batch), measured by getrusage in a child process.
2. A 30-minute recording through the real recorder (ALSA `fakemic` device from tests/conftest.py,
   fed from a file, faster than real time) with streaming transcription attached, sampling RSS
   every 0.25 s: audio goes to disk, the stream spills what it cannot keep up with, so memory
   must not grow with the length of the answer.
"""

from __future__ import annotations

import argparse
import json
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
from app.core.scoring import EmbeddingScorer
start = rss_mb()
audio, _ = spoken_answer(120)
transcriber = load_model()
scorer = EmbeddingScorer(); scorer.embedder.load()
loaded = rss_mb()
pack = load_pack({repo!r} + "/questions/ml-interpretability.yaml")
analysis = analyse_answer(audio, pack, pack.questions[0], transcriber, scorer)
print(json.dumps({{"rss_start_mb": round(start, 1), "rss_models_loaded_mb": round(loaded, 1),
                  "peak_rss_mb": round(peak_rss_mb(), 1), "words": len(analysis.transcript.words)}}))
"""


def peak_while_transcribing() -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD.format(repo=str(REPO))], capture_output=True, text=True, cwd=REPO, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


def long_recording(minutes: float) -> dict:
    sys.path.insert(0, str(REPO))
    import tests.conftest as fixtures  # HOME with the fakemic .asoundrc, set before sounddevice loads
    from app.core.audio.recorder import Recorder
    from app.core.transcribe.streaming import StreamingTranscriber
    from tests.bench.common import load_model

    answer, _ = spoken_answer(120)
    repeats = int(np.ceil(minutes * 60 / (answer.shape[0] / SAMPLE_RATE)))
    pcm = (np.clip(np.tile(answer, repeats), -1, 1) * 32767).astype("<i2")
    fixtures.FAKEMIC_RAW.write_bytes(pcm.tobytes())
    del pcm
    transcriber = load_model()
    folder = Path(tempfile.mkdtemp(prefix="rehearse-bench-"))
    samples: list[tuple[float, float, float]] = []
    done = threading.Event()
    recorder = Recorder(folder, device="fakemic", max_seconds=minutes * 60, on_finished=lambda _r: done.set())
    stream = StreamingTranscriber(lambda: transcriber, question_text="Tell me about SHAP.")
    recorder.add_listener(stream.feed)
    baseline = rss_mb()
    started = time.perf_counter()
    recorder.start()
    while not done.wait(0.25):
        samples.append((round(time.perf_counter() - started, 2), round(recorder.seconds, 1), round(rss_mb(), 1)))
    result = recorder.stop()
    samples.append((round(time.perf_counter() - started, 2), round(recorder.seconds, 1), round(rss_mb(), 1)))
    stream.close()
    rss = [s[2] for s in samples]
    out = {
        "recorded_minutes": round(result.duration_s / 60, 2),
        "wall_s": samples[-1][0],
        "rss_before_mb": round(baseline, 1),
        "rss_first_sample_mb": rss[0],
        "rss_max_mb": max(rss),
        "rss_last_mb": rss[-1],
        "growth_last_vs_first_mb": round(rss[-1] - rss[0], 1),
        "stream_spilled": stream.stats.spilled,
        "part_file_mb": round(result.part_path.stat().st_size / 1e6, 1),
        "samples": samples[:: max(1, len(samples) // 40)],
    }
    print(json.dumps({k: v for k, v in out.items() if k != "samples"}), flush=True)
    fixtures.FAKEMIC_RAW.write_bytes(b"")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args()
    result = {"transcribing": peak_while_transcribing(), "long_recording": long_recording(args.minutes)}
    print(write_result("memory", result))


if __name__ == "__main__":
    main()
