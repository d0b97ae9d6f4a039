"""The embedded terminal against a real container: keys in, xterm.js's
buffer read back, the alternate screen, resizing, the end of the process,
and closing a tab leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.app import App
from desktop.services.terminals import TerminalKind, TerminalSpec
from desktop.services.workspaces import WorkspaceSpec
from desktop.ui.terminal.window import TerminalWindows
from tests.ui.terminal_driver import Driver

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


@pytest.fixture
def windows(core: App, project: Path, qtbot) -> TerminalWindows:  # noqa: ANN001
    ws = core.workspaces.add(WorkspaceSpec(name="term", path=str(project), permission_mode="bypassPermissions"))
    windows = TerminalWindows(core.terminals)
    windows.workspace = ws  # type: ignore[attr-defined]
    yield windows
    windows.close_all()


def _processes(core: App, workspace_id: str) -> list[str]:
    """Every process in the container but the keeper's, as 'gid args'."""
    terminal = core.terminals.open(workspace_id, TerminalSpec(TerminalKind.COMMAND, ("ps", "-eo", "gid=,args="),
                                                              tty=False))
    out = b"".join(data for is_err, data in terminal.frames() if not is_err).decode()
    terminal.close()
    return [line.strip() for line in out.splitlines() if not line.strip().startswith("65534 ") and "ps -eo" not in line]


def test_a_shell_types_reads_resizes_and_ends(windows: TerminalWindows, core: App, qtbot) -> None:  # noqa: ANN001
    ws = windows.workspace  # type: ignore[attr-defined]
    window = windows.open(ws.id, ws.name)
    view = window.views()[0]
    term = Driver(qtbot, view)
    term.wait_ready()
    term.wait_text("agent@aicode:/workspace$")
    term.type("echo hello")
    term.wait_line("hello")

    # A program on the alternate screen, and back.
    term.type("printf '\\033[?1049h\\033[2J\\033[HON THE ALTERNATE SCREEN'; read x; printf '\\033[?1049l'")
    qtbot.waitUntil(lambda: term.screen().get("type") == "alternate", timeout=30_000)
    term.wait_text("ON THE ALTERNATE SCREEN")
    term.type("")
    qtbot.waitUntil(lambda: term.screen().get("type") == "normal", timeout=30_000)
    assert not any("ON THE ALTERNATE SCREEN" in line and "printf" not in line for line in term.lines())

    # Resizing the window resizes the pseudo-terminal.
    before = term.screen()
    window.resize(window.width() + 240, window.height() + 160)
    qtbot.waitUntil(lambda: term.screen()["cols"] > before["cols"] and term.screen()["rows"] > before["rows"],
                    timeout=30_000)
    after = term.screen()
    term.type("stty size")
    term.wait_line(f"{after['rows']} {after['cols']}")

    # Exiting marks the tab.
    term.type("exit 3")
    qtbot.waitUntil(lambda: "exited 3" in window.tabs.tabText(0), timeout=30_000)
    term.wait_text("[the process exited with code 3]")


def test_closing_a_tab_leaves_no_process_behind(windows: TerminalWindows, core: App, qtbot) -> None:  # noqa: ANN001
    ws = windows.workspace  # type: ignore[attr-defined]
    window = windows.open(ws.id, ws.name)
    first = Driver(qtbot, window.views()[0])
    first.wait_ready()
    first.wait_text("agent@aicode:/workspace$")
    second = Driver(qtbot, window.open_terminal())
    second.wait_ready()
    second.wait_text("agent@aicode:/workspace$")
    second.type("(setsid sleep 777 &); nohup sleep 778 >/dev/null 2>&1 & echo started")
    second.wait_line("started")
    assert any("sleep 777" in p for p in _processes(core, ws.id))
    window.close_tab(1)
    qtbot.waitUntil(lambda: not any("sleep 77" in p for p in _processes(core, ws.id)), timeout=30_000)
    # The first tab's shell is still there, and still answers.
    first.type("echo still here")
    first.wait_line("still here")
    window.close()
    qtbot.waitUntil(lambda: _processes(core, ws.id) == [], timeout=30_000)
