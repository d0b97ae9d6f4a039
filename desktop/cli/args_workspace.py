"""``aicode workspace ...``."""

from __future__ import annotations

import argparse

_MODULE = "desktop.cli.cmd_workspace"
EXCLUDE_HELP = ("a path of the folder that never travels into the container (repeatable): a name at any "
                "depth (node_modules, *.log) or a path from the top (data/raw)")


def add_parser(commands: argparse._SubParsersAction) -> None:
    workspace = commands.add_parser("workspace", help="projects the agent works on")
    sub = workspace.add_subparsers(dest="workspace_command", required=True, metavar="SUBCOMMAND")

    add = sub.add_parser("add", help="add a workspace from a folder or a git URL")
    add.add_argument("name")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--path", help="a project folder (never written by the agent)")
    source.add_argument("--git", dest="git_url", metavar="URL", help="a repository to clone")
    add.add_argument("--image", help="agent image (default from settings)")
    add.add_argument("--cpus", type=float, help="CPU limit, e.g. 2")
    add.add_argument("--memory", help="memory limit, e.g. 2g")
    add.add_argument("--network", choices=["bridge", "none"],
                     help="the container's network when egress is open (default bridge)")
    add.add_argument("--egress", choices=["allowlist", "open", "none"],
                     help="allowlist (default): only the allowed hosts, through the app's proxy; "
                          "open: the network as it is; none: only the model")
    add.add_argument("--env", action="append", default=[], metavar="K=V", help="environment variable (repeatable)")
    add.add_argument("--secret-env", action="append", default=[], metavar="NAME",
                     help="a variable whose value is kept in the OS keyring and masked in all output; the "
                          "value is asked for, or read from standard input (one line per name)")
    add.add_argument("--permission-mode", choices=["bypassPermissions", "default", "acceptEdits", "plan"])
    add.add_argument("--exclude", action="append", default=[], metavar="PATH", help=EXCLUDE_HELP)
    add.add_argument("--engine", metavar="NAME", help="the Docker engine its container lives on (see 'aicode engine "
                     "list'; default: this machine's; 'auto': the one with most memory free that has the image)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler_module=_MODULE, handler="add")

    listing = sub.add_parser("list", help="list workspaces")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler_module=_MODULE, handler="list_")

    show = sub.add_parser("show", help="show one workspace")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler_module=_MODULE, handler="show")

    move = sub.add_parser("move", help="move a workspace's container to another Docker engine (its history stays)")
    move.add_argument("name")
    move.add_argument("--engine", required=True, metavar="NAME", help="where to (see 'aicode engine list')")
    move.set_defaults(handler_module=_MODULE, handler="move")

    rename = sub.add_parser("rename", help="rename a workspace")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(handler_module=_MODULE, handler="rename")

    change = sub.add_parser("set", help="change a workspace's limits, network, image, variables or permission mode")
    change.add_argument("name")
    change.add_argument("--image", help="agent image")
    change.add_argument("--cpus", type=float, help="CPU limit, e.g. 2")
    change.add_argument("--memory", help="memory limit, e.g. 2g")
    change.add_argument("--network", choices=["bridge", "none"], help="container network (open egress)")
    change.add_argument("--egress", choices=["allowlist", "open", "none"], help="the agent's way out")
    change.add_argument("--env", action="append", metavar="K=V",
                        help="environment variable (repeatable; replaces the workspace's plain variables)")
    change.add_argument("--secret-env", action="append", metavar="NAME",
                        help="mark a variable secret: its value goes to the OS keyring, asked for or read from "
                             "standard input; an empty value keeps the stored one, or moves a plain one there")
    change.add_argument("--unset-env", action="append", metavar="NAME", help="remove a variable, plain or secret")
    change.add_argument("--permission-mode", choices=["bypassPermissions", "default", "acceptEdits", "plan"])
    change.add_argument("--allow-tool", action="append", metavar="TOOL", default=[],
                        help="answer this tool's requests with Allow without asking (e.g. Bash)")
    change.add_argument("--ask-tool", action="append", metavar="TOOL", default=[],
                        help="ask again before this tool (undoes --allow-tool or 'Allow always')")
    change.add_argument("--exclude", action="append", default=[], metavar="PATH", help=EXCLUDE_HELP)
    change.add_argument("--include", action="append", default=[], metavar="PATH",
                        help="let an excluded path travel again (undoes --exclude)")
    change.add_argument("--json", action="store_true")
    change.set_defaults(handler_module=_MODULE, handler="change")

    rm = sub.add_parser("rm", help="remove a workspace, its container and the app's clone (never your folder)")
    rm.add_argument("name")
    rm.add_argument("--json", action="store_true")
    rm.set_defaults(handler_module=_MODULE, handler="remove")
