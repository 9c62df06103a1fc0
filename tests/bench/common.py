"""Shared pieces of the benchmarks: spoken answers of a given length, memory readings, result files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
EVAL = REPO / "tests" / "data" / "eval"  # real speech and grading data, with their licences (tests/data/README.md)
SAMPLE_RATE = 16_000


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    # this run's machine and time, also over the stamp of a stored result read back (bench_memory --peak-only)
    rest = {k: v for k, v in data.items() if k != "machine"}
    path.write_text(json.dumps({"machine": machine(), **rest}, indent=2) + "\n")
    return path


def rss_mb(pid: int | None = None) -> float:
    """Resident memory now, from /proc (Linux)."""
    with open(f"/proc/{pid or 'self'}/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speak(text: str) -> Path:
    sys.path.insert(0, str(REPO))
    from tests.conftest import speak as _speak

    return _speak(text)


def spoken_answer(seconds: float, pause_s: float = 0.8) -> tuple[np.ndarray, str]:
    """An answer of `seconds`: the ML pack's reference answers spoken sentence by sentence, with pauses.

    It ends as a person's answer does: the last sentence is finished, then about a second passes
    before Stop (sentences are added while they fit; the rest is silence).
    """
    from app.core.audio.files import load_audio
    from app.core.packs import load_pack

    pack = load_pack(REPO / "questions" / "ml-interpretability.yaml")
    parts: list[np.ndarray] = []
    texts: list[str] = []
    total = 0
    pause = np.zeros(int(pause_s * SAMPLE_RATE), np.float32)
    for question in pack.questions:
        for sentence in (question.reference_answer or "").replace("\n", " ").split(". "):
            sentence = sentence.strip()
            if not sentence:
                continue
            audio = load_audio(speak(sentence.rstrip(".") + "."))
            if total + audio.shape[0] + SAMPLE_RATE > seconds * SAMPLE_RATE:
                rest = int(seconds * SAMPLE_RATE) - total
                return np.concatenate([*parts, np.zeros(rest, np.float32)]), " ".join(texts)
            parts += [audio, pause]
            texts.append(sentence.rstrip(".") + ".")
            total += audio.shape[0] + pause.shape[0]
    raise ValueError("not enough reference text for that length")


def load_model():
    from app.core.transcribe import Transcriber, load_whisper

    model, info = load_whisper()
    return Transcriber(model, info)


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"
