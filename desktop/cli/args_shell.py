"""``aicode shell WORKSPACE [-- COMMAND ...]``."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    shell = commands.add_parser(
        "shell", help="a shell (or COMMAND, or the interactive claude) in a workspace's container",
        description="Runs in this terminal, on a TTY when there is one; exits with the command's status.",
    )
    shell.add_argument("workspace")
    shell.add_argument("--claude", action="store_true", help="start the interactive claude instead of a shell")
    shell.add_argument("command", nargs="*", metavar="-- COMMAND", help="a command and its arguments, after --")
    shell.set_defaults(handler_module="desktop.cli.cmd_shell", handler="shell")
