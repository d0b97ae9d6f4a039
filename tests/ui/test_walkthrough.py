"""What a hands-on walkthrough found: times that froze, a panel that outlived its
workspace, failed tools hidden behind "Succeeded", a history window Esc did not
close, keyboard focus invisible in the dark theme."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.domain import TaskState
from desktop.ui.bridge.viewdata import WorkspaceItem
from desktop.ui.look import formatting
from desktop.ui.window.main_window import MainWindow
from tests.ui import factories as f


@pytest.fixture
def window(qtbot) -> MainWindow:  # noqa: ANN001
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def set_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(formatting, "clock", lambda: moment)


def row_text(window: MainWindow, row: int = 0) -> str:
    from PySide6.QtCore import Qt

    return window.tasks.model.index(row).data(Qt.ItemDataRole.AccessibleTextRole)


# -- 1. one clock for every relative time --------------------------------------

def test_the_header_and_the_rows_follow_one_clock(window: MainWindow, qtbot, monkeypatch) -> None:  # noqa: ANN001
    set_clock(monkeypatch, f.NOW)
    window.show_workspaces([WorkspaceItem(f.workspace())])
    running = f.task("t2", "Running one", TaskState.RUNNING, minutes_ago=0.5)  # started 28 s ago
    window.show_tasks("ws1", [running, f.task("t1", minutes_ago=30)])
    window.show_task(running)
    assert window.times.timer.isActive(), "something shows a relative time: the clock ticks"
    header, row = window.task_header.meta.text(), row_text(window)
    assert "started just now" in header and "28 s" in header
    assert "28 s" in row and "just now" in row

    set_clock(monkeypatch, f.NOW + timedelta(minutes=2))
    window.times.timer.timeout.emit()  # the tick, without waiting a second
    header, row = window.task_header.meta.text(), row_text(window)
    assert "started 2 min ago" in header and "2m 28s" in header
    assert "2m 28s" in row and "2 min ago" in row
    assert "32 min ago" in row_text(window, 1), "a finished task's age moves too"


def test_the_clock_rests_when_nothing_shows_a_time(window: MainWindow) -> None:
    window.show_workspaces([])
    assert not window.times.timer.isActive()


# -- 2. the details panel follows the selection and its removal -----------------

def shown_running(window: MainWindow, qtbot, *items: WorkspaceItem) -> None:  # noqa: ANN001
    """Workspaces listed, the first selected (as the binding shows it), its container running."""
    from desktop.ui.bridge.viewdata import ContainerInfo, ContainerState

    window.show_workspaces(list(items))
    window.workspace_shown(window.sidebar.current_item())
    window.details_dock.show()
    window.workspace_panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING, cli_version="2.0.14"))
    panel = window.workspace_panel
    assert panel.stop_button.isEnabled() and panel.recreate_button.isEnabled()


def test_removing_the_last_workspace_empties_the_details(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    from desktop.ui.bridge.viewdata import ContainerInfo, ContainerState

    shown_running(window, qtbot, WorkspaceItem(f.workspace()))
    panel = window.workspace_panel
    window.sidebar.remove("ws1")  # as the binding does when the Core removed it
    window.show_workspaces([])
    assert panel.state.text() == "unknown" and panel.image.text() == "–"
    assert not any(b.isEnabled() for b in (panel.start_button, panel.stop_button, panel.recreate_button))
    with qtbot.assertNotEmitted(panel.stop_requested):
        panel.stop_button.click()
    # A late word on the removed workspace's container changes nothing.
    panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING))
    assert panel.state.text() == "unknown" and not panel.stop_button.isEnabled()


def test_removing_the_selected_workspace_shows_the_next(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    from desktop.ui.bridge.viewdata import ContainerInfo, ContainerState

    shown_running(window, qtbot, WorkspaceItem(f.workspace()), WorkspaceItem(f.workspace("ws2", "web", cpus=4.0)))
    panel = window.workspace_panel
    with qtbot.waitSignal(window.sidebar.workspace_selected) as selected:
        window.sidebar.remove("ws1")
    assert selected.args[0].workspace_id == "ws2"
    window.workspace_shown(window.sidebar.current_item())  # what the binding does on workspace_selected
    assert panel.limits.text().startswith("4 CPUs")
    assert panel.state.text() == "unknown", "not the removed workspace's state"
    assert not panel.stop_button.isEnabled() and not panel.recreate_button.isEnabled()
    panel.show_container(ContainerInfo("ws2", ContainerState.STOPPED))
    assert panel.start_button.isEnabled()
    with qtbot.waitSignal(panel.start_requested) as start:
        panel.start_button.click()
    assert start.args[0].workspace_id == "ws2"


# -- 3. a task whose tools failed says so --------------------------------------

def test_failed_tools_show_in_the_header_and_the_row(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    from desktop.ui.transcript.rows import ToolRow

    window.show_workspaces([WorkspaceItem(f.workspace())])
    done, other = f.task("t1", minutes_ago=5), f.task("t2", "Another", minutes_ago=9)
    window.show_tasks("ws1", [done, other])
    window.show_task(done)
    assert window.task_header.chip.text() == "Succeeded"
    events = f.finished_conversation("t1")  # its first pytest run failed
    window.show_events("t1", events[:7], replace=True)
    window.show_events("t1", events[7:])
    assert window.task_header.chip.text() == "Succeeded · 1 tool failed"
    assert row_text(window, 0).startswith("Succeeded · 1 tool failed: Fix the failing tests")
    assert row_text(window, 1).startswith("Succeeded: Another")
    tools = [r for r in window.transcript.rows if isinstance(r, ToolRow)]
    assert tools[0].is_error and not tools[1].is_error, "the failed tool's card is marked"

    # An update of the task keeps the count; the events read again are not counted twice.
    window.show_task_update(done)
    window.show_events("t1", events, replace=True)
    assert window.task_header.chip.text() == "Succeeded · 1 tool failed"
    # Another task starts from nothing.
    window.show_task(other)
    assert window.task_header.chip.text() == "Succeeded"
    assert row_text(window, 0).startswith("Succeeded · 1 tool failed"), "the row remembers"


def test_a_row_with_failed_tools_paints_them(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    window.show_workspaces([WorkspaceItem(f.workspace())])
    window.show_tasks("ws1", [f.task("t1")])
    plain = window.tasks.list.grab().toImage()
    window.tasks.model.count_events("t1", f.finished_conversation("t1"))
    assert window.tasks.list.grab().toImage() != plain


# -- 4. the history window closes on Esc and Ctrl+W ----------------------------

@pytest.mark.parametrize("key, modifier", [("Escape", "NoModifier"), ("W", "ControlModifier")])
def test_the_history_window_closes_from_the_keyboard(qtbot, key: str, modifier: str) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    from desktop.ui.window.history_view import HistoryView

    view = HistoryView()
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)  # window shortcuts work in the active window
    view.search.setFocus()
    qtbot.keyClick(view.search, getattr(Qt.Key, f"Key_{key}"), getattr(Qt.KeyboardModifier, modifier))
    assert not view.isVisible()


# -- 5. keyboard focus is visible, in the dark theme too -----------------------

@pytest.fixture
def dark(qapp):  # noqa: ANN001, ANN201
    from desktop.ui.look import theme

    theme.apply(qapp, theme.ThemeMode.DARK)
    yield theme.current()
    theme.apply(qapp, theme.ThemeMode.LIGHT)


def row_image(window: MainWindow, focused: bool):  # noqa: ANN201
    """The task list's first (current) row painted by its delegate, with or without focus."""
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    view = window.tasks.list
    index = view.model().index(0, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index).translated(-view.visualRect(index).topLeft())
    option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Selected
    if focused:
        option.state |= QStyle.StateFlag.State_HasFocus
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    image.fill(0)
    p = QPainter(image)
    view.itemDelegate().paint(p, option, index)
    p.end()
    return image


def test_the_focused_row_has_a_ring_in_both_themes(window: MainWindow, qtbot, dark, tmp_path) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor

    window.show_workspaces([WorkspaceItem(f.workspace())])
    window.show_tasks("ws1", [f.task("t1"), f.task("t2", "Another", minutes_ago=40)])
    focused, plain = row_image(window, True), row_image(window, False)
    assert focused != plain
    accent = QColor(dark.accent).rgb()
    assert focused.pixel(focused.width() // 2, 3) == accent, "a 2px accent ring at the row's top edge"
    assert plain.pixel(plain.width() // 2, 3) != accent

    # The whole window in the dark theme, the task list focused: for a person to look at.
    window.tasks.list.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.tasks.list.hasFocus)
    shot = tmp_path / "focused-task-list-dark.png"
    assert window.grab().save(str(shot))
    grabbed = window.tasks.list.grab().toImage()
    rect = window.tasks.list.visualRect(window.tasks.model.index(0))
    assert grabbed.pixel(rect.center().x(), rect.top() + 3) == accent


def test_buttons_and_lists_have_a_focus_rule() -> None:
    from desktop.paths import resources_dir

    qss = (resources_dir() / "themes" / "base.qss").read_text()
    for selector in ("QPushButton#Primary:focus", "QPushButton#Secondary:focus", "QPushButton#Danger:focus",
                     "QToolButton#Flat:focus", "QTreeView#HistoryTable:focus"):
        assert selector in qss


def test_the_focused_apply_button_looks_different(window: MainWindow, qtbot, dark) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    # A Primary button as Apply is, alone in a window, with and without the focus.
    button = QPushButton("Apply all", objectName="Primary")
    other = QPushButton("Other", objectName="Secondary")
    holder = side_by_side(button, other)
    qtbot.addWidget(holder)
    holder.show()
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow)
    other.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(other.hasFocus)
    without = button.grab().toImage()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    assert button.grab().toImage() != without


def side_by_side(*widgets):  # noqa: ANN002, ANN201
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    holder = QWidget()
    row = QHBoxLayout(holder)
    for w in widgets:
        row.addWidget(w)
    return holder
