"""Reading and typing into an embedded terminal in tests: xterm.js's own
buffer through runJavaScript, keys through the web view as a person types."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.ui.terminal.view import TerminalView

WAIT_MS = 60_000


class Driver:
    def __init__(self, qtbot, view: TerminalView) -> None:  # noqa: ANN001
        self.qtbot = qtbot
        self.view = view

    def js(self, script: str) -> Any:
        """The value of ``script``, passed as JSON (runJavaScript's own conversion drops arrays)."""
        box: list[Any] = []
        # Before the page has loaded there is no aicode yet: undefined, then.
        self.view.run_js(f"window.aicode ? JSON.stringify({script}) : ''", box.append)
        self.qtbot.waitUntil(lambda: bool(box), timeout=WAIT_MS)
        return json.loads(box[0]) if isinstance(box[0], str) and box[0] else None

    def lines(self) -> list[str]:
        return self.js("aicode.lines()") or []

    def screen(self) -> dict[str, Any]:
        return self.js("aicode.screen()") or {}

    def wait_text(self, text: str, timeout: int = WAIT_MS) -> None:
        self._wait(lambda lines: any(text in line for line in lines), text, timeout)

    def wait_line(self, line: str, timeout: int = WAIT_MS) -> None:
        self._wait(lambda lines: line in [x.rstrip() for x in lines], line, timeout)

    def _wait(self, seen, what: str, timeout: int) -> None:  # noqa: ANN001 - a predicate of the lines
        try:
            self.qtbot.waitUntil(lambda: seen(self.lines()), timeout=timeout)
        except Exception:
            shown = "\n".join(line for line in self.lines() if line.strip())
            raise AssertionError(f"{what!r} never appeared; the terminal shows:\n{shown}") from None

    def wait_ready(self) -> None:
        self.qtbot.waitUntil(lambda: self.view.session is not None, timeout=WAIT_MS)

    def key_combo(self, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
        self.qtbot.keyClick(self.view.web.focusProxy() or self.view.web, key, modifiers)

    def key(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.view.web.focusProxy() or self.view.web, key)

    def type(self, text: str, enter: bool = True) -> None:
        """Keys into the web view's widget, as a person types them."""
        target: QWidget = self.view.web.focusProxy() or self.view.web
        self.qtbot.keyClicks(target, text)
        if enter:
            self.qtbot.keyClick(target, Qt.Key.Key_Return)
