"""Recover a recording a crash left behind: find its question again, then transcribe, score and save."""

from __future__ import annotations

from pathlib import Path

from app.core.attempts import save_recording_as_attempt
from app.core.audio.recovery import UnfinishedRecording, finalize
from app.core.packs import Pack, PackError, load_pack
from app.core.workspace import Workspace


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
            return None
    return None


def recover_recording(workspace: Workspace, item: UnfinishedRecording) -> str:
    """Save the recording as an attempt (status "recovered"); returns a sentence for the person."""
    context = item.context
    pack = _find_pack(workspace, context)
    question_id = context.get("question_id")
    question = None
    if pack is not None and isinstance(question_id, str):
        try:
            question = pack.question(question_id)
        except KeyError:
            question = None
    recording_id = item.part_path.stem
    if pack is None or question is None:
        # Without its question the audio cannot be scored; keep it as a plain recording.
        dest = workspace.data_dir.recordings / "unassigned" / f"{recording_id}.flac"
        seconds = finalize(item.part_path, item.journal_path, dest)
        return f"Recovered {seconds:.0f} s of audio to {dest} (its question is no longer available)."
    session_id = context.get("session_id")
    saved = save_recording_as_attempt(
        workspace,
        pack,
        question,
        item.part_path,
        item.journal_path,
        recording_id=recording_id,
        started_at=item.started_at,
        session_id=session_id if isinstance(session_id, int) else None,
        settings={"recovered": True},
        status="recovered",
    )
    return f"Recovered the answer to '{question.text[:60]}' ({saved.analysis.delivery.duration_s:.0f} s, attempt {saved.attempt_id})."
