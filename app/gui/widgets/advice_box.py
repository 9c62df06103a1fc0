"""The coach's advice as a short, prominent box: a headline, one or two actions, and a button beside it.

Sits above the figures so the first thing a person reads after answering is what to do next,
with the way to do it (Try again) right there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.core.coach import Advice

# Background, border and headline colour per tone: the figures' green / amber / red, made light.
TONES = {
    "good": ("#eefbf1", "#7ccf92", "#1a7f37"),
    "warn": ("#fff8e6", "#e3b341", "#7a5200"),
    "bad": ("#fff1ef", "#f0a39b", "#a40e26"),
}


class AdviceBox(QFrame):
    def __init__(self, *beside: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advice")
        self.setAccessibleName("What to do next")
        self.advice: Advice | None = None
        self.headline = QLabel()
        self.headline.setObjectName("adviceHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_steps = QLabel()  # not `actions`: that would hide QWidget.actions()
        self.next_steps.setObjectName("adviceActions")
        self.next_steps.setWordWrap(True)
        self.next_steps.setTextFormat(Qt.TextFormat.PlainText)
        self.next_steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(4)
        text.addWidget(self.headline)
        text.addWidget(self.next_steps)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(12)
        layout.addLayout(text, 1)
        for widget in beside:
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        # Never squeezed below its text: the advice is the first thing to read after an answer.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def show_advice(self, advice: Advice) -> None:
        self.advice = advice
        background, border, colour = TONES.get(advice.tone, TONES["warn"])
        self.setStyleSheet(
            f"QFrame#advice {{ background: {background}; border: 1px solid {border}; border-left: 5px solid {border};"
            " border-radius: 8px; }"
            f"QLabel#adviceHeadline {{ font-size: 13pt; font-weight: 600; color: {colour}; background: transparent; }}"
            "QLabel#adviceActions { font-size: 11pt; color: #1f2328; background: transparent; }"
        )
        self.headline.setText(advice.headline)
        self.next_steps.setText("\n".join(f"→ {a}" for a in advice.actions))
        self.next_steps.setVisible(bool(advice.actions))
