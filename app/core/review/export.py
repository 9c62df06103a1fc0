"""Reports a person can keep or send: one attempt, a mock interview, a question's history; all attempts as CSV.

HTML reports are one self-contained file (styles inline, charts as PNG data URIs, no links to
anything outside), rendered from the Jinja2 templates in resources/templates/reports with
autoescaping, so nothing the person wrote (a question, a note) can become markup; the transcript
is the same markup the app shows (`transcript_html`).
Charts need Qt to draw, so callers pass them in as PNG bytes and this module stays Qt-free.
"""

from __future__ import annotations

import base64
import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TextIO

from app import __version__
from app.core.coach import Advice, advice, mock_verdict
from app.core.feedback import explain, figures, point_colour, transcript_html, transcript_tokens
from app.core.paths import resource_path
from app.core.practice import format_seconds
from app.core.review.progress import Progress
from app.core.timing import describe_timing

if TYPE_CHECKING:
    from jinja2 import Environment

    from app.core.packs.model import Question
    from app.core.records import AttemptDetail, AttemptSummary
    from app.core.scoring.delivery import Delivery

TONE_COLOURS = {"good": "#1a7f37", "warn": "#9a6700", "bad": "#cf222e", "neutral": "#1f2328"}
CHART_TITLES = {
    "duration": "Answer length",
    "coverage": "Key points covered",
    "wpm": "Words per minute",
    "fillers": "Fillers per minute",
    "pitch": "Pitch variation",
    "trailing": "Sentence ends that trail off",
    "pace_change": "Pace in the last third",
    "hedges": "Hedges per minute",
    "first_point": "First key point",
}


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    """The report templates (resources/templates/reports), found through resource_path in a
    checkout, a wheel or the frozen bundle. Every value is escaped unless it is Markup.
    Jinja2 is imported here, on the first report, not when the app starts (60 ms)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(str(resource_path("templates"))),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _render(template: str, title: str, **context: Any) -> str:
    made_at = f"{datetime.now().astimezone():%Y-%m-%d %H:%M}"
    return (
        _templates()
        .get_template(f"reports/{template}")
        .render(title=title, version=__version__, made_at=made_at, **context)
    )


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# -- one attempt ----------------------------------------------------------------------------------


def _advice_markdown(coach: Advice) -> list[str]:
    return [f"**{_md_escape(coach.headline)}**", "", *[f"- {_md_escape(a)}" for a in coach.actions], ""]


def _attempt_view(detail: AttemptDetail) -> dict[str, Any]:
    """What the attempt section of a report shows (reports/parts.html.j2)."""
    from markupsafe import Markup  # with Jinja2, on the first report

    s = detail.summary
    words = detail.transcript.words
    transcript = None
    if words:
        tokens = transcript_tokens(words, detail.key_points, detail.delivery)
        transcript = Markup(transcript_html(tokens, detail.key_points, links=False))  # words escaped there
    return {
        "id": s.id,
        "question": detail.question.text,
        "pack_title": s.pack_title,
        "when": _when(s.created_at),
        "status": s.status,
        "advice": advice(detail, detail.question),
        "figures": [
            {"label": f.label, "value": f.value, "detail": f.detail, "colour": TONE_COLOURS.get(f.tone, "#1f2328")}
            for f in figures(detail.delivery, detail.key_points)
        ],
        "note": s.note,
        "bookmarks": [
            {"at": format_seconds(b.at_s), "note": b.note} for b in detail.bookmarks
        ],  # moments marked in replay
        "transcript": transcript,
        "voice_svg": Markup(voice_svg(detail.delivery)) if transcript else "",  # numbers only
        "points": [
            {
                "covered": r.judged_covered,
                "point": r.point,
                "why": explain(r, words),
                "swatch": f"background:{point_colour(i)}" if r.judged_covered else "background:transparent",
            }
            for i, r in enumerate(detail.key_points)
        ],
        "reference": detail.question.reference_answer,
    }


def voice_svg(delivery: Delivery, width: int = 720, height: int = 56) -> str:
    """The voice strip of the feedback page as inline SVG (pitch line over the loudness area), or ""
    for an answer without voice figures."""
    voice = delivery.voice
    if voice is None or not voice.contour_level_db:
        return ""
    step, n = 0.1, len(voice.contour_level_db)
    total = max(delivery.duration_s, n * step) or 1.0

    def x(seconds: float) -> float:
        return round(seconds / total * width, 1)

    loud = sorted(v for v in voice.contour_level_db if v > 0)
    floor, top = (loud[len(loud) // 10], loud[-1]) if loud else (0.0, 1.0)
    area = (
        [f"0,{height}"]
        + [
            f"{x((i + 0.5) * step)},{round(height - max(0.0, min(1.0, (v - floor) / max(1.0, top - floor))) * (height - 4), 1)}"
            for i, v in enumerate(voice.contour_level_db)
        ]
        + [f"{x(n * step)},{height}"]
    )
    voiced = sorted(p for p in voice.contour_pitch_hz if p > 0)
    lines, run = [], []
    median = voiced[len(voiced) // 2] if voiced else 0
    for i, hz in enumerate(voice.contour_pitch_hz + [0]):
        if hz > 0 and median:
            semitones = max(-8.0, min(8.0, 12 * math.log2(hz / median)))
            run.append(f"{x((i + 0.5) * step)},{round(height / 2 - semitones / 8 * height / 2, 1)}")
        elif run:
            lines.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="#1f6feb" stroke-width="1.5"/>')
            run = []
    marks = [
        f'<polygon points="{x(e.end_s) - 5},0 {x(e.end_s) + 5},0 {x(e.end_s)},8" fill="#bc4c00"/>'
        for e in voice.sentence_ends
        if e.trailing
    ]
    marks += [
        f'<line x1="{x(h.start_s)}" y1="{height - 7}" x2="{x(h.start_s)}" y2="{height}" stroke="#6639ba" stroke-width="2"/>'
        for h in delivery.hedges or []
    ]
    return (
        f'<svg class="voice" role="img" aria-label="Pitch and loudness over the answer" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><rect width="100%" height="100%" fill="#f6f8fa"/>'
        f'<polygon points="{" ".join(area)}" fill="#d0d7de"/>{"".join(lines)}{"".join(marks)}</svg>'
    )


def attempt_html(detail: AttemptDetail) -> str:
    return _render("attempt.html.j2", f"Rehearse: {detail.question.text}", attempt=_attempt_view(detail))


def transcript_markdown(detail: AttemptDetail) -> str:
    """The transcript as Markdown: key-point evidence in bold with the point's number, fillers in italics."""
    tokens = transcript_tokens(detail.transcript.words, detail.key_points, detail.delivery)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.unclear_before_s is not None:
            out.append(f"[unclear {token.unclear_before_s:.1f} s]")
        out.extend("[possible filler]" for _ in range(token.possible_fillers_before))
        if token.pause_before_s is not None:
            out.append(f"[pause {token.pause_before_s:.1f} s]")
        if token.points:
            point = token.points[0]
            j = i
            words = []
            while (
                j < len(tokens)
                and tokens[j].points[:1] == [point]
                and (
                    j == i
                    or (
                        tokens[j].pause_before_s is None
                        and tokens[j].unclear_before_s is None
                        and not tokens[j].possible_fillers_before
                    )
                )
            ):
                word = _md_escape(tokens[j].word.text)
                words.append(f"_{word}_" if tokens[j].filler else f"‹{word}›" if tokens[j].hedge else word)
                j += 1
            out.append(f"**{' '.join(words)}**<sup>{point + 1}</sup>")
            i = j
            continue
        text = _md_escape(token.word.text)
        out.append(f"_{text}_" if token.filler else f"‹{text}›" if token.hedge else text)
        i += 1
    if tokens and tokens[-1].unclear_after_s is not None:
        out.append(f"[unclear {tokens[-1].unclear_after_s:.1f} s]")
    return " ".join(out)


def _md_escape(text: str) -> str:
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _attempt_markdown(detail: AttemptDetail, level: str = "#") -> str:
    s = detail.summary
    lines = [
        f"{level} {_md_escape(detail.question.text)}",
        "",
        f"{_md_escape(s.pack_title)} · {_when(s.created_at)} · attempt {s.id}"
        + (f" · {s.status}" if s.status != "complete" else ""),
        "",
    ]
    lines += _advice_markdown(advice(detail, detail.question))
    lines += ["| Figure | Value | |", "| --- | --- | --- |"]
    lines += [
        f"| {_md_cell(f.label)} | {_md_cell(f.value)} | {_md_cell(f.detail)} |"
        for f in figures(detail.delivery, detail.key_points)
    ]
    lines.append("")
    if s.note:
        lines += [f"{level}# Note", "", *[f"> {line}" for line in s.note.splitlines()], ""]
    if detail.bookmarks:
        lines += [
            f"{level}# Bookmarks",
            "",
            *[f"- **{format_seconds(b.at_s)}** {_md_escape(b.note)}" for b in detail.bookmarks],
            "",
        ]
    lines += [f"{level}# Transcript", ""]
    if detail.transcript.words:
        lines += [
            transcript_markdown(detail),
            "",
            "_Bold: covered key point (number as in the list) · italics: fillers ([possible filler]: a short sound "
            "that came back as no word, not counted) · ‹ ›: hedges_",
            "",
        ]
    else:
        lines += ["_No speech was transcribed for this answer._", ""]
    lines += [f"{level}# Key points", ""]
    for i, result in enumerate(detail.key_points, 1):
        mark = "x" if result.judged_covered else " "
        lines.append(f"{i}. [{mark}] {_md_escape(result.point)}  ")
        lines.append(f"   {_md_escape(explain(result, detail.transcript.words))}")
    lines.append("")
    if detail.question.reference_answer:
        lines += [
            f"{level}# Reference answer",
            "",
            *[f"> {line}" for line in detail.question.reference_answer.splitlines()],
            "",
        ]
    return "\n".join(lines)


def attempt_markdown(detail: AttemptDetail) -> str:
    return _attempt_markdown(detail)


# -- a mock interview --------------------------------------------------------------------------------


def _summary_cells(detail: AttemptDetail) -> list[str]:
    d, s = detail.delivery, detail.summary
    target = f" / {format_seconds(d.target_s)}" if d.target_s else ""
    return [
        f"{format_seconds(d.duration_s)}{target} ({describe_timing(d.duration_s, d.target_s)})",
        f"{s.covered_count}/{s.point_count} ({s.coverage:.0%})",
        "-" if d.words_per_minute is None else f"{d.words_per_minute:.0f}",
        f"{len(d.fillers)}",
        f"{len(d.long_pauses)}",
    ]


MOCK_COLUMNS = ("Question", "Length", "Key points", "WPM", "Fillers", "Long pauses")


def mock_totals(details: Sequence[AttemptDetail]) -> str:
    covered = sum(d.summary.covered_count for d in details)
    points = sum(d.summary.point_count for d in details)
    seconds = sum(d.delivery.duration_s for d in details)
    on_target = sum(d.delivery.length_verdict == "on target" for d in details)
    share = f" ({covered / points:.0%})" if points else ""
    return (
        f"{len(details)} answer{'s' if len(details) != 1 else ''}, {format_seconds(seconds)} in all; "
        f"{covered} of {points} key points covered{share}; {on_target} of {len(details)} on target length."
    )


def mock_labels(details: Sequence[AttemptDetail]) -> list[str]:
    """ "1.", "2." for questions; "↳ 1a." for a follow-up to answer 1 (its parent_attempt_id), as the summary shows chains."""
    labels: list[str] = []
    numbers: dict[int, tuple[int, int]] = {}  # attempt id -> (its question number, follow-ups under it so far)
    count = 0
    for d in details:
        parent_id = d.parent_attempt_id
        parent = numbers.get(parent_id) if parent_id is not None else None
        if parent_id is None or parent is None:
            count += 1
            numbers[d.summary.id] = (count, 0)
            labels.append(f"{count}.")
        else:
            number = parent[0]
            follow = parent[1] + 1
            numbers[parent_id] = (number, follow)
            numbers[d.summary.id] = (number, 0)
            labels.append(f"↳ {number}{chr(ord('a') + follow - 1)}. Follow-up:")
    return labels


def mock_html(details: Sequence[AttemptDetail], title: str = "Mock interview") -> str:
    rows = [
        {"label": label, "id": d.summary.id, "question": d.question.text, "cells": _summary_cells(d)}
        for label, d in zip(mock_labels(details), details)
    ]
    return _render(
        "mock.html.j2",
        f"Rehearse: {title}",
        heading=title,
        when=_when(details[0].summary.created_at) if details else "",
        totals=mock_totals(details),
        verdict=mock_verdict(details),
        columns=MOCK_COLUMNS,
        rows=rows,
        attempts=[_attempt_view(d) for d in details],
    )


def mock_markdown(details: Sequence[AttemptDetail], title: str = "Mock interview") -> str:
    when = _when(details[0].summary.created_at) if details else ""
    lines = [
        f"# {title}",
        "",
        f"{when} · {mock_totals(details)}",
        "",
        *_advice_markdown(mock_verdict(details)),
        "| " + " | ".join(MOCK_COLUMNS) + " |",
        "|" + " --- |" * len(MOCK_COLUMNS),
    ]
    for label, d in zip(mock_labels(details), details):
        lines.append("| " + " | ".join(_md_cell(c) for c in [f"{label} {d.question.text}", *_summary_cells(d)]) + " |")
    lines.append("")
    for d in details:
        lines += [_attempt_markdown(d, "##"), ""]
    return "\n".join(lines)


# -- a question's history ----------------------------------------------------------------------------

HISTORY_COLUMNS = ("Date", "Length", "Key points", "WPM", "Fillers", "Long pauses", "Note")


def _history_cells(s: AttemptSummary) -> list[str]:
    target = f" / {format_seconds(s.target_s)}" if s.target_s else ""
    return [
        _when(s.created_at),
        f"{format_seconds(s.duration_s)}{target}",
        f"{s.covered_count}/{s.point_count} ({s.coverage:.0%})",
        "-" if s.words_per_minute is None else f"{s.words_per_minute:.0f}",
        str(s.filler_count),
        str(s.long_pause_count),
        s.note or "",
    ]


def question_html(
    question: Question,
    pack_title: str,
    summaries: Sequence[AttemptSummary],
    progress: Progress,
    charts: Mapping[str, bytes] | None = None,
) -> str:
    """`summaries` newest first, as the history lists them; `charts` maps chart key -> PNG bytes."""
    # A chart with nothing measured (voice figures of answers saved before they existed) is left out.
    shown = [
        {"title": CHART_TITLES.get(key, key), "src": png_data_uri(png)}
        for key, png in (charts or {}).items()
        if key not in progress.charts or any(not math.isnan(v) for v in progress.charts[key].y)
    ]
    return _render(
        "question.html.j2",
        f"Rehearse: {question.text}",
        question=question.text,
        pack_title=pack_title,
        attempt_count=len(summaries),
        target=format_seconds(question.answer_seconds) if question.answer_seconds else None,
        trends=progress.trends,
        charts=shown,
        columns=HISTORY_COLUMNS,
        rows=[_history_cells(s) for s in summaries],
        key_points=[kp.text for kp in question.key_points],
    )


def question_markdown(
    question: Question, pack_title: str, summaries: Sequence[AttemptSummary], progress: Progress
) -> str:
    lines = [
        f"# {_md_escape(question.text)}",
        "",
        f"{_md_escape(pack_title)} · {len(summaries)} attempt{'s' if len(summaries) != 1 else ''} · target {format_seconds(question.answer_seconds)}",
        "",
    ]
    if progress.trends:
        lines += ["## How it is going", "", *[f"- {t.text}" for t in progress.trends], ""]
    lines += ["## Attempts", "", "| " + " | ".join(HISTORY_COLUMNS) + " |", "|" + " --- |" * len(HISTORY_COLUMNS)]
    lines += ["| " + " | ".join(_md_cell(c) for c in _history_cells(s)) + " |" for s in summaries]
    lines += [
        "",
        "## Key points",
        "",
        *[f"{i}. {_md_escape(kp.text)}" for i, kp in enumerate(question.key_points, 1)],
        "",
    ]
    return "\n".join(lines)


# -- CSV -------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "created_at",
    "pack_id",
    "pack_title",
    "question_id",
    "question_text",
    "category",
    "status",
    "duration_s",
    "target_s",
    "length_ratio",
    "words_per_minute",
    "filler_count",
    "fillers_per_minute",
    "long_pause_count",
    "coverage",
    "covered_count",
    "point_count",
    "speech_start_s",
    "session_id",
    "audio_path",
    "note",
    # Voice, hedges and shape (empty for attempts saved before they were measured)
    "pitch_variation_st",
    "trailing_count",
    "rate_change",
    "hedges_per_minute",
    "first_point_s",
    "direct_opening",
)
MANNER_COLUMNS = CSV_COLUMNS[-6:]


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_attempts_csv(
    summaries: Iterable[AttemptSummary], out: TextIO, manner: Mapping[int, Mapping[str, object]] | None = None
) -> int:
    """Every attempt as one row; returns the number of rows written. `manner`: History.delivery_figures."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for s in summaries:
        ratio = s.duration_s / s.target_s if s.target_s else None
        per_minute = s.filler_count / (s.duration_s / 60) if s.duration_s > 0 else 0.0
        writer.writerow(
            [
                s.id,
                s.created_at.isoformat(),
                s.pack_id,
                _cell(s.pack_title),
                s.question_id,
                _cell(s.question_text),
                s.category or "",
                s.status,
                round(s.duration_s, 2),
                "" if s.target_s is None else s.target_s,
                "" if ratio is None else round(ratio, 3),
                "" if s.words_per_minute is None else round(s.words_per_minute, 1),
                s.filler_count,
                round(per_minute, 2),
                s.long_pause_count,
                round(s.coverage, 4),
                s.covered_count,
                s.point_count,
                "" if s.speech_start_s is None else round(s.speech_start_s, 2),
                "" if s.session_id is None else s.session_id,
                "" if s.audio_path is None else str(s.audio_path),
                _cell(s.note or ""),
                *[
                    "" if (value := (manner or {}).get(s.id, {}).get(column)) is None else value
                    for column in MANNER_COLUMNS
                ],
            ]
        )
        count += 1
    return count


__all__ = [
    "CSV_COLUMNS",
    "attempt_html",
    "attempt_markdown",
    "mock_html",
    "mock_markdown",
    "png_data_uri",
    "question_html",
    "question_markdown",
    "transcript_markdown",
    "write_attempts_csv",
]
