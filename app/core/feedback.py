"""Feedback as data: which words carry which key point, which are fillers, where the pauses are.

The GUI's transcript view and the HTML/Markdown exports render the same markup, so what a
person saw after answering is what the report shows.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from app.core.scoring.delivery import Delivery
from app.core.scoring.keypoints import PointResult
from app.core.scoring.text import FILLER_TOKENS, bare
from app.core.transcribe.transcript import Correction, Word

# Below this probability a word is shown grey, "the recogniser was unsure". Measured on 10 spoken
# reference answers (3 voices, 140-185 wpm, 782 words): 36% of the wrong words fall below 0.4 and
# 6% of the right ones; at 0.6 it is 62% and 14%, which greys too much of a good transcript.
UNSURE_SHOWN_BELOW = 0.4
UNSURE_TITLE = "the recogniser was unsure of this word"
HEDGE_TITLE = "hedge: makes the answer sound unsure"
HEDGE_STYLE = "color:#6639ba; background:#f1e9ff; font-style:italic"  # distinct from fillers (red, underlined)

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
    hedge: bool = False  # "I think", "maybe", ... (scoring/hedges.py)
    unsure: bool = False  # Whisper gave the word a low probability (UNSURE_SHOWN_BELOW)
    corrected_to: str | None = None  # in the words as heard: what the glossary made of it ("" dropped)
    pause_before_s: float | None = None  # a long pause just before this word
    # Speech heard with no words (the transcript's unclear gaps): "[unclear 1.8 s]", never a pause.
    unclear_before_s: float | None = None
    unclear_after_s: float | None = None  # after the last word
    possible_fillers_before: int = 0  # short wordless sounds just before this word (an unwritten "um"?)


def transcript_tokens(words: Sequence[Word], results: Sequence[PointResult], delivery: Delivery) -> list[Token]:
    tokens = [Token(i, w, unsure=w.probability < UNSURE_SHOWN_BELOW) for i, w in enumerate(words)]
    for point_index, result in enumerate(results):
        if result.judged_covered and result.evidence is not None:
            for i in range(result.evidence.start, min(result.evidence.end, len(tokens))):
                tokens[i].points.append(point_index)
    for filler in delivery.fillers:
        for i in range(filler.index, min(filler.index + filler.length, len(tokens))):
            tokens[i].filler = True
    for hedge in delivery.hedges or []:
        for i in range(hedge.index, min(hedge.index + hedge.length, len(tokens))):
            tokens[i].hedge = True
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
    for gap in delivery.possible_fillers:
        if 0 <= gap.after_word + 1 < len(tokens):
            tokens[gap.after_word + 1].possible_fillers_before += 1
    return tokens


def _unclear_span(seconds: float) -> str:
    return (
        f'<span style="color:#555555; background:#e8e8e8; font-style:italic;" title="speech that could not be '
        f'made out (no words came back, even when decoded again)">&nbsp;[unclear {seconds:.1f} s]&nbsp;</span> '
    )


POSSIBLE_FILLER_TITLE = (
    "A short sound between words that came back as no word, even when decoded again: often an "
    "“um” or “uh”. Counted apart from the fillers."
)


def _possible_filler_span() -> str:
    return (
        f'<span style="color:#b03a2e; font-style:italic;" title="{html.escape(POSSIBLE_FILLER_TITLE, quote=True)}">'
        "[possible filler]</span> "
    )


def heard_tokens(raw_words: Sequence[Word], words: Sequence[Word], corrections: Sequence[Correction]) -> list[Token]:
    """The words as Whisper heard them, before glossary fixes, each linked to the corrected word at
    its time (so a click plays from there and replay follows), with what each fix made of it."""
    tokens: list[Token] = []
    fixed: dict[int, str] = {}
    for c in corrections:
        for i in range(c.raw_start, c.raw_end):
            fixed[i] = c.corrected
    j = 0
    for i, word in enumerate(raw_words):
        while j + 1 < len(words) and words[j + 1].start <= word.start + 1e-6:
            j += 1
        tokens.append(Token(j, word, unsure=word.probability < UNSURE_SHOWN_BELOW, corrected_to=fixed.get(i)))
    return tokens


def word_title(token: Token, results: Sequence[PointResult]) -> str:
    """The hover text of a word: filler, key points, the recogniser's doubt, a glossary fix."""
    names = [f"Key point {p + 1}: {results[p].point}" for p in token.points]
    if token.filler:
        names.insert(0, "Filler word")
    if token.hedge:
        names.insert(0, "Hedge: it makes the answer sound unsure; say it plainly")
    if token.unsure:
        names.append(f"The recogniser was unsure of this word ({token.word.probability:.0%})")
    if token.corrected_to == "":
        names.append("Dropped: a glossary term written where nothing like it was said")
    elif token.corrected_to is not None:
        names.append(f"Corrected to “{token.corrected_to}” from the glossary")
    return "\n".join(names)


def unsure_only(result: PointResult, words: Sequence[Word]) -> bool:
    """A covered point whose evidence words (fillers aside) were all ones the recogniser was unsure of."""
    if result.evidence is None:
        return False
    heard = [w for w in words[result.evidence.start : result.evidence.end] if bare(w.text) not in FILLER_TOKENS]
    return bool(heard) and all(w.probability < UNSURE_SHOWN_BELOW for w in heard)


TRANSCRIPT_CSS = "a { color: inherit; text-decoration: none; }"


FOUND_STYLE = "background:#ffd33d; font-weight:600"  # a word the History search found


def transcript_html(
    tokens: Sequence[Token],
    results: Sequence[PointResult],
    current_word: int | None = None,
    links: bool = True,
    found: Collection[int] = (),
) -> str:
    """HTML for QTextBrowser and for reports. Words link to `word:N` (seek) and name their points;
    `found`: word indices a History search matched, marked so they can be spotted."""
    parts: list[str] = []
    for position, token in enumerate(tokens):
        if token.unclear_before_s is not None:
            parts.append(_unclear_span(token.unclear_before_s))
        parts.extend(_possible_filler_span() for _ in range(token.possible_fillers_before))
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
        elif token.hedge:
            styles.append(HEDGE_STYLE)
        elif token.unsure:
            styles.append("color:#7d8590; text-decoration:underline dotted")  # Qt draws grey; browsers dot it
        if token.corrected_to is not None:
            styles.append(
                "background:#eaeef2; text-decoration:line-through" if token.corrected_to == "" else "background:#eaeef2"
            )
        if token.index in found:
            styles.append(FOUND_STYLE)
        if current_word is not None and token.index == current_word:
            styles.append("background:#1f6feb; color:white")
        title = "; ".join(f"Key point {p + 1}: {results[p].point}" for p in token.points)
        if token.filler:
            title = "filler word" + (f"; {title}" if title else "")
        if token.hedge:
            title = HEDGE_TITLE + (f"; {title}" if title else "")
        if token.unsure:
            title = f"{title}; {UNSURE_TITLE}" if title else UNSURE_TITLE
        if token.corrected_to is not None:
            fix = f"corrected to “{token.corrected_to}”" if token.corrected_to else "dropped: no matching sound"
            title = f"{title}; {fix}" if title else fix
        # The space after a word shares its highlight when the next word carries the same point,
        # so a key point's evidence reads as one band rather than separate boxes.
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        joined = (
            bool(token.points)
            and following is not None
            and following.points[:1] == token.points[:1]
            and following.pause_before_s is None
            and following.unclear_before_s is None
            and not following.possible_fillers_before
            and token.index != current_word
        )
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
    hint: str = ""  # how it is measured, in a sentence (shown on hover)


def figures(delivery: Delivery, results: Sequence[PointResult]) -> list[Figure]:
    """The numbers shown after an answer, with a tone for colour."""
    from app.core.practice import format_seconds

    covered = sum(r.judged_covered for r in results)
    total = len(results)
    share = covered / total if total else 0.0
    out = [
        Figure(
            "Key points",
            f"{covered}/{total}",
            f"{share:.0%} covered",
            "good" if share >= 0.8 else "warn" if share >= 0.5 else "bad",
        )
    ]
    verdict = delivery.length_verdict
    target = f"target {format_seconds(delivery.target_s)}" if delivery.target_s else "no target"
    out.append(
        Figure(
            "Length",
            format_seconds(delivery.duration_s),
            f"{target} · {verdict}",
            "good" if verdict == "on target" else "warn",
        )
    )
    wpm = delivery.words_per_minute
    if wpm is None:
        out.append(Figure("Pace", "-", "too little speech"))
    else:
        tone = "good" if 110 <= wpm <= 170 else "warn"
        hint = "calm" if wpm < 110 else "fast" if wpm > 170 else "clear pace"
        out.append(Figure("Pace", f"{wpm:.0f} wpm", hint, tone))
    out.append(
        Figure(
            "Fillers",
            str(len(delivery.fillers)),
            f"{delivery.fillers_per_minute:.1f} per minute"
            + (f" · {len(delivery.possible_fillers)} possible" if delivery.possible_fillers else ""),
            "good" if delivery.fillers_per_minute < 3 else "warn",
            "“um”, “uh”, “you know” and “like” used as a filler, as the recogniser wrote them."
            + (
                f" Possible: {len(delivery.possible_fillers)} short sounds between words that came back as no "
                "word, often an “um”; not counted."
                if delivery.possible_fillers
                else ""
            ),
        )
    )
    out.append(
        Figure(
            "Long pauses", str(len(delivery.long_pauses)), "over 2 s", "good" if not delivery.long_pauses else "warn"
        )
    )
    start = delivery.speech_start_s
    out.append(
        Figure(
            "First word",
            "-" if start is None else f"{start:.1f} s",
            "after you started",
            "neutral" if start is None or start < 5 else "warn",
        )
    )
    return out + manner_figures(delivery)


def manner_figures(delivery: Delivery) -> list[Figure]:
    """Voice, hedges and shape (issue 18), each with a sentence a person understands; attempts
    saved before these were measured have none."""
    from app.core.scoring.voice import TRAILING_DROP_DB

    out: list[Figure] = []
    voice = delivery.voice
    if voice is not None and voice.pitch_variation_st is not None:
        usual = f" · your usual {voice.usual_variation_st:.1f}" if voice.usual_variation_st is not None else ""
        out.append(
            Figure(
                "Pitch",
                f"{voice.pitch_variation_st:.1f} st",
                ("monotone: let your voice rise and fall" if voice.monotone else "varied")
                + f" · range {voice.pitch_range_st:.0f} st{usual}",
                "warn" if voice.monotone else "good",
                "How much your pitch moves within each 5 seconds, in semitones (Praat). Below "
                f"{voice.monotone_below_st:.1f} it sounds monotone"
                + (" for you (set from your earlier answers)." if voice.baseline_answers else "."),
            )
        )
        ends = len(voice.sentence_ends)
        out.append(
            Figure(
                "Sentence ends",
                f"{voice.trailing_count}/{ends} fade",
                "trailing off: keep your voice up to the last word" if voice.trails_off else "held up to the end",
                "warn" if voice.trails_off else "good",
                f"Sentences whose last words are {TRAILING_DROP_DB:.0f} dB or more below your own level in "
                "this answer: they fade before the point lands.",
            )
        )
    if voice is not None and voice.rate_trend is not None:
        change = voice.rate_change or 1.0
        out.append(
            Figure(
                "Pace over time",
                f"{change - 1:+.0%}",
                f"last third vs before · {voice.rate_trend}",
                "good" if voice.rate_trend == "steady" else "warn",
                "Syllables per minute in the last third of your speech against the first two thirds "
                "(syllables, so long and short words weigh fairly): faster means rushing to finish, "
                "slower means running out of steam.",
            )
        )
    if delivery.hedges is not None:
        names = sorted({h.phrase.lower() for h in delivery.hedges})
        detail = ", ".join(f"“{n}”" for n in names[:3]) if names else "none: you sounded sure"
        if delivery.overused:
            detail += " · leaned on " + ", ".join(f"“{w}” ×{n}" for w, n in delivery.overused[:2])
        out.append(
            Figure(
                "Hedges",
                str(len(delivery.hedges)),
                detail,
                "good" if (delivery.hedges_per_minute or 0) < 2 and not delivery.overused else "warn",
                "Phrases such as “I think”, “maybe”, “kind of” that make an answer sound unsure (purple "
                "in the transcript); their plain uses (“a kind of model”) are not counted.",
            )
        )
    shape = delivery.shape
    if shape is not None and shape.kind == "technical" and shape.direct_opening is not None:
        first = "no key point" if shape.first_point_s is None else f"first key point at {shape.first_point_s:.0f} s"
        out.append(
            Figure(
                "Opening",
                "direct" if shape.direct_opening else "slow start",
                (
                    "answered in the first sentence"
                    if shape.direct_opening
                    else "say the answer in one sentence, then the detail"
                )
                + f" · {first}",
                "good" if shape.direct_opening else "warn",
                "Whether your first sentence already makes one of the key points, and when the first key "
                "point began: interviewers want the answer first, then the detail.",
            )
        )
    elif shape is not None and shape.kind == "story" and shape.story:
        told = sum(p.present for p in shape.story)
        missing = shape.missing_part
        out.append(
            Figure(
                "Story",
                f"{told}/{len(shape.story)} parts",
                missing.missing if missing else "situation, task, action and result told",
                "good" if missing is None else "warn",
                "Situation, task, action and result, each read by the story judge; the strip under the "
                "transcript shows where each was told.",
            )
        )
    return out


def explain(result: PointResult, words: Sequence[Word] = ()) -> str:
    """Why the scorer decided, in a sentence a person can check (with the answer's `words`, also
    whether the evidence rests only on words the recogniser was unsure of)."""
    evidence = f"“{result.evidence.text}”" if result.evidence and result.evidence.text else None
    cues = f"; cue words heard: {', '.join(result.matched_cues)}" if result.matched_cues else ""
    override = ""
    if result.override is not None:
        override = " You marked it as covered." if result.override else " You marked it as not covered."
    if result.covered:
        unsure = (
            " Heard only in words the recogniser was unsure of: check the recording."
            if unsure_only(result, words)
            else ""
        )
        return f"Covered by {evidence} (match {result.score:.2f} ≥ threshold {result.threshold:.2f}{cues}).{unsure}{override}"
    closest = (
        f"Closest part of your answer: {evidence} (match {result.score:.2f} < threshold {result.threshold:.2f})."
        if evidence
        else "Nothing in the answer came close."
    )
    missing = f" Not said: {', '.join(result.missing_words[:8])}." if result.missing_words else ""
    return f"{closest}{missing}{override}"
