"""Feedback as data: which words carry which key point, which are fillers, where the pauses are.

The GUI's transcript view and the HTML/Markdown exports render the same markup, so what a
person saw after answering is what the report shows.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.scoring.delivery import Delivery
from app.core.scoring.keypoints import PointResult
from app.core.transcribe.transcript import Word

# Distinct, light backgrounds that keep black text readable (one per key point, cycling).
POINT_COLOURS = ("#ffe08a", "#b9e6c9", "#c9d8ff", "#ffc8dd", "#d9c8ff", "#c8f0f0", "#ffd6b0", "#e0e0a0")


def point_colour(index: int) -> str:
    return POINT_COLOURS[index % len(POINT_COLOURS)]


@dataclass
class Token:
    index: int
    word: Word
    points: list[int] = field(default_factory=list)  # key points whose evidence includes this word
    filler: bool = False
    pause_before_s: float | None = None  # a long pause just before this word
    # Speech heard with no words (the transcript's unclear gaps): "[unclear 1.8 s]", never a pause.
    unclear_before_s: float | None = None
    unclear_after_s: float | None = None  # after the last word


def transcript_tokens(words: Sequence[Word], results: Sequence[PointResult], delivery: Delivery) -> list[Token]:
    tokens = [Token(i, w) for i, w in enumerate(words)]
    for point_index, result in enumerate(results):
        if result.judged_covered and result.evidence is not None:
            for i in range(result.evidence.start, min(result.evidence.end, len(tokens))):
                tokens[i].points.append(point_index)
    for filler in delivery.fillers:
        for i in range(filler.index, min(filler.index + filler.length, len(tokens))):
            tokens[i].filler = True
    for pause in delivery.long_pauses:
        if pause.after_word + 1 < len(tokens):
            tokens[pause.after_word + 1].pause_before_s = pause.duration_s
    for gap in delivery.unclear:
        if not tokens:
            break
        if gap.after_word + 1 < len(tokens):
            token = tokens[max(0, gap.after_word + 1)]
            token.unclear_before_s = (token.unclear_before_s or 0.0) + gap.duration_s
        else:
            tokens[-1].unclear_after_s = (tokens[-1].unclear_after_s or 0.0) + gap.duration_s
    return tokens


def _unclear_span(seconds: float) -> str:
    return (f'<span style="color:#555555; background:#e8e8e8; font-style:italic;" title="speech that could not be '
            f'made out (no words came back, even when decoded again)">&nbsp;[unclear {seconds:.1f} s]&nbsp;</span> ')


TRANSCRIPT_CSS = "a { color: inherit; text-decoration: none; }"


def transcript_html(tokens: Sequence[Token], results: Sequence[PointResult], current_word: int | None = None, links: bool = True) -> str:
    """HTML for QTextBrowser and for reports. Words link to `word:N` (seek) and name their points."""
    parts: list[str] = []
    for position, token in enumerate(tokens):
        if token.unclear_before_s is not None:
            parts.append(_unclear_span(token.unclear_before_s))
        if token.pause_before_s is not None:
            parts.append(
                f'<span style="color:#8a5a00; background:#fff3d6; font-weight:600;" title="long pause">'
                f"&nbsp;[pause {token.pause_before_s:.1f} s]&nbsp;</span> "
            )
        styles = []
        if token.points:
            styles.append(f"background:{point_colour(token.points[0])}")
        if token.filler:
            styles.append("color:#b03a2e; text-decoration:underline")
        if current_word is not None and token.index == current_word:
            styles.append("background:#1f6feb; color:white")
        title = "; ".join(f"Key point {p + 1}: {results[p].point}" for p in token.points)
        if token.filler:
            title = "filler word" + (f"; {title}" if title else "")
        # The space after a word shares its highlight when the next word carries the same point,
        # so a key point's evidence reads as one band rather than separate boxes.
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        joined = bool(token.points) and following is not None and following.points[:1] == token.points[:1] \
            and following.pause_before_s is None and following.unclear_before_s is None and token.index != current_word
        text = html.escape(token.word.text) + (" " if joined else "")
        style_attr = f' style="{"; ".join(styles)}"' if styles else ""
        title_attr = f' title="{html.escape(title, quote=True)}"' if title else ""
        span = f"<span{style_attr}{title_attr}>{text}</span>"
        parts.append(f'<a href="word:{token.index}">{span}</a>' if links else span)
        if not joined:
            parts.append(" ")
        if token.unclear_after_s is not None:
            parts.append(_unclear_span(token.unclear_after_s))
    return "".join(parts).strip()


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""
    tone: str = "neutral"  # good, warn, bad, neutral


def figures(delivery: Delivery, results: Sequence[PointResult]) -> list[Figure]:
    """The numbers shown after an answer, with a tone for colour."""
    from app.core.practice import format_seconds

    covered = sum(r.judged_covered for r in results)
    total = len(results)
    share = covered / total if total else 0.0
    out = [Figure("Key points", f"{covered}/{total}", f"{share:.0%} covered", "good" if share >= 0.8 else "warn" if share >= 0.5 else "bad")]
    verdict = delivery.length_verdict
    target = f"target {format_seconds(delivery.target_s)}" if delivery.target_s else "no target"
    out.append(Figure("Length", format_seconds(delivery.duration_s), f"{target} · {verdict}", "good" if verdict == "on target" else "warn"))
    wpm = delivery.words_per_minute
    if wpm is None:
        out.append(Figure("Pace", "-", "too little speech"))
    else:
        tone = "good" if 110 <= wpm <= 170 else "warn"
        hint = "calm" if wpm < 110 else "fast" if wpm > 170 else "clear pace"
        out.append(Figure("Pace", f"{wpm:.0f} wpm", hint, tone))
    out.append(Figure("Fillers", str(len(delivery.fillers)), f"{delivery.fillers_per_minute:.1f} per minute",
                      "good" if delivery.fillers_per_minute < 3 else "warn"))
    out.append(Figure("Long pauses", str(len(delivery.long_pauses)), "over 2 s", "good" if not delivery.long_pauses else "warn"))
    start = delivery.speech_start_s
    out.append(Figure("First word", "-" if start is None else f"{start:.1f} s", "after you started",
                      "neutral" if start is None or start < 5 else "warn"))
    return out


def explain(result: PointResult) -> str:
    """Why the scorer decided, in a sentence a person can check."""
    evidence = f"“{result.evidence.text}”" if result.evidence and result.evidence.text else None
    cues = f"; cue words heard: {', '.join(result.matched_cues)}" if result.matched_cues else ""
    override = ""
    if result.override is not None:
        override = " You marked it as covered." if result.override else " You marked it as not covered."
    if result.covered:
        return f"Covered by {evidence} (match {result.score:.2f} ≥ threshold {result.threshold:.2f}{cues}).{override}"
    closest = f"Closest part of your answer: {evidence} (match {result.score:.2f} < threshold {result.threshold:.2f})." if evidence else "Nothing in the answer came close."
    missing = f" Not said: {', '.join(result.missing_words[:8])}." if result.missing_words else ""
    return f"{closest}{missing}{override}"
