"""Refuse a Qt binding known to crash the app, with a message instead of an abort.

PySide6 6.12.0 on CPython before 3.12 drops a reference to ``None`` on every
call of a method that returns nothing (``setPen``, ``update``, ...): after a
few thousand calls CPython aborts with "none_dealloc: deallocating None".
6.11.3 does not; on 3.12 and later None is immortal and the bug is harmless.
The probe tests the behaviour, not the version number, so a fixed release passes.
"""

from __future__ import annotations

import sys

PROBE_CALLS = 50
ADVICE = (
    "This PySide6 ({version}) loses a reference to None on every call on Python "
    "{python} and would crash within minutes. Install PySide6 6.11 "
    "(pip install 'PySide6-Essentials<6.12' 'PySide6-Addons<6.12') or use Python 3.12 or later."
)


def binding_problem() -> str | None:
    """A message for people when the installed binding is unusable, else None."""
    if sys.version_info >= (3, 12):
        return None
    import PySide6
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost < PROBE_CALLS // 2:
        return None
    # Give back what the probe took, so the check itself costs nothing.
    import ctypes

    for _ in range(lost):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return ADVICE.format(version=PySide6.__version__, python=sys.version.split()[0])
