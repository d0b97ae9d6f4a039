"""``aicode egress ...``."""

from __future__ import annotations

import argparse

_MODULE = "desktop.cli.cmd_egress"


def add_parser(commands: argparse._SubParsersAction) -> None:
    egress = commands.add_parser("egress", help="what a workspace's agent may reach, and what it was refused")
    sub = egress.add_subparsers(dest="egress_command", required=True, metavar="SUBCOMMAND")

    listing = sub.add_parser("list", help="the workspace's allowlist")
    listing.add_argument("workspace")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler_module=_MODULE, handler="list_")

    allow = sub.add_parser("allow", help="let the agent reach HOST (ports 443 and 80) or HOST:PORT; *.domain too")
    allow.add_argument("workspace")
    allow.add_argument("host", metavar="HOST[:PORT]")
    allow.set_defaults(handler_module=_MODULE, handler="allow")

    remove = sub.add_parser("remove", help="take a host off the allowlist")
    remove.add_argument("workspace")
    remove.add_argument("host", metavar="HOST[:PORT]")
    remove.set_defaults(handler_module=_MODULE, handler="remove")

    log = sub.add_parser("log", help="what the agent tried to reach and was refused, newest first")
    log.add_argument("workspace")
    log.add_argument("--limit", type=int, default=50)
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler_module=_MODULE, handler="log")
