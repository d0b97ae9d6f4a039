"""The form to add an engine: its name, its URL and, for a tcp:// engine, the
three TLS files (the CA that signed the engine's certificate, the client
certificate and its key).

Add hands the fields to the services as typed; what they refuse is said
under the field it is about, with the text kept to correct. The form asks
only that a tcp:// engine have all three files, so the services' own words
about a missing one (which name the command line's options) are not needed.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.bridge.engine_payloads import NAME, TLS, URL, EngineAddRefused, EngineAddRequested
from desktop.ui.dialogs.field_error import FieldError, with_error
from desktop.ui.look.widgets import button, fit_height, label

URL_HINT = ("ssh://USER@HOST uses your ssh keys and config; tcp://HOST:PORT needs the TLS files below; "
            "unix:///path/docker.sock is a socket on this machine.")
TLS_MISSING = "A tcp:// engine needs all three files: the CA certificate, the client certificate and the client key."
TLS_PARTS = (("ca", "CA certificate", "The certificate of the CA that signed the engine's certificate (ca.pem)"),
             ("cert", "Client certificate", "This machine's certificate, signed by that CA (cert.pem)"),
             ("key", "Client key", "The client certificate's private key, without a passphrase (key.pem)"))


class AddEngineDialog(QDialog):
    """Signals:
        add_requested(EngineAddRequested): Add was clicked; the form waits for ``added`` or ``refused``.
    """

    add_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Engine")
        self.setMinimumWidth(480)
        self.name = QLineEdit()
        self.name.setPlaceholderText("build-box")
        self.name.setAccessibleName("Engine name")
        self.name.setToolTip("How the app names the engine: lowercase letters, digits, '.', '_' or '-'")
        self.url = QLineEdit()
        self.url.setPlaceholderText("ssh://me@build-box")
        self.url.setAccessibleName("Engine URL")
        self.files: dict[str, QLineEdit] = {}
        form = self.form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name_box, self.name_error = with_error(self.name)
        form.addRow("Name", name_box)
        url_box, self.url_error = with_error(self.url, label(URL_HINT, "Hint", wrap=True))
        form.addRow("URL", url_box)
        # The TLS files' rows, in the same form so their fields line up with the others; shown for tcp:// only.
        self._tls_rows = range(form.rowCount(), form.rowCount() + len(TLS_PARTS))
        for key, title, tip in TLS_PARTS:
            form.addRow(title, self._file_row(key, title, tip))
        self.tls_error = FieldError()
        form.addRow("", self.tls_error)
        self.form_error = FieldError()  # a failure that is none of the fields'

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("Primary")
        self.add_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("Secondary")
        for b in buttons.buttons():  # the style's stock icons clash with the theme
            b.setIcon(QIcon())
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.name.textChanged.connect(lambda: self._edited(self.name_error))
        self.url.textChanged.connect(lambda: self._edited(self.url_error))
        self._edited(None)

    @property
    def tcp(self) -> bool:
        return self.url.text().strip().lower().startswith("tcp://")

    def request(self) -> EngineAddRequested:
        files = {key: field.text().strip() for key, field in self.files.items()} if self.tcp else {}
        return EngineAddRequested(self.name.text().strip(), self.url.text().strip(), files.get("ca", ""),
                                  files.get("cert", ""), files.get("key", ""))

    def refused(self, refused: EngineAddRefused) -> None:
        """The services did not take the engine: why, under the field it is about."""
        error, field = {NAME: (self.name_error, self.name), URL: (self.url_error, self.url),
                        TLS: (self.tls_error, self.files["ca"])}.get(refused.field, (self.form_error, None))
        error.show_problem(refused.message)
        self._busy(False)
        if field is not None:
            field.setFocus()
        self._fit()

    def added(self) -> None:
        self.accept()

    def _file_row(self, key: str, title: str, tip: str) -> QWidget:
        field = self.files[key] = QLineEdit()
        field.setPlaceholderText("a PEM file on this machine")
        field.setAccessibleName(title)
        field.setToolTip(tip)
        field.textChanged.connect(lambda: self._edited(self.tls_error))
        browse = button("Browse…", "Secondary")
        browse.setAccessibleName(f"Choose the {title.lower()} file")
        browse.clicked.connect(lambda: self._browse(field, title))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(6)
        line.addWidget(field, 1)
        line.addWidget(browse)
        return row

    def _browse(self, field: QLineEdit, title: str) -> None:
        start = os.path.dirname(field.text()) or os.path.expanduser("~/.docker")
        path, _filter = QFileDialog.getOpenFileName(self, f"Choose the {title.lower()}", start,
                                                    "PEM files (*.pem *.crt *.key);;All files (*)")
        if path:
            field.setText(path)

    def _edited(self, error: FieldError | None) -> None:
        """A field changed: its error goes (the text is being corrected); the TLS files show for tcp://."""
        if error is not None:
            error.show_problem("")
        self.form_error.show_problem("")
        for row in self._tls_rows:
            self.form.setRowVisible(row, self.tcp)
        if not self.tcp:
            self.tls_error.show_problem("")
        self.add_button.setEnabled(bool(self.name.text().strip() and self.url.text().strip()))
        self._fit()

    def _submit(self) -> None:
        asked = self.request()
        if self.tcp and not all((asked.tls_ca, asked.tls_cert, asked.tls_key)):
            self.tls_error.show_problem(TLS_MISSING)
            self._fit()
            return
        for error in (self.name_error, self.url_error, self.tls_error, self.form_error):
            error.show_problem("")
        self._busy(True)
        self.add_requested.emit(asked)

    def _busy(self, busy: bool) -> None:
        self.add_button.setText("Adding…" if busy else "Add")
        self.add_button.setEnabled(not busy)
        for field in (self.name, self.url, *self.files.values()):
            field.setReadOnly(busy)

    def _fit(self) -> None:
        if self.isVisible():
            self.adjustSize()
            fit_height(self)
