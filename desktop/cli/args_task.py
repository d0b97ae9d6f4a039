"""``aicode task ...``."""

from __future__ import annotations

import argparse

_MODULE = "desktop.cli.cmd_task"
_STATES = ["queued", "running", "succeeded", "failed", "cancelled"]
_MODES = ["default", "acceptEdits", "plan", "bypassPermissions"]


def add_parser(commands: argparse._SubParsersAction) -> None:
    task = commands.add_parser("task", help="run Claude Code tasks and review their changes")
    sub = task.add_subparsers(dest="task_command", required=True, metavar="SUBCOMMAND")

    run = sub.add_parser("run", help="run a prompt in a workspace, streaming progress")
    run.add_argument("workspace")
    run.add_argument("prompt")
    run.add_argument("--model")
    run.add_argument("--from", dest="start_from", metavar="TASK",
                     help="start from that task's end state (its changes), with a session of its own")
    run.add_argument("--mode", choices=_MODES, help="the permission mode of this task (default: the workspace's)")
    run.add_argument("--detach", action="store_true", help="start it in the background and print its id")
    run.add_argument("--json", action="store_true", help="print one JSON document at the end")
    run.set_defaults(handler_module=_MODULE, handler="run")

    follow = sub.add_parser("follow-up", help="continue a task's Claude session with a new prompt")
    follow.add_argument("task_id")
    follow.add_argument("prompt")
    follow.add_argument("--model")
    follow.add_argument("--mode", choices=_MODES, help="the permission mode of this task")
    follow.add_argument("--detach", action="store_true")
    follow.add_argument("--json", action="store_true")
    follow.set_defaults(handler_module=_MODULE, handler="follow_up")

    listing = sub.add_parser("list", help="list tasks, newest first")
    listing.add_argument("--workspace")
    listing.add_argument("--state", choices=_STATES, action="append")
    listing.add_argument("--search", help="text in the prompt")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler_module=_MODULE, handler="list_")

    show = sub.add_parser("show", help="show one task")
    show.add_argument("task_id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler_module=_MODULE, handler="show")

    logs = sub.add_parser("logs", help="print a task's transcript")
    logs.add_argument("task_id")
    logs.add_argument("--follow", "-f", action="store_true", help="keep printing until it ends")
    logs.add_argument("--raw", action="store_true", help="the CLI's stream-json lines as received (masked)")
    logs.set_defaults(handler_module=_MODULE, handler="logs")

    cancel = sub.add_parser("cancel", help="stop a queued or running task")
    cancel.add_argument("task_id")
    cancel.set_defaults(handler_module=_MODULE, handler="cancel")

    talk = "desktop.cli.cmd_talk"
    approve = sub.add_parser("approve", help="allow what a waiting task asks (its oldest request, or --request)")
    approve.add_argument("task_id")
    approve.add_argument("--request", metavar="RID", help="the request's id, as 'task show' lists it")
    approve.add_argument("--always", action="store_true", help="allow this tool always in the task's workspace")
    approve.add_argument("--answer", action="append", metavar="TEXT", default=[],
                         help="for a question: the chosen option (once per question, in order)")
    approve.set_defaults(handler_module=talk, handler="approve")

    deny = sub.add_parser("deny", help="refuse what a waiting task asks, optionally telling the agent why")
    deny.add_argument("task_id")
    deny.add_argument("--request", metavar="RID")
    deny.add_argument("--message", metavar="TEXT", help="what the agent reads instead")
    deny.set_defaults(handler_module=talk, handler="deny")

    interrupt = sub.add_parser("interrupt", help="stop the agent's current turn; it waits for 'task say'")
    interrupt.add_argument("task_id")
    interrupt.set_defaults(handler_module=talk, handler="interrupt")

    say = sub.add_parser("say", help="send a message to a running task's agent")
    say.add_argument("task_id")
    say.add_argument("message")
    say.set_defaults(handler_module=talk, handler="say")

    review = "desktop.cli.cmd_review"
    diff = sub.add_parser("diff", help="the task's changes as a patch (made safe to read on a terminal)")
    diff.add_argument("task_id")
    shown = diff.add_mutually_exclusive_group()
    shown.add_argument("--stat", action="store_true", help="files and line counts only")
    shown.add_argument("--hunks", action="store_true", help="one line per hunk: PATH:N  +A -R  @@ header")
    diff.set_defaults(handler_module=review, handler="diff")

    apply = sub.add_parser("apply", help="apply the task's changes (or the chosen files and hunks), or nothing")
    apply.add_argument("task_id")
    apply.add_argument("--files", nargs="+", metavar="PATH", default=[], help="whole files to apply")
    apply.add_argument("--hunks", nargs="+", metavar="PATH:N", default=[],
                       help="single hunks to apply, numbered as 'task diff --hunks' shows them")
    apply.set_defaults(handler_module=review, handler="apply")

    merge = sub.add_parser("merge", help="a three-way merge of the files whose changes no longer apply")
    merge.add_argument("task_id")
    merge.add_argument("--files", nargs="+", metavar="PATH", default=[], help="whole files to take")
    merge.add_argument("--hunks", nargs="+", metavar="PATH:N", default=[], help="single hunks to take")
    merge.add_argument("--write", action="store_true",
                       help="apply what fits and write the merged files (with conflict markers) into the folder")
    merge.set_defaults(handler_module=review, handler="merge")

    undo = sub.add_parser("undo", help="take an applied task's changes back out of the folder")
    undo.add_argument("task_id")
    undo.set_defaults(handler_module=review, handler="undo")

    compare = sub.add_parser("compare", help="the difference between two tasks' end states")
    compare.add_argument("first")
    compare.add_argument("second")
    compare.set_defaults(handler_module=review, handler="compare")

    discard = sub.add_parser("discard", help="drop the task's changes (they are saved in the data folder)")
    discard.add_argument("task_id")
    discard.set_defaults(handler_module=review, handler="discard")

    # Used by --detach: the background process that runs a queued task. No
    # help= at all: argparse lists a sub-command with any help, even SUPPRESS.
    runner = sub.add_parser("_run-queued")
    runner.add_argument("task_id")
    runner.set_defaults(handler_module=_MODULE, handler="run_queued")
    # Started after an answer when no app process reads the task any more.
    adopter = sub.add_parser("_adopt")
    adopter.set_defaults(handler_module=_MODULE, handler="adopt")
