"""A change that no longer applies, merged three ways for the person to inspect.

Each file that does not fit is listed with its conflict count (or why it
cannot be merged); the chosen one's merged text is shown read-only with
git's markers marked. Cancel is the default and writes nothing; "Write
merged files" (offered only when every file could be merged) applies what
fits and writes the merged files, conflict markers included, for the
person to resolve. Every name and text came from the agent's container or
the person's folder: shown through ``visible`` and as plain text only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.review import MergePreview, visible
from desktop.ui.bridge.payloads import MergeRequested
from desktop.ui.dialogs.merge_text import MergeText
from desktop.ui.look import icons, theme
from desktop.ui.look.widgets import Chip, icon_label, plain_label, repolish

INTRO = ("Where your folder and the task changed the same lines, the merge keeps both between git's conflict "
         "markers: “<<<<<<< your folder”, “=======”, “>>>>>>> the task”. Nothing is written unless you choose "
         "Write merged files: then the files listed here are written with those markers in them, for you to "
         "resolve in your editor, and the rest of the selection is applied as it is.")



def describe(preview: MergePreview) -> str:
    if preview.problem:
        return "cannot be merged"
    if not preview.conflicts:
        return "merges cleanly"
    return f"{preview.conflicts} conflict{'s' if preview.conflicts != 1 else ''}"


class MergeDialog(QDialog):
    """Signals:
        write_requested(MergeRequested): "Write merged files" was clicked.
    """

    write_requested = Signal(object)

    def __init__(self, request: MergeRequested, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._previews: tuple[MergePreview, ...] = ()
        self._busy = False
        self.setWindowTitle("Three-way merge")
        self.setMinimumSize(760, 480)
        self.resize(1000, 640)
        self.heading = plain_label("Merging the files that no longer apply…", "EmptyTitle")
        self.heading.setFont(theme.scaled_font(1.1, QFont.Weight.DemiBold))
        title = QHBoxLayout()
        title.setSpacing(10)
        title.addWidget(icon_label(icons.icon("git", "warning"), 22), 0, Qt.AlignmentFlag.AlignVCenter)
        title.addWidget(self.heading, 1)
        self.intro = plain_label(INTRO, "Muted")
        legend = QHBoxLayout()
        legend.setSpacing(6)
        legend.addWidget(plain_label("In the merged text:", "Muted", wrap=False))
        for text, tone in (("your folder's lines", "info"), ("the task's lines", "success"), ("markers", "warning")):
            legend.addWidget(Chip(text, tone))
        legend.addStretch(1)

        self.files = QTreeWidget(objectName="ChangedFiles")
        self.files.setHeaderLabels(["File", "Merge"])
        self.files.setRootIsDecorated(False)
        self.files.setAccessibleName("Files that no longer apply")
        self.files.currentItemChanged.connect(self._file_chosen)
        self.text = MergeText()
        self.problem = plain_label("", "ErrorText")
        self.problem.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problem.setContentsMargins(12, 12, 12, 12)
        self.pane = QStackedWidget()
        self.pane.addWidget(self.text)
        self.pane.addWidget(self.problem)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.files)
        split.addWidget(self.pane)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 720])
        split.setChildrenCollapsible(False)

        self.status = plain_label("", "Muted")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setIcon(QIcon())  # the style's stock icon clashes with the theme
        self.cancel_button.setObjectName("Secondary")
        # Danger, not Primary: the safe choice is the one that looks like the default.
        self.write_button = buttons.addButton("Write merged files", QDialogButtonBox.ButtonRole.ActionRole)
        self.write_button.setObjectName("Danger")
        self.write_button.setIcon(icons.icon("apply", "danger"))
        self.write_button.setEnabled(False)
        self.write_button.clicked.connect(self._write)
        self.cancel_button.setDefault(True)  # Enter writes nothing
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addLayout(title)
        layout.addWidget(self.intro)
        layout.addLayout(legend)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    # -- what it is told ----------------------------------------------------

    def show_previews(self, previews: tuple[MergePreview, ...]) -> None:
        self._previews = previews
        self.files.clear()
        for preview in previews:
            item = QTreeWidgetItem([visible(preview.path), describe(preview)])
            item.setToolTip(0, visible(preview.path))
            item.setToolTip(1, visible(preview.problem) if preview.problem else describe(preview))
            item.setFont(0, theme.mono_font(-0.5))
            item.setIcon(0, icons.icon("x-circle" if preview.problem else "alert" if preview.conflicts else "check",
                                       "danger" if preview.problem else "warning" if preview.conflicts else "success"))
            self.files.addTopLevelItem(item)
        self.files.resizeColumnToContents(1)
        self.files.header().setStretchLastSection(False)
        self.files.header().setSectionResizeMode(0, self.files.header().ResizeMode.Stretch)
        conflicts = sum(p.conflicts for p in previews)
        problems = [p for p in previews if p.problem]
        n = len(previews)
        if not previews:
            self.heading.setText("Everything applies as your folder is now")
            self._say("Nothing needs merging: close this and press Apply.", "Muted")
        else:
            self.heading.setText(f"{n} file{'s' if n != 1 else ''} no longer appl{'y' if n != 1 else 'ies'}: "
                                 f"{conflicts} conflict{'s' if conflicts != 1 else ''} to resolve")
            if problems:
                names = ", ".join(visible(p.path) for p in problems)
                self._say(f"Write merged files is not offered: {names} cannot be merged line by line. "
                          f"Untick {'them' if len(problems) > 1 else 'it'} and apply or merge the rest, or run a "
                          "follow-up on the current files.", "ErrorText")
            elif conflicts:
                self._say("Written files will contain the conflict markers shown here: resolve them in your "
                          "editor before you build or commit.", "Muted")
            else:
                self._say("These merge without conflicts.", "Muted")
        self.write_button.setEnabled(bool(previews) and not problems)
        self.write_button.setToolTip("" if not problems else "Some files cannot be merged: nothing can be written")
        if previews:
            self.files.setCurrentItem(self.files.topLevelItem(0))
        self.cancel_button.setFocus()

    def show_error(self, message: str) -> None:
        """A call failed (the folder changed again, the container is gone): say why, keep Cancel."""
        self._busy = False
        if not self._previews:
            self.heading.setText("No three-way merge could be made")
        self._say(message, "ErrorText")
        self.write_button.setEnabled(bool(self._previews) and not any(p.problem for p in self._previews))

    @property
    def previews(self) -> tuple[MergePreview, ...]:
        return self._previews

    @property
    def listed(self) -> list[tuple[str, str]]:
        """Each file's name and what the list says of it (for tests and screen readers)."""
        return [(self.files.topLevelItem(i).text(0), self.files.topLevelItem(i).text(1))
                for i in range(self.files.topLevelItemCount())]

    def show_file(self, index: int) -> None:
        self.files.setCurrentItem(self.files.topLevelItem(index))

    # -- what the person asks -----------------------------------------------

    def _write(self) -> None:
        if self._busy or not self._previews or any(p.problem for p in self._previews):
            return
        self._busy = True
        self.write_button.setEnabled(False)
        self._say("Writing…", "Muted")
        self.write_requested.emit(self.request)

    def _file_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        index = self.files.indexOfTopLevelItem(item) if item is not None else -1
        if not 0 <= index < len(self._previews):
            return
        preview = self._previews[index]
        if preview.problem:
            self.problem.setText(f"{visible(preview.path)} cannot be merged: {visible(preview.problem)}")
            self.pane.setCurrentWidget(self.problem)
        else:
            self.text.show_text(preview.text)
            self.pane.setCurrentWidget(self.text)

    def _say(self, text: str, name: str) -> None:
        self.status.setObjectName(name)
        self.status.setText(text)
        self.status.setVisible(bool(text))
        repolish(self.status)

    def conflicted_paths(self) -> tuple[str, ...]:
        """The files that will hold conflict markers once written (made visible)."""
        return tuple(visible(p.path) for p in self._previews if p.conflicts)
