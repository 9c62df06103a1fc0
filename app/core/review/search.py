"""Finding answers by what was said: the History search box and the words it marks in an answer.

The database filter (History.attempt_summaries(text=...)) and the marking here read a query the
same way: every term must occur in the transcript, case aside, as part of a word ("lime" finds
"LIME," and "LIME's"), so what History lists is what the answer view marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


def search_terms(text: str) -> list[str]:
    """The terms of a query: lower case, outer punctuation gone, each once, in order."""
    terms: list[str] = []
    for part in text.split():
        term = _EDGE.sub("", part.lower())
        if term and term not in terms:
            terms.append(term)
    return terms


def like_pattern(term: str) -> str:
    """A LIKE pattern for a term anywhere in the text, with LIKE's own wildcards escaped (escape char \\)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_words(words: Iterable[str], terms: Sequence[str]) -> set[int]:
    """Indices of the words that contain one of the terms (the ones to mark)."""
    if not terms:
        return set()
    return {i for i, word in enumerate(words) if any(term in word.lower() for term in terms)}
