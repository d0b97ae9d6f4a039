"""The selected workspace's name, source and container state, above its tasks."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from desktop.ui.bridge.viewdata import ContainerState, WorkspaceItem
from desktop.ui.look import icons
from desktop.ui.look.widgets import Chip, ElidedLabel
from desktop.ui.window.workspace_list import source_text

CONTAINER_TONES = {
    ContainerState.RUNNING: "success",
    ContainerState.STOPPED: "neutral",
    ContainerState.NOT_CREATED: "neutral",
    ContainerState.UNKNOWN: "neutral",
}


class WorkspaceHeader(QWidget):
    """Signals:
        details_toggled(bool): show or hide the workspace panel.
    """

    details_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.name = ElidedLabel("", "Title")
        self.source = ElidedLabel("", "Muted")
        self.container = Chip()
        self.details = QToolButton(objectName="Flat")
        self.details.setIcon(icons.icon("box", "muted"))
        self.details.setCheckable(True)
        self.details.setToolTip("Workspace details: container, limits and live usage (Ctrl+I)")
        self.details.setAccessibleName("Workspace details")
        self.details.toggled.connect(self.details_toggled)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name, 1)
        top.addWidget(self.container)
        top.addWidget(self.details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.source)

    def show_item(self, item: WorkspaceItem | None) -> None:
        if item is None:
            self.name.setText("No workspace")
            self.source.setText("")
            self.container.hide()
            self.details.setEnabled(False)
            return
        ws = item.workspace
        self.name.setText(ws.name)
        self.source.setText(source_text(ws))
        self.source.setToolTip(ws.git_url or ws.source_path)
        known = item.container is not ContainerState.UNKNOWN
        self.container.setVisible(known)
        if known:
            self.container.show_state(item.container.value, CONTAINER_TONES[item.container])
            self.container.setToolTip(f"The workspace's container is {item.container.value}")
        self.details.setEnabled(True)
