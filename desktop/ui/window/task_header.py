"""The selected task's title line above its transcript: state, prompt, figures,
its permission mode when it asks, a badge when its agent was refused requests,
and the switch between its transcript and its changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desktop.domain import PermissionMode, Task, TaskEvent
from desktop.ui.bridge.egress_payloads import Refusal
from desktop.ui.egress.badge import BlockedBadge
from desktop.ui.look import formatting, modes
from desktop.ui.look.widgets import Chip, ElidedLabel
from desktop.ui.window.view_switch import ViewSwitch

TITLE_ROOM = 80  # of the title, beside the chips, before the mode chip gives way


class TaskHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.chip = Chip()
        self.mode_chip = Chip()  # the task's permission mode, when it is one that asks
        self.mode_chip.setToolTip("What the agent may do before it asks you (the task's permission mode)")
        self.mode_chip.hide()
        self.mode_chip.setMinimumWidth(1)  # it gives way in a narrow window (see _fit), the state chip does not
        self.blocked = BlockedBadge()  # its clicked is the binding's to route
        self.title = ElidedLabel("", "Title")
        self.meta = ElidedLabel("", "Muted")
        self.switch = ViewSwitch()
        self.switch.set_changes(None)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.chip)
        top.addWidget(self.mode_chip)
        top.addWidget(self.title, 1)
        top.addWidget(self.blocked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 16, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        bottom = QHBoxLayout()
        bottom.setSpacing(10)
        bottom.addWidget(self.meta, 1)
        bottom.addWidget(self.switch)
        layout.addLayout(bottom)
        self._task: Task | None = None
        self.failed_tools = 0  # tool results of the shown task that were errors
        self.now: datetime | None = None
        # A task without a mode of its own has its workspace's: the owner says which that is.
        self.workspace_mode: Callable[[str], PermissionMode | None] = lambda _workspace_id: None
        self.hide()

    def show_task(self, task: Task | None) -> None:
        if task is None or self._task is None or task.id != self._task.id:
            self.failed_tools = 0  # another task: its events come next
            self.blocked.show_refusals(())  # and what it was refused, once looked up
        self._task = task
        if task is None:
            self.hide()
            return
        self.chip.show_state(formatting.state_label(task, self.failed_tools), formatting.state_tone(task))
        self.title.setText(formatting.first_line(task.prompt, 400) or "(empty prompt)")
        self.title.setToolTip(task.prompt[:2000])
        self.meta.setText(_meta(task, self.now))
        mode = modes.header_note(task.permission_mode, self.workspace_mode(task.workspace_id))
        self.mode_chip.setText(mode.capitalize())
        self._fit()
        self.show()

    def show_blocked(self, task_id: str, refusals: tuple[Refusal, ...]) -> None:
        """What the shown task's agent was refused (another task's is ignored)."""
        if self._task is not None and self._task.id == task_id:
            self.blocked.show_refusals(refusals)
            self._fit()

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - QResizeEvent
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The mode chip shows when there is room for it beside the state chip and some of the title."""
        margins = self.layout().contentsMargins()
        need = self.chip.sizeHint().width() + self.mode_chip.sizeHint().width() + TITLE_ROOM + 20 \
            + margins.left() + margins.right()
        if not self.blocked.isHidden():  # the blocked badge stays: it is news, the mode is not
            need += self.blocked.sizeHint().width() + 10
        self.mode_chip.setVisible(bool(self.mode_chip.text()) and self.width() >= need)

    @property
    def task(self) -> Task | None:
        return self._task

    def count_events(self, events: list[TaskEvent], replace: bool = False) -> None:
        """The shown task's events (all of them if ``replace``): its failed tools are counted."""
        self.failed_tools = (0 if replace else self.failed_tools) + formatting.failed_tools(events)
        self.show_task(self._task)

    def refresh(self) -> None:
        """The clock moved: the relative times again."""
        if self._task is not None:
            self.meta.setText(_meta(self._task, self.now))


def _meta(task: Task, now: datetime | None) -> str:
    parts = []
    if task.model:
        parts.append(task.model)
    if task.started_at:
        parts.append("started " + formatting.when(task.started_at, now))
    parts.append(formatting.task_duration(task, now))
    if task.input_tokens is not None:
        parts.append(f"{formatting.count(task.input_tokens)} in / {formatting.count(task.output_tokens)} out tokens")
    parts.append(formatting.cost(task.cost_usd))
    if task.error and task.state.is_final:
        parts.append(task.error)
    return "  ·  ".join(p for p in parts if p)
