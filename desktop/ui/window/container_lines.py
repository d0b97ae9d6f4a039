"""Parts of the workspace panel's Container page: the line under its buttons
that says an action is under way or how it ended, the line of the disk its
volumes take, and the page itself, which scrolls in a short window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QScrollArea, QToolButton, QWidget

from desktop.ui.bridge.container_payloads import DiskUsageLoaded
from desktop.ui.look import formatting, icons
from desktop.ui.look.widgets import label, repolish

NBSP = "\u00a0"
DISK_TIP = ("What the workspace takes on the engine's disk: the agent's working copy, its home (Claude's "
            "sessions), and your folder as the last task's copy found it. Removing the workspace frees them.")


class TallPage(QScrollArea):
    """A page that scrolls up and down in a short window, never sideways: it is as
    wide as its content needs (the dock with it), whatever the content shows now."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(objectName="PanelPage")
        self.setWidget(page)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # its content's width changed: the dock follows
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(self.widget().minimumSizeHint().width() + bar, hint.height())


class ActionLine(QWidget):
    """A busy bar and what is under way, or how the last action ended; nothing when there is neither."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = QProgressBar(objectName="Busy")
        self.busy.setRange(0, 0)  # a busy indicator: how long a stop takes is not known
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(48, 6)
        self.busy.setAccessibleName("Container action under way")
        self.text = label("", "Muted", wrap=True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # a failure's message may quote the engine
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.text, 1)
        self.show_nothing()

    def show_progress(self, text: str) -> None:
        self._show(text, "Muted", busy=True)

    def show_result(self, text: str, ok: bool) -> None:
        self._show(text, "SuccessText" if ok else "ErrorText", busy=False)

    def show_nothing(self) -> None:
        self._show("", "Muted", busy=False)

    def _show(self, text: str, look: str, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.text.setText(text)
        if self.text.objectName() != look:
            self.text.setObjectName(look)
            repolish(self.text)
        self.setVisible(bool(text))


class DiskLine(QWidget):
    """The sizes of a workspace's volumes, with a button to count them again.

    Signals:
        refresh_clicked(): count again.
    """

    refresh_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = label("–", wrap=True)
        self.text.setToolTip(DISK_TIP)
        self.refresh = QToolButton(objectName="Flat")
        self.refresh.setIcon(icons.icon("refresh", "muted"))
        self.refresh.setToolTip("Measure again")
        self.refresh.setAccessibleName("Measure the volumes again")
        self.refresh.clicked.connect(self.refresh_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.text, 1)
        row.addWidget(self.refresh, 0, Qt.AlignmentFlag.AlignTop)

    def show_unknown(self, counting: bool) -> None:
        """Another workspace: nothing known yet (``counting``: its count is under way)."""
        self.text.setText("Measuring…" if counting else "–")
        self.refresh.setEnabled(not counting)

    def show_usage(self, loaded: DiskUsageLoaded) -> None:
        self.refresh.setEnabled(True)
        if loaded.problem:
            self.text.setText("Not known")
            self.text.setToolTip(f"{DISK_TIP}\n\nThe engine could not count them: {loaded.problem}")
            return
        self.text.setToolTip(DISK_TIP)
        parts = [f"Working copy {formatting.size(loaded.working_copy)}" if loaded.working_copy is not None
                 else "No working copy yet", f"home {formatting.size(loaded.home)}" if loaded.home is not None else ""]
        if loaded.folder is not None:
            parts.append(f"your folder {formatting.size(loaded.folder)}")
        # A narrow panel wraps between the parts, never inside one ("524.0 / KiB").
        self.text.setText(" · ".join(p.replace(" ", NBSP) for p in parts if p))
