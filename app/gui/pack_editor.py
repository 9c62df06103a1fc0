"""My packs: write your own questions in a form, see the YAML, and get `rehearse check`'s errors as you type.

The form and the YAML are two views of one pack. A change in the form rewrites the YAML (in the
pack format, app.core.packs.writer); a change typed into the YAML updates the form once it
reads as a valid pack. Either way the text is checked by `load_pack_text`, so the problems
listed are exactly what `rehearse check` says (file:line: field: message). Saving writes the
YAML into the user pack folder, never outside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.packs import Pack, PackIssue, PackSource
from app.core.packs.draft import draft_yaml, empty_question, question_draft
from app.core.packs.writer import write_text_atomically
from app.gui import dialogs
from app.gui.workers import JobRunner
from app.services.packs import PackService

CATEGORIES = ("general", "behavioural", "technical", "situational")
VALIDATE_DELAY_MS = 250
SYNC_LIMIT_BYTES = 64 * 1024  # larger texts are checked on the pool


class PackEditorPage(QWidget):
    packSaved = Signal(str)  # pack id
    importRequested = Signal()
    message = Signal(str)
    validated = Signal(bool)

    def __init__(self, packs: PackService, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.packs = packs
        self.runner = runner
        self.sources: list[PackSource] = []
        self.pack: Pack | None = None  # the last valid reading of the YAML
        self.issues: list[PackIssue] = []
        self.source_path: Path | None = None  # the user's file being edited, if any
        self.dirty = False
        self._pack_draft: dict[str, Any] = {}
        self._questions: list[dict[str, Any]] = []
        self._current = -1
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(lambda: self.validate(update_form=True))

        top = self._build_top_bar()
        pack_form = self._build_pack_form()
        list_buttons = self._build_question_list()
        self._build_question_fields()
        self._build_question_form()
        self._build_form_scroll(pack_form, list_buttons)
        right = self._build_yaml_side()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.form_scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.where)
        layout.addWidget(self.splitter, 1)
        self.new_pack()

    def _build_top_bar(self) -> QHBoxLayout:
        """The pack chooser and its buttons, and where the file lives."""
        title = QLabel("My packs")
        title.setObjectName("pageTitle")
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Pack to edit")
        self.chooser.setMinimumContentsLength(18)
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.activated.connect(self._chosen)
        self.new_button = QPushButton("New pack")
        self.new_button.clicked.connect(self._new_pack_clicked)
        self.import_button = QPushButton("Import…")
        self.import_button.clicked.connect(self.importRequested)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save a copy of this pack as a file, to share or keep")
        self.export_button.clicked.connect(self.export)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self.chooser, 1)
        for button in (self.new_button, self.import_button, self.export_button, self.save_button):
            top.addWidget(button)
        self.where = QLabel()
        self.where.setObjectName("muted")
        self.where.setWordWrap(True)
        return top

    def _build_pack_form(self) -> QFormLayout:
        """The pack's own fields."""
        self.pack_id = QLineEdit()
        self.pack_title = QLineEdit()
        self.pack_description = QLineEdit()
        self.pack_glossary = QLineEdit()
        self.pack_glossary.setPlaceholderText("Terms the speech recogniser should expect, separated by commas")
        pack_form = QFormLayout()
        pack_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            ("Id:", self.pack_id),
            ("Title:", self.pack_title),
            ("Description:", self.pack_description),
            ("Glossary:", self.pack_glossary),
        ):
            pack_form.addRow(label, widget)
            widget.textEdited.connect(self._form_changed)
        self.pack_id.setToolTip("Letters, digits, '-', '_' or '.'; also the file name")
        return pack_form

    def _build_question_list(self) -> QHBoxLayout:
        """The list of questions and the buttons that add, remove and move them."""
        self.question_list = QListWidget()
        self.question_list.setAccessibleName("Questions")
        self.question_list.setMaximumHeight(130)
        self.question_list.currentRowChanged.connect(self._question_selected)
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Up")
        self.down_button = QPushButton("Down")
        self.add_button.clicked.connect(self.add_question)
        self.remove_button.clicked.connect(self.remove_question)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            list_buttons.addWidget(button)
        list_buttons.addStretch(1)
        return list_buttons

    def _build_question_fields(self) -> None:
        """The fields of the question chosen in the list."""
        self.q_id = QLineEdit()
        self.q_text = QPlainTextEdit()
        self.q_text.setFixedHeight(56)
        self.q_text.setPlaceholderText("The question, as the interviewer would ask it")
        self.q_category = QComboBox()
        self.q_category.setEditable(True)
        self.q_category.addItems(["", *CATEGORIES])
        self.q_answer = QSpinBox()
        self.q_answer.setRange(5, 3600)
        self.q_answer.setSuffix(" s")
        self.q_answer.setToolTip("Target length of the answer: 60-110 % of it counts as on target")
        self.q_prep = QSpinBox()
        self.q_prep.setRange(0, 600)
        self.q_prep.setSuffix(" s")
        self.q_points = QPlainTextEdit()
        self.q_points.setFixedHeight(96)
        self.q_points.setPlaceholderText(
            "One checkable claim per line. Optional cue words after a bar, then examples "
            "(shown, never required) after a second bar:\nUses an analogy | analogy | "
            "a mail truck; a credit officer weighing evidence"
        )
        self.q_points.setToolTip(
            "claim | cue, cue | example; example\nThe judge checks the claim only: an example "
            "the answer may give belongs after the second bar, not in the claim."
        )
        self.q_reference = QPlainTextEdit()
        self.q_reference.setFixedHeight(96)
        self.q_reference.setPlaceholderText("A model answer, shown on request after answering (optional)")
        self.q_glossary = QLineEdit()
        self.q_glossary.setPlaceholderText("Extra terms for this question only, separated by commas")
        self.q_follow_ups = QPlainTextEdit()
        self.q_follow_ups.setFixedHeight(72)
        self.q_follow_ups.setAccessibleName("Follow-up questions")
        self.q_follow_ups.setPlaceholderText(
            "Asked in a mock interview when the answer missed something; one per line, "
            "then what it digs into:\nWhat was the measurable result? | 4\n"
            "What did you do yourself? | action | They describe their own steps"
        )
        self.q_follow_ups.setToolTip(
            "question | key point number or situation/task/action/result | point; point\n"
            "A follow-up about a STAR part needs the points its answer should make."
        )

    def _build_question_form(self) -> None:
        """The question's fields laid out, each edit marking the draft changed."""
        times = QHBoxLayout()
        times.addWidget(self.q_answer)
        times.addWidget(QLabel("Prep time:"))
        times.addWidget(self.q_prep)
        times.addStretch(1)
        question_form = QFormLayout()
        question_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        question_form.addRow("Id:", self.q_id)
        question_form.addRow("Question:", self.q_text)
        question_form.addRow("Category:", self.q_category)
        question_form.addRow("Target time:", times)
        question_form.addRow("Key points:", self.q_points)
        question_form.addRow("Reference answer:", self.q_reference)
        question_form.addRow("Glossary:", self.q_glossary)
        question_form.addRow("Follow-ups:", self.q_follow_ups)
        self.q_id.textEdited.connect(self._question_changed)
        self.q_glossary.textEdited.connect(self._question_changed)
        self.q_category.editTextChanged.connect(self._question_changed)
        for edit in (self.q_text, self.q_points, self.q_reference, self.q_follow_ups):
            edit.textChanged.connect(self._question_changed)
        for spin in (self.q_answer, self.q_prep):
            spin.valueChanged.connect(self._question_changed)
        self.question_box = QWidget()
        self.question_box.setLayout(question_form)

    def _build_form_scroll(self, pack_form: QFormLayout, list_buttons: QHBoxLayout) -> None:
        """The whole form (pack, then questions) in a scroll area: the left side."""
        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 8, 0)
        form_layout.addWidget(self._caption("Pack"))
        form_layout.addLayout(pack_form)
        form_layout.addWidget(self._caption("Questions"))
        form_layout.addWidget(self.question_list)
        form_layout.addLayout(list_buttons)
        form_layout.addWidget(self.question_box)
        form_layout.addStretch(1)
        self.form_scroll = QScrollArea()
        self.form_widget = form
        self.form_scroll.setWidget(form)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setMinimumWidth(330)

    def _build_yaml_side(self) -> QWidget:
        """The YAML and the problems found in it: the right side, kept in step with the form."""
        self.yaml = QPlainTextEdit()
        self.yaml.setAccessibleName("Pack YAML")
        self.yaml.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(8.5, mono.pointSizeF() - 1))
        self.yaml.setFont(mono)
        self.yaml.textChanged.connect(self._yaml_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.problems.itemClicked.connect(self._go_to_problem)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self._caption("YAML (you can edit it here too)"))
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.yaml)
        problems_box = QWidget()
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 4, 0, 0)
        problems_layout.addWidget(self.status)
        problems_layout.addWidget(self.problems, 1)
        self.right_split.addWidget(problems_box)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 1)
        self.right_split.setChildrenCollapsible(False)
        right_layout.addWidget(self.right_split, 1)
        return right

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    # -- which pack -------------------------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self.packs.folder

    def set_sources(self, sources: list[PackSource], select: Path | None = None) -> None:
        """The packs that can be opened: the user's own first (broken ones too, to fix them), then built-in ones."""
        self.sources = sorted(sources, key=lambda s: (s.builtin, s.path.name))
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItem("Choose a pack to edit…", None)
        for source in self.sources:
            if source.pack is not None:
                label = source.pack.title + (" (built-in: saving makes your own copy)" if source.builtin else "")
            else:
                label = f"{source.path.name} (has problems)"
            self.chooser.addItem(label, str(source.path))
        current = select or self.source_path
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(str(current))) if current else 0)
        self.chooser.blockSignals(False)

    def _chosen(self, index: int) -> None:
        path = self.chooser.itemData(index)
        if path is None or (self.source_path is not None and str(self.source_path) == path):
            return
        if not self._confirm_discard():
            self.set_sources(self.sources)
            return
        source = next(s for s in self.sources if str(s.path) == path)
        self.open_source(source)

    def open_source(self, source: PackSource) -> None:
        """Edit a pack file; a built-in pack is edited as a copy that will be saved in the user folder."""
        try:
            text = source.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            dialogs.warn(self, "Cannot open this pack", f"{source.path}: {exc}")
            return
        self.source_path = None if source.builtin else source.path
        self.where.setText(
            f"Built-in pack {source.path.name}: your changes are saved as your own copy in {self.folder}, which then "
            "replaces the built-in one."
            if source.builtin
            else f"Your pack file: {source.path}"
        )
        self.set_text(text)
        self.set_sources(self.sources, source.path)

    def new_pack(self) -> None:
        taken = {s.pack.id for s in self.sources if s.pack is not None}
        number = 1
        pack_id = "my-pack"
        while pack_id in taken:
            number += 1
            pack_id = f"my-pack-{number}"
        self.source_path = None
        self.where.setText(f"A new pack: it is saved in your pack folder, {self.folder}")
        self._load_form(
            {"id": pack_id, "title": "My questions", "description": "", "glossary": ""}, [empty_question(1)]
        )
        self._form_changed()
        self.dirty = False
        self.chooser.setCurrentIndex(0)

    def set_text(self, text: str) -> None:
        """Show a pack's YAML as it is (comments and all) and fill the form from it when it is valid."""
        self._loading = True
        self.yaml.setPlainText(text)
        self._loading = False
        self.validate(update_form=True)
        self.dirty = False
        if self.pack is None:
            self._load_form({"id": "", "title": "", "description": "", "glossary": ""}, [])
            self._set_form_enabled(False)

    def _new_pack_clicked(self) -> None:
        if self._confirm_discard():
            self.new_pack()

    # -- form <-> draft ------------------------------------------------------------------------------------
    def _set_form_enabled(self, enabled: bool) -> None:
        self.form_widget.setEnabled(enabled)
        self.form_scroll.setToolTip(
            "" if enabled else "Fix the problems in the YAML first; the form follows once it reads as a pack."
        )

    def _load_form(self, pack: dict[str, Any], questions: list[dict[str, Any]], current: int = 0) -> None:
        self._loading = True
        self._pack_draft = dict(pack)
        self._questions = [dict(q) for q in questions]
        self.pack_id.setText(pack["id"])
        self.pack_title.setText(pack["title"])
        self.pack_description.setText(pack.get("description", ""))
        self.pack_glossary.setText(pack.get("glossary", ""))
        self.question_list.clear()
        for q in self._questions:
            self.question_list.addItem(self._list_label(q))
        self._current = -1
        self._loading = False
        self.question_list.setCurrentRow(min(max(0, current), len(self._questions) - 1) if self._questions else -1)
        if not self._questions:
            self._question_selected(-1)
        self._set_form_enabled(True)

    def _load_form_from_pack(self, pack: Pack) -> None:
        self._load_form(
            {
                "id": pack.id,
                "title": pack.title,
                "description": pack.description or "",
                "glossary": ", ".join(pack.glossary),
            },
            [question_draft(q) for q in pack.questions],
            self._current,
        )

    @staticmethod
    def _list_label(q: dict[str, Any]) -> str:
        return q["text"].strip().splitlines()[0] if q["text"].strip() else f"({q['id'] or 'new question'})"

    def _question_selected(self, row: int) -> None:
        self._current = row
        valid = 0 <= row < len(self._questions)
        self.question_box.setEnabled(valid)
        self.remove_button.setEnabled(valid)
        self.up_button.setEnabled(valid and row > 0)
        self.down_button.setEnabled(valid and row < len(self._questions) - 1)
        q = self._questions[row] if valid else empty_question(1)
        self._loading = True
        self.q_id.setText(q["id"] if valid else "")
        self.q_text.setPlainText(q["text"] if valid else "")
        self.q_category.setEditText(q["category"] if valid else "")
        self.q_answer.setValue(q["answer_seconds"])
        self.q_prep.setValue(q["prep_seconds"])
        self.q_points.setPlainText(q["key_points"] if valid else "")
        self.q_reference.setPlainText(q["reference_answer"] if valid else "")
        self.q_glossary.setText(q["glossary"] if valid else "")
        self.q_follow_ups.setPlainText(q.get("follow_ups", "") if valid else "")
        self._loading = False

    def _question_changed(self, *_: object) -> None:
        if self._loading or not 0 <= self._current < len(self._questions):
            return
        q = self._questions[self._current]
        q.update(
            id=self.q_id.text().strip(),
            text=self.q_text.toPlainText().strip(),
            category=self.q_category.currentText().strip().lower(),
            answer_seconds=self.q_answer.value(),
            prep_seconds=self.q_prep.value(),
            key_points=self.q_points.toPlainText(),
            reference_answer=self.q_reference.toPlainText(),
            glossary=self.q_glossary.text(),
            follow_ups=self.q_follow_ups.toPlainText(),
        )
        item = self.question_list.item(self._current)
        if item is not None:
            item.setText(self._list_label(q))
        self._form_changed()

    def _form_changed(self, *_: object) -> None:
        if self._loading:
            return
        self._pack_draft.update(
            id=self.pack_id.text().strip(),
            title=self.pack_title.text().strip(),
            description=self.pack_description.text().strip(),
            glossary=self.pack_glossary.text(),
        )
        self._loading = True
        self.yaml.setPlainText(draft_yaml(self._pack_draft, self._questions))
        self._loading = False
        self.dirty = True
        self.validate(update_form=False)

    def add_question(self) -> None:
        taken = {q["id"] for q in self._questions}
        number = len(self._questions) + 1
        while f"question-{number}" in taken:
            number += 1
        self._questions.append(empty_question(number))
        self.question_list.addItem(self._list_label(self._questions[-1]))
        self.question_list.setCurrentRow(len(self._questions) - 1)
        self._form_changed()
        self.q_text.setFocus()

    def remove_question(self) -> None:
        row = self._current
        if 0 <= row < len(self._questions):
            del self._questions[row]
            self.question_list.takeItem(row)
            self._form_changed()

    def _move(self, step: int) -> None:
        row, target = self._current, self._current + step
        if 0 <= row < len(self._questions) and 0 <= target < len(self._questions):
            self._questions[row], self._questions[target] = self._questions[target], self._questions[row]
            for i in (row, target):
                self.question_list.item(i).setText(self._list_label(self._questions[i]))
            self.question_list.setCurrentRow(target)
            self._form_changed()

    # -- YAML and checking -------------------------------------------------------------------------------------
    def _yaml_changed(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self._timer.start()

    @property
    def label(self) -> str:
        """The name errors are reported under: the file the pack is (or will be) saved as."""
        if self.source_path is not None:
            return self.source_path.name
        pack_id = (self.pack.id if self.pack else self._pack_draft.get("id")) or "new-pack"
        return f"{pack_id}.yaml"

    def validate(self, update_form: bool = False) -> None:
        """Check the YAML as `rehearse check` would; big texts are checked on the pool."""
        self._timer.stop()
        text = self.yaml.toPlainText()
        label = self.label
        if len(text.encode("utf-8", "surrogatepass")) <= SYNC_LIMIT_BYTES:
            self.runner.drop("pack-check")  # a slower check of an older text must not overwrite this one
            self._checked(self.packs.check(text, label), update_form)
        else:
            self.status.setText("Checking…")
            self.runner.start(
                self.packs.check, text, label, on_done=lambda r: self._checked(r, update_form), key="pack-check"
            )

    def _checked(self, result: tuple[Pack | None, list[PackIssue]], update_form: bool) -> None:
        pack, issues = result
        self.pack, self.issues = pack, issues
        errors = [i for i in issues if i.severity == "error"]
        self.problems.clear()
        for issue in issues:
            item = QListWidgetItem(("⚠ " if issue.severity == "warning" else "✗ ") + str(issue))
            item.setData(Qt.ItemDataRole.UserRole, issue.line)
            item.setForeground(Qt.GlobalColor.darkYellow if issue.severity == "warning" else Qt.GlobalColor.darkRed)
            self.problems.addItem(item)
        if pack is not None:
            warnings = f" ({len(issues)} warning{'s' if len(issues) != 1 else ''})" if issues else ""
            self.status.setText(
                f"<span style='color:#1a7f37'>✓ A valid pack: {len(pack.questions)} "
                f"question{'s' if len(pack.questions) != 1 else ''}{warnings}.</span>"
            )
            if update_form:
                self._load_form_from_pack(pack)
        else:
            self.status.setText(
                f"<span style='color:#cf222e'>{len(errors)} problem{'s' if len(errors) != 1 else ''} "
                "to fix before saving (click one to go to its line):</span>"
            )
            if update_form:
                self._set_form_enabled(False)
        self.problems.setVisible(bool(issues))
        self.save_button.setEnabled(pack is not None)
        self.export_button.setEnabled(pack is not None)
        self.validated.emit(pack is not None)

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        line = item.data(Qt.ItemDataRole.UserRole)
        if not line:
            return
        block = self.yaml.document().findBlockByLineNumber(int(line) - 1)
        cursor = QTextCursor(block)
        self.yaml.setTextCursor(cursor)
        self.yaml.centerCursor()
        self.yaml.setFocus()

    # -- saving ----------------------------------------------------------------------------------------------------
    def _confirm_discard(self) -> bool:
        if not self.dirty:
            return True
        answer = dialogs.ask(
            self,
            "Discard changes?",
            "This pack has changes that are not saved. Discard them?",
            dialogs.Button.Discard | dialogs.Button.Cancel,
            dialogs.Button.Cancel,
        )
        return answer == dialogs.Button.Discard

    def save(self) -> None:
        self.validate(update_form=False)
        pack = self.pack
        if pack is None:
            return
        try:
            planned = self.packs.place(pack, self.source_path)
        except ValueError as exc:
            dialogs.warn(self, "Cannot save", str(exc))
            return
        if planned.replaces:
            answer = dialogs.ask(self, "Replace pack?", f"You already have a pack with id '{pack.id}'. Replace it?")
            if answer != dialogs.Button.Yes:
                return

        def done(path: Path) -> None:
            self.source_path = path
            self.dirty = False
            self.where.setText(f"Your pack file: {path}")
            self.message.emit(f"Saved '{pack.title}' ({len(pack.questions)} questions) to {path}")
            self.packSaved.emit(pack.id)

        self.runner.start(
            self.packs.save,
            self.yaml.toPlainText(),
            planned,
            self.source_path,
            on_done=done,
            on_error=lambda m: dialogs.warn(self, "Could not save", m),
        )

    def export(self) -> None:
        if self.pack is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export this pack", str(Path.home() / f"{self.pack.id}.yaml"), "Question packs (*.yaml *.yml)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        text = self.yaml.toPlainText()
        self.runner.start(
            write_text_atomically,
            text if text.endswith("\n") else text + "\n",
            path,
            on_done=lambda p: self.message.emit(f"Exported the pack to {p}"),
            on_error=lambda m: dialogs.warn(self, "Could not export", m),
        )


__all__ = ["PackEditorPage"]
