"""Answers on disk that have no attempt row yet: being recorded, being saved, or left by a crash.

Each lives in the incoming folder as a journal (what it is) plus its audio: the raw part file
while recording, then the FLAC it becomes (the journal then names it). The journal goes only
when the attempt is committed, so a crash at any moment leaves something the next start finds.
The lock file (ownership.py) tells a live owner's answer from an orphan.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from app.core.audio.files import RECORDING_SUFFIX, SAMPLE_RATE, pcm_to_recording, recording_seconds, write_recording
from app.core.audio.journal import JOURNAL_SUFFIX, PART_SUFFIX, read_journal, write_journal
from app.core.audio.ownership import LOCK_SUFFIX, RecordingClaim, claim, is_owned

log = logging.getLogger(__name__)

UNASSIGNED = "unassigned"


@dataclass
class PendingRecording:
    """One answer without an attempt row. `claim` is set while this process owns it."""

    journal_path: Path
    journal: dict[str, Any]
    claim: RecordingClaim | None = field(default=None, compare=False, repr=False)

    @property
    def recording_id(self) -> str:
        return self.journal_path.stem

    @property
    def incoming_dir(self) -> Path:
        return self.journal_path.parent

    @property
    def part_path(self) -> Path:
        return self.journal_path.with_suffix(PART_SUFFIX)

    @property
    def audio_path(self) -> Path | None:
        """The FLAC, once the part file has become one."""
        audio = self.journal.get("audio")
        return self.incoming_dir.parent / audio if isinstance(audio, str) else None

    @property
    def finalised(self) -> bool:
        audio = self.audio_path
        return audio is not None and audio.exists() and not self.part_path.exists()

    @property
    def duration_s(self) -> float:
        try:
            if self.part_path.exists():
                return (self.part_path.stat().st_size // 2) / SAMPLE_RATE
            audio = self.audio_path
            return recording_seconds(audio) if audio is not None and audio.exists() else 0.0
        except OSError:
            return 0.0

    @property
    def started_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.journal["started_at"])
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def context(self) -> dict[str, Any]:
        context = self.journal.get("context")
        return context if isinstance(context, dict) else {}

    def take(self) -> bool:
        """Claim it for this process (False when a live process owns it)."""
        if self.claim is None or not self.claim.held:
            self.claim = claim(self.incoming_dir, self.recording_id)
        return self.claim is not None

    def finalise(self, folder: str | None = None) -> tuple[Path, float]:
        """The part file becomes the FLAC (under recordings/<year>/<month>/, or `folder`) and the
        journal names it; only then is the part file removed. Idempotent: a second call (recovery
        after a crash that came after this step) finds the FLAC and returns it."""
        if self.finalised:
            audio = self.audio_path
            assert audio is not None
            return audio, recording_seconds(audio)
        dest = recording_destination(self.incoming_dir.parent, self.recording_id, self.started_at, folder)
        seconds = pcm_to_recording(self.part_path, dest)
        self.journal = {
            **self.journal,
            "audio": dest.relative_to(self.incoming_dir.parent).as_posix(),
            "stage": "finalised",
        }
        write_journal(self.journal_path, self.journal)
        self.part_path.unlink(missing_ok=True)
        return dest, seconds

    def done(self) -> None:
        """The attempt is committed: nothing is left to recover."""
        self.journal_path.unlink(missing_ok=True)
        self.part_path.unlink(missing_ok=True)
        if self.claim is not None:
            self.claim.release(remove=True)

    def release(self) -> None:
        """Stop owning it without finishing (cancelled at shutdown): the next start recovers it."""
        if self.claim is not None:
            self.claim.release()


def recording_destination(
    recordings_dir: Path, recording_id: str, when: datetime | None = None, folder: str | None = None
) -> Path:
    when = when or datetime.now(UTC)
    where = recordings_dir / folder if folder else recordings_dir / f"{when:%Y}" / f"{when:%m}"
    return where / f"{recording_id}{RECORDING_SUFFIX}"


def start_pending(
    incoming_dir: Path, recording_id: str, context: dict[str, Any], started_at: datetime | None = None, **extra: Any
) -> PendingRecording:
    """A new pending answer, owned by this process: lock first, then the journal."""
    incoming_dir.mkdir(parents=True, exist_ok=True)
    owned = claim(incoming_dir, recording_id)
    if owned is None:
        raise RuntimeError(f"recording {recording_id} is already owned by another process")
    journal = {
        "id": recording_id,
        "format": "s16le",
        "samplerate": SAMPLE_RATE,
        "channels": 1,
        "started_at": (started_at or datetime.now(UTC)).isoformat(),
        "pid": os.getpid(),
        "context": context,
        **extra,
    }
    pending = PendingRecording(incoming_dir / f"{recording_id}{JOURNAL_SUFFIX}", journal, owned)
    write_journal(pending.journal_path, journal)
    return pending


def pending_from_audio(
    incoming_dir: Path, recording_id: str, samples: np.ndarray, context: dict[str, Any]
) -> PendingRecording:
    """An answer that arrives as a whole file (`rehearse score --save`): its FLAC is written and the
    journal names it before anything is transcribed, so it takes the same save path as a live one."""
    pending = start_pending(incoming_dir, recording_id, context, stage="finalised")
    dest = recording_destination(incoming_dir.parent, recording_id, pending.started_at)
    try:
        write_recording(samples, dest)
    except BaseException:  # a full disk: no journal naming audio that is not there, nothing half-saved
        log.exception("recording %s could not be written to %s", recording_id, dest)
        dest.unlink(missing_ok=True)
        pending.done()
        raise
    pending.journal = {**pending.journal, "audio": dest.relative_to(incoming_dir.parent).as_posix()}
    write_journal(pending.journal_path, pending.journal)
    return pending


def find_unfinished(incoming_dir: Path) -> list[PendingRecording]:
    """Orphans only, oldest first: answers whose owner is gone. A live process's answer (a
    recording in progress, a save under way, in this process or another) is never listed."""
    if not incoming_dir.is_dir():
        return []
    ids = {p.stem for p in incoming_dir.iterdir() if p.suffix in (JOURNAL_SUFFIX, PART_SUFFIX)}
    found = []
    for recording_id in sorted(ids):
        if is_owned(incoming_dir, recording_id):
            continue
        item = PendingRecording(
            incoming_dir / f"{recording_id}{JOURNAL_SUFFIX}",
            read_journal(incoming_dir / f"{recording_id}{JOURNAL_SUFFIX}"),
        )
        if not item.part_path.exists() and not (item.audio_path and item.audio_path.exists()):
            log.warning("journal %s names no audio that exists; removed", item.journal_path)
            item.journal_path.unlink(missing_ok=True)
            (incoming_dir / f"{recording_id}{LOCK_SUFFIX}").unlink(missing_ok=True)
            continue
        found.append(item)
    return sorted(found, key=_age)


def _age(item: PendingRecording) -> float:
    started = item.started_at
    if started is not None:
        return started.timestamp()
    try:
        return item.part_path.stat().st_mtime
    except OSError:
        return 0.0


def discard(item: PendingRecording) -> bool:
    """Delete an orphan's audio and journal; refuses (False) when a live process owns it."""
    if not item.take():
        return False
    audio = item.audio_path
    if audio is not None:
        audio.unlink(missing_ok=True)
    item.done()
    log.info("discarded unfinished recording %s", item.recording_id)
    return True
