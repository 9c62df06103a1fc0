"""Hedges and weak phrases ("I think", "maybe", "kind of", "just") and over-used words, found in the
transcript and counted.

A hedge makes a confident answer sound unsure; but the same words are often plain English ("a kind
of model", "just-in-time", "what do I think?"). The lists and the context that rules a hit out live
per language in resources/language/<lang>/hedges.yaml, so they can be tuned without code.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from app.core.paths import resource_path
from app.core.scoring.text import bare
from app.core.transcribe.transcript import Word

log = logging.getLogger(__name__)

_QUOTES = ('"', "“", "”", "‘", "’")


@dataclass(frozen=True)
class HedgeRule:
    words: tuple[str, ...]
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    hedges: tuple[HedgeRule, ...]
    overused: frozenset[str]
    overused_at: int


@dataclass(frozen=True)
class Hedge:
    phrase: str
    index: int  # first word index in the transcript
    length: int  # words it spans
    start_s: float
    end_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "index": self.index,
            "length": self.length,
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Hedge:
        return cls(
            data["phrase"], data["index"], data.get("length", 1), data.get("start_s", 0.0), data.get("end_s", 0.0)
        )


@lru_cache(maxsize=4)
def lexicon(language: str = "en") -> Lexicon:
    """The language's lists; a language without one falls back to English (logged)."""
    path = resource_path("language", language, "hedges.yaml")
    if not path.exists():
        log.warning("no hedge list for language %r at %s; using English", language, path)
        path = resource_path("language", "en", "hedges.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = []
    for item in data.get("hedges", []):
        rules.append(
            HedgeRule(
                tuple(bare(w) for w in str(item["phrase"]).split()),
                frozenset(bare(str(w)) for w in item.get("not_after", [])),
                frozenset(bare(str(w)) for w in item.get("not_before", [])),
            )
        )
    rules.sort(key=lambda r: -len(r.words))  # the longest phrase first: "I'm not sure" before "sure"
    return Lexicon(tuple(rules), frozenset(bare(w) for w in data.get("overused", [])), int(data.get("overused_at", 3)))


def _quoted(words: Sequence[Word]) -> list[bool]:
    """Which words sit inside quotation marks (a question someone asked, a phrase quoted)."""
    inside, out = False, []
    for word in words:
        text = word.text.strip()
        opens = text[:1] in _QUOTES
        closes = len(text) > 1 and text.rstrip(".,?!;:")[-1:] in _QUOTES
        if opens and not inside:
            inside = True
            out.append(True)
            if closes and text.count('"') != 1:
                inside = False
            continue
        out.append(inside)
        if inside and closes:
            inside = False
    return out


def find_hedges(words: Sequence[Word], language: str = "en") -> list[Hedge]:
    """Each hedge where it was said, never inside a hyphenated word, a quotation or the plain-English
    uses its rule rules out."""
    lex = lexicon(language)
    plain = [bare(w.text) for w in words]
    quoted = _quoted(words)
    found: list[Hedge] = []
    i = 0
    while i < len(words):
        hit = None
        for rule in lex.hedges:
            n = len(rule.words)
            if tuple(plain[i : i + n]) != rule.words or any(quoted[i : i + n]):
                continue
            before = plain[i - 1] if i > 0 and not words[i - 1].text.rstrip().endswith((".", "?", "!", ",")) else None
            after = (
                plain[i + n]
                if i + n < len(words) and not words[i + n - 1].text.rstrip().endswith((".", "?", "!", ","))
                else None
            )
            if (before is not None and before in rule.not_after) or (after is not None and after in rule.not_before):
                continue
            hit = Hedge(
                " ".join(w.text.strip('.,?!;:"“”') for w in words[i : i + n]),
                i,
                n,
                words[i].start,
                words[i + n - 1].end,
            )
            break
        if hit is not None:
            found.append(hit)
            i += hit.length
        else:
            i += 1
    return found


def overused_words(words: Sequence[Word], language: str = "en") -> list[tuple[str, int]]:
    """Weak words (the list's) used at least `overused_at` times, most used first."""
    lex = lexicon(language)
    counts = Counter(t for t in (bare(w.text) for w in words) if t in lex.overused)
    return [(word, n) for word, n in counts.most_common() if n >= lex.overused_at]


__all__ = ["Hedge", "find_hedges", "lexicon", "overused_words"]
