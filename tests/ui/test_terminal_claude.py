"""The workspace panel's buttons open terminals in the real window; the
interactive claude starts there against the fake Anthropic API, with the
placeholder key of tasks (never the real one) and the person's own answer
to its trust question."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.ui.bridge.payloads import WorkspaceRef
from tests.ui.conftest import TEST_KEY
from tests.ui.real import Gui
from tests.ui.terminal_driver import Driver

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_claude_here_starts_the_interactive_claude(gui: Gui, project: Path, qtbot) -> None:  # noqa: ANN001
    ws = gui.add_workspace("tui", project)
    binding = gui.binding.terminals
    gui.window.workspace_panel.claude_button.click()
    qtbot.waitUntil(lambda: binding.windows.window_of(ws.id) is not None, timeout=10_000)
    window = binding.windows.window_of(ws.id)
    claude = Driver(qtbot, window.views()[0])
    claude.wait_ready()
    # The working copy is the agent's: whether to trust it is the person's call.
    claude.wait_text("Yes, I trust this folder", timeout=90_000)
    last_key = [0.0]

    def answered() -> bool:
        """Down to "Yes, I trust this folder", then Enter; again if claude redrew the
        question meanwhile (a resize resets its choice)."""
        lines = claude.lines()
        if any("Claude Code v" in line for line in lines):
            return True
        if time.monotonic() - last_key[0] > 1.0:
            last_key[0] = time.monotonic()
            if any("❯ No, exit" in line for line in lines):
                claude.key(Qt.Key.Key_Down)
            elif any("❯ Yes, I trust this folder" in line for line in lines):
                claude.key(Qt.Key.Key_Return)
        return False

    qtbot.waitUntil(answered, timeout=90_000)
    claude.wait_line("❯")  # its prompt, waiting for the person
    assert window.tabs.tabText(0) == "claude"

    # A shell beside it (the panel's other button); the key it sees is the placeholder.
    gui.window.workspace_panel.terminal_button.click()
    qtbot.waitUntil(lambda: len(window.views()) == 2, timeout=10_000)
    shell = Driver(qtbot, window.views()[1])
    shell.wait_text("agent@aicode:/workspace$")
    shell.type('echo "key=${ANTHROPIC_API_KEY:0:30}"')
    shell.wait_text("key=sk-ant-api03-aicode-proxy-")
    assert not any(TEST_KEY[-12:] in line for line in shell.lines())
    # Removing the workspace closes its terminals (its container, and every exec in it, goes).
    sessions = [view.session for view in window.views()]
    gui.controller.remove_workspace(WorkspaceRef(ws.id))
    qtbot.waitUntil(lambda: binding.windows.window_of(ws.id) is None, timeout=60_000)
    qtbot.waitUntil(lambda: all(s.closed for s in sessions), timeout=10_000)
    assert gui.core.workspaces.list() == []
