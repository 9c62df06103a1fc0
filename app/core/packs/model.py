"""The in-memory shape of a question pack, independent of the YAML it came from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DEFAULT_PREP_SECONDS = 20
DEFAULT_ANSWER_SECONDS = 90


@dataclass(frozen=True)
class KeyPoint:
    """One checkable claim a good answer makes; cues are words a speaker covering it would likely say.

    `text` is the claim alone: it is what the judge checks. `examples` are ways of making the claim
    ("a credit officer weighing evidence") that a good answer may use but need not: they are shown,
    never required.
    """

    text: str
    cues: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """The claim with its examples, for people: "Uses an analogy (e.g. a mail truck, a credit officer)"."""
        return f"{self.text} (e.g. {', '.join(self.examples)})" if self.examples else self.text


STAR_PARTS = ("situation", "task", "action", "result")


@dataclass(frozen=True)
class FollowUp:
    """What an interviewer asks next when an answer left something out.

    `about` is the key point (0-based) or the STAR part it digs into, or None for a general
    follow-up (used for whichever point was missed). `key_points` are what its answer should make;
    empty means the key point it is about.
    """

    text: str
    about: int | str | None = None
    key_points: tuple[KeyPoint, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    key_points: tuple[KeyPoint, ...]
    category: str | None = None
    prep_seconds: int = DEFAULT_PREP_SECONDS
    answer_seconds: int = DEFAULT_ANSWER_SECONDS
    reference_answer: str | None = None
    glossary: tuple[str, ...] = ()
    # Not in the content hash: follow-ups change what is asked next, not how this answer is judged.
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def content_hash(self) -> str:
        """Changes when what is asked or graded changes, so history can tell edited questions apart."""
        payload = json.dumps(
            {
                "text": self.text,
                "reference_answer": self.reference_answer or "",
                # Examples only when there are some: a question without them keeps its old hash (and row).
                "key_points": [
                    [kp.text, list(kp.cues)] + ([list(kp.examples)] if kp.examples else []) for kp in self.key_points
                ],
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    questions: tuple[Question, ...]
    language: str = "en"
    description: str | None = None
    glossary: tuple[str, ...] = ()
    source: Path | None = None
    warnings: tuple[PackIssue, ...] = ()

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions[:8])
        more = ", ..." if len(self.questions) > 8 else ""
        raise KeyError(f"pack '{self.id}' has no question '{question_id}' (it has: {known}{more})")

    def glossary_for(self, question: Question) -> tuple[str, ...]:
        """The question's own terms, the pack glossary, then terms found in the pack's texts (the
        question's first), without repeats: a hand-written glossary misses terms its own questions use."""
        from app.core.packs.terms import technical_terms

        def texts(q: Question) -> list[str | None]:
            points = [part for kp in q.key_points for part in (kp.text, *kp.cues, *kp.examples)]
            return [q.text, *points, q.reference_answer]

        others = [text for q in self.questions if q is not question for text in texts(q)]
        found = technical_terms([*texts(question), *others])
        listed = (*question.glossary, *self.glossary)
        # A found term already inside a listed one ("Shapley" in "Shapley values") adds nothing but
        # length to Whisper's prompt, and every term there pulls on the decode.
        known = {word for t in listed for word in t.lower().split()} | {t.lower() for t in listed}
        return tuple(dict.fromkeys((*listed, *(t for t in found if t.lower() not in known))))

    @property
    def categories(self) -> list[str]:
        return sorted({q.category for q in self.questions if q.category})


@dataclass(frozen=True)
class PackIssue:
    """A problem found in a pack file, located to the line and the field."""

    path: str
    line: int | None
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{what}{self.message}"


class PackError(ValueError):
    """A pack that cannot be used; carries every error found, not just the first."""

    def __init__(self, issues: list[PackIssue]) -> None:
        self.issues = [i for i in issues if i.severity == "error"]
        self.warnings = [i for i in issues if i.severity == "warning"]
        super().__init__("\n".join(str(i) for i in self.issues))

    @property
    def path(self) -> str:
        return self.issues[0].path if self.issues else ""
