"""Small text helpers shared by the scorers and the delivery analysis."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")

FILLER_TOKENS = frozenset(
    {"um", "umm", "ummm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "mhm", "eh"}
)
FILLER_PHRASES = (("you", "know"), ("i", "mean"))
NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "neither",
        "nor",
        "without",
        "cannot",
        "none",
        "nothing",
        "isn't",
        "aren't",
        "doesn't",
        "don't",
        "didn't",
        "won't",
        "wouldn't",
        "can't",
        "couldn't",
        "shouldn't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "opposite",
        "instead",
    }
)
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "my",
        "our",
        "your",
        "their",
        "them",
        "us",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "about",
        "into",
        "over",
        "than",
        "then",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "if",
        "because",
        "while",
        "also",
        "just",
        "very",
        "more",
        "most",
        "some",
        "any",
        "each",
        "other",
        "such",
        "only",
        "own",
        "same",
        "both",
        "few",
        "all",
        "not",
        "no",
        "nor",
        "too",
        "again",
        "further",
        "once",
        "up",
        "down",
        "out",
        "off",
    ]
)


def tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def bare(word: str) -> str:
    """A transcript word without case or edge punctuation."""
    found = tokens(word)
    return " ".join(found)


def content_words(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def stem(word: str) -> str:
    """A crude stem (first 5 letters) so 'perturbs' meets 'perturbation' in lexical checks."""
    return word[:5] if len(word) > 5 else word


def has_negation(text: str) -> bool:
    return any(t in NEGATIONS or t.endswith("n't") for t in tokens(text))
