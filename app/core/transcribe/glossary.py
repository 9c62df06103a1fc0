"""Fix near misses of glossary terms in a transcript ("Shep" -> SHAP, "D-SNE" -> t-SNE).

A span of one to three words is replaced by a term when it matches the term's letters exactly
(only the spelling differs: "TSNE", "shap"), or when it is close in spelling or in sound
(metaphone) *and* Whisper itself was unsure of those words. The unsure-guard keeps ordinary
words that merely look like a term ("shape", "time") untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz

from app.core.transcribe.transcript import Correction, Word

_KEY_RE = re.compile(r"[^a-z0-9]+")
_EDGE_PUNCT = re.compile(r"^([\"'“(\[]*)(.*?)([\"'”)\].,;:!?]*)$", re.S)
MAX_SPAN_WORDS = 3
FUZZY_MIN_RATIO = 80.0
SOUND_MIN_RATIO = 50.0
UNSURE_PROBABILITY = 0.6


def letters_key(text: str) -> str:
    return _KEY_RE.sub("", text.lower())


@dataclass(frozen=True)
class _Term:
    text: str
    key: str
    sound: str
    words: int


class GlossaryCorrector:
    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: list[_Term] = []
        for term in dict.fromkeys(t.strip() for t in terms if t and t.strip()):
            key = letters_key(term)
            if len(key) >= 2:
                self.terms.append(_Term(term, key, jellyfish.metaphone(key), len(term.split())))

    def _score(self, span: list[Word]) -> tuple[float, _Term | None]:
        """How well a span matches its closest term: 1000 for the same letters, else ratio (+15 if it sounds alike)."""
        key = letters_key(" ".join(_split_punct(w.text)[1] for w in span))
        if len(key) < 2:
            return 0.0, None
        unsure = min(w.probability for w in span) < UNSURE_PROBABILITY
        best: tuple[float, _Term | None] = (0.0, None)
        for term in self.terms:
            if key == term.key:
                return 1000.0, term
            if not unsure or len(key) < 3 or len(span) > term.words + 1:
                continue
            if abs(len(key) - len(term.key)) > max(2, len(term.key) // 3):
                continue
            ratio = fuzz.ratio(key, term.key)
            sounds_alike = len(term.sound) >= 2 and jellyfish.metaphone(key) == term.sound
            if ratio >= FUZZY_MIN_RATIO or (sounds_alike and ratio >= SOUND_MIN_RATIO):
                score = ratio + (15.0 if sounds_alike else 0.0)
                if score > best[0]:
                    best = (score, term)
        return best

    def _match_at(self, words: list[Word], i: int) -> tuple[int, _Term] | None:
        """The best span starting at word i, if its every word belongs to the term."""
        best: tuple[float, int, _Term] | None = None
        for n in range(1, min(MAX_SPAN_WORDS, len(words) - i) + 1):
            score, term = self._score(words[i : i + n])
            if term is not None and (best is None or score > best[0]):
                best = (score, n, term)
        if best is None:
            return None
        score, n, term = best
        if n > 1 and score < 1000.0:
            trimmed = max(self._score(words[i + 1 : i + n])[0], self._score(words[i : i + n - 1])[0])
            if trimmed >= score:  # an edge word is not part of the term ("with Shapley values")
                return None
        return n, term

    def correct(self, words: list[Word]) -> tuple[list[Word], list[Correction]]:
        """Corrected words (spans merged into one word per term) and what was changed."""
        if not self.terms:
            return list(words), []
        out: list[Word] = []
        corrections: list[Correction] = []
        i = 0
        while i < len(words):
            match = self._match_at(words, i)
            if match is None:
                out.append(words[i])
                i += 1
                continue
            n, term = match
            span = words[i : i + n]
            new_text = f"{_split_punct(span[0].text)[0]}{term.text}{_split_punct(span[-1].text)[2]}"
            original = " ".join(w.text for w in span)
            if new_text != original:
                corrections.append(Correction(len(out), i, i + n, original, new_text))
            out.append(Word(new_text, span[0].start, span[-1].end, min(w.probability for w in span)))
            i += n
        return out, corrections


def _split_punct(text: str) -> tuple[str, str, str]:
    match = _EDGE_PUNCT.match(text)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)
