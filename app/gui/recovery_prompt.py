"""At start-up: answers left by a crash are offered for recovery (transcribe, score, save) or discard.

Only orphans are offered: an answer a live process owns (another window recording or saving it)
is never listed, so it can never be discarded from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.audio.pending import PendingRecording, discard, find_unfinished
from app.gui.workers import TRANSCRIPTION
from app.services.attempts import recover_recording

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

Ask = Callable[[QWidget, str], str]  # (window, text) -> 'recover' | 'discard' | 'later'

log = logging.getLogger(__name__)


def _describe(items: list[PendingRecording]) -> str:
    lines = []
    for item in items[:10]:
        when = item.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.started_at else "unknown time"
        question = item.context.get("question_id") or "unknown question"
        lines.append(f"• {when}: {question}, {item.duration_s:.0f} s of audio")
    if len(items) > 10:
        lines.append(f"… and {len(items) - 10} more")
    return "\n".join(lines)


def offer_recovery(window: MainWindow, ask: Ask | None = None) -> None:
    """Look for orphans on the pool, then ask. `ask(window, text) -> 'recover' | 'discard' | 'later'`
    is a seam for tests; by default a message box."""
    incoming = window.workspace.incoming_folder

    def orphans() -> list[PendingRecording]:
        return [u for u in find_unfinished(incoming) if u.duration_s > 0]

    window.runner.start(orphans, on_done=lambda items: _offer(window, items, ask or _ask), on_error=window.show_message)


def _offer(window: MainWindow, items: list[PendingRecording], ask: Ask) -> None:
    if not items:
        return
    log.info("offering %d unfinished answers for recovery", len(items))
    text = f"Rehearse was closed while recording. These answers were kept:\n{_describe(items)}"
    choice = ask(window, text)
    if choice == "later":
        return
    window.statusBar().showMessage("Recovering interrupted answers…" if choice == "recover" else "Discarding…")

    def act() -> list[str]:
        if choice == "recover":
            return [recover_recording(window.workspace, item) for item in items]
        kept = [item for item in items if not discard(item)]
        return [f"{len(kept)} answers were not discarded: another Rehearse is saving them."] if kept else ["Discarded."]

    def done(messages: list[str]) -> None:
        window.statusBar().showMessage(" ".join(messages), 10000)
        window.refresh_stats()

    window.runner.start(
        act, on_done=done, on_error=lambda m: window.statusBar().showMessage(m, 10000), lane=TRANSCRIPTION
    )  # recovering transcribes and judges each answer


def _ask(window: QWidget, text: str) -> str:
    box = QMessageBox(QMessageBox.Icon.Question, "Recover interrupted answers?", text, parent=window)
    recover = box.addButton("Recover and score", QMessageBox.ButtonRole.AcceptRole)
    discard_button = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return "recover" if clicked is recover else "discard" if clicked is discard_button else "later"
