"""The sidebar: every workspace with its source and how busy it is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QMenu,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import SourceKind, Workspace
from desktop.domain.engines import LOCAL
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.bridge.viewdata import WorkspaceItem
from desktop.ui.look import focus, formatting, icons, theme
from desktop.ui.look.widgets import EmptyState, button, section_title

ItemRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def source_text(ws: Workspace) -> str:
    """Where a workspace comes from, short: github.com/acme/web, ~/src/api."""
    home = str(Path.home())
    if ws.source_kind is SourceKind.GIT and ws.git_url:
        url = ws.git_url  # a local repository's path is shortened like a folder's
        return "~" + url[len(home):] if url.startswith(home + "/") else url.removeprefix("https://").removesuffix(".git")
    return "~" + ws.source_path[len(home):] if ws.source_path.startswith(home + "/") else ws.source_path


def where_text(ws: Workspace) -> str:
    """Its source, and the engine it lives on when that is not this machine's."""
    return source_text(ws) if ws.engine == LOCAL else f"{source_text(ws)}  ·  on {ws.engine}"


class WorkspaceListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._items: list[WorkspaceItem] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.workspace.name
        if role == Qt.ItemDataRole.ToolTipRole:
            ws = item.workspace
            engine = "this machine's engine" if ws.engine == LOCAL else f"the engine {ws.engine}"
            review = f"\n{formatting.to_review(item.review_tasks)}" if item.review_tasks else ""
            return (f"{ws.name}\n{ws.git_url or ws.source_path}\nImage {ws.image} · {ws.cpus:g} CPUs · "
                    f"{ws.memory} memory\nRuns on {engine}{review}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            review = formatting.to_review(item.review_tasks)
            return f"{item.workspace.name}, {where_text(item.workspace)}, {busy_text(item) or 'idle'}" + \
                (f", {review}" if review else "")
        if role == ItemRole:
            return item
        return None

    def set_items(self, items: list[WorkspaceItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def upsert(self, item: WorkspaceItem) -> None:
        row = self.row_of(item.workspace.id)
        if row < 0:
            self.beginInsertRows(QModelIndex(), len(self._items), len(self._items))
            self._items.append(item)
            self.endInsertRows()
        else:
            self._items[row] = item
            self.dataChanged.emit(self.index(row), self.index(row))

    def remove(self, workspace_id: str) -> None:
        row = self.row_of(workspace_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._items[row]
            self.endRemoveRows()

    def row_of(self, workspace_id: str) -> int:
        return next((i for i, it in enumerate(self._items) if it.workspace.id == workspace_id), -1)

    def item(self, row: int) -> WorkspaceItem:
        return self._items[row]


def busy_text(item: WorkspaceItem) -> str:
    if item.waiting_tasks:
        return formatting.need_you(item.waiting_tasks)
    if item.running_tasks:
        return f"{item.running_tasks} running"
    if item.queued_tasks:
        return f"{item.queued_tasks} queued"
    return ""


class WorkspaceDelegate(QStyledItemDelegate):
    PAD = 10

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, 2 * fm.height() + 2 * self.PAD + 4)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item: WorkspaceItem = index.data(ItemRole)
        c = theme.current()
        r = option.rect.adjusted(6, 2, -6, -2)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(c.q("selection" if selected else "card_hover"))
            p.drawRoundedRect(r, 7, 7)
        focus.paint_ring(p, option, r)
        fm = QFontMetrics(option.font)
        x = r.x() + self.PAD
        top = r.y() + self.PAD - 1
        busy = busy_text(item)
        chip_w = 0
        small = theme.scaled_font(0.85, option.font.Weight.DemiBold)
        if busy:
            sfm = QFontMetrics(small)
            chip_w = sfm.horizontalAdvance(busy) + 14
            chip = QRect(r.right() - self.PAD - chip_w, top + (fm.height() - sfm.height() - 2) // 2, chip_w, sfm.height() + 2)
            tone, fill = ("warning", "warning_bg") if item.waiting_tasks else \
                ("info", "info_bg") if item.running_tasks else ("muted", "card_hover")
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(c.q(fill))
            p.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
            p.setFont(small)
            p.setPen(c.q(tone))
            p.drawText(chip, Qt.AlignmentFlag.AlignCenter, busy)
        bold = theme.scaled_font(1.0, option.font.Weight.DemiBold)
        p.setFont(bold)
        p.setPen(c.q("text"))
        name_w = r.right() - self.PAD - x - (chip_w + 6 if chip_w else 0)
        p.drawText(QRect(x, top, name_w, fm.height()), Qt.AlignmentFlag.AlignVCenter,
                   QFontMetrics(bold).elidedText(item.workspace.name, Qt.TextElideMode.ElideRight, name_w))
        y = top + fm.height() + 3
        kind_icon = "git" if item.workspace.source_kind is SourceKind.GIT else "folder"
        icons.icon(kind_icon, "muted").paint(p, QRect(x, y + (fm.height() - 14) // 2, 14, 14))
        review = formatting.to_review(item.review_tasks)
        review_w = 0
        if review:  # changes that wait for the person: said on the second line, right of where it is
            p.setFont(small)
            review_w = QFontMetrics(small).horizontalAdvance(review) + 8
            p.setPen(c.q("accent"))
            p.drawText(QRect(r.right() - self.PAD - review_w, y, review_w, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, review)
        p.setFont(option.font)
        p.setPen(c.q("muted"))
        w = r.right() - self.PAD - x - 20 - review_w
        p.drawText(QRect(x + 20, y, w, fm.height()), Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(where_text(item.workspace), Qt.TextElideMode.ElideMiddle, w))
        p.restore()


class WorkspaceSidebar(QWidget):
    """The list of workspaces, or what to do when there is none.

    Signals:
        workspace_selected(WorkspaceRef): the person picked a workspace.
        add_folder_requested(): "add a project folder" was asked for.
        add_git_requested(): "clone a git URL" was asked for.
        rename_requested(WorkspaceRef), edit_requested(WorkspaceRef),
        remove_requested(WorkspaceRef): from the item's context menu.
    """

    workspace_selected = Signal(object)
    add_folder_requested = Signal()
    add_git_requested = Signal()
    rename_requested = Signal(object)
    edit_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.model = WorkspaceListModel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 8)
        layout.setSpacing(6)
        head = QHBoxLayout()
        head.setContentsMargins(16, 0, 8, 0)
        head.addWidget(section_title("Workspaces"))
        head.addStretch(1)
        self.add_button = QToolButton(objectName="Flat")
        self.add_button.setIcon(icons.icon("plus", "muted"))
        self.add_button.setToolTip("Add a workspace")
        self.add_button.setAccessibleName("Add a workspace")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        menu.addAction(icons.icon("folder"), "From a folder…", self.add_folder_requested.emit)
        menu.addAction(icons.icon("git"), "From a git URL…", self.add_git_requested.emit)
        self.add_button.setMenu(menu)
        head.addWidget(self.add_button)
        layout.addLayout(head)
        self.stack = QStackedWidget()
        self.list = QListView(objectName="WorkspaceList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(WorkspaceDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows elide instead
        self.list.setAccessibleName("Workspaces")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.empty = EmptyState(
            "box", "No workspaces yet",
            "Add a project folder or a git URL. The agent works on it inside a container, "
            "and you review every change before it reaches your files.",
            stacked_buttons=True,  # a narrow sidebar: one button under the other
        )
        self.empty.add_button(button("Add folder…", "Primary", "folder")).clicked.connect(self.add_folder_requested)
        self.empty.add_button(button("Clone git URL…", "Secondary", "git")).clicked.connect(self.add_git_requested)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self._sync_empty()

    def set_items(self, items: list[WorkspaceItem], select_id: str | None = None) -> None:
        current = select_id or self.current_id()
        self.model.set_items(items)
        self._sync_empty()
        row = self.model.row_of(current) if current else -1
        if row < 0 and items:
            row = 0
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def upsert(self, item: WorkspaceItem) -> None:
        self.model.upsert(item)
        self._sync_empty()

    def remove(self, workspace_id: str) -> None:
        self.model.remove(workspace_id)
        self._sync_empty()

    def select(self, workspace_id: str) -> None:
        row = self.model.row_of(workspace_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def current_id(self) -> str | None:
        index = self.list.currentIndex()
        return self.model.item(index.row()).workspace.id if index.isValid() else None

    def current_item(self) -> WorkspaceItem | None:
        index = self.list.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def _sync_empty(self) -> None:
        self.stack.setCurrentWidget(self.list if self.model.rowCount() else self.empty)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.workspace_selected.emit(WorkspaceRef(self.model.item(current.row()).workspace.id))

    def _context_menu(self, pos) -> None:  # noqa: ANN001 - QPoint
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        ref = WorkspaceRef(self.model.item(index.row()).workspace.id)
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename_requested.emit(ref))
        menu.addAction(icons.icon("settings"), "Limits and image…", lambda: self.edit_requested.emit(ref))
        menu.addSeparator()
        remove = QAction(icons.icon("trash", "danger"), "Remove workspace…", menu)
        remove.triggered.connect(lambda: self.remove_requested.emit(ref))
        menu.addAction(remove)
        menu.exec(self.list.viewport().mapToGlobal(pos))
