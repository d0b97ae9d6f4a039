"""``aicode doctor``."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    doctor = commands.add_parser("doctor", help="check the engine, the image, claude and the keyring")
    doctor.add_argument("--json", action="store_true", help="one JSON document")
    doctor.set_defaults(handler_module="desktop.cli.cmd_doctor", handler="doctor")
