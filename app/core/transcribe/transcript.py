"""What transcription produces: timed words, the text as corrected and as heard."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "p": round(self.probability, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Word:
        return cls(data["text"], float(data["start"]), float(data["end"]), float(data.get("p", 1.0)))


@dataclass(frozen=True)
class Correction:
    """A glossary fix: raw words [raw_start, raw_end) became `corrected` (word `index` in `words`)."""

    index: int
    raw_start: int
    raw_end: int
    original: str
    corrected: str


UNCLEAR = "unclear"
POSSIBLE_FILLER = "possible filler"


@dataclass(frozen=True)
class Gap:
    """Speech with no words (VAD heard speech, Whisper gave nothing even when asked again): shown as
    "[unclear 1.8 s]", or, short and between words, as a possible filler; never as a pause."""

    start: float
    end: float
    kind: str = UNCLEAR  # or POSSIBLE_FILLER

    @property
    def duration_s(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gap:
        return cls(float(data["start"]), float(data["end"]), data.get("kind", UNCLEAR))


@dataclass
class Transcript:
    words: list[Word]
    raw_words: list[Word]
    duration_s: float
    corrections: list[Correction] = field(default_factory=list)
    language: str = "en"
    model: str = ""
    prompt: str = ""
    gaps: list[Gap] = field(default_factory=list)
    # VAD speech regions (s): a gap between words is a pause only where there was none. None: not
    # known (a transcript saved before they were kept), so every long gap between words counts.
    speech: list[tuple[float, float]] | None = None
    redecoded: int = 0  # wordless stretches decoded again
    recovered_words: int = 0  # words those re-decodes brought back
    unclear: int = 0  # stretches that stayed wordless (the gaps)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def raw_text(self) -> str:
        return " ".join(w.text for w in self.raw_words)

    @property
    def has_speech(self) -> bool:
        return bool(self.words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": [w.to_dict() for w in self.words],
            "raw_words": [w.to_dict() for w in self.raw_words],
            "duration_s": round(self.duration_s, 3),
            "corrections": [asdict(c) for c in self.corrections],
            "language": self.language,
            "model": self.model,
            "prompt": self.prompt,
            "gaps": [g.to_dict() for g in self.gaps],
            "speech": None if self.speech is None else [[round(a, 3), round(b, 3)] for a, b in self.speech],
            "redecoded": self.redecoded,
            "recovered_words": self.recovered_words,
            "unclear": self.unclear,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        return cls(
            words=[Word.from_dict(w) for w in data.get("words", [])],
            raw_words=[Word.from_dict(w) for w in data.get("raw_words", [])],
            duration_s=float(data.get("duration_s", 0.0)),
            corrections=[Correction(**c) for c in data.get("corrections", [])],
            language=data.get("language", "en"),
            model=data.get("model", ""),
            prompt=data.get("prompt", ""),
            gaps=[Gap.from_dict(g) for g in data.get("gaps", [])],
            speech=None if data.get("speech") is None else [(float(a), float(b)) for a, b in data["speech"]],
            redecoded=int(data.get("redecoded", 0)),
            recovered_words=int(data.get("recovered_words", 0)),
            unclear=int(data.get("unclear", 0)),
        )
