"""``aicode audit verify``."""

from __future__ import annotations

import argparse

from desktop.cli.exits import EXIT_FAILED
from desktop.services.app import App


def verify(args: argparse.Namespace) -> int:
    with App() as app:
        report = app.verify_audit()
        print(str(report))
        return 0 if report.ok else EXIT_FAILED
