"""``aicode engine ...``."""

from __future__ import annotations

import argparse

_MODULE = "desktop.cli.cmd_engine"


def add_parser(commands: argparse._SubParsersAction) -> None:
    engine = commands.add_parser("engine", help="the Docker engines workspaces can live on")
    sub = engine.add_subparsers(dest="engine_command", required=True, metavar="SUBCOMMAND")

    add = sub.add_parser("add", help="add an engine: ssh://USER@HOST[/PATH/docker.sock], "
                         "tcp://HOST:PORT with TLS, or unix:///PATH")
    add.add_argument("name")
    add.add_argument("url")
    add.add_argument("--tls-ca", metavar="FILE", help="the CA certificate that signed the engine's certificate")
    add.add_argument("--tls-cert", metavar="FILE", help="your client certificate")
    add.add_argument("--tls-key", metavar="FILE", help="your client certificate's key")
    add.add_argument("--tls-key-passphrase", action="store_true",
                     help="the key has a passphrase: it is asked for (or read from standard input) and kept in "
                          "the keyring, never taken from the command line")
    add.add_argument("--no-test", action="store_true", help="do not connect to it now")
    add.set_defaults(handler_module=_MODULE, handler="add")

    listing = sub.add_parser("list", help="the engines, with how many workspaces live on each")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler_module=_MODULE, handler="list_")

    test = sub.add_parser("test", help="connect to an engine and say what it is and has")
    test.add_argument("name")
    test.add_argument("--json", action="store_true")
    test.set_defaults(handler_module=_MODULE, handler="test")

    remove = sub.add_parser("rm", help="forget an engine (refused while workspaces live there)")
    remove.add_argument("name")
    remove.set_defaults(handler_module=_MODULE, handler="remove")

    imports = sub.add_parser("import", help="add the engines of your Docker contexts")
    imports.add_argument("contexts", nargs="*", metavar="CONTEXT", help="only these (default: all but 'default')")
    imports.set_defaults(handler_module=_MODULE, handler="import_")
