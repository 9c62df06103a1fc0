"""Quitting never loses an answer: a recording is stopped and saved, a save under way finishes,
with progress on screen, before the window really closes. SIGTERM (logout, shutdown, `kill`)
takes the same path without asking.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.gui.practice_controller import Phase, PracticeController

log = logging.getLogger(__name__)

STAGES = {
    "saving audio": "writing the recording",
    "transcribing": "transcribing",
    "scoring": "judging the key points",
    "storing": "storing it in your history",
}


def ask_save_before_quit(parent: QWidget) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Quit while recording?",
        "You are recording an answer. Save it, then quit?",
        parent=parent,
    )
    save = box.addButton("Save and quit", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Keep recording", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    return box.clickedButton() is save


class QuitGuard(QObject):
    """Asked by the window's closeEvent whether it may close now."""

    def __init__(
        self, window: QWidget, controller: PracticeController, ask: Callable[[QWidget], bool] = ask_save_before_quit
    ) -> None:
        """`window` closes once `controller` (its practice flow) has no answer left to save; passed
        apart, so that this module need not import main_window (which imports this one)."""
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.ask = ask  # a seam for tests
        self.waiting = False
        self.progress: QProgressDialog | None = None

    def may_close(self) -> bool:
        controller = self.controller
        if self.waiting:
            return False
        if not controller.busy:
            return True
        if controller.phase in (Phase.ANSWER, Phase.STARTING) and not self.ask(self.window):
            return False
        self.save_then_quit()
        return False

    def save_then_quit(self) -> None:
        """Stop the answer if one is being recorded, wait for its attempt to be stored, then close."""
        controller = self.controller
        if self.waiting:
            return
        if not controller.busy:
            self.window.close()
            return
        self.waiting = True
        log.info("quitting after the answer in progress is saved (phase %s)", controller.phase.value)
        self.progress = QProgressDialog("Saving your answer before quitting…", "", 0, 100, self.window)
        self.progress.setCancelButton(None)  # no cancel button
        self.progress.setWindowTitle("Saving")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setValue(0)
        self.progress.show()
        controller.processing.connect(self._on_stage)
        controller.phaseChanged.connect(self._on_phase)
        if controller.phase is Phase.ANSWER:
            controller.stop_answer()

    def _on_stage(self, stage: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress.setLabelText(f"Saving your answer before quitting: {STAGES.get(stage, stage)}…")
            self.progress.setValue(int(100 * fraction))

    def _on_phase(self, phase: str) -> None:
        controller = self.controller
        if phase == Phase.ANSWER.value:  # the microphone was still opening when quit was asked
            controller.stop_answer()
            return
        if controller.busy:
            return
        log.info("the answer is saved (phase %s); quitting", phase)
        controller.processing.disconnect(self._on_stage)
        controller.phaseChanged.disconnect(self._on_phase)
        if self.progress is not None:
            self.progress.close()
        self.waiting = False
        QTimer.singleShot(0, self.window.close)


def quit_on_signals(guard: QuitGuard) -> None:
    """SIGTERM and SIGINT save the answer in progress and quit. Python runs signal handlers only
    between bytecodes, which Qt's event loop never reaches on its own: the wakeup pipe wakes it."""
    if os.name != "posix":
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    os.set_blocking(read_fd, False)
    signal.set_wakeup_fd(write_fd)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)  # the wakeup pipe carries it to the event loop
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, guard)

    def woken() -> None:
        try:
            received = os.read(read_fd, 64)
        except BlockingIOError:
            return
        if received:
            log.info("signal %s received: saving and quitting", ", ".join(str(b) for b in received))
            guard.save_then_quit()

    notifier.activated.connect(woken)
