"""The question asked before a task is cancelled: its buttons say what they do."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

RUNNING_TEXT = ("The agent stops now and the task ends. Whatever it changed so far is kept for you to review. "
                "(To have it stop and listen instead, use Stop turn.)")
QUEUED_TEXT = "It has not started yet; it will not run."


def build_box(parent: QWidget | None, running: bool) -> tuple[QMessageBox, QAbstractButton]:
    """The box, and its button that cancels."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Cancel task")
    box.setText("Cancel this task?")
    box.setInformativeText(RUNNING_TEXT if running else QUEUED_TEXT)
    cancel = box.addButton("Cancel task", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep running" if running else "Keep it queued", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Enter on a box that popped up must not end the work
    box.setEscapeButton(keep)
    return box, cancel


def ask_cancel(parent: QWidget | None, running: bool) -> bool:
    box, cancel = build_box(parent, running)
    box.exec()
    return box.clickedButton() is cancel
