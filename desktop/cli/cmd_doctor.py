"""``aicode doctor``: each part OK, or what to do about it."""

from __future__ import annotations

import argparse

from desktop.cli.exits import EXIT_FAILED
from desktop.cli.output import print_json
from desktop.services.app import App
from desktop.services.doctor import run_checks


def doctor(args: argparse.Namespace) -> int:
    with App() as app:
        checks = run_checks(app)
        if args.json:
            print_json([{"name": c.name, "ok": c.ok, "detail": c.detail, "fix": c.fix} for c in checks])
        else:
            for c in checks:
                print(f"{'OK  ' if c.ok else 'FAIL'} {c.name:<12} {c.detail}")
                if not c.ok and c.fix:
                    print(f"     {'':<12} fix: {c.fix}")
        return 0 if all(c.ok for c in checks) else EXIT_FAILED
