"""The reason a field's value cannot be used, shown under the field as the
person types (not only as a greyed-out button's tooltip)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget


class FieldError(QLabel):
    """Red, word-wrapped plain text (it may quote what was typed); hidden while there is no problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorText")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_problem(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def with_error(field: QWidget | None = None, *more: QWidget) -> tuple[QWidget, FieldError]:
    """A column of ``field`` (and ``more``) with its error line under it, for a form's row."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    error = FieldError()
    for widget in (field, error, *more):
        if widget is not None:
            column.addWidget(widget)
    return box, error
