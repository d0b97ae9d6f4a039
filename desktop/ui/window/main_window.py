"""The main window: workspaces | tasks | a task's transcript or changes, prompt box and status bar.

It shows what it is given and says what the person asked for; it never calls
the services. ``binding.py`` connects it to the controller.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from desktop.domain import PermissionMode, Task, TaskEvent, TaskState
from desktop.domain.review import ChangeSet
from desktop.domain.task import PatchState
from desktop.ui.bridge.payloads import TaskRef
from desktop.ui.bridge.viewdata import EngineStatus, WorkspaceItem
from desktop.ui.dialogs.close_prompt import CloseChoice, ask_close
from desktop.ui.look import formatting, icons
from desktop.ui.look.widgets import Banner
from desktop.ui.transcript import TranscriptView
from desktop.ui.window.actions import Actions
from desktop.ui.window.clock import RelativeTimes
from desktop.ui.window.engine_indicator import EngineIndicator
from desktop.ui.window.narrow_fit import NarrowFit
from desktop.ui.window.prompt_panel import PromptPanel
from desktop.ui.window.prompt_routing import PromptRouting
from desktop.ui.window.review_notices import SavedNotice
from desktop.ui.window.review_panel import ReviewPanel
from desktop.ui.window.task_header import TaskHeader
from desktop.ui.window.task_list import TaskList
from desktop.ui.window.task_pages import TaskPages
from desktop.ui.window.view_switch import Page
from desktop.ui.window.workspace_header import WorkspaceHeader
from desktop.ui.window.workspace_list import WorkspaceSidebar
from desktop.ui.window.workspace_panel import WorkspacePanel

ROOMY_DIFF = 700  # below this width the changes page takes the lists' spare width
APP_TITLE = "AICode Manager"


@dataclass(frozen=True)
class QuitRequested:
    stop_tasks: bool  # cancel the running tasks first


class MainWindow(QMainWindow):
    """Signals (besides those of its parts, reachable as attributes):
        run_requested(RunRequested), follow_up_requested(FollowUpRequested),
        cancel_requested(TaskRef): from the prompt panel and the Task menu.
        stop_turn_requested(TaskRef): stop the running task's current turn (it then waits for a message).
        message_requested(MessageRequested): send a message into the running task.
        start_from_requested(StartFromRequested): Run in the "New task from here" mode.
        compare_requested(TaskRef): compare a finished task's end state with another's (pick which).
        quit_requested(QuitRequested): the person closed the window or chose Quit.
        hidden_to_tray(): closed while tasks run; they go on in the tray.
    """

    run_requested = Signal(object)
    follow_up_requested = Signal(object)
    cancel_requested = Signal(object)
    stop_turn_requested = Signal(object)
    message_requested = Signal(object)
    start_from_requested = Signal(object)
    compare_requested = Signal(object)
    quit_requested = Signal(object)
    hidden_to_tray = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icons.app_icon())
        self.running_tasks = 0
        self._attention = (0, 0)  # tasks that need the person, ended tasks to review: the title counts both
        self.tray_available = False
        self._engine_ok = True
        self._shown_task: Task | None = None
        self._sizes_before_room: list[int] | None = None
        self._room_for: set[str] = set()  # why the lists are at their narrowest now
        self.actions = Actions(self)
        self.actions.build_menus(self.menuBar())

        self.sidebar = WorkspaceSidebar()
        self.workspace_header = WorkspaceHeader()
        self.tasks = TaskList()
        self.task_header = TaskHeader()
        self.transcript = TranscriptView()
        self.review = ReviewPanel()
        self.prompt = PromptPanel()
        self.routing = PromptRouting(self)
        self.task_header.workspace_mode = self._workspace_mode
        self.times = RelativeTimes(self.task_header, self.tasks, self)  # the one clock of relative times
        self.banner = Banner()
        self.saved = SavedNotice()
        self.pages = TaskPages(self.transcript, self.review, self.task_header.switch)
        self.pages.currentChanged.connect(self._page_changed)

        task_column = QWidget(objectName="TaskColumn")
        task_column.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        col = QVBoxLayout(task_column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.workspace_header)
        col.addWidget(self.tasks, 1)

        detail = QWidget()
        right = QVBoxLayout(detail)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        banner_box = QVBoxLayout()
        banner_box.setContentsMargins(12, 8, 12, 0)
        banner_box.setSpacing(6)
        banner_box.addWidget(self.banner)
        banner_box.addWidget(self.saved)
        right.addLayout(banner_box)
        right.addWidget(self.task_header)
        right.addWidget(self.pages, 1)
        right.addWidget(self.prompt)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(task_column)
        self.splitter.addWidget(detail)
        self.sidebar.setMinimumWidth(170)
        task_column.setMinimumWidth(210)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([250, 320, 710])
        self.setCentralWidget(self.splitter)

        self.workspace_panel = WorkspacePanel()
        self.details_dock = QDockWidget("Workspace details", self)
        self.details_dock.setObjectName("WorkspaceDetailsDock")
        self.details_dock.setWidget(self.workspace_panel)
        self.details_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                                      | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)
        self.details_dock.hide()
        self.narrow = NarrowFit(self)  # in a narrow window the open details push the lists aside

        self.engine = EngineIndicator()
        self.running_label = QLabel(objectName="Muted")
        self.statusBar().addWidget(self.engine, 1)
        self.statusBar().addPermanentWidget(self.running_label)
        self.statusBar().setSizeGripEnabled(False)

        self._connect()
        self._set_tab_order()
        self.resize(QSize(1280, 800))
        self._sync_prompt()

    def _connect(self) -> None:
        a = self.actions
        a.add_folder.triggered.connect(self.sidebar.add_folder_requested)
        a.add_git.triggered.connect(self.sidebar.add_git_requested)
        a.quit.triggered.connect(self.close)
        a.run.triggered.connect(self.prompt.submit_run)
        a.follow_up.triggered.connect(self.prompt.submit_follow_up)
        a.cancel.triggered.connect(self.routing.cancel)
        a.stop_turn.triggered.connect(self.routing.stop_turn)
        a.copy_transcript.triggered.connect(lambda: self.transcript.copy_text())
        a.apply.triggered.connect(self.review.request_apply)
        a.discard.triggered.connect(self.review.request_discard)
        a.undo.triggered.connect(self.review.request_undo)
        a.commit.triggered.connect(self.review.request_commit)
        a.open_changes.triggered.connect(self.review.request_window)
        a.compare.triggered.connect(self._compare_shown)
        a.start_from.triggered.connect(lambda: self.routing.begin_start_from(self._shown_task))
        self.tasks.compare_requested.connect(self.compare_requested)
        self.tasks.start_from_requested.connect(self._start_from_listed)
        self.review.review_shown.connect(lambda _shown: self._sync_review_actions())
        a.details.toggled.connect(self._toggle_details)
        self.workspace_header.details_toggled.connect(self._toggle_details)
        self.details_dock.visibilityChanged.connect(self._details_visibility)
        a.focus_workspaces.triggered.connect(lambda: self.sidebar.list.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a.focus_tasks.triggered.connect(lambda: self.tasks.list.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a.focus_transcript.triggered.connect(lambda: self._focus_page(Page.TRANSCRIPT))
        a.focus_changes.triggered.connect(lambda: self._focus_page(Page.CHANGES))
        a.focus_prompt.triggered.connect(lambda: self.prompt.edit.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a.jump_latest.triggered.connect(self._jump_latest)

    def _set_tab_order(self) -> None:
        r = self.review
        order = [self.sidebar.list, self.tasks.list, self.transcript, r.diff, r.window_button, r.undo_button,
                 r.discard_button, r.commit_button, r.apply_button, self.prompt.edit, self.prompt.mode,
                 self.prompt.stop_turn_button, self.prompt.cancel_button, self.prompt.follow_button,
                 self.prompt.run_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    # -- what the controller tells ------------------------------------------

    def show_workspaces(self, items: list[WorkspaceItem], select_id: str | None = None) -> None:
        self.sidebar.set_items(items, select_id)
        if not items:
            self.workspace_header.show_item(None)
            self.workspace_panel.show_workspace(None)
            self.tasks.show_no_workspace()
            self.show_task(None)
        self._sync_prompt()

    def show_workspace_item(self, item: WorkspaceItem) -> None:
        self.sidebar.upsert(item)
        if item.workspace.id == self.sidebar.current_id():
            self.workspace_header.show_item(item)
            self.workspace_panel.show_workspace(item.workspace)
        if self._shown_task is not None and self._shown_task.workspace_id == item.workspace.id:
            self.task_header.show_task(self._shown_task)  # its mode may be the workspace's, just changed

    def workspace_shown(self, item: WorkspaceItem | None) -> None:
        """A workspace was selected: its header now, its tasks when they come."""
        self.workspace_header.show_item(item)
        point = self.prompt.start_from
        if point is not None and (item is None or item.workspace.id != point.workspace_id):
            self.prompt.end_start_from()  # a task of another workspace: not a place to start from
        self.workspace_panel.show_workspace(item.workspace if item is not None else None)
        self._sync_prompt()

    def show_tasks(self, workspace_id: str, tasks: list[Task], select_id: str | None = None) -> None:
        if workspace_id != self.sidebar.current_id():
            return
        self.tasks.set_tasks(tasks, select_id)
        if not tasks:
            self.show_task(None)

    def show_task(self, task: Task | None) -> None:
        """The selected task: header, transcript placeholder, prompt buttons."""
        same = task is not None and self._shown_task is not None and task.id == self._shown_task.id
        self._shown_task = task
        self.task_header.show_task(task)
        if not same:
            self.transcript.clear()
            self.review.clear()
            self.pages.reset()
            self.transcript.set_placeholder("Loading the transcript…" if task else
                                            "Select a task to see what the agent did, or run a new one below.")
        self._sync_prompt()

    def show_task_update(self, task: Task) -> None:
        if task.workspace_id == self.sidebar.current_id():
            self.tasks.upsert(task)
        if self._shown_task is not None and task.id == self._shown_task.id:
            self._shown_task = task
            self.task_header.show_task(task)
            if task.state is TaskState.QUEUED:
                self.transcript.set_placeholder("Queued: the task starts when a slot is free.")
            self._sync_prompt()

    def show_events(self, task_id: str, events: list[TaskEvent], replace: bool = False) -> None:
        if self._shown_task is None or task_id != self._shown_task.id:
            return
        if replace:
            self.transcript.set_events(events)
        else:
            self.transcript.append_events(events)
        self.tasks.model.count_events(task_id, events, replace)
        self.task_header.count_events(events, replace)
        if not events and replace:
            self.transcript.set_placeholder("Waiting for the agent…")

    def show_changes(self, task_id: str, changes: ChangeSet, patch_state: PatchState, can_commit: bool = False) -> None:
        if self._shown_task is None or task_id != self._shown_task.id:
            return
        self.review.show_changes(task_id, changes, patch_state, can_commit)
        self.pages.changes_shown(len(changes.files) if changes.files else None)
        self._sync_review_actions()

    def show_page(self, page: Page, chosen: bool = False) -> None:
        self.pages.show_page(page, chosen)

    @property
    def page(self) -> Page:
        return self.pages.page

    def notify_saved(self, text: str, path: str, tone: str = "info") -> None:
        """Where a change was saved (a discard, the rest of a partial apply, a removed workspace)."""
        self.saved.show_saved(text, path, tone)

    def show_engine_status(self, status: EngineStatus) -> None:
        self.engine.show_status(status)
        self._engine_ok = status.ok or status.checking
        self._sync_prompt()

    def set_running_count(self, count: int) -> None:
        self.running_tasks = count
        self.running_label.setText(f"{count} task{'s' if count != 1 else ''} running" if count else "")

    def set_needing_count(self, count: int) -> None:
        """How many tasks wait on the person, in the title (and so the taskbar)."""
        self._attention = (count, self._attention[1])
        self._show_attention()

    def set_review_count(self, count: int) -> None:
        """How many ended tasks' changes wait for review, in the title after those that need the person."""
        self._attention = (self._attention[0], count)
        self._show_attention()

    def _show_attention(self) -> None:
        needing, reviewing = self._attention
        parts = [text for text in (formatting.need_you(needing), formatting.to_review(reviewing)) if text]
        self.setWindowTitle(f"{APP_TITLE} — {', '.join(parts)}" if parts else APP_TITLE)

    def notify(self, text: str, tone: str = "info", action: str = "") -> None:
        self.banner.show_message(text, tone, action)

    @property
    def shown_task(self) -> Task | None:
        return self._shown_task

    # -- what the person asks -----------------------------------------------

    def begin_start_from(self, task: Task | None) -> None:
        """"New task from here…": the next Run starts from ``task``'s end state."""
        self.routing.begin_start_from(task)

    def _compare_shown(self) -> None:
        if self._shown_task is not None and self._shown_task.is_final:
            self.compare_requested.emit(TaskRef(self._shown_task.id))

    def _start_from_listed(self, ref: TaskRef) -> None:
        row = self.tasks.model.row_of(ref.task_id)
        if row >= 0:
            self.begin_start_from(self.tasks.model.task(row))

    def _toggle_details(self, on: bool) -> None:
        self.details_dock.setVisible(on)

    def _details_visibility(self, visible: bool) -> None:
        self._make_room("details", visible)  # the panel's width comes out of the lists, not the transcript
        for toggle in (self.actions.details, self.workspace_header.details):
            toggle.blockSignals(True)
            toggle.setChecked(visible)
            toggle.blockSignals(False)

    def _page_changed(self, _index: int) -> None:
        # A diff needs width more than the lists do: in a narrow window they give theirs.
        narrow = self.splitter.sizes()[2] < ROOMY_DIFF if self._sizes_before_room is None else \
            self._sizes_before_room[2] < ROOMY_DIFF
        self._make_room("changes", self.pages.page is Page.CHANGES and narrow)

    def _make_room(self, reason: str, on: bool) -> None:
        """The lists at their narrowest while any reason holds; back as they were after."""
        if on and not self._room_for:
            sizes = self._sizes_before_room = self.splitter.sizes()
            least = [self.sidebar.minimumWidth(), self.tasks.parentWidget().minimumWidth()]
            self.splitter.setSizes([*least, sizes[2] + max(0, sizes[0] + sizes[1] - sum(least))])
        (self._room_for.add if on else self._room_for.discard)(reason)
        if not self._room_for and self._sizes_before_room is not None:
            self.splitter.setSizes(self._sizes_before_room)
            self._sizes_before_room = None

    def _sync_prompt(self) -> None:
        self.routing.sync(self._engine_ok)
        self._sync_review_actions()

    def _workspace_mode(self, workspace_id: str) -> PermissionMode | None:
        row = self.sidebar.model.row_of(workspace_id)
        return self.sidebar.model.item(row).workspace.permission_mode if row >= 0 else None

    def _sync_review_actions(self) -> None:
        a, r = self.actions, self.review
        a.apply.setEnabled(r.pending)
        a.discard.setEnabled(r.pending)
        a.undo.setEnabled(r.applied)
        a.commit.setEnabled(r.commit_button.isVisibleTo(r))
        a.open_changes.setEnabled(r.changes is not None and bool(r.changes.files))
        a.focus_changes.setEnabled(r.changes is not None)

    def _focus_page(self, page: Page) -> None:
        self.show_page(page, chosen=True)
        target = self.review.diff if self.page is Page.CHANGES else self.transcript
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _jump_latest(self) -> None:
        self.show_page(Page.TRANSCRIPT, chosen=True)
        self.transcript.scroll_to_end()

    def closeEvent(self, event: QCloseEvent) -> None:
        choice = ask_close(self, self.running_tasks, self.tray_available) if self.running_tasks else CloseChoice.QUIT
        if choice is CloseChoice.CANCEL:
            event.ignore()
        elif choice is CloseChoice.KEEP_IN_TRAY:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
        else:
            event.accept()
            self.quit_requested.emit(QuitRequested(stop_tasks=choice is CloseChoice.STOP_AND_QUIT))
