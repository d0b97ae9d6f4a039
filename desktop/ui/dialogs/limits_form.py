"""A workspace's container settings: image, CPUs, memory, egress (and the
network it uses when open), permissions (the mode, and when editing, the tools
allowed always), env."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from desktop.domain import EgressMode
from desktop.ui.bridge.viewdata import DEFAULTS
from desktop.ui.dialogs.allowed_tools import AllowedToolsList
from desktop.ui.dialogs.env_table import EnvTable
from desktop.ui.dialogs.limit_fields import cpus_field, image_field, memory_field, normal_memory
from desktop.ui.egress import words
from desktop.ui.look import modes
from desktop.ui.look.widgets import label

# The network of a workspace whose egress is open (the host's own is not offered:
# the agent could reach this desktop's sockets; one stored with it is shown as a bridge).
NETWORKS = [
    ("bridge", "Bridge: internet access, isolated from the host (default)"),
    ("none", "None: no network at all"),
]
PERMISSIONS = [(mode.value, text) for mode, text in modes.WORKSPACE_CHOICES]
EXCLUDED_HINT = ("Comma-separated. What the agent never needs (a dataset, a cache): a name at any depth "
                 "(node_modules, *.log) or a path from the top (data/raw). It never travels, and the agent's "
                 "writes there are not part of its change.")


@dataclass(frozen=True)
class Limits:
    image: str
    cpus: float
    memory: str
    network: str
    permission_mode: str
    env: dict[str, str] = field(default_factory=dict)
    egress: str = EgressMode.ALLOWLIST.value
    secret_env: tuple[str, ...] = ()  # names; their values are in the keyring
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)  # typed now: to the keyring
    excluded: tuple[str, ...] = ()  # what of the folder never travels


class LimitsForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image_field()
        self.cpus = cpus_field()
        self.memory = memory_field()
        self.egress = QComboBox()
        for mode, text in words.CHOICES:
            self.egress.addItem(text + (" (default)" if mode is EgressMode.ALLOWLIST else ""), mode.value)
        self.egress.setAccessibleName("Egress mode")
        self.egress_hint = label("", "Hint", wrap=True)
        self.network = QComboBox()
        for value, text in NETWORKS:
            self.network.addItem(text, value)
        self.egress.currentIndexChanged.connect(self._egress_changed)
        self.permission = QComboBox()
        for value, text in PERMISSIONS:
            self.permission.addItem(text, value)
        self.permission.setAccessibleName("Permission mode")
        self.permission_hint = label("", "Hint", wrap=True)
        self.permission.currentIndexChanged.connect(self._permission_changed)
        self._permission_changed(0)
        self.allowed = AllowedToolsList()
        self.env = EnvTable()
        self.excluded = QLineEdit()
        self.excluded.setPlaceholderText("Nothing: the whole folder travels")
        self.excluded.setAccessibleName("Paths not copied into the container")
        self.excluded.setToolTip(EXCLUDED_HINT)
        self.excluded.setMaxLength(4000)
        form = self._form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 0)
        form.addRow("Agent image", self.image)
        form.addRow("CPU limit", self.cpus)
        form.addRow("Memory limit", self.memory)
        form.addRow("Egress", self.egress)
        form.addRow("", self.egress_hint)
        form.addRow("Network", self.network)
        form.addRow("Permissions", self.permission)
        form.addRow("", self.permission_hint)
        form.addRow("Allowed always", self.allowed)
        form.setRowVisible(self.allowed, False)  # a new workspace has none; editing shows them
        form.addRow("Not copied", self.excluded)
        form.addRow("", label(EXCLUDED_HINT, "Hint", wrap=True))
        form.addRow("Environment", self.env)
        form.addRow("", label("Tick Secret for a token or password: its value goes to the OS keyring and is masked "
                              "everywhere. The Claude credential comes from the keyring already.", "Hint", wrap=True))

    def set_values(self, limits: Limits) -> None:
        self.image.setText(limits.image)
        self.cpus.setValue(limits.cpus)
        self.memory.setCurrentText(limits.memory)
        self.network.setCurrentIndex(max(0, self.network.findData(limits.network)))
        self.permission.setCurrentIndex(max(0, self.permission.findData(limits.permission_mode)))
        self.egress.setCurrentIndex(max(0, self.egress.findData(words.mode_of(limits.egress).value)))
        self._egress_changed()
        self.env.set_values(limits.env, limits.secret_env)
        self.excluded.setText(", ".join(limits.excluded))

    def values(self) -> Limits:
        env = self.env.values()
        return Limits(
            image=self.image.text().strip() or self.image.placeholderText(),
            cpus=self.cpus.value(),
            memory=normal_memory(self.memory.currentText()) or DEFAULTS.default_memory,
            network=self.network.currentData(),
            permission_mode=self.permission.currentData(),
            env=env.plain,
            egress=self.egress.currentData(),
            secret_env=env.secret_names,
            secret_values=env.secret_values,
            excluded=tuple(p.strip() for p in self.excluded.text().split(",") if p.strip()),
        )

    def set_allowed_tools(self, tools: tuple[str, ...]) -> None:
        """Editing a workspace: the tools it allows always, each of which can be taken back."""
        self.allowed.set_tools(tools)
        self._form.setRowVisible(self.allowed, True)

    def memory_ok(self) -> bool:
        return self.memory.lineEdit().hasAcceptableInput()

    def _egress_changed(self, _index: int = 0) -> None:
        mode = words.mode_of(self.egress.currentData())
        self.egress_hint.setText(words.HINTS[mode])
        # The container's own network matters only when egress is open; else it has none but loopback.
        self.network.setEnabled(mode is EgressMode.OPEN)
        self.network.setToolTip("" if mode is EgressMode.OPEN else
                                "Used when egress is Open; otherwise the container has no network but loopback")

    def _permission_changed(self, _index: int) -> None:
        mode = modes.mode_of(self.permission.currentData())
        self.permission_hint.setText(modes.WORKSPACE_HINTS.get(mode, "") if mode else "")
