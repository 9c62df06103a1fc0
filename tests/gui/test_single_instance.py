"""One Rehearse per data folder, with real processes: a second launch hands over to the first and
exits; a killed one's lock is taken over; another folder runs alongside; the CLI is not locked out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

LOG = Path("logs") / "rehearse.log"


class Gui:
    """`python -m app --data-dir D` in a child process, offscreen, printing "interactive" once the
    window takes input (REHEARSE_STARTUP_PROBE=interactive keeps it running after that)."""

    def __init__(self, data: Path, out: Path) -> None:
        self.data, self.out = data, out
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REHEARSE_STARTUP_PROBE": "interactive"}
        with open(out, "wb") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app", "--data-dir", str(data)],
                cwd=REPO,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )

    def wait_interactive(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while "interactive" not in self.out.read_text():
            assert self.proc.poll() is None, f"the app ended ({self.proc.returncode}): {self.out.read_text()}"
            assert time.monotonic() < deadline, f"not interactive after {timeout} s: {self.out.read_text()}"
            time.sleep(0.05)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


@pytest.fixture
def guis(tmp_path: Path):
    started: list[Gui] = []

    def start(data: Path) -> Gui:
        gui = Gui(data, tmp_path / f"gui-{len(started)}.out")
        started.append(gui)
        return gui

    yield start
    for gui in started:
        gui.kill()


def _launch(data: Path, timeout: float = 20) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REHEARSE_STARTUP_PROBE": "interactive"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result, time.monotonic() - started


def _wait_for_log(data: Path, text: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        log = (data / LOG).read_text() if (data / LOG).exists() else ""
        if text in log:
            return log
        assert time.monotonic() < deadline, f"{text!r} not in the log:\n{log}"
        time.sleep(0.05)


def test_a_second_launch_brings_the_first_forward_and_exits(guis, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = guis(data)
    first.wait_interactive()
    second, took = _launch(data)
    assert second.returncode == 0, second.stderr
    assert "interactive" not in second.stdout  # it built no window
    assert took < 5, took
    log = _wait_for_log(data, "Activated by a second launch")
    assert "Window brought forward for a second launch" in _wait_for_log(data, "Window brought forward")
    assert "asked it to come forward" in log
    assert log.count("Holding ") == 1  # only the first took the lock
    assert first.proc.poll() is None

    # The CLI is not locked out while the GUI runs.
    history = run_cli("--data-dir", str(data), "history")
    assert history.returncode == 0, history.stderr
    assert "No attempts yet." in history.stdout


def test_a_killed_instance_leaves_a_lock_the_next_launch_takes_over(guis, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = guis(data)
    first.wait_interactive()
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(10)
    assert (data / "rehearse.lock").exists()  # a crash leaves it behind
    again = guis(data)
    again.wait_interactive()
    assert (data / LOG).read_text().count("Holding ") == 2
    # ...and it is the one a further launch now reaches.
    third, _ = _launch(data)
    assert third.returncode == 0, third.stderr
    _wait_for_log(data, "Activated by a second launch")
    assert again.proc.poll() is None


def test_a_launch_on_another_data_folder_runs_alongside(guis, tmp_path: Path) -> None:
    one, other = guis(tmp_path / "one"), guis(tmp_path / "other")
    one.wait_interactive()
    other.wait_interactive()
    assert one.proc.poll() is None and other.proc.poll() is None


def test_a_holder_that_never_answers_is_reported(qapp, qtbot, tmp_path: Path) -> None:
    """The lock is held (here by this test) but nobody listens: retry briefly, then tell the person."""
    from PySide6.QtCore import QLockFile

    from app.gui import dialogs
    from app.gui.single_instance import LOCK_NAME, RETRY_S, claim_data_folder

    data = tmp_path / "data"
    data.mkdir()
    held = QLockFile(str(data / LOCK_NAME))
    assert held.tryLock(0)
    started = time.monotonic()
    try:
        with dialogs.answered() as prompts:
            assert claim_data_folder(data) is None
    finally:
        held.unlock()
    assert time.monotonic() - started >= RETRY_S
    shown = [p.text for p in prompts]
    assert len(shown) == 1 and "already running" in shown[0] and str(data / LOCK_NAME) in shown[0]


def test_bring_to_front_restores_a_minimised_window(qapp, qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from app.gui.single_instance import bring_to_front

    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    bring_to_front(window)
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isVisible())
