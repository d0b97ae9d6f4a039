"""The selected workspace's name, source and container state, above its tasks,
with a menu of what the sidebar's right-click offers (and "Open folder")."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QVBoxLayout, QWidget

from desktop.domain.workspace import SourceKind
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.bridge.viewdata import ContainerState, WorkspaceItem
from desktop.ui.look import icons
from desktop.ui.look.widgets import Chip, ElidedLabel
from desktop.ui.window.workspace_list import where_text

CONTAINER_TONES = {
    ContainerState.RUNNING: "success",
    ContainerState.STOPPED: "neutral",
    ContainerState.NOT_CREATED: "neutral",
    ContainerState.UNKNOWN: "neutral",
}
# Said of the container, so that next to the task list it never reads as a task running.
CONTAINER_LABELS = {
    ContainerState.RUNNING: "Container on",
    ContainerState.STOPPED: "Container off",
    ContainerState.NOT_CREATED: "No container yet",
}

NAME_ROOM = 80  # of the workspace's name, before the container chip gives way


def open_folder(path: str) -> bool:
    """The user's folder in their file manager (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))


class WorkspaceHeader(QWidget):
    """Signals:
        details_toggled(bool): show or hide the workspace panel.
        rename_requested(WorkspaceRef), edit_requested(WorkspaceRef),
        remove_requested(WorkspaceRef): from the header's menu, as from the sidebar's.
        move_requested(WorkspaceRef): "Move to engine…" from the header's menu.
    """

    details_toggled = Signal(bool)
    rename_requested = Signal(object)
    edit_requested = Signal(object)
    remove_requested = Signal(object)
    move_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.name = ElidedLabel("", "Title")
        self.source = ElidedLabel("", "Muted")
        self.container = Chip()
        self.container.setMinimumWidth(1)  # it gives way in a narrow column (see _fit), the name does not
        self.container.hide()  # until a workspace's container is known
        self.details = QToolButton(objectName="Flat")
        self.details.setIcon(icons.icon("box", "muted"))
        self.details.setCheckable(True)
        self.details.setToolTip("Workspace details: container, limits and live usage (Ctrl+I)")
        self.details.setAccessibleName("Workspace details")
        self.details.toggled.connect(self.details_toggled)
        self._item: WorkspaceItem | None = None
        self._known = False  # the container's state is known
        self._busy: frozenset[str] = frozenset()  # workspaces whose container an action works on
        self.menu = QMenu(self)
        self.menu.setToolTipsVisible(True)  # a disabled item says why
        self.rename_action = self.menu.addAction("Rename…", lambda: self._emit(self.rename_requested))
        self.edit_action = self.menu.addAction(icons.icon("settings"), "Limits and image…",
                                               lambda: self._emit(self.edit_requested))
        self.move_action = self.menu.addAction(icons.icon("box"), "Move to engine…",
                                               lambda: self._emit(self.move_requested))
        self.open_action = self.menu.addAction(icons.icon("folder"), "Open folder", self._open_folder)
        self.menu.addSeparator()
        self.remove_action = QAction(icons.icon("trash", "danger"), "Remove workspace…", self.menu)
        self.remove_action.triggered.connect(lambda: self._emit(self.remove_requested))
        self.menu.addAction(self.remove_action)
        self.more = QToolButton(objectName="Flat")
        self.more.setIcon(icons.icon("more", "muted"))
        self.more.setMenu(self.menu)
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setToolTip("Workspace: rename, limits, open folder, remove")
        self.more.setAccessibleName("Workspace menu")
        self.more.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.more.setEnabled(False)  # until a workspace is shown
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name, 1)
        top.addWidget(self.container)
        top.addWidget(self.details)
        top.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.source)

    def show_item(self, item: WorkspaceItem | None) -> None:
        self._item = item
        self.more.setEnabled(item is not None)
        if item is None:
            self.name.setText("No workspace")
            self.source.setText("")
            self.container.hide()
            self.details.setEnabled(False)
            return
        folder = item.workspace.source_kind is SourceKind.FOLDER
        self.open_action.setVisible(folder)  # a clone lives in the app's data: nothing of the user's to open
        self.open_action.setToolTip(item.workspace.source_path if folder else "")
        ws = item.workspace
        self.name.setText(ws.name)
        self.source.setText(where_text(ws))
        self.source.setToolTip(ws.git_url or ws.source_path)
        known = item.container is not ContainerState.UNKNOWN
        self._known = known
        self.container.setVisible(known)
        if known:
            self.container.show_state(CONTAINER_LABELS.get(item.container, item.container.value),
                                      CONTAINER_TONES[item.container])
            self.container.setToolTip(f"The workspace's container is {item.container.value}")
        self.details.setEnabled(True)
        self._sync_busy()
        self._fit()

    def set_container_busy(self, workspace_ids: Iterable[str]) -> None:
        """While an action works on its container, new limits (which remake the
        container) and removal wait: their menu items are off, saying why."""
        self._busy = frozenset(workspace_ids)
        self._sync_busy()

    def _sync_busy(self) -> None:
        busy = self._item is not None and self._item.workspace.id in self._busy
        why = "Wait until the container action under way ends" if busy else ""
        for action in (self.edit_action, self.move_action, self.remove_action):
            action.setEnabled(not busy)
            action.setToolTip(why)

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - QResizeEvent
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The container chip shows when there is room for it and for some of the name."""
        if self._item is None:
            return
        margins = self.layout().contentsMargins()
        need = NAME_ROOM + self.container.sizeHint().width() + self.details.sizeHint().width() \
            + self.more.sizeHint().width() + 3 * 8 + margins.left() + margins.right()
        self.container.setVisible(self._known and self.width() >= need)

    def _emit(self, signal: Signal) -> None:
        if self._item is not None:
            signal.emit(WorkspaceRef(self._item.workspace.id))

    def _open_folder(self) -> None:
        if self._item is not None and self._item.workspace.source_kind is SourceKind.FOLDER:
            open_folder(self._item.workspace.source_path)
