"""The coach's part: from what was measured, one headline and at most two things to do next time.

The feedback shows six figures and a checklist; a person should not have to work out from them
what to change. `advice` picks the most useful findings of one answer in a fixed priority order,
`mock_verdict` does the same across the answers of a mock interview. Only what was measured is
used: an answer with no transcribed words gets advice about the recording, never about content.

Works on anything with `transcript.words`, `delivery` and `key_points` (an `AnswerAnalysis`
right after answering, an `AttemptDetail` from the history).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.core.practice import format_seconds
from app.core.scoring.delivery import TARGET_HIGH, TARGET_LOW, Delivery
from app.core.scoring.keypoints import PointResult

# Below this share of key points the content comes before everything else.
MOST_MISSED = 0.5
# An answer counts as ready (mock verdict) with this share of its key points and an on-target length.
READY_COVERAGE = 0.8
FILLERS_PER_MINUTE = 3.0
MIN_FILLERS = 3
LONG_PAUSES = 2
VERY_LONG_PAUSE_S = 4.0
SLOW_START_S = 5.0
# "Far" outside the clear band of 110-170 wpm the figures use: a few words a minute is no news.
PACE_SLOW, PACE_FAST = 100.0, 180.0
TOO_SHORT_RECORDING_S = 1.5


class Answer(Protocol):
    """A judged answer, fresh (AnswerAnalysis) or stored (AttemptDetail); read-only, so frozen records fit."""

    @property
    def transcript(self) -> Any: ...  # has .words

    @property
    def delivery(self) -> Delivery: ...

    @property
    def key_points(self) -> list[PointResult]: ...


@dataclass(frozen=True)
class Advice:
    headline: str
    actions: tuple[str, ...] = ()  # at most two, most useful first
    tone: str = "warn"  # good, warn, bad (as the figures use)
    kinds: tuple[str, ...] = ()  # the findings behind it, in priority order (see RULES)

    @property
    def text(self) -> str:
        """Plain text for reports and tooltips: the headline, then one line per action."""
        return "\n".join([self.headline, *(f"• {a}" for a in self.actions)])


@dataclass(frozen=True)
class Finding:
    kind: str
    said: str  # what was measured, to follow "You " in the headline
    action: str  # what to do next time


# -- key point wording ------------------------------------------------------------------------------

_EXAMPLE_PAREN = re.compile(r"\s*\((?:e\.g\.|eg\.|i\.e\.|for example|for instance|such as)[^)]*\)", re.IGNORECASE)
# ", e.g. X" / " e.g. X" / ", such as X" / ", for example X": up to the next comma, semicolon or the end.
# A comma that closes the example goes with it: "a metric, e.g. accuracy, and ..." -> "a metric and ...".
_EXAMPLE_TAIL = re.compile(
    r"(?:,\s*|\s+)(?:e\.g\.|eg\.)[^,;]*,?|,\s*(?:such as|for example|for instance)\s[^,;]*,?", re.IGNORECASE
)


def plain_point(text: str) -> str:
    """The key point without its examples ("e.g. ...", ", such as ..."): they are optional to say."""
    trimmed = _EXAMPLE_TAIL.sub("", _EXAMPLE_PAREN.sub("", text)).strip()
    trimmed = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", trimmed)).rstrip(" ,;:.")
    return trimmed or text.strip()


def _quoted(points: Sequence[str]) -> str:
    quoted = [f"“{plain_point(p)}”" for p in points]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _missed(answer: Answer) -> list[PointResult]:
    """Missed points in the pack's order: authors list a question's essentials first."""
    return [r for r in answer.key_points if not r.judged_covered]


def _coverage(answer: Answer) -> float:
    """Share of key points judged covered (the person's corrections count); 1.0 with none to cover."""
    total = len(answer.key_points)
    return (total - len(_missed(answer))) / total if total else 1.0


# -- the rules, in priority order -------------------------------------------------------------------


def _content(answer: Answer) -> Finding | None:
    missed = _missed(answer)
    if not missed:
        return None
    total = len(answer.key_points)
    covered = total - len(missed)
    named = missed[:2]
    more = len(missed) - len(named)
    rest = f" ({more} more in the checklist)" if more else ""
    verb = "Make the point" if len(named) == 1 else "Make the points"
    return Finding(
        "content", f"covered {covered} of {total} key points", f"{verb} {_quoted([r.point for r in named])}{rest}."
    )


def _about(seconds: float) -> int:
    """A round figure to aim at: whole seconds for short gaps, fives for longer ones."""
    return max(1, round(seconds)) if seconds < 20 else round(seconds / 5) * 5


def _length(answer: Answer) -> Finding | None:
    d = answer.delivery
    ratio = d.length_ratio
    if ratio is None or d.target_s is None:
        return None
    target = format_seconds(d.target_s)
    if ratio < TARGET_LOW:
        more = _about(d.target_s - d.duration_s)
        return Finding(
            "short",
            f"stopped at {ratio:.0%} of the {target} target",
            f"Speak for about {more} s more (aim for {target}): give an example and what came of it.",
        )
    if ratio > TARGET_HIGH:
        cut = _about(d.duration_s - d.target_s)
        return Finding(
            "long",
            f"ran {ratio - 1:.0%} over the {target} target",
            f"Cut about {cut} s (aim for {target}): lead with your main point and drop the background.",
        )
    return None


def _fillers(answer: Answer) -> Finding | None:
    d = answer.delivery
    if len(d.fillers) < MIN_FILLERS or d.fillers_per_minute < FILLERS_PER_MINUTE:
        return None
    common = [f"“{w}”" for w, _ in Counter(f.word for f in d.fillers).most_common(2)]
    return Finding(
        "fillers",
        f"used {len(d.fillers)} filler words ({d.fillers_per_minute:.0f} a minute)",
        f"Replace {' and '.join(common)} with a short silent pause: silence sounds more sure than a filler.",
    )


def _pauses(answer: Answer) -> Finding | None:
    pauses = answer.delivery.long_pauses
    longest = max((p.duration_s for p in pauses), default=0.0)
    if len(pauses) < LONG_PAUSES and longest < VERY_LONG_PAUSE_S:
        return None
    times = "once" if len(pauses) == 1 else f"{len(pauses)} times"
    return Finding(
        "pauses",
        f"paused for over 2 s {times} (longest {longest:.1f} s)",
        "Use the prep time to plan two or three steps, so the next one is ready when you finish one.",
    )


def _start(answer: Answer) -> Finding | None:
    start = answer.delivery.speech_start_s
    if start is None or start < SLOW_START_S:
        return None
    return Finding(
        "start",
        f"took {start:.0f} s to say the first word",
        "Open straight away with a one-sentence summary of your answer, then explain it.",
    )


def _pace(answer: Answer) -> Finding | None:
    wpm = answer.delivery.words_per_minute
    if wpm is None or PACE_SLOW <= wpm <= PACE_FAST:
        return None
    if wpm > PACE_FAST:
        return Finding(
            "pace",
            f"spoke at {wpm:.0f} words a minute",
            "Slow down to about 150 words a minute: pause for a breath after each point.",
        )
    return Finding(
        "pace",
        f"spoke at {wpm:.0f} words a minute",
        "Pick up the pace to about 130 words a minute: say each point once, then move on.",
    )


def findings(answer: Answer) -> list[Finding]:
    """Everything worth saying about a transcribed answer, most useful first.

    Most key points missed comes first (content is what an interviewer judges), then a length far
    from the target, then a point or two missed, then fillers, long pauses, a slow start and pace.
    """
    content = _content(answer)
    major = content is not None and _coverage(answer) < MOST_MISSED
    ordered = [
        content if major else None,
        _story(answer),
        _length(answer),
        None if major else content,
        _fillers(answer),
        _pauses(answer),
        _start(answer),
        _pace(answer),
    ]
    return [f for f in ordered if f is not None]


RULES = ("untranscribed", "recording", "content", "story", "short", "long", "fillers", "pauses", "start", "pace")


def _story(answer: Answer) -> Finding | None:
    """A behavioural story missing one of its parts (situation, task, action, result)."""
    missing = [check for check in (getattr(answer, "star", None) or []) if not check.present]
    if not missing:
        return None
    names = " and ".join(check.part for check in missing[:2])
    return Finding(
        "story", f"told a story with no {names}", "; ".join(check.missing for check in missing[:2]).capitalize()
    )


def transcription_failed(answer: Answer) -> bool:
    """The model failed on this answer (saved "untranscribed"): silence from the speaker is not the reason."""
    summary = getattr(answer, "summary", None)
    return getattr(answer, "scorer", None) == "none" or getattr(summary, "status", None) == "untranscribed"


def _recording(answer: Answer) -> Advice:
    seconds = answer.delivery.duration_s
    if transcription_failed(answer):
        return Advice(
            f"Your {format_seconds(seconds)} answer could not be transcribed, so it could not be judged; "
            "the recording is kept.",
            (
                "Play it back to hear how it went, then check the speech model in Preferences (Ctrl+,) "
                "before you press Try again (Ctrl+R).",
            ),
            "bad",
            ("untranscribed",),
        )
    if seconds < TOO_SHORT_RECORDING_S:
        return Advice(
            f"The recording lasted only {seconds:.1f} s, so there was nothing to judge.",
            ("Press Try again (Ctrl+R), then Space once to start answering and again only when you have finished.",),
            "bad",
            ("recording",),
        )
    return Advice(
        f"No words were recognised in the {format_seconds(seconds)} recording, so the answer could not be judged.",
        (
            "Check in Preferences (Ctrl+,) that the right microphone is chosen and its meter moves when you speak.",
            "Speak up, close to the microphone, and press Try again (Ctrl+R).",
        ),
        "bad",
        ("recording",),
    )


def advice(answer: Answer, question: Any = None) -> Advice:
    """One headline from the top findings and at most two actions for the next attempt.

    `question` is accepted for callers that have it; everything said comes from the answer's
    own measurements (the key points' text, the target it was practised against).
    """
    if not answer.transcript.words:
        return _recording(answer)
    found = findings(answer)
    total = len(answer.key_points)
    if not found:
        parts = [
            f"all {total} key points" if total else "",
            "on target length" if answer.delivery.target_s else "",
            "a clear delivery",
        ]
        return Advice(
            f"Strong answer: {', '.join(p for p in parts if p)}.",
            (
                "Next step: go on to the next question (Ctrl+N), or answer this one again in a few days "
                "to check it sticks.",
            ),
            "good",
            (),
        )
    top = found[:2]
    headline = "You " + " and ".join(f.said for f in top)
    if len(found) == 1:
        headline += "; the rest was on track"
    tone = "bad" if _coverage(answer) < MOST_MISSED else "warn"
    return Advice(headline + ".", tuple(f.action for f in top), tone, tuple(f.kind for f in found))


# -- a mock interview -------------------------------------------------------------------------------


def is_ready(answer: Answer) -> bool:
    """Good enough to take into an interview: most key points, and a length the interviewer expects."""
    if not answer.transcript.words:
        return False
    return _coverage(answer) >= READY_COVERAGE and answer.delivery.length_verdict in ("on target", "no target")


def _numbers(indexes: Sequence[int]) -> str:
    names = [str(i + 1) for i in indexes]
    label = "question" if len(names) == 1 else "questions"
    return f"{label} {names[0]}" if len(names) == 1 else f"{label} {', '.join(names[:-1])} and {names[-1]}"


def _across(kind: str, where: list[int], answers: Sequence[Answer]) -> str:
    """One action for a finding that came up in the answers at `where` (0-based positions)."""
    n = len(where)
    if n == 1:
        count = _numbers(where).capitalize()
    elif n == len(answers):
        count = "Both answers" if n == 2 else f"All {n} answers"
    else:
        count = f"{n} of {len(answers)} answers"
    if kind == "untranscribed":
        return f"{count} could not be transcribed (the recordings are kept): check the speech model in Preferences (Ctrl+,)."
    if kind == "recording":
        return f"{count} had no words recognised: check the microphone in Preferences (Ctrl+,) before the next mock."
    if kind == "content":
        worst = min(where, key=lambda i: (_coverage(answers[i]), i))
        missed = _missed(answers[worst])[:2]
        missed_count = sum(len(_missed(answers[i])) for i in where)
        return (
            f"Key points: {missed_count} missed in {_numbers(where)}. Start with question {worst + 1}: "
            f"make the point{'s' if len(missed) > 1 else ''} {_quoted([r.point for r in missed])}."
        )
    if kind == "short":
        return f"{count} stopped well short of the target: give each answer an example and what came of it."
    if kind == "long":
        return f"{count} ran over the target: lead with your main point and drop the background."
    if kind == "fillers":
        total = sum(len(answers[i].delivery.fillers) for i in where)
        return f"Fillers: {total} in {_numbers(where)}. Replace them with a short silent pause."
    if kind == "pauses":
        return f"Long pauses in {_numbers(where)}: plan two or three steps in the prep time so the next is ready."
    if kind == "start":
        return f"Slow starts in {_numbers(where)}: open with a one-sentence summary straight away."
    return f"Pace was far from 110-170 words a minute in {_numbers(where)}: aim for about 150."


def mock_verdict(answers: Sequence[Answer]) -> Advice:
    """An overall verdict (how many answers are ready) and the one or two fixes that help most across them.

    A fix helps more the more answers it applies to; among equals, the one earlier in the
    single-answer priority order wins.
    """
    if not answers:
        return Advice("No answers were recorded.", (), "warn", ())
    ready = [i for i, a in enumerate(answers) if is_ready(a)]
    not_ready = [i for i in range(len(answers)) if i not in ready]
    n = len(answers)
    if not not_ready:
        headline = f"Ready on all {n} questions." if n > 1 else "Ready on this question."
    elif not ready:
        headline = f"Not ready yet on any of the {n} questions." if n > 1 else "Not ready yet on this question."
    else:
        headline = f"Ready on {len(ready)} of {n} questions; not yet on {_numbers(not_ready)}."
    where: dict[str, list[int]] = {}
    for i, answer in enumerate(answers):
        kinds = advice(answer).kinds
        for kind in kinds:
            where.setdefault(kind, []).append(i)
    ranked = sorted(where, key=lambda k: (-len(where[k]), RULES.index(k)))[:2]
    actions = tuple(_across(k, where[k], answers) for k in ranked)
    if not actions:
        actions = (
            "Next step: a longer mock interview, or the same questions again in a few days to check they stick.",
        )
    share = len(ready) / n
    tone = "good" if share == 1 else "warn" if share >= 0.5 else "bad"
    return Advice(headline, actions, tone, tuple(ranked))


__all__ = ["Advice", "Finding", "advice", "findings", "is_ready", "mock_verdict", "plain_point", "transcription_failed"]
