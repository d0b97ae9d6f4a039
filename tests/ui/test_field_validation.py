"""Issue 10 item 6: what is wrong with a field shows under it as the person types
(not only as a greyed-out button's tooltip); a refused address suggests no name;
and the git dialog's help keeps its height once a clone error shows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect

from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from desktop.ui.dialogs.settings_dialog import SettingsDialog


def _dialog(qtbot, git: bool = False, taken: tuple[str, ...] = ()) -> AddWorkspaceDialog:  # noqa: ANN001
    d = AddWorkspaceDialog(git=git)
    qtbot.addWidget(d)
    d.set_taken_names(taken)
    d.show()
    qtbot.waitExposed(d)
    return d


def _retype(qtbot, field, text: str) -> None:  # noqa: ANN001
    field.selectAll()
    qtbot.keyClicks(field, text) if text else field.del_()


def test_folder_and_name_problems_show_under_their_fields(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    d = _dialog(qtbot, taken=("billing-api",))
    assert not d.add_button.isEnabled()
    assert not d.folder_error.isVisible() and not d.name_error.isVisible(), "nothing typed yet: nothing is wrong"
    _retype(qtbot, d.folder, str(tmp_path / "missing"))
    assert d.folder_error.isVisible() and d.folder_error.text() == "That folder does not exist."
    assert d.name.text() == "" and not d.add_button.isEnabled()
    _retype(qtbot, d.folder, str(Path.home()))
    assert "too broad to give to an agent" in d.folder_error.text()
    project = tmp_path / "billing-api"
    project.mkdir()
    _retype(qtbot, d.folder, str(project))
    assert not d.folder_error.isVisible() and d.name.text() == "billing-api"
    assert d.name_error.text() == "" and not d.add_button.isEnabled(), "the name is taken, though not typed"
    assert "already exists" in d.add_button.toolTip()
    _retype(qtbot, d.name, "Billing-API")
    assert d.name_error.isVisible() and d.name_error.text() == "A workspace named “Billing-API” already exists: " \
                                                               "choose another name."
    _retype(qtbot, d.name, "")
    assert d.name_error.text() == "Give the workspace a name."
    _retype(qtbot, d.name, "a/b")
    assert "without slashes" in d.name_error.text()
    _retype(qtbot, d.name, "billing-two")
    assert not d.name_error.isVisible() and d.add_button.isEnabled()
    d.advanced_toggle.click()
    d.limits.memory.lineEdit().setText("4.")
    assert d.memory_error.isVisible() and "such as 4g" in d.memory_error.text() and not d.add_button.isEnabled()
    d.limits.memory.lineEdit().setText("4g")
    assert not d.memory_error.isVisible() and d.add_button.isEnabled()


def test_a_refused_address_says_why_and_suggests_no_name(qtbot) -> None:  # noqa: ANN001
    d = _dialog(qtbot, git=True)
    _retype(qtbot, d.url, "ext::sh -c touch% /tmp/pwned")
    assert d.url_error.isVisible() and "transport helper" in d.url_error.text()
    assert d.name.text() == "" and not d.add_button.isEnabled()
    _retype(qtbot, d.url, "http://example.com/acme/shop.git")
    assert "unencrypted" in d.url_error.text() and d.name.text() == ""
    _retype(qtbot, d.url, "git@github.com:acme/payments.git")
    assert not d.url_error.isVisible() and d.name.text() == "payments" and d.add_button.isEnabled()
    _retype(qtbot, d.url, "--upload-pack=touch /tmp/x")
    assert "read as an option" in d.url_error.text()
    assert d.name.text() == "", "a name suggested from an address now refused goes with it"


def _rect(widget) -> QRect:  # noqa: ANN001
    return QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())


def test_the_git_help_keeps_its_height_after_a_clone_error(qtbot) -> None:  # noqa: ANN001
    d = _dialog(qtbot, git=True)
    _retype(qtbot, d.url, "git@github.com:acme/payments.git")
    hint = d.url_hint
    whole = hint.heightForWidth(hint.width())
    assert hint.height() >= whole
    d.add_button.click()
    d.show_error("Cloning failed: the server answered “Repository not found”. Check the address and that your "
                 "git credentials can read it; a private repository needs an SSH key or a credential helper that "
                 "knows this host. " * 2)
    qtbot.waitUntil(lambda: d.error.isVisible())
    qtbot.wait(10)  # one turn of the event loop for the layout
    assert hint.height() >= hint.heightForWidth(hint.width()) >= whole
    assert _rect(hint).bottom() < _rect(d.error).top(), "the help and the error do not overlap"
    assert d.error.height() >= d.error.heightForWidth(d.error.width())
    assert _rect(d.add_button).bottom() <= d.height()


def test_settings_say_what_is_wrong_with_the_memory_limit(qtbot) -> None:  # noqa: ANN001
    d = SettingsDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert not d.memory_error.isVisible() and d.save_button.isEnabled()
    d.memory.lineEdit().selectAll()
    qtbot.keyClicks(d.memory.lineEdit(), "2.")
    assert d.memory_error.isVisible() and d.memory_error.text() == "A size with a unit, such as 4g or 1536m."
    assert not d.save_button.isEnabled()
    qtbot.keyClicks(d.memory.lineEdit(), "5g")
    assert not d.memory_error.isVisible() and d.save_button.isEnabled()
