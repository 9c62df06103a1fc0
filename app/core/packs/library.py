"""Finding packs: the ones that ship with the app and the ones in the user's pack folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.packs.loader import load_pack
from app.core.packs.model import Pack, PackError

PACK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PackSource:
    """One pack file found on disk: loaded, or the error that stops it loading."""

    path: Path
    pack: Pack | None
    error: PackError | None
    builtin: bool

    @property
    def ok(self) -> bool:
        return self.pack is not None


class PackLibrary:
    """Packs from a list of folders; a broken file is listed with its error, never fatal."""

    def __init__(self, builtin_dir: Path, user_dir: Path | None = None) -> None:
        self.builtin_dir = Path(builtin_dir)
        self.user_dir = Path(user_dir) if user_dir else None

    def _files(self) -> list[tuple[Path, bool]]:
        found: list[tuple[Path, bool]] = []
        for folder, builtin in ((self.builtin_dir, True), (self.user_dir, False)):
            if folder and folder.is_dir():
                found += [
                    (p, builtin) for p in sorted(folder.iterdir()) if p.suffix.lower() in PACK_SUFFIXES and p.is_file()
                ]
        return found

    def scan(self) -> list[PackSource]:
        sources = []
        for path, builtin in self._files():
            try:
                sources.append(PackSource(path, load_pack(path), None, builtin))
            except PackError as exc:
                sources.append(PackSource(path, None, exc, builtin))
        return sources

    def packs(self) -> list[Pack]:
        """Loadable packs; where two share an id, the user's copy wins over the built-in one."""
        by_id: dict[str, Pack] = {}
        for source in self.scan():
            if source.pack is not None and (source.pack.id not in by_id or not source.builtin):
                by_id[source.pack.id] = source.pack
        return list(by_id.values())

    def resolve(self, ref: str) -> Pack:
        """A pack by file path or by id. Raises PackError or LookupError with a usable message."""
        path = Path(ref).expanduser()
        if path.suffix.lower() in PACK_SUFFIXES or path.exists():
            return load_pack(path)
        packs = self.packs()
        for pack in packs:
            if pack.id == ref:
                return pack
        known = ", ".join(sorted(p.id for p in packs)) or "none found"
        raise LookupError(f"no pack with id '{ref}' (known packs: {known})")
