"""`rehearse export`, run as a person runs it: reports and CSV from the history in the data folder."""

from __future__ import annotations

import base64
import csv
from datetime import timedelta
from pathlib import Path

import pytest

from app.core.packs import Pack
from app.db.history import History
from tests.conftest import run_cli
from tests.core.test_review_seeding import DEMO, T0, save


@pytest.fixture
def seeded(history: History, demo: Pack) -> list[int]:  # noqa: F811
    shap = demo.question("shap-and-lime")
    session = history.start_session(demo, "mock-interview")
    ids = [
        save(
            history,
            demo,
            shap,
            T0 + timedelta(days=d),
            duration_s=40.0 + d * 10,
            covered=[True, d > 0, False],
            session_id=session if d >= 2 else None,
        )
        for d in range(3)
    ]
    ids.append(
        save(
            history,
            demo,
            demo.question("tell-me"),
            T0 + timedelta(days=2, minutes=3),
            duration_s=50.0,
            covered=[True],
            session_id=session,
        )
    )
    history.close()  # the CLI opens the database itself
    return ids


def test_export_attempt_as_html_and_markdown(seeded: list[int], tmp_path: Path) -> None:
    out = tmp_path / "attempt.html"
    result = run_cli("export", "attempt", str(seeded[0]), "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"Exported attempt {seeded[0]} to {out}."
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Describe your experience with SHAP and LIME." in page
    md = run_cli("export", "attempt", str(seeded[1]), "--format", "md", "--output", "-")
    assert md.returncode == 0 and md.stdout.startswith("# Describe your experience with SHAP and LIME.")
    assert "2. [x] LIME fits" in md.stdout


def test_export_question_history_with_charts(seeded: list[int], tmp_path: Path) -> None:
    out = tmp_path / "question.html"
    result = run_cli("export", "question", "--pack", str(DEMO), "--question", "shap-and-lime", "--output", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    images = page.split('src="data:image/png;base64,')[1:]
    assert len(images) == 4
    png = base64.b64decode(images[0].split('"', 1)[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000
    assert "3 attempts" in page
    md = run_cli("export", "question", "--pack", str(DEMO), "--question", "shap-and-lime", "--format", "md", "-o", "-")
    assert md.returncode == 0 and md.stdout.count("/ 0:45 |") == 3


def test_export_the_last_mock_interview(seeded: list[int], tmp_path: Path) -> None:
    out = tmp_path / "mock.md"
    result = run_cli("export", "mock", "--format", "md", "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.count("\n## ") == 2 and "2 answers" in text


def test_export_csv(seeded: list[int], tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = run_cli("export", "csv", "--output", str(out))
    assert result.returncode == 0 and "Exported 4 attempts" in result.stderr
    rows = list(csv.DictReader(out.open()))
    assert [int(r["id"]) for r in rows] == seeded
    assert {r["question_id"] for r in rows} == {"shap-and-lime", "tell-me"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["attempt", "999", "-o", "OUT"], "no attempt with id 999"),
        (["question", "--pack", "demo-nope", "--question", "x", "-o", "OUT"], "no pack with id 'demo-nope'"),
        (["question", "--pack", "DEMO", "--question", "tell-me", "-o", "OUT"], "no attempts at 'demo/tell-me' yet"),
        (["question", "--pack", "DEMO", "--question", "nope", "-o", "OUT"], "pack 'demo' has no question 'nope'"),
        (["csv", "-o", "/no/such/folder/x.csv"], "/no/such/folder: no such folder"),
        (["mock", "-o", "OUT"], "no mock interview has been recorded yet"),
    ],
)
def test_bad_requests_are_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    replace = {"OUT": str(tmp_path / "x"), "DEMO": str(DEMO)}
    result = run_cli("export", *[replace.get(a, a) for a in args])
    assert result.returncode == 2
    assert result.stderr.strip().startswith("rehearse: error:") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
