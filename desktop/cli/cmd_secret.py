"""``aicode secret ...``: values come from stdin and are never printed."""

from __future__ import annotations

import argparse
import sys

from desktop.cli.exits import CliError
from desktop.cli.output import print_json
from desktop.services.app import App


def set_(args: argparse.Namespace) -> int:
    from desktop.cli.command_context import forwarded_stdin

    forwarded = forwarded_stdin()
    if forwarded is not None:
        value = forwarded  # read by the client, in the user's terminal
    elif sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"{args.name}: ")
    else:
        value = sys.stdin.read()
    value = value.strip()
    if not value:
        raise CliError("No value given on standard input")
    with App() as app:
        app.set_secret(args.name, value)
        print(f"Stored {args.name} in {app.secret_status().backend}")
        return 0


def remove(args: argparse.Namespace) -> int:
    with App() as app:
        removed = app.delete_secret(args.name)
        print(f"Removed {args.name}" if removed else f"{args.name} was not stored")
        return 0


def status(args: argparse.Namespace) -> int:
    with App() as app:
        found = app.secret_status()
        if args.json:
            print_json({"backend": found.backend, "secrets": {str(k): v for k, v in found.secrets.items()}})
        else:
            print(f"Keyring: {found.backend}")
            for name, stored in found.secrets.items():
                print(f"  {name:<20} {'stored' if stored else 'not set'}")
        return 0
