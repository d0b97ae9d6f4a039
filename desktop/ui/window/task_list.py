"""A workspace's tasks, newest first: state, prompt, duration and cost (and
how many requests its agent was refused); a finished task's context menu
compares it with another or starts a new task from its end state."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QListView,
    QMenu,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import Task, TaskEvent
from desktop.ui.bridge.egress_payloads import Refusal
from desktop.ui.bridge.payloads import TaskRef
from desktop.ui.egress import words
from desktop.ui.look import focus, formatting, icons, theme
from desktop.ui.look.widgets import EmptyState

TaskRole = Qt.ItemDataRole.UserRole + 1
NO_TASKS_HINT = ("Describe what you want done in the prompt box and press Ctrl+Enter. "
                 "Each task runs in this workspace's container; you review its changes at the end.")
AnyIndex = QModelIndex | QPersistentModelIndex


def lineage(task: Task) -> str:
    """Where a task came from, as its row's second line starts ("" for a task of its own)."""
    if not task.parent_id:
        return ""
    return "from a task's end · " if task.new_session else "follow-up · "


class TaskListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._tasks: list[Task] = []
        self.now: datetime | None = None  # fixed "now" for screenshots and tests
        self._failed: dict[str, int] = {}  # failed tools of the tasks whose events were shown
        self._blocked: dict[str, tuple[Refusal, ...]] = {}  # requests refused to the tasks looked up

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tasks)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        task = self._tasks[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return formatting.first_line(task.prompt)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = task.prompt if len(task.prompt) < 2000 else task.prompt[:2000] + "…"
            blocked = words.blocked_tip(self.blocked(task.id))
            return formatting.plain_tip(f"{tip}\n\n{blocked}" if blocked else tip)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            blocked = words.blocked_text(len(self.blocked(task.id)))
            return (f"{formatting.state_label(task, self.failed(task.id))}: {formatting.first_line(task.prompt)}, "
                    f"{lineage(task)}{formatting.task_meta(task, self.now)}{', ' + blocked if blocked else ''}")
        if role == TaskRole:
            return task
        return None

    def set_tasks(self, tasks: list[Task]) -> None:
        self.beginResetModel()
        self._tasks = sorted(tasks, key=lambda t: t.created_at, reverse=True)
        self.endResetModel()

    def upsert(self, task: Task) -> int:
        row = self.row_of(task.id)
        if row >= 0:
            self._tasks[row] = task
            self.dataChanged.emit(self.index(row), self.index(row))
            return row
        self.beginInsertRows(QModelIndex(), 0, 0)  # new tasks are the newest
        self._tasks.insert(0, task)
        self.endInsertRows()
        return 0

    def count_events(self, task_id: str, events: list[TaskEvent], replace: bool = False) -> None:
        """A task's events as they were shown: its row counts the tool results that failed."""
        failed = (0 if replace else self.failed(task_id)) + formatting.failed_tools(events)
        if failed != self.failed(task_id):
            self._failed[task_id] = failed
            row = self.row_of(task_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row), self.index(row))

    def failed(self, task_id: str) -> int:
        return self._failed.get(task_id, 0)

    def set_blocked(self, task_id: str, refusals: tuple[Refusal, ...]) -> None:
        """What a task's agent was refused, as looked up: its row says how many."""
        if refusals != self._blocked.get(task_id, ()):
            if refusals:
                self._blocked[task_id] = refusals
            else:
                self._blocked.pop(task_id, None)
            row = self.row_of(task_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row), self.index(row))

    def blocked(self, task_id: str) -> tuple[Refusal, ...]:
        return self._blocked.get(task_id, ())

    def row_of(self, task_id: str) -> int:
        return next((i for i, t in enumerate(self._tasks) if t.id == task_id), -1)

    def task(self, row: int) -> Task:
        return self._tasks[row]

    def tasks(self) -> list[Task]:
        return list(self._tasks)

    def tick(self) -> None:
        """The clock moved: every row shows a relative time ("5 min ago", a running duration)."""
        if self._tasks:
            self.dataChanged.emit(self.index(0), self.index(len(self._tasks) - 1))


class TaskDelegate(QStyledItemDelegate):
    PAD = 10

    def __init__(self, model: TaskListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(240, 2 * fm.height() + 2 * self.PAD + 4)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        task: Task = index.data(TaskRole)
        c = theme.current()
        r = option.rect.adjusted(6, 2, -6, -2)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected or option.state & QStyle.StateFlag.State_MouseOver:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(c.q("selection" if selected else "card_hover"))
            p.drawRoundedRect(r, 7, 7)
        focus.paint_ring(p, option, r)
        fm = QFontMetrics(option.font)
        top = r.y() + self.PAD - 1
        icons.task_icon(task).paint(p, QRect(r.x() + self.PAD, top + (fm.height() - 16) // 2, 16, 16))
        x = r.x() + self.PAD + 24
        w = r.right() - self.PAD - x
        if task.needs_input:  # solid, apart from the pale "review" chip of a finished task
            w -= self._badge(p, formatting.NEEDS_INPUT_LABEL.lower(), QRect(x, top, w, fm.height()), c, solid=True) + 6
        elif task.patch_state.value == "pending" and task.is_final:
            w -= self._badge(p, "review", QRect(x, top, w, fm.height()), c) + 6
        p.setPen(c.q("text"))
        p.setFont(option.font)
        p.drawText(QRect(x, top, w, fm.height()), Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(formatting.first_line(task.prompt) or "(empty prompt)", Qt.TextElideMode.ElideRight, w))
        y = top + fm.height() + 3
        small = theme.scaled_font(0.9)
        p.setFont(small)
        p.setPen(c.q("muted"))
        meta = formatting.task_meta(task, self._model.now)
        if task.parent_id:
            meta = "↳ " + lineage(task) + meta
        notes = ((formatting.failures(self._model.failed(task.id)), "danger"),
                 (words.blocked_text(len(self._model.blocked(task.id))), "warning"))
        for note, tone in notes:
            if note:  # in its tone's colour, before the rest
                note += " · "
                p.setPen(c.q(tone))
                p.drawText(QRect(x, y, w, fm.height()), Qt.AlignmentFlag.AlignVCenter, note)
                shift = QFontMetrics(small).horizontalAdvance(note)
                x, w = x + shift, w - shift
        p.setPen(c.q("muted"))
        p.drawText(QRect(x, y, w, fm.height()), Qt.AlignmentFlag.AlignVCenter,
                   QFontMetrics(small).elidedText(meta, Qt.TextElideMode.ElideRight, w))
        p.restore()

    @staticmethod
    def _badge(p: QPainter, text: str, line: QRect, c: theme.Colors, solid: bool = False) -> int:
        """A small chip at the right end of ``line`` (``solid``: filled amber); returns its width."""
        font = theme.scaled_font(0.8, QFont.Weight.DemiBold)
        fm = QFontMetrics(font)
        w = fm.horizontalAdvance(text) + 12
        chip = QRect(line.right() - w, line.y() + (line.height() - fm.height() - 2) // 2, w, fm.height() + 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.q("warning" if solid else "warning_bg"))
        p.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        p.setFont(font)
        p.setPen(c.q("base" if solid else "warning"))
        p.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return w


class TaskList(QWidget):
    """The tasks of the selected workspace, or a hint on how to start one.

    Signals:
        task_selected(TaskRef): the person picked a task.
        compare_requested(TaskRef): compare this finished task's end state with another's.
        start_from_requested(TaskRef): start a new task from this finished task's end state.
    """

    task_selected = Signal(object)
    compare_requested = Signal(object)
    start_from_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TaskColumn")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.model = TaskListModel()
        self.list = QListView(objectName="TaskList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(TaskDelegate(self.model, self.list))
        self.list.setMouseTracking(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows elide instead
        self.list.setAccessibleName("Tasks")
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.empty = EmptyState("sparkle", "No tasks yet", NO_TASKS_HINT)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)
        self._sync()

    def set_tasks(self, tasks: list[Task], select_id: str | None = None) -> None:
        self.reset_empty_text()
        self.model.set_tasks(tasks)
        self._sync()
        row = self.model.row_of(select_id) if select_id else (0 if tasks else -1)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def show_no_workspace(self) -> None:
        self.model.set_tasks([])
        self.empty.set_text("No workspace selected", "Add or pick a workspace on the left to see its tasks.")
        self._sync()

    def upsert(self, task: Task, select: bool = False) -> None:
        row = self.model.upsert(task)
        self._sync()
        if select:
            self.list.setCurrentIndex(self.model.index(row))

    def select(self, task_id: str) -> None:
        row = self.model.row_of(task_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def current_task(self) -> Task | None:
        index = self.list.currentIndex()
        return self.model.task(index.row()) if index.isValid() else None

    def _sync(self) -> None:
        has = self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.list if has else self.empty)

    def reset_empty_text(self) -> None:
        self.empty.set_text("No tasks yet", NO_TASKS_HINT)

    def finished_tasks(self, but: str | None = None) -> list[Task]:
        """The listed tasks that have ended (newest first), except ``but``."""
        return [t for t in self.model.tasks() if t.is_final and t.id != but]

    def menu_for(self, task: Task) -> QMenu:
        """A finished task's actions on its end state (empty for a task still going)."""
        menu = QMenu(self)
        if task.is_final:
            compare = menu.addAction(icons.icon("list"), "Compare with…")
            compare.setEnabled(bool(self.finished_tasks(but=task.id)))
            compare.triggered.connect(lambda: self.compare_requested.emit(TaskRef(task.id)))
            start = menu.addAction(icons.icon("play"), "New task from here…")
            start.setEnabled(task.started_at is not None)
            start.triggered.connect(lambda: self.start_from_requested.emit(TaskRef(task.id)))
        return menu

    def _context_menu(self, at: QPoint) -> None:
        index = self.list.indexAt(at)
        if not index.isValid():
            return
        menu = self.menu_for(self.model.task(index.row()))
        if not menu.isEmpty():
            menu.exec(self.list.viewport().mapToGlobal(at))
        menu.deleteLater()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.task_selected.emit(TaskRef(self.model.task(current.row()).id))
