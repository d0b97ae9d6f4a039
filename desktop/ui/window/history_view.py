"""History: every past task, searchable by text and filterable by state and workspace;
opening one shows its transcript and, for a finished task with a change, its
Changes to review, apply, discard or undo, as in the main window
(``desktop.ui.bridge.history_review`` wires them)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import PermissionMode, Task, TaskEvent, TaskState, Workspace
from desktop.domain.review import ChangeSet
from desktop.domain.task import PatchState
from desktop.ui.bridge.payloads import HistoryQuery, TaskRef
from desktop.ui.look import formatting, icons
from desktop.ui.look.widgets import EmptyState
from desktop.ui.transcript import TranscriptView
from desktop.ui.window.review_panel import ReviewPanel
from desktop.ui.window.task_header import TaskHeader
from desktop.ui.window.task_pages import TaskPages
from desktop.ui.window.view_switch import Page

COLUMNS = ["State", "Changes", "Prompt", "Workspace", "Started", "Duration", "Cost"]
PROMPT = COLUMNS.index("Prompt")
# What became of a task's change: the same words as the review panel's chip.
PATCH_LABELS = {PatchState.PENDING: "To review", PatchState.APPLIED: "Applied", PatchState.DISCARDED: "Discarded"}
SEARCH_DELAY_MS = 250  # type a word, not a query per key
AnyIndex = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._tasks: list[Task] = []
        self._names: dict[str, str] = {}
        self.now: datetime | None = None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        task = self._tasks[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                formatting.shown_label(task),
                PATCH_LABELS.get(task.patch_state, "") if task.is_final else "",
                formatting.first_line(task.prompt),
                self._names.get(task.workspace_id, task.workspace_id),
                formatting.when(task.started_at or task.created_at, self.now),
                formatting.task_duration(task, self.now),
                formatting.cost(task.cost_usd),
            ][col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return icons.task_icon(task)
        if role == Qt.ItemDataRole.ToolTipRole and col == PROMPT:
            return task.prompt[:2000]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def set_tasks(self, tasks: list[Task], names: dict[str, str]) -> None:
        self.beginResetModel()
        self._tasks = sorted(tasks, key=lambda t: t.created_at, reverse=True)
        self._names = names
        self.endResetModel()

    def task(self, row: int) -> Task:
        return self._tasks[row]

    def update(self, task: Task, query: HistoryQuery) -> None:
        """A listed task changed (it ended, or it waits on its user): its row
        again, or none once the filters hide it (a "Running" filter and the task ended)."""
        row = next((i for i, t in enumerate(self._tasks) if t.id == task.id), -1)
        if row < 0:
            return
        if not _passes(task, query):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._tasks[row]
            self.endRemoveRows()
            return
        self._tasks[row] = task
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


def _passes(task: Task, query: HistoryQuery) -> bool:
    """The filters a task's change can move it out of; the text search is the store's,
    and a task's prompt does not change."""
    if query.states and task.state.value not in query.states:
        return False
    return query.workspace_id is None or task.workspace_id == query.workspace_id


class HistoryView(QWidget):
    """Signals:
        query_changed(HistoryQuery): the search text or a filter changed.
        task_opened(TaskRef): a task was selected; its transcript is wanted.
    """

    query_changed = Signal(object)
    task_opened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History — AICode Manager")
        self.setWindowIcon(icons.app_icon())
        self.resize(1100, 700)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search prompts and results")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("search", "muted"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName("Search tasks")
        self.state = QComboBox()
        self.state.addItem("All states", "")
        for state in TaskState:
            self.state.addItem(icons.state_icon(state), formatting.STATE_LABELS[state], state.value)
        self.state.setAccessibleName("Filter by state")
        self.workspace = QComboBox()
        self.workspace.addItem("All workspaces", "")
        self.workspace.setAccessibleName("Filter by workspace")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.state)
        bar.addWidget(self.workspace)

        self.model = HistoryModel()
        self.table = QTreeView(objectName="HistoryTable")
        self.table.setModel(self.model)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Past tasks")
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        header = self.table.header()
        header.setStretchLastSection(False)
        for column in range(len(COLUMNS)):  # the prompt takes the room the others leave
            header.setSectionResizeMode(column, header.ResizeMode.Stretch if column == PROMPT
                                        else header.ResizeMode.ResizeToContents)
        self.empty = EmptyState("history", "No tasks yet", "Tasks you run appear here, with their transcripts.")
        self.results = QStackedWidget()
        self.results.addWidget(self.table)
        self.results.addWidget(self.empty)

        self.header = TaskHeader()
        self.transcript = TranscriptView()
        self.transcript.set_placeholder("Select a task to read its transcript.")
        self.review = ReviewPanel()
        self.pages = TaskPages(self.transcript, self.review, self.header.switch)
        self.pages.reset()
        detail = QWidget()
        d = QVBoxLayout(detail)
        d.setContentsMargins(0, 0, 0, 0)
        d.setSpacing(0)
        d.addWidget(self.header)
        d.addWidget(self.pages, 1)
        split = self.split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results)
        split.addWidget(detail)
        split.setSizes([500, 600])
        split.setStretchFactor(0, 2)  # a wider window widens the transcript or the diff more than the list
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self.header.switch.changes_button.clicked.connect(self._room_for_changes)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self._shown: str | None = None
        self._names: dict[str, str] = {}
        self._modes: dict[str, PermissionMode] = {}
        self.header.workspace_mode = self._modes.get  # a task without a mode of its own has its workspace's
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS, timeout=self._emit_query)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.state.currentIndexChanged.connect(lambda _i: self._emit_query())
        self.workspace.currentIndexChanged.connect(lambda _i: self._emit_query())
        closing = [QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W"),
                   *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)]
        for keys in dict.fromkeys(closing):  # each once: a key bound twice is ambiguous and does nothing
            QShortcut(keys, self, self.close)
        QShortcut(QKeySequence("Ctrl+3"), self, lambda: self.pages.show_page(Page.TRANSCRIPT, chosen=True))
        QShortcut(QKeySequence("Ctrl+4"), self, self._show_changes_page)
        QWidget.setTabOrder(self.search, self.state)
        QWidget.setTabOrder(self.state, self.workspace)
        QWidget.setTabOrder(self.workspace, self.table)
        QWidget.setTabOrder(self.table, self.transcript)

    def query(self) -> HistoryQuery:
        state = self.state.currentData()
        return HistoryQuery(self.search.text().strip(), (state,) if state else (), self.workspace.currentData() or None)

    def set_workspaces(self, workspaces: list[Workspace]) -> None:
        current = self.workspace.currentData()
        self.workspace.blockSignals(True)
        self.workspace.clear()
        self.workspace.addItem("All workspaces", "")
        for ws in workspaces:
            self.workspace.addItem(ws.name, ws.id)
        self.workspace.setCurrentIndex(max(0, self.workspace.findData(current)))
        self.workspace.blockSignals(False)
        self._names = {ws.id: ws.name for ws in workspaces}
        self._modes.clear()
        self._modes.update({ws.id: ws.permission_mode for ws in workspaces})

    def show_results(self, tasks: list[Task]) -> None:
        self.model.set_tasks(tasks, self._names)
        filtered = bool(self.query().text or self.query().states or self.query().workspace_id)
        if not tasks:
            self.empty.set_text("No tasks match" if filtered else "No tasks yet",
                                "Try other words or clear the filters." if filtered
                                else "Tasks you run appear here, with their transcripts.")
        self.results.setCurrentWidget(self.table if tasks else self.empty)
        row = self._row_of(self._shown)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def show_events(self, task_id: str, events: list[TaskEvent], replace: bool = False) -> None:
        if task_id != self._shown:
            return
        if replace:
            self.transcript.set_events(events)
        else:
            self.transcript.append_events(events)
        self.header.count_events(events, replace)

    @property
    def shown_task(self) -> Task | None:
        """The task whose transcript (and change) the detail shows."""
        task = self.header.task
        return task if task is not None and task.id == self._shown else None

    def show_changes(self, task_id: str, changes: ChangeSet, state: PatchState, can_commit: bool = False) -> None:
        """The shown task's change, to review as in the main window (another task's is not shown)."""
        if task_id != self._shown:
            return
        self.review.show_changes(task_id, changes, state, can_commit)
        self.pages.changes_shown(len(changes.files) if changes.files else None)

    def show_task_update(self, task: Task) -> None:
        selection = self.table.selectionModel()
        # A removed current row would make Qt select its neighbour, and open it:
        # the transcript being read stays, with no row selected.
        selection.blockSignals(True)
        self.model.update(task, self.query())
        if task.id == self._shown and self._row_of(task.id) < 0:
            selection.clear()
        selection.blockSignals(False)
        if not self.model.rowCount():
            self.show_results([])
        if task.id == self._shown:
            self.header.show_task(task)

    def _show_changes_page(self) -> None:
        self.pages.show_page(Page.CHANGES, chosen=True)
        self._room_for_changes()

    def _room_for_changes(self) -> None:
        """A diff needs its files and its lines side by side: the list gives way to two thirds."""
        if self.pages.page is not Page.CHANGES:
            return
        total = sum(self.split.sizes())
        if self.split.sizes()[1] < total * 0.6:
            self.split.setSizes([total // 3, total - total // 3])

    def _row_of(self, task_id: str | None) -> int:
        return next((i for i in range(self.model.rowCount()) if self.model.task(i).id == task_id), -1)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        task = self.model.task(current.row())
        if task.id == self._shown:
            return
        self._shown = task.id
        self.header.show_task(task)
        self.review.clear()
        self.pages.reset()
        self.transcript.clear()
        self.transcript.set_placeholder("Loading the transcript…")
        self.task_opened.emit(TaskRef(task.id))

    def _emit_query(self) -> None:
        self._debounce.stop()
        self.query_changed.emit(self.query())
