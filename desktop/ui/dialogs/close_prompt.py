"""The question asked when the window closes while tasks run."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QMessageBox, QWidget


class CloseChoice(enum.Enum):
    QUIT = "quit"  # nothing runs: just quit
    KEEP_IN_TRAY = "keep"  # hide the window; tasks go on
    STOP_AND_QUIT = "stop"  # cancel the running tasks, then quit
    CANCEL = "cancel"  # changed their mind


def build_box(parent: QWidget | None, running: int, tray: bool) -> tuple[QMessageBox, dict[object, CloseChoice]]:
    tasks = f"{running} task{'s are' if running != 1 else ' is'} still running"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Tasks are running")
    box.setText(f"{tasks}.")
    if tray:
        box.setInformativeText("Keep them running in the background (the tray icon brings the window back), "
                               "or stop them and quit.")
    else:
        box.setInformativeText("Stop them and quit, or go back to the window.")
    choices: dict[object, CloseChoice] = {}
    if tray:
        keep = box.addButton("Keep Running in Tray", QMessageBox.ButtonRole.AcceptRole)
        choices[keep] = CloseChoice.KEEP_IN_TRAY
        box.setDefaultButton(keep)
    stop = box.addButton("Stop Tasks and Quit", QMessageBox.ButtonRole.DestructiveRole)
    choices[stop] = CloseChoice.STOP_AND_QUIT
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    choices[cancel] = CloseChoice.CANCEL
    box.setEscapeButton(cancel)
    if not tray:
        box.setDefaultButton(cancel)
    return box, choices


def ask_close(parent: QWidget | None, running: int, tray: bool) -> CloseChoice:
    box, choices = build_box(parent, running, tray)
    box.exec()
    return choices.get(box.clickedButton(), CloseChoice.CANCEL)
