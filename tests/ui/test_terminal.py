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
    want = f"{after['rows']} {after['cols']}"
    # The resize reaches the container a moment after the page's (debounced): ask until it has.
    term.type(f"for i in $(seq 100); do s=$(stty size); [ \"$s\" = '{want}' ] && break; sleep 0.1; done; "
              "echo size=$s")
    term.wait_line(f"size={want}")

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


def test_paste_is_bracketed_when_asked_and_a_selection_copies(windows: TerminalWindows, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    ws = windows.workspace  # type: ignore[attr-defined]
    window = windows.open(ws.id, ws.name)
    term = Driver(qtbot, window.views()[0])
    term.wait_ready()
    term.wait_text("agent@aicode:/workspace$")
    # The program asks for bracketed paste; cat -v shows what it receives.
    term.type("printf '\\033[?2004h'; echo ready; cat -v")
    term.wait_line("ready")  # the shell has given the terminal back to the program
    QGuiApplication.clipboard().setText("pasted words")
    term.key_combo(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    term.type("")
    term.wait_line("^[[200~pasted words^[[201~")
    term.key_combo(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # Ctrl+C: the program's, cat ends
    term.wait_text("agent@aicode:/workspace$ ")
    # Ctrl+Shift+C copies the selection instead.
    QGuiApplication.clipboard().clear()
    term.js("(aicode.selectAll(), true)")
    term.key_combo(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "pasted words" in QGuiApplication.clipboard().text(), timeout=10_000)


def test_only_https_links_reach_the_view(qtbot) -> None:  # noqa: ANN001
    from desktop.ui.terminal.bridge import PageBridge

    bridge = PageBridge("{}")
    asked: list[str] = []
    bridge.link_requested.connect(asked.append)
    for uri in ("http://example.com/", "file:///etc/passwd", "javascript:alert(1)", "https://example.com/a?b=c"):
        bridge.link_clicked(uri)
    assert asked == ["https://example.com/a?b=c"]
    sizes: list[tuple[int, int]] = []
    bridge.size_changed.connect(lambda rows, cols: sizes.append((rows, cols)))
    for rows, cols in ((0, 80), (24, 100_000), (30, 120)):
        bridge.resized(rows, cols)
    assert sizes == [(30, 120)]
