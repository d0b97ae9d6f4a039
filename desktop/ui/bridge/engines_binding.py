"""Connects the Engines page to the engines controller.

The page opens with the list loaded and every engine tested at once, each
on its own worker; an engine the page had not listed before (one just
added) is tested as soon as it is listed, and while the page is open every
engine is tested again each WATCH_MS, so a state shown is never old (a test
still running is not started twice). Flow only: what an engine is and
whether it may go are the services' to say.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from desktop.ui.bridge.engine_payloads import EngineRef, EnginesListed
from desktop.ui.bridge.engines_controller import EnginesController
from desktop.ui.engines.page import EnginesDialog

WATCH_MS = 30_000


class EnginesBinding(QObject):
    """A child of its page: the two go together, and with them the connections."""

    def __init__(self, page: EnginesDialog, engines: EnginesController) -> None:
        super().__init__(page)
        self.page = page
        self.engines = engines
        page.test_requested.connect(engines.check)
        page.add_requested.connect(engines.add)
        page.remove_requested.connect(engines.remove)
        engines.engines_listed.connect(self._listed)
        engines.engine_checking.connect(page.engine_checking)
        engines.engine_checked.connect(page.engine_checked)
        engines.engine_added.connect(page.engine_added)
        engines.add_refused.connect(page.add_refused)
        engines.remove_refused.connect(page.remove_refused)
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self._test_again)

    def start(self) -> None:
        self.engines.load()
        self.watch.start()

    def _test_again(self) -> None:
        for name, card in self.page.cards.items():
            if not card.checking:
                self.engines.check(EngineRef(name))

    def _listed(self, listed: EnginesListed) -> None:
        for name in self.page.show_engines(listed):
            self.engines.check(EngineRef(name))
