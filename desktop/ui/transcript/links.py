"""Links in the agent's text: only web addresses, and only once the person
has seen where they lead.

The agent's text is untrusted (it may repeat what a file or a web page told
it), and a link's words need not match its target. So a click never opens a
``file:`` or ``javascript:`` address or an application's own scheme; a web
address is shown in full, as plain text, with Open and Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import QMessageBox, QToolTip, QWidget

SCHEMES = ("https", "http")


def web_address(link: str) -> QUrl | None:
    """The link as a URL to open, or None when it is not a plain web address
    (another scheme, no host, or a user name before the host, as in
    ``https://bank.example@elsewhere.example``)."""
    url = QUrl(link.strip(), QUrl.ParsingMode.TolerantMode)
    if not url.isValid() or url.scheme().lower() not in SCHEMES or not url.host() or url.userInfo():
        return None
    return url


def shown(url: QUrl) -> str:
    """The address as it travels (host in punycode, the rest percent-encoded):
    no look-alike letters or direction marks hide the real target."""
    return bytes(url.toEncoded().data()).decode("ascii", "replace")


def confirm_open(parent: QWidget, url: QUrl) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "Open link", "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Open this address in your browser?\n\n{shown(url)}")
    open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is open_button


def open_link(parent: QWidget, link: str) -> bool:
    """Open ``link`` if it is a web address and the person agrees; True when opened."""
    url = web_address(link)
    if url is None:
        QToolTip.showText(QCursor.pos(), "Only web addresses (https) open from the transcript", parent)
        return False
    if not confirm_open(parent, url):
        return False
    return bool(QDesktopServices.openUrl(url))
