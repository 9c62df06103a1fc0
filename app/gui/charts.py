"""Progress charts with pyqtgraph: a figure over time, its target band shaded, a point per attempt or day.

`ChartView` is the widget on the Progress page; `render_chart_pngs` draws the same charts
offscreen into PNG bytes for the HTML reports (the app's Export button and `rehearse export`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.core.review.progress import Chart, Progress

# isort: split
import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

__all__ = ["ChartView", "TimeAxis", "pg", "render_chart_pngs"]

# Antialiasing only where it shows (the data line): antialiased fills and grids make a chart
# several times slower to paint.
pg.setConfigOptions(antialias=False, background="w", foreground="#424a53")

LINE = "#1f6feb"
BAND = QColor(26, 127, 55, 40)
BAND_EDGE = QColor(26, 127, 55, 110)
BETTER = {"up": "higher is better", "down": "lower is better", "band": "best inside the green band"}


class TimeAxis(pg.DateAxisItem):
    """Dates and times of answers; for daily averages, dates only.

    A day's average is plotted at that day's noon. Left to itself the date axis labels a range of
    a day or less in hours, so answers given between 00:01 and 00:11 read "12:00"; with
    `days_only` every tick sits on a day's point and names the day.
    """

    days_only = False

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:  # noqa: N802, N803
        if not self.days_only:
            return super().tickValues(minVal, maxVal, size)
        first = datetime.fromtimestamp(minVal).date()
        days = (datetime.fromtimestamp(maxVal).date() - first).days + 1
        room = max(1, int(size // 70))  # a label is about 50 px wide
        step = next((s for s in (1, 2, 7, 14, 30, 61, 91, 182, 365, 730) if days / s <= room), 1461)
        ticks: list[float] = []
        for k in range(days + 1):
            day = first + timedelta(days=k)
            at = datetime.combine(day, time(12)).astimezone().timestamp()
            if day.toordinal() % step == 0 and minVal <= at <= maxVal:
                ticks.append(at)
        return [(step * 86400.0, ticks)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if not self.days_only:
            return super().tickStrings(values, scale, spacing)
        form = "%d %b" if spacing < 180 * 86400 else "%b %Y"
        return [datetime.fromtimestamp(v).strftime(form) for v in values]


class ChartView(QWidget):
    """One chart. `curve` holds the plotted points (curve.getData() gives the arrays)."""

    pointClicked = Signal(int)  # attempt id, on per-question charts

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.chart: Chart | None = None
        self.axis = TimeAxis(orientation="bottom")
        self.plot = pg.PlotWidget(axisItems={"bottom": self.axis})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.plot.setMinimumHeight(150)
        item = self.plot.getPlotItem()
        item.hideButtons()
        self.title = QLabel()
        self.title.setObjectName("chartTitle")
        self.title.setWordWrap(True)
        font = QFont()
        font.setPointSizeF(8.5)
        for name in ("left", "bottom"):
            item.getAxis(name).setTickFont(font)
        # Solid hairlines: dashed, antialiased lines are many times slower to draw.
        self.band_low = pg.PlotDataItem(pen=pg.mkPen(BAND_EDGE, width=0))
        self.band_high = pg.PlotDataItem(pen=pg.mkPen(BAND_EDGE, width=0))
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=pg.mkBrush(BAND))
        self.curve = pg.PlotDataItem(
            pen=pg.mkPen(LINE, width=1),
            symbol="o",
            symbolSize=6,
            symbolBrush=LINE,
            symbolPen=pg.mkPen("w", width=1),
            connect="finite",
            antialias=True,
        )
        self.curve.sigPointsClicked.connect(self._clicked)
        for part in (self.band, self.band_low, self.band_high, self.curve):
            self.plot.addItem(part)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

    def set_chart(self, chart: Chart, per_day: bool = False) -> None:
        """`per_day`: each point is a day's average (at its noon), so the axis names days, not hours."""
        self.chart = chart
        self.axis.days_only = per_day
        self.title.setText(f"<b>{chart.title}</b> <span style='color:#59636e'>· {BETTER[chart.better]}</span>")
        self.title.setToolTip(f"{chart.title}: {BETTER[chart.better]}")
        self.curve.setData(chart.x, chart.y, data=chart.ids)
        # Few points: bigger dots; many: the line carries it.
        self.curve.setSymbolSize(7 if len(chart.x) <= 60 else 4 if len(chart.x) <= 400 else 0)
        if len(chart.x) > 400:
            self.curve.setSymbol(None)
        elif chart.typed:  # typed answers as squares, so they are not read as spoken ones
            self.curve.setSymbol(["s" if typed else "o" for typed in chart.typed])
            self.title.setText(self.title.text() + " <span style='color:#59636e'>· ■ typed answer</span>")
        else:
            self.curve.setSymbol("o")
        has_band = chart.band_low is not None and chart.band_high is not None and len(chart.x) > 0
        if has_band and chart.band_low is not None and chart.band_high is not None:
            self.band_low.setData(chart.x, list(chart.band_low), connect="finite")
            self.band_high.setData(chart.x, list(chart.band_high), connect="finite")
        else:
            self.band_low.setData([], [])
            self.band_high.setData([], [])
        self.band.setVisible(has_band and len(chart.x) > 1)
        self._fit(chart)

    def clear(self) -> None:
        for item in (self.curve, self.band_low, self.band_high):
            item.setData([], [])
        self.band.setVisible(False)
        self.chart = None

    def _fit(self, chart: Chart) -> None:
        values = [v for v in chart.y if not math.isnan(v)]
        for band in (chart.band_low, chart.band_high):
            values += [v for v in (band or []) if not math.isnan(v)]
        if not values or not chart.x:
            self.plot.setXRange(0, 1)
            self.plot.setYRange(0, 1)
            return
        low, high = min(0.0, min(values)), max(values)
        if chart.unit == "%":
            high = max(high, 100.0)
        high = high if high > low else low + 1
        margin = (high - low) * 0.06  # points on 0 or on the top stay visible
        self.plot.setYRange(low - margin, high + margin, padding=0)
        left, right = min(chart.x), max(chart.x)
        span = max(right - left, 86400.0)
        self.plot.setXRange(left - span * 0.04, right + span * 0.04, padding=0)

    def _clicked(self, _item: object, points: Sequence[Any] | None, *_: object) -> None:
        if points is not None and len(points) and self.chart is not None and self.chart.ids is not None:
            attempt_id = points[0].data()
            if attempt_id is not None:
                self.pointClicked.emit(int(attempt_id))

    def png(self, width: int = 900, height: int = 260) -> bytes:
        """This chart as a PNG, drawn at the given size (for reports)."""
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.plot.getPlotItem())
        exporter.parameters()["width"] = width  # the height follows the plot's shape
        image = exporter.export(toBytes=True)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


_offscreen_app: QApplication | None = None  # made by render_chart_pngs outside the app; kept alive for later calls


def render_chart_pngs(progress: Progress, width: int = 900, height: int = 260) -> Mapping[str, bytes]:
    """Every chart of `progress` as PNG bytes; works without a display (offscreen Qt)."""
    global _offscreen_app
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _offscreen_app = QApplication([])
    out = {}
    for key, chart in progress.charts.items():
        view = ChartView(key)
        view.plot.getPlotItem().setGeometry(QRectF(0, 0, width, height))  # laid out at this size, never shown
        view.set_chart(chart, per_day=progress.scope == "all")
        out[key] = view.png(width, height)
        view.deleteLater()
    return out
