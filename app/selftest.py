"""`rehearse --self-test`: does this install work, here, offline? One line per step, exit 0 or 1.

Runs the real parts on a sample answer that ships in `resources/samples/`: the embedded Whisper
model, the key-point model, Praat (the voice figures), the Alembic migrations (on a scratch
database), PortAudio, and the data folder the app will really use. Made for the frozen bundle's
smoke test and for a person whose install misbehaves. No Qt import.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app import __version__
from app.core.paths import DataDir, resource_path

SAMPLE_AUDIO = ("samples", "self-test.wav")
SAMPLE_PACK = ("samples", "self-test-pack.yaml")
SAMPLE_QUESTION = "shap"


class StepFailed(Exception):
    """A step that ran and found a problem; the message says what."""


class _Report:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failed: list[str] = []

    def step(self, name: str, action: Callable[[], str]) -> bool:
        """Run one step; print its line (with the time it took) or why it failed."""
        start = time.perf_counter()
        try:
            line = action()
        except Exception as exc:  # every failure is reported by step, never as a traceback
            reason = str(exc) if isinstance(exc, StepFailed) else f"{type(exc).__name__}: {exc}"
            self.failed.append(name)
            print(f"{name}: FAILED: {reason}", file=self.out, flush=True)
            return False
        print(line.format(s=time.perf_counter() - start), file=self.out, flush=True)
        return True

    def skipped(self, name: str, because: str) -> None:
        self.failed.append(name)
        print(f"{name}: skipped ({because} failed)", file=self.out, flush=True)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _check_data_dir(root: Path) -> str:
    """Create the folders the app uses, then write, sync and delete a file there."""
    try:
        DataDir(root).create()
        fd, name = tempfile.mkstemp(prefix=".self-test-", dir=root)
        try:
            os.write(fd, b"rehearse self-test\n")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as exc:
        raise StepFailed(f"{root} is not writable: {exc.strerror or exc} ({exc.filename or root})") from None
    return f"data folder {root} writable ({{s:.2f}} s)"


def _check_database() -> str:
    """Apply the shipped Alembic migrations to a scratch database (the real one is left alone)."""
    from app.db.engine import current_revision, open_database

    with tempfile.TemporaryDirectory(prefix="rehearse-self-test-") as scratch:
        engine = open_database(Path(scratch) / "self-test.sqlite3")
        try:
            revision = current_revision(engine)
        finally:
            engine.dispose()
    if not revision:
        raise StepFailed("the migrations left no schema revision")
    return f"database: migrations applied to a scratch database (revision {revision}) in {{s:.2f}} s"


def _check_audio_library() -> str:
    """PortAudio loads (recording needs it); which file was loaded tells a bundle from a system copy."""
    try:
        import sounddevice
    except OSError as exc:
        raise StepFailed(
            f"PortAudio could not be loaded ({exc}); on Debian/Ubuntu: apt-get install libportaudio2"
        ) from None
    version = sounddevice.get_portaudio_version()[1].split(",")[0]
    # Listing devices runs the host APIs (ALSA reads its configuration and plugins): no microphone
    # is needed to pass, but a PortAudio that cannot start fails here rather than at the first answer.
    inputs = sum(1 for device in sounddevice.query_devices() if device["max_input_channels"] > 0)
    return f"audio: {version} from {sounddevice._libname}, {inputs} input device(s), in {{s:.2f}} s"


def run_self_test(data_dir: Path | None = None, out: TextIO | None = None) -> int:
    """Check the install end to end; 0 when every step passed, 1 (naming the steps) otherwise."""
    out = out or sys.stdout
    started = time.perf_counter()
    report = _Report(out)
    print(f"rehearse {__version__} self-test", file=out, flush=True)
    parts: dict[str, Any] = {}

    def load_model() -> str:
        from app.core.transcribe import Transcriber, load_whisper

        model, info = load_whisper(None, fallback=False)
        parts["transcriber"] = Transcriber(model, info)
        return f"model: {info.name} loaded in {{s:.1f}} s ({info.path})"

    def load_scorer() -> str:
        from app.core.scoring.entailment import EntailmentJudge, story_judge_dir

        judge = EntailmentJudge().load()  # loads token recall's model too: the evidence shown for each point
        EntailmentJudge(story_judge_dir(), recall=judge.recall).load()
        parts["scorer"] = judge
        return "key-point judge and story judge (MiniLM, int8 ONNX) and token recall loaded in {s:.1f} s"

    def load_sample() -> str:
        from app.core.audio.files import load_audio
        from app.core.packs import load_pack

        pack = load_pack(resource_path(*SAMPLE_PACK))
        parts["pack"], parts["question"] = pack, pack.question(SAMPLE_QUESTION)
        parts["audio"] = load_audio(resource_path(*SAMPLE_AUDIO))
        return f"sample: {resource_path(*SAMPLE_AUDIO)} and its pack read in {{s:.2f}} s"

    def transcribe() -> str:
        pack, question = parts["pack"], parts["question"]
        transcript = parts["transcriber"].transcribe(
            parts["audio"], question_text=question.text, glossary=pack.glossary_for(question)
        )
        parts["transcript"] = transcript
        if not transcript.has_speech:
            raise StepFailed("the model heard no speech in the sample")
        return f"transcribed {transcript.duration_s:.1f} s of audio in {{s:.1f}} s: '{_short(transcript.text.strip())}'"

    def key_points() -> str:
        from app.core.analysis import judge_transcript

        analysis = judge_transcript(parts["pack"], parts["question"], parts["transcript"], parts["scorer"])
        total = len(analysis.key_points)
        line = f"key points covered {analysis.covered_count}/{total}"
        if analysis.covered_count != total:
            missed = [
                f"{r.point} (score {r.score:.2f} < {r.threshold:.2f})"
                for r in analysis.key_points
                if not r.judged_covered
            ]
            raise StepFailed(f"{line}; missed: {'; '.join(missed)}")
        scores = ", ".join(f"{r.score:.2f}" for r in analysis.key_points)
        return f"{line} in {{s:.2f}} s (scores {scores})"

    def voice() -> str:
        """Praat (parselmouth, a compiled library) measures the sample's pitch and loudness; a bundle
        that lost it would save every answer without its voice figures."""
        from app.core.scoring.voice import measure_voice, voice_track

        figures = measure_voice(voice_track(parts["audio"]), parts["transcript"].words)
        if figures.pitch_median_hz is None or figures.pitch_variation_st is None or figures.level_db is None:
            raise StepFailed("Praat found no voiced speech in the sample")
        return (
            f"voice: Praat pitch median {figures.pitch_median_hz:.0f} Hz, variation {figures.pitch_variation_st:.1f} st, "
            f"{len(figures.sentence_ends)} sentence end(s) measured in {{s:.2f}} s"
        )

    root = Path(data_dir) if data_dir is not None else DataDir().root
    model_ok = report.step("model", load_model)
    scorer_ok = report.step("key-point model", load_scorer)
    sample_ok = report.step("sample", load_sample)
    if model_ok and scorer_ok and sample_ok:
        if report.step("transcription", transcribe):
            report.step("key points", key_points)
            report.step("voice", voice)
        else:
            report.skipped("key points", "transcription")
            report.skipped("voice", "transcription")
    else:
        report.skipped("transcription", "loading")
    report.step("database", _check_database)
    report.step("audio", _check_audio_library)
    report.step("data folder", lambda: _check_data_dir(root))

    elapsed = time.perf_counter() - started
    if report.failed:
        print(f"self-test FAILED ({', '.join(report.failed)}) in {elapsed:.1f} s", file=out, flush=True)
        return 1
    print(f"self-test passed in {elapsed:.1f} s", file=out, flush=True)
    return 0
