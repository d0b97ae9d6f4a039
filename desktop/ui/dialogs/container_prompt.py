"""The questions asked before a container action that loses something: Recreate
always, Stop while a task runs in the container. Their buttons say what they do."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from desktop.ui.bridge.container_payloads import ContainerAction


@dataclass(frozen=True)
class ContainerQuestion:
    title: str
    text: str
    detail: str  # what happens, in full
    confirm: str  # the button that goes ahead
    keep: str  # the one that changes nothing (the default)


def question(action: ContainerAction, workspace: str, image: str, running: int) -> ContainerQuestion | None:
    """What to ask before ``action`` on the container of ``workspace`` while
    ``running`` of its tasks run; None when nothing is lost and nothing is asked."""
    tasks = "the task running in it ends" if running == 1 else f"the {running} tasks running in it end"
    if action is ContainerAction.RECREATE:
        ended = f" {tasks[0].upper()}{tasks[1:]} as failed, with no change to review." if running else ""
        return ContainerQuestion(
            "Recreate container", f"Recreate the container of “{workspace}”?",
            f"The container is removed with every process in it, and a new one is made from {image} with the "
            f"workspace's current limits.{ended} The agent's working copy and Claude's sessions are kept, and "
            "your folder is not touched.", "Recreate", "Keep it")
    if action is ContainerAction.STOP and running:
        return ContainerQuestion(
            "Stop container", f"Stop the container of “{workspace}”?",
            f"If you stop it now, {tasks} as failed, with no change to review. To end a task and keep what it "
            "changed, cancel the task instead.", "Stop and end the task" if running == 1 else "Stop and end the tasks",
            "Keep it running")
    return None


def build_box(parent: QWidget | None, q: ContainerQuestion) -> tuple[QMessageBox, QAbstractButton]:
    """The box, and its button that goes ahead."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(q.title)
    box.setText(q.text)
    box.setInformativeText(q.detail)
    confirm = box.addButton(q.confirm, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(q.keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Enter on a box that popped up must not lose anything
    box.setEscapeButton(keep)
    return box, confirm


def ask(parent: QWidget | None, q: ContainerQuestion) -> bool:
    box, confirm = build_box(parent, q)
    box.exec()
    return box.clickedButton() is confirm
