"""Read results kept until the database changes, so going back to a view does not re-read 10,000 rows.

The history view, the charts and the start page read every attempt each time they are shown.
Between two visits the history rarely changes, so the answer is kept, tagged with SQLite's
`PRAGMA data_version`. That number changes whenever any *other* connection commits: this
process's pooled connections (every write goes through them) and other processes such as the
CLI. The watching connection is read-only and never writes, so no commit can go unseen.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class ReadCache:
    """Up to `size` results, all from one version of the database; any commit empties it."""

    def __init__(self, database: Path, size: int = 8) -> None:
        self.database = database
        self.size = size
        self._lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None
        self._broken = False
        self._version: int | None = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = self.misses = 0

    def version(self) -> int | None:
        """The database's data_version now, or None when it cannot be watched (then nothing is kept)."""
        with self._lock:
            if self._broken:
                return None
            try:
                if self._watch is None:
                    # Opened on first use, on whichever thread reads first (never the GUI thread).
                    self._watch = sqlite3.connect(
                        f"file:{self.database}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
                    )
                return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                self._broken = True  # correct without the cache, only slower
                return None

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept result for `key` if nothing was committed since it was read, else `compute()`.

        The version is read before computing: a commit that lands during the read changes the
        version, so that result is dropped at the next call instead of being served stale.
        """
        version = self.version()
        if version is None:
            return compute()
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            elif key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
        value = compute()
        with self._lock:
            self.misses += 1
            if self._version == version:
                self._entries[key] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def close(self) -> None:
        with self._lock:
            self._entries.clear()
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            self._broken = True
