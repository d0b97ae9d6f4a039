"""The concurrency limit counts per engine: tasks on a second engine do not
wait for this machine's to end, and one running task per workspace holds."""

from __future__ import annotations

from datetime import datetime

from desktop.domain import Task, TaskState
from desktop.services.scheduler import held_workspaces


def _running(workspace_id: str) -> Task:
    return Task(id=f"t-{workspace_id}", workspace_id=workspace_id, prompt="p", state=TaskState.RUNNING,
                created_at=datetime.now())


PLACED = {"a": "local", "b": "local", "c": "server", "d": "server", "e": "server"}


def test_a_full_engine_holds_only_its_own_workspaces() -> None:
    held = held_workspaces([_running("a"), _running("b")], PLACED, limit=2)
    assert held == {"a", "b"}  # local is full; the server's three may start
    held = held_workspaces([_running("a"), _running("c"), _running("d")], PLACED, limit=2)
    assert held == {"a", "c", "d", "e"}  # the server is full, local has room for b


def test_with_room_everywhere_only_the_busy_workspaces_wait() -> None:
    assert held_workspaces([_running("a"), _running("c")], PLACED, limit=3) == {"a", "c"}
    assert held_workspaces([], PLACED, limit=1) == set()


def test_a_task_of_a_workspace_gone_counts_on_the_local_engine() -> None:
    assert held_workspaces([_running("gone")], PLACED, limit=1) == {"gone", "a", "b"}


def test_the_window_says_which_engine_a_workspace_lives_on(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    from desktop.ui.bridge.viewdata import WorkspaceItem
    from desktop.ui.window.main_window import MainWindow
    from desktop.ui.window.workspace_header import WorkspaceHeader
    from desktop.ui.window.workspace_list import where_text
    from tests.ui import factories as f

    here, there = f.workspace("ws1", "billing-api"), f.workspace("ws2", "gpu-jobs", engine="gpu-box")
    assert "on" not in where_text(here).split() and where_text(there).endswith("·  on gpu-box")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_workspaces([WorkspaceItem(here), WorkspaceItem(there)], select_id="ws2")
    header = window.findChild(WorkspaceHeader)
    header.show_item(WorkspaceItem(there))
    assert header.source.text().endswith("on gpu-box")
    model = window.sidebar.list.model()
    tips = [model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole) for row in range(model.rowCount())]
    assert any(t.endswith("Runs on the engine gpu-box") for t in tips)
    assert any(t.endswith("Runs on this machine's engine") for t in tips)


def test_auto_placement_picks_the_roomiest_engine_that_can_run_the_agent() -> None:
    from desktop.services.engines import EngineReport, roomiest_of

    gib = 1 << 30

    def report(name: str, memory: int, reserved: int = 0, ok: bool = True, image: bool = True) -> EngineReport:
        return EngineReport(name, "", ok, "", memory_bytes=memory * gib, reserved_memory_bytes=reserved * gib,
                            image_usable=image)

    assert roomiest_of([report("local", 16, 8), report("server", 64, 40)]) == "server"  # 8 vs 24 free
    assert roomiest_of([report("local", 16, 8), report("server", 64, 60)]) == "local"  # 8 vs 4
    assert roomiest_of([report("local", 16), report("server", 64, image=False)]) == "local"  # no image there
    assert roomiest_of([report("local", 16), report("server", 64, ok=False)]) == "local"  # not answering
    assert roomiest_of([report("local", 16, ok=False), report("a", 8), report("b", 8)]) == "a"  # first on a tie
    assert roomiest_of([report("local", 16, ok=False)]) == "local"  # nothing answers: its error will say so
