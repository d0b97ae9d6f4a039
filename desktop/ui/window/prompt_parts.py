"""The pieces of the prompt panel: what it says it was asked, the prompt box
itself, the "starting from a task's end" strip and the per-task mode choice."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QPlainTextEdit, QToolButton, QWidget

from desktop.domain import PermissionMode
from desktop.ui.look import formatting, icons, modes
from desktop.ui.look.widgets import ElidedLabel, icon_label, repolish


@dataclass(frozen=True)
class PromptSubmitted:
    text: str
    start_from: str | None = None  # a task id: the new task starts from that task's end state
    permission_mode: PermissionMode | None = None  # None: the workspace's (or the followed task's)


@dataclass(frozen=True)
class StartingPoint:
    """The finished task whose end state the next Run starts from."""

    task_id: str
    workspace_id: str
    prompt: str


class StartFromStrip(QFrame):
    """"Starting from the end of task …", and a way back to a plain Run.

    Signals:
        cancelled(): the person left the mode.
    """

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("tone", "info")
        self.text = ElidedLabel("", "Title")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QToolButton(objectName="Flat")
        self.cancel_button.setIcon(icons.icon("close", "muted"))
        self.cancel_button.setText("Start from the folder instead")
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.cancel_button.setToolTip("Start from the workspace's folder instead: Run works as usual again")
        self.cancel_button.setAccessibleName("Cancel starting from this task")
        self.cancel_button.clicked.connect(self.cancelled)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        row.setSpacing(8)
        row.addWidget(icon_label(icons.icon("play", "info"), 16))
        row.addWidget(self.text, 1)
        row.addWidget(self.cancel_button)
        repolish(self)

    def show_point(self, point: StartingPoint) -> None:
        self.text.setText(f"Starting from the end of task “{formatting.first_line(point.prompt, 120)}”")
        self.show()


class PromptEdit(QPlainTextEdit):
    """Multi-line; Ctrl+Enter runs (or sends), Ctrl+Shift+Enter follows up, Enter is a new line.

    Signals:
        run_pressed(): Ctrl+Enter.
        follow_up_pressed(): Ctrl+Shift+Enter.
    """

    run_pressed = Signal()
    follow_up_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PromptEdit")
        self.setTabChangesFocus(True)  # Tab moves on to the buttons; prompts rarely need tabs
        self.setAccessibleName("Task prompt")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The window's actions normally take these as shortcuts first; this is
        # for a prompt box used on its own.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.follow_up_pressed.emit()
            else:
                self.run_pressed.emit()
            return
        super().keyPressEvent(event)


MODE_TIP = ("What the agent may do before it asks you, for the next task only. "
            "“Workspace's mode” uses the workspace's setting (a follow-up keeps its task's).")


class ModeChoice(QComboBox):
    """The next task's permission mode; "Workspace's mode" (None) unless the person picks one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ModeChoice")
        for mode, text in modes.TASK_CHOICES:
            self.addItem(text, mode.value if mode else "")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(MODE_TIP)
        self.setAccessibleName("Permission mode of the next task")

    def minimumSizeHint(self) -> QSize:
        """Room for its longest choice, whole: a narrow window takes the room from
        the lists beside it rather than cut what the next task will do (and the
        columns do not move when another choice is picked)."""
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())

    def mode(self) -> PermissionMode | None:
        return modes.mode_of(self.currentData())

    def set_mode(self, mode: PermissionMode | None) -> None:
        self.setCurrentIndex(max(0, self.findData(mode.value if mode else "")))
