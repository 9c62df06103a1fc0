"""Question packs: YAML files of questions, reference answers and key points."""

from app.core.packs.library import PackLibrary, PackSource
from app.core.packs.loader import MAX_PACK_BYTES, load_pack, load_pack_text
from app.core.packs.model import KeyPoint, Pack, PackError, PackIssue, Question

__all__ = [
    "MAX_PACK_BYTES",
    "KeyPoint",
    "Pack",
    "PackError",
    "PackIssue",
    "PackLibrary",
    "PackSource",
    "Question",
    "load_pack",
    "load_pack_text",
]
