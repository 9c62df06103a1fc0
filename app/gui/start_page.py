"""Start: choose a pack and a mode; the question list shows attempts and the last results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.packs import Pack, PackSource, Question
from app.core.practice import Mode, format_seconds, order_questions
from app.core.review.scheduler import Order

COLUMNS = ("#", "Question", "Category", "Target", "Attempts", "Last coverage", "Last length", "Why now")
WHY_COLUMN = COLUMNS.index("Why now")

if TYPE_CHECKING:
    from app.core.records import QuestionStats
    from app.core.review.plan import Plan
    from app.core.review.scheduler import Pick


class StartPage(QWidget):
    startRequested = Signal(object, object, int, str)  # pack, list[Question], start index, mode value
    orderChanged = Signal(str)  # weakest first: Order value, chosen with "Unseen first"
    mockCountChosen = Signal(int)  # questions in a mock interview, as the person set it
    planRequested = Signal(object, int, bool)  # interview date (datetime.date), daily load, weekends easy
    planCleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._packs: list[Pack] = []
        self._stats: dict[str, QuestionStats] = {}
        self._schedule: list[Pick] = []  # weakest first
        self.plan: Plan | None = None  # of this pack, when there is one

        title = QLabel("Practise an interview answer")
        title.setObjectName("pageTitle")
        intro = QLabel("Pick a question pack and how to go through it. Double-click a question to start with it.")
        intro.setWordWrap(True)
        intro.setObjectName("muted")

        controls = self._build_controls()
        self._build_table()
        plan_row = self._build_plan()
        bottom = self._build_bottom()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(controls)
        layout.addLayout(plan_row)
        layout.addWidget(self.plan_text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addLayout(bottom)

        self.pack_combo.currentIndexChanged.connect(self._pack_changed)
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.category_combo.currentIndexChanged.connect(lambda _: self._fill_table())
        self._mode_changed()

    def _build_controls(self) -> QHBoxLayout:
        """Pack, mode, category, the mock interview's length and the weakest-first order."""
        self.pack_combo = QComboBox()
        self.pack_combo.setAccessibleName("Question pack")
        self.pack_combo.setMinimumContentsLength(24)
        self.pack_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName("Practice mode")
        for mode in (Mode.IN_ORDER, Mode.SHUFFLED, Mode.CATEGORY, Mode.WEAKEST, Mode.MOCK, Mode.PLAN):
            self.mode_combo.addItem(mode.label, mode.value)
        self.mode_combo.setItemData(
            self.mode_combo.findData(Mode.WEAKEST.value),
            "Questions due for review first, weakest answers first (spaced repetition)",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.mode_combo.setItemData(
            self.mode_combo.findData(Mode.MOCK.value),
            "Several questions in a row with no feedback between them, then one summary",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.category_combo = QComboBox()
        self.category_combo.setAccessibleName("Category")
        self.mock_count = QSpinBox()
        self.mock_count.setAccessibleName("Questions in the mock interview")
        self.mock_count.setRange(1, 1)
        self.mock_count.setSuffix(" questions")
        self._mock_wanted = 5  # what the person chose; a smaller pack clamps the box, not the choice
        self.mock_count.valueChanged.connect(self._mock_count_changed)
        self.unseen_first = QCheckBox("&Unseen first")
        self.unseen_first.setToolTip(
            "Put questions never practised before the ones answered weakly. By default a weak "
            "answer comes first: practising it again helps most."
        )
        self.unseen_first.toggled.connect(lambda on: self.orderChanged.emit(self.order.value))

        pack_label = QLabel("P&ack:")  # Alt+P opens the Practice menu
        pack_label.setBuddy(self.pack_combo)
        mode_label = QLabel("&Mode:")
        mode_label.setBuddy(self.mode_combo)
        controls = QHBoxLayout()
        controls.addWidget(pack_label)
        controls.addWidget(self.pack_combo, 2)
        controls.addSpacing(12)
        controls.addWidget(mode_label)
        controls.addWidget(self.mode_combo)
        controls.addWidget(self.category_combo)
        controls.addWidget(self.mock_count)
        controls.addWidget(self.unseen_first)
        controls.addStretch(1)
        return controls

    def _build_table(self) -> None:
        """The questions of the pack; a double-click or Enter starts the one highlighted."""
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHY_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(WHY_COLUMN, 200)
        self.table.doubleClicked.connect(lambda index: self._start(index.row()))
        for key in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):  # Enter starts the highlighted question, as a double-click does
            shortcut = QShortcut(
                QKeySequence(key), self.table, self._start_current, context=Qt.ShortcutContext.WidgetShortcut
            )
            shortcut.setWhatsThis("Questions: start the highlighted question")

    def _build_plan(self) -> QHBoxLayout:
        """The interview date plan: the date, the daily load, easy weekends; what is due today and why."""
        self.plan_date = QDateEdit()
        self.plan_date.setCalendarPopup(True)
        self.plan_date.setDisplayFormat("ddd d MMM yyyy")
        self.plan_date.setAccessibleName("Interview date")
        self.plan_date.setMinimumDate(QDate.currentDate())
        self.plan_date.setDate(QDate.currentDate().addDays(7))
        self.plan_load = QSpinBox()
        self.plan_load.setRange(1, 100)
        self.plan_load.setValue(5)
        self.plan_load.setSuffix(" a day")
        self.plan_load.setAccessibleName("Questions a day at most")
        self.plan_easy = QCheckBox("Easy weekends")
        self.plan_easy.setToolTip("Half the daily load on Saturdays and Sundays")
        self.plan_button = QPushButton("Set &interview date")
        self.plan_button.clicked.connect(
            lambda: self.planRequested.emit(
                self.plan_date.date().toPython(), self.plan_load.value(), self.plan_easy.isChecked()
            )
        )
        self.plan_clear = QPushButton("Remove plan")
        self.plan_clear.clicked.connect(self.planCleared)
        plan_label = QLabel("My interview is on:")
        plan_label.setBuddy(self.plan_date)
        plan_row = QHBoxLayout()
        for widget in (plan_label, self.plan_date, self.plan_load, self.plan_easy, self.plan_button, self.plan_clear):
            plan_row.addWidget(widget)
        plan_row.addStretch(1)
        self.plan_text = QLabel()
        self.plan_text.setObjectName("reason")
        self.plan_text.setWordWrap(True)
        self.plan_text.setTextFormat(Qt.TextFormat.PlainText)
        self.plan_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_text.setAccessibleName("Due today")
        self.plan_text.hide()
        return plan_row

    def _build_bottom(self) -> QHBoxLayout:
        """Problems with the pack, the summary and the start button."""
        self.problems = QLabel()
        self.problems.setObjectName("warning")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()

        self.start_button = QPushButton("Start practice")
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(lambda: self._start(None))
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.start_button)
        return bottom

    # -- data in ------------------------------------------------------------------------------
    def set_packs(self, sources: list[PackSource], select: str | None = None) -> None:
        packs: dict[str, Pack] = {}
        for source in sources:
            if source.pack is not None and (source.pack.id not in packs or not source.builtin):
                packs[source.pack.id] = source.pack
        self._packs = list(packs.values())
        current = select or self.current_pack_id
        self.pack_combo.blockSignals(True)
        self.pack_combo.clear()
        for pack in self._packs:
            self.pack_combo.addItem(f"{pack.title}  ({len(pack.questions)} questions)", pack.id)
        index = max(0, self.pack_combo.findData(current)) if current else 0
        self.pack_combo.setCurrentIndex(index)
        self.pack_combo.blockSignals(False)
        broken = [s for s in sources if s.error is not None]
        if broken:
            lines = [f"{s.path.name}: {str(s.error).splitlines()[0]}" for s in broken]
            self.problems.setText("Some packs could not be loaded:\n" + "\n".join(lines))
        self.problems.setVisible(bool(broken))
        self._pack_changed()

    def set_stats(self, stats: dict[str, QuestionStats]) -> None:
        self._stats = stats
        self._fill_table()

    def set_schedule(self, picks: list[Pick]) -> None:
        """The weakest-first order (app.core.review.scheduler.Pick), with why each question is where it is."""
        self._schedule = picks
        if self.mode is Mode.WEAKEST:
            self._fill_table()

    def set_plan(self, plan: Plan | None) -> None:
        """The interview plan of this pack (None: no plan): the date and load shown, what is due today and why."""
        self.plan = plan
        self.plan_clear.setEnabled(plan is not None)
        if plan is None:
            self.plan_text.setText(
                "No interview date set: set one and the questions are spread over the days left, "
                "each practised until it is likely to be remembered on the day."
            )
        else:
            settings = plan.settings
            when = settings.interview_date
            self.plan_date.setDate(QDate(when.year, when.month, when.day))
            self.plan_load.setValue(settings.daily_load)
            self.plan_easy.setChecked(bool(settings.easy_days & {5, 6}))
            lines = [plan.headline(), *plan.notes]
            lines += [f"• {item.question.text} — {item.reason}" for item in plan.due_today[:6]]
            if len(plan.due_today) > 6:
                lines.append(f"… and {len(plan.due_today) - 6} more (mode “{Mode.PLAN.label}”).")
            self.plan_text.setText("\n".join(lines))
        self.plan_text.show()
        if self.mode is Mode.PLAN:
            self._fill_table()

    def reason(self, question_id: str) -> str | None:
        if self.mode is Mode.PLAN and self.plan is not None:
            return next((i.reason for i in self.plan.due_today if i.question.id == question_id), None)
        return next((p.reason for p in self._schedule if p.question.id == question_id), None)

    def _short_reason(self, question_id: str) -> str:
        if self.mode is Mode.PLAN:
            return self.reason(question_id) or ""
        return next((p.short for p in self._schedule if p.question.id == question_id), "")

    # -- state ----------------------------------------------------------------------------------
    @property
    def current_pack(self) -> Pack | None:
        index = self.pack_combo.currentIndex()
        return self._packs[index] if 0 <= index < len(self._packs) else None

    @property
    def current_pack_id(self) -> str | None:
        pack_id: str | None = self.pack_combo.currentData()
        return pack_id

    @property
    def mode(self) -> Mode:
        return Mode(self.mode_combo.currentData())

    @property
    def order(self) -> Order:
        return Order.UNSEEN_FIRST if self.unseen_first.isChecked() else Order.WEAK_FIRST

    def set_order(self, value: str | None) -> None:
        self.unseen_first.setChecked(value == Order.UNSEEN_FIRST.value)

    def set_mock_count(self, count: int) -> None:
        """The remembered number of mock questions (shown clamped to this pack's size)."""
        self._mock_wanted = max(1, count)
        self._clamp_mock_count()

    def _mock_count_changed(self, value: int) -> None:
        self._mock_wanted = value
        self.mockCountChosen.emit(value)

    def _clamp_mock_count(self) -> None:
        pack = self.current_pack
        count = len(pack.questions) if pack else 1
        self.mock_count.blockSignals(True)  # a clamp is not a choice: keep the wanted number
        self.mock_count.setRange(1, max(1, count))
        self.mock_count.setValue(min(self._mock_wanted, max(1, count)))
        self.mock_count.blockSignals(False)

    def set_mode(self, value: str | None) -> None:
        index = self.mode_combo.findData(value)
        if index >= 0:
            self.mode_combo.setCurrentIndex(index)

    def questions(self) -> list[Question]:
        pack = self.current_pack
        if pack is None:
            return []
        if self.mode is Mode.WEAKEST:
            ordered = [p.question for p in self._schedule if p.question in pack.questions]
            return ordered if len(ordered) == len(pack.questions) else list(pack.questions)
        if self.mode is Mode.PLAN:
            return [item.question for item in self.plan.due_today] if self.plan is not None else []
        if self.mode in (Mode.SHUFFLED, Mode.MOCK):
            return list(pack.questions)
        return order_questions(pack, self.mode, self.category_combo.currentData())

    def _pack_changed(self) -> None:
        pack = self.current_pack
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        questions = pack.questions if pack else []
        for category in pack.categories if pack else []:
            count = sum(q.category == category for q in questions)
            self.category_combo.addItem(f"{category.capitalize()} ({count})", category)
        self.category_combo.blockSignals(False)
        self._clamp_mock_count()
        self._fill_table()

    def _mode_changed(self) -> None:
        self.category_combo.setVisible(self.mode is Mode.CATEGORY)
        self.mock_count.setVisible(self.mode is Mode.MOCK)
        self.unseen_first.setVisible(self.mode is Mode.WEAKEST)
        self.table.setColumnHidden(WHY_COLUMN, self.mode not in (Mode.WEAKEST, Mode.PLAN))
        self._fill_table()

    def _fill_table(self) -> None:
        questions = self.questions()
        self.table.setRowCount(len(questions))
        for row, question in enumerate(questions):
            stats = self._stats.get(question.id)
            values = (
                str(row + 1),
                question.text,
                (question.category or "").capitalize(),
                format_seconds(question.answer_seconds),
                str(stats.attempts) if stats else "0",
                f"{stats.last_coverage:.0%}" if stats and stats.last_coverage is not None else "-",
                format_seconds(stats.last_duration_s) if stats and stats.last_duration_s is not None else "-",
                self._short_reason(question.id),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 1:
                    item.setToolTip(value)
                if column == WHY_COLUMN:
                    item.setToolTip(self.reason(question.id) or "")
                if column in (0, 3, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        practised = sum(1 for q in questions if q.id in self._stats)
        self.summary.setText(
            f"{len(questions)} questions, {practised} practised" if questions else "No questions to show"
        )
        self.start_button.setEnabled(bool(questions))
        if questions and not self.table.selectedItems():
            self.table.selectRow(0)

    def selected_question(self) -> Question | None:
        """The highlighted question (an import or a typed answer is for it)."""
        questions = self.questions()
        row = self.table.currentRow()
        return questions[row] if 0 <= row < len(questions) else (questions[0] if questions else None)

    def _start_current(self) -> None:
        row = self.table.currentRow()
        self._start(row if row >= 0 else None)

    def _start(self, row: int | None) -> None:
        pack = self.current_pack
        if pack is None:
            return
        if self.mode is Mode.MOCK:
            # A mock interview: a random selection, asked in a row (feedback only at the end).
            questions = order_questions(pack, Mode.MOCK)[: self.mock_count.value()]
            self.startRequested.emit(pack, questions, 0, self.mode.value)
            return
        questions = (
            self.questions()
            if self.mode in (Mode.WEAKEST, Mode.PLAN)
            else order_questions(pack, self.mode, self.category_combo.currentData())
        )
        if not questions:
            return
        if row is None:
            selected = self.table.selectionModel().selectedRows()
            row = selected[0].row() if selected and self.mode is not Mode.SHUFFLED else 0
        if self.mode is Mode.SHUFFLED and row:
            chosen = self.questions()[row]
            questions.remove(chosen)
            questions.insert(0, chosen)
            row = 0
        self.startRequested.emit(pack, questions, row, self.mode.value)
