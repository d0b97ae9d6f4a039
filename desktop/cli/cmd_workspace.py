"""``aicode workspace ...``."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from desktop.cli.exits import CliError
from desktop.cli.output import print_json, workspace_document
from desktop.services.app import App


def _env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CliError(f"--env takes K=V, not {pair!r}")
        env[key] = value
    return env


def _secret_env(names: list[str] | None, keeps: bool) -> dict[str, str] | None:
    """The values of ``--secret-env``: read by the client in the user's
    terminal, or here when the command runs in this process."""
    from desktop.cli.command_context import forwarded_stdin
    from desktop.cli.secret_input import parse_values, read_values

    if not names:
        return None
    text = forwarded_stdin()
    try:
        return parse_values(names, read_values(names, keeps) if text is None else text)
    except ValueError as error:
        raise CliError(str(error)) from None


def _show_clone_progress(report: object) -> None:
    """One line, rewritten in place: "Receiving objects 42%"."""
    print(f"\r{getattr(report, 'message', report)}"[:100].ljust(100), end="", file=sys.stderr, flush=True)


def add(args: argparse.Namespace) -> int:
    from desktop.services.workspaces import WorkspaceSpec

    spec = WorkspaceSpec(
        name=args.name, path=args.path, git_url=args.git_url, image=args.image, cpus=args.cpus,
        memory=args.memory, network=args.network, env=_env(args.env), permission_mode=args.permission_mode,
        egress=args.egress, secret_env=_secret_env(args.secret_env, keeps=False) or {}, excluded=tuple(args.exclude),
        engine=args.engine,
    )
    progress = _show_clone_progress if args.git_url and not args.json and sys.stderr.isatty() else None
    with App() as app:
        workspace = app.workspaces.add(spec, progress=progress)
        if progress:
            print(file=sys.stderr)
        if args.json:
            print_json(workspace_document(workspace))
        else:
            print(f"Added workspace {workspace.name} ({workspace.id}) from {workspace.git_url or workspace.source_path}")
        return 0


def list_(args: argparse.Namespace) -> int:
    with App() as app:
        workspaces = app.workspaces.list()
        if args.json:
            print_json([workspace_document(w) for w in workspaces])
        elif not workspaces:
            print("No workspaces yet. Add one: aicode workspace add NAME --path DIR (or --git URL)")
        else:
            for w in workspaces:
                print(f"{w.id}  {w.name:<20}  {w.source_kind:<6}  {w.git_url or w.source_path}")
        return 0


def show(args: argparse.Namespace) -> int:
    with App() as app:
        document = workspace_document(app.workspaces.get(args.name))
        if args.json:
            print_json(document)
        else:
            for key, value in document.items():
                if value not in (None, [], ""):
                    print(f"{key + ':':<17} {', '.join(value) if isinstance(value, list) else value}")
        return 0


def move(args: argparse.Namespace) -> int:
    def say(fraction: float | None, line: str) -> None:
        if sys.stderr.isatty():
            print(f"\r\033[K{line}", end="", file=sys.stderr, flush=True)

    with App() as app:
        try:
            moved = app.workspaces.move(args.name, args.engine, say)
        finally:
            if sys.stderr.isatty():
                print("\r\033[K", end="", file=sys.stderr, flush=True)
    ws = moved.workspace
    print(f"Moved {ws.name} to the engine {ws.engine}")
    if moved.carried:
        print(f"  its working copy and Claude's sessions came along ({moved.carried_bytes >> 20} MB)")
    else:
        print("  the old engine did not answer: the next task sends your folder again and starts a new session")
    if moved.old_left:
        print("  its old container is removed once that engine answers again")
    return 0


def rename(args: argparse.Namespace) -> int:
    with App() as app:
        workspace = app.workspaces.rename(args.name, args.new_name)
        print(f"Renamed to {workspace.name}")
        return 0


def change(args: argparse.Namespace) -> int:
    from desktop.services.workspaces import WorkspaceChanges

    changes = WorkspaceChanges(
        image=args.image, cpus=args.cpus, memory=args.memory, network=args.network,
        env=None if args.env is None else _env(args.env), permission_mode=args.permission_mode,
        egress=args.egress, secret_env=_secret_env(args.secret_env, keeps=True),
        unset_env=tuple(args.unset_env) if args.unset_env else None,
    )
    tools = args.allow_tool or args.ask_tool
    paths = args.exclude or args.include
    if not tools and not paths and not any(value is not None for value in vars(changes).values()):
        raise CliError("Nothing to change: give --cpus, --memory, --network, --egress, --image, --env, "
                       "--secret-env, --unset-env, --permission-mode, --allow-tool, --ask-tool, --exclude or --include")
    with App() as app:
        if tools:
            current = app.workspaces.get(args.name).allowed_tools
            kept = [t for t in (*current, *args.allow_tool) if t not in args.ask_tool]
            changes = replace(changes, allowed_tools=tuple(kept))
        if paths:
            current = app.workspaces.get(args.name).excluded
            dropped = {p.strip().removeprefix("./").rstrip("/") for p in args.include}
            changes = replace(changes, excluded=tuple(p for p in (*current, *args.exclude) if p not in dropped))
        workspace, changed = app.workspaces.change(args.name, changes)
        pending = bool(changed) and app.workspaces.settings_pending(workspace.id)
        if args.json:
            print_json({**workspace_document(workspace), "changed": sorted(changed), "pending": pending})
        elif not changed:
            print(f"Workspace {workspace.name} already had these settings")
        else:
            for key, (old, new) in changed.items():
                if key in ("env", "secret_env"):  # names only: values may be secrets
                    old, new = ", ".join(sorted(old)) or "(none)", ", ".join(sorted(new)) or "(none)"
                elif key in ("allowed_tools", "excluded"):
                    old, new = ", ".join(old) or "(none)", ", ".join(new) or "(none)"
                print(f"{workspace.name}: {key.replace('_', ' ')} {old} -> {new}")
            if "excluded" in changed:
                print("The next task's copy of the folder follows (what no longer travels is removed from it)")
            if not set(changed) - {"excluded", "allowed_tools"}:
                pass  # neither reaches the container's settings
            elif pending:
                print("A task runs in its container: the change applies when the running task ends "
                      "(the container is made again then, on the same volumes)")
            else:
                print("The container takes them now (variables and the permission mode: from the next task)")
        return 0


def remove(args: argparse.Namespace) -> int:
    with App() as app:
        removed = app.workspaces.remove(args.name)
        workspace = removed.workspace
        if args.json:
            print_json({**workspace_document(workspace), "kept_changes": [str(p) for p in removed.kept]})
            return 0
        if workspace.source_kind == "folder":
            print(f"Removed workspace {workspace.name}; your folder {workspace.source_path} is untouched")
        else:
            print(f"Removed workspace {workspace.name} and the app's clone")
        for path in removed.kept:
            print(f"  changes never applied were saved in {path}")
        return 0
