"""Candidate spans of a transcript that may carry a key point: sentences, clauses, windows.

Spoken transcripts have unreliable punctuation, so besides sentences (cut at . ? ! and at
pauses) we use clauses and overlapping fixed-size windows; a key point is judged against the
best of them, and that span is the evidence shown to the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.scoring.text import FILLER_TOKENS, bare
from app.core.transcribe.transcript import Word

SENTENCE_PAUSE_S = 1.0
WINDOW_WORDS = 12
WINDOW_STRIDE = 6
MAX_SENTENCE_WORDS = 40
_CLAUSE_STARTERS = frozenset({"and", "but", "so", "because", "while", "whereas", "which", "although", "though", "then"})


@dataclass(frozen=True)
class Span:
    start: int  # index of the first word
    end: int  # one past the last word
    text: str  # the words, fillers dropped, as sent to the embedder

    def to_dict(self) -> dict[str, object]:
        return {"start_word": self.start, "end_word": self.end, "text": self.text}


def span_text(words: Sequence[Word], start: int, end: int) -> str:
    """The words [start, end) as shown and embedded: fillers dropped, no dangling commas."""
    kept = [w.text for w in words[start:end] if bare(w.text) not in FILLER_TOKENS]
    return " ".join(kept).strip(" ,")


def _cuts(words: Sequence[Word], clause: bool) -> list[int]:
    """Indices where a new sentence (or clause) begins."""
    cuts = [0]
    for i in range(1, len(words)):
        prev, word = words[i - 1], words[i]
        ends_sentence = prev.text.endswith((".", "?", "!")) or word.start - prev.end >= SENTENCE_PAUSE_S
        ends_clause = prev.text.endswith((",", ";", ":")) or bare(word.text) in _CLAUSE_STARTERS
        if ends_sentence or (clause and ends_clause):
            cuts.append(i)
    cuts.append(len(words))
    return cuts


def candidate_spans(words: Sequence[Word]) -> list[Span]:
    if not words:
        return []
    ranges: set[tuple[int, int]] = set()
    sentences = _cuts(words, clause=False)
    for a, b in zip(sentences, sentences[1:]):
        if b - a <= MAX_SENTENCE_WORDS:
            ranges.add((a, b))
    for a, _b, c in zip(sentences, sentences[1:], sentences[2:]):
        if c - a <= MAX_SENTENCE_WORDS:
            ranges.add((a, c))
    clauses = _cuts(words, clause=True)
    for a, b in zip(clauses, clauses[1:]):
        if b - a >= 3:
            ranges.add((a, b))
    n = len(words)
    if n <= WINDOW_WORDS:
        ranges.add((0, n))
    else:
        for a in range(0, n - WINDOW_WORDS + WINDOW_STRIDE, WINDOW_STRIDE):
            ranges.add((min(a, n - WINDOW_WORDS), min(a + WINDOW_WORDS, n)))
    spans = []
    for a, b in sorted(ranges):
        text = span_text(words, a, b)
        if text:
            spans.append(Span(a, b, text))
    return spans
