"""GUI tests run offscreen with real widgets; settings live in a temporary QSettings file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def qsettings(tmp_path: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session")
def gui_workspace_model():
    """The transcriber, key-point scorer, key-point judge and story judge, loaded once and shared by
    every window in the session. The windows' key points are scored by token recall, whose verdicts
    on the tests' answers are fixed and known; the judge, the app's default, is tested through the
    services, the CLI and tests/core."""
    from app.core.scoring.entailment import EntailmentJudge, story_judge_dir
    from app.core.transcribe import Transcriber, load_whisper

    model, info = load_whisper()
    judge = EntailmentJudge().load()
    story_judge = EntailmentJudge(story_judge_dir(), recall=judge.recall).load()
    return Transcriber(model, info), judge.recall, judge, story_judge


@pytest.fixture
def prompts():
    """Message boxes answered through app.gui.dialogs: notices are noted here, not shown; a test
    that expects a question answers it with its own `dialogs.answered(...)`."""
    from app.gui import dialogs

    with dialogs.answered() as seen:
        yield seen


@pytest.fixture
def workspace(data_dir, gui_workspace_model):
    from app.services.workspace import Workspace

    transcriber, scorer, judge, story_judge = gui_workspace_model
    ws = Workspace(data_dir, transcriber=transcriber, scorer=scorer, judge=judge, story_judge=story_judge)
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot, workspace, qsettings):
    from app.gui.application import make_application
    from app.gui.main_window import MainWindow
    from app.gui.settings import AppSettings
    from app.gui.workers import JobRunner

    make_application([])
    runner = JobRunner()
    settings = AppSettings(qsettings)
    # The ALSA fake microphone unless a test names another: once the PulseAudio fixture has started,
    # the system default input is PulseAudio's silent null sink.
    settings.input_device = "fakemic"
    win = MainWindow(workspace, settings, runner)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.controller.cancel()
    runner.shutdown()


def screenshot(widget, name: str) -> Path:
    """Save a PNG of a widget into screenshots/ (not committed) for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path
