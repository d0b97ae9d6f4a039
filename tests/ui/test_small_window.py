"""Issue 10 item 2: at 800x500 nothing overlaps, Run keeps its word, and the open
workspace details push the lists aside rather than squeeze the rest."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QRect

from desktop.domain import TaskState
from desktop.ui.bridge.viewdata import ContainerState, WorkspaceItem
from desktop.ui.window.main_window import MainWindow
from tests.ui import factories as f


@pytest.fixture
def window(qtbot) -> MainWindow:  # noqa: ANN001
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(800, 500)
    w.show()
    qtbot.waitExposed(w)
    items = [WorkspaceItem(f.workspace(), container=ContainerState.RUNNING), WorkspaceItem(f.workspace("ws2", git=True))]
    with qtbot.waitSignal(w.sidebar.workspace_selected):
        w.show_workspaces(items)
    w.workspace_shown(items[0])  # as the binding does on a selection
    tasks = [f.task("t1", minutes_ago=5), f.task("t2", "Running one", TaskState.RUNNING, minutes_ago=1)]
    w.show_tasks("ws1", tasks)
    w.show_task(tasks[0])
    return w


def rect(widget) -> QRect:  # noqa: ANN001
    return QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())


def assert_whole(widget) -> None:  # noqa: ANN001
    assert widget.width() >= widget.minimumSizeHint().width(), widget


def test_800_by_500_fits_with_every_button_whole(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: window.size().width() == 800 and window.size().height() == 500)
    columns = [window.sidebar, window.tasks.parentWidget(), window.splitter.widget(2)]
    assert all(c.isVisible() for c in columns)
    for left, right in zip(columns, columns[1:]):
        assert rect(left).right() < rect(right).left()  # side by side, never over each other
    p = window.prompt
    assert p.run_button.text() == "Run" and p.run_button.width() >= p.run_button.sizeHint().width()
    for button in (p.cancel_button, p.follow_button):  # icon only here, their words kept for screen readers
        assert button.isVisible() and button.accessibleName() and button.toolTip()
        assert_whole(button)
    assert rect(p.run_button).right() <= window.width()
    for choice in range(p.mode.count()):  # the next task's mode reads whole, whichever it is
        p.mode.setCurrentIndex(choice)
        qtbot.wait(1)
        text = p.mode.fontMetrics().horizontalAdvance(p.mode.currentText())
        assert p.mode.width() >= p.mode.sizeHint().width() > text, p.mode.currentText()
        assert rect(p.mode).right() < rect(p.cancel_button).left()
    p.mode.setCurrentIndex(0)
    header = window.workspace_header  # the name keeps room; the container chip gives way
    assert header.name.width() >= 100
    window.splitter.setSizes([170, 210, 420])  # the task column at its narrowest: the chip goes, the name stays
    qtbot.waitUntil(lambda: not header.container.isVisible())
    assert header.name.width() >= 100
    # wider, the words come back
    window.resize(1280, 800)
    window.splitter.setSizes([250, 320, 710])
    qtbot.waitUntil(lambda: p.cancel_button.text() == "Cancel" and p.follow_button.text() == "Follow up")
    qtbot.waitUntil(header.container.isVisible)
    assert header.container.text() == "Container on"


def test_details_in_a_narrow_window_push_the_lists_aside(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    window.actions.details.trigger()
    qtbot.waitUntil(window.details_dock.isVisible)
    qtbot.waitUntil(lambda: window.width() == 800)
    assert window.height() == 500, "the details' tabs (container, egress) fit the height too"
    window.workspace_panel.show_egress_tab()
    QCoreApplication.sendPostedEvents()  # every layout request the tab posted is handled now
    QCoreApplication.processEvents()
    assert window.size().width() == 800 and window.height() == 500
    window.workspace_panel.tabs.setCurrentIndex(0)
    assert window.narrow.lists_hidden and not window.sidebar.isVisible()
    detail, dock = window.splitter.widget(2), window.details_dock
    assert rect(detail).right() < rect(dock).left()
    assert window.prompt.run_button.text() == "Run" and rect(window.prompt.run_button).right() < rect(dock).left()
    window.actions.details.trigger()  # closed: the lists are back
    qtbot.waitUntil(lambda: window.sidebar.isVisible() and window.tasks.isVisible())
    # at 1024 only the workspace list gives way
    window.resize(1024, 640)
    window.actions.details.trigger()
    qtbot.waitUntil(lambda: window.details_dock.isVisible() and window.width() == 1024)
    assert not window.sidebar.isVisible() and window.tasks.isVisible()
    assert rect(window.tasks).right() < rect(detail).left() and rect(detail).right() < rect(dock).left()
    window.actions.details.trigger()
    qtbot.waitUntil(window.sidebar.isVisible)
    # in a window with room, the details open beside the lists
    window.resize(1280, 800)
    window.actions.details.trigger()
    qtbot.waitUntil(window.details_dock.isVisible)
    assert not window.narrow.lists_hidden and window.sidebar.isVisible()


def test_the_details_are_as_wide_as_what_they_show(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    """The container page scrolls up and down, never sideways: a long value widens the dock, not cut."""
    from desktop.ui.bridge.viewdata import ContainerInfo

    window.actions.details.trigger()
    qtbot.waitUntil(window.details_dock.isVisible)
    panel = window.workspace_panel
    panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING, "registry.example.com/team/agent-image:2025.11"))
    page = panel.container_page
    qtbot.waitUntil(lambda: page.viewport().width() >= page.widget().minimumSizeHint().width())
    assert rect(panel.recreate_button).right() <= rect(page.viewport()).right()
    assert rect(panel.state).right() <= rect(page.viewport()).right()
