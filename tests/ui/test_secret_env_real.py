"""Security finding 3 in the window: the workspace dialog's Secret box sends a
variable's value to the real keyring (masked while typed, never loaded back
into the window), and ticking it on a stored plain variable moves its value
there; the real services and database behind, nothing faked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.secrets import SecretStore
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from desktop.ui.dialogs.env_table import KEEP_HINT
from tests.ui.real import Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

SECRET = "gui-secret-Zr7-value-0042"
PLAIN = "plain-then-secret-0099"


def _row(dialog: AddWorkspaceDialog, name: str) -> int:
    table = dialog.limits.env.table
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)


def test_finding_3_the_dialog_keeps_secret_values_in_the_keyring(gui: Gui, project: Path, qtbot,  # noqa: ANN001
                                                                aicode_home: Path) -> None:
    core = gui.core
    gui.window.actions.add_folder.trigger()
    qtbot.waitUntil(lambda: gui.binding.dialogs.add is not None and gui.binding.dialogs.add.isVisible())
    dialog = gui.binding.dialogs.add
    dialog.folder.setText(str(project))
    dialog.advanced_toggle.click()
    env = dialog.limits.env
    env.add_row("PLAIN_VAR", PLAIN, edit=False)
    env.add_row("API_TOKEN", edit=False)
    row = _row(dialog, "API_TOKEN")
    env.secret_box(row).click()
    assert env.value_field(row).echoMode() is QLineEdit.EchoMode.Password
    qtbot.keyClicks(env.value_field(row), SECRET)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: len(core.workspaces.list()) == 1 and not dialog.isVisible(), timeout=10_000)
    (ws,) = core.workspaces.list()
    assert ws.env == {"PLAIN_VAR": PLAIN} and ws.secret_env == ("API_TOKEN",)
    assert SecretStore().env_value(ws.id, "API_TOKEN") == SECRET
    assert not [p for p in aicode_home.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]

    # Editing: the secret's value stays in the keyring (an empty masked field keeps it);
    # ticking Secret on the plain variable moves its value there.
    gui.binding.dialogs.edit_workspace(WorkspaceRef(ws.id))
    edit = next(d for d in QApplication.topLevelWidgets() if isinstance(d, AddWorkspaceDialog) and d.isVisible())
    env = edit.limits.env
    secret_row = _row(edit, "API_TOKEN")
    assert env.secret_box(secret_row).isChecked() and env.value_field(secret_row).text() == ""
    assert env.value_field(secret_row).placeholderText() == KEEP_HINT
    assert env.value_field(secret_row).echoMode() is QLineEdit.EchoMode.Password
    env.secret_box(_row(edit, "PLAIN_VAR")).click()
    edit.add_button.click()
    qtbot.waitUntil(lambda: set(core.workspaces.get(ws.id).secret_env) == {"API_TOKEN", "PLAIN_VAR"},
                    timeout=10_000)
    assert core.workspaces.get(ws.id).env == {}
    assert SecretStore().env_value(ws.id, "API_TOKEN") == SECRET
    assert SecretStore().env_value(ws.id, "PLAIN_VAR") == PLAIN
    assert not gui.failures, gui.failures

    # A secret too short to mask is refused with the reason, and nothing changes.
    gui.binding.dialogs.edit_workspace(WorkspaceRef(ws.id))
    again = next(d for d in QApplication.topLevelWidgets() if isinstance(d, AddWorkspaceDialog) and d.isVisible())
    qtbot.keyClicks(again.limits.env.value_field(_row(again, "API_TOKEN")), "short")
    again.add_button.click()
    qtbot.waitUntil(lambda: bool(gui.failures), timeout=10_000)
    assert "at least 8 characters" in str(gui.failures[-1])
    assert SecretStore().env_value(ws.id, "API_TOKEN") == SECRET
