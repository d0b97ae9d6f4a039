"""``aicode secret ...``."""

from __future__ import annotations

import argparse

_MODULE = "desktop.cli.cmd_secret"
_NAMES = ["anthropic-api-key", "claude-oauth-token"]


def add_parser(commands: argparse._SubParsersAction) -> None:
    secret = commands.add_parser("secret", help="credentials in the OS keyring")
    sub = secret.add_subparsers(dest="secret_command", required=True, metavar="SUBCOMMAND")
    set_ = sub.add_parser("set", help="store a secret read from standard input")
    set_.add_argument("name", choices=_NAMES)
    set_.set_defaults(handler_module=_MODULE, handler="set_")
    rm = sub.add_parser("rm", help="remove a secret from the keyring")
    rm.add_argument("name", choices=_NAMES)
    rm.set_defaults(handler_module=_MODULE, handler="remove")
    status = sub.add_parser("status", help="which secrets are stored, and where (never their values)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler_module=_MODULE, handler="status")
