"""A spin box for a time preference: "Pack's time" or a value on a sensible grid (app.core.practice_times)."""

from __future__ import annotations

import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox, QWidget

from app.core.practice_times import PACKS_TIME, SecondsChoice

SPECIAL = "Pack's time"
_TEXT = re.compile(r"^\s*(?:(\d+)\s*(?:min|m)\s*)?(?:(\d+)\s*(?:s|sec)?)?\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d+):(\d{1,2})\s*$")


def describe(seconds: int) -> str:
    """'45 s', '1 min', '2 min 30 s': what the box shows."""
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def parse(text: str) -> int | None:
    """Seconds from what a person types: '90', '90 s', '1:30', '1 min 30 s', '2 min'; None if unreadable."""
    clock = _CLOCK.match(text)
    if clock:
        return int(clock[1]) * 60 + int(clock[2])
    match = _TEXT.match(text)
    if not match or not (match[1] or match[2]):
        return None
    return int(match[1] or 0) * 60 + int(match[2] or 0)


class SecondsSpinBox(QSpinBox):
    """The arrows move along the choice's grid (e.g. 15 s for answers); one step below its shortest
    time is "Pack's time" (0), so a slip of the arrow never leaves a 2 s answer. A typed value is
    kept as typed if it is in range, and brought into range when the box loses focus."""

    def __init__(self, choice: SecondsChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = choice
        self.setRange(PACKS_TIME, choice.maximum)
        self.setSingleStep(choice.step)
        self.setSpecialValueText(SPECIAL)
        self.setAccelerated(True)
        self.setToolTip(
            f"{SPECIAL}, or {describe(choice.minimum)} to {describe(choice.maximum)} "
            f"(arrows step {describe(choice.step)})"
        )

    def setValue(self, value: int) -> None:  # noqa: N802
        super().setValue(self.choice.clamp(value))

    def stepBy(self, steps: int) -> None:  # noqa: N802
        self.setValue(self.choice.step_from(self.value(), steps))
        self.selectAll()

    def textFromValue(self, value: int) -> str:  # noqa: N802
        return describe(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802
        if text.strip().lower() == SPECIAL.lower():
            return PACKS_TIME
        seconds = parse(text)
        return self.choice.clamp(seconds) if seconds is not None else self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.strip()
        if SPECIAL.lower().startswith(stripped.lower()) and stripped:
            state = (
                QValidator.State.Acceptable if stripped.lower() == SPECIAL.lower() else QValidator.State.Intermediate
            )
            return state, text, pos
        seconds = parse(text)
        if seconds is None:
            # Half-typed ('1 mi', '1:') may still become a time.
            partial = re.fullmatch(r"\s*\d*\s*(m|mi|min|min\s*\d*|:|\d+:\d?)?\s*", text, re.IGNORECASE)
            return (QValidator.State.Intermediate if partial else QValidator.State.Invalid), text, pos
        if seconds == PACKS_TIME or self.choice.minimum <= seconds <= self.choice.maximum:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos  # '1' on the way to '120'; fixed up on leaving

    def fixup(self, text: str) -> str:
        seconds = parse(text)
        return describe(self.choice.clamp(seconds)) if seconds is not None and seconds > 0 else text
