"""One terminal on screen: xterm.js in a QWebEngineView, wired to its session.

The page is a local file and stays the only page: navigation elsewhere and
new windows are refused, and a link the program prints opens in the
browser only after its target has been shown and agreed to.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from desktop.domain.review import visible
from desktop.services.terminals import Terminals, TerminalSpec
from desktop.ui.terminal.bridge import PageBridge
from desktop.ui.terminal.session import TerminalSession
from desktop.ui.terminal.style import TerminalStyle
from desktop.ui.terminal.web_engine import page_url

RESIZE_DEBOUNCE_MS = 60


class TerminalPage(QWebEnginePage):
    """The terminal's page: its own file, nothing else."""

    def acceptNavigationRequest(self, url: QUrl, kind: QWebEnginePage.NavigationType, main: bool) -> bool:  # noqa: N802
        return url.isLocalFile() and url.toLocalFile() == page_url().toLocalFile()

    def createWindow(self, kind: QWebEnginePage.WebWindowType) -> QWebEnginePage | None:  # noqa: N802
        return None

    def javaScriptConsoleMessage(self, level, message, line, source) -> None:  # noqa: ANN001, N802
        pass  # the page's own notes; nothing the program prints reaches here


class TerminalView(QWidget):
    """Signals:
        opened(str): the terminal runs (its title).
        exited(object): its process ended (exit code or None).
        failed(str): it could not open.
    """

    opened = Signal(str)
    exited = Signal(object)
    failed = Signal(str)

    def __init__(self, terminals: Terminals, workspace_id: str, spec: TerminalSpec, style: TerminalStyle,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._terminals = terminals
        self._workspace_id = workspace_id
        self._spec = spec
        self.session: TerminalSession | None = None
        self.loaded = False
        self.web = QWebEngineView(self)
        self.page = TerminalPage(self.web)
        settings = self.page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        self.web.setPage(self.page)
        self.bridge = PageBridge(style.json(), self)
        self._channel = QWebChannel(self.page)
        self._channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(self._channel)
        self._size = (spec.rows, spec.cols)
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_DEBOUNCE_MS)
        self._resize_timer.timeout.connect(self._send_size)
        self.bridge.page_loaded.connect(self._page_loaded)
        self.bridge.size_changed.connect(self._size_changed)
        self.bridge.copy_requested.connect(lambda text: QGuiApplication.clipboard().setText(text))
        self.bridge.paste_asked.connect(self.paste_clipboard)
        self.bridge.link_requested.connect(self._open_link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.web)
        self.setFocusProxy(self.web)
        self.web.setUrl(page_url())

    # -- the session --

    def _page_loaded(self, rows: int, cols: int) -> None:
        if self.session is not None:
            return  # a reload: the session goes on
        self.loaded = True
        self._size = (rows, cols)
        session = TerminalSession(self._terminals, self._workspace_id, replace(self._spec, rows=rows, cols=cols), self)
        self.session = session
        self.bridge.keys_typed.connect(session.write)
        self.bridge.batch_written.connect(session.written)
        session.output_ready.connect(self.bridge.output)
        session.opened.connect(self.opened)
        session.failed.connect(self._failed)
        session.exited.connect(self._exited)
        session.start()

    def _size_changed(self, rows: int, cols: int) -> None:
        self._size = (rows, cols)
        self._resize_timer.start()

    def _send_size(self) -> None:
        if self.session is not None and not self.session.ended:
            self.session.resize(*self._size)

    def _exited(self, code: object) -> None:
        how = "ended" if code is None else f"exited with code {code}"
        self.bridge.output.emit(f"\r\n\x1b[2m[the process {how}]\x1b[0m\r\n")
        self.exited.emit(code)

    def _failed(self, message: str) -> None:
        self.bridge.output.emit(f"\x1b[31m{visible(message)}\x1b[0m\r\n")
        self.failed.emit(message)

    def close_session(self) -> None:
        if self.session is not None:
            self.session.close()

    # -- what the person does --

    def paste_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            # term.paste brackets it when the program asked for bracketed paste.
            self.page.runJavaScript(f"aicode.paste({json.dumps(text)})")

    def restyle(self, style: TerminalStyle) -> None:
        self.bridge.restyled.emit(style.json())

    def _open_link(self, uri: str) -> None:
        url = QUrl(uri, QUrl.ParsingMode.StrictMode)
        if not url.isValid() or url.scheme() != "https":
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Open link",
                          f"Open this address in your browser?\n\n{visible(url.toString())}",
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if box.exec() == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(url)

    def run_js(self, script: str, callback=None) -> None:  # noqa: ANN001 - a callable of the result
        if callback is None:
            self.page.runJavaScript(script)
        else:
            self.page.runJavaScript(script, 0, callback)
