"""First run: is the Docker engine there, is the agent image built, is there a
Claude credential (an API key or a subscription token)?"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.bridge.viewdata import BuildProgress, EngineStatus, ImageStatus, SecretStatus
from desktop.ui.dialogs.check_row import CheckRow, CheckState
from desktop.ui.dialogs.credential_field import KeyField, stored_text
from desktop.ui.look import icons, theme
from desktop.ui.look.widgets import button, fit_height, label

LOG_LINES = 2000  # the build log keeps its tail; the services' own log has everything


class WelcomeDialog(QDialog):
    """Signals:
        engine_check_requested(): check the engine again.
        image_build_requested(): build the agent image.
        secret_submitted(SecretSubmitted): the API key or subscription token to store.
    """

    engine_check_requested = Signal()
    image_build_requested = Signal()
    secret_submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to AICode Manager")
        self.setMinimumWidth(640)
        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(56, 56))
        title = label("Welcome to AICode Manager", "Title")
        title.setFont(theme.scaled_font(1.45, title.font().Weight.DemiBold))
        intro = label("Claude Code runs here inside a container on your own Docker engine, so it can only touch "
                      "the workspace you give it. Three things are needed before the first task:", "Muted", wrap=True)
        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(intro)
        head.addLayout(text, 1)

        self.engine = CheckRow("engine", "Docker engine")
        self.engine_retry = button("Check again", "Secondary", "refresh")
        self.engine_retry.clicked.connect(self._check_engine)
        self.engine.actions.addWidget(self.engine_retry)

        self.image = CheckRow("box", "Agent image")
        self.build_button = button("Build image", "Secondary", "box")
        self.build_button.clicked.connect(self._build)
        self.image.actions.addWidget(self.build_button)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.log_toggle = QToolButton(objectName="Link", text="Show build log")
        self.log_toggle.setCheckable(True)
        self.log_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.log_toggle.setIcon(icons.icon("chevron-right", "accent"))
        self.log_toggle.toggled.connect(self._toggle_log)
        self.log_toggle.hide()
        self.log = QPlainTextEdit(objectName="Log")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setFont(theme.mono_font(-1))
        self.log.setFixedHeight(150)
        self.log.setAccessibleName("Build log")
        self.log.hide()
        for widget in (self.progress, self.log_toggle, self.log):
            self.image.body.addWidget(widget)
        self.image.body.setAlignment(self.log_toggle, Qt.AlignmentFlag.AlignLeft)

        self.key = CheckRow("key", "Claude account: an API key or a subscription token")
        self.key_field = KeyField()
        self.key_field.submitted.connect(self.secret_submitted)
        self.key.body.addWidget(self.key_field)

        self.later = button("Skip for now", "Secondary")
        self.later.setToolTip("Close this window; File › Set-up Checks brings it back")
        self.later.clicked.connect(self.reject)
        self.done_button = button("Start using AICode Manager", "Primary")
        self.done_button.clicked.connect(self.accept)
        footer = QHBoxLayout()
        self.summary = label("", "Muted")
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.later)
        footer.addWidget(self.done_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addSpacing(6)
        layout.addWidget(self.engine)
        layout.addWidget(self.image)
        layout.addWidget(self.key)
        layout.addStretch(1)
        layout.addLayout(footer)
        self.image.set_state(CheckState.CHECKING, "Waiting for the engine…")
        self._sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)
        QTimer.singleShot(0, lambda: fit_height(self))  # once the wrapped lines know their final width

    # -- what the controller tells ------------------------------------------

    def show_engine(self, status: EngineStatus) -> None:
        if status.checking:
            self.engine.set_state(CheckState.CHECKING, "Checking the Docker engine…")
        elif status.ok:
            self.engine.set_state(CheckState.OK, status.message)
        else:
            self.engine.set_state(CheckState.PROBLEM, status.message, status.fix)
        self.engine_retry.setVisible(not status.ok)
        self.engine_retry.setEnabled(not status.checking)
        self.build_button.setEnabled(status.ok and not self.progress.isVisible())
        self._sync()

    def show_image(self, status: ImageStatus) -> None:
        if status.ok:
            self.image.set_state(CheckState.OK, status.message)
        else:
            self.image.set_state(CheckState.PROBLEM, status.message,
                                 status.fix or "Build it once; it takes a few minutes.")
        self.build_button.setVisible(not status.ok)
        self._sync()

    def show_secret(self, status: SecretStatus) -> None:
        if status.stored:
            state = CheckState.OK if status.secure else CheckState.WARNING
            self.key.set_state(state, stored_text(status), status.warning)
        else:
            self.key.set_state(CheckState.PROBLEM, "No API key or subscription token yet.",
                               "Paste an API key from console.anthropic.com, or the subscription token that "
                               "'claude setup-token' prints (it starts with sk-ant-oat); it goes to your "
                               "system keyring.")
        self.key_field.setVisible(not status.stored)
        self._sync()

    def build_started(self) -> None:
        self.log.clear()
        self.progress.setRange(0, 0)  # busy until the build says how far it is
        self.progress.show()
        self.log_toggle.show()
        self.build_button.setEnabled(False)
        self.image.set_state(CheckState.CHECKING, "Building the agent image…")

    def add_build_progress(self, progress: BuildProgress) -> None:
        if progress.fraction is not None:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(progress.fraction * 1000))
        if progress.line:
            self.log.appendPlainText(progress.line.rstrip("\n"))
            self.log.moveCursor(QTextCursor.MoveOperation.End)

    def build_finished(self, ok: bool, message: str) -> None:
        self.progress.hide()
        self.build_button.setEnabled(True)
        if not ok:
            self.image.set_state(CheckState.PROBLEM, "The build failed.", message)
            self.log_toggle.setChecked(True)
        self._sync()

    # -- internals ----------------------------------------------------------

    def _check_engine(self) -> None:
        self.show_engine(EngineStatus(ok=False, message="", checking=True))
        self.engine_check_requested.emit()

    def _build(self) -> None:
        self.build_started()
        self.image_build_requested.emit()

    def _toggle_log(self, on: bool) -> None:
        self.log.setVisible(on)
        self.log_toggle.setText("Hide build log" if on else "Show build log")
        self.log_toggle.setIcon(icons.icon("chevron-down" if on else "chevron-right", "accent"))
        self.adjustSize()

    def _sync(self) -> None:
        rows = (self.engine, self.image, self.key)
        ready = all(r.state in (CheckState.OK, CheckState.WARNING) for r in rows)
        left = sum(r.state is CheckState.PROBLEM for r in rows)
        self.done_button.setEnabled(ready)
        self.summary.setText("All set." if ready else f"{left} of 3 still to do." if left else "Checking…")
        # Nothing left to skip once every check is green.
        self.later.setText("Close" if ready else "Skip for now")
