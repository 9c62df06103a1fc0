"""History at scale: 10,000 attempts; how long the history view and the charts take to open.

Run on its own:  python -m tests.bench.bench_history  [--attempts N] [--repeat R]
Writes tests/bench/results/history.json. Not part of the test suite: speed is measured here,
never asserted in tests.

The database is seeded the way the app fills it: one attempt per question through
History.save_attempt (packs and question rows as the app makes them), then the rest as bulk
inserts of the same columns (SQLAlchemy core), with realistic transcripts (timed words JSON)
and one key-point result per point.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "history.json"
WORDS = (
    "so",
    "the",
    "model",
    "explains",
    "a",
    "prediction",
    "with",
    "Shapley",
    "values",
    "and",
    "we",
    "checked",
    "features",
    "um",
    "that",
    "data",
    "because",
    "result",
    "team",
    "improved",
)


def _answer(rng: random.Random, question, target_s: float, progress: float) -> dict[str, Any]:
    """Figures and transcript of one made-up answer; `progress` 0..1 makes later answers better."""
    duration = max(5.0, rng.gauss(target_s * (1.35 - 0.45 * progress), target_s * 0.2))
    wpm = max(60.0, rng.gauss(150 - 15 * progress, 18))
    n_words = int(duration * wpm / 60)
    step = duration / max(1, n_words + 1)
    words = [
        {
            "text": rng.choice(WORDS),
            "start": round(0.8 + i * step, 3),
            "end": round(0.8 + i * step + step * 0.8, 3),
            "p": 0.9,
        }
        for i in range(n_words)
    ]
    fillers = [
        {"word": "um", "start_s": w["start"], "end_s": w["end"], "index": i, "length": 1}
        for i, w in enumerate(words)
        if w["text"] == "um"
    ]
    points = len(question.key_points)
    covered_flags = [rng.random() < 0.35 + 0.5 * progress for _ in range(points)]
    return {
        "duration_s": round(duration, 2),
        "wpm": round(wpm, 1),
        "words": words,
        "fillers": fillers,
        "covered": covered_flags,
    }


def seed(history, packs, n: int, rng_seed: int = 1, now: datetime | None = None, days: int = 365) -> int:
    """Fill `history` with `n` attempts spread over `days` days up to `now`; returns the count."""
    from sqlalchemy import func, insert, select

    from app.core.analysis import AnswerAnalysis
    from app.core.scoring.delivery import Delivery
    from app.core.scoring.keypoints import PointResult
    from app.core.transcribe.transcript import Transcript, Word
    from app.db.models import AttemptRow, KeyPointResultRow, QuestionRow

    rng = random.Random(rng_seed)
    now = now or datetime.now(UTC)
    start = now - timedelta(days=days)
    questions = [(pack, q) for pack in packs for q in pack.questions]
    # One real save per question: creates the pack and question rows exactly as the app does.
    for pack, question in questions:
        answer = _answer(rng, question, question.answer_seconds, 0.0)
        words = [Word(w["text"], w["start"], w["end"], w["p"]) for w in answer["words"]]
        analysis = AnswerAnalysis(
            pack.id,
            question.id,
            Transcript(words, words, answer["duration_s"], model="tiny.en"),
            Delivery(
                answer["duration_s"],
                question.answer_seconds,
                words[0].start if words else None,
                words[-1].end if words else None,
                len(words),
                answer["wpm"],
            ),
            [PointResult(kp.text, c, 0.7 if c else 0.3, 0.55) for kp, c in zip(question.key_points, answer["covered"])],
            "minilm-spans-v1",
        )
        history.save_attempt(pack, question, analysis, None, created_at=start)
    remaining = n - len(questions)
    with history._sessions.begin() as session:
        row_ids = {
            (pack.id, q.question_id): q.id
            for q in session.scalars(select(QuestionRow))
            for pack in packs
            if q.pack.pack_id == pack.id
        }
        next_id = (session.scalar(select(func.max(AttemptRow.id))) or 0) + 1
        attempts: list[dict[str, Any]] = []
        results: list[dict[str, Any]] = []
        for i in range(remaining):
            progress = i / max(1, remaining - 1)
            pack, question = rng.choice(questions)
            created = start + timedelta(seconds=progress * days * 86400 + rng.uniform(-3600, 3600))
            created = min(created, now)
            answer = _answer(rng, question, question.answer_seconds, progress)
            covered = answer["covered"]
            attempt_id = next_id + i
            words = answer["words"]
            attempts.append(
                {
                    "id": attempt_id,
                    "question_row_id": row_ids[(pack.id, question.id)],
                    "session_id": None,
                    "created_at": created,
                    "status": "complete",
                    "audio_path": f"recordings/bench/{attempt_id}.flac",
                    "duration_s": answer["duration_s"],
                    "target_s": float(question.answer_seconds),
                    "speech_start_s": words[0]["start"] if words else None,
                    "words_per_minute": answer["wpm"],
                    "word_count": len(words),
                    "filler_count": len(answer["fillers"]),
                    "long_pause_count": 0,
                    "coverage": sum(covered) / len(covered),
                    "covered_count": sum(covered),
                    "point_count": len(covered),
                    "transcript": " ".join(w["text"] for w in words),
                    "raw_transcript": " ".join(w["text"] for w in words),
                    "transcript_data": {
                        "words": words,
                        "raw_words": words,
                        "duration_s": answer["duration_s"],
                        "model": "tiny.en",
                    },
                    "delivery": {
                        "duration_s": answer["duration_s"],
                        "target_s": question.answer_seconds,
                        "word_count": len(words),
                        "words_per_minute": answer["wpm"],
                        "fillers": answer["fillers"],
                        "long_pauses": [],
                    },
                    "settings": {"scorer": "minilm-spans-v1", "model": "tiny.en"},
                    "note": None,
                }
            )
            for position, (kp, c) in enumerate(zip(question.key_points, covered)):
                results.append(
                    {
                        "attempt_id": attempt_id,
                        "position": position,
                        "point": kp.text,
                        "auto_covered": c,
                        "override": None,
                        "score": 0.7 if c else 0.3,
                        "threshold": 0.55,
                        "evidence": None,
                        "detail": {},
                    }
                )
        session.execute(insert(AttemptRow), attempts)
        session.execute(insert(KeyPointResultRow), results)
    return history.count_attempts()


_NOTES = itertools.count()


def _commit(history) -> None:
    """A real commit, as when an answer was saved or a note written since the last read: History's
    read cache is dropped, so the next read goes to the database."""
    history.set_note(1, f"bench note {next(_NOTES)}")


def _timed(fn, repeat: int, before=None) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "runs": repeat}


def _wait(app, done, timeout_s: float = 30.0) -> None:
    """Run the event loop until `done()`. It sleeps between events as the app's own loop does, so
    the pool's query gets the interpreter to itself (a busy poll here would slow it down)."""
    from PySide6.QtCore import QEventLoop, QTimer

    tick = QTimer()  # wakes the loop now and then to check the deadline
    tick.start(20)
    deadline = time.perf_counter() + timeout_s
    while not done():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not finish loading")
    tick.stop()


def _compensate_singleton_refcount_bugs() -> None:
    """PySide6 6.12.0 on CPython 3.11 drops references to singletons it returns: True on every
    Python-side signal emit or connect, None on every Python slot that returns None. pyqtgraph emits
    on every paint, so after some thousands the process aborts in bool_dealloc / none_dealloc.
    CPython 3.12 makes these objects immortal; here their counts get the same headroom so this
    measuring run survives on such a build. (The app excludes 6.12.0 in pyproject.toml, and
    tests/gui/test_qt_runtime.py fails on a build like it.)"""
    import ctypes

    if sys.version_info < (3, 12):
        for singleton in (True, False, None):
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


def write_figures(figures: dict[str, Any], output: Path, load_before: float) -> None:
    """The figures with the machine and the load around the run, to `output` and to stdout."""
    figures["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "load_average_1min_at_start": load_before,
    }
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, indent=2) + "\n")
    json.dump(figures, sys.stdout, indent=2)
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    _compensate_singleton_refcount_bugs()

    from app.core.packs import PackLibrary
    from app.core.paths import DataDir, builtin_packs_dir
    from app.services.workspace import Workspace

    load_before = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="rehearse-bench-") as tmp:
        data_dir = DataDir(Path(tmp) / "data").create()
        workspace = Workspace(data_dir)
        history = workspace.history
        packs = PackLibrary(builtin_packs_dir()).packs()
        t0 = time.perf_counter()
        count = seed(history, packs, args.attempts)
        seed_s = time.perf_counter() - t0
        db_mb = data_dir.database.stat().st_size / 1e6
        figures: dict[str, Any] = {
            "attempts": count,
            "questions": sum(len(p.questions) for p in packs),
            "seed_seconds": round(seed_s, 2),
            "database_mb": round(db_mb, 1),
        }
        figures["list_attempts"] = _timed(lambda: history.list_attempts(), max(1, args.repeat // 2))

        def commit() -> None:  # before each timed read, so it goes to the database
            _commit(history)

        figures["attempt_summaries"] = _timed(lambda: history.attempt_summaries(), args.repeat, commit)
        figures["attempt_summaries_unchanged"] = _timed(lambda: history.attempt_summaries(), args.repeat)

        from app.core.review.progress import daily_series

        figures["progress_points"] = _timed(lambda: history.progress_points(), args.repeat, commit)
        figures["question_stats_one_pack"] = _timed(lambda: history.question_stats(packs[0].id), args.repeat, commit)
        points = history.progress_points()
        figures["daily_series_all"] = _timed(lambda: daily_series(points), args.repeat)
        figures.update(_gui_figures(workspace, packs, args.repeat, Path(tmp)))
        workspace.close()

    write_figures(figures, args.output, load_before)
    return 0


def _cold_import_ms(module: str) -> float:
    """Importing `module` (and pyqtgraph with it) in a fresh interpreter that already has Qt loaded."""
    import subprocess

    code = (
        "import time, os; os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen'); "
        "from PySide6.QtWidgets import QApplication; qapp = QApplication([]); import app.core.review.progress; "
        f"t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000); os._exit(0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return round(float(out.strip().splitlines()[-1]), 1)


def _gui_figures(workspace, packs, repeat: int, tmp: Path) -> dict[str, Any]:
    """Wall time from the toolbar click to the data on screen (query on the pool, then table or plots).

    "first" opens are the first of the session (History makes its page then; the Progress page
    was prepared at model-ready, as the app does). The medians are later opens, as when a person
    goes back and forth: with the history unchanged (served from History's read cache), and
    "after_change", after a commit since the last visit (read from the database again).
    """
    from PySide6.QtCore import QSettings

    from app.gui.application import make_application
    from app.gui.main_window import MainWindow
    from app.gui.settings import AppSettings
    from app.gui.workers import JobRunner

    app = make_application([])
    runner = JobRunner()
    window = MainWindow(workspace, AppSettings(QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat)), runner)
    window.resize(1280, 800)
    window.show()
    _wait(app, lambda: not runner.busy)
    from app.gui.application import settle_heap

    review = window.review
    # What the app does once start-up is over, when the speech model is ready: the start-up heap
    # leaves the garbage collector's full passes, and the Progress page is prepared (pyqtgraph
    # imported on the pool, the page built).
    settle_heap()
    t0 = time.perf_counter()
    review.warm_up()
    _wait(app, lambda: "progress" in review.pages)
    out_warm_ms = round((time.perf_counter() - t0) * 1000, 1)
    out: dict[str, Any] = {"charts_warm_up_at_model_ready_ms": out_warm_ms}

    def open_history(changed: bool = False) -> float:
        if changed:
            _commit(workspace.history)
        review.nav_actions["practice"].trigger()  # the start page refreshes its figures on the pool meanwhile
        app.processEvents()
        t0 = time.perf_counter()
        loads = review.pages["history"].loads if "history" in review.pages else 0
        review.nav_actions["history"].trigger()
        _wait(app, lambda: review.history_page.loads > loads)
        app.processEvents()  # the table paints
        return time.perf_counter() - t0

    def open_progress(pack_id: str | None, question_id: str | None, changed: bool = False) -> float:
        if changed:
            _commit(workspace.history)
        review.nav_actions["practice"].trigger()
        app.processEvents()
        t0 = time.perf_counter()
        page = review.progress_page
        loads = page.loads
        if review.go(page):  # what the toolbar does, for the scope asked ("All packs" when pack_id is None)
            page.show_for(pack_id, question_id)
        _wait(app, lambda: page.loads > loads)
        app.processEvents()
        return time.perf_counter() - t0

    def timed(fn, runs: int) -> dict[str, float]:
        times = [fn() * 1000 for _ in range(runs)]
        return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "runs": runs}

    out["history_view_first_open_ms"] = round(open_history() * 1000, 1)
    out["history_view_open"] = timed(open_history, repeat)
    out["history_view_open_after_change"] = timed(lambda: open_history(changed=True), repeat)
    page = review.history_page
    out["history_view_rows"] = page.model.rowCount()

    def sort_by_coverage() -> float:
        t0 = time.perf_counter()
        page.table.sortByColumn(page.model.column_of("coverage"), Qt.SortOrder.DescendingOrder)
        app.processEvents()
        elapsed = time.perf_counter() - t0
        page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        return elapsed

    out["history_view_sort_by_coverage"] = timed(sort_by_coverage, repeat)
    pack, question = packs[0], packs[0].questions[0]
    t0 = time.perf_counter()
    review.nav_actions["progress"].trigger()  # first open of the session (the page was prepared at model-ready)
    _wait(app, lambda: review.progress_page.loads > 0)
    app.processEvents()
    out["charts_first_open_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out["charts_module_cold_import_ms"] = _cold_import_ms("app.gui.charts")
    for name, scope in (
        ("one_question", (pack.id, question.id)),
        ("pack_daily_with_summary", (pack.id, None)),
        ("all_packs_daily", (None, None)),
    ):
        out[f"charts_open_{name}"] = timed(lambda s=scope: open_progress(*s), repeat)
        out[f"charts_open_{name}_after_change"] = timed(lambda s=scope: open_progress(*s, changed=True), repeat)
        out[f"charts_points_{name}"] = review.progress_page.point_count()
    runner.shutdown()
    window.close()
    return out


if __name__ == "__main__":
    sys.exit(main())
