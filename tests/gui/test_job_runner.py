"""JobRunner: named lanes keep kinds of work apart, and a key makes the latest request win.

Real threads throughout: jobs block on events the test releases, so the order in which they end is
the one the test chooses, not luck.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.gui.workers import AUDIO, DATABASE, TRANSCRIPTION, JobRunner

WAIT_S = 10.0


@pytest.fixture
def runner(qtbot: QtBot) -> Any:
    from app.gui.application import make_application

    make_application([])
    r = JobRunner()
    yield r
    r.shutdown(5000)


def blocked(result: object, gate: threading.Event, started: threading.Event | None = None) -> Any:
    def job() -> object:
        if started is not None:
            started.set()
        assert gate.wait(WAIT_S), "the test never released this job"
        return result

    return job


def test_a_superseded_result_is_dropped_and_the_latest_is_delivered(runner: JobRunner, qtbot: QtBot) -> None:
    delivered: list[object] = []
    first_gate, second_gate = threading.Event(), threading.Event()
    first_started = threading.Event()
    runner.start(blocked("first", first_gate, first_started), on_done=delivered.append, key="view")
    assert first_started.wait(WAIT_S)
    runner.start(blocked("second", second_gate), on_done=delivered.append, key="view")
    second_gate.set()  # the newer request ends first ...
    qtbot.waitUntil(lambda: delivered == ["second"], timeout=10000)
    first_gate.set()  # ... and the older one after it: its result must not replace the newer one
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    qtbot.wait(50)
    assert delivered == ["second"]


def test_an_older_result_arriving_first_is_dropped_too(runner: JobRunner, qtbot: QtBot) -> None:
    delivered: list[object] = []
    first_gate, second_gate = threading.Event(), threading.Event()
    runner.start(blocked("first", first_gate), on_done=delivered.append, key="view")
    runner.start(blocked("second", second_gate), on_done=delivered.append, key="view")
    first_gate.set()
    qtbot.waitUntil(lambda: len(runner._jobs) == 1, timeout=10000)  # the first has ended and reported nothing
    qtbot.wait(50)
    assert delivered == []
    second_gate.set()
    qtbot.waitUntil(lambda: delivered == ["second"], timeout=10000)


def test_a_superseded_error_is_dropped(runner: JobRunner, qtbot: QtBot) -> None:
    errors: list[str] = []
    results: list[object] = []
    gate = threading.Event()

    def fails() -> None:
        assert gate.wait(WAIT_S)
        raise ValueError("the old request failed")

    runner.start(fails, on_done=results.append, on_error=errors.append, key="view")
    runner.start(lambda: "fresh", on_done=results.append, on_error=errors.append, key="view")
    qtbot.waitUntil(lambda: results == ["fresh"], timeout=10000)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    qtbot.wait(50)
    assert errors == []


def test_keys_are_independent_and_unkeyed_jobs_always_report(runner: JobRunner, qtbot: QtBot) -> None:
    delivered: list[object] = []
    runner.start(lambda: "a", on_done=delivered.append, key="one")
    runner.start(lambda: "b", on_done=delivered.append, key="two")
    runner.start(lambda: "c", on_done=delivered.append)
    runner.start(lambda: "d", on_done=delivered.append)
    qtbot.waitUntil(lambda: sorted(map(str, delivered)) == ["a", "b", "c", "d"], timeout=10000)


def test_drop_forgets_the_pending_request(runner: JobRunner, qtbot: QtBot) -> None:
    delivered: list[object] = []
    gate = threading.Event()
    runner.start(blocked("late", gate), on_done=delivered.append, key="check")
    runner.drop("check")  # answered another way in the meantime
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    qtbot.wait(50)
    assert delivered == []


def test_a_lane_runs_its_jobs_one_at_a_time_in_order(runner: JobRunner, qtbot: QtBot) -> None:
    order: list[int] = []
    running = 0
    most = 0
    lock = threading.Lock()

    def job(n: int) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        order.append(n)
        with lock:
            running -= 1

    for n in range(8):
        runner.start(job, n, lane=DATABASE)
    qtbot.waitUntil(lambda: len(order) == 8, timeout=10000)
    assert order == list(range(8))
    assert most == 1


def test_audio_control_does_not_wait_behind_a_transcription(runner: JobRunner, qtbot: QtBot) -> None:
    """A recorder start must not queue behind a long batch transcription (or a history read)."""
    gate = threading.Event()
    transcribing = threading.Event()
    done: list[str] = []
    runner.start(blocked("transcribed", gate, transcribing), on_done=done.append, lane=TRANSCRIPTION)
    runner.start(blocked("read", gate), on_done=done.append, lane=DATABASE)
    assert transcribing.wait(WAIT_S)
    runner.start(lambda: "recorder started", on_done=done.append, lane=AUDIO)
    qtbot.waitUntil(lambda: done == ["recorder started"], timeout=10000)
    gate.set()
    qtbot.waitUntil(lambda: sorted(done) == ["read", "recorder started", "transcribed"], timeout=10000)


def test_only_the_latest_answer_opened_is_shown(window: Any, qtbot: QtBot) -> None:
    """Two answers picked in quick succession: the view shows the second and never flashes the first
    (attempt_view.show_attempt had no stale-result guard)."""
    from tests.gui.test_review_history import seed_demo

    ids = seed_demo(window)
    view = window.review.attempt_view
    shown: list[int] = []
    view.loaded.connect(shown.append)
    window.review.show_attempt(ids[0])
    window.review.show_attempt(ids[-1])
    qtbot.waitUntil(lambda: shown == [ids[-1]], timeout=10000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)
    assert shown == [ids[-1]]
    assert view.detail is not None and view.detail.summary.id == ids[-1]
