"""The Egress section, the blocked badges and the dialogs' egress and credential
parts, each view on its own (the real services' round trips are in
test_egress_real.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from desktop.domain import EgressMode, TaskState
from desktop.ui.bridge.egress_payloads import EgressChangeRefused, EgressLoaded, HostAllowed, Refusal
from desktop.ui.bridge.viewdata import SecretStatus
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from desktop.ui.dialogs.credential_field import API_KEY, OAUTH_TOKEN, kind_of
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.egress import words
from desktop.ui.egress.blocked_log import ROWS, covered
from desktop.ui.egress.section import EgressSection
from desktop.ui.window.task_header import TaskHeader
from desktop.ui.window.task_list import TaskListModel
from desktop.ui.window.workspace_panel import WorkspacePanel
from tests.ui import factories as f

HOSTILE = "evil\u202etxt.exe<b>bold</b>\x1b[31m" + "a" * 240  # as long as the log keeps (255)
LIST = ("api.anthropic.com", "github.com", "registry.example.com:8443")


def _refusals() -> tuple[Refusal, ...]:
    at = f.NOW
    return (Refusal(at, "registry.example.com", 8443, "not on the allowlist"),
            Refusal(at - timedelta(seconds=5), HOSTILE, 443, "not on the allowlist \u202e<i>x</i>"),
            Refusal(at - timedelta(seconds=9), "pypi.example.org", 443, "not on the allowlist"),
            Refusal(at - timedelta(seconds=20), "model", 0, "a model request without this workspace's key"))


def _shown(tip: str) -> str:
    """A tooltip as Qt shows it (rich text if it looks like it)."""
    doc = QTextDocument()
    doc.setHtml(tip)
    return doc.toPlainText()


def _section(qtbot, refusals: tuple[Refusal, ...] = (), follows: bool = False) -> EgressSection:  # noqa: ANN001
    section = EgressSection()
    qtbot.addWidget(section)
    section.log.now = f.NOW
    section.show_workspace(f.workspace())
    section.show_egress(EgressLoaded("ws1", EgressMode.ALLOWLIST, LIST, follows, refusals or _refusals(), 2))
    section.show()
    return section


def test_refused_hosts_are_shown_as_visible_bounded_text(qtbot) -> None:  # noqa: ANN001
    log = _section(qtbot).log
    assert log.list.count() == 4
    host, detail = log.row_texts(1)
    assert "⟨U+202E⟩" in host and "⟨ESC⟩" in host and "<b>bold</b>" in host
    assert len(host) <= words.HOST_CHARS and host.endswith("…")
    assert "⟨U+202E⟩<i>x</i>" in detail and "\u202e" not in detail + host
    row = log.list.itemWidget(log.list.item(1))
    labels = [w for w in row.children() if hasattr(w, "full_text")]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    assert "<b>bold</b>" in _shown(labels[0].toolTip()) and "⟨ESC⟩" in _shown(labels[0].toolTip())
    # The model refusal names no host to allow; one already on the list is done.
    assert log.allow_button(3) is None
    assert log.allow_button(0).text() == "Allowed" and not log.allow_button(0).isEnabled()
    assert log.allow_button(2).text() == "Allow" and log.allow_button(2).isEnabled()
    assert covered(Refusal(f.NOW, "GitHub.com", 443, ""), LIST), "a host's entry covers 443 and 80"
    assert not covered(Refusal(f.NOW, "github.com", 22, ""), LIST)


def test_the_log_is_bounded(qtbot) -> None:  # noqa: ANN001
    many = tuple(Refusal(f.NOW - timedelta(seconds=i), f"h{i}.example.com", 443, "not on the allowlist")
                 for i in range(ROWS + 50))
    section = _section(qtbot, many)
    assert section.log.list.count() == ROWS and section.log.row_texts(0)[0] == "h0.example.com:443"


def test_the_section_asks_and_says_what_was_refused_where(qtbot) -> None:  # noqa: ANN001
    section = _section(qtbot, follows=True)
    lst = section.allowlist
    assert "Following the app's default list" in lst.note.text() and lst.hosts == LIST
    assert section.badge.isVisible() and section.badge.text() == "2 blocked"

    with qtbot.waitSignal(section.host_allowed) as allowed:
        section.log.allow_button(2).click()
    assert allowed.args[0] == HostAllowed("ws1", "pypi.example.org:443", "log")

    qtbot.keyClicks(lst.field, "not a host!")
    with qtbot.waitSignal(section.host_allowed) as allowed:
        lst.add_button.click()
    assert allowed.args[0] == HostAllowed("ws1", "not a host!", "add")
    section.change_refused(EgressChangeRefused("ws1", "add", "'not a host!' is not a host"))
    assert lst.error.isVisible() and lst.field.text() == "not a host!" and not section.log.error.isVisible()
    section.change_refused(EgressChangeRefused("other", "add", "another workspace's news"))
    assert lst.error.text() == "'not a host!' is not a host"
    lst.field.setText("cdn.example.net")
    assert not lst.error.isVisible(), "typing again takes the old error away"
    section.host_saved(HostAllowed("ws1", "cdn.example.net"))
    assert lst.field.text() == ""

    with qtbot.waitSignal(section.host_removed) as removed:
        lst.remove_button("github.com").click()
    assert removed.args[0].host == "github.com" and removed.args[0].workspace_id == "ws1"

    with qtbot.waitSignal(section.mode_chosen) as chosen:
        section.mode.setCurrentIndex(section.mode.findData("none"))
        section.mode.activated.emit(section.mode.currentIndex())
    assert chosen.args[0].mode is EgressMode.NONE and "nothing else" in section.hint.text()
    section.change_refused(EgressChangeRefused("ws1", "mode", "The engine is away"))
    assert section.mode_error.isVisible()
    section.show_egress(EgressLoaded("ws1", EgressMode.NONE, LIST, False, (), 0))
    assert "Used only in Allowlist mode" in lst.note.text() and not section.badge.isVisible()
    assert section.log.empty.isVisible() and not section.log.list.isVisible()


def test_another_workspace_empties_the_section(qtbot) -> None:  # noqa: ANN001
    section = _section(qtbot)
    section.show_workspace(f.workspace("ws2", "other", egress=EgressMode.OPEN))
    assert section.log.list.count() == 0 and section.mode.currentData() == "open"
    section.show_egress(EgressLoaded("ws1", EgressMode.ALLOWLIST, LIST, False, _refusals(), 2))
    assert section.log.list.count() == 0, "news of the workspace no longer shown"
    section.show_workspace(None)
    assert not section.isEnabled()


def test_a_task_whose_agent_was_refused_has_a_badge(qtbot) -> None:  # noqa: ANN001
    header = TaskHeader()
    qtbot.addWidget(header)
    task, other = f.task("t1"), f.task("t2", "Another")
    header.show_task(task)
    refusals = _refusals()[:3]
    header.show_blocked("t2", refusals)
    assert header.blocked.isHidden(), "another task's refusals"
    header.show_blocked("t1", refusals)
    assert not header.blocked.isHidden() and header.blocked.text() == "3 blocked"
    tip = _shown(header.blocked.toolTip())
    assert "registry.example.com:8443" in tip and "pypi.example.org:443" in tip
    assert "<b>bold</b>" in tip and "⟨U+202E⟩" in tip and "\u202e" not in tip
    header.show_task(replace(task, state=TaskState.SUCCEEDED))
    assert not header.blocked.isHidden(), "the same task again keeps its badge"
    header.show_task(other)
    assert header.blocked.isHidden()

    model = TaskListModel()
    model.set_tasks([task, other])
    model.set_blocked("t1", refusals)
    index = model.index(model.row_of("t1"))
    assert "3 blocked" in model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    assert "registry.example.com:8443" in _shown(model.data(index, Qt.ItemDataRole.ToolTipRole))
    model.set_blocked("t1", ())
    assert "blocked" not in model.data(index, Qt.ItemDataRole.AccessibleTextRole)

    panel = WorkspacePanel()
    qtbot.addWidget(panel)
    panel.show_workspace(f.workspace())
    panel.show_blocked(2)
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.egress)) == "Egress · 2 blocked"
    panel.show_blocked(0)
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.egress)) == "Egress"


def test_a_workspace_is_added_and_edited_with_its_egress(qtbot, tmp_path) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    (tmp_path / "project").mkdir()  # not tmp_path: it holds the data folder, which is refused
    d.folder.setText(str(tmp_path / "project"))
    d.advanced_toggle.click()
    limits = d.limits
    assert limits.egress.currentData() == "allowlist" and not limits.network.isEnabled()
    limits.egress.setCurrentIndex(limits.egress.findData("open"))
    assert limits.network.isEnabled() and "proxy" in limits.egress_hint.text()
    limits.egress.setCurrentIndex(limits.egress.findData("none"))
    with qtbot.waitSignal(d.add_requested) as added:
        d.add_button.click()
    assert added.args[0].spec.egress == "none"

    edit = AddWorkspaceDialog()
    qtbot.addWidget(edit)
    edit.load_workspace(f.workspace(source_path="/", egress=EgressMode.OPEN, egress_allow=("a.example.com",)))
    assert edit.limits.egress.currentData() == "open" and edit.limits.network.isEnabled()
    edit.limits.egress.setCurrentIndex(edit.limits.egress.findData("allowlist"))
    with qtbot.waitSignal(edit.update_requested) as updated:
        edit.add_button.click()
    ws = updated.args[0].workspace
    assert ws.egress is EgressMode.ALLOWLIST and ws.egress_allow == ("a.example.com",)


def test_settings_wait_for_the_default_list_to_be_taken(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    d.open()
    with qtbot.waitSignal(d.settings_saved):
        d.save_button.click()  # not loaded yet: nothing to check, saved at once

    d = SettingsDialog()
    qtbot.addWidget(d)
    d.open()
    d.show_default_list(["api.anthropic.com", "github.com"])
    d.allowlist.edit.setPlainText("api.anthropic.com\n\n  github.com  \nbad host!\n")
    with qtbot.assertNotEmitted(d.settings_saved), qtbot.waitSignal(d.default_list_submitted) as sent:
        d.save_button.click()
    assert sent.args[0].hosts == ("api.anthropic.com", "github.com", "bad host!")
    assert d.isVisible() and not d.save_button.isEnabled()
    d.default_list_refused("'bad host!' is not a host")
    assert d.allowlist.error.isVisible() and d.save_button.isEnabled() and d.isVisible()
    d.allowlist.edit.setPlainText("api.anthropic.com\ngithub.com\npkg.example.com")
    with qtbot.waitSignal(d.default_list_submitted):
        d.save_button.click()
    with qtbot.waitSignal(d.settings_saved):
        d.default_list_saved(["api.anthropic.com", "github.com", "pkg.example.com"])
    assert d.result() == d.DialogCode.Accepted


def test_a_credential_is_a_key_or_a_subscription_token(qtbot) -> None:  # noqa: ANN001
    assert kind_of("sk-ant-oat01-abc") == OAUTH_TOKEN and kind_of(" sk-ant-api03-abc") == API_KEY
    assert kind_of("something else") is None
    d = SettingsDialog()
    qtbot.addWidget(d)
    field = d.secrets.field
    assert field.name == API_KEY
    qtbot.keyClicks(field.edit, "sk-ant-oat01-" + "t" * 20)
    assert field.token.isChecked() and field.save.text() == "Save token"
    with qtbot.waitSignal(d.secret_submitted) as sent:
        field.save.click()
    assert sent.args[0].name == OAUTH_TOKEN and field.edit.text() == ""
    field.api_key.setChecked(True)
    qtbot.keyClicks(field.edit, "my-gateway-key")  # says nothing of itself: the choice stands
    with qtbot.waitSignal(d.secret_submitted) as sent:
        field.save.click()
    assert sent.args[0].name == API_KEY

    d.show_secret_status(SecretStatus(True, "GNOME Keyring", api_key=True, token=True))
    assert "the API key is used" in d.secrets.status.text() and not d.secrets.remove_key.isHidden()
    with qtbot.waitSignal(d.secret_removed) as removed:
        d.secrets.remove_key.click()
    assert removed.args[0] == API_KEY
    d.show_secret_status(SecretStatus(True, "GNOME Keyring", token=True))
    assert d.secrets.status.text() == "Subscription token stored in GNOME Keyring" and d.secrets.remove_key.isHidden()
