"""Where things live: bundled resources, question packs and the user's data folder.

One place decides, so the CLI, the GUI, the frozen bundle and the tests agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "REHEARSE_DATA_DIR"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def _bundled_dir(name: str) -> Path:
    """`resources/` or `questions/`, wherever this install keeps them.

    Frozen builds unpack beside the executable (sys._MEIPASS); wheels carry them inside
    the package (`app/resources`); a source checkout has them at the repository root.
    """
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / name)
    candidates += [_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name]
    return _first_existing(*candidates)


def resource_path(*parts: str) -> Path:
    """A file under the bundled `resources/` folder."""
    return _bundled_dir("resources").joinpath(*parts)


def builtin_packs_dir() -> Path:
    """The question packs that ship with the app."""
    return _bundled_dir("questions")


def default_data_dir() -> Path:
    """The platform's per-user data folder, unless REHEARSE_DATA_DIR points elsewhere."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("rehearse", appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create a folder only its owner can read (0700 on POSIX): it holds voice recordings."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


class DataDir:
    """The layout of one data folder: database, recordings, the user's own packs, models."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_data_dir()

    @property
    def database(self) -> Path:
        return self.root / "rehearse.sqlite3"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def incoming(self) -> Path:
        """Recordings in progress: raw audio plus a journal, so a crash loses at most a second."""
        return self.recordings / "incoming"

    @property
    def packs(self) -> Path:
        return self.root / "packs"

    @property
    def models(self) -> Path:
        return self.root / "models"

    def create(self) -> DataDir:
        for folder in (self.root, self.recordings, self.incoming, self.packs):
            ensure_private_dir(folder)
        return self

    def relative(self, path: Path) -> str:
        """Paths are stored relative to the data folder, so the folder can be moved."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def absolute(self, stored: str) -> Path:
        path = Path(stored)
        return path if path.is_absolute() else self.root / path
