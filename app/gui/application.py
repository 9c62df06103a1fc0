"""Composition root of the desktop app: QApplication, settings, workspace, window, background loading.

The window is shown before the speech model loads; the model loads on the thread pool and the
status bar says when it is ready. Practice can start at once: an answer that ends before the
model is ready waits for it on its worker thread, never on the GUI thread.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_ID, APP_NAME, __version__
from app.core.paths import DataDir, resource_path
from app.gui.model_loading import load_model_in_background, settle_heap
from app.gui.settings import AppSettings
from app.gui.style import STYLESHEET
from app.gui.workers import DATABASE, JobRunner

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow
    from app.services.storage import DatabaseError

log = logging.getLogger(__name__)


def tts_available() -> bool:
    """True when a text-to-speech engine (not Qt's test 'mock' engine) starts and has a voice."""
    from app.gui.read_aloud import system_voice

    return system_voice()[1].available


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        path = resource_path("icons", f"rehearse-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    svg = resource_path("icons", "rehearse.svg")
    if svg.exists():
        icon.addFile(str(svg))
    return icon


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    QCoreApplication.setOrganizationName("Rehearse")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(APP_ID)
    assert isinstance(app, QApplication), "a QCoreApplication without widgets is already running"
    app.setWindowIcon(app_icon())
    app.setStyleSheet(STYLESHEET)
    return app


def _ask_new_database(message: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, "History database", message)
    box.setInformativeText("Start a new history database beside it? The old file is kept as it is.")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def open_history_in_background(
    window: MainWindow, ask: Callable[[str], bool] = _ask_new_database, reload: bool = False
) -> None:
    """Open (and migrate) the history on the pool once the window shows: SQLAlchemy's import and
    the schema check take ~0.4 s that the window need not wait for. A database that cannot be used
    is reported then, with the offer of a new one beside it (the old file stays as it is);
    declining closes the app."""
    workspace = window.workspace

    def open_history() -> DatabaseError | None:
        from app.services.storage import DatabaseError

        try:
            workspace.open_history()
        except DatabaseError as exc:
            return exc
        return None

    def opened(problem: DatabaseError | None) -> None:
        if problem is None:
            if reload:
                window.reload_packs()  # the question list's figures, now from the new database
            return
        if not ask(str(problem)):
            QApplication.exit(1)
            return
        from app.services.storage import set_aside

        set_aside(problem.path)
        open_history_in_background(window, ask, reload=True)

    window.runner.start(open_history, on_done=opened, on_error=window.show_message, lane=DATABASE)


STARTUP_PROBE_ENV = "REHEARSE_STARTUP_PROBE"


def _probe_startup(app: QApplication, window: MainWindow) -> None:
    """For tests/bench/bench_app.py and packaging/smoke.sh: print when the window can take input,
    when the model is ready and when the Progress page (pyqtgraph) is prepared, then quit.
    With the value `interactive`, only the first line, and the app keeps running (tests that
    talk to a running app, tests/gui/test_single_instance.py)."""
    from PySide6.QtCore import QTimer

    def say(event: str) -> None:
        print(f"{event} {time.time():.4f}", flush=True)

    if os.environ.get(STARTUP_PROBE_ENV) == "interactive":
        QTimer.singleShot(0, lambda: say("interactive"))
        return
    deadline = time.monotonic() + 30

    def when_progress_ready() -> None:
        if "progress" in window.review.pages:
            say("progress-ready")
        elif time.monotonic() < deadline:
            QTimer.singleShot(50, when_progress_ready)
            return
        app.quit()

    QTimer.singleShot(0, lambda: say("interactive"))

    def model_ready(_name: str) -> None:
        say("model-ready")
        QTimer.singleShot(0, when_progress_ready)

    window.modelReady.connect(model_ready)


def run(data_dir: Path | None = None, argv: list[str] | None = None, sd: Any | None = None) -> int:
    app = make_application(argv)
    settings = AppSettings()
    root = data_dir or (Path(settings.data_dir) if settings.data_dir else None)
    folder = DataDir(root).create()
    from app.gui.single_instance import bring_to_front, claim_data_folder
    from app.logs import setup_logging

    setup_logging(folder.root)
    # Before anything opens the database or offers recovery: one window per data folder.
    instance = claim_data_folder(folder.root)
    if instance is None:
        return 0  # the running one was asked to come forward
    from app.services.workspace import Workspace  # 0.4 s of imports a second launch does without

    workspace = Workspace(folder, model_setting=settings.model)
    from app.gui.main_window import MainWindow
    from app.gui.quitting import quit_on_signals
    from app.gui.recovery_prompt import offer_recovery

    runner = JobRunner()
    window = MainWindow(workspace, settings, runner, sd=sd)
    window.setWindowTitle(APP_NAME)
    instance.activated.connect(lambda: bring_to_front(window))
    quit_on_signals(window.quit_guard)
    window.show()
    if os.environ.get(STARTUP_PROBE_ENV):
        _probe_startup(app, window)
    open_history_in_background(window)
    load_model_in_background(window)
    offer_recovery(window)
    code = app.exec()
    workspace.close()
    instance.release()
    return code


__all__ = ["Qt", "load_model_in_background", "make_application", "run", "settle_heap", "tts_available"]
