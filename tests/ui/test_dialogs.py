"""Settings, first-run, add-workspace and history: values in, requests out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.domain import TaskState
from desktop.ui.bridge.viewdata import (
    BuildProgress,
    EngineStatus,
    ImageStatus,
    SecretStatus,
    SettingsValues,
    ThemeMode,
)
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog, name_from_source
from desktop.ui.dialogs.check_row import CheckState
from desktop.ui.dialogs.settings_dialog import SettingsDialog
from desktop.ui.dialogs.welcome_dialog import WelcomeDialog
from desktop.ui.window.history_view import HistoryView
from tests.ui import factories as f


def test_settings_come_back_as_they_went_in(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    values = SettingsValues(concurrency=4, default_image="my/agent:2", default_cpus=3.5, default_memory="8g",
                            theme=ThemeMode.DARK, notifications=False)
    d.set_values(values)
    assert d.values() == values
    d.memory.setCurrentText("1536M")
    with qtbot.waitSignal(d.settings_saved) as saved:
        d.save_button.click()
    assert saved.args[0].values.default_memory == "1536m"


def test_a_bad_memory_size_is_not_saved(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    d.memory.lineEdit().setText("lots")
    assert not d.memory.lineEdit().hasAcceptableInput()
    with qtbot.assertNotEmitted(d.settings_saved):
        d.save_button.click()


def test_the_api_key_is_sent_once_and_never_shown_again(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    field = d.secrets.field
    assert field.edit.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(field.edit, "sk-ant-secret")
    with qtbot.waitSignal(d.secret_submitted) as sent:
        field.save.click()
    assert sent.args[0].name == "anthropic-api-key" and sent.args[0].value == "sk-ant-secret"
    assert field.edit.text() == ""
    d.show_secret_status(SecretStatus(stored=True, backend="GNOME Keyring"))
    assert d.secrets.status.text() == "Stored in GNOME Keyring"
    assert "sk-ant-secret" not in d.secrets.status.text() + field.edit.placeholderText()


def test_a_plain_file_keyring_is_flagged(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    d.show()
    d.show_secret_status(SecretStatus(stored=True, backend="a plain file", secure=False))
    assert d.secrets.warning.isVisible() and "not encrypted" in d.secrets.warning.text()


def test_first_run_checks_each_say_ok_or_what_to_do(qtbot) -> None:  # noqa: ANN001
    d = WelcomeDialog()
    qtbot.addWidget(d)
    d.show()
    d.show_engine(EngineStatus(False, "Docker is not running", "sudo systemctl start docker"))
    d.show_image(ImageStatus(False, "aicode-agent:latest is not built"))
    d.show_secret(SecretStatus(stored=False))
    assert d.engine.state is d.image.state is d.key.state is CheckState.PROBLEM
    assert "systemctl" in d.engine.fix.text() and not d.done_button.isEnabled()
    assert not d.build_button.isEnabled()  # no engine, no build
    d.show_engine(EngineStatus(True, "Docker 27.3.1"))
    with qtbot.waitSignal(d.image_build_requested):
        d.build_button.click()
    assert d.progress.isVisible() and d.log_toggle.isVisible() and not d.log.isVisible()
    d.add_build_progress(BuildProgress("Step 1/9 : FROM node:22-slim", 0.1))
    d.log_toggle.click()
    assert d.log.isVisible() and "Step 1/9" in d.log.toPlainText()
    d.build_finished(True, "")
    d.show_image(ImageStatus(True, "aicode-agent:latest, Claude Code 2.0.14"))
    d.show_secret(SecretStatus(stored=True, backend="GNOME Keyring"))
    assert d.done_button.isEnabled() and d.summary.text() == "All set."


def test_adding_a_folder_fills_the_name_and_sends_a_spec(qtbot, tmp_path) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    assert not d.add_button.isEnabled()
    d.folder.setText(str(tmp_path / "missing"))
    assert "does not exist" in d.problem()
    project = tmp_path / "shop-backend"
    project.mkdir()
    d.folder.setText(str(project))
    assert d.name.text() == "shop-backend" and d.add_button.isEnabled()
    d.advanced_toggle.click()
    d.limits.network.setCurrentIndex(d.limits.network.findData("none"))
    d.limits.env.add_row("DEBUG", "1")
    with qtbot.waitSignal(d.add_requested) as added:
        d.add_button.click()
    spec = added.args[0].spec
    assert (spec.folder, spec.git_url, spec.network, spec.env) == (str(project), None, "none", {"DEBUG": "1"})
    assert d.progress.isVisibleTo(d) and not d.add_button.isEnabled()
    d.finish()
    assert d.result() == d.DialogCode.Accepted


def test_the_engine_is_chosen_only_when_there_is_a_choice(qtbot, tmp_path) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    d.show()
    assert not d.engine.isVisible()  # only this machine's engine: nothing to choose
    project = tmp_path / "render-farm"
    project.mkdir()
    d.folder.setText(str(project))
    d.set_engines(["local"])
    assert not d.engine.isVisible()
    d.set_engines(["local", "gpu-box", "build"])
    assert d.engine.isVisible()
    assert [d.engine.itemData(i) for i in range(d.engine.count())] == ["local", "auto", "gpu-box", "build"]
    assert d.engine.currentData() == "local"
    d.engine.setCurrentIndex(d.engine.findData("gpu-box"))
    d.set_engines(["local", "gpu-box"])  # listed again: the choice stays
    assert d.engine.currentData() == "gpu-box"
    with qtbot.waitSignal(d.add_requested) as added:
        d.add_button.click()
    spec = added.args[0].spec
    assert spec.engine == "gpu-box"
    from desktop.ui.bridge.service_mapping import workspace_spec

    assert workspace_spec(spec).engine == "gpu-box"


def test_a_clone_shows_progress_and_can_be_cancelled(qtbot) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog(git=True)
    qtbot.addWidget(d)
    d.url.setText("not a url")
    assert not d.add_button.isEnabled()
    d.url.setText("git@github.com:acme/payments.git")
    assert d.name.text() == "payments"
    with qtbot.waitSignal(d.add_requested):
        d.add_button.click()
    d.show_progress(0.4, "Receiving objects: 40%")
    assert d.progress.value() == 400 and d.cancel_button.text() == "Cancel clone"
    with qtbot.waitSignal(d.cancel_requested):
        d.cancel_button.click()
    d.show_error("Clone cancelled")
    assert d.error.text() == "Clone cancelled" and d.add_button.isEnabled()


def test_editing_a_workspace_keeps_its_source(qtbot) -> None:  # noqa: ANN001
    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    ws = f.workspace(source_path="/")
    d.load_workspace(ws)
    assert d.folder.isReadOnly() and d.add_button.text() == "Save"
    d.limits.cpus.setValue(6)
    with qtbot.waitSignal(d.update_requested) as updated:
        d.add_button.click()
    assert updated.args[0].workspace.cpus == 6 and updated.args[0].workspace.id == ws.id


def test_names_from_sources() -> None:
    assert name_from_source("https://github.com/acme/web-app.git") == "web-app"
    assert name_from_source("git@host:team/tool") == "tool"
    assert name_from_source("/home/ada/src/api/") == "api"


def test_history_searches_filters_and_opens(qtbot) -> None:  # noqa: ANN001
    h = HistoryView()
    qtbot.addWidget(h)
    h.set_workspaces([f.workspace()])
    with qtbot.waitSignal(h.query_changed, timeout=2000) as query:
        qtbot.keyClicks(h.search, "tests")
    assert query.args[0].text == "tests"
    with qtbot.waitSignal(h.query_changed) as query:
        h.state.setCurrentIndex(h.state.findData(TaskState.FAILED.value))
    assert query.args[0].states == ("failed",)
    h.show_results([f.task("t1"), f.task("t2", "Other", TaskState.FAILED, minutes_ago=90)])
    assert h.model.rowCount() == 2 and h.model.index(0, 3).data() == "billing-api"
    with qtbot.waitSignal(h.task_opened) as opened:
        h.table.setCurrentIndex(h.model.index(1, 0))
    assert opened.args[0].task_id == "t2"
    h.show_events("t2", f.finished_conversation("t2"), replace=True)
    h.transcript.flush_now()
    assert len(h.transcript.rows) > 5
    h.show_results([])
    assert h.results.currentWidget() is h.empty and "No tasks match" in h.empty.title


def test_history_shows_what_became_of_each_change_and_drops_a_task_its_filter_hides(qtbot) -> None:  # noqa: ANN001
    from desktop.domain.task import PatchState

    h = HistoryView()
    qtbot.addWidget(h)
    h.set_workspaces([f.workspace()])
    changes = h.model.headerData(1, Qt.Orientation.Horizontal)
    assert changes == "Changes"
    h.show_results([f.task("t1"), f.task("t2", "Other", patch_state=PatchState.APPLIED, minutes_ago=60),
                    f.task("t3", "Third", TaskState.RUNNING, minutes_ago=10)])
    assert [h.model.index(i, 1).data() for i in range(3)] == ["", "To review", "Applied"]  # newest first
    # Filtered to running tasks: the one listed ends, and leaves the list without opening another.
    h.state.setCurrentIndex(h.state.findData(TaskState.RUNNING.value))
    h.show_results([f.task("t3", "Third", TaskState.RUNNING, minutes_ago=10), f.task("t4", "Fourth", TaskState.RUNNING)])
    with qtbot.waitSignal(h.task_opened):
        h.table.setCurrentIndex(h.model.index(0, 0))
    with qtbot.assertNotEmitted(h.task_opened):
        h.show_task_update(f.task("t3", "Third", TaskState.SUCCEEDED, minutes_ago=10))
    assert [h.model.task(i).id for i in range(h.model.rowCount())] == ["t4"]
    assert not h.table.selectionModel().hasSelection()
    h.show_task_update(f.task("t4", "Fourth", TaskState.FAILED))
    assert h.model.rowCount() == 0 and h.results.currentWidget() is h.empty
    # Esc and Ctrl+W close it
    for key, mods in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)):
        h.show()
        h.activateWindow()
        qtbot.waitUntil(h.isActiveWindow)
        h.search.setFocus()
        qtbot.keyClick(h.search, key, mods)
        assert not h.isVisible(), key


def test_what_is_not_copied_is_shown_edited_and_sent(qtbot, tmp_path) -> None:  # noqa: ANN001
    from desktop.ui.bridge.service_mapping import workspace_spec

    d = AddWorkspaceDialog()
    qtbot.addWidget(d)
    ws = f.workspace(source_path="/", excluded=("node_modules", "data/raw"))
    d.load_workspace(ws)
    assert d.limits.excluded.text() == "node_modules, data/raw"
    d.limits.excluded.setText(" node_modules ,, *.log ")
    with qtbot.waitSignal(d.update_requested) as updated:
        d.add_button.click()
    assert updated.args[0].workspace.excluded == ("node_modules", "*.log")

    added = AddWorkspaceDialog()
    qtbot.addWidget(added)
    project = tmp_path / "big"
    project.mkdir()
    added.folder.setText(str(project))
    added.advanced_toggle.click()
    added.limits.excluded.setText("cache")
    with qtbot.waitSignal(added.add_requested) as requested:
        added.add_button.click()
    assert workspace_spec(requested.args[0].spec).excluded == ("cache",)
