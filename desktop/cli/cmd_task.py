"""``aicode task ...``: run, follow, review."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time

from desktop import paths
from desktop.cli.exits import EXIT_ENGINE, EXIT_FAILED, CliError
from desktop.cli.output import cost, duration, print_json, task_document
from desktop.cli.render import Renderer
from desktop.domain import EventKind, Task, TaskEvent, TaskState
from desktop.domain.approvals import PendingRequest
from desktop.services.app import App

CANCEL_WAIT_SECONDS = 10.0
RUN_END_WAIT_SECONDS = 30.0


def _app(settle: bool = False) -> App:
    """An App that runs only the tasks it is asked to (the GUI runs the queue).

    ``settle``: first mark the tasks whose process died as failed, so what
    is shown is true (cheap: no engine unless such a task exists)."""
    app = App(runs_queue=False)
    if settle:
        app.reconcile(with_engine=False)
    return app


def _require_engine(app: App) -> None:
    status = app.engine_status()
    if not status.ok:
        raise CliError(f"{status.message} — {status.fix}", EXIT_ENGINE)


def run(args: argparse.Namespace) -> int:
    with _app() as app:
        workspace = app.workspaces.get(args.workspace)  # a bad name is exit 2, before the engine
        if not args.detach:
            _require_engine(app)
            app.reconcile()
        if args.start_from:
            origin = app.tasks.get(args.start_from)
            if origin.workspace_id != workspace.id:
                raise CliError(f"Task {origin.id} belongs to another workspace than '{workspace.name}'")
            task = app.tasks.start_from(origin.id, args.prompt, model=args.model, permission_mode=args.mode)
        else:
            task = app.tasks.submit(workspace.id, args.prompt, model=args.model, permission_mode=args.mode)
        return _drive(app, task, args)


def follow_up(args: argparse.Namespace) -> int:
    with _app() as app:
        if not args.detach:
            _require_engine(app)
            app.reconcile()
        task = app.tasks.follow_up(args.task_id, args.prompt, model=args.model, permission_mode=args.mode)
        return _drive(app, task, args)


def _drive(app: App, task: Task, args: argparse.Namespace) -> int:
    if args.detach:
        _spawn_runner(app, task.id)
        if args.json:
            print_json(task_document(task, app.workspaces.get(task.workspace_id).name))
        else:
            print(task.id)
        return 0
    interactive = not args.json and sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    final = _run_here(app, task, None if args.json else Renderer(), ASK if interactive else LEAVE)
    if not final.is_final:  # it waits for an answer: left to 'task approve/deny' or the app
        if args.json:
            print_json(task_document(final, app.workspaces.get(final.workspace_id).name, app.tasks.pending(final.id)))
        else:
            print(final.id)
        return 0
    if args.json:
        print_json(task_document(final, app.workspaces.get(final.workspace_id).name))
    elif final.patch_state == "pending":
        stat = _stat_line(app, final.id)
        print(f"Changes: {stat} — review with 'aicode task diff {final.id}', then apply or discard")
    return 0 if final.state is TaskState.SUCCEEDED else EXIT_FAILED


ASK, LEAVE, WAIT = "ask", "leave", "wait"


def _run_here(app: App, task: Task, renderer: Renderer | None, on_request: str = WAIT) -> Task:
    """Run (or wait for its turn to run) a task in this process, showing it.

    When the agent asks something: ASK asks inline (a terminal), LEAVE
    returns the task as it is, waiting (it goes on in this process if it is
    long-lived, else in the next app process that looks), WAIT keeps
    following until someone answers elsewhere."""
    from desktop.cli.command_context import on_interrupt

    on_interrupt(lambda: _cancel_quietly(app, task.id))
    final = task
    try:
        for item in app.tasks.run_here(task.id):
            if isinstance(item, TaskEvent):
                if renderer:
                    renderer.event(item)
                if item.kind is EventKind.REQUEST and on_request != WAIT:
                    request = next((r for r in app.tasks.pending(task.id)
                                    if r.request_id == item.data.get("request_id")), None)
                    if request is None:
                        continue  # answered already (a workspace rule, another window)
                    if on_request == LEAVE:
                        print(f"Task {task.id} waits for you: {request.tool or request.kind} {request.summary}"
                              f" — 'aicode task approve {task.id}' or 'aicode task deny {task.id}'",
                              file=sys.stderr)
                        return app.tasks.get(task.id)
                    ask_inline(app, task.id, request)
            else:
                final = item
        if renderer:
            renderer.final(final)
    except KeyboardInterrupt:
        print("\nCancelling…", file=sys.stderr)
        app.tasks.cancel(task.id)
        app.tasks.wait(task.id, timeout=RUN_END_WAIT_SECONDS)
        raise
    return final


def ask_inline(app: App, task_id: str, request: PendingRequest) -> None:
    """Ask on the terminal; the answer goes the way the GUI's and 'task approve' go."""
    from desktop.domain.approvals import RequestKind, questions_of
    from desktop.services.errors import Conflict

    try:
        if request.kind is RequestKind.MESSAGE:
            text = input("The agent stopped and waits for your message (empty: end the task): ").strip()
            if text:
                app.tasks.say(task_id, text)
            else:
                app.tasks.cancel(task_id)
            return
        if request.kind is RequestKind.QUESTION:
            answers = {}
            for question in questions_of(request.input):
                print(question.question)
                for number, option in enumerate(question.options, 1):
                    print(f"  {number}. {option}")
                choice = input("Your answer (a number or your own words): ").strip()
                index = int(choice) - 1 if choice.isdigit() else -1
                answers[question.question] = question.options[index] if 0 <= index < len(question.options) else choice
            app.tasks.approve(task_id, request.request_id, answers=answers)
            return
        what = "Approve this plan" if request.kind is RequestKind.PLAN else f"Allow {request.tool}"
        choices = "[y]es / [n]o" + (" / [a]lways in this workspace" if request.kind is RequestKind.PERMISSION else "")
        while True:
            reply = input(f"{what}: {request.summary}? {choices} ").strip().lower()
            if reply in ("y", "yes"):
                app.tasks.approve(task_id, request.request_id)
            elif reply in ("a", "always") and request.kind is RequestKind.PERMISSION:
                app.tasks.approve(task_id, request.request_id, always=True)
            elif reply in ("n", "no"):
                message = input("Tell the agent why (optional): ").strip()
                app.tasks.deny(task_id, request.request_id, message or None)
            else:
                continue
            return
    except EOFError:
        print("\nLeft waiting: answer with 'aicode task approve' or 'aicode task deny'", file=sys.stderr)
    except Conflict:
        pass  # answered meanwhile, elsewhere


def _cancel_quietly(app: App, task_id: str) -> None:
    print("\nCancelling…", file=sys.stderr)
    try:
        app.tasks.cancel(task_id)
    except Exception:  # noqa: BLE001 - it may have just ended
        pass


def _spawn_runner(app: App, task_id: str) -> None:
    if app.long_lived:
        # In the warm service: run it there, outliving this command.
        threading.Thread(target=_run_detached, args=(task_id,), name=f"detached-{task_id}", daemon=True).start()
        return
    _spawn(["task", "_run-queued", task_id], f"task-{task_id}")


def spawn_adopter() -> None:
    """A background process that takes over the tasks whose process quit, to their end."""
    _spawn(["task", "_adopt"], "adopt")


def adopt(args: argparse.Namespace) -> int:
    with _app() as app:
        for task_id in app.tasks.adopt_orphans():
            app.tasks.wait(task_id)
        return 0


def _spawn(argv: list[str], name: str) -> None:
    log = paths.data_dir() / "logs"
    log.mkdir(exist_ok=True)
    with open(log / f"{name}.log", "ab") as output:
        command = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "desktop.cli.dispatch"]
        subprocess.Popen(
            [*command, *argv], env={**os.environ, "AICODE_NO_SERVICE": "1"},
            stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True,
        )


def _run_detached(task_id: str) -> None:
    with _app() as app:
        _run_here(app, app.tasks.get(task_id), None)


def run_queued(args: argparse.Namespace) -> int:
    with _app() as app:
        final = _run_here(app, app.tasks.get(args.task_id), None)
        return 0 if final.state is TaskState.SUCCEEDED else EXIT_FAILED


def _stat_line(app: App, task_id: str) -> str:
    stat = app.review.diff_stat(task_id)
    return f"{stat.files} file{'s' if stat.files != 1 else ''} (+{stat.insertions} −{stat.deletions})"


def list_(args: argparse.Namespace) -> int:
    with _app(settle=True) as app:
        tasks = app.tasks.list(args.workspace, [TaskState(s) for s in args.state] if args.state else None,
                               args.search, args.limit)
        names = {w.id: w.name for w in app.workspaces.list()}
        if args.json:
            print_json([task_document(t, names.get(t.workspace_id, "?")) for t in tasks])
            return 0
        if not tasks:
            print("No tasks yet. Run one: aicode task run WORKSPACE \"what to do\"")
        for t in tasks:
            prompt = t.prompt.splitlines()[0][:50] if t.prompt else ""
            print(f"{t.id}  {t.state:<9}  {names.get(t.workspace_id, '?'):<16}  "
                  f"{duration(t.duration_ms):>8}  {cost(t.cost_usd):>8}  {prompt}")
        return 0


def show(args: argparse.Namespace) -> int:
    with _app(settle=True) as app:
        task = app.tasks.get(args.task_id)
        document = task_document(task, app.workspaces.get(task.workspace_id).name,
                                 app.tasks.pending(task.id) if task.needs_input else None)
        if args.json:
            print_json(document)
        else:
            for key, value in document.items():
                if key == "pending":
                    for request in value:
                        print(f"{'waits for:':<14} {request['kind']} {request['tool']} {request['summary']}"
                              f"  (request {request['request_id']})")
                elif value is not None:
                    print(f"{key + ':':<14} {value}")
        return 0


def logs(args: argparse.Namespace) -> int:
    renderer = Renderer(raw=args.raw)
    with _app(settle=True) as app:
        task = app.tasks.get(args.task_id)
        if args.follow:
            for item in app.tasks.follow(task.id):
                if isinstance(item, TaskEvent):
                    renderer.event(item)
                else:
                    renderer.final(item)
            return 0
        for event in app.tasks.events(task.id):
            renderer.event(event)
        if task.is_final:
            renderer.final(task)
        return 0


def cancel(args: argparse.Namespace) -> int:
    with _app() as app:
        task = app.tasks.get(args.task_id)
        if task.state is TaskState.RUNNING:
            _require_engine(app)
        task = app.tasks.cancel(task.id)
        # The run ends in whichever process owns it: wait to report the outcome.
        deadline = time.monotonic() + CANCEL_WAIT_SECONDS
        while not task.is_final and time.monotonic() < deadline:
            time.sleep(0.1)
            task = app.tasks.get(task.id)
        print(f"{task.id}: {task.state if task.is_final else 'cancelling'}")
        return 0
