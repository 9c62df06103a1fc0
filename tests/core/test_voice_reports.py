"""The voice, hedge and shape figures in exports and over time: real espeak-ng answers measured by
Praat and Whisper, stored in a real SQLite history beside an attempt saved before these figures."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime, timedelta

import pytest

from app.core.analysis import analyse_answer
from app.core.audio.files import load_audio
from app.core.packs import PackLibrary, load_pack
from app.core.paths import builtin_packs_dir
from app.core.review import export
from app.core.review.progress import daily_series, question_series, with_manner
from app.core.review.reports import csv_report, question_report
from app.db.history import History
from tests.core.test_voice import SENTENCES, espeak

pytestmark = pytest.mark.slow

HEDGED = "I think " + SENTENCES[0] + " Maybe " + SENTENCES[3]


@pytest.fixture
def history(data_dir, transcriber, scorer):
    """Three attempts: an old one (no voice, hedge or shape figures), a flat hedged one, a lively one."""
    pack = load_pack(builtin_packs_dir() / "ml-interpretability.yaml")
    question = pack.question("what-is-interpretability")
    history = History.open(data_dir)
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    ids = []
    for day, ssml in enumerate(
        [None, f'<prosody range="x-low">{HEDGED}</prosody>', f'<prosody range="x-high">{HEDGED}</prosody>']
    ):
        audio = load_audio(espeak(ssml or HEDGED))
        analysis = analyse_answer(audio, pack, question, transcriber, scorer)
        if ssml is None:
            analysis.delivery.voice = analysis.delivery.hedges = analysis.delivery.overused = (
                analysis.delivery.shape
            ) = None
        ids.append(history.save_attempt(pack, question, analysis, None, created_at=start + timedelta(days=day)))
    yield history, pack, question, ids
    history.close()


def test_attempt_reports_carry_the_figures_the_strip_and_the_hedges(history) -> None:
    history, _pack, _question, (old, flat, _lively) = history
    page = export.attempt_html(history.get_attempt(flat))
    assert '<svg class="voice"' in page and "#1f6feb" in page
    for label in ("Pitch", "Sentence ends", "Hedges", "Opening"):
        assert f"<th>{label}</th>" in page
    assert "monotone" in page and page.count("hedge: makes the answer sound unsure") >= 3
    markdown = export.attempt_markdown(history.get_attempt(flat))
    assert "‹I› ‹think›" in markdown and "‹Maybe›" in markdown and "| Hedges | 2 |" in markdown
    before = export.attempt_html(history.get_attempt(old))
    assert '<svg class="voice"' not in before and "<th>Pitch</th>" not in before and "<th>Key points</th>" in before


def test_the_csv_has_the_figures_where_they_were_measured(history) -> None:
    history, _pack, _question, (old, flat, lively) = history
    text, count = csv_report(history)
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(text))}
    assert count == 3 and list(rows[old]) == list(export.CSV_COLUMNS)
    assert rows[old]["pitch_variation_st"] == "" and rows[old]["hedges_per_minute"] == ""
    assert float(rows[flat]["pitch_variation_st"]) < 1.0 < float(rows[lively]["pitch_variation_st"])
    assert float(rows[flat]["hedges_per_minute"]) > 0 and rows[flat]["direct_opening"] in ("0", "1")


def test_each_figure_is_charted_over_time_with_a_gap_for_older_answers(history) -> None:
    history, pack, question, (old, flat, lively) = history
    points = history.progress_points(pack_id=pack.id)
    figures = history.delivery_figures(pack_id=pack.id, question_id=question.id)
    assert set(figures) == {flat, lively}
    one = with_manner(question_series(points), points, figures)
    pitch = one.charts["pitch"]
    assert pitch.ids == [old, flat, lively] and math.isnan(pitch.y[0]) and pitch.y[1] < 1.0 < pitch.y[2]
    assert one.charts["hedges"].y[1] > 0 and one.charts["pace_change"].band_low is not None
    for key in ("trailing", "first_point"):
        assert math.isnan(one.charts[key].y[0]) and not math.isnan(one.charts[key].y[2])
    daily = with_manner(daily_series(points), points, figures)
    assert len(daily.charts["pitch"].x) == 3 and daily.charts["pitch"].x == daily.charts["duration"].x
    report = question_report(
        history,
        PackLibrary(builtin_packs_dir()),
        pack.id,
        question.id,
        "html",
        render_charts=lambda progress: {key: b"\x89PNG" for key in progress.charts},
    )
    assert "<h3>Pitch variation</h3>" in report and "<h3>Hedges per minute</h3>" in report


def test_score_json_carries_the_figures_without_the_contour(transcriber, scorer) -> None:
    """`rehearse score --json` prints AnswerAnalysis.to_dict()."""
    import json

    pack = load_pack(builtin_packs_dir() / "ml-interpretability.yaml")
    question = pack.question("what-is-interpretability")
    audio = load_audio(espeak(f'<prosody range="x-low">{HEDGED}</prosody>'))
    data = json.loads(json.dumps(analyse_answer(audio, pack, question, transcriber, scorer).to_dict()))
    assert data["voice"]["monotone"] is True and "contour" not in data["voice"]
    assert [h["phrase"].lower() for h in data["hedges"]] == ["i think", "maybe"]
    assert data["shape"]["kind"] == "technical"


def test_pace_change_over_time_is_charted_in_syllables_only(history) -> None:
    """Answers stored before pace was counted in syllables hold a change in words per minute, which reads
    faster at the end when the answer ends on shorter words (1.17x against 1.05x for one steady voice):
    mixed into one line it would look like progress that never happened, so they leave a gap instead."""
    history, pack, question, (_old, flat, lively) = history
    syllables = {"rate_start_wpm": 150.0, "rate_end_wpm": 175.5, "rate_start_spm": 240.0, "rate_end_spm": 252.0}
    words_only = {"rate_start_wpm": 150.0, "rate_end_wpm": 175.5}
    with history.engine.begin() as conn:
        for attempt_id, rates, change in ((flat, syllables, 1.05), (lively, words_only, 1.17)):
            sets = ", ".join(f"'$.voice.{key}', {value}" for key, value in rates.items())
            conn.exec_driver_sql(
                f"update attempts set delivery = json_set(delivery, {sets}, '$.voice.rate_change', {change})"
                f" where id = {attempt_id}"
            )
    figures = history.delivery_figures(pack_id=pack.id, question_id=question.id)
    assert figures[flat]["rate_change"] == pytest.approx(1.05) and figures[lively]["rate_change"] is None
    points = history.progress_points(pack_id=pack.id)
    chart = with_manner(question_series(points), points, figures).charts["pace_change"]
    assert chart.y[1] == pytest.approx(5.0) and math.isnan(chart.y[2])
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(csv_report(history)[0]))}
    assert float(rows[flat]["rate_change"]) == pytest.approx(1.05) and rows[lively]["rate_change"] == ""
