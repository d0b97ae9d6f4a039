"""Settings: how many tasks at once, how long the agent waits for an answer,
defaults for new workspaces, theme, notifications; the Claude credential (an
API key or a subscription token) and the default allowlist beside them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.bridge.payloads import SecretSubmitted  # noqa: F401 - the type secret_submitted carries
from desktop.ui.bridge.viewdata import DEFAULTS, SecretStatus, SettingsValues, ThemeMode
from desktop.ui.dialogs.default_allowlist import DefaultAllowlist, DefaultListSubmitted
from desktop.ui.dialogs.field_error import with_error
from desktop.ui.dialogs.limit_fields import cpus_field, image_field, memory_field, normal_memory
from desktop.ui.dialogs.secrets_section import SecretsSection
from desktop.ui.look.theme import mono_font
from desktop.ui.look.widgets import fit_height

MEMORY_PROBLEM = "A size with a unit, such as 4g or 1536m."
THEMES = [(ThemeMode.SYSTEM, "Match the system"), (ThemeMode.LIGHT, "Light"), (ThemeMode.DARK, "Dark")]


@dataclass(frozen=True)
class SettingsSaved:
    values: SettingsValues


class SettingsDialog(QDialog):
    """Signals:
        settings_saved(SettingsSaved): Save was clicked (and the default allowlist, if changed, was taken).
        secret_submitted(SecretSubmitted): a new API key or subscription token was entered (saved at once).
        secret_removed(str): remove this stored credential (saved at once).
        default_list_submitted(DefaultListSubmitted): Save with a changed default allowlist: the
            dialog waits for ``default_list_saved`` or ``default_list_refused``.
    """

    settings_saved = Signal(object)
    secret_submitted = Signal(object)
    secret_removed = Signal(str)
    default_list_submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(980)
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 16)
        self.concurrency.setSuffix(" at a time")
        self.concurrency.setToolTip("How many tasks may run at once on each Docker engine, across its "
                                    "workspaces; one per workspace at most")
        self.answer_timeout = QSpinBox()
        self.answer_timeout.setRange(1, 24 * 60)  # a minute to a day
        self.answer_timeout.setSingleStep(5)
        self.answer_timeout.setSuffix(" min")
        self.answer_timeout.setAccessibleName("Time to answer the agent, in minutes")
        self.answer_timeout.setToolTip("How long a task's agent waits for your answer (a tool to allow, a question, "
                                       "a plan) before the request is denied; a task stopped with Stop turn ends "
                                       "after this long without a message")
        self.image = image_field()
        self.cpus = cpus_field()
        self.memory = memory_field()
        self.theme = QComboBox()
        for mode, text in THEMES:
            self.theme.addItem(text, mode.value)
        self.terminal_font = QFontComboBox()
        self.terminal_font.setFontFilters(QFontComboBox.FontFilter.MonospacedFonts)
        self.terminal_font.setToolTip("The embedded terminal's font")
        self.terminal_font_size = QSpinBox()
        self.terminal_font_size.setRange(0, 72)
        self.terminal_font_size.setSpecialValueText("Default size")
        self.terminal_font_size.setSuffix(" pt")
        self.notifications = QCheckBox("Tell me when a task ends or needs me")
        self.notifications.setToolTip("A desktop notification (or a banner) while the window is in the background")

        tasks = QGroupBox("Tasks")
        f = QFormLayout(tasks)
        f.addRow("Concurrent tasks", self.concurrency)
        f.addRow("Time to answer the agent", self.answer_timeout)
        defaults = QGroupBox("Defaults for new workspaces")
        f = QFormLayout(defaults)
        f.addRow("Agent image", self.image)
        f.addRow("CPU limit", self.cpus)
        memory, self.memory_error = with_error(self.memory)
        f.addRow("Memory limit", memory)
        look = QGroupBox("Appearance and notifications")
        f = QFormLayout(look)
        f.addRow("Theme", self.theme)
        terminal_font = QHBoxLayout()
        terminal_font.addWidget(self.terminal_font, 1)
        terminal_font.addWidget(self.terminal_font_size)
        f.addRow("Terminal font", terminal_font)
        f.addRow("", self.notifications)
        self.secrets = SecretsSection()
        self.secrets.secret_submitted.connect(self.secret_submitted)
        self.secrets.secret_removed.connect(self.secret_removed)
        self.allowlist = DefaultAllowlist()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.memory.editTextChanged.connect(self._check_memory)
        self.save_button.setObjectName("Primary")
        for b in buttons.buttons():  # the style's stock icons clash with the theme
            b.setIcon(QIcon())
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("Secondary")
        left = QVBoxLayout()
        left.setSpacing(6)
        for group in (tasks, defaults, look):
            left.addWidget(group)
        left.addStretch(1)
        right_column = QWidget()
        right_column.setMinimumWidth(420)  # room for the key field and a host a line
        right = QVBoxLayout(right_column)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(6)
        right.addWidget(self.secrets)
        right.addWidget(self.allowlist, 1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(left, 1)
        columns.addWidget(right_column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        layout.addLayout(columns, 1)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.set_values(SettingsValues())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)
        # The two columns' wrapped labels know their height once laid out at the final width.
        QTimer.singleShot(0, lambda: fit_height(self))

    def set_values(self, v: SettingsValues) -> None:
        self.concurrency.setValue(v.concurrency)
        self.image.setText(v.default_image)
        self.cpus.setValue(v.default_cpus)
        self.memory.setCurrentText(v.default_memory)
        self.theme.setCurrentIndex(max(0, self.theme.findData(ThemeMode(v.theme).value)))
        self.notifications.setChecked(v.notifications)
        self.answer_timeout.setValue(v.answer_timeout_minutes)
        self.terminal_font.setCurrentFont(QFont(v.terminal_font) if v.terminal_font else mono_font())
        self.terminal_font_size.setValue(v.terminal_font_size)

    def values(self) -> SettingsValues:
        return SettingsValues(
            concurrency=self.concurrency.value(),
            default_image=self.image.text().strip() or self.image.placeholderText(),
            default_cpus=self.cpus.value(),
            default_memory=normal_memory(self.memory.currentText()) or DEFAULTS.default_memory,
            theme=ThemeMode(self.theme.currentData()),
            notifications=self.notifications.isChecked(),
            answer_timeout_minutes=self.answer_timeout.value(),
            terminal_font=_chosen_font(self.terminal_font.currentFont().family()),
            terminal_font_size=self.terminal_font_size.value(),
        )

    def show_secret_status(self, status: SecretStatus) -> None:
        self.secrets.show_status(status)

    def show_default_list(self, hosts: list[str]) -> None:
        self.allowlist.set_hosts(hosts)

    def default_list_saved(self, hosts: list[str]) -> None:
        """The services took the default allowlist: the rest is saved and the dialog closes."""
        self.allowlist.set_hosts(hosts)
        self._finish()

    def default_list_refused(self, message: str) -> None:
        self.allowlist.refused(message)
        self.save_button.setEnabled(True)

    def memory_problem(self) -> str:
        return "" if self.memory.lineEdit().hasAcceptableInput() else MEMORY_PROBLEM

    def _check_memory(self) -> None:
        """The reason under the field as it is typed; Save waits for a size it can store."""
        problem = self.memory_problem()
        self.memory_error.show_problem(problem)
        self.save_button.setEnabled(not problem)
        self.save_button.setToolTip(problem)
        if self.isVisible():
            fit_height(self)

    def _save(self) -> None:
        if self.memory_problem():
            self._check_memory()
            self.memory.setFocus()
            return
        if self.allowlist.changed:
            self.save_button.setEnabled(False)  # until the services say whether they took it
            self.default_list_submitted.emit(DefaultListSubmitted(self.allowlist.hosts()))
            return
        self._finish()

    def _finish(self) -> None:
        self.settings_saved.emit(SettingsSaved(self.values()))
        self.accept()


def _chosen_font(family: str) -> str:
    """The system's monospace font is stored as "" (it follows the system)."""
    return "" if family == mono_font().family() else family
