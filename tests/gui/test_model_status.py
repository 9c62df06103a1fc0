"""The status bar names the speech model actually loaded, after a broken folder and after going back.

A real broken model folder (config.json and a model.bin that is not a model) is chosen in
Preferences, then the built-in model again; the status must follow, also when the first load ends last.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.gui.settings_dialog import SettingsDialog


def broken_model(tmp_path: Path) -> Path:
    """A folder with every file a CTranslate2 Whisper model has, none of them valid."""
    broken = tmp_path / "broken-model"
    broken.mkdir()
    for name, text in (
        ("config.json", "{}"),
        ("model.bin", "not a model"),
        ("tokenizer.json", "{}"),
        ("vocabulary.txt", "a\n"),
    ):
        (broken / name).write_text(text)
    return broken


def choose_model(window, qtbot, pick) -> None:
    """Open Preferences from the Edit menu, let `pick(dialog)` choose, press OK."""
    seen: list[SettingsDialog] = []

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(20, in_dialog)
            return
        seen.append(dialog)
        pick(dialog)
        dialog.accept()

    QTimer.singleShot(0, in_dialog)
    window.preferences_action.trigger()
    assert seen, "Preferences opened"


def test_status_follows_the_model_loaded_after_a_broken_folder_and_back(window, qtbot, tmp_path, prompts) -> None:
    broken = broken_model(tmp_path)

    def pick_broken(dialog) -> None:
        dialog.model_other.setChecked(True)
        dialog.model_path.setText(str(broken))

    with qtbot.waitSignal(window.modelReady, timeout=60000):
        choose_model(window, qtbot, pick_broken)
    assert window.model_status.text() == "Speech model: tiny.en (fallback)"
    assert any(p.kind == "warn" and str(broken) in p.text for p in prompts), prompts

    def pick_builtin(dialog) -> None:
        assert dialog.model_other.isChecked() and dialog.model_path.text() == str(broken)
        dialog.model_embedded.setChecked(True)

    with qtbot.waitSignal(window.modelReady, timeout=60000):
        choose_model(window, qtbot, pick_builtin)
    assert window.model_status.text() == "Speech model ready: tiny.en"
    assert window.model_status.styleSheet() == ""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)  # the Progress page warm-up after a load


def test_a_load_for_an_earlier_choice_does_not_overwrite_the_status(
    window, qtbot, tmp_path, monkeypatch, prompts
) -> None:
    """The broken folder is chosen, then the built-in model before the first load has finished; the
    first load (the fallback) is held until the second has reported, so its result arrives last."""
    from app.core.transcribe.transcriber import Transcriber

    broken = broken_model(tmp_path)
    second_reported = threading.Event()
    warm_up = Transcriber.warm_up

    def held_warm_up(self) -> None:
        if self.info.fallback_reason:  # the load for the broken folder, on a pool thread
            second_reported.wait(60)
        warm_up(self)

    monkeypatch.setattr(Transcriber, "warm_up", held_warm_up)
    ready: list[str] = []
    window.modelReady.connect(lambda name: (ready.append(name), second_reported.set()))
    choose_model(
        window, qtbot, lambda dialog: (dialog.model_other.setChecked(True), dialog.model_path.setText(str(broken)))
    )
    choose_model(window, qtbot, lambda dialog: dialog.model_embedded.setChecked(True))
    qtbot.waitUntil(lambda: second_reported.is_set(), timeout=60000)
    assert window.model_status.text() == "Speech model ready: tiny.en"
    # The first load's result comes in now; it is for a model no longer chosen.
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    qtbot.wait(100)
    assert window.model_status.text() == "Speech model ready: tiny.en" and window.model_status.styleSheet() == ""
    assert window.workspace.model_info.fallback_reason is None and window.settings.model == "tiny.en"
    assert ready == ["tiny.en"]
