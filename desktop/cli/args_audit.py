"""``aicode audit ...``."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="the tamper-evident log of actions")
    sub = audit.add_subparsers(dest="audit_command", required=True, metavar="SUBCOMMAND")
    verify = sub.add_parser("verify", help="check the chain; names the first broken entry")
    verify.set_defaults(handler_module="desktop.cli.cmd_audit", handler="verify")
