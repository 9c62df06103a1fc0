"""Practice: the question in large type, the prep countdown, the answer clock, the level meter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.packs import Question
from app.core.practice import Zone, format_seconds
from app.gui.practice_controller import Phase, PracticeController
from app.gui.widgets.level_meter import LevelMeter

ZONE_COLOURS = {Zone.NORMAL.value: "#1f2328", Zone.NEAR.value: "#b76e00", Zone.OVER.value: "#cf222e"}
PHASE_LABELS = {
    Phase.READY: ("Ready when you are", "Start answering  (Space)"),
    Phase.PREP: ("Prepare your answer", "Start answering now  (Space)"),
    Phase.STARTING: ("Opening the microphone…", "Start answering  (Space)"),
    Phase.ANSWER: ("Answer now", "Stop  (Space)"),
    Phase.PROCESSING: ("Processing your answer", "Stop  (Space)"),
    Phase.FEEDBACK: ("Done", "Start answering  (Space)"),
}
PRIMARY_TEXTS = tuple(label for _, label in PHASE_LABELS.values())
CANCEL_TEXTS = ("Back to questions  (Esc)", "Cancel  (Esc)")
STAGE_LABELS = {
    "saving audio": "Saving your answer",
    "transcribing": "Transcribing",
    "scoring": "Checking key points",
    "done": "Done",
}


class PracticePage(QWidget):
    backRequested = Signal()

    def __init__(self, controller: PracticeController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller

        self._mock = False
        self._reasons: dict[str, str] = {}
        self._shown: tuple[str, int] | None = None  # question id and index last shown: the same again is a retry

        top = self._build_question()
        meter_row = self._build_clock()
        self._build_captions()
        buttons = self._build_buttons()
        card = self._build_card(meter_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addLayout(top)
        layout.addWidget(self.question)
        layout.addWidget(self.reason)
        layout.addStretch(1)
        layout.addWidget(card)
        layout.addWidget(self.captions)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addStretch(1)

        controller.questionChanged.connect(self._on_question)
        controller.phaseChanged.connect(self._on_phase)
        controller.prepTick.connect(self._on_prep_tick)
        controller.answerTick.connect(self._on_answer_tick)
        controller.level.connect(self.meter.set_level)
        controller.processing.connect(self._on_processing)
        controller.caption.connect(self._on_caption)
        self._on_phase(Phase.READY.value)

    def _build_question(self) -> QHBoxLayout:
        """Where in the round, the category, the question and (weakest first) why it is here."""
        self.position = QLabel()
        self.position.setObjectName("muted")
        self.category = QLabel()
        self.category.setObjectName("chip")
        top = QHBoxLayout()
        top.addWidget(self.position)
        top.addWidget(self.category)
        top.addStretch(1)

        self.question = QLabel()
        self.question.setObjectName("question")
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # Weakest first: why this question is here, in full (the status bar cut it off and let it go).
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setAccessibleName("Why this question")
        self.reason.hide()
        return top

    def _build_clock(self) -> QHBoxLayout:
        """Phase, clock, target, progress bar, and the REC mark with the input level."""
        self.phase_label = QLabel()
        self.phase_label.setObjectName("phase")
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock = QLabel("0:00")
        self.clock.setObjectName("clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clock.setAccessibleName("Timer")
        self.target = QLabel()
        self.target.setObjectName("muted")
        self.target.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)

        self.rec_dot = QLabel("\u25cf REC")
        self.rec_dot.setObjectName("rec")
        self.rec_dot.setToolTip("Recording: your answer is being saved as you speak")
        self.meter = LevelMeter()
        meter_row = QHBoxLayout()
        meter_row.addWidget(self.rec_dot)
        mic = QLabel("Mic")
        mic.setObjectName("muted")
        meter_row.addWidget(mic)
        meter_row.addWidget(self.meter, 1)
        return meter_row

    def _build_captions(self) -> None:
        """Live captions, three lines kept from the start so nothing below moves when words arrive."""
        self.captions = QLabel()
        self.captions.setObjectName("captions")
        self.captions.setWordWrap(True)
        self.captions.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.captions.setAccessibleName("Live captions")
        self.captions.setAlignment(
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
        )  # newest words stay in view
        # Three lines are kept for the captions from the start of a captioned answer, so the
        # buttons below never move when the first words (or a longer line) arrive.
        self.captions.ensurePolished()
        self.captions.setFixedHeight(self.captions.fontMetrics().lineSpacing() * 3 + 8)
        self.captions.hide()

    def _build_buttons(self) -> QHBoxLayout:
        """The status line and the two buttons, wide enough for every label they take."""
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)

        self.primary = QPushButton()
        self.primary.setObjectName("primary")
        self.primary.clicked.connect(self._primary_clicked)
        self.cancel_button = QPushButton("Cancel  (Esc)")
        self.cancel_button.clicked.connect(self._cancel_clicked)
        # Wide enough for every label they take, so the buttons never jump or clip.
        for button, texts in ((self.primary, PRIMARY_TEXTS), (self.cancel_button, CANCEL_TEXTS)):
            widest = max(button.fontMetrics().horizontalAdvance(t) for t in texts)
            button.setMinimumWidth(widest + 48)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.primary)
        buttons.addStretch(1)
        return buttons

    def _build_card(self, meter_row: QHBoxLayout) -> QFrame:
        """The clock and the level meter on one card."""
        card = QFrame()
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        card_layout.addWidget(self.phase_label)
        card_layout.addWidget(self.clock)
        card_layout.addWidget(self.target)
        card_layout.addWidget(self.bar)
        card_layout.addSpacing(8)
        card_layout.addLayout(meter_row)
        return card

    def set_round(self, mock: bool = False, reasons: dict[str, str] | None = None) -> None:
        """Before a round starts: whether it is a mock interview, and (weakest first) why each question is in it."""
        self._mock = mock
        self._reasons = dict(reasons or {})
        self._shown = None

    def add_reason(self, question_id: str, reason: str) -> None:
        """Why a question joined the round while it runs (a mock interview's follow-up)."""
        self._reasons[question_id] = reason

    def _on_question(self, question: Question, index: int, count: int) -> None:
        label = (
            f"Mock interview \u00b7 question {index + 1} of {count}"
            if self._mock
            else f"Question {index + 1} of {count}"
        )
        self.position.setText(label)
        retry = self._shown == (question.id, index)  # "Try again": the reason was about the answer before this one
        self._shown = (question.id, index)
        reason = "" if retry else self._reasons.get(question.id, "")
        self.reason.setText(f"Why this question: {reason}" if reason else "")
        self.reason.setVisible(bool(reason))
        self.category.setText((question.category or "").capitalize())
        self.category.setVisible(bool(question.category))
        self.question.setText(question.text)
        clock = self.controller.clock()
        self.target.setText(
            f"Target {format_seconds(clock.target_s)}  ·  stops at {format_seconds(clock.hard_limit_s)}"
        )
        self.status.clear()

    def _on_caption(self, text: str) -> None:
        self.captions.setText(text[-220:])
        self.captions.setVisible(self.controller.phase is Phase.ANSWER)

    def _reserve_captions(self, reserve: bool) -> None:
        """Hold the captions' place (hidden, but sized) while captions are on, none when they are off."""
        policy = self.captions.sizePolicy()
        policy.setRetainSizeWhenHidden(reserve)
        self.captions.setSizePolicy(policy)

    def _on_phase(self, phase_value: str) -> None:
        phase = Phase(phase_value)
        if phase is not Phase.ANSWER:
            self.captions.clear()
            self.captions.hide()
        self._reserve_captions(self.controller.options.live_captions)
        recording = phase in (Phase.ANSWER,)
        self.rec_dot.setVisible(recording)
        self.meter.setEnabled(recording)
        if not recording:
            self.meter.reset()
        self.cancel_button.setEnabled(phase in (Phase.PREP, Phase.STARTING, Phase.ANSWER, Phase.READY))
        self.primary.setEnabled(phase in (Phase.PREP, Phase.READY, Phase.ANSWER))
        self.phase_label.setText(PHASE_LABELS[phase][0])
        self.primary.setText(PHASE_LABELS[phase][1])
        self.cancel_button.setText(CANCEL_TEXTS[0] if phase is Phase.READY else CANCEL_TEXTS[1])
        if phase is Phase.PROCESSING:
            self.bar.setRange(0, 100)
            self.bar.setValue(0)
        if phase is Phase.READY:
            self.clock.setText(format_seconds(self.controller.prep_seconds()) if self.controller.question else "0:00")
            self._set_clock_colour(Zone.NORMAL.value)
            self.bar.setValue(0)

    def _on_prep_tick(self, left: float) -> None:
        total = max(1, self.controller.prep_seconds())
        self.clock.setText(format_seconds(left + 0.49))
        self._set_clock_colour(Zone.NORMAL.value)
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(1000 * (1 - left / total)))

    def _on_answer_tick(self, elapsed: float, zone: str) -> None:
        clock = self.controller.clock()
        self.clock.setText(format_seconds(elapsed))
        self._set_clock_colour(zone)
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(1000 * min(1.0, elapsed / clock.hard_limit_s)))

    def _on_processing(self, stage: str, fraction: float) -> None:
        self.status.setText(
            f"{STAGE_LABELS.get(stage, stage.capitalize())}… {fraction:.0%}" if stage != "done" else "Done"
        )
        self.bar.setRange(0, 100)
        self.bar.setValue(int(fraction * 100))

    def _set_clock_colour(self, zone: str) -> None:
        self.clock.setStyleSheet(f"color: {ZONE_COLOURS[zone]};")
        self.clock.setProperty("zone", zone)

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def _primary_clicked(self) -> None:
        if self.controller.phase is Phase.ANSWER:
            self.controller.stop_answer()
        else:
            self.controller.start_answer()

    def _cancel_clicked(self) -> None:
        if self.controller.phase is Phase.READY:
            self.backRequested.emit()
        else:
            self.controller.cancel()
