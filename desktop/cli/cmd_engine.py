"""``aicode engine add|list|test|rm|import``."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from desktop.cli.exits import EXIT_ENGINE
from desktop.cli.output import print_json
from desktop.domain.sizes import size_text
from desktop.services.app import App
from desktop.services.engines import EngineReport


def add(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        passphrase = _passphrase() if args.tls_key_passphrase else None
        entry = app.engines.add(args.name, args.url, args.tls_ca, args.tls_cert, args.tls_key, passphrase)
        print(f"Added the engine {entry.name} ({entry.url})")
        if args.no_test:
            return 0
        report = app.engines.test(entry.name)
        _print_report(report)
        if not report.ok:
            print(f"It is kept: test it again with 'aicode engine test {entry.name}', "
                  f"or remove it with 'aicode engine rm {entry.name}'.")
        return 0


def _passphrase() -> str:
    """Asked for without echo in a terminal, else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass("TLS key passphrase (not shown): ")
    return (sys.stdin.readline() if sys.stdin is not None else "").removesuffix("\n").removesuffix("\r")


def list_(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        entries = app.engines.list()
        if args.json:
            print_json([{"name": e.name, "url": e.url, "tls": e.tls, "local": e.local, "workspaces": e.workspaces}
                        for e in entries])
            return 0
        width = max(len(e.name) for e in entries)
        for e in entries:
            url = e.url or "this machine's default socket"
            tls = "  (TLS)" if e.tls else ""
            print(f"{e.name:<{width}}  {url}{tls}  {e.workspaces} workspace(s)")
        return 0


def test(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        report = app.engines.test(args.name)
    if args.json:
        print_json(dataclasses.asdict(report))
    else:
        _print_report(report)
    return 0 if report.ok else EXIT_ENGINE


def remove(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        app.engines.remove(args.name)
    print(f"Removed the engine {args.name.strip()}")
    return 0


def import_(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        result = app.engines.import_contexts(tuple(args.contexts))
    for name in result.added:
        print(f"Added the engine {name}")
    for context, why in result.skipped:
        print(f"Skipped the context {context}: {why}")
    if not result.added and not result.skipped:
        print("No Docker context to import (only 'default', which is the local engine)")
    return 0


def _print_report(report: EngineReport) -> None:
    if not report.ok:
        print(f"{report.name}: not reachable: {report.message}")
        if report.fix:
            print(f"  {report.fix}")
        return
    print(f"{report.name}: up: {report.message}")
    disk = size_text(report.free_disk_bytes) if report.free_disk_bytes is not None else "unknown"
    print(f"  {report.cpus} CPUs, {size_text(report.memory_bytes)} memory, {disk} free disk, "
          f"{report.running} container(s) running")
    if not report.image_present:
        image = "missing: it is built or copied there when a workspace is placed on it"
    elif not report.image_usable:
        image = "present but not an agent image of this version"
    elif report.image_current is False:
        image = "present, but built from other sources than this machine's"
    elif report.image_current is None:
        image = "present (this machine's image could not be compared)"
    else:
        image = "present and current"
    print(f"  agent image: {image}")
    print(f"  {report.workspaces} workspace(s) live here")
