"""The Docker engines, through ``app.engines``: list them, test each one's
connection, add one, remove one.

Each call runs on a worker (``Calls``); an engine's test gets a worker of its
own, so a slow or dead engine never holds up the others or the window. Tests
are numbered per engine: only the latest one's answer is shown. What the
services refuse comes back as news for the page, which says it where it was
asked (under a field, on the engine's card), not as a failure of the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.domain.engines import BadEngine, TlsFiles, check_name, check_url
from desktop.services.errors import UserError
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.engine_payloads import (
    FORM,
    NAME,
    TLS,
    URL,
    EngineAddRefused,
    EngineAddRequested,
    EngineHealth,
    EngineItem,
    EngineRef,
    EngineRemoveRefused,
    EnginesListed,
    ImageState,
)

if TYPE_CHECKING:
    from desktop.services.app import App
    from desktop.services.engines import EngineEntry, EngineReport


def item_of(entry: EngineEntry) -> EngineItem:
    return EngineItem(entry.name, entry.url, entry.tls, entry.workspaces, entry.local)


def health_of(report: EngineReport) -> EngineHealth:
    if not report.ok:
        return EngineHealth(report.name, False, report.message, report.fix, workspaces=report.workspaces)
    if not report.image_present:
        image = ImageState.MISSING
    elif not report.image_usable:
        image = ImageState.UNUSABLE
    elif report.image_current is None:
        image = ImageState.UNCOMPARED
    else:
        image = ImageState.CURRENT if report.image_current else ImageState.OTHER
    return EngineHealth(report.name, True, report.message, version=report.version, os_arch=report.os_arch,
                        cpus=report.cpus, memory_bytes=report.memory_bytes, free_disk_bytes=report.free_disk_bytes,
                        running=report.running, image=image, workspaces=report.workspaces)


def refused_field(asked: EngineAddRequested, message: str) -> str:
    """The add form's field a refused ``add`` is about.

    The services check the name, then the TLS files, then the URL. The name's
    and the URL's rules are the domain's (no I/O): whichever of them gives the
    very message the services gave is the field. Anything else is about the
    files, or (with none) a name another add took meanwhile.
    """
    tls = TlsFiles(asked.tls_ca, asked.tls_cert, asked.tls_key) if asked.tls_given else None
    for field, check in ((NAME, lambda: check_name(asked.name)), (URL, lambda: check_url(asked.url, tls))):
        try:
            check()
        except BadEngine as error:
            if str(error) == message:
                return field
    return TLS if asked.tls_given else NAME


class EnginesController(QObject):
    """Signals:
        engines_listed(EnginesListed): every engine as it is now.
        engine_checking(EngineRef): a connection test started.
        engine_checked(EngineHealth): what the latest test of an engine found.
        engine_added(EngineItem): an engine was added (the list is loaded again).
        add_refused(EngineAddRefused): an engine the services did not take, and why.
        engine_removed(EngineRef): an engine was removed (the list is loaded again).
        remove_refused(EngineRemoveRefused): a removal refused or failed, and why.
    """

    engines_listed = Signal(object)
    engine_checking = Signal(object)
    engine_checked = Signal(object)
    engine_added = Signal(object)
    add_refused = Signal(object)
    engine_removed = Signal(object)
    remove_refused = Signal(object)

    def __init__(self, app: App, calls: Calls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._calls = calls
        self._checks: dict[str, int] = {}  # engine name -> number of its latest test

    def load(self) -> None:
        def listed(entries: list[EngineEntry]) -> None:
            self.engines_listed.emit(EnginesListed(tuple(item_of(e) for e in entries)))

        self._calls.run("List the engines", self._app.engines.list, then=listed, quiet=True)

    def check(self, ref: EngineRef) -> None:
        name = ref.name
        number = self._checks[name] = self._checks.get(name, 0) + 1

        def latest(health: EngineHealth) -> None:
            if self._checks.get(name) == number:
                self.engine_checked.emit(health)

        self.engine_checking.emit(ref)
        # A test that could not even start (the engine was removed meanwhile) reads as one that failed.
        self._calls.run(f"Test the engine {name}", self._app.engines.test, name,
                        then=lambda report: latest(health_of(report)),
                        failed=lambda message: latest(EngineHealth(name, False, message)), quiet=True)

    def add(self, asked: EngineAddRequested) -> None:
        def added(entry: EngineEntry) -> None:
            self.engine_added.emit(item_of(entry))
            self.load()  # the page tests the engines it had not listed yet: this one, at once

        def refused(error: Exception) -> None:
            field = refused_field(asked, str(error)) if isinstance(error, UserError) else FORM
            self.add_refused.emit(EngineAddRefused(field, cm.error_text(error)))

        self._calls.run("Add an engine", self._app.engines.add, asked.name, asked.url, asked.tls_ca or None,
                        asked.tls_cert or None, asked.tls_key or None, then=added, failed_error=refused, quiet=True)

    def remove(self, ref: EngineRef) -> None:
        def removed(_none: None) -> None:
            self._checks.pop(ref.name, None)
            self.engine_removed.emit(ref)
            self.load()

        def refused(message: str) -> None:
            self.remove_refused.emit(EngineRemoveRefused(ref.name, message))
            self.load()  # the count of its workspaces may have moved on

        self._calls.run(f"Remove the engine {ref.name}", self._app.engines.remove, ref.name, then=removed,
                        failed=refused, quiet=True)
