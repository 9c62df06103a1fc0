"""Type an answer instead of speaking it (a library, an open-plan office): judged on the typed words."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class TypedAnswerDialog(QDialog):
    def __init__(self, question_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Type your answer")
        question = QLabel(question_text)
        question.setWordWrap(True)
        question.setObjectName("question")
        note = QLabel(
            "Write what you would say. Key points are judged on these words; a typed answer has no "
            "length, pace or filler figures, and History marks it as typed."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Your typed answer")
        self.editor.setPlaceholderText("Your answer…")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Check my answer")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self._changed()

    def _changed(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text))

    @property
    def text(self) -> str:
        return self.editor.toPlainText().strip()
