"""Two answers to one question side by side: figures before and after, key points newly covered or missed.

The comparison itself is app.core.review.compare; this page shows it and lets the person pick
any other pair of answers to the same question.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.feedback import TRANSCRIPT_CSS, transcript_html, transcript_tokens
from app.core.records import AttemptDetail, AttemptSummary
from app.core.review.compare import Comparison
from app.core.review.labels import attempt_labels
from app.gui.workers import DATABASE, JobRunner
from app.services.workspace import Workspace

VERDICT_COLOURS = {"better": "#1a7f37", "worse": "#cf222e", "same": "#59636e", "": "#59636e"}
STATUS_COLOURS = {
    "newly covered": "#1a7f37",
    "newly missed": "#cf222e",
    "still covered": "#1f2328",
    "still missed": "#8c1c13",
    "new point": "#59636e",
    "dropped point": "#59636e",
}
STATUS_ORDER = ("newly covered", "newly missed", "still missed", "still covered", "new point", "dropped point")


class CompareView(QWidget):
    backRequested = Signal()
    openAttempt = Signal(int)
    loaded = Signal()
    message = Signal(str)

    def __init__(self, workspace: Workspace, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.comparison: Comparison | None = None
        self.siblings: list[AttemptSummary] = []

        top = self._build_heading()
        pickers = self._build_pickers()
        self._build_figures()
        left = self._build_points()
        right = self._build_transcripts()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addLayout(pickers)
        layout.addWidget(self.figures)
        layout.addWidget(self.splitter, 1)

    def _build_heading(self) -> QHBoxLayout:
        """Back, the question and a notice."""
        self.back_button = QPushButton("← Back")
        self.back_button.clicked.connect(self.backRequested)
        self.title = QLabel()
        self.title.setObjectName("feedbackQuestion")
        self.title.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("muted")
        self.notice.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.notice)
        top.addLayout(heading, 1)
        return top

    def _build_pickers(self) -> QHBoxLayout:
        """Which two answers: any pair of answers to the same question."""
        self.before_combo = QComboBox()
        self.before_combo.setAccessibleName("Earlier answer")
        self.after_combo = QComboBox()
        self.after_combo.setAccessibleName("Later answer")
        for combo in (self.before_combo, self.after_combo):
            combo.setMinimumContentsLength(38)  # date, length and points: what tells two answers apart
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.activated.connect(lambda _i: self._pick_changed())
        pickers = QHBoxLayout()
        pickers.addWidget(QLabel("Compare"))
        pickers.addWidget(self.before_combo, 1)
        pickers.addWidget(QLabel("with"))
        pickers.addWidget(self.after_combo, 1)
        return pickers

    def _build_figures(self) -> None:
        """Each figure before and after, and the change."""
        self.figures = QTableWidget(0, 4)
        self.figures.setHorizontalHeaderLabels(["", "Before", "After", "Change"])
        self._table_style(self.figures)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            self.figures.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.figures.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.figures.setWordWrap(True)
        self.figures.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.figures.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.figures.setAccessibleName("Figures before and after")

    def _build_points(self) -> QWidget:
        """Each key point before and after, with what changed."""
        self.points = QTableWidget(0, 3)
        self.points.setHorizontalHeaderLabels(["Key point", "Before → after", "What changed"])
        self._table_style(self.points)
        self.points.setWordWrap(True)
        self.points.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.points.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.points.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.points.setAccessibleName("Key points before and after")
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._caption("Key points"))
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.points, 1)
        return left

    def _build_transcripts(self) -> QWidget:
        """The two transcripts, each with its replay button."""
        self.before_text = self._transcript_box()
        self.after_text = self._transcript_box()
        self.before_caption = self._caption("Before")
        self.after_caption = self._caption("After")
        self.open_before = QPushButton("Replay")
        self.open_after = QPushButton("Replay")
        self.open_before.clicked.connect(lambda: self._open_side(after=False))
        self.open_after.clicked.connect(lambda: self._open_side(after=True))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        for caption, box, button in (
            (self.before_caption, self.before_text, self.open_before),
            (self.after_caption, self.after_text, self.open_after),
        ):
            row = QHBoxLayout()
            row.addWidget(caption, 1)
            row.addWidget(button)
            right_layout.addLayout(row)
            right_layout.addWidget(box, 1)
        return right

    def _open_side(self, after: bool) -> None:
        if self.comparison is not None:
            self.openAttempt.emit((self.comparison.after if after else self.comparison.before).summary.id)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    @staticmethod
    def _table_style(table: QTableWidget) -> None:
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setAlternatingRowColors(True)

    @staticmethod
    def _transcript_box() -> QTextBrowser:
        box = QTextBrowser()
        box.setOpenLinks(False)
        box.document().setDefaultStyleSheet(TRANSCRIPT_CSS)
        return box

    # -- loading ---------------------------------------------------------------------------------------
    def show_pair(self, first_id: int, second_id: int) -> None:
        self.runner.start(
            self.workspace.review.compare_pair,
            first_id,
            second_id,
            on_done=self._loaded,
            on_error=lambda m: self.message.emit(f"These answers cannot be compared: {m}"),
            lane=DATABASE,
            key="compare",
        )

    def show_with_neighbour(self, attempt_id: int) -> None:
        self.runner.start(
            self.workspace.review.compare_with_neighbour,
            attempt_id,
            on_done=self._loaded,
            on_error=lambda m: self.message.emit(f"Nothing to compare with: {m}"),
            lane=DATABASE,
            key="compare",
        )

    def _loaded(self, result: tuple[Comparison, list[AttemptSummary]]) -> None:
        comparison, siblings = result
        self.siblings = siblings
        self.set_comparison(comparison)

    def _fill_pickers(self, comparison: Comparison) -> None:
        for combo, chosen in (
            (self.before_combo, comparison.before.summary.id),
            (self.after_combo, comparison.after.summary.id),
        ):
            combo.blockSignals(True)
            combo.clear()
            for s, label in zip(self.siblings, attempt_labels(self.siblings)):  # never two alike
                combo.addItem(label, s.id)
                combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def _pick_changed(self) -> None:
        a, b = self.before_combo.currentData(), self.after_combo.currentData()
        if a is None or b is None:
            return
        if a == b:
            self.notice.setText("Pick two different answers.")
            return
        self.show_pair(a, b)

    def set_comparison(self, comparison: Comparison) -> None:
        self.comparison = comparison
        before, after = comparison.before, comparison.after
        self.title.setText(after.question.text)
        note = " The question was edited between the two answers." if comparison.question_changed else ""
        self.notice.setText(f"{after.summary.pack_title} · two answers {comparison.apart}.{note}")
        if not self.siblings:
            self.siblings = [before.summary, after.summary]
        self._fill_pickers(comparison)

        self.figures.setRowCount(len(comparison.figures))
        for row, figure in enumerate(comparison.figures):
            values = (
                figure.label,
                figure.before_text,
                figure.after_text,
                f"{figure.change_text}  {figure.verdict}" if figure.verdict not in ("", "same") else figure.change_text,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 3:
                    item.setForeground(QBrush(QColor(VERDICT_COLOURS[figure.verdict])))
                if column == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.figures.setItem(row, column, item)

        newly, missed = comparison.newly_covered, comparison.newly_missed
        parts = []
        if newly:
            parts.append(f"<span style='color:#1a7f37'><b>{len(newly)} newly covered</b></span>")
        if missed:
            parts.append(f"<span style='color:#cf222e'><b>{len(missed)} newly missed</b></span>")
        if not parts:
            parts.append("Same key points covered in both answers.")
        self.summary.setText(" · ".join(parts))
        points = sorted(comparison.points, key=lambda p: STATUS_ORDER.index(p.status))
        self.points.setRowCount(len(points))
        mark = {True: "✓", False: "✗", None: "–"}
        for row, change in enumerate(points):
            colour = QBrush(QColor(STATUS_COLOURS[change.status]))
            for column, value in enumerate(
                (change.point, f"{mark[change.before]} → {mark[change.after]}", change.status)
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(change.point)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 2 or change.status in ("newly covered", "newly missed"):
                    item.setForeground(colour)
                self.points.setItem(row, column, item)

        names = dict(zip((s.id for s in self.siblings), attempt_labels(self.siblings)))  # as in the dropdowns
        for caption, box, detail, name in (
            (self.before_caption, self.before_text, before, "Before"),
            (self.after_caption, self.after_text, after, "After"),
        ):
            caption.setText(
                f"{name}: {names.get(detail.summary.id, detail.summary.created_at.astimezone().strftime('%Y-%m-%d %H:%M'))}"
            )
            box.setHtml(f'<div style="line-height:150%">{self._transcript(detail)}</div>')
        self._fit_figures()
        QTimer.singleShot(0, self._fit_figures)  # again once the layout has settled
        self.loaded.emit()

    def _fit_figures(self) -> None:
        """The figures table shows all its rows, however the text wraps at this width."""
        self.figures.resizeRowsToContents()
        height = self.figures.horizontalHeader().height() + sum(
            self.figures.rowHeight(r) for r in range(self.figures.rowCount())
        )
        self.figures.setFixedHeight(height + 2 * self.figures.frameWidth())
        self.points.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.comparison is not None:
            QTimer.singleShot(0, self._fit_figures)  # after the columns took their new widths

    @staticmethod
    def _transcript(detail: AttemptDetail) -> str:
        if not detail.transcript.words:
            return "<i>No speech was transcribed for this answer.</i>"
        tokens = transcript_tokens(detail.transcript.words, detail.key_points, detail.delivery)
        return transcript_html(tokens, detail.key_points, links=False)
