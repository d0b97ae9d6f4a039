"""Permission modes and answers in the dialogs: a new workspace asks by default,
the choices in words, the tools allowed always taken back, the time to answer."""

from __future__ import annotations

from desktop.domain import PermissionMode
from desktop.ui.bridge.viewdata import SettingsValues
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui import factories as f


def test_a_new_workspace_asks_before_changes_by_default(qtbot, tmp_path) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    box = d.limits.permission
    assert [box.itemText(i) for i in range(box.count())] == [
        "Ask before changes (default)", "Accept file edits", "Plan first",
        "Never ask (the container is the only limit)"]
    assert box.currentData() == "default" and "asks you" in d.limits.permission_hint.text()
    assert not d.limits.allowed.isVisibleTo(d)  # a new workspace allows nothing always
    (tmp_path / "project").mkdir()  # not tmp_path: it holds the data folder, which is refused
    d.folder.setText(str(tmp_path / "project"))
    with qtbot.waitSignal(d.add_requested) as added:
        d.add_button.click()
    assert added.args[0].spec.permission_mode == "default"


def test_editing_lists_the_tools_allowed_always_and_takes_one_back(qtbot) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    d.load_workspace(f.workspace(source_path="/", permission_mode=PermissionMode.ACCEPT_EDITS,
                                 allowed_tools=("Bash", "WebFetch")))
    d.show()
    tools = d.limits.allowed
    assert tools.isVisible() and [tools.list.item(i).text() for i in range(tools.list.count())] == ["Bash", "WebFetch"]
    assert d.limits.permission.currentText() == "Accept file edits"
    assert not tools.remove_button.isEnabled()  # nothing selected yet
    tools.list.item(0).setSelected(True)
    tools.remove_button.click()
    assert tools.tools() == ("WebFetch",) and tools.removed() == ("Bash",)
    with qtbot.waitSignal(d.update_requested) as updated:
        d.add_button.click()
    request = updated.args[0]
    assert request.workspace.allowed_tools == ("WebFetch",) and request.removed_tools == ("Bash",)
    assert request.workspace.permission_mode is PermissionMode.ACCEPT_EDITS


def test_editing_a_workspace_without_rules_says_the_agent_asks_each_time(qtbot) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    d.load_workspace(f.workspace(source_path="/"))
    d.show()
    assert d.limits.allowed.empty.isVisible() and not d.limits.allowed.list.isVisible()


def test_the_time_to_answer_the_agent_is_a_setting(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    assert SettingsValues().answer_timeout_minutes == 30 and d.answer_timeout.value() == 30
    assert d.answer_timeout.minimum() == 1 and d.answer_timeout.suffix() == " min"
    d.set_values(SettingsValues(answer_timeout_minutes=90))
    assert d.values().answer_timeout_minutes == 90
    d.answer_timeout.setValue(5)
    with qtbot.waitSignal(d.settings_saved) as saved:
        d.save_button.click()
    assert saved.args[0].values.answer_timeout_minutes == 5
