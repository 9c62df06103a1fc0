"""Question packs, as My packs and File → Import pack ask for them: list, check, import and save.

Every write lands in the user pack folder under a name made from the pack's id, never outside it;
the window only asks the person whether to replace a pack that is already there.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from app.core.packs import Pack, PackError, PackIssue, PackLibrary, PackSource, load_pack, load_pack_text
from app.core.packs.writer import inside, user_pack_path, write_text_atomically


@dataclass(frozen=True)
class PackFile:
    """A valid pack and the user pack file it would be written to."""

    pack: Pack
    destination: Path
    replaces: bool  # another file of the person's already has this pack's id


class PackService:
    def __init__(self, library: PackLibrary, folder: Path) -> None:
        self.library = library
        self.folder = folder  # the person's own packs

    def scan(self) -> list[PackSource]:
        """Every pack the app can offer; the user's copy of a built-in pack wins."""
        return self.library.scan()

    @staticmethod
    def check(text: str, label: str) -> tuple[Pack | None, list[PackIssue]]:
        """The pack in `text` and its problems, exactly as `rehearse check` reports them."""
        try:
            pack = load_pack_text(text, label)
        except PackError as exc:
            return None, sorted(exc.issues + exc.warnings, key=lambda i: i.line or 0)
        return pack, list(pack.warnings)

    def place(self, pack: Pack, source: Path | None = None) -> PackFile:
        """Where `pack` goes; ValueError when its id cannot be a file name inside the folder."""
        dest = user_pack_path(self.folder, pack.id)
        replaces = dest.exists() and (source is None or dest.resolve() != source.resolve())
        return PackFile(pack, dest, replaces)

    def prepare_import(self, path: Path) -> PackFile:
        """Read and check a pack file to import (PackError names file, line and field)."""
        return self.place(load_pack(path), path)

    def install(self, planned: PackFile, path: Path) -> Path:
        """Copy an imported pack file into the folder (nothing to do when it is already there)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if planned.destination.resolve() != path.resolve():
            shutil.copyfile(path, planned.destination)
        return planned.destination

    def save(self, text: str, planned: PackFile, old: Path | None = None) -> Path:
        """Write the edited pack; when its id changed, its old file in the folder goes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        dest = write_text_atomically(text if text.endswith("\n") else text + "\n", planned.destination)
        if old is not None and inside(self.folder, old) and old.resolve() != dest.resolve():
            old.unlink(missing_ok=True)
        return dest
