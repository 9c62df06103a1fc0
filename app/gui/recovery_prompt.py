"""At start-up: recordings left by a crash are offered for recovery (transcribe, score, save) or discard."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from app.core.audio.recovery import UnfinishedRecording, discard, find_unfinished
from app.core.recovery import recover_recording


def _describe(items: list[UnfinishedRecording]) -> str:
    lines = []
    for item in items[:10]:
        when = item.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.started_at else "unknown time"
        question = item.context.get("question_id") or "unknown question"
        lines.append(f"• {when}: {question}, {item.duration_s:.0f} s of audio")
    if len(items) > 10:
        lines.append(f"… and {len(items) - 10} more")
    return "\n".join(lines)


def offer_recovery(window: Any, ask: Any = None) -> None:
    """`ask(text) -> 'recover' | 'discard' | 'later'` is a seam for tests; by default a message box."""
    items = [u for u in find_unfinished(window.workspace.data_dir.incoming) if u.duration_s > 0]
    if not items:
        return
    text = f"Rehearse was closed while recording. These answers were kept:\n{_describe(items)}"
    choice = (ask or _ask)(window, text)
    if choice == "discard":
        for item in items:
            discard(item)
        return
    if choice != "recover":
        return
    window.statusBar().showMessage("Recovering interrupted answers…")

    def recover_all() -> list[str]:
        return [recover_recording(window.workspace, item) for item in items]

    def done(messages: list[str]) -> None:
        window.statusBar().showMessage(" ".join(messages), 10000)
        window.refresh_stats()

    window.runner.start(recover_all, on_done=done, on_error=lambda m: window.statusBar().showMessage(m, 10000))


def _ask(window: Any, text: str) -> str:
    box = QMessageBox(QMessageBox.Icon.Question, "Recover interrupted answers?", text, parent=window)
    recover = box.addButton("Recover and score", QMessageBox.ButtonRole.AcceptRole)
    discard_button = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return "recover" if clicked is recover else "discard" if clicked is discard_button else "later"
