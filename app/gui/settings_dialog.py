"""Preferences: microphone (with a test meter), transcription model, default times, data folder."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.audio import AudioError
from app.core.audio.devices import list_input_devices
from app.core.audio.recorder import Recorder
from app.core.practice_times import ANSWER_SECONDS, HARD_LIMIT_MAX, HARD_LIMIT_MIN, HARD_LIMIT_STEP, PREP_SECONDS
from app.core.transcribe.models import BASE_MODEL, EMBEDDED_MODEL
from app.gui import dialogs
from app.gui.settings import AppSettings
from app.gui.widgets.level_meter import LevelMeter
from app.gui.widgets.seconds_spin_box import SecondsSpinBox
from app.gui.workers import AUDIO, JobRunner


class MicTest:
    """A throwaway recording for the test meter: its folder and recorder, made, started and ended on the pool.

    Stopping waits for the recorder's writer thread (up to 10 s), so neither end may run on the GUI
    thread; the lock orders an end that comes while the start is still running after it.
    """

    def __init__(self, device: str | None, sd: Any | None) -> None:
        self.device, self.sd = device, sd
        self.recorder: Recorder | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.Lock()
        self._ended = False

    def start(self) -> None:
        with self._lock:
            if self._ended:
                return
            self._folder = tempfile.TemporaryDirectory(prefix="rehearse-mic-test-")
            recorder = Recorder(Path(self._folder.name), device=self.device, max_seconds=60, sd=self.sd)
            try:
                recorder.start()
            except BaseException:
                self._folder.cleanup()
                self._folder = None
                raise
            self.recorder = recorder

    def end(self) -> None:
        with self._lock:
            self._ended = True
            if self.recorder is not None:
                self.recorder.cancel()
            if self._folder is not None:
                self._folder.cleanup()
                self._folder = None


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: AppSettings,
        data_dir: Path,
        tts_available: bool,
        sd: Any | None = None,
        delete_all: Callable[[Callable[[str | None], None]], None] | None = None,
        judging: str | None = None,
        runner: JobRunner | None = None,
        parent: QWidget | None = None,
        tts_problem: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.sd = sd
        self.runner = runner or JobRunner(self)
        self._test: MicTest | None = None
        self._deleting = False

        mic_box = self._build_microphone()
        model_box = self._build_model(settings)
        practice_box = self._build_practice(settings, tts_available, tts_problem, judging)
        data_box = self._build_data(settings, data_dir, delete_all)

        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for box in (mic_box, model_box, practice_box, data_box):
            layout.addWidget(box)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _build_microphone(self) -> QGroupBox:
        """The input device, with a test meter."""
        self.device = QComboBox()
        self.device.setAccessibleName("Microphone")
        self.device_error = QLabel()
        self.device_error.setObjectName("warning")
        self.device_error.setWordWrap(True)
        self.device_error.hide()
        self.test_button = QPushButton("Test")
        self.test_button.setCheckable(True)
        self.test_button.toggled.connect(self._toggle_test)
        self.meter = LevelMeter()
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(40)
        self._meter_timer.timeout.connect(self._poll_meter)
        row = QHBoxLayout()
        row.addWidget(self.device, 1)
        row.addWidget(self.test_button)
        mic_box = QGroupBox("Microphone")
        mic_layout = QVBoxLayout(mic_box)
        mic_layout.addLayout(row)
        mic_layout.addWidget(self.meter)
        mic_layout.addWidget(self.device_error)
        self._fill_devices()
        return mic_box

    def _build_model(self, settings: AppSettings) -> QGroupBox:
        """Which Whisper model transcribes: built in, base, or a folder."""
        self.model_embedded = QRadioButton(f"Built-in Whisper {EMBEDDED_MODEL} (fast, English)")
        self.model_base = QRadioButton("Whisper base (more accurate, slower; needs the base-model package)")
        self.model_other = QRadioButton("Another CTranslate2 model folder:")
        self.model_group = QButtonGroup(self)
        for button in (self.model_embedded, self.model_base, self.model_other):
            self.model_group.addButton(button)
        self.model_path = QLineEdit()
        self.model_path.setPlaceholderText("/path/to/faster-whisper-model")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_path, 1)
        model_row.addWidget(browse)
        model_box = QGroupBox("Transcription model (takes effect on the next answer)")
        model_layout = QVBoxLayout(model_box)
        model_layout.addWidget(self.model_embedded)
        model_layout.addWidget(self.model_base)
        model_layout.addWidget(self.model_other)
        model_layout.addLayout(model_row)
        current = settings.model
        if current in (EMBEDDED_MODEL, "embedded", ""):
            self.model_embedded.setChecked(True)
        elif current == BASE_MODEL:
            self.model_base.setChecked(True)
        else:
            self.model_other.setChecked(True)
            self.model_path.setText(current)
        return model_box

    def _build_practice(
        self, settings: AppSettings, tts_available: bool, tts_problem: str | None, judging: str | None
    ) -> QGroupBox:
        """Times, the automatic stop, reading aloud, captions, and how key points are judged.

        Times step along a grid with a shortest real time (app.core.practice_times): one slip of the
        arrow below it is "Pack's time", never a 2 s answer cut off at once."""
        self.prep = SecondsSpinBox(PREP_SECONDS)
        self.prep.setAccessibleName("Preparation time")
        self.prep.setValue(settings.prep_seconds)
        self.answer = SecondsSpinBox(ANSWER_SECONDS)
        self.answer.setAccessibleName("Answer target")
        self.answer.setValue(settings.answer_seconds)
        self.limit = QDoubleSpinBox()
        self.limit.setAccessibleName("Stop recording at")
        self.limit.setRange(HARD_LIMIT_MIN, HARD_LIMIT_MAX)
        self.limit.setSingleStep(HARD_LIMIT_STEP)
        self.limit.setDecimals(2)
        self.limit.setSuffix(" × target")
        self.limit.setToolTip(
            "Recording stops by itself at this many times the answer target, "
            f"{HARD_LIMIT_MIN:g}× at the least, so running a little long is never cut off"
        )
        self.limit.setValue(settings.hard_limit_factor)
        self.read_aloud = QCheckBox("Read each question aloud")
        self.read_aloud.setChecked(settings.read_aloud and tts_available)
        self.read_aloud.setEnabled(tts_available)
        # Why the option is off, where the person looks (a tooltip alone is easy to miss).
        self.read_aloud_note = QLabel(tts_problem or "No text-to-speech voice is available on this computer.")
        self.read_aloud_note.setObjectName("muted")
        self.read_aloud_note.setWordWrap(True)
        self.read_aloud_note.setVisible(not tts_available)
        if not tts_available:
            self.read_aloud.setToolTip(self.read_aloud_note.text())
        self.live_captions = QCheckBox("Show live captions while answering")
        self.live_captions.setChecked(settings.live_captions)
        practice_box = QGroupBox("Practice")
        form = QFormLayout(practice_box)
        form.addRow("Preparation time:", self.prep)
        form.addRow("Answer target:", self.answer)
        form.addRow("Stop recording at:", self.limit)
        form.addRow("", self.read_aloud)
        form.addRow("", self.read_aloud_note)
        form.addRow("", self.live_captions)
        # How key points are judged: the default threshold, or the person's own (learned from corrections).
        self.judging = QLabel(judging or "Key-point threshold: set when the key-point model has loaded.")
        self.judging.setWordWrap(True)
        form.addRow("Judging:", self.judging)
        return practice_box

    def _build_data(
        self, settings: AppSettings, data_dir: Path, delete_all: Callable[[Callable[[str | None], None]], None] | None
    ) -> QGroupBox:
        """Where the data lives, and deleting all of it."""
        self._initial_data_dir = settings.data_dir or str(data_dir)
        self.data_dir = QLineEdit(self._initial_data_dir)
        data_browse = QPushButton("Browse…")
        data_browse.clicked.connect(self._browse_data)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_dir, 1)
        data_row.addWidget(data_browse)
        data_box = QGroupBox("Data folder (recordings and history; nothing leaves this computer)")
        data_layout = QVBoxLayout(data_box)
        data_layout.addLayout(data_row)
        note = QLabel("A new folder takes effect after Rehearse restarts.")
        note.setObjectName("muted")
        data_layout.addWidget(note)
        self._delete_all = delete_all
        self.delete_button = QPushButton("Delete all my data…")
        self.delete_button.setEnabled(delete_all is not None)
        self.delete_button.clicked.connect(self._confirm_delete_all)
        self.deleted_note = QLabel()
        self.deleted_note.setObjectName("muted")
        delete_row = QHBoxLayout()
        delete_row.addWidget(self.delete_button)
        delete_row.addWidget(self.deleted_note, 1)
        data_layout.addLayout(delete_row)
        return data_box

    def _fill_devices(self) -> None:
        self.device.clear()
        self.device.addItem("System default", "")
        try:
            devices = list_input_devices(self.sd)
        except AudioError as exc:
            self.device_error.setText(str(exc))
            self.device_error.show()
            devices = []
        if not devices and not self.device_error.isVisible():
            self.device_error.setText("No microphone was found. Connect one, then reopen Preferences.")
            self.device_error.show()
        for device in devices:
            self.device.addItem(device.label, device.name)
        index = self.device.findData(self.settings.input_device or "")
        self.device.setCurrentIndex(max(0, index))

    def chosen_model(self) -> str:
        if self.model_base.isChecked():
            return BASE_MODEL
        if self.model_other.isChecked() and self.model_path.text().strip():
            return self.model_path.text().strip()
        return EMBEDDED_MODEL

    def _browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a CTranslate2 Whisper model folder")
        if folder:
            self.model_path.setText(folder)
            self.model_other.setChecked(True)

    def _browse_data(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the data folder", self.data_dir.text())
        if folder:
            self.data_dir.setText(folder)

    def _toggle_test(self, on: bool) -> None:
        if not on:
            self._stop_test()
            return
        test = self._test = MicTest(self.device.currentData() or None, self.sd)
        self.test_button.setText("Stop test")
        self.runner.start(
            test.start,
            on_done=lambda _r: self._test_started(test),
            on_error=lambda message: self._test_failed(test, message),
            lane=AUDIO,
        )

    def _test_started(self, test: MicTest) -> None:
        if test is self._test:  # not stopped while it was starting
            self.device_error.hide()
            self._meter_timer.start()

    def _test_failed(self, test: MicTest, message: str) -> None:
        if test is self._test:
            self.device_error.setText(message)
            self.device_error.show()
            self.test_button.setChecked(False)

    def _poll_meter(self) -> None:
        recorder = self._test.recorder if self._test is not None else None
        if recorder is not None:
            level = recorder.level
            self.meter.set_level(level.rms_db, level.peak_db)
            if not recorder.running:
                self.test_button.setChecked(False)

    def _stop_test(self) -> None:
        self._meter_timer.stop()
        test, self._test = self._test, None
        if test is not None:
            self.runner.start(test.end, lane=AUDIO)
        self.meter.reset()
        self.test_button.setText("Test")

    def confirm(self, text: str) -> bool:
        """Asks before deleting (a seam: tests replace it)."""
        answer = dialogs.ask(
            self,
            "Delete all data?",
            text,
            dialogs.Button.Yes | dialogs.Button.Cancel,
            dialogs.Button.Cancel,
            warning=True,
        )
        return answer == dialogs.Button.Yes

    def _confirm_delete_all(self) -> None:
        if self._delete_all is None:
            return
        if self.confirm(
            "Delete every recording and every attempt in your history? Your question packs are kept. "
            "This cannot be undone."
        ):
            self._deleting = True
            self.delete_button.setEnabled(False)
            self.buttons.setEnabled(False)  # the dialog stays until the deletion has ended
            self.deleted_note.setText("Deleting…")
            self._delete_all(self._deleted)

    def _deleted(self, error: str | None) -> None:
        self._deleting = False
        self.delete_button.setEnabled(True)
        self.buttons.setEnabled(True)
        self.deleted_note.setText(
            "All recordings and history were deleted." if error is None else f"Deleting failed: {error}"
        )

    def accept(self) -> None:
        if self._deleting:
            return
        self._stop_test()
        s = self.settings
        s.input_device = self.device.currentData() or None
        s.model = self.chosen_model()
        s.prep_seconds = self.prep.value()
        s.answer_seconds = self.answer.value()
        s.hard_limit_factor = self.limit.value()
        if self.read_aloud.isEnabled():  # with no voice now, the person's choice is kept for when there is one
            s.read_aloud = self.read_aloud.isChecked()
        s.live_captions = self.live_captions.isChecked()
        if self.data_dir.text().strip() != self._initial_data_dir:
            s.data_dir = self.data_dir.text().strip() or None
        s.sync()
        super().accept()

    def reject(self) -> None:
        if self._deleting:
            return
        self._stop_test()
        super().reject()
