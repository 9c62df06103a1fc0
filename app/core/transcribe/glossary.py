"""Fix near misses of glossary terms in a transcript ("Shep" -> SHAP, "D SNE" -> t-SNE), and drop
prompt terms Whisper wrote where nothing like them was said.

Jargon help must never make a transcript worse. A span of one to three words becomes a term only
when it has the term's letters (only the spelling differs: "TSNE", "shap"), or when it sounds like
the term (metaphone codes alike, letters close) *and* every word that differs from the term was
one Whisper itself was unsure of. It is left alone when it is another form of the term's stem
("neurons polysemantic" is right, not "polysemanticity"), and it keeps the speaker's sentence
start ("Surrogate models ..." stays capitalised).

Terms in the initial prompt tempt Whisper to write them: "regulation such as GDPR" came out as
"with regulation. SHAP, GDPR." A term standing alone in a sentence of terms, which Whisper was
unsure of, or spoken in far less time than it takes to say, is dropped (see `invented`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import jellyfish
from rapidfuzz import fuzz

from app.core.transcribe.transcript import Correction, Word

_KEY_RE = re.compile(r"[^a-z0-9]+")
_EDGE_PUNCT = re.compile(r"^([\"'“(\[]*)(.*?)([\"'”)\].,;:!?]*)$", re.S)
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
MAX_SPAN_WORDS = 3
MIN_LETTER_RATIO = 60.0
MIN_SOUND_SIMILARITY = (
    0.85  # Jaro-Winkler of the metaphone codes: "Model elastic" ~ model-agnostic 0.87, "map" ~ UMAP 0
)
MAX_SOUND_DISTANCE = 0.3  # edits per metaphone letter: model-agnostic 0.25; "limits" ~ LIME 0.5
MIN_PART_RATIO = (
    50.0  # a changed word against the term's word it replaces: "elastic" ~ agnostic 67, "methods" ~ based 33
)
UNSURE_PROBABILITY = 0.6
# Shortest plausible time for a syllable; Whisper gives a term it invented from the prompt a sliver of time.
MIN_SYLLABLE_S = 0.05


def letters_key(text: str) -> str:
    return _KEY_RE.sub("", text.lower())


def is_unsure(word: Word) -> bool:
    return word.probability < UNSURE_PROBABILITY


@dataclass(frozen=True)
class _Term:
    text: str
    key: str
    sound: str
    parts: tuple[str, ...]  # the letters of each of its words ("model-agnostic" -> model, agnostic)


def _sounds_alike(a: str, b: str) -> bool:
    """Metaphone codes close both ways: Jaro-Winkler (their starts agree) and edit distance (their
    lengths agree). "Model elastic" ~ model-agnostic passes; "limits" ~ LIME (LMTS / LM) does not."""
    sa, sb = jellyfish.metaphone(a), jellyfish.metaphone(b)
    if len(sb) < 2 or not sa or sa[0] != sb[0]:
        return False  # a word starts with its first sound: "It gave" is not TCAV
    distance = jellyfish.levenshtein_distance(sa, sb) / max(len(sa), len(sb))
    return jellyfish.jaro_winkler_similarity(sa, sb) >= MIN_SOUND_SIMILARITY and distance <= MAX_SOUND_DISTANCE


@cache
def _english_words() -> frozenset[str]:
    """Whole words of the MiniLM vocabulary the app ships (30k pieces of English text)."""
    from app.core.paths import resource_path

    vocab = json.loads(resource_path("models", "minilm-tokenizer", "tokenizer.json").read_text())["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha())


def _same_stem(heard: str, term: str) -> bool:
    """Another form of the term's stem ("polysemantic" / "polysemanticity"): the shorter is all but
    the last two letters of the longer one's start. A plural is not another form: "integrated
    gradient" heard for "integrated gradients" keeps its part of speech and takes the term."""
    if heard == term:
        return False
    longer, shorter_word = (heard, term) if len(heard) > len(term) else (term, heard)
    if longer in (shorter_word + "s", shorter_word + "es"):
        return False
    shorter = min(len(heard), len(term))
    common = 0
    while common < shorter and heard[common] == term[common]:
        common += 1
    return common >= 4 and common >= shorter - 2


def syllables(text: str) -> int:
    """A rough count for timing: vowel groups, or letters for an acronym said letter by letter (GDPR)."""
    core = _split_punct(text)[1]
    letters = letters_key(core)
    if core.isupper() and not _VOWEL_GROUPS.search(letters):
        return len(letters)
    return max(1, len(_VOWEL_GROUPS.findall(letters)))


class GlossaryCorrector:
    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: list[_Term] = []
        for term in dict.fromkeys(t.strip() for t in terms if t and t.strip()):
            key = letters_key(term)
            if len(key) >= 2:
                parts = tuple(p for p in (letters_key(x) for x in re.split(r"[\s-]+", term)) if p)
                self.terms.append(_Term(term, key, jellyfish.metaphone(key), parts))
        self._by_key = {t.key: t for t in reversed(self.terms)}  # the first listed wins
        self._keys = set(self._by_key)

    def _score(self, span: list[Word]) -> tuple[float, _Term | None]:
        """How well a span matches its closest term: 1000 for the same letters, else ratio (+15 if the sounds agree)."""
        heard = [letters_key(_split_punct(w.text)[1]) for w in span]
        key = "".join(heard)
        if len(key) < 2 or any(not h for h in heard):
            return 0.0, None
        if any(_split_punct(w.text)[2] for w in span[:-1]):
            return 0.0, None  # a term never spans a comma or a sentence end
        exact = self._by_key.get(key)
        if exact is not None:
            return 1000.0, exact
        best: tuple[float, _Term | None] = (0.0, None)
        if len(key) < 3 or not any(is_unsure(w) for w in span):
            return best  # only unsure words may change (this keeps a long answer's pass to a few ms)
        for term in self.terms:
            if abs(len(key) - len(term.key)) > max(2, len(term.key) // 3):
                continue
            if len(span) > len(term.parts) + 1 or _same_stem(key, term.key):
                continue
            # Only words Whisper was unsure of may change; a word that already is the term's word may be sure.
            if len(span) == len(term.parts):
                pairs = [(w, h, p) for w, h, p in zip(span, heard, term.parts) if h != p]
                if any(
                    _same_stem(h, p)
                    or (fuzz.ratio(h, p) < MIN_PART_RATIO and jellyfish.metaphone(h) != jellyfish.metaphone(p))
                    for _, h, p in pairs
                ):
                    continue
                changed = [w for w, _, _ in pairs]
            else:
                changed = list(span)
            if not changed or not all(is_unsure(w) for w in changed):
                continue
            if len(changed) == len(span) and all(h in _english_words() for h in heard):
                continue  # English words with nothing of the term beside them: "Reading is ..." is not Rudin
            if key in term.key and term.key not in (key + "s", key + "es"):
                continue  # the term would add sounds that were not there: "map" is not UMAP (a plural may be heard as one)
            ratio = fuzz.ratio(key, term.key)
            if ratio < MIN_LETTER_RATIO or not _sounds_alike(key, term.key):
                continue
            score = ratio + (15.0 if jellyfish.metaphone(key) == term.sound else 0.0)
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

    def invented(self, words: list[Word]) -> set[int]:
        """Indexes of glossary terms Whisper wrote with no matching sound.

        Two signs: a "sentence" made only of terms ("... regulation. SHAP, GDPR." for "regulation
        such as GDPR"), the prompt's term list echoed, whose terms before the last Whisper was
        unsure of (a term alone in its sentence is kept); and a term given less than
        MIN_SYLLABLE_S a syllable, too short to have been said.
        """
        out: set[int] = set()
        is_term = [letters_key(_split_punct(w.text)[1]) in self._keys for w in words]
        i = 0
        while i < len(words):
            starts = i == 0 or _split_punct(words[i - 1].text)[2][-1:] in (".", "?", "!")
            j = i
            while j < len(words) and is_term[j]:
                j += 1
                if _split_punct(words[j - 1].text)[2][-1:] in (".", "?", "!"):
                    break
            ends = j > i and _split_punct(words[j - 1].text)[2][-1:] in (".", "?", "!")
            if starts and ends:
                # An echoed list ends where speech resumes: in "SHAP, GDPR." GDPR was said ("such as GDPR").
                # A term alone in its sentence is kept: "... one model family. TreeSHAP." was said.
                out |= {k for k in range(i, j - 1) if is_unsure(words[k])}
            i = max(j, i + 1)
        for k, word in enumerate(words):
            if is_term[k] and word.end - word.start < MIN_SYLLABLE_S * syllables(word.text):
                out.add(k)
        return out

    def correct(self, words: list[Word]) -> tuple[list[Word], list[Correction]]:
        """Corrected words (spans merged into one word per term, invented terms dropped) and what was changed."""
        if not self.terms:
            return list(words), []
        drop = self.invented(words)
        out: list[Word] = []
        corrections: list[Correction] = []
        i = 0
        while i < len(words):
            if i in drop:
                corrections.append(Correction(len(out), i, i + 1, words[i].text, ""))
                if out and _split_punct(words[i].text)[2][-1:] in (".", "?", "!") and not _split_punct(out[-1].text)[2]:
                    last = out[-1]  # keep the sentence end the dropped word carried
                    out[-1] = Word(
                        last.text + _split_punct(words[i].text)[2][-1], last.start, last.end, last.probability
                    )
                i += 1
                continue
            match = self._match_at(words, i)
            if match is None:
                out.append(words[i])
                i += 1
                continue
            n, term = match
            span = words[i : i + n]
            new_text = f"{_split_punct(span[0].text)[0]}{_keep_case(_split_punct(span[0].text)[1], term.text)}{_split_punct(span[-1].text)[2]}"
            original = " ".join(w.text for w in span)
            if new_text != original:
                corrections.append(Correction(len(out), i, i + n, original, new_text))
            out.append(Word(new_text, span[0].start, span[-1].end, min(w.probability for w in span)))
            i += n
        return out, corrections


def _keep_case(heard: str, term: str) -> str:
    """A term written in lower case takes the heard word's capital (a sentence start stays one)."""
    if term[:1].islower() and heard[:1].isupper() and heard[1:2].islower():
        return term[0].upper() + term[1:]
    return term


def _split_punct(text: str) -> tuple[str, str, str]:
    match = _EDGE_PUNCT.match(text)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)
