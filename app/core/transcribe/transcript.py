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
        return {"text": self.text, "start": round(self.start, 3), "end": round(self.end, 3), "p": round(self.probability, 3)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Word":
        return cls(data["text"], float(data["start"]), float(data["end"]), float(data.get("p", 1.0)))


@dataclass(frozen=True)
class Correction:
    """A glossary fix: raw words [raw_start, raw_end) became `corrected` (word `index` in `words`)."""

    index: int
    raw_start: int
    raw_end: int
    original: str
    corrected: str


@dataclass
class Transcript:
    words: list[Word]
    raw_words: list[Word]
    duration_s: float
    corrections: list[Correction] = field(default_factory=list)
    language: str = "en"
    model: str = ""
    prompt: str = ""

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
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Transcript":
        return cls(
            words=[Word.from_dict(w) for w in data.get("words", [])],
            raw_words=[Word.from_dict(w) for w in data.get("raw_words", [])],
            duration_s=float(data.get("duration_s", 0.0)),
            corrections=[Correction(**c) for c in data.get("corrections", [])],
            language=data.get("language", "en"),
            model=data.get("model", ""),
            prompt=data.get("prompt", ""),
        )
