"""A workspace's details, in two tabs: its container (state, image and limits,
live usage, Start/Stop/Recreate, a terminal in it) and its egress (``desktop.ui.egress``)."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from desktop.domain import EgressMode, Workspace
from desktop.ui.bridge.container_payloads import ContainerAction, ContainerActionEnded, DiskUsageLoaded
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.bridge.viewdata import ContainerInfo, ContainerState
from desktop.ui.egress import words
from desktop.ui.egress.section import EgressSection
from desktop.ui.look import icons
from desktop.ui.look.modes import WORKSPACE_CHOICES
from desktop.ui.look.widgets import Chip, button, label, section_title
from desktop.ui.terminal.requests import TerminalRequested
from desktop.ui.window.container_lines import ActionLine, DiskLine, TallPage
from desktop.ui.window.workspace_header import CONTAINER_TONES

SAMPLES = 120
EGRESS = "Egress"

EXCLUDED_TIP = ("Paths of the folder that never travel into the container, and that git there leaves out of "
                "the agent's change: a name at any depth (node_modules, *.log) or a path from the top "
                "(data/raw). Change them in Limits and image… or with aicode workspace set --exclude/--include.")

def _corner_button(text: str, icon_name: str) -> QToolButton:
    widget = QToolButton(text=text, icon=icons.icon(icon_name, "text"), autoRaise=True)
    widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return widget


class WorkspacePanel(QWidget):
    """Signals:
        start_requested(WorkspaceRef), stop_requested(WorkspaceRef),
        recreate_requested(WorkspaceRef): the container buttons.
        disk_requested(WorkspaceRef): measure the workspace's volumes (when the panel
            opens or shows another workspace, and on Refresh).
        terminal_requested(TerminalRequested): Terminal or Claude here.
    The Egress tab's signals are its section's (``egress``).

    While an action runs on a workspace's container its buttons are off and a
    busy line says what happens; its result stays under them until the next.
    """

    start_requested = Signal(object)
    stop_requested = Signal(object)
    recreate_requested = Signal(object)
    disk_requested = Signal(object)
    terminal_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace: Workspace | None = None
        self._samples: deque[tuple[float, int, int]] = deque(maxlen=SAMPLES)
        self._charts = None  # ResourceCharts, built on first show
        self._info = ContainerInfo("", ContainerState.UNKNOWN)
        self._busy: dict[str, ContainerAction] = {}  # by workspace: the action under way
        self._results: dict[str, ContainerActionEnded] = {}  # by workspace: how its last action ended
        self._measuring: set[str] = set()  # workspaces whose volumes are being counted
        self.state = Chip("unknown")
        self.detail = label("", "Muted", wrap=True)
        self.image = QLabel()
        self.cli = QLabel()
        self.limits = QLabel()
        self.egress_mode = QLabel()
        self.permissions = QLabel()
        self.excluded = label("", wrap=True)  # what of the folder never travels
        self.excluded.setToolTip(EXCLUDED_TIP)
        self.excluded.setTextFormat(Qt.TextFormat.PlainText)
        self.disk_line = DiskLine()
        self.disk_line.refresh_clicked.connect(self._request_disk)
        self.disk, self.disk_refresh = self.disk_line.text, self.disk_line.refresh
        for value in (self.image, self.cli, self.limits, self.egress_mode, self.permissions, self.excluded):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = button("Start", "Secondary", "power")
        self.stop_button = button("Stop", "Secondary", "stop")
        self.recreate_button = button("Recreate", "Secondary", "refresh")
        self.recreate_button.setToolTip("Remove the container and make a new one from the image "
                                        "(after changing limits or rebuilding the image)")
        self.start_button.clicked.connect(lambda: self._emit(self.start_requested))
        self.stop_button.clicked.connect(lambda: self._emit(self.stop_requested))
        self.recreate_button.clicked.connect(lambda: self._emit(self.recreate_requested))
        self.terminal_button = _corner_button("Terminal", "terminal")
        self.terminal_button.setToolTip("A shell in the workspace's container, in the agent's working copy")
        self.claude_button = _corner_button("Claude here", "sparkle")
        self.claude_button.setToolTip("The interactive claude in the workspace's container, to work with it by hand")
        self.terminal_button.clicked.connect(lambda: self._terminal(claude=False))
        self.claude_button.clicked.connect(lambda: self._terminal(claude=True))

        head = QHBoxLayout()
        head.addWidget(section_title("Container"))
        head.addStretch(1)
        head.addWidget(self.state)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.addRow(label("Image", "Muted"), self.image)
        form.addRow(label("Claude Code", "Muted"), self.cli)
        form.addRow(label("Limits", "Muted"), self.limits)
        form.addRow(label("Egress", "Muted"), self.egress_mode)
        form.addRow(label("Permissions", "Muted"), self.permissions)
        form.addRow(label("Not copied", "Muted"), self.excluded)
        form.addRow(label("Disk", "Muted"), self.disk_line)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.recreate_button)
        buttons.addStretch(1)
        self.action_line = ActionLine()
        self.busy, self.action_text = self.action_line.busy, self.action_line.text
        container = QWidget()
        self._layout = QVBoxLayout(container)
        self._layout.setContentsMargins(14, 6, 14, 6)  # under the tab bar, which has room of its own
        self._layout.setSpacing(10)
        self._layout.addLayout(head)
        self._layout.addWidget(self.detail)
        self._layout.addLayout(form)
        self._layout.addLayout(buttons)
        self._layout.addWidget(self.action_line)
        self._layout.addSpacing(6)
        self._layout.addWidget(section_title("Live usage"))
        self.no_stats = label("Usage appears here while the container runs.", "Muted", wrap=True)
        self._layout.addWidget(self.no_stats)
        self._layout.addStretch(1)
        self.egress = EgressSection()
        self.tabs = QTabWidget(objectName="PanelTabs")
        self.tabs.setDocumentMode(True)
        # In a short window the page scrolls rather than push the window taller.
        self.container_page = TallPage(container)
        self.tabs.addTab(self.container_page, "Container")
        self.tabs.addTab(self.egress, EGRESS)
        # Beside the tabs, where they cost no height in a small window.
        corner = QWidget()
        corner_row = QHBoxLayout(corner)
        corner_row.setContentsMargins(0, 0, 6, 0)
        corner_row.setSpacing(2)
        corner_row.addWidget(self.terminal_button)
        corner_row.addWidget(self.claude_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.show_container(ContainerInfo("", ContainerState.UNKNOWN))

    def show_workspace(self, ws: Workspace | None) -> None:
        """The selected workspace; ``None`` when there is none (it was removed):
        then the panel is empty and its buttons are off."""
        if ws is None or self._workspace is None or ws.id != self._workspace.id:
            self._samples.clear()
            if self._charts is not None:
                self._charts.show_samples([], ws.cpus if ws else 1.0)
            self._workspace = None  # until its container is known, nothing to start or stop
            self.show_container(ContainerInfo("", ContainerState.UNKNOWN))
        changed = ws is not None and (self._workspace is None or ws.id != self._workspace.id)
        self._workspace = ws
        self._sync_action()
        if changed:
            self.disk_line.show_unknown(ws.id in self._measuring)
            if self.isVisible():
                self._request_disk()
        self.setEnabled(ws is not None)
        self.egress.show_workspace(ws)
        if ws is None:
            self.show_blocked(0)
            for value in (self.image, self.cli, self.limits, self.egress_mode, self.permissions, self.excluded):
                value.setText("–")
            return
        self.image.setText(ws.image)
        self.limits.setText(f"{ws.cpus:g} CPUs · {ws.memory} memory")
        mode = words.mode_of(ws.egress)
        way_out = f"{words.SHORT[mode]} ({ws.network.value})" if mode is EgressMode.OPEN else words.SHORT[mode]
        self.egress_mode.setText(way_out)
        self.egress_mode.setToolTip(words.HINTS[mode])
        self.permissions.setText(dict(WORKSPACE_CHOICES).get(ws.permission_mode, ws.permission_mode.value))
        self.excluded.setText(", ".join(ws.excluded) or "Nothing: the whole folder travels")

    def show_blocked(self, count: int) -> None:
        """The Egress tab's title counts the refusals of the workspace's latest task."""
        index = self.tabs.indexOf(self.egress)
        self.tabs.setTabText(index, f"{EGRESS} · {words.blocked_text(count)}" if count else EGRESS)
        self.tabs.setTabIcon(index, icons.icon("shield", "warning") if count else QIcon())
        self.tabs.setTabToolTip(index, "Requests of the agent were refused during this workspace's latest task"
                                if count else "What the agent may reach, and what it was refused")

    def show_egress_tab(self) -> None:
        self.tabs.setCurrentWidget(self.egress)

    def show_container(self, info: ContainerInfo) -> None:
        if info.workspace_id and (self._workspace is None or info.workspace_id != self._workspace.id):
            return  # another workspace's, or one removed since
        self.state.show_state(info.state.value, CONTAINER_TONES[info.state])
        self.detail.setText(info.detail)
        self.detail.setVisible(bool(info.detail))
        if info.image:
            self.image.setText(info.image)
        self.cli.setText(info.cli_version or "–")
        self._info = info
        self._sync_buttons()

    def show_action(self, workspace_id: str, action: ContainerAction) -> None:
        """An action on ``workspace_id``'s container started: its buttons are off until it ends."""
        self._busy[workspace_id] = action
        self._results.pop(workspace_id, None)
        self._sync_action()

    def show_action_ended(self, ended: ContainerActionEnded) -> None:
        self._busy.pop(ended.workspace_id, None)
        self._results[ended.workspace_id] = ended
        self._sync_action()

    @property
    def container_state(self) -> ContainerState:
        return self._info.state

    @property
    def acting(self) -> ContainerAction | None:
        """The action under way on the shown workspace's container."""
        return self._busy.get(self._workspace.id) if self._workspace is not None else None

    def _sync_action(self) -> None:
        action = self.acting
        ended = self._results.get(self._workspace.id) if self._workspace is not None else None
        if action is not None:
            self.action_line.show_progress(action.progress)
        elif ended is not None:
            self.action_line.show_result(ended.message if ended.ok else f"{ended.action.title} failed: {ended.message}",
                                         ended.ok)
        else:
            self.action_line.show_nothing()
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        state, idle = self._info.state, self.acting is None
        self.start_button.setEnabled(idle and state in (ContainerState.STOPPED, ContainerState.NOT_CREATED))
        self.stop_button.setEnabled(idle and state is ContainerState.RUNNING)
        self.recreate_button.setEnabled(idle and state is not ContainerState.UNKNOWN)

    def add_sample(self, cpu_percent: float, mem_bytes: int, mem_limit: int) -> None:
        """One reading of the container's usage; drawn if the panel is shown."""
        self._samples.append((cpu_percent, mem_bytes, mem_limit))
        if self._charts is not None and self.isVisible():
            self._charts.show_samples(self._samples, self._workspace.cpus if self._workspace else 1.0)

    @property
    def charts_loaded(self) -> bool:
        return self._charts is not None

    def show_disk(self, loaded: DiskUsageLoaded) -> None:
        self._measuring.discard(loaded.workspace_id)
        if self._workspace is not None and loaded.workspace_id == self._workspace.id:
            self.disk_line.show_usage(loaded)  # not another workspace's, nor one removed since

    def _request_disk(self) -> None:
        if self._workspace is not None and self._workspace.id not in self._measuring:
            self._measuring.add(self._workspace.id)  # one count at a time: the engine allows no more
            self.disk_line.show_unknown(counting=True)  # until this count is in
            self.disk_requested.emit(WorkspaceRef(self._workspace.id))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._request_disk()
        if self._charts is None:
            from desktop.ui.window.resource_chart import ResourceCharts  # lazy: QtCharts is big

            self._charts = ResourceCharts(self)
            self.no_stats.hide()
            self._layout.insertWidget(self._layout.count() - 1, self._charts, 1)
        self._charts.show_samples(self._samples, self._workspace.cpus if self._workspace else 1.0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._charts is not None:
            self._charts.apply_theme()
        super().changeEvent(event)

    def _emit(self, signal: Signal) -> None:
        if self._workspace is not None:
            signal.emit(WorkspaceRef(self._workspace.id))

    def _terminal(self, claude: bool) -> None:
        if self._workspace is not None:
            self.terminal_requested.emit(TerminalRequested(self._workspace.id, self._workspace.name, claude))
