"""``aicode image build``: builds with a progress line per build step."""

from __future__ import annotations

import argparse
import sys

from desktop.services.app import App


def build(args: argparse.Namespace) -> int:
    def progress(fraction: float | None, line: str) -> None:
        if args.quiet:
            return
        prefix = f"[{int(fraction * 100):3d}%] " if fraction is not None else "       "
        print(prefix + line, file=sys.stderr, flush=True)

    with App() as app:
        # A dead engine is exit 3 with a fix, before anything is built.
        result = app.build_image(progress, base=args.base, tag=args.tag, force=args.force)
        print(f"{result.tag}: Claude Code {result.claude_code_version}")
        return 0
