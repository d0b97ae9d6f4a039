"""``aicode image build``."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    image = commands.add_parser("image", help="the agent image")
    sub = image.add_subparsers(dest="image_command", required=True, metavar="SUBCOMMAND")
    build = sub.add_parser("build", help="build the agent image, with progress")
    build.add_argument("--base", help="base image (default: debian:bookworm-slim)")
    build.add_argument("--tag", help="image tag (default: the default image of Settings)")
    build.add_argument("--force", action="store_true", help="rebuild even when up to date")
    build.add_argument("--quiet", action="store_true", help="print only the outcome")
    build.set_defaults(handler_module="desktop.cli.cmd_image", handler="build")
