"""Turning part files into recordings: after a normal stop, and after a crash on the next start."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.core.audio.files import RECORDING_SUFFIX, SAMPLE_RATE, pcm_to_recording
from app.core.audio.recorder import JOURNAL_SUFFIX, PART_SUFFIX


@dataclass(frozen=True)
class UnfinishedRecording:
    """A part file left behind by a recording that never reached stop()."""

    part_path: Path
    journal_path: Path
    journal: dict[str, Any]

    @property
    def duration_s(self) -> float:
        try:
            return (self.part_path.stat().st_size // 2) / SAMPLE_RATE
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


def recording_destination(recordings_dir: Path, recording_id: str, when: datetime | None = None) -> Path:
    when = when or datetime.now(timezone.utc)
    return recordings_dir / f"{when:%Y}" / f"{when:%m}" / f"{recording_id}{RECORDING_SUFFIX}"


def finalize(part_path: Path, journal_path: Path, dest: Path) -> float:
    """Write the final recording, then remove the part file and journal. Returns seconds of audio.

    The part file is removed only after the recording is safely on disk, so a failure here
    (a full disk, say) leaves it in place for the next attempt.
    """
    duration = pcm_to_recording(part_path, dest)
    part_path.unlink(missing_ok=True)
    journal_path.unlink(missing_ok=True)
    return duration


def find_unfinished(incoming_dir: Path, exclude: set[Path] | None = None) -> list[UnfinishedRecording]:
    """Part files in the incoming folder, oldest first. Journals whose part file is gone are dropped."""
    exclude = exclude or set()
    if not incoming_dir.is_dir():
        return []
    found = []
    for journal_path in sorted(incoming_dir.glob(f"*{JOURNAL_SUFFIX}")):
        part_path = journal_path.with_suffix(PART_SUFFIX)
        if part_path in exclude:
            continue
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = {}
        if not part_path.exists():
            journal_path.unlink(missing_ok=True)
            continue
        found.append(UnfinishedRecording(part_path, journal_path, journal if isinstance(journal, dict) else {}))
    for part_path in sorted(incoming_dir.glob(f"*{PART_SUFFIX}")):
        if part_path not in exclude and not part_path.with_suffix(JOURNAL_SUFFIX).exists():
            found.append(UnfinishedRecording(part_path, part_path.with_suffix(JOURNAL_SUFFIX), {}))
    return sorted(found, key=lambda u: u.part_path.stat().st_mtime)


def discard(unfinished: UnfinishedRecording) -> None:
    unfinished.part_path.unlink(missing_ok=True)
    unfinished.journal_path.unlink(missing_ok=True)
