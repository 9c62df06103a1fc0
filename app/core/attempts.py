"""From a finished recording to a saved attempt: finalise the audio, transcribe, score, store.

Used by the GUI (on a worker thread), by crash recovery on start-up and by the CLI. The order
keeps the person's audio safe: the FLAC file exists before transcription starts, and if the
model fails the attempt is still saved (status "untranscribed") with its recording.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core.analysis import AnswerAnalysis, analyse_answer, judge_transcript
from app.core.audio.files import load_audio
from app.core.audio.recovery import finalize, recording_destination
from app.core.packs.model import Pack, Question
from app.core.scoring.delivery import analyse_delivery
from app.core.transcribe.streaming import StreamingTranscriber
from app.core.transcribe.transcript import Transcript
from app.core.workspace import Workspace

Progress = Callable[[str, float], None]


@dataclass
class SavedAttempt:
    attempt_id: int
    analysis: AnswerAnalysis
    audio_path: Path
    error: str | None = None  # set when the audio was kept but could not be transcribed


def _empty_analysis(pack: Pack, question: Question, duration_s: float, scorer_name: str) -> AnswerAnalysis:
    from app.core.scoring.keypoints import PointResult

    transcript = Transcript(words=[], raw_words=[], duration_s=duration_s)
    return AnswerAnalysis(
        pack_id=pack.id,
        question_id=question.id,
        transcript=transcript,
        delivery=analyse_delivery([], duration_s, question.answer_seconds),
        key_points=[PointResult(kp.text, False, 0.0, 0.0) for kp in question.key_points],
        scorer=scorer_name,
    )


def save_recording_as_attempt(
    workspace: Workspace,
    pack: Pack,
    question: Question,
    part_path: Path,
    journal_path: Path,
    *,
    recording_id: str,
    started_at: datetime | None = None,
    session_id: int | None = None,
    settings: dict[str, Any] | None = None,
    status: str = "complete",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    stream: StreamingTranscriber | None = None,
) -> SavedAttempt:
    """Finalise a part file into a recording and store it as a scored attempt.

    With a `stream` that transcribed the answer while it was recorded, only its last chunk is
    left to transcribe; without one, the whole recording is transcribed now.
    """
    if progress:
        progress("saving audio", 0.0)
    dest = recording_destination(workspace.data_dir.recordings, recording_id, started_at)
    duration = finalize(part_path, journal_path, dest)
    try:
        transcriber = workspace.transcriber()
        if stream is not None:
            def transcribing(fraction: float) -> None:
                if progress:
                    progress("transcribing", fraction)

            transcript = stream.finish(lambda: load_audio(dest), transcribing, cancel)
            if progress:
                progress("scoring", 0.0)
            analysis = judge_transcript(pack, question, transcript, workspace.scorer())
            if progress:
                progress("done", 1.0)
        else:
            analysis = analyse_answer(load_audio(dest), pack, question, transcriber, workspace.scorer(), progress, cancel)
        settings = {"model": transcriber.info.name, "streaming": stream is not None, **(settings or {})}
        error = None
    except Exception as exc:  # the model or decoding failed: keep the audio, save the attempt anyway
        analysis = _empty_analysis(pack, question, duration, "none")
        status = "untranscribed"
        error = f"The answer was saved but could not be transcribed: {exc}"
    attempt_id = workspace.history.save_attempt(
        pack, question, analysis, dest, session_id=session_id, settings=settings, status=status, created_at=started_at
    )
    return SavedAttempt(attempt_id, analysis, dest, error)
