"""Progress: charts of length against the target band, coverage, pace and fillers over time, and a pack summary.

For one question every answer is a point (click it to replay that answer); for all questions
each day's answers are averaged. The side panel says in words whether things are getting
better, and for the pack: questions never practised, the weakest ones, the streak and the
practice time per week. Series are computed Qt-free (app.core.review.progress) on the pool.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.packs import Pack
from app.core.review.progress import (
    PackSummary,
    Progress,
)
from app.gui.charts import ChartView, pg, render_chart_pngs
from app.gui.widgets.pack_question_filter import PackQuestionFilter
from app.gui.workers import DATABASE, JobRunner
from app.services.review import ProgressData
from app.services.workspace import Workspace

CHART_KEYS = ("duration", "coverage", "wpm", "fillers")
MANNER_KEYS = ("pitch", "trailing", "pace_change", "hedges", "first_point")  # progress.MANNER_CHARTS, their own tab
VERDICT_MARKS = {"better": ("▲", "#1a7f37"), "worse": ("▼", "#cf222e"), "steady": ("●", "#59636e")}


def speaking_time(seconds: float) -> str:
    """'3 h 05 min', '12 min', '45 s': practice time in words."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = int(round(seconds / 60))
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


class ProgressPage(QWidget):
    openAttempt = Signal(int)
    loaded = Signal()
    message = Signal(str)

    def __init__(self, workspace: Workspace, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.packs: list[Pack] = []
        self.data: ProgressData | None = None
        self.loads = 0

        controls = self._build_controls()
        chart_area = self._build_charts()
        scroll = self._build_side()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(chart_area)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(controls)
        layout.addWidget(self.splitter, 1)

        self.filter.packChanged.connect(self.reload)
        self.filter.questionChanged.connect(self.reload)
        self.set_packs([])

    def _build_controls(self) -> QHBoxLayout:
        """The title, the pack and question filter, and the report export."""
        title = QLabel("Progress")
        title.setObjectName("pageTitle")
        self.filter = PackQuestionFilter("Pack", "Question")
        self.pack_combo, self.question_combo = self.filter.pack_combo, self.filter.question_combo
        self.export_button = QPushButton("Export report…")
        self.export_button.setToolTip("This question's history with these charts, as an HTML or Markdown report")
        self.export_button.clicked.connect(self.export)
        controls = QHBoxLayout()
        controls.addWidget(title)
        controls.addSpacing(16)
        controls.addWidget(self.filter, 1)
        controls.addWidget(self.export_button)
        return controls

    def _build_charts(self) -> QWidget:
        """Length, points, pace, fillers on one tab; how it sounded (voice, hedges, shape) on another."""
        self.scope = QLabel()
        self.scope.setObjectName("muted")
        self.scope.setWordWrap(True)
        self.charts = {key: ChartView(key) for key in CHART_KEYS}
        self.voice_charts = {key: ChartView(key) for key in MANNER_KEYS}
        for view in (*self.charts.values(), *self.voice_charts.values()):
            view.pointClicked.connect(self.openAttempt)
        every = {**self.charts, **self.voice_charts}
        self.chart_tabs = QTabWidget()
        for name, keys in (("Length, points, pace", CHART_KEYS), ("Voice, hedges, opening", MANNER_KEYS)):
            page = QWidget()
            grid = QGridLayout(page)
            grid.setContentsMargins(0, 6, 0, 0)
            grid.setSpacing(10)
            for i, key in enumerate(keys):
                grid.addWidget(every[key], i // 2, i % 2)
            self.chart_tabs.addTab(page, name)
        chart_area = QWidget()
        chart_layout = QVBoxLayout(chart_area)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.scope)
        chart_layout.addWidget(self.chart_tabs, 1)
        self.empty = QLabel()
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        chart_layout.addWidget(self.empty, 1)
        return chart_area

    def _build_side(self) -> QScrollArea:
        """Beside the charts: how it is going, practice per week, and the pack's summary."""
        self.trends = QLabel()
        self.trends.setWordWrap(True)
        self.trends.setTextFormat(Qt.TextFormat.RichText)
        self.practice = QLabel()
        self.practice.setWordWrap(True)
        self.weeks_plot = pg.PlotWidget(axisItems={"bottom": pg.AxisItem("bottom")})
        self.weeks_plot.setFixedHeight(120)
        self.weeks_plot.setMenuEnabled(False)
        self.weeks_plot.setMouseEnabled(x=False, y=False)
        self.weeks_plot.getPlotItem().hideButtons()
        self.weeks_plot.getPlotItem().setLabel("left", "min")
        self.weeks_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#1f6feb")
        self.weeks_plot.addItem(self.weeks_bars)
        self.pack_text = QLabel()
        self.pack_text.setWordWrap(True)
        self.pack_text.setTextFormat(Qt.TextFormat.RichText)
        self.pack_text.linkActivated.connect(self._link)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 8, 0)
        for caption, widget in (("How it is going", self.trends), ("Practice", self.practice)):
            side_layout.addWidget(self._caption(caption))
            side_layout.addWidget(widget)
        side_layout.addWidget(self.weeks_plot)
        side_layout.addWidget(self.pack_text)
        side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(230)
        return scroll

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    # -- selection ---------------------------------------------------------------------------------
    def set_packs(self, packs: list[Pack]) -> None:
        self.packs = packs
        self.filter.set_packs(packs, keep_question=False)

    def _pack(self) -> Pack | None:
        return self.filter.pack()

    def show_for(self, pack_id: str | None, question_id: str | None = None) -> None:
        self.filter.select(pack_id, question_id)
        self.reload()

    def _link(self, href: str) -> None:
        if href.startswith("question:"):
            self.filter.choose_question(href[len("question:") :])

    # -- loading --------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.export_button.setEnabled(False)
        scope = (self.pack_combo.currentData(), self.question_combo.currentData())
        if self.data is not None and scope != (self.data.pack_id, self.data.question_id):
            for view in (
                *self.charts.values(),
                *self.voice_charts.values(),
            ):  # never one question's charts under another's name
                view.clear()
            self.scope.setText("Loading…")
        self.runner.start(
            self.workspace.review.progress,
            self._pack(),
            self.question_combo.currentData(),
            on_done=self._loaded,
            on_error=lambda m: self.message.emit(f"Progress could not be read: {m}"),
            lane=DATABASE,
            key="progress",
        )  # only the latest scope's figures are shown

    def _loaded(self, data: ProgressData) -> None:
        self.data = data
        progress = data.progress
        for key, view in (*self.charts.items(), *self.voice_charts.items()):
            view.set_chart(progress.charts[key], per_day=progress.scope == "all")
        pack = self._pack()
        question = pack.question(data.question_id) if pack and data.question_id else None
        self.chart_tabs.setVisible(not progress.empty)
        self.empty.setVisible(progress.empty)
        if progress.empty:
            scope = "No scored answers yet" + (" to this question." if question else ".")
            self.empty.setText(
                "Nothing to chart yet. Answer a question and its length, key points, pace and "
                "fillers will show here, answer by answer."
            )
        elif question:
            scope = f"Every answer to “{question.text}” ({progress.attempts}); click a point to replay that answer."
        else:
            where = f"the questions of {pack.title}" if pack else "all questions"
            answers = f"{progress.attempts:,} answer{'s' if progress.attempts != 1 else ''}"
            scope = f"Daily averages over {where}: {answers} on {progress.days} day{'s' if progress.days != 1 else ''}."
        self.scope.setText(scope)
        self._show_trends(progress)
        self._show_practice(data)
        self._show_pack(data.summary)
        self.export_button.setEnabled(question is not None and not progress.empty)
        self.loads += 1
        self.loaded.emit()

    def _show_trends(self, progress: Progress) -> None:
        if not progress.trends:
            self.trends.setText(
                "<span style='color:#59636e'>A few more answers and this will say whether you are "
                "getting better (it compares your last answers with the ones before).</span>"
            )
            return
        lines = []
        for trend in progress.trends:
            mark, colour = VERDICT_MARKS[trend.verdict]
            lines.append(
                f"<p style='margin:0 0 6px 0'><span style='color:{colour}'>{mark}</span> {html.escape(trend.text)}</p>"
            )
        self.trends.setText("".join(lines))

    def _show_practice(self, data: ProgressData) -> None:
        this_week = data.weeks[-1] if data.weeks else None
        streak_text = (
            f"{data.streak_days} day{'s' if data.streak_days != 1 else ''} in a row"
            + ("" if data.practised_today or not data.streak_days else " (practise today to keep it)")
            if data.streak_days
            else "No current streak"
        )
        week_text = (
            (
                f"This week: {this_week.attempts} answer{'s' if this_week.attempts != 1 else ''}, "
                f"{speaking_time(this_week.seconds)} of speaking"
            )
            if this_week
            else ""
        )
        self.practice.setText(f"Streak: {streak_text}.\n{week_text}")
        minutes = [w.seconds / 60 for w in data.weeks]
        self.weeks_bars.setOpts(x=list(range(len(minutes))), height=minutes, width=0.7)
        axis = self.weeks_plot.getPlotItem().getAxis("bottom")
        last = len(data.weeks) - 1
        axis.setTicks([[(i, f"{w.week_start:%d %b}") for i, w in enumerate(data.weeks) if (last - i) % 3 == 0]])
        self.weeks_plot.setYRange(0, max(minutes + [1.0]) * 1.1, padding=0)
        self.weeks_plot.setXRange(-0.6, len(minutes) - 0.4, padding=0)
        self.weeks_plot.setToolTip("Minutes of answers per week (weeks start on Monday)")

    def _show_pack(self, summary: PackSummary | None) -> None:
        if summary is None:
            self.pack_text.setText(
                "<span style='color:#59636e'>Choose a pack to see which of its questions need work.</span>"
            )
            return
        e = html.escape
        parts = [
            f"<p style='font-weight:600; font-size:11pt; margin:8px 0 4px 0'>{e(summary.title)}</p>",
            f"<p style='margin:0 0 6px 0'>{summary.practised} of {summary.questions} questions practised, "
            f"{summary.total_attempts} answers, {speaking_time(summary.total_seconds)} in all.</p>",
        ]
        if summary.weakest:
            parts.append("<p style='font-weight:600; margin:8px 0 2px 0'>Weakest questions</p>")
            for question, why in summary.weakest:
                parts.append(
                    f"<p style='margin:0 0 6px 0'><a href='question:{e(question.id)}'>{e(question.text)}</a><br>"
                    f"<span style='color:#59636e'>{e(why)}</span></p>"
                )
        if summary.never_practised:
            parts.append(
                f"<p style='font-weight:600; margin:8px 0 2px 0'>Never practised ({len(summary.never_practised)})</p>"
            )
            shown = summary.never_practised[:8]
            parts += [f"<p style='margin:0 0 3px 0'>• {e(q.text)}</p>" for q in shown]
            if len(summary.never_practised) > len(shown):
                parts.append(f"<p style='color:#59636e'>and {len(summary.never_practised) - len(shown)} more</p>")
        elif summary.questions:
            parts.append("<p style='color:#1a7f37'>Every question of this pack has been practised.</p>")
        self.pack_text.setText("".join(parts))

    def point_count(self) -> int:
        x, _y = self.charts["duration"].curve.getData()
        return 0 if x is None else len(x)

    # -- export -----------------------------------------------------------------------------------------
    def export(self) -> None:
        data, pack = self.data, self._pack()
        if data is None or pack is None or not data.question_id:
            return
        name = f"rehearse-{data.question_id}-progress.html"
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export this question's history", str(Path.home() / name), "HTML report (*.html);;Markdown (*.md)"
        )
        if path:
            self.write_report(Path(path), "md" if path.endswith(".md") or chosen.startswith("Markdown") else "html")

    def write_report(self, path: Path, fmt: str) -> None:
        from app.core.review.reports import save

        data, pack = self.data, self._pack()
        assert data is not None and pack is not None and data.question_id
        # Charts are drawn here (Qt paints on the GUI thread); the query and the file go to the pool.
        # Drawn offscreen at report size: the charts on the tab not shown have no size of their own.
        pngs = dict(render_chart_pngs(data.progress)) if fmt == "html" else {}
        question_id = data.question_id

        def write() -> str:
            text = self.workspace.review.question_report(pack, question_id, fmt, render_charts=lambda _p: pngs)
            return f"Exported to {save(text, path)}"

        self.runner.start(write, on_done=self.message.emit, on_error=lambda m: self.message.emit(f"Export failed: {m}"))
