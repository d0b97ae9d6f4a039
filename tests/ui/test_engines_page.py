"""The Engines page over the real services: the engines listed, each tested on
a worker as the page opens, one added through the form (what the services
refuse said under its field), one removed after the question (and refused
while a workspace lives there), the local engine up with its load, and the
page at 800x500."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from desktop.services.app import App
from desktop.services.context import AppContext
from desktop.services.workspaces import WorkspaceSpec
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.engine_payloads import NAME, TLS, URL, EngineAddRequested
from desktop.ui.bridge.engines_binding import EnginesBinding
from desktop.ui.bridge.engines_controller import EnginesController, refused_field
from desktop.ui.engines.add_dialog import AddEngineDialog
from desktop.ui.engines.card import EngineCard
from desktop.ui.engines.page import EnginesDialog
from tests.ui.real import settled

# docker-py leaks the socket of a failed connection to a Unix socket (see
# test_real_engine.py); these tests test a missing engine on purpose, and
# collect those sockets once their calls have stopped, so no later test hears of them.
pytestmark = pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")


@pytest.fixture(autouse=True)
def _engine_sockets_collected() -> Iterator[None]:
    yield  # set up first, so torn down last: after the calls have been waited for
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture
def app(aicode_home: Path) -> Iterator[App]:
    with App(AppContext(), runs_queue=False) as app:
        yield app


@pytest.fixture
def open_page(app: App, qasync_loop: asyncio.AbstractEventLoop, qtbot) -> Iterator:  # noqa: ANN001
    """Opens the page as the window does: its binding started, every engine tested.
    The controller outlives the page, as the window's does."""
    controllers: list[EnginesController] = []

    def open_() -> EnginesDialog:
        page = EnginesDialog()
        qtbot.addWidget(page)
        engines = EnginesController(app, Calls())
        controllers.append(engines)
        EnginesBinding(page, engines).start()
        page.show()
        qtbot.waitExposed(page)
        return page

    open_.controllers = controllers  # type: ignore[attr-defined]
    yield open_
    settled(qtbot)  # no test of an engine still running when the services close


def no_socket(tmp_path: Path) -> str:
    return f"unix://{tmp_path}/nothing-listens-here.sock"


def all_tested(qtbot, page: EnginesDialog, *names: str, timeout: int = 20_000) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: all(n in page.cards and page.cards[n].health is not None
                                and not page.cards[n].checking for n in names), timeout=timeout)


def add_through_the_form(qtbot, page: EnginesDialog, name: str, url: str) -> AddEngineDialog:  # noqa: ANN001
    page.add_button.click()
    qtbot.waitUntil(lambda: page.add_dialog is not None and page.add_dialog.isVisible())
    form = page.add_dialog
    assert form is not None
    qtbot.keyClicks(form.name, name)
    qtbot.keyClicks(form.url, url)
    form.add_button.click()
    return form


def test_the_list_shows_the_local_engine_and_the_added_ones(app: App, open_page, qtbot, tmp_path) -> None:  # noqa: ANN001
    app.engines.add("box", no_socket(tmp_path))
    page = open_page()
    qtbot.waitUntil(lambda: list(page.cards) == ["local", "box"])
    local, box = page.cards["local"], page.cards["box"]
    assert local.where.full_text().startswith("This machine") and not local.remove_button.isVisible()
    assert box.where.full_text() == f"{no_socket(tmp_path)} · TLS: no · No workspaces"
    assert box.remove_button.isVisible() and box.test_button.isVisible()
    all_tested(qtbot, page, "local", "box")
    assert box.chip.text() == "Unreachable" and "not available" in box.detail.text()


def test_a_bad_url_is_said_under_its_field_and_nothing_is_added(app: App, open_page, qtbot) -> None:  # noqa: ANN001
    page = open_page()
    form = add_through_the_form(qtbot, page, "box", "http://10.0.0.5:2375")
    qtbot.waitUntil(lambda: form.url_error.isVisible())
    assert "Bad engine URL" in form.url_error.text() and form.name_error.isHidden()
    assert form.isVisible() and form.url.text() == "http://10.0.0.5:2375", "the text stays, to correct"
    assert form.add_button.isEnabled() and form.add_button.text() == "Add"
    assert [e.name for e in app.engines.list()] == ["local"]
    qtbot.keyClicks(form.url, "x")  # correcting it takes the error away
    assert form.url_error.isHidden()

    form.name.setText("Big Box")  # the name's rule: under the name
    form.url.setText("ssh://me@build-box")
    form.add_button.click()
    qtbot.waitUntil(lambda: form.name_error.isVisible())
    assert "Bad engine name" in form.name_error.text() and form.url_error.isHidden()

    form.name.setText("tls-box")  # tcp:// asks for the three files before anything is sent
    form.url.setText("tcp://10.0.0.5:2376")
    assert form.files["ca"].isVisible() and form.files["key"].isVisible()
    form.add_button.click()
    assert form.tls_error.isVisible() and "all three files" in form.tls_error.text()
    form.files["ca"].setText("/nowhere/ca.pem")
    form.files["cert"].setText("/nowhere/cert.pem")
    form.files["key"].setText("/nowhere/key.pem")
    form.add_button.click()  # the services cannot read them: said under the files
    qtbot.waitUntil(lambda: form.tls_error.isVisible())
    assert "cannot be read" in form.tls_error.text() and form.url_error.isHidden()
    assert [e.name for e in app.engines.list()] == ["local"] and list(page.cards) == ["local"]


@pytest.mark.parametrize("asked, field", [
    (EngineAddRequested("Big Box", "tcp://h", "/x", "/y", "/z"), NAME),
    (EngineAddRequested("box", "ftp://h"), URL),
    (EngineAddRequested("box", "tcp://h:2376"), URL),  # tcp without files: the URL's rule says so
    (EngineAddRequested("box", "tcp://h", "/x", "/y", "/z"), TLS),  # both wrong: the files are checked first
    (EngineAddRequested("box", "ssh://me@h"), NAME),  # all good: a name taken meanwhile
])
def test_a_refusal_is_placed_under_the_field_the_services_checked(app: App, tmp_path: Path,
                                                                   asked: EngineAddRequested, field: str) -> None:
    app.engines.add("box", no_socket(tmp_path))
    with pytest.raises(Exception) as refused:  # noqa: PT011 - whichever the services raise
        app.engines.add(asked.name, asked.url, asked.tls_ca or None, asked.tls_cert or None, asked.tls_key or None)
    assert refused_field(asked, str(refused.value)) == field, str(refused.value)


def test_an_added_engine_is_tested_at_once_and_says_why_it_is_unreachable(app: App, open_page, qtbot,  # noqa: ANN001
                                                                         tmp_path: Path) -> None:
    page = open_page()
    all_tested(qtbot, page, "local")
    checking: list[str] = []
    open_page.controllers[-1].engine_checking.connect(lambda ref: checking.append(ref.name))
    add_through_the_form(qtbot, page, "box", no_socket(tmp_path))
    qtbot.waitUntil(lambda: "box" in page.cards)
    assert page.add_dialog is None, "the form closed once the engine was added"
    assert [e.name for e in app.engines.list()] == ["local", "box"]
    all_tested(qtbot, page, "box")
    assert checking == ["box"], "tested as soon as it was listed"
    card = page.cards["box"]
    assert card.chip.text() == "Unreachable" and card.chip.property("tone") == "danger"
    assert card.detail.text() == "The Docker engine 'box' is not available: there is no socket at that path."
    assert "No such file or directory" in card.technical.full_text() and card.technical.isVisible()
    assert card.fix.text() == f"Check that the engine at {no_socket(tmp_path)} is running and reachable."
    assert card.image.isHidden()

    card.test_button.click()  # Test again: "Checking…" while it runs, the same answer after
    assert card.chip.text() == "Checking…" and not card.test_button.isEnabled()
    all_tested(qtbot, page, "box")
    assert card.chip.text() == "Unreachable" and card.test_button.isEnabled()


def _answer(qtbot, page: EnginesDialog, button: str) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: page.remove_box is not None and page.remove_box.isVisible())
    box = page.remove_box
    assert box is not None and box.icon() == QMessageBox.Icon.Warning and "box" in box.text()
    assert box.defaultButton().text() == "Keep it", "Enter on the question keeps the engine"
    next(b for b in box.buttons() if b.text() == button).click()
    qtbot.waitUntil(lambda: page.remove_box is None)


def test_remove_asks_first_and_removes(app: App, open_page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    app.engines.add("box", no_socket(tmp_path))
    page = open_page()
    all_tested(qtbot, page, "local", "box")
    page.cards["box"].remove_button.click()
    _answer(qtbot, page, "Keep it")
    assert "box" in page.cards and [e.name for e in app.engines.list()] == ["local", "box"]

    page.cards["box"].remove_button.click()
    _answer(qtbot, page, "Remove")
    qtbot.waitUntil(lambda: list(page.cards) == ["local"])
    assert [e.name for e in app.engines.list()] == ["local"]


def test_remove_is_refused_while_a_workspace_lives_there(app: App, open_page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    app.engines.add("box", no_socket(tmp_path))
    project = tmp_path / "project"
    project.mkdir()
    ws = app.workspaces.add(WorkspaceSpec("demo", path=str(project)))
    app.ctx.db.workspaces.update(replace(app.ctx.db.workspaces.get(ws.id), engine="box"))
    page = open_page()
    all_tested(qtbot, page, "local", "box")
    card = page.cards["box"]
    assert card.where.full_text().endswith("1 workspace")
    card.remove_button.click()
    _answer(qtbot, page, "Remove")
    qtbot.waitUntil(lambda: card.error.isVisible())
    assert "1 workspace(s) live on the engine 'box'" in card.error.text()
    assert page.isVisible() and list(page.cards) == ["local", "box"] and page.cards["box"] is card
    assert [e.name for e in app.engines.list()] == ["local", "box"]
    card.test_button.click()  # a new test clears the old refusal
    assert card.error.isHidden()


@pytest.mark.docker
def test_the_local_engine_is_up_with_its_load(open_page, qtbot) -> None:  # noqa: ANN001
    page = open_page()
    all_tested(qtbot, page, "local")
    card = page.cards["local"]
    assert card.chip.text() == "Up" and card.chip.property("tone") == "success"
    machine, load = card.detail.text().split("\n")
    assert machine.startswith("Docker ") and "linux/" in machine
    assert " CPU" in load and " memory" in load and "free disk" in load and "running" in load
    assert card.image.isVisible() and card.image.text().startswith("Agent image: ")
    assert card.fix.isHidden() and card.error.isHidden()


def _rect(widget: QWidget, within: QWidget) -> QRect:
    return QRect(widget.mapTo(within, widget.rect().topLeft()), widget.size())


def _whole(label: QLabel) -> bool:
    """A visible label has the height its text needs at its width (nothing cut off)."""
    need = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
    return label.height() >= need


def test_the_page_and_the_form_fit_800_by_500(app: App, open_page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    long_path = tmp_path / ("very-long-folder-name-" * 6) / "docker.sock"
    app.engines.add("a-rather-long-engine-name-for-a-card-x", f"unix://{long_path}")
    app.engines.add("box", no_socket(tmp_path))
    page = open_page()
    assert page.minimumWidth() <= 800 and page.minimumHeight() <= 500
    page.resize(800, 500)
    all_tested(qtbot, page, "local", "box", "a-rather-long-engine-name-for-a-card-x")
    qtbot.waitUntil(lambda: page.size().width() == 800 and page.size().height() == 500)
    QApplication.processEvents()
    viewport = page.scroll.viewport()
    for card in page.cards.values():
        assert card.width() <= viewport.width(), "no card wider than the page: nothing is cut at the right"
        for b in (card.test_button, card.remove_button):
            if b.isVisible():
                assert b.width() >= b.sizeHint().width() and _rect(b, card).right() <= card.width(), b.text()
        assert card.name.width() >= min(48, card.name.sizeHint().width()) and card.chip.width() >= card.chip.sizeHint().width()
        for part in card.findChildren(QLabel):
            if part.isVisible() and part is not card.where and part is not card.name:
                assert _whole(part), part.text()
    for b in (page.add_button, page.test_all):
        assert b.width() >= b.sizeHint().width() and _rect(b, page).bottom() < page.height()

    form = add_through_the_form(qtbot, page, "x", "tcp://h:2376")  # the longest form: the TLS files shown
    qtbot.waitUntil(lambda: form.tls_error.isVisible())
    QApplication.processEvents()
    assert form.width() <= 800 and form.height() <= 500, form.size()
    assert form.add_button.width() >= form.add_button.sizeHint().width()
    assert _rect(form.add_button, form).bottom() < form.height()
    assert _whole(form.tls_error)
    form.reject()


def test_the_menu_opens_the_page(app: App, qasync_loop, qtbot, qapp) -> None:  # noqa: ANN001
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    controller = Controller(app, window)
    binding = Binding(qapp, window, controller, Tray(window, window.banner, available=False, use_desktop=False))
    action = window.actions.engines
    assert "Ctrl+Shift+E" in [k.toString() for k in action.shortcuts()]
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    assert file_menu.actions().index(action) == file_menu.actions().index(window.actions.settings) + 1
    window.show()
    action.trigger()
    page = binding.dialogs.engines
    assert isinstance(page, EnginesDialog) and page.isVisible()
    qtbot.waitUntil(lambda: "local" in page.cards)
    action.trigger()  # a second time: the same page, raised
    assert binding.dialogs.engines is page
    all_tested(qtbot, page, "local")
    assert isinstance(page.cards["local"], EngineCard)
    page.reject()
    qtbot.waitUntil(lambda: binding.dialogs.engines is None)
    settled(qtbot)
    controller.shutdown(wait=2.0)


def test_the_add_workspace_dialog_offers_the_added_engines(app: App, qasync_loop, qtbot, qapp) -> None:  # noqa: ANN001
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    app.engines.add("gpu-box", "unix:///tmp/aicode-test-no-such-engine.sock")
    window = MainWindow()
    qtbot.addWidget(window)
    controller = Controller(app, window)
    binding = Binding(qapp, window, controller, Tray(window, window.banner, available=False, use_desktop=False))
    window.show()
    binding.dialogs.open_add_workspace(git=False)
    dialog = binding.dialogs.add
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.engine.isVisible())
    assert [dialog.engine.itemData(i) for i in range(dialog.engine.count())] == ["local", "auto", "gpu-box"]
    dialog.reject()
    qtbot.waitUntil(lambda: binding.dialogs.add is None)
    settled(qtbot)
    controller.shutdown(wait=2.0)


def test_the_open_page_tests_its_engines_again_on_its_own(app: App, qasync_loop, qtbot) -> None:  # noqa: ANN001
    from desktop.ui.bridge.calls import Calls
    from desktop.ui.bridge.engines_binding import EnginesBinding

    app.engines.add("box", "unix:///tmp/aicode-test-no-such-engine.sock")
    page = EnginesDialog()
    qtbot.addWidget(page)
    controller = EnginesController(app, Calls())
    binding = EnginesBinding(page, controller)
    binding.watch.setInterval(200)  # the test's own pace; the app's is WATCH_MS
    started: list[str] = []
    controller.engine_checking.connect(lambda ref: started.append(ref.name))
    page.show()
    binding.start()
    # At open, then by the watch; an engine whose test still runs is not tested twice at once.
    qtbot.waitUntil(lambda: started.count("box") >= 3 and started.count("local") >= 2, timeout=30_000)
    binding.watch.stop()
    all_tested(qtbot, page, "local", "box")
    settled(qtbot)
