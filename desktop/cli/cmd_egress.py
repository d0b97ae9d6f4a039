"""``aicode egress list|allow|remove|log``."""

from __future__ import annotations

import argparse

from desktop.cli.output import print_json
from desktop.domain.review import visible
from desktop.services.app import App


def list_(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        workspace = app.workspaces.get(args.workspace)
        hosts = app.egress.list(workspace.id)
        if args.json:
            print_json({"workspace": workspace.name, "egress": str(workspace.egress), "allow": hosts})
            return 0
        print(f"{workspace.name}: egress {workspace.egress}")
        if str(workspace.egress) == "open":
            print("  open: the agent reaches the network directly (only the model goes through the proxy)")
        for host in hosts:
            print(f"  {host}")
        if not hosts and str(workspace.egress) != "open":
            print("  (nothing but the model)")
        return 0


def allow(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        app.egress.allow(args.workspace, args.host)
        print(f"Allowed {args.host.strip().lower()} for {app.workspaces.get(args.workspace).name}")
        return 0


def remove(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        app.egress.remove(args.workspace, args.host)
        print(f"Removed {args.host.strip().lower()}")
        return 0


def log(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        entries = app.egress.log(args.workspace, args.limit)
        if args.json:
            print_json([{"time": e.at.isoformat(timespec="seconds"), "host": e.host, "port": e.port,
                         "verdict": e.verdict, "reason": e.reason} for e in entries])
            return 0
        if not entries:
            print("Nothing was refused.")
        for e in entries:
            print(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.verdict:<8} {visible(e.host)}:{e.port}  {e.reason}")
        return 0
