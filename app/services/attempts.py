"""From a recorded answer to a saved attempt: the one save path for the practice window, crash
recovery and `rehearse score --save`.

The order keeps the person's audio safe at every moment: the FLAC is written and the journal
names it before the raw part file goes; transcription and scoring come next; the journal (and
the lock that marks the answer as owned) goes only after the attempt row is committed. A crash
anywhere leaves a journal that the next start recovers, and recovering twice cannot store the
answer twice. If the model fails, the attempt is still stored ("untranscribed") with its audio.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.analysis import AnswerAnalysis, analyse_answer, judge_transcript, measured_voice
from app.core.audio.files import load_audio
from app.core.audio.pending import UNASSIGNED, PendingRecording
from app.core.packs import Pack, PackError, Question, load_pack
from app.core.scoring.delivery import analyse_delivery
from app.core.scoring.star import is_story_question
from app.core.scoring.voice import Baseline, VoiceTrack, VoiceTracker
from app.core.transcribe.decoding import TranscriptionCancelled
from app.core.transcribe.streaming import StreamingTranscriber
from app.core.transcribe.transcript import Transcript
from app.services.workspace import Workspace

StageCallback = Callable[[str, float], None]

log = logging.getLogger(__name__)


@dataclass
class SavedAttempt:
    attempt_id: int
    analysis: AnswerAnalysis
    audio_path: Path | None  # None for a typed answer
    error: str | None = None  # set when the audio was kept but could not be transcribed
    lost_s: float = 0.0  # audio the microphone dropped while recording

    @property
    def notice(self) -> str | None:
        """What the person must be told beside the feedback."""
        notes = [self.error] if self.error else []
        if self.lost_s >= 0.05:
            notes.append(
                f"{self.lost_s:.1f} s of audio was lost while recording (the computer could not keep up "
                "with the microphone)."
            )
        return " ".join(notes) or None


def _empty_analysis(pack: Pack, question: Question, duration_s: float, target_s: float | None) -> AnswerAnalysis:
    from app.core.scoring.keypoints import PointResult

    transcript = Transcript(words=[], raw_words=[], duration_s=duration_s)
    return AnswerAnalysis(
        pack_id=pack.id,
        question_id=question.id,
        transcript=transcript,
        delivery=analyse_delivery([], duration_s, target_s or question.answer_seconds),
        key_points=[PointResult(kp.text, False, 0.0, 0.0) for kp in question.key_points],
        scorer="none",
    )


def save_recording_as_attempt(
    workspace: Workspace,
    pack: Pack,
    question: Question,
    pending: PendingRecording,
    *,
    session_id: int | None = None,
    settings: dict[str, Any] | None = None,
    status: str = "complete",
    target_s: float | None = None,
    lost_s: float = 0.0,
    progress: StageCallback | None = None,
    cancel: threading.Event | None = None,
    stream: StreamingTranscriber | None = None,
    voice: VoiceTracker | None = None,
    parent_attempt_id: int | None = None,
) -> SavedAttempt:
    """Finalise, transcribe, score and store one answer that this process owns (`pending.take()`).

    With a `stream` that transcribed the answer while it was recorded, only its last chunk is
    left to transcribe; without one, the whole recording is transcribed now. Likewise a `voice`
    tracker has measured pitch and loudness while recording. Cancelled (the app
    is closing), the answer is left for the next start to recover: nothing half-saved.
    """

    def stage(name: str, fraction: float) -> None:
        if progress and name != "done":  # "done" only once the attempt is stored
            progress(name, fraction)

    stage("saving audio", 0.0)
    try:
        dest, duration = pending.finalise()
    except OSError as exc:
        log.exception("recording %s could not be finalised", pending.recording_id)
        pending.release()
        raise OSError(
            f"The recording could not be written as a FLAC file ({exc.strerror or exc}). The raw audio is "
            f"kept at {pending.part_path} and will be offered for recovery at the next start."
        ) from exc
    stage("transcribing", 0.0)
    try:
        transcriber = workspace.transcriber()
        story_judge = workspace.story_judge() if is_story_question(question) else None
        baseline = _voice_baseline(workspace)
        if stream is not None:
            transcript = stream.finish(
                lambda: load_audio(dest), lambda fraction: stage("transcribing", fraction), cancel
            )
            stage("scoring", 0.0)
            analysis = judge_transcript(
                pack,
                question,
                transcript,
                workspace.scorer(),
                target_s,
                story_judge,
                _voice_track(voice, dest),
                baseline,
            )
        else:
            if voice is not None:
                voice.close()
            analysis = analyse_answer(
                load_audio(dest),
                pack,
                question,
                transcriber,
                workspace.scorer(),
                stage,
                cancel,
                target_s,
                story_judge,
                baseline,
            )
        settings = {"model": transcriber.info.name, "streaming": stream is not None, **(settings or {})}
        error = None
    except TranscriptionCancelled:
        log.info("saving recording %s cancelled; it is kept for recovery at the next start", pending.recording_id)
        pending.release()
        raise
    except Exception as exc:  # the model or decoding failed: keep the audio, save the attempt anyway
        log.exception("recording %s could not be transcribed; saved without a transcript", pending.recording_id)
        analysis = _empty_analysis(pack, question, duration, target_s)
        status = "untranscribed"
        error = f"The answer was saved but could not be transcribed: {exc}"
    stage("storing", 0.0)
    settings = {**(settings or {}), **({"lost_s": lost_s} if lost_s else {})}
    try:
        attempt_id = workspace.history.save_attempt(
            pack,
            question,
            analysis,
            dest,
            session_id=session_id,
            settings=settings,
            status=status,
            created_at=pending.started_at,
            parent_attempt_id=parent_attempt_id,
        )
    except BaseException:
        log.exception("recording %s: the attempt could not be stored; kept for recovery", pending.recording_id)
        pending.release()
        raise
    pending.done()
    if progress:
        progress("done", 1.0)
    return SavedAttempt(attempt_id, analysis, dest, error, lost_s)


def _voice_baseline(workspace: Workspace) -> Baseline | None:
    try:
        return workspace.history.voice_baseline()
    except Exception:
        log.exception("the speaker's voice baseline could not be read; judged against the defaults")
        return None


def _voice_track(voice: VoiceTracker | None, dest: Path) -> VoiceTrack | None:
    """The track measured while recording, or the whole file's when there was no tracker or it failed."""
    if voice is not None:
        try:
            return voice.finish()
        except Exception:
            log.exception("the voice measured while recording was lost; measuring the recording again")
    return measured_voice(load_audio(dest))


def _find_pack(workspace: Workspace, context: dict[str, object]) -> Pack | None:
    pack_id, pack_path = context.get("pack_id"), context.get("pack_path")
    if isinstance(pack_id, str):
        for pack in workspace.library.packs():
            if pack.id == pack_id:
                return pack
    if isinstance(pack_path, str) and Path(pack_path).exists():
        try:
            return load_pack(pack_path)
        except PackError:
            log.warning("the pack of a recovered answer no longer loads: %s", pack_path, exc_info=True)
            return None
    return None


def recover_recording(workspace: Workspace, item: PendingRecording) -> str:
    """Save an orphaned answer as an attempt (status "recovered"); returns a sentence for the person."""
    if not item.take():
        return f"Skipped {item.recording_id}: another Rehearse window is saving it."
    context = item.context
    pack = _find_pack(workspace, context)
    question_id = context.get("question_id")
    question = None
    if pack is not None and isinstance(question_id, str):
        try:
            question = pack.question(question_id)
        except KeyError:
            question = None
    if item.finalised:
        audio = item.audio_path
        assert audio is not None
        stored = workspace.history.attempt_with_audio(audio)
        if stored is not None:  # the crash came after the commit, before the journal went
            item.done()
            return f"The answer in {audio.name} was already saved (attempt {stored})."
    if pack is None or question is None:
        # Without its question the audio cannot be scored; keep it as a plain recording.
        dest, seconds = item.finalise(UNASSIGNED)
        item.done()
        return f"Recovered {seconds:.0f} s of audio to {dest} (its question is no longer available)."
    session_id, target_s = context.get("session_id"), context.get("target_s")
    saved = save_recording_as_attempt(
        workspace,
        pack,
        question,
        item,
        session_id=session_id if isinstance(session_id, int) else None,
        settings={"recovered": True, **({"target_s": target_s} if isinstance(target_s, int | float) else {})},
        status="recovered",
        target_s=float(target_s) if isinstance(target_s, int | float) else None,
    )
    return f"Recovered the answer to '{question.text[:60]}' ({saved.analysis.delivery.duration_s:.0f} s, attempt {saved.attempt_id})."
