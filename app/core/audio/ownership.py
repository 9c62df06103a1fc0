"""Who owns an answer on disk: a lock file held from the first sample until the attempt is stored.

A recording in the incoming folder may belong to a live process (this window recording or
saving it, a second window, the CLI) or be an orphan left by a crash. The owner holds an OS lock
(`flock` on POSIX, a byte lock on Windows, through `filelock`) on `<id>.lock`; the kernel drops it
when the owner dies, however it dies, so "can I take the lock?" is exactly "is it an orphan?".
"""

from __future__ import annotations

import logging
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_SUFFIX = ".lock"

log = logging.getLogger(__name__)


class RecordingClaim:
    """A held lock on one recording. Passed from the recorder to the save path; released by them."""

    def __init__(self, lock_path: Path, lock: FileLock) -> None:
        self.lock_path = lock_path
        self._lock = lock

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def release(self, remove: bool = False) -> None:
        """Let go; `remove` once the recording's journal is gone, so no lock file is left behind."""
        if not self._lock.is_locked:
            return
        if remove:
            self.lock_path.unlink(missing_ok=True)
        self._lock.release(force=True)


def lock_path_for(incoming_dir: Path, recording_id: str) -> Path:
    return Path(incoming_dir) / f"{recording_id}{LOCK_SUFFIX}"


def claim(incoming_dir: Path, recording_id: str) -> RecordingClaim | None:
    """Take the recording's lock without waiting; None when a live process holds it."""
    path = lock_path_for(incoming_dir, recording_id)
    # thread_local=False: the recorder takes it on a worker thread and the save job releases it on another.
    lock = FileLock(str(path), timeout=0, thread_local=False, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        return None
    except OSError:
        log.exception("could not take the lock of recording %s", recording_id)
        return None
    return RecordingClaim(path, lock)


def is_owned(incoming_dir: Path, recording_id: str) -> bool:
    """True while a live process (this one included) holds the recording."""
    probe = claim(incoming_dir, recording_id)
    if probe is None:
        return True
    probe.release()
    return False
