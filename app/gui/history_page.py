"""History: every attempt in a sortable table, filtered by pack, question, date and words said.

A QAbstractTableModel over the AttemptSummary list: the view asks only for the rows on screen,
so 10,000 attempts open as fast as 10. The query runs on the thread pool (JobRunner); sorting
is done here, on the loaded rows, without asking the database again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.packs import Pack
from app.core.practice import format_seconds
from app.core.records import AttemptSummary
from app.core.timing import describe_timing
from app.gui import dialogs
from app.gui.widgets.pack_question_filter import PackQuestionFilter
from app.gui.workers import DATABASE, JobRunner
from app.services.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[AttemptSummary], str]
    sort: Callable[[AttemptSummary], Any]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
    sample: str = ""  # the widest text a figure column shows: it is sized to this or its title


def _ratio(s: AttemptSummary) -> float | None:
    return s.duration_s / s.target_s if s.target_s else None


LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
COLUMNS = (
    Column(
        "created_at",
        "Date",
        lambda s: s.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        lambda s: (s.created_at, s.id),
        LEFT,
        "2026-12-31 23:59",
    ),
    Column("pack", "Pack", lambda s: s.pack_title, lambda s: s.pack_title.lower(), LEFT),
    Column("question", "Question", lambda s: s.question_text, lambda s: s.question_text.lower(), LEFT),
    # A typed answer has no length, pace, fillers or pauses: "typed" says why, where the length would be.
    Column(
        "duration_s",
        "Length",
        lambda s: "typed" if s.status == "typed" else format_seconds(s.duration_s),
        lambda s: s.duration_s,
        sample="10:00",
    ),
    Column(
        "length_ratio", "Of target", lambda s: "-" if _ratio(s) is None else f"{_ratio(s):.0%}", _ratio, sample="250%"
    ),
    Column(
        "coverage",
        "Points",
        lambda s: f"{s.covered_count}/{s.point_count}",
        lambda s: (s.coverage, s.covered_count),
        sample="10/10",
    ),
    Column(
        "words_per_minute",
        "WPM",
        lambda s: "-" if s.words_per_minute is None else f"{s.words_per_minute:.0f}",
        lambda s: s.words_per_minute,
        sample="188",
    ),
    Column(
        "filler_count",
        "Fillers",
        lambda s: "-" if s.status == "typed" else str(s.filler_count),
        lambda s: s.filler_count,
        sample="88",
    ),
    Column(
        "long_pause_count",
        "Pauses",
        lambda s: "-" if s.status == "typed" else str(s.long_pause_count),
        lambda s: s.long_pause_count,
        sample="88",
    ),
    Column(
        "note",
        "Note",
        lambda s: (s.note or "").splitlines()[0] if s.note else "",
        lambda s: (s.note or "").lower(),
        LEFT,
    ),
)
FLEXIBLE = ("pack", "question", "note")  # share what the figures leave; the question gets the most

PERIODS = (
    ("Any time", None),
    ("Today", 0),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 12 months", 365),
    ("Date range…", -1),
)


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AttemptSummary] = []

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.key == key)

    def set_rows(self, rows: list[AttemptSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole:  # the full text of what a narrow column elides
            if column.key == "question":
                return row.question_text
            if column.key == "pack":
                return row.pack_title
            if column.key == "note":
                return row.note
            if column.key == "length_ratio":
                return f"{format_seconds(row.duration_s)} of {format_seconds(row.target_s or 0)}: {describe_timing(row.duration_s, row.target_s)}"
            if column.key == "coverage":
                return f"{row.covered_count} of {row.point_count} key points ({row.coverage:.0%})"
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.key == "length_ratio" and row.target_s:
                return (
                    QColor("#1a7f37")
                    if describe_timing(row.duration_s, row.target_s) == "on target"
                    else QColor("#9a6700")
                )
            if column.key == "coverage":
                return (
                    QColor("#1a7f37")
                    if row.coverage >= 0.8
                    else QColor("#9a6700")
                    if row.coverage >= 0.5
                    else QColor("#cf222e")
                )
            if row.status == "untranscribed":
                return QColor("#8c959f")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort
        reverse = order == Qt.SortOrder.DescendingOrder
        # Unknown figures (no pace, no target) go last either way.
        known = [r for r in self.rows if key(r) is not None]
        unknown = [r for r in self.rows if key(r) is None]
        known.sort(key=key, reverse=reverse)
        self.layoutAboutToBeChanged.emit()
        self.rows = known + unknown
        self.layoutChanged.emit()


class HistoryPage(QWidget):
    openAttempt = Signal(int)
    compareAttempts = Signal(int, int)
    loaded = Signal(int)  # number of rows shown
    attemptDeleted = Signal(int)
    message = Signal(str)

    def __init__(self, workspace: Workspace, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.packs: list[Pack] = []
        self.loads = 0
        self._shown: list[AttemptSummary] | None = None  # the rows as loaded, before any sorting here

        title = QLabel("History")
        title.setObjectName("pageTitle")
        intro = QLabel(
            "Every answer you recorded. Click a column to sort; double-click an answer to replay it. "
            "Select two answers to the same question to compare them."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)

        filters = self._build_filters()
        self._build_search(filters)
        self._build_table()
        buttons = self._build_buttons()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._build_shortcuts()
        self.filter.packChanged.connect(self._pack_changed)
        self.filter.questionChanged.connect(self.reload)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.set_packs([])
        self._selection_changed()

    def _build_filters(self) -> QHBoxLayout:
        """Pack, question and period (with the dates of a custom one)."""
        self.filter = PackQuestionFilter("Pack filter", "Question filter", question_stretch=2)
        self.pack_combo, self.question_combo = self.filter.pack_combo, self.filter.question_combo
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Date filter")
        for label, days in PERIODS:
            self.period_combo.addItem(label, days)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.hide()
            edit.dateChanged.connect(lambda _d: self.reload())
        self.date_from.setAccessibleName("From date")
        self.date_to.setAccessibleName("To date")
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 2)
        caption = QLabel("When:")
        caption.setBuddy(self.period_combo)
        filters.addWidget(caption)
        filters.addWidget(self.period_combo)
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to)
        return filters

    def _build_search(self, filters: QHBoxLayout) -> None:
        """Words said, across every transcript: answers holding all of them (app.core.review.search)."""
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words you said…")
        self.search.setAccessibleName("Search transcripts")
        self.search.setToolTip("Show only answers whose transcript holds every one of these words")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)  # one query when typing pauses, not one per key
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)

    def _build_table(self) -> None:
        """The attempts, sortable, newest first; columns fitted to what they hold."""
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Attempts")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.model.column_of("question"), QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._text_widths: dict[str, int] = {}  # the widest pack title and note in the rows shown
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    def _build_buttons(self) -> QHBoxLayout:
        """The count and what can be done with the selection."""
        self.count = QLabel()
        self.count.setObjectName("muted")
        self.open_button = QPushButton("Replay")
        self.open_button.setToolTip("Open the answer: recording, transcript and feedback (Enter)")
        self.open_button.clicked.connect(self._open_selected)
        self.compare_button = QPushButton("Compare two")
        self.compare_button.setToolTip("Select two answers to the same question")
        self.compare_button.clicked.connect(self._compare_selected)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setToolTip("All attempts shown, with their figures, as a spreadsheet file")
        self.csv_button.clicked.connect(self.export_csv)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        for button in (self.csv_button, self.delete_button, self.compare_button, self.open_button):
            buttons.addWidget(button)
        self.open_button.setObjectName("primary")
        return buttons

    def _build_shortcuts(self) -> None:
        """Enter replays the selected answer, Delete deletes it."""
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter on the keypad too
            shortcut = QShortcut(
                QKeySequence(key), self.table, self._open_selected, context=Qt.ShortcutContext.WidgetShortcut
            )
            shortcut.setWhatsThis("History: replay the selected answer")
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.delete_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        ).setWhatsThis("History: delete the selected answer")

    # -- filters -------------------------------------------------------------------------------
    def set_packs(self, packs: list[Pack]) -> None:
        self.packs = packs
        self.filter.set_packs(packs)

    def _pack_changed(self) -> None:
        self._fit_columns()
        self.reload()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Coming back (from an answer whose note was just saved, say) shows the history as it is now;
        unchanged, the read cache answers at once and the selection and scroll stay."""
        super().showEvent(event)
        self.reload()

    def _figure_width(self, column: Column) -> int:
        """Wide enough for the title with its sort arrow, or for the widest figure, whichever is more."""
        title = self.table.horizontalHeader().fontMetrics().horizontalAdvance(column.title) + 20
        return max(title, self.table.fontMetrics().horizontalAdvance(column.sample) + 14)

    def _measure_texts(self) -> None:
        """The widest pack title and note first line among the rows (distinct values only: few)."""
        metrics = self.table.fontMetrics()
        for key in ("pack", "note"):
            text_of = COLUMNS[self.model.column_of(key)].text
            values = {text_of(row) for row in self.model.rows}
            self._text_widths[key] = max((metrics.horizontalAdvance(v) for v in values if v), default=0)

    def _fit_columns(self) -> None:
        """Figures take what they need; the question stretches over most of the rest, the pack and note
        columns take their text's width up to a share of it, so nothing needs a side scroll."""
        header = self.table.horizontalHeader()
        pack_column = self.model.column_of("pack")
        self.table.setColumnHidden(
            pack_column, self.pack_combo.currentData() is not None
        )  # one pack: no need to repeat it
        fixed = 0
        for i, column in enumerate(COLUMNS):
            if column.key not in FLEXIBLE:
                width = self._figure_width(column)
                header.resizeSection(i, width)
                fixed += width
        rest = max(0, self.table.viewport().width() - fixed)
        for key, share in (("pack", 0.25), ("note", 0.2)):
            index = self.model.column_of(key)
            if not self.table.isColumnHidden(index):
                title = header.fontMetrics().horizontalAdvance(COLUMNS[index].title) + 20
                wanted = max(title, self._text_widths.get(key, 0) + 16)
                header.resizeSection(index, int(max(title, min(wanted, rest * share))))

    def _period_changed(self) -> None:
        custom = self.period_combo.currentData() == -1
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.reload()

    def set_filter(self, pack_id: str | None = None, question_id: str | None = None) -> None:
        self.filter.select(pack_id, question_id)
        self.reload()

    def period(self) -> tuple[datetime | None, datetime | None]:
        """The date filter as a [since, until) range in local time."""
        days = self.period_combo.currentData()
        if days is None:
            return None, None
        if days == -1:
            first, last = self.date_from.date(), self.date_to.date()
            start = datetime.combine(date(first.year(), first.month(), first.day()), time()).astimezone()
            end = datetime.combine(date(last.year(), last.month(), last.day()) + timedelta(days=1), time()).astimezone()
            return start, end
        midnight = datetime.combine(datetime.now().date(), time()).astimezone()
        return midnight - timedelta(days=days), None

    def search_text(self) -> str:
        """The words searched for (the answer view marks them)."""
        return self.search.text().strip()

    # -- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        self._search_timer.stop()
        since, until = self.period()
        self.count.setText("Loading…")
        self.runner.start(
            self.workspace.review.attempts,
            pack_id=self.pack_combo.currentData(),
            question_id=self.question_combo.currentData(),
            since=since,
            until=until,
            text=self.search_text() or None,
            on_done=self._loaded,
            on_error=self._failed,
            lane=DATABASE,
            key="history-list",  # a newer filter's rows replace these: only the latest reload shows
        )

    def _loaded(self, rows: list[AttemptSummary]) -> None:
        if rows != self._shown:  # unchanged history (kept by History's read cache): keep the selection and scroll
            self._shown = rows
            chosen = [s.id for s in self.selected()]  # a changed row (a new note) keeps its selection
            self.model.set_rows(rows)
            self._measure_texts()
            self._fit_columns()
            header = self.table.horizontalHeader()
            if header.sortIndicatorSection() != 0 or header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder:
                self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            if len(chosen) == 1:
                self.select_attempt(chosen[0])
        total = len(rows)
        said = f" saying “{self.search_text()}”" if self.search_text() else ""
        self.count.setText(
            f"{total:,} attempt{'s' if total != 1 else ''}{said}" if total else "No attempts match these filters."
        )
        self._selection_changed()
        self.loads += 1
        self.loaded.emit(total)

    def _failed(self, text: str) -> None:
        self.count.setText(f"The history could not be read: {text}")
        self.message.emit(f"The history could not be read: {text}")

    # -- selection and actions -------------------------------------------------------------------------
    def selected(self) -> list[AttemptSummary]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows if r < len(self.model.rows)]

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.open_button.setEnabled(len(chosen) == 1)
        self.delete_button.setEnabled(len(chosen) == 1)
        same = len(chosen) == 2 and (chosen[0].pack_id, chosen[0].question_id) == (
            chosen[1].pack_id,
            chosen[1].question_id,
        )
        self.compare_button.setEnabled(same)
        self.compare_button.setToolTip(
            "Compare these two answers side by side" if same else "Select two answers to the same question (Ctrl+click)"
        )
        self.csv_button.setEnabled(bool(self.model.rows))

    def select_attempt(self, attempt_id: int) -> bool:
        for row, summary in enumerate(self.model.rows):
            if summary.id == attempt_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openAttempt.emit(self.model.rows[index.row()].id)

    def _open_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.openAttempt.emit(chosen[0].id)

    def _compare_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 2:
            self.compareAttempts.emit(chosen[0].id, chosen[1].id)

    def delete_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            confirm_delete(self, self.workspace, self.runner, chosen[0], self._deleted)

    def _deleted(self, attempt_id: int) -> None:
        self.attemptDeleted.emit(attempt_id)
        self.reload()

    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export attempts as CSV", str(Path.home() / "rehearse-attempts.csv"), "CSV files (*.csv)"
        )
        if path:
            self.write_csv(Path(path))

    def write_csv(self, path: Path) -> None:
        from app.core.review import export
        from app.core.review.reports import save

        rows = sorted(self.model.rows, key=lambda s: (s.created_at, s.id))

        def write() -> str:
            import io

            out = io.StringIO()
            count = export.write_attempts_csv(rows, out)
            save(out.getvalue(), path)
            return f"Exported {count} attempts to {path}"

        self.runner.start(write, on_done=self.message.emit, on_error=lambda m: self.message.emit(f"Export failed: {m}"))


def confirm_delete(
    parent: QWidget, workspace: Workspace, runner: JobRunner, summary: AttemptSummary, done: Callable[[int], None]
) -> None:
    """Ask, then delete the attempt and its recording on the pool; `done(id)` afterwards."""
    when = summary.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    recording = " and its recording" if summary.audio_path else ""
    answer = dialogs.ask(
        parent,
        "Delete this answer?",
        f"Delete your answer of {when} to “{summary.question_text}”{recording}?\nThis cannot be undone.",
        dialogs.Button.Yes | dialogs.Button.Cancel,
        dialogs.Button.Cancel,
    )
    if answer != dialogs.Button.Yes:
        return
    runner.start(
        workspace.review.delete_attempt,
        summary.id,
        on_done=lambda _r: done(summary.id),
        on_error=lambda m: dialogs.warn(parent, "Delete failed", m),
        lane=DATABASE,
    )
