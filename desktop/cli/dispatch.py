"""``aicode``: argument parsing and dispatch.

Each command's module is imported only when that command runs, so a
command loads just what it needs (docker-py, SQLAlchemy, GitPython and
keyring together cost ~0.4 s to import).

Exit codes: 0 success, 1 task failed, 2 usage or input error,
3 engine unavailable.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from desktop import __version__
from desktop.cli.exits import EXIT_ENGINE, EXIT_FAILED, EXIT_USAGE, CliError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aicode", description="Run Claude Code safely in containers.")
    parser.add_argument("--version", action="version", version=f"aicode {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in ("doctor", "image", "workspace", "task", "engine", "egress", "secret", "audit", "shell"):
        module = importlib.import_module(f"desktop.cli.args_{name}")
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        module = importlib.import_module(args.handler_module)
        return int(getattr(module, args.handler)(args) or 0)
    except CliError as error:
        print(f"aicode: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("aicode: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - map domain errors, never a traceback
        from desktop.cli.exits import classify

        code, message = classify(error)
        print(f"aicode: {message}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["main", "EXIT_ENGINE", "EXIT_FAILED", "EXIT_USAGE"]
