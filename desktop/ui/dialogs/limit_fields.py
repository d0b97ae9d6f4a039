"""The fields of a container's limits, shared by Settings (the defaults) and
the workspace dialog (one workspace's)."""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit

from desktop.ui.bridge.viewdata import DEFAULTS

MEMORY_RE = r"^\d+(\.\d+)?\s*[bkmgBKMG]?$"


def image_field() -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(DEFAULTS.default_image)
    return field


def cpus_field() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.5, 64)
    box.setSingleStep(0.5)
    box.setDecimals(1)
    box.setSuffix(" CPUs")
    return box


def memory_field() -> QComboBox:
    """An editable Docker size: pick 4g or type 1536m."""
    box = QComboBox()
    box.setEditable(True)
    box.addItems(["1g", "2g", "4g", "8g", "16g"])
    box.setValidator(QRegularExpressionValidator(QRegularExpression(MEMORY_RE), box))
    box.setToolTip("A Docker size: a number and a unit, e.g. 4g or 1536m")
    return box


def normal_memory(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()
