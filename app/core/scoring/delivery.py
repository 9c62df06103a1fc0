"""How the answer was delivered: length against target, pace, fillers, long pauses, time to first word."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core.scoring.text import FILLER_PHRASES, FILLER_TOKENS, bare
from app.core.transcribe.transcript import POSSIBLE_FILLER, Gap, Word

if TYPE_CHECKING:
    from app.core.scoring.hedges import Hedge
    from app.core.scoring.shape import Shape
    from app.core.scoring.voice import Voice

LONG_PAUSE_S = 2.0
SPEECH_IN_GAP_S = 0.5  # VAD speech this long inside a gap between words means it was not all silence
FILLER_PAUSE_S = 0.3
# An answer between 60 % and 110 % of its target time counts as on target.
TARGET_LOW = 0.6
TARGET_HIGH = 1.1
_LIKE_KEEPERS = frozenset(
    {"would", "i'd", "looks", "look", "looked", "seems", "feel", "felt", "something", "just", "more", "much", "things"}
)


@dataclass(frozen=True)
class Filler:
    word: str
    start_s: float
    end_s: float
    index: int  # first word index in the transcript
    length: int = 1  # how many words the filler spans ("you know" is 2)


@dataclass(frozen=True)
class Pause:
    start_s: float
    end_s: float
    after_word: int  # index of the word before the pause

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass
class Delivery:
    duration_s: float
    target_s: float | None
    speech_start_s: float | None
    speech_end_s: float | None
    word_count: int
    words_per_minute: float | None
    fillers: list[Filler] = field(default_factory=list)
    long_pauses: list[Pause] = field(default_factory=list)
    unclear: list[Pause] = field(default_factory=list)  # speech with no words: shown, never counted as pauses
    # Short wordless sounds between words, most often an "um" the recogniser did not write: shown
    # and counted apart from the fillers, which are only what was heard as words.
    possible_fillers: list[Pause] = field(default_factory=list)
    # Issue 18 figures; None on attempts saved before they were measured (shown as not measured).
    voice: Voice | None = None  # pitch, loudness and rate (scoring/voice.py)
    hedges: list[Hedge] | None = None  # "I think", "maybe", ... (scoring/hedges.py)
    overused: list[tuple[str, int]] | None = None
    shape: Shape | None = None  # direct opening / STAR parts (scoring/shape.py)

    @property
    def hedges_per_minute(self) -> float | None:
        if self.hedges is None:
            return None
        return len(self.hedges) / (self.duration_s / 60) if self.duration_s > 0 else 0.0

    @property
    def length_ratio(self) -> float | None:
        return self.duration_s / self.target_s if self.target_s else None

    @property
    def length_verdict(self) -> str:
        ratio = self.length_ratio
        if ratio is None:
            return "no target"
        if ratio < TARGET_LOW:
            return "short"
        if ratio > TARGET_HIGH:
            return "long"
        return "on target"

    @property
    def fillers_per_minute(self) -> float:
        return len(self.fillers) / (self.duration_s / 60) if self.duration_s > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 2),
            "target_s": self.target_s,
            "length_ratio": None if self.length_ratio is None else round(self.length_ratio, 3),
            "length_verdict": self.length_verdict,
            "speech_start_s": None if self.speech_start_s is None else round(self.speech_start_s, 2),
            "speech_end_s": None if self.speech_end_s is None else round(self.speech_end_s, 2),
            "word_count": self.word_count,
            "words_per_minute": None if self.words_per_minute is None else round(self.words_per_minute, 1),
            "fillers": [
                {
                    "word": f.word,
                    "start_s": round(f.start_s, 2),
                    "end_s": round(f.end_s, 2),
                    "index": f.index,
                    "length": f.length,
                }
                for f in self.fillers
            ],
            "fillers_per_minute": round(self.fillers_per_minute, 2),
            "long_pauses": [
                {
                    "start_s": round(p.start_s, 2),
                    "end_s": round(p.end_s, 2),
                    "duration_s": round(p.duration_s, 2),
                    "after_word": p.after_word,
                }
                for p in self.long_pauses
            ],
            "unclear": [
                {"start_s": round(p.start_s, 2), "end_s": round(p.end_s, 2), "after_word": p.after_word}
                for p in self.unclear
            ],
            "possible_fillers": [
                {"start_s": round(p.start_s, 2), "end_s": round(p.end_s, 2), "after_word": p.after_word}
                for p in self.possible_fillers
            ],
            **({} if self.voice is None else {"voice": self.voice.to_dict()}),
            **(
                {}
                if self.hedges is None
                else {
                    "hedges": [h.to_dict() for h in self.hedges],
                    "hedge_count": len(self.hedges),
                    "hedges_per_minute": round(self.hedges_per_minute or 0.0, 2),
                }
            ),
            **({} if self.overused is None else {"overused": [{"word": w, "count": n} for w, n in self.overused]}),
            **({} if self.shape is None else {"shape": self.shape.to_dict()}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Delivery:
        from app.core.scoring.hedges import Hedge
        from app.core.scoring.shape import Shape
        from app.core.scoring.voice import Voice

        return cls(
            duration_s=data["duration_s"],
            target_s=data.get("target_s"),
            speech_start_s=data.get("speech_start_s"),
            speech_end_s=data.get("speech_end_s"),
            word_count=data.get("word_count", 0),
            words_per_minute=data.get("words_per_minute"),
            fillers=[
                Filler(f["word"], f["start_s"], f.get("end_s", f["start_s"]), f.get("index", 0), f.get("length", 1))
                for f in data.get("fillers", [])
            ],
            long_pauses=[Pause(p["start_s"], p["end_s"], p.get("after_word", 0)) for p in data.get("long_pauses", [])],
            unclear=[Pause(p["start_s"], p["end_s"], p.get("after_word", -1)) for p in data.get("unclear", [])],
            possible_fillers=[
                Pause(p["start_s"], p["end_s"], p.get("after_word", -1)) for p in data.get("possible_fillers", [])
            ],
            voice=Voice.from_dict(data["voice"]) if data.get("voice") else None,
            hedges=[Hedge.from_dict(h) for h in data["hedges"]] if "hedges" in data else None,
            overused=[(o["word"], o["count"]) for o in data["overused"]] if "overused" in data else None,
            shape=Shape.from_dict(data["shape"]) if data.get("shape") else None,
        )


def _is_filler_like(words: Sequence[Word], i: int) -> bool:
    """'like' as a filler: set off by commas or a pause, and not 'would like' / 'looks like'."""
    word = words[i]
    prev = words[i - 1] if i > 0 else None
    nxt = words[i + 1] if i + 1 < len(words) else None
    if prev is not None and bare(prev.text) in _LIKE_KEEPERS:
        return False
    comma_after = word.text.endswith(",")
    pause_after = nxt is not None and nxt.start - word.end >= FILLER_PAUSE_S
    opens_clause = prev is None or prev.text.endswith((",", ".", "?", "!"))
    return comma_after or (opens_clause and pause_after)


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    fillers: list[Filler] = []
    i = 0
    while i < len(words):
        token = bare(words[i].text)
        if token in FILLER_TOKENS or (token == "like" and _is_filler_like(words, i)):
            fillers.append(Filler(token, words[i].start, words[i].end, i))
            i += 1
            continue
        matched = False
        for phrase in FILLER_PHRASES:
            n = len(phrase)
            if tuple(bare(w.text) for w in words[i : i + n]) == phrase and (
                words[i + n - 1].text.endswith(",") or i == 0 or words[i - 1].text.endswith(",")
            ):
                fillers.append(Filler(" ".join(phrase), words[i].start, words[i + n - 1].end, i, n))
                i += n
                matched = True
                break
        if not matched:
            i += 1
    return fillers


def _silent_runs(start: float, end: float, speech: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """[start, end) less the VAD speech inside it (pieces under SPEECH_IN_GAP_S are word-time slack)."""
    runs, cursor = [], start
    for s_start, s_end in sorted(speech):
        lo, hi = max(s_start, start), min(s_end, end)
        if hi - lo < SPEECH_IN_GAP_S:
            continue
        if lo > cursor:
            runs.append((cursor, lo))
        cursor = max(cursor, hi)
    if end > cursor:
        runs.append((cursor, end))
    return runs


def find_long_pauses(
    words: Sequence[Word], min_pause_s: float = LONG_PAUSE_S, speech: Sequence[tuple[float, float]] | None = None
) -> list[Pause]:
    """Gaps between words longer than min_pause_s, where there was silence.

    Prompted decoding can skip a stretch of speech, and the gap it leaves is no pause: given the
    VAD speech regions, only the silent runs of a gap count. `speech=None` (not known, an older
    transcript) counts the whole gap, as before.
    """
    pauses = []
    for i in range(len(words) - 1):
        start, end = words[i].end, words[i + 1].start
        if end - start <= min_pause_s:
            continue
        runs = [(start, end)] if speech is None else _silent_runs(start, end, speech)
        pauses += [Pause(a, b, i) for a, b in runs if b - a > min_pause_s]
    return pauses


def place_gaps(words: Sequence[Word], gaps: Sequence[Gap]) -> list[Pause]:
    """Wordless stretches as Pauses placed after the word before them (-1: before the first word)."""
    starts = [w.start for w in words]
    return [
        Pause(g.start, g.end, bisect.bisect_right(starts, g.start) - 1) for g in sorted(gaps, key=lambda g: g.start)
    ]


def analyse_delivery(
    words: Sequence[Word],
    duration_s: float,
    target_s: float | None = None,
    speech: Sequence[tuple[float, float]] | None = None,
    gaps: Sequence[Gap] = (),
) -> Delivery:
    """The delivery figures. `speech` (VAD regions) keeps skipped speech from counting as a pause;
    `gaps` are the transcript's wordless stretches, shown where they were (unclear speech, or
    possible fillers)."""
    fillers = find_fillers(words)
    filler_words = sum(f.length for f in fillers)
    spoken = len(words) - filler_words
    speech_start = words[0].start if words else None
    speech_end = words[-1].end if words else None
    wpm = None
    if words and speech_end is not None and speech_start is not None and speech_end - speech_start >= 1.0:
        wpm = spoken / ((speech_end - speech_start) / 60.0)
    return Delivery(
        duration_s=duration_s,
        target_s=target_s,
        speech_start_s=speech_start,
        speech_end_s=speech_end,
        word_count=spoken,
        words_per_minute=wpm,
        fillers=fillers,
        long_pauses=find_long_pauses(words, speech=speech),
        unclear=place_gaps(words, [g for g in gaps if g.kind != POSSIBLE_FILLER]),
        possible_fillers=place_gaps(words, [g for g in gaps if g.kind == POSSIBLE_FILLER]),
    )


__all__ = ["Delivery", "Filler", "Pause", "analyse_delivery", "find_fillers", "find_long_pauses"]
