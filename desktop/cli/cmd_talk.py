"""``aicode task approve|deny|interrupt|say``: answering a running agent."""

from __future__ import annotations

import argparse
import threading

from desktop.cli.cmd_task import spawn_adopter
from desktop.cli.exits import CliError
from desktop.domain.approvals import RequestKind, questions_of
from desktop.services.app import App


def approve(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        answers = None
        if args.answer:
            request = _request(app, args.task_id, args.request)
            questions = questions_of(request.input)
            if request.kind is not RequestKind.QUESTION or not questions:
                raise CliError("--answer is for the agent's questions; this request is not one")
            if len(args.answer) != len(questions):
                raise CliError(f"The agent asked {len(questions)} question(s): give --answer once for each")
            answers = {q.question: a for q, a in zip(questions, args.answer)}
        decided = app.tasks.approve(args.task_id, args.request, always=args.always, answers=answers)
        print(f"Allowed {decided.tool or decided.kind}" + (" (always, in this workspace)" if args.always else ""))
        _keep_watched(app)
        return 0


def deny(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        decided = app.tasks.deny(args.task_id, args.request, args.message)
        print(f"Denied {decided.tool or decided.kind}")
        _keep_watched(app)
        return 0


def interrupt(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        task = app.tasks.interrupt(args.task_id)
        print(f"Stopping task {task.id}'s turn: it will wait for 'aicode task say {task.id} \"…\"'")
        _keep_watched(app)
        return 0


def say(args: argparse.Namespace) -> int:
    with App(runs_queue=False) as app:
        task = app.tasks.say(args.task_id, args.message)
        print(f"Sent to task {task.id}")
        _keep_watched(app)
        return 0


def _request(app: App, task_id: str, request_id: str | None):  # noqa: ANN202 - PendingRequest
    waiting = app.tasks.pending(task_id)
    found = next((r for r in waiting if request_id in (None, r.request_id)), None)
    if found is None:
        raise CliError(f"Task {task_id} has no such waiting request")
    return found


def _keep_watched(app: App) -> None:
    """A task whose app process quit goes on once answered: someone must read
    its output and collect its work. The warm service takes it over; a
    process of its own does when there is no service."""
    if not app.tasks.orphans():
        return
    if app.long_lived:
        threading.Thread(target=app.tasks.adopt_orphans, name="adopt", daemon=True).start()
    else:
        spawn_adopter()
