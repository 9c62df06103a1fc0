"""Stop-to-feedback latency, WER and jargon recall: streaming vs batch, in one run.

    python -m tests.bench.bench_streaming [--pace 1.0] [--lengths 30,60,120,300] [--skip-latency]
    python -m tests.bench.bench_streaming --sweep 110,114,118,122,126,130   # Stop at many points

Latency is measured on the app's own path (`save_recording_as_attempt`: finalise the FLAC,
transcribe what is left, score, save to SQLite) from the moment the person presses Stop. For
streaming, the answer is fed to the stream at `--pace` times real time while it "records", as
the recorder's writer thread would; batch transcribes the whole recording after Stop.

WER uses the 22 clips of tests/data/eval/speech, normalised with Whisper's English text normaliser
(package whisper-normalizer: numbers, spellings, contractions). The clips are also joined into
one 2-minute answer (with 0.8 s pauses) and fed through the streaming path, to compare with
batch on the same audio.

Jargon recall: glossary terms in spoken reference answers found in the transcript, with and
without the question-aware prompt and the glossary correction.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

from tests.bench.common import EVAL, SAMPLE_RATE, load_model, speak, spoken_answer, write_result


def _workspace(transcriber):
    from app.core.paths import DataDir
    from app.services.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="rehearse-bench-"))
    workspace = Workspace(DataDir(folder).create(), transcriber=transcriber)
    workspace.load_models()  # the app's own key-point scorer and story judge, loaded as at model-ready
    workspace.history  # noqa: B018  (the app opens it at start-up; the first Stop must not pay for it)
    return workspace


def _record(workspace, audio: np.ndarray, stream, pace: float, voice=None):
    """Write the answer to a part file block by block (as the recorder does), feeding the stream
    and the voice tracker as the recorder's listeners are fed."""
    from app.core.audio.pending import start_pending

    pending = start_pending(workspace.data_dir.incoming, uuid.uuid4().hex, {})
    part = pending.part_path
    block = int(0.05 * SAMPLE_RATE)
    started = time.perf_counter()
    with open(part, "wb") as fh:
        for start in range(0, audio.shape[0], block):
            chunk = audio[start : start + block]
            fh.write((np.clip(chunk, -1, 1) * 32767).astype("<i2").tobytes())
            if stream is not None:
                stream.feed(chunk)
            if voice is not None:
                voice.feed(chunk)
            due = started + (start + block) / SAMPLE_RATE / pace
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
    return pending


def latency(
    transcriber, lengths: list[int], pace: float, modes: tuple[str, ...] = ("streaming", "batch")
) -> list[dict]:
    from app.core.packs import load_pack
    from app.core.scoring.voice import VoiceTracker
    from app.services.attempts import save_recording_as_attempt
    from tests.bench.common import REPO

    pack = load_pack(REPO / "questions" / "ml-interpretability.yaml")
    question = pack.questions[0]
    workspace = _workspace(transcriber)
    rows = []
    for seconds in lengths:
        audio, _ = spoken_answer(seconds)
        row: dict = {"answer_s": seconds}
        for mode in modes:
            stream = voice = None
            if mode == "streaming":  # as the practice window records: transcript and voice measured meanwhile
                stream, voice = workspace.start_stream(pack, question), VoiceTracker()
            pending = _record(workspace, audio, stream, pace if mode == "streaming" else 1000.0, voice)
            stages: dict[str, float] = {}
            started = time.perf_counter()

            def progress(
                stage: str, _fraction: float, stages: dict[str, float] = stages, started: float = started
            ) -> None:
                stages.setdefault(stage, time.perf_counter() - started)

            saved = save_recording_as_attempt(
                workspace, pack, question, pending, stream=stream, voice=voice, progress=progress
            )
            row[f"{mode}_stop_to_feedback_s"] = round(time.perf_counter() - started, 3)
            # When each stage began, from Stop: audio saved -> transcribing -> scoring -> done.
            row[f"{mode}_stages_s"] = {k: round(v, 3) for k, v in stages.items()}
            row[f"{mode}_words"] = len(saved.analysis.transcript.words)
            if stream is not None:
                row["streaming_tail_s"] = round(stream.stats.tail_seconds, 2)
                row["streaming_chunks"] = stream.stats.chunks
                row["streaming_spilled"] = stream.stats.spilled
                row["streaming_used_speculative"] = stream.stats.used_speculative
                row["streaming_chunks_deferred"] = stream.stats.chunks_deferred
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def _normaliser():
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer()


def wer(transcriber, pace: float) -> dict:
    import jiwer

    from app.core.audio.files import load_audio
    from app.core.transcribe.streaming import StreamingTranscriber

    normalise = _normaliser()
    manifest = json.loads((EVAL / "speech" / "manifest.json").read_text())
    references, per_clip, clips = [], [], []
    for item in manifest:
        audio = load_audio(EVAL / "speech" / item["path"])
        clips += [audio, np.zeros(int(0.8 * SAMPLE_RATE), np.float32)]
        references.append(normalise(item["reference"]))
        per_clip.append(normalise(transcriber.transcribe(audio, prompt="").text))
    joined = np.concatenate(clips)
    reference_joined = " ".join(references)
    batch_joined = normalise(transcriber.transcribe(joined, prompt="").text)
    stream = StreamingTranscriber(lambda: transcriber)
    stream._prompt = lambda: ""  # same conditions as batch: no question prompt for general speech
    block = int(0.05 * SAMPLE_RATE)
    started = time.perf_counter()
    for start in range(0, joined.shape[0], block):
        stream.feed(joined[start : start + block])
        delay = started + (start + block) / SAMPLE_RATE / pace - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    streamed = normalise(stream.finish(lambda: joined).text)
    result = {
        "clips": len(manifest),
        "audio_s": round(joined.shape[0] / SAMPLE_RATE, 1),
        "normaliser": "whisper_normalizer.english.EnglishTextNormalizer (Whisper's English normaliser)",
        "batch_per_clip_wer": round(jiwer.wer(references, per_clip), 4),
        "batch_joined_wer": round(jiwer.wer(reference_joined, batch_joined), 4),
        "streaming_joined_wer": round(jiwer.wer(reference_joined, streamed), 4),
        "streaming_chunks": stream.stats.chunks,
        "pace": pace,
    }
    print(json.dumps(result), flush=True)
    return result


def jargon(transcriber, questions: int = 8) -> dict:
    from app.core.audio.files import load_audio
    from app.core.packs import load_pack
    from app.core.transcribe.glossary import GlossaryCorrector
    from app.core.transcribe.prompt import build_initial_prompt
    from tests.bench.common import REPO

    pack = load_pack(REPO / "questions" / "ml-interpretability.yaml")
    glossary = pack.glossary
    chosen = [q for q in pack.questions if q.reference_answer and any(t in q.reference_answer for t in glossary)][
        :questions
    ]
    counts = {k: [0, 0] for k in ("no_prompt", "prompt", "no_prompt_corrected", "prompt_corrected")}
    for question in chosen:
        answer = question.reference_answer.replace("\n", " ")
        terms = [t for t in glossary if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", answer)]
        audio = load_audio(speak(answer))
        prompt = build_initial_prompt(question.text, pack.glossary_for(question), question.reference_answer)
        for name, use_prompt in (("no_prompt", False), ("prompt", True)):
            raw, _ = transcriber.raw_words(audio, prompt if use_prompt else "")
            corrected, _ = GlossaryCorrector(pack.glossary_for(question)).correct(raw)
            for variant, words in ((name, raw), (f"{name}_corrected", corrected)):
                text = " ".join(w.text for w in words)
                for term in terms:
                    counts[variant][1] += 1
                    counts[variant][0] += bool(re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text))
    result = {k: {"found": f, "terms": n, "recall": round(f / n, 4) if n else None} for k, (f, n) in counts.items()}
    result["questions"] = [q.id for q in chosen]
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pace", type=float, default=1.0, help="feed speed for streaming, x real time")
    parser.add_argument("--lengths", default="30,60,120,300")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument(
        "--sweep",
        metavar="LENGTHS",
        help="only streaming latency, Stop at each of these answer lengths (e.g. 110,114,118,122,126,130); "
        "writes results/streaming_sweep.json: where Stop falls against the chunk being transcribed decides",
    )
    args = parser.parse_args()
    transcriber = load_model()
    if args.sweep:
        rows = latency(transcriber, [int(x) for x in args.sweep.split(",")], args.pace, modes=("streaming",))
        print(write_result("streaming_sweep", {"pace": args.pace, "latency": rows}))
        return
    out: dict = {"pace": args.pace}
    if not args.skip_latency:
        out["latency"] = latency(transcriber, [int(x) for x in args.lengths.split(",")], args.pace)
    out["wer"] = wer(transcriber, args.pace)
    out["jargon"] = jargon(transcriber)
    print(write_result("streaming", out))


if __name__ == "__main__":
    main()
