"""The log file in the data folder: where failures go when nobody sees a terminal.

The frozen bundle started from a menu has no stderr, so a worker's exception or an uncaught one
would vanish. `setup_logging` sends the stdlib `logging` records (and uncaught exceptions, with
their tracebacks) to `<data>/logs/rehearse.log`, rotated at 1 MB with 3 backups, private to the
user like the recordings. No Qt import: the CLI uses it too.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from app.core.paths import ensure_private_dir

LOG_NAME = "rehearse.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("app")


def log_folder(data_dir_root: Path) -> Path:
    """`<data>/logs`, created (0700) if missing so a file manager can always open it."""
    return ensure_private_dir(ensure_private_dir(Path(data_dir_root)) / "logs")


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log file and each one started after a rotation 0600: it names packs and answers."""

    def _open(self) -> io.TextIOWrapper:
        stream = open(  # noqa: SIM115  (the handler owns and closes the stream)
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=lambda path, flags: os.open(path, flags, 0o600),
        )
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return cast(io.TextIOWrapper, stream)  # text mode: open() is typed on its mode string, not known here


_handlers: list[logging.Handler] = []
_UNCAUGHT = {"uncaught": True}  # the earlier hook prints these to stderr already: not twice
# The hooks setup_logging replaced, called after logging (and put back by close_logging).
_previous_sys_hook: Callable[[type[BaseException], BaseException, TracebackType | None], Any] = sys.__excepthook__
_previous_thread_hook: Callable[[threading.ExceptHookArgs], Any] = threading.__excepthook__


def _log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if not issubclass(exc_type, KeyboardInterrupt):
        log.critical("Uncaught exception", exc_info=(exc_type, exc, tb), extra=_UNCAUGHT)
    _previous_sys_hook(exc_type, exc, tb)


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is not SystemExit and args.exc_value is not None:
        name = args.thread.name if args.thread else "?"
        log.critical(
            "Uncaught exception in thread %s",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            extra=_UNCAUGHT,
        )
    _previous_thread_hook(args)


def setup_logging(data_dir_root: Path, level: int = logging.INFO) -> Path:
    """Log to `<data>/logs/rehearse.log` (and warnings to stderr, where there is one); return the
    file. Calling it again changes nothing, so the GUI and a CLI command can both call it."""
    path = log_folder(data_dir_root) / LOG_NAME
    root = logging.getLogger()
    if _handlers and getattr(_handlers[0], "baseFilename", None) == os.path.abspath(path):
        return path
    close_logging()
    file_handler = _PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    file_handler.setLevel(level)
    _handlers.append(file_handler)
    if sys.stderr is not None:  # what logging printed before it had a handler: warnings and worse
        stderr_handler = logging.StreamHandler()
        stderr_handler.setLevel(logging.WARNING)
        stderr_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stderr_handler.addFilter(lambda record: not getattr(record, "uncaught", False))
        _handlers.append(stderr_handler)
    for handler in _handlers:
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    global _previous_sys_hook, _previous_thread_hook
    _previous_sys_hook, sys.excepthook = sys.excepthook, _log_uncaught
    _previous_thread_hook, threading.excepthook = threading.excepthook, _log_uncaught_in_thread
    return path


def close_logging() -> None:
    """Take the handlers and hooks of `setup_logging` away again (a test's data folder goes away)."""
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()
    if sys.excepthook is _log_uncaught:
        sys.excepthook = _previous_sys_hook
    if threading.excepthook is _log_uncaught_in_thread:
        threading.excepthook = _previous_thread_hook


__all__ = ["close_logging", "log_folder", "setup_logging"]
