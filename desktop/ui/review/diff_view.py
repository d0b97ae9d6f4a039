"""The diff viewer: the change's files on the left, their diff on the right.

A header line gives the totals ("3 files · +120 −14"), what is chosen, and
the unified / side-by-side toggle; the owner may add its own buttons there
(``add_header_widget``). Choices are shared by the file list and the diff:
a checkbox toggled in either shows in both, and ``selection_changed`` says
what Apply would now take.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.review import ChangeSet, Selection
from desktop.ui.look import theme
from desktop.ui.look.widgets import EmptyState
from desktop.ui.review.canvas import DiffCanvas
from desktop.ui.review.choice_box import ChoiceBox
from desktop.ui.review.choices import Choice, Choices
from desktop.ui.review.file_list import FileList
from desktop.ui.review.keys import nav_for
from desktop.ui.review.labels import line_counts
from desktop.ui.review.payloads import ContextRequest, DiffMode, FileReached, FileTouched, SelectionChanged

__all__ = ["ContextRequest", "DiffMode", "DiffView", "SelectionChanged"]


def totals(change: ChangeSet) -> str:
    n = len(change.files)
    plus = sum(line_counts(f)[0] for f in change.files)
    minus = sum(line_counts(f)[1] for f in change.files)
    return f"{n} file{'s' if n != 1 else ''} · +{plus} −{minus}"


class _Bar(QWidget):
    """A strip in the window's colour with a line under it (painted: the
    theme's colours are read at paint time)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.current()
        p = QPainter(self)
        p.fillRect(self.rect(), c.q("window"))
        p.fillRect(0, self.height() - 1, self.width(), 1, c.q("border"))


class DiffView(QWidget):
    """A ChangeSet to read and choose parts of.

    Signals:
        selection_changed(SelectionChanged): a file or hunk was chosen or left out.
        context_requested(ContextRequest): show unchanged lines; answer with ``show_context``.
    """

    selection_changed = Signal(object)
    context_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DiffView")
        self._change: ChangeSet | None = None
        self._choices = Choices()
        self.summary = QLabel(objectName="Title", textFormat=Qt.TextFormat.PlainText)
        self.chosen = QLabel(objectName="Muted", textFormat=Qt.TextFormat.PlainText)
        self.unified_button = self._mode_button("Unified", "Unified diff: before and after in one column")
        self.split_button = self._mode_button("Split", "Side-by-side diff: before on the left, after on the right")
        self.unified_button.setChecked(True)
        self._modes = QButtonGroup(self, exclusive=True)
        self._modes.addButton(self.unified_button)
        self._modes.addButton(self.split_button)
        self._modes.buttonClicked.connect(self._mode_clicked)
        header = _Bar()
        self._header = QHBoxLayout(header)
        self._header.setContentsMargins(14, 8, 10, 8)
        self._header.setSpacing(10)
        self._header.addWidget(self.summary)
        self._header.addWidget(self.chosen)
        self._header.addStretch(1)
        self._header.addWidget(self.unified_button)
        self._header.addWidget(self.split_button)

        self.all_box = ChoiceBox("All files")
        self.all_box.setAccessibleName("Choose all files")
        self.all_box.clicked.connect(self._all_clicked)
        self.file_list = FileList()
        self.canvas = DiffCanvas()
        files = QWidget(objectName="DiffFilePane")
        column = QVBoxLayout(files)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        box_row = _Bar()
        box_layout = QHBoxLayout(box_row)
        box_layout.setContentsMargins(10, 6, 10, 6)
        box_layout.addWidget(self.all_box)
        column.addWidget(box_row)
        column.addWidget(self.file_list, 1)
        self._split = QSplitter(Qt.Orientation.Horizontal)
        self._split.addWidget(files)
        self._split.addWidget(self.canvas)
        self._split.setStretchFactor(1, 1)
        self._split.setSizes([280, 1000])
        self._split.setChildrenCollapsible(False)
        self.empty = EmptyState("file", "No changes", "The agent did not change any files.")
        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self._split)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self._stack, 1)

        self.canvas.file_touched.connect(self._canvas_touched)
        self.canvas.file_reached.connect(self._file_reached)
        self.canvas.context_requested.connect(self.context_requested)
        self.file_list.files.file_touched.connect(self._list_touched)
        self.file_list.file_picked.connect(self._file_picked)
        self.file_list.installEventFilter(self)
        self.setTabOrder(self.file_list, self.canvas)
        self.set_change(None)

    def _mode_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(objectName="Flat", text=text, checkable=True)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(":")[0])
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    # -- the owner's side ---------------------------------------------------

    def set_change(self, change: ChangeSet | None, selection: Selection | None = None,
                   read_only: bool = False) -> None:
        """Show ``change`` (None or no files: "No changes"), with ``selection``
        chosen (None: everything pending); ``read_only``: no boxes to tick."""
        self._change = change
        files = change.files if change is not None else ()
        self._choices = Choices(files, read_only)
        self._choices.restore(selection)
        self.file_list.files.set_files(files, self._choices)
        self.canvas.set_change(change or ChangeSet("", ()), self._choices)
        self._stack.setCurrentWidget(self._split if files else self.empty)
        self.summary.setText(totals(change) if files and change is not None else "No changes")
        for widget in (self.unified_button, self.split_button):
            widget.setVisible(bool(files))
        for widget in (self.chosen, self.all_box):
            widget.setVisible(bool(files) and not read_only)
        if files:
            self.file_list.show_file(0)
        self._update_choices()

    @property
    def change(self) -> ChangeSet | None:
        return self._change

    def selection(self) -> Selection | None:
        """What Apply should take: None when every pending file is chosen whole."""
        return self._choices.selection()

    def set_selection(self, selection: Selection | None) -> None:
        self._choices.restore(selection)
        self._choices_changed()

    def show_context(self, path: str, first_old_line: int, lines: list[str] | None) -> None:
        """Answer a ContextRequest: the unchanged lines (None: not available)."""
        self.canvas.show_context(path, first_old_line, lines)

    @property
    def mode(self) -> DiffMode:
        return self.canvas.mode

    def set_mode(self, mode: DiffMode) -> None:
        self.canvas.set_mode(mode)
        (self.split_button if mode is DiffMode.SPLIT else self.unified_button).setChecked(True)

    def add_header_widget(self, widget: QWidget) -> None:
        """Put the owner's control (an "Open in window" button) at the header's end."""
        self._header.addWidget(widget)

    # -- keeping the parts in step ------------------------------------------

    def _mode_clicked(self, button: QToolButton) -> None:
        self.set_mode(DiffMode.SPLIT if button is self.split_button else DiffMode.UNIFIED)

    def _all_clicked(self) -> None:
        pending = range(len(self._choices))
        everything = all(self._choices.state(i) is Choice.ALL for i in pending if self._choices.selectable(i))
        self._choices.set_all(not everything)
        self._choices_changed()

    def _canvas_touched(self, _touched: FileTouched) -> None:
        self.file_list.files.refresh()
        self._update_choices()

    def _list_touched(self, _touched: FileTouched) -> None:
        self.canvas.refresh_choices()
        self._update_choices()

    def _choices_changed(self) -> None:
        self.file_list.files.refresh()
        self.canvas.refresh_choices()
        self._update_choices()

    def _update_choices(self) -> None:
        chosen, pending = self._choices.chosen_files(), self._choices.pending_files()
        selection = self._choices.selection()
        if pending == 0:
            text = "Already applied" if self._change is not None and self._change.files else ""
        elif selection is None:
            text = "All chosen"
        elif chosen == 0:
            text = "Nothing chosen"
        else:
            partly = len({path for path, _ in selection.hunks})
            text = f"{chosen} of {pending} files chosen" + (f", {partly} in part" if partly else "")
        self.chosen.setText(text)
        self.all_box.setEnabled(pending > 0)
        applied = len(self._choices) - pending
        self.all_box.setText(f"{pending} changed file{'s' if pending != 1 else ''}"
                             + (f", {applied} already applied" if applied else ""))
        self.all_box.setCheckState(Qt.CheckState.Checked if selection is None and pending else
                                   Qt.CheckState.Unchecked if chosen == 0 else Qt.CheckState.PartiallyChecked)
        self.selection_changed.emit(SelectionChanged(selection, chosen, pending))

    def _file_reached(self, reached: FileReached) -> None:
        self.file_list.show_file(reached.index)

    def _file_picked(self, picked: FileReached) -> None:
        self.canvas.set_cursor(self.canvas.file_row(picked.index), to_top=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The diff's moves work from the file list too (its own Up/Down stay).
        if watched is self.file_list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            nav = nav_for(event, arrows=False)
            if nav is not None:
                self.canvas.navigate(nav)
                return True
        return super().eventFilter(watched, event)
