"""Reports: what an attempt, a mock interview and a question's history look like as HTML, Markdown and CSV."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from app.core.packs import Pack
from app.core.review import export
from app.core.review.compare import compare_attempts
from app.core.review.progress import progress_points, question_series
from app.db.history import History
from tests.core.test_review_seeding import T0, save

TEXT = "um so SHAP uses Shapley values from game theory and LIME fits a local surrogate model around one prediction"
# A 1x1 PNG: charts are drawn by Qt elsewhere; here only how they are embedded matters.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def attempts(history: History, demo: Pack) -> list[int]:  # noqa: F811
    shap = demo.question("shap-and-lime")
    first = save(history, demo, shap, T0, duration_s=70.0, covered=[True, False, False], text=TEXT)
    second = save(
        history,
        demo,
        shap,
        T0 + timedelta(days=2),
        duration_s=40.0,
        covered=[True, True, False],
        text=TEXT.replace("um so ", ""),
    )
    history.set_note(second, "Slower start <script>alert(1)</script>\n=SUM(A1) second line")
    return [first, second]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(text)
    return parser.tags


def test_attempt_html_is_self_contained_with_the_feedback_as_shown(history: History, attempts: list[int]) -> None:
    detail = history.get_attempt(attempts[1])
    page = export.attempt_html(detail)
    tags = _tags(page)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not [t for t, a in tags if t in ("script", "link", "iframe")]
    assert not [
        a
        for t, a in tags
        if any((v or "").startswith(("http:", "https:", "//")) for k, v in a.items() if k in ("src", "href"))
    ]
    assert "word:" not in page, "no seek links in a report"
    # Figures as the feedback page shows them, the transcript with the key-point highlight, the checklist with reasons.
    assert 'Key points</th><td class="value"' in page and "2/3" in page
    assert "0:40" in page and "target 0:45" in page
    assert 'style="background:#ffe08a"' in page and "Shapley" in page
    assert "Covered by “" in page and "Not said: interpretable." in page
    assert "✓ SHAP attributes a prediction" in page and "✗ LIME explanations can be unstable" in page
    assert "Slower start &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "Reference answer" in page and "LIME perturbs the input" in page


def test_attempt_markdown(history: History, attempts: list[int]) -> None:
    text = export.attempt_markdown(history.get_attempt(attempts[0]))
    assert text.startswith("# Describe your experience with SHAP and LIME.\n")
    assert "| Key points | 1/3 | 33% covered |" in text
    assert "_um_" in text, "fillers in italics"
    assert re.search(r"\*\*[^*]+\*\*<sup>1</sup>", text), "evidence of key point 1 in bold"
    assert "1. [x] SHAP attributes" in text and "2. [ ] LIME fits" in text


def test_mock_report_lists_every_answer_with_a_link_to_its_detail(history: History, attempts: list[int]) -> None:
    details = [history.get_attempt(i) for i in attempts]
    page = export.mock_html(details, "Mock interview")
    assert page.count('<section class="attempt"') == 2
    for i in attempts:
        assert f'href="#attempt-{i}"' in page and f'id="attempt-{i}"' in page
    assert "2 answers, 1:50 in all; 3 of 6 key points covered (50%); 1 of 2 on target length." in page
    assert "1:10 / 0:45 (ran 56% over the target)" in page
    md = export.mock_markdown(details, "Mock interview")
    assert "| 2. Describe your experience with SHAP and LIME. | 0:40 / 0:45 (on target) | 2/3 (67%) |" in md
    assert md.count("## Describe your experience") == 2


def test_question_report_embeds_charts_as_data_uris(history: History, demo: Pack, attempts: list[int]) -> None:  # noqa: F811
    summaries = history.attempt_summaries(question_id="shap-and-lime")
    progress = question_series(progress_points(summaries))
    page = export.question_html(
        demo.question("shap-and-lime"), demo.title, summaries, progress, {"duration": PNG, "coverage": PNG}
    )
    images = [a["src"] for t, a in _tags(page) if t == "img"]
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    assert base64.b64decode(images[0].split(",", 1)[1]) == PNG
    assert "2 attempts" in page and page.count("<tr>") == 3
    md = export.question_markdown(demo.question("shap-and-lime"), demo.title, summaries, progress)
    assert "| Date | Length | Key points |" in md and "0:40 / 0:45" in md and "1:10 / 0:45" in md


def test_csv_has_every_attempt_and_defuses_formulas(history: History, attempts: list[int]) -> None:
    out = io.StringIO()
    assert export.write_attempts_csv(history.attempt_summaries(descending=False), out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert [int(r["id"]) for r in rows] == attempts
    assert rows[0]["duration_s"] == "70.0" and rows[0]["target_s"] == "45.0" and rows[0]["length_ratio"] == "1.556"
    assert rows[0]["coverage"] == "0.3333" and rows[0]["filler_count"] == "1"
    assert rows[1]["note"].startswith("Slower start <script>") and "\n=SUM(A1)" in rows[1]["note"]
    assert rows[0]["created_at"] == T0.isoformat()


def test_comparison_of_two_attempts(history: History, demo: Pack, attempts: list[int]) -> None:  # noqa: F811
    later, earlier = history.get_attempt(attempts[1]), history.get_attempt(attempts[0])
    result = compare_attempts(later, earlier)  # order does not matter: the earlier one is "before"
    assert result.before.summary.id == attempts[0]
    assert result.newly_covered == ["LIME fits a simple, interpretable surrogate model around one prediction"]
    assert result.newly_missed == []
    assert [p.status for p in result.points] == ["still covered", "newly covered", "still missed"]
    duration = result.figure("duration")
    assert duration.verdict == "better" and duration.change_text == "-30 s"
    assert duration.before_text == "1:10 of 0:45 (ran 56% over the target)"
    assert duration.after_text == "0:40 of 0:45 (on target)"
    assert result.figure("coverage").verdict == "better" and result.figure("coverage").after_text == "2/3 (67%)"
    assert result.figure("coverage").change_text == "+1 key point (+33 %)"
    fillers = result.figure("fillers")
    assert fillers.before == pytest.approx(1 / (70 / 60)) and fillers.after == 0 and fillers.verdict == "better"
    assert not result.question_changed
    assert result.apart == "2 days apart"
    assert compare_attempts(earlier, earlier).apart == "the same day"


def test_comparing_different_questions_is_refused(history: History, demo: Pack, attempts: list[int]) -> None:  # noqa: F811
    other = save(history, demo, demo.question("tell-me"), T0, duration_s=30.0, covered=[True])
    with pytest.raises(ValueError, match="answer different questions"):
        compare_attempts(history.get_attempt(attempts[0]), history.get_attempt(other))


def test_a_question_edited_between_attempts_shows_new_and_dropped_points(
    history: History, demo: Pack, attempts: list[int], tmp_path
) -> None:  # noqa: F811
    from app.core.packs import load_pack
    from tests.core.test_review_seeding import DEMO

    edited = tmp_path / "demo.yaml"
    edited.write_text(DEMO.read_text().replace("can be unstable across runs", "vary between runs"))
    pack = load_pack(edited)
    newer = save(
        history,
        pack,
        pack.question("shap-and-lime"),
        T0 + timedelta(days=5),
        duration_s=44.0,
        covered=[True, True, True],
    )
    result = compare_attempts(history.get_attempt(attempts[0]), history.get_attempt(newer))
    statuses = {p.point: p.status for p in result.points}
    assert statuses["LIME explanations vary between runs"] == "new point"
    assert statuses["LIME explanations can be unstable across runs"] == "dropped point"
    assert result.question_changed


def test_reports_open_with_the_coachs_advice(history: History, attempts: list[int]) -> None:
    """The advice the app shows above the figures leads each attempt; the mock report starts with its verdict."""
    first = history.get_attempt(attempts[0])  # 1 of 3 points, 1:10 against a 0:45 target
    headline = "You covered 1 of 3 key points and ran 56% over the 0:45 target."
    page = export.attempt_html(first)
    assert f"<p>{headline}</p>" in page
    assert page.index(headline) < page.index('<table class="figures">')
    assert "<li>Make the points “LIME fits a simple, interpretable surrogate model around one prediction” and " in page
    md = export.attempt_markdown(first)
    assert f"**{headline}**" in md and md.index(headline) < md.index("| Figure |")
    assert "- Cut about 25 s (aim for 0:45)" in md

    details = [history.get_attempt(i) for i in attempts]
    verdict = "Not ready yet on any of the 2 questions."
    mock = export.mock_html(details, "Mock interview")
    assert f"<p>{verdict}</p>" in mock and mock.index(verdict) < mock.index("<table>")
    assert f"**{verdict}**" in export.mock_markdown(details, "Mock interview")
