"""The small JSON file beside a recording in progress that says what it is, so a crash loses nothing.

It is written when recording starts, rewritten when the raw part file has become the FLAC, and
removed only once the scored attempt is committed: until then it is how the next start finds
the answer again.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

JOURNAL_SUFFIX = ".json"
PART_SUFFIX = ".pcm"

log = logging.getLogger(__name__)


def write_journal(path: Path, payload: dict[str, Any]) -> None:
    """Replace the journal atomically (write, fsync, rename), readable by its owner only."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_journal(path: Path) -> dict[str, Any]:
    """The journal's contents; {} when it is missing or torn (the audio is still worth keeping)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("unreadable recording journal %s", path, exc_info=True)
        return {}
    return data if isinstance(data, dict) else {}
