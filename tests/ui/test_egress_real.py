"""Egress in the real window over the real Core: the allowlist and the log
through the real services and database, the dialogs' egress parts, the
credential stored in the real keyring, and a real agent refused a host, then
allowed it with a click."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from desktop.domain import EgressMode, TaskState
from desktop.services.results import EgressAttempt
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.services.test_egress import web  # noqa: F401 - the little web server on this machine's address
from tests.ui.real import Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

HOSTILE = "evil\u202etxt.exe<b>bold</b>\x1b[31m" + "a" * 300


def _egress_tab(gui: Gui, workspace_id: str):  # noqa: ANN202 - EgressSection
    w = gui.window
    w.details_dock.show()
    w.workspace_panel.show_egress_tab()
    section = w.workspace_panel.egress
    gui.qtbot.waitUntil(lambda: section.workspace_id == workspace_id and bool(section.allowlist.hosts))
    return section


def test_the_allowlist_and_the_log_round_trip_through_the_services(gui: Gui, project: Path, qtbot) -> None:  # noqa: ANN001
    core = gui.core
    ws = gui.add_workspace("fenced", project)
    section = _egress_tab(gui, ws.id)
    lst = section.allowlist
    assert lst.hosts == tuple(core.egress.default_list()) and "Following" in lst.note.text()

    qtbot.keyClicks(lst.field, "pkg.example.org:8443")
    lst.add_button.click()
    qtbot.waitUntil(lambda: "pkg.example.org:8443" in lst.hosts)
    assert core.egress.list(ws.id)[-1] == "pkg.example.org:8443" and core.workspaces.get(ws.id).egress_allow
    assert lst.field.text() == "" and lst.note.isHidden(), "the list is the workspace's own now"

    qtbot.keyClicks(lst.field, "not a host!")
    lst.field.returnPressed.emit()
    qtbot.waitUntil(lambda: lst.error.isVisible())
    assert "not a host" in lst.error.text() and lst.field.text() == "not a host!"
    assert "not a host!" not in core.egress.list(ws.id)

    lst.remove_button("github.com").click()
    qtbot.waitUntil(lambda: "github.com" not in lst.hosts)
    assert "github.com" not in core.egress.list(ws.id)

    # What the proxy logged (written as it writes it), newest first, the agent's host name made visible.
    now = datetime.now()
    for i, (host, port) in enumerate([(HOSTILE, 443), ("registry.example.com", 8443)]):
        core.ctx.db.egress.add(EgressAttempt(ws.id, now + timedelta(milliseconds=i), host, port, "blocked",
                                             "not on the allowlist"))
    gui.binding.egress.load()
    log = section.log
    qtbot.waitUntil(lambda: log.list.count() == 2)
    assert log.row_texts(0)[0] == "registry.example.com:8443"
    hostile = log.row_texts(1)[0]
    assert "⟨U+202E⟩" in hostile and "⟨ESC⟩" in hostile and "<b>bold</b>" in hostile and len(hostile) <= 80

    log.allow_button(0).click()
    qtbot.waitUntil(lambda: "registry.example.com:8443" in core.egress.list(ws.id))
    qtbot.waitUntil(lambda: log.allow_button(0).text() == "Allowed" and "registry.example.com:8443" in lst.hosts)
    log.allow_button(1).click()  # the services refuse a name that is no host: said under the log
    qtbot.waitUntil(lambda: log.error.isVisible())
    assert "⟨U+202E⟩" not in core.egress.list(ws.id) and not gui.failures

    # Another mode: the workspace follows, the panel says so.
    section.mode.setCurrentIndex(section.mode.findData("none"))
    section.mode.activated.emit(section.mode.currentIndex())
    qtbot.waitUntil(lambda: core.workspaces.get(ws.id).egress is EgressMode.NONE)
    panel = gui.window.workspace_panel
    qtbot.waitUntil(lambda: panel.egress_mode.text() == "model only" and "Allowlist mode" in lst.note.text())
    assert "registry.example.com:8443" in lst.hosts, "the list waits for the allowlist mode to come back"
    assert not gui.failures, gui.failures


def test_the_edit_dialog_changes_the_mode_and_keeps_the_list(gui: Gui, project: Path, qtbot) -> None:  # noqa: ANN001
    core = gui.core
    ws = gui.add_workspace("edited", project)
    gui.binding.dialogs.edit_workspace(WorkspaceRef(ws.id))
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, AddWorkspaceDialog) and d.isVisible())
    assert dialog.limits.egress.currentData() == "allowlist"
    core.egress.allow(ws.id, "late.example.com")  # from the Egress tab (or the CLI) while the dialog is open
    dialog.limits.egress.setCurrentIndex(dialog.limits.egress.findData("open"))
    dialog.add_button.click()
    qtbot.waitUntil(lambda: core.workspaces.get(ws.id).egress is EgressMode.OPEN, timeout=20_000)
    assert "late.example.com" in core.workspaces.get(ws.id).egress_allow
    qtbot.waitUntil(lambda: gui.window.workspace_panel.egress_mode.text() == "open (bridge)")
    assert not gui.failures, gui.failures


def test_settings_edit_the_default_allowlist(gui: Gui, qtbot) -> None:  # noqa: ANN001
    d = gui.binding.dialogs
    d.open_settings()
    dialog = d.settings_dialog
    qtbot.waitUntil(lambda: dialog.allowlist.isEnabled())
    assert dialog.allowlist.hosts() == tuple(gui.core.egress.default_list())
    dialog.allowlist.edit.setPlainText("api.anthropic.com\ngithub.com\nbad host!")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.allowlist.error.isVisible())
    assert "bad host!" in dialog.allowlist.error.text() and dialog.isVisible()
    assert "bad host!" not in gui.core.egress.default_list()
    dialog.allowlist.edit.setPlainText("api.anthropic.com\ngithub.com\n*.pkg.example.com:8443")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: d.settings_dialog is None)
    assert gui.core.egress.default_list() == ["api.anthropic.com", "github.com", "*.pkg.example.com:8443"]
    assert not gui.failures, gui.failures


def test_each_credential_is_stored_under_its_own_name(gui: Gui, qtbot) -> None:  # noqa: ANN001
    secrets = gui.core.ctx.secrets
    key = secrets.get("anthropic-api-key")  # the tests' key, stored by the fixture
    token = "sk-ant-oat01-GUITEST-" + "t" * 40
    d = gui.binding.dialogs
    d.open_settings()
    section = d.settings_dialog.secrets
    qtbot.waitUntil(lambda: section.status.text().startswith("API key stored"))
    qtbot.keyClicks(section.field.edit, token)
    assert section.field.token.isChecked()  # told by its prefix
    section.field.save.click()
    qtbot.waitUntil(lambda: secrets.get("claude-oauth-token") == token)
    assert secrets.get("anthropic-api-key") == key
    qtbot.waitUntil(lambda: "the API key is used" in section.status.text())
    assert token not in section.status.text() + section.field.edit.text()
    section.remove_key.click()  # so that the token is the one used
    qtbot.waitUntil(lambda: section.status.text().startswith("Subscription token stored"))
    assert secrets.get("anthropic-api-key") is None and secrets.get("claude-oauth-token") == token
    d.settings_dialog.reject()

    # With nothing stored, the first-run dialog asks, and takes an API key under the key's name.
    gui.core.delete_secret("claude-oauth-token")
    d.open_welcome()
    welcome = d.welcome
    qtbot.waitUntil(lambda: welcome.key_field.isVisible() and "No API key or subscription token" in
                    welcome.key.detail.text(), timeout=10_000)
    new_key = "sk-ant-api03-GUITEST-" + "k" * 40
    qtbot.keyClicks(welcome.key_field.edit, new_key)
    assert welcome.key_field.name == "anthropic-api-key"
    welcome.key_field.save.click()
    qtbot.waitUntil(lambda: secrets.get("anthropic-api-key") == new_key)
    assert secrets.get("claude-oauth-token") is None
    qtbot.waitUntil(lambda: welcome.key_field.isHidden() and welcome.key.detail.text().startswith("API key stored"))
    welcome.reject()
    assert not gui.failures, gui.failures


def test_a_refused_request_is_logged_badged_and_allowed(gui: Gui, fake_api: FakeAnthropic, project: Path,  # noqa: ANN001
                                                        web, qtbot) -> None:  # noqa: ANN001, F811
    target, seen = web
    w = gui.window
    ws = gui.add_workspace("fetcher", project)  # egress: the allowlist (the default); it never asks
    fetch = f"git ls-remote http://{target}/x.git 2>&1; echo exit=$?"
    for prompt in ("fetch the repo", "fetch it again"):
        fake_api.script(Reply(text="Fetching.", tool_calls=(ToolCall("Bash", {"command": fetch}),)),
                        Reply(text="Tried."), match=prompt)
    task = gui.run_prompt("fetch the repo")
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED, done.error
    assert seen == [], "the proxy refused it"

    badge = w.task_header.blocked
    qtbot.waitUntil(lambda: badge.isVisible(), timeout=10_000)
    assert badge.text().endswith("blocked") and w.tasks.model.blocked(task.id)
    doc = QTextDocument()
    doc.setHtml(badge.toolTip())
    assert target in doc.toPlainText()

    badge.click()  # the workspace's egress log
    section = w.workspace_panel.egress
    qtbot.waitUntil(lambda: w.details_dock.isVisible() and w.workspace_panel.tabs.currentWidget() is section)
    log = section.log
    qtbot.waitUntil(lambda: log.list.count() >= 1 and log.row_texts(0)[0] == target, timeout=10_000)
    assert section.blocked >= 1 and "blocked" in w.workspace_panel.tabs.tabText(1)
    log.allow_button(0).click()
    qtbot.waitUntil(lambda: target in gui.core.egress.list(ws.id))
    qtbot.waitUntil(lambda: log.allow_button(0).text() == "Allowed" and target in section.allowlist.hosts)

    # Allowed, the agent reaches it.
    gui.run_prompt("fetch it again")
    again = gui.wait_shown_final()
    assert again.state is TaskState.SUCCEEDED, again.error
    assert any(path.startswith("/x.git/info/refs") for path in seen), seen
    qtbot.waitUntil(lambda: not badge.isVisible(), timeout=10_000)
    assert not gui.failures, gui.failures
