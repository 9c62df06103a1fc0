"""Failures reach the log file, and Help shows where it is (the frozen bundle has no stderr)."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from app.logs import LOG_NAME, close_logging, setup_logging


@pytest.fixture
def log_file(window, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = setup_logging(window.workspace.data_dir.root)
    yield path
    close_logging()


def test_a_failing_job_logs_its_traceback(window, qtbot, log_file) -> None:
    def load_broken_pack() -> None:
        raise OSError("questions.yaml: disk went away")

    messages: list[str] = []
    window.runner.start(load_broken_pack, on_error=messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == ["questions.yaml: disk went away"]  # the GUI still hears of it
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text()
    assert "ERROR" in text and "app.gui.workers: Job" in text and "load_broken_pack failed" in text
    assert "Traceback (most recent call last)" in text
    assert 'raise OSError("questions.yaml: disk went away")' in text
    assert "OSError: questions.yaml: disk went away" in text


def test_help_menu_shows_the_log_folder(window, monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in help_menu.actions()]
    assert "Show &log folder" in texts and "&About Rehearse" in texts
    opened: list[str] = []
    # No file manager in a test: the desktop's URL handler is the edge replaced here.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    next(a for a in help_menu.actions() if a.text() == "Show &log folder").trigger()
    folder = window.workspace.data_dir.root / "logs"
    assert opened == [str(folder)]
    assert folder.is_dir()
    assert not (folder / LOG_NAME).exists() or (folder / LOG_NAME).is_file()
