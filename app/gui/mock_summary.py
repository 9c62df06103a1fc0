"""After a mock interview: one summary of all the answers, each with its figures and a way into its detail.

During the mock no feedback is shown between questions; this page is the first time the
person sees how the answers went.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.coach import mock_verdict
from app.core.practice import format_seconds
from app.core.records import AttemptDetail
from app.core.review.export import mock_totals
from app.core.timing import describe_timing
from app.gui.widgets.advice_box import AdviceBox
from app.gui.workers import DATABASE, JobRunner
from app.services.workspace import Workspace

COLUMNS = ("#", "Question", "Length", "Key points", "WPM", "Fillers", "Long pauses", "")


class MockSummaryPage(QWidget):
    openAttempt = Signal(int)
    doneRequested = Signal()
    message = Signal(str)
    loaded = Signal()

    def __init__(self, workspace: Workspace, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.details: list[AttemptDetail] = []
        self.notices: dict[int, str] = {}
        self.chains: dict[int, tuple[int, str]] = {}

        self.title = QLabel("Mock interview")
        self.title.setObjectName("pageTitle")
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.verdict = AdviceBox()  # the verdict and what would help most, before the figures
        self.verdict.hide()
        self.hint = QLabel("Double-click an answer (or use “Open”) to replay it with its full feedback.")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Answers of the mock interview")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))

        self.export_button = QPushButton("Export report…")
        self.export_button.clicked.connect(self.export)
        self.done_button = QPushButton("Back to questions")
        self.done_button.setObjectName("primary")
        self.done_button.clicked.connect(self.doneRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.verdict)
        layout.addWidget(self.totals)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_attempts(
        self,
        attempt_ids: list[int],
        notices: dict[int, str] | None = None,
        chains: dict[int, tuple[int, str]] | None = None,
    ) -> None:
        """Load the answers of the round (on the pool) and list them; `chains` maps a follow-up's
        attempt to the attempt it followed and why it was asked."""
        self.notices = notices or {}
        self.chains = chains or {}
        self.totals.setText("Loading your answers…")
        self.verdict.hide()
        self.runner.start(
            self.workspace.review.attempt_details,
            attempt_ids,
            on_done=self.set_details,
            on_error=lambda m: self.message.emit(f"The answers could not be read: {m}"),
            lane=DATABASE,
        )

    def set_details(self, details: list[AttemptDetail]) -> None:
        self.details = details
        when = details[0].summary.created_at.astimezone() if details else None
        self.title.setText(f"Mock interview, {when:%d %B %Y}" if when else "Mock interview")
        self.totals.setText(mock_totals(details) if details else "No answers were recorded.")
        self.verdict.show_advice(mock_verdict(details))
        self.verdict.setVisible(bool(details))
        self.table.setRowCount(len(details))
        # Chains as asked in this round, else as stored (a past mock interview opened again).
        chains = self.chains or {d.summary.id: (d.parent_attempt_id, "") for d in details if d.parent_attempt_id}
        number, follow = 0, 0
        for row, detail in enumerate(details):
            d, s = detail.delivery, detail.summary
            chain = chains.get(s.id)
            if chain is None:
                number, follow = number + 1, 0
                label, text = str(number), detail.question.text
            else:  # a follow-up sits under the answer it followed: the chain reads down the table
                follow += 1
                label = f"{number}{chr(ord('a') + follow - 1)}"
                text = (
                    f"↳ Follow-up: {detail.question.text}\n   (asked because {chain[1]})"
                    if chain[1]
                    else f"↳ Follow-up: {detail.question.text}"
                )
            timing = describe_timing(d.duration_s, d.target_s)
            target = f" of {format_seconds(d.target_s)}" if d.target_s else ""
            values = (
                label,
                text,
                "typed" if s.status == "typed" else f"{format_seconds(d.duration_s)}{target}\n{timing}",
                f"{s.covered_count}/{s.point_count} ({s.coverage:.0%})",
                "-" if d.words_per_minute is None else f"{d.words_per_minute:.0f}",
                str(len(d.fillers)),
                str(len(d.long_pauses)),
                "",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 1:
                    notice = self.notices.get(s.id)
                    item.setToolTip(detail.question.text + (f"\n{notice}" if notice else ""))
                if column == 2:
                    item.setForeground(QBrush(QColor("#1a7f37" if timing == "on target" else "#9a6700")))
                if column == 3:
                    colour = "#1a7f37" if s.coverage >= 0.8 else "#9a6700" if s.coverage >= 0.5 else "#cf222e"
                    item.setForeground(QBrush(QColor(colour)))
                self.table.setItem(row, column, item)
            button = QPushButton("Open")
            button.setAccessibleName(f"Open answer {row + 1}")
            button.clicked.connect(lambda _c=False, r=row: self._open(r))
            self.table.setCellWidget(row, len(COLUMNS) - 1, button)
        self.table.resizeRowsToContents()
        self.export_button.setEnabled(bool(details))
        self.loaded.emit()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.details):
            self.openAttempt.emit(self.details[row].summary.id)

    def export(self) -> None:
        if not self.details:
            return
        when = self.details[0].summary.created_at.astimezone()
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export this mock interview",
            str(Path.home() / f"rehearse-mock-{when:%Y%m%d-%H%M}.html"),
            "HTML report (*.html);;Markdown (*.md)",
        )
        if path:
            self.write_report(Path(path), "md" if path.endswith(".md") or chosen.startswith("Markdown") else "html")

    def write_report(self, path: Path, fmt: str) -> None:
        from app.core.review import export
        from app.core.review.reports import save

        details, title = list(self.details), self.title.text()

        def write() -> str:
            text = export.mock_html(details, title) if fmt == "html" else export.mock_markdown(details, title)
            return f"Exported to {save(text, path)}"

        self.runner.start(write, on_done=self.message.emit, on_error=lambda m: self.message.emit(f"Export failed: {m}"))
