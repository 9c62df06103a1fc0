"""Pack and question choosers, as History and Progress both filter by them.

One widget so the two pages cannot drift apart: "All packs" / "All questions" first, the question
list follows the pack (disabled for all packs), each question's full text on hover, and a
selection that survives a new list of packs where it still exists.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.core.packs import Pack


class PackQuestionFilter(QWidget):
    packChanged = Signal()  # by the person; the question list has been refilled already
    questionChanged = Signal()  # by the person

    def __init__(
        self,
        pack_name: str = "Pack",
        question_name: str = "Question",
        question_stretch: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.packs: list[Pack] = []
        self.pack_combo = QComboBox()
        self.pack_combo.setAccessibleName(pack_name)
        self.pack_combo.setMinimumContentsLength(14)
        self.pack_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.question_combo = QComboBox()
        self.question_combo.setAccessibleName(question_name)
        self.question_combo.setMinimumContentsLength(20)
        self.question_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for caption, combo in (("Pack:", self.pack_combo), ("Question:", self.question_combo)):
            label = QLabel(caption)
            label.setBuddy(combo)
            layout.addWidget(label)
            layout.addWidget(combo, question_stretch if combo is self.question_combo else 0)
        self.pack_combo.currentIndexChanged.connect(self._pack_changed)
        self.question_combo.currentIndexChanged.connect(lambda _i: self.questionChanged.emit())
        self.set_packs([])

    @property
    def pack_id(self) -> str | None:
        pack_id: str | None = self.pack_combo.currentData()
        return pack_id

    @property
    def question_id(self) -> str | None:
        question_id: str | None = self.question_combo.currentData()
        return question_id

    def pack(self) -> Pack | None:
        return next((p for p in self.packs if p.id == self.pack_id), None)

    def set_packs(self, packs: list[Pack], keep_question: bool = True) -> None:
        """New packs to choose from, the chosen pack kept where it still exists (and the chosen
        question too, unless `keep_question` is False); no signal."""
        self.packs = packs
        current = self.pack_id
        self.pack_combo.blockSignals(True)
        self.pack_combo.clear()
        self.pack_combo.addItem("All packs", None)
        for pack in packs:
            self.pack_combo.addItem(pack.title, pack.id)
        self.pack_combo.setCurrentIndex(max(0, self.pack_combo.findData(current)))
        self.pack_combo.blockSignals(False)
        self._fill_questions(self.question_id if keep_question else None)

    def select(self, pack_id: str | None, question_id: str | None = None) -> None:
        """Show this pack and question (all of them where None), without a signal."""
        self.pack_combo.blockSignals(True)
        self.pack_combo.setCurrentIndex(max(0, self.pack_combo.findData(pack_id)))
        self.pack_combo.blockSignals(False)
        self._fill_questions(question_id)

    def choose_question(self, question_id: str) -> None:
        """As if the person chose this question (questionChanged follows when it changes)."""
        self.question_combo.setCurrentIndex(max(0, self.question_combo.findData(question_id)))

    def _fill_questions(self, select: str | None) -> None:
        self.question_combo.blockSignals(True)
        self.question_combo.clear()
        self.question_combo.addItem("All questions", None)
        pack = self.pack()
        for question in pack.questions if pack else []:
            self.question_combo.addItem(question.text, question.id)
            self.question_combo.setItemData(self.question_combo.count() - 1, question.text, Qt.ItemDataRole.ToolTipRole)
        self.question_combo.setCurrentIndex(max(0, self.question_combo.findData(select)))
        self.question_combo.setEnabled(pack is not None)
        self.question_combo.blockSignals(False)

    def _pack_changed(self) -> None:
        self._fill_questions(self.question_id)
        self.packChanged.emit()
