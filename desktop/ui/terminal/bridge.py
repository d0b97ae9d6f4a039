"""The object the page sees over the QWebChannel: what it sends, what it gets.

Everything from the page is checked before it is used: sizes are bounded,
links are passed on only as https URLs for the view to confirm.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot

MAX_ROWS, MAX_COLS = 1000, 1000


class PageBridge(QObject):
    """Signals to the page:
        output(str): the next batch to write.
        restyled(str): a new style (JSON of style.TerminalStyle).
    Signals to the view:
        page_loaded(int, int): xterm.js runs, at rows × cols.
        keys_typed(bytes): input for the program.
        size_changed(int, int): the fit addon's new rows × cols.
        batch_written(int): the page has parsed a batch of that many characters.
        copy_requested(str), paste_asked(), link_requested(str) (https only).
    """

    output = Signal(str)
    restyled = Signal(str)
    page_loaded = Signal(int, int)
    keys_typed = Signal(bytes)
    size_changed = Signal(int, int)
    batch_written = Signal(int)
    copy_requested = Signal(str)
    paste_asked = Signal()
    link_requested = Signal(str)

    def __init__(self, options_json: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._options = options_json

    def _get_options(self) -> str:
        return self._options

    options = Property(str, _get_options, constant=True)

    @Slot(int, int)
    def loaded(self, rows: int, cols: int) -> None:
        if _size_ok(rows, cols):
            self.page_loaded.emit(rows, cols)

    @Slot(str)
    def typed(self, data: str) -> None:
        self.keys_typed.emit(data.encode("utf-8", "surrogatepass"))

    @Slot(str)
    def typed_binary(self, data: str) -> None:
        # xterm.js's binary input (some mouse reports): one byte per character.
        self.keys_typed.emit(data.encode("latin-1", "replace"))

    @Slot(int, int)
    def resized(self, rows: int, cols: int) -> None:
        if _size_ok(rows, cols):
            self.size_changed.emit(rows, cols)

    @Slot(int)
    def written(self, chars: int) -> None:
        self.batch_written.emit(max(0, int(chars)))

    @Slot(str)
    def copy(self, text: str) -> None:
        self.copy_requested.emit(text)

    @Slot()
    def paste_requested(self) -> None:
        self.paste_asked.emit()

    @Slot(str)
    def link_clicked(self, uri: str) -> None:
        if uri.startswith("https://") and len(uri) <= 2048:
            self.link_requested.emit(uri)


def _size_ok(rows: int, cols: int) -> bool:
    return 0 < rows <= MAX_ROWS and 0 < cols <= MAX_COLS
