"""Opening the history database, for the GUI: what can go wrong and how to start afresh.

The GUI must not import app.db (import contract in pyproject.toml); this is the one place it
learns of a database that cannot be used and moves one aside.
"""

from __future__ import annotations

from pathlib import Path

from app.db.engine import DatabaseError, beside

__all__ = ["DatabaseError", "set_aside"]


def set_aside(path: Path) -> None:
    """Move an unusable database (and SQLite's side files, which belong to it) out of the way, untouched."""
    moved = beside(path)
    path.rename(moved)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(moved.with_name(moved.name + suffix))
