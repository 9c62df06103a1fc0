"""A horizontal input level meter: smoothed RMS bar, peak tick, dB scale -60..0."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0


def db_fraction(db: float) -> float:
    return min(1.0, max(0.0, (db - FLOOR_DB) / -FLOOR_DB))


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rms_db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")
        self.setToolTip("Microphone level: speak and the bar should move into the green")

    def sizeHint(self) -> QSize:
        return QSize(240, 14)

    def set_level(self, rms_db: float, peak_db: float) -> None:
        self.rms_db, self.peak_db = rms_db, peak_db
        self.update()

    def reset(self) -> None:
        self.set_level(FLOOR_DB, FLOOR_DB)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QColor("#b8b8b8"))
        painter.setBrush(QColor("#f2f2f2"))
        painter.drawRoundedRect(rect, 4, 4)
        fraction = db_fraction(self.rms_db)
        colour = "#2da44e" if self.rms_db < -9 else "#d4a72c" if self.rms_db < -3 else "#cf222e"
        if fraction > 0:
            bar = QRectF(rect.left() + 1, rect.top() + 1, (rect.width() - 2) * fraction, rect.height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(bar, 3, 3)
        peak_x = rect.left() + (rect.width() - 2) * db_fraction(self.peak_db)
        if self.peak_db > FLOOR_DB:
            painter.setPen(QColor("#444"))
            painter.drawLine(int(peak_x), int(rect.top() + 2), int(peak_x), int(rect.bottom() - 2))
        painter.end()
