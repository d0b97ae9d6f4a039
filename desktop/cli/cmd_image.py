"""``aicode image build``: builds with a progress line per build step."""

from __future__ import annotations

import argparse
import sys

from desktop.containers import images
from desktop.containers.engine import Engine


def build(args: argparse.Namespace) -> int:
    engine = Engine()

    def progress(fraction: float | None, line: str) -> None:
        if args.quiet:
            return
        prefix = f"[{int(fraction * 100):3d}%] " if fraction is not None else "       "
        print(prefix + line, file=sys.stderr, flush=True)

    engine.connect()  # connect first: a dead engine is exit 3 with a fix
    result = images.build(
        engine,
        tag=args.tag or images.DEFAULT_IMAGE,
        base=args.base or images.DEFAULT_BASE,
        progress=progress,
        force=args.force,
    )
    print(f"{result.tag}: Claude Code {result.claude_code_version}")
    engine.close()
    return 0
