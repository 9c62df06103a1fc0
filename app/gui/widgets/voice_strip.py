"""A compact strip under the transcript: loudness (grey) and pitch (blue) over the answer, sentence
ends that trailed off (orange ▼), hedges (purple ticks) and, for a story, where each STAR part was
told. A click plays from that moment; the word being played is marked.

Drawn with QPainter from the contour stored with the attempt (Voice.contour_*): no audio is read.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.core.scoring.delivery import Delivery
from app.core.scoring.shape import StoryPart

PITCH = QColor("#1f6feb")
LOUDNESS = QColor("#d0d7de")
TRAILING = QColor("#bc4c00")
HEDGE = QColor("#6639ba")
PART_COLOURS = {"situation": "#b9e6c9", "task": "#c9d8ff", "action": "#ffe08a", "result": "#ffc8dd"}
LANE_H = 10.0  # one lane per STAR part along the top: a short story's parts share most of its windows
PLOT_H = 54


class VoiceStrip(QWidget):
    seekRequested = Signal(float)  # seconds from the start of the recording

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voiceStrip")
        self.setFixedHeight(PLOT_H)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Pitch and loudness over the answer")
        self.delivery: Delivery | None = None
        self.duration_s = 0.0
        self.position_s: float | None = None
        self._pitch: list[int] = []
        self._level: list[float] = []
        self._step = 0.1

    def has_content(self) -> bool:
        d = self.delivery
        return d is not None and (
            (d.voice is not None and bool(d.voice.contour_level_db)) or (d.shape is not None and bool(d.shape.story))
        )

    def set_delivery(self, delivery: Delivery | None) -> None:
        self.delivery = delivery
        self.duration_s = delivery.duration_s if delivery is not None else 0.0
        self.position_s = None
        voice = delivery.voice if delivery is not None else None
        self._pitch = list(voice.contour_pitch_hz) if voice is not None else []
        self._level = list(voice.contour_level_db) if voice is not None else []
        self.duration_s = max(self.duration_s, len(self._level) * self._step)
        self.setFixedHeight(
            int(PLOT_H if self._level else 0) + int(len(self._story()) * LANE_H + 4 if self._story() else 0)
        )
        self.setVisible(self.has_content())
        self.update()

    def set_position(self, seconds: float | None) -> None:
        self.position_s = seconds
        self.update()

    # -- geometry ---------------------------------------------------------------------------------
    def _x(self, seconds: float) -> float:
        return 2 + (self.width() - 4) * (seconds / self.duration_s if self.duration_s else 0.0)

    def _seconds(self, x: float) -> float:
        return max(0.0, min(self.duration_s, (x - 2) / max(1.0, self.width() - 4) * self.duration_s))

    def _plot(self) -> QRectF:
        top = len(self._story()) * LANE_H + 4 if self._story() else 2
        return QRectF(0, top, self.width(), self.height() - top - 2)

    def _story(self) -> list[StoryPart]:
        shape = self.delivery.shape if self.delivery is not None else None
        return list(shape.story) if shape is not None else []

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#f6f8fa"))
        plot = self._plot()
        if self._level:
            self._paint_loudness(painter, plot)
            self._paint_pitch(painter, plot)
            self._paint_marks(painter, plot)
        self._paint_story(painter)
        if self.position_s is not None:
            painter.setPen(QPen(QColor("#1f2328"), 1.5))
            x = self._x(self.position_s)
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()

    def _paint_loudness(self, painter: QPainter, plot: QRectF) -> None:
        loud = sorted(v for v in self._level if v > 0)
        if not loud:
            return
        floor, top = loud[len(loud) // 10], loud[-1]
        span = max(1.0, top - floor)
        path = QPainterPath(QPointF(self._x(0), plot.bottom()))
        for i, value in enumerate(self._level):
            share = min(1.0, max(0.0, (value - floor) / span))
            path.lineTo(QPointF(self._x((i + 0.5) * self._step), plot.bottom() - share * plot.height()))
        path.lineTo(QPointF(self._x(len(self._level) * self._step), plot.bottom()))
        path.closeSubpath()
        painter.fillPath(path, LOUDNESS)

    def _paint_pitch(self, painter: QPainter, plot: QRectF) -> None:
        import math

        voiced = sorted(p for p in self._pitch if p > 0)
        if not voiced:
            return
        median = voiced[len(voiced) // 2]
        painter.setPen(QPen(PITCH, 1.6))
        path, drawing = QPainterPath(), False
        for i, hz in enumerate(self._pitch):
            if hz <= 0:
                drawing = False
                continue
            semitones = max(-8.0, min(8.0, 12 * math.log2(hz / median)))  # ±8 st around the speaker's median
            point = QPointF(self._x((i + 0.5) * self._step), plot.center().y() - semitones / 8 * plot.height() / 2)
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.drawPath(path)

    def _paint_marks(self, painter: QPainter, plot: QRectF) -> None:
        delivery = self.delivery
        assert delivery is not None
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRAILING)
        for end in delivery.voice.sentence_ends if delivery.voice else []:
            if end.trailing:
                x = self._x(end.end_s)
                painter.drawPolygon(
                    QPolygonF([QPointF(x - 5, plot.top()), QPointF(x + 5, plot.top()), QPointF(x, plot.top() + 8)])
                )
        painter.setPen(QPen(HEDGE, 2))
        for hedge in delivery.hedges or []:
            x = self._x(hedge.start_s)
            painter.drawLine(QPointF(x, plot.bottom() - 7), QPointF(x, plot.bottom()))

    def _paint_story(self, painter: QPainter) -> None:
        """One lane per part: a bar where the judge found it told, or "missing" in red."""
        story = self._story()
        if not story:
            return
        font = painter.font()
        font.setPixelSize(int(LANE_H) - 2)
        painter.setFont(font)
        for lane, part in enumerate(story):
            y = 1 + lane * LANE_H
            if part.present and part.start_s is not None and part.end_s is not None:
                rect = QRectF(
                    self._x(part.start_s), y, max(40.0, self._x(part.end_s) - self._x(part.start_s)), LANE_H - 1
                )
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(PART_COLOURS.get(part.part, "#e0e0e0")))
                painter.drawRoundedRect(rect, 2, 2)
                painter.setPen(QColor("#1f2328"))
                painter.drawText(
                    rect.adjusted(3, 0, 0, 0),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    part.part.capitalize(),
                )
            else:
                painter.setPen(QColor("#cf222e"))
                painter.drawText(
                    QRectF(3, y, self.width() - 6, LANE_H - 1),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    f"{part.part.capitalize()} missing — {part.missing}",
                )

    # -- interaction ------------------------------------------------------------------------------
    def describe(self, seconds: float) -> str:
        """What the strip shows at a moment, for the tooltip."""
        lines = [f"{int(seconds // 60)}:{int(seconds % 60):02d} · click to play from here"]
        index = int(seconds / self._step)
        if 0 <= index < len(self._pitch) and self._pitch[index] > 0:
            lines.append(f"pitch {self._pitch[index]} Hz")
        delivery = self.delivery
        if delivery is not None and delivery.voice is not None:
            for end in delivery.voice.sentence_ends:
                if end.trailing and abs(end.end_s - seconds) < 0.8:
                    lines.append(f"this sentence trails off: {end.drop_db:.0f} dB below your level")
        for part in self._story():
            if (
                part.present
                and part.start_s is not None
                and part.end_s is not None
                and part.start_s <= seconds <= part.end_s
            ):
                lines.append(f"{part.part} told here")
        return "\n".join(lines)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.duration_s > 0:
            seconds = self._seconds(event.position().x())
            self.set_position(seconds)
            self.seekRequested.emit(seconds)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.duration_s > 0:
            QToolTip.showText(
                event.globalPosition().toPoint(), self.describe(self._seconds(event.position().x())), self
            )
