"""The log file: private, rotated, catching uncaught exceptions, set up once however often asked."""

from __future__ import annotations

import logging
import os
import stat
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.logs import LOG_NAME, MAX_BYTES, close_logging, log_folder, setup_logging


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """setup_logging on a fresh data folder; its handlers and hooks are taken away afterwards."""
    earlier: list[object] = []  # the hooks in place before: they must still be called
    monkeypatch.setattr(sys, "excepthook", lambda *exc_info: earlier.append(exc_info[1]))
    monkeypatch.setattr(threading, "excepthook", lambda args: earlier.append(args.exc_value))
    yield SimpleNamespace(root=tmp_path / "data", earlier=earlier)
    close_logging()


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_log_file_is_private(logs: SimpleNamespace) -> None:
    path = setup_logging(logs.root)
    logging.getLogger("app.test").info("hello from the test")
    _flush()
    assert path == logs.root / "logs" / LOG_NAME == log_folder(logs.root) / LOG_NAME
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    line = path.read_text().splitlines()[-1]
    assert "INFO [MainThread] app.test: hello from the test" in line


def test_rotates_past_the_size(logs: SimpleNamespace) -> None:
    path = setup_logging(logs.root)
    chunk = "x" * 1000
    for _ in range(MAX_BYTES // 1000 + 50):
        logging.getLogger("app.test").info(chunk)
    _flush()
    backup = path.with_name(LOG_NAME + ".1")
    assert backup.exists()
    assert path.stat().st_size < MAX_BYTES
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_uncaught_exception_in_a_thread_is_logged_with_traceback(logs: SimpleNamespace) -> None:
    path = setup_logging(logs.root)

    def broken_worker() -> None:
        raise RuntimeError("the writer thread fell over")

    thread = threading.Thread(target=broken_worker, name="audio-writer")
    thread.start()
    thread.join()
    _flush()
    text = path.read_text()
    assert "Uncaught exception in thread audio-writer" in text
    assert "Traceback (most recent call last)" in text
    assert "in broken_worker" in text
    assert "RuntimeError: the writer thread fell over" in text
    assert [str(e) for e in logs.earlier] == ["the writer thread fell over"]


def test_uncaught_exception_on_the_main_thread_is_logged(logs: SimpleNamespace) -> None:
    path = setup_logging(logs.root)
    try:
        raise ValueError("nobody caught this")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # what the interpreter calls for an exception nobody caught
    _flush()
    text = path.read_text()
    assert "CRITICAL" in text and "Uncaught exception" in text
    assert "ValueError: nobody caught this" in text
    assert [str(e) for e in logs.earlier] == ["nobody caught this"]


def test_setting_up_twice_writes_each_line_once(logs: SimpleNamespace) -> None:
    path = setup_logging(logs.root)
    assert setup_logging(logs.root) == path
    logging.getLogger("app.test").warning("only once, please")
    _flush()
    assert path.read_text().count("only once, please") == 1


def test_a_cli_command_that_writes_logs_to_the_data_folder(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    data, out = tmp_path / "data", tmp_path / "all.csv"
    result = run_cli("--data-dir", str(data), "export", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = (data / "logs" / LOG_NAME).read_text()
    assert f"INFO [MainThread] app.cli: Exported 0 attempts to {out}" in text
