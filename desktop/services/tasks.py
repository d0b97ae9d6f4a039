"""Tasks: submit, follow up, cancel, run here, follow their events (reviewing their changes: ``review``)."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime

from desktop.agent import control
from desktop.domain import EventKind, PermissionMode, Task, TaskEvent, TaskState
from desktop.domain.approvals import Decision, PendingRequest, RequestKind, questions_of
from desktop.domain.task import PatchState
from desktop.services.agent_channel import AgentChannel
from desktop.services.answers import answer
from desktop.services.context import AppContext
from desktop.services.conversation import INTERRUPT_REQUESTED, SAID, interrupt_id
from desktop.services.errors import Conflict, NotFound, UserError, boundary
from desktop.services.reconcile import adopt_orphans, orphaned_tasks
from desktop.services.runner import CANCEL_REQUESTED, stop_agent
from desktop.services.scheduler import Scheduler
from desktop.services.settings import load_settings
from desktop.services.workspaces import Workspaces

# How often a follower looks at the database for events another process writes.
POLL_SECONDS = 0.25
# The agent's command line refuses a prompt near Linux's argv limit
# (desktop.agent.command.MAX_ARG_STRLEN_BYTES); the services refuse it first,
# with room to spare and a message a person can act on.
MAX_PROMPT_BYTES = 120_000
# The most tasks to review listed at once (a window counts and lists these).
MAX_TO_REVIEW = 500
FINAL_STATES = tuple(state for state in TaskState if state.is_final)
# How long a finished run may take to write its last records.
RUN_BOOKKEEPING_SECONDS = 30.0


@boundary
class Tasks:
    def __init__(self, ctx: AppContext, scheduler: Scheduler | None = None) -> None:
        self.ctx = ctx
        self.scheduler = scheduler or Scheduler(ctx, lambda: load_settings(ctx.db).concurrency)
        self.workspaces = Workspaces(ctx)

    # -- reading --

    def get(self, ref: str) -> Task:
        from desktop.store import AmbiguousId
        from desktop.store import NotFound as StoreNotFound

        try:
            return self.ctx.db.tasks.get(ref)
        except StoreNotFound:
            raise NotFound(f"No task {ref!r} (see 'aicode task list')") from None
        except AmbiguousId as error:
            raise UserError(str(error)) from None

    def list(self, workspace: str | None = None, states: list[TaskState] | None = None,
             text: str | None = None, limit: int | None = None) -> list[Task]:
        workspace_id = self.workspaces.get(workspace).id if workspace else None
        return self.ctx.db.tasks.list(workspace_id=workspace_id, states=states, text=text, limit=limit)

    def to_review(self, limit: int = MAX_TO_REVIEW) -> list[Task]:
        """Ended tasks whose change waits for the person (neither applied nor discarded), newest first."""
        return self.ctx.db.tasks.list(states=FINAL_STATES, patch_states=[PatchState.PENDING], limit=limit)

    def events(self, ref: str, after_seq: int = 0) -> list[TaskEvent]:
        return self.ctx.db.events.list(self.get(ref).id, after_seq=after_seq)

    # -- starting --

    def submit(self, workspace: str, prompt: str, model: str | None = None,
               permission_mode: PermissionMode | str | None = None) -> Task:
        ws = self.workspaces.get(workspace)
        task = Task(id=_new_id(), workspace_id=ws.id, prompt=_check_prompt(prompt), state=TaskState.QUEUED,
                    created_at=datetime.now(), model=model or None, permission_mode=_mode(permission_mode))
        return self._queue(task)

    def follow_up(self, ref: str, prompt: str, model: str | None = None,
                  permission_mode: PermissionMode | str | None = None) -> Task:
        parent = self.get(ref)
        if not parent.is_final:
            raise UserError(f"Task {parent.id} is still {parent.state}: follow up once it has ended")
        if not parent.session_id:
            raise UserError(f"Task {parent.id} never started a Claude session, so there is nothing to follow up")
        task = Task(id=_new_id(), workspace_id=parent.workspace_id, prompt=_check_prompt(prompt),
                    state=TaskState.QUEUED, created_at=datetime.now(), model=model or parent.model,
                    parent_id=parent.id, permission_mode=_mode(permission_mode) or parent.permission_mode)
        return self._queue(task)

    def start_from(self, ref: str, prompt: str, model: str | None = None,
                   permission_mode: PermissionMode | str | None = None) -> Task:
        """A new task, with a Claude session of its own, whose working copy
        starts from another task's end state (a checkpoint)."""
        parent = self.get(ref)
        if not parent.is_final:
            raise UserError(f"Task {parent.id} is still {parent.state}: start from it once it has ended")
        if parent.started_at is None:
            raise UserError(f"Task {parent.id} never ran, so it has no end state to start from")
        task = Task(id=_new_id(), workspace_id=parent.workspace_id, prompt=_check_prompt(prompt),
                    state=TaskState.QUEUED, created_at=datetime.now(), model=model or parent.model,
                    parent_id=parent.id, new_session=True,
                    permission_mode=_mode(permission_mode) or parent.permission_mode)
        return self._queue(task)

    def _queue(self, task: Task) -> Task:
        self.ctx.db.tasks.create(task)
        self.ctx.db.events.append(task.id, EventKind.STATE, {"state": "queued", "message": "Queued"})
        self.ctx.record("task.started", task.id, task.prompt)
        self.ctx.hub.publish_task(task)
        self.scheduler.pump()
        return self.ctx.db.tasks.get(task.id)

    # -- stopping --

    def cancel(self, ref: str) -> Task:
        from desktop.store import StaleState

        task = self.get(ref)
        if task.state is TaskState.QUEUED:
            try:
                task = self.ctx.db.tasks.update(task.id, expected_state=TaskState.QUEUED, state=TaskState.CANCELLED,
                                                finished_at=datetime.now(), error="Cancelled before it started")
                self.ctx.db.events.append(task.id, EventKind.STATE, {"state": "cancelled", "message": task.error})
                self.ctx.record("task.cancelled", task.id)
                self.ctx.hub.publish_task(task)
                return task
            except StaleState:
                task = self.get(task.id)  # it just started: cancel the run instead
        if task.state is not TaskState.RUNNING:
            raise UserError(f"Task {task.id} has already ended ({task.state})")
        self.ctx.db.events.append(task.id, EventKind.STATE, {"state": CANCEL_REQUESTED, "message": "Cancelling…"})
        if not self.scheduler.cancel_local(task.id):
            self._cancel_elsewhere(task)
        return task

    def _cancel_elsewhere(self, task: Task) -> None:
        """The task runs in another process: signal its processes in the container."""
        info = self.ctx.containers_of(task.workspace_id).info(task.workspace_id)
        if info is None:
            return

        def ended_within(seconds: float) -> bool:
            deadline = time.monotonic() + seconds
            while not self.get(task.id).is_final:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.1)
            return True

        stop_agent(self.ctx.engine_of(task.workspace_id), info.id, task.id, ended_within)

    # -- talking with the agent --

    def pending(self, ref: str) -> list[PendingRequest]:
        """What the task's agent waits for the user to answer, oldest first."""
        return self.ctx.db.requests.waiting(self.get(ref).id)

    def requests(self, ref: str) -> list[PendingRequest]:
        """Every request the task's agent made, answered or not."""
        return self.ctx.db.requests.list(self.get(ref).id)

    def approve(self, ref: str, request_id: str | None = None, always: bool = False,
                answers: dict[str, str] | None = None) -> PendingRequest:
        """Allow a tool (``always``: in this workspace from now on), approve a
        plan, or answer a question (``answers``: question -> chosen label)."""
        task, request = self._waiting_request(ref, request_id)
        if request.kind is RequestKind.MESSAGE:
            raise UserError(f"Task {task.id} waits for a message: send one with 'aicode task say'")
        if request.kind is RequestKind.QUESTION and not answers:
            questions = questions_of(request.input)
            if not questions:
                raise UserError("The agent's question could not be read: deny it with a message instead")
            raise UserError("The agent asked: " + " / ".join(q.question for q in questions) +
                            " — answer it (or deny it with a message)")
        decided = answer(self.ctx, task, request, Decision.ALLOW, always=always, answers=answers)
        self.ctx.record("task.approved", task.id, f"{request.tool} {request.request_id}")
        return decided

    def deny(self, ref: str, request_id: str | None = None, message: str | None = None) -> PendingRequest:
        """Refuse a tool (or keep planning), with an optional message the agent reads."""
        task, request = self._waiting_request(ref, request_id)
        if request.kind is RequestKind.MESSAGE:
            raise UserError(f"Task {task.id} waits for a message: send one, or cancel the task")
        decided = answer(self.ctx, task, request, Decision.DENY, message)
        self.ctx.record("task.denied", task.id, f"{request.tool} {request.request_id}")
        return decided

    def interrupt(self, ref: str) -> Task:
        """Stop the agent's current turn: it stops and waits for a message
        (``say``); the container and the session stay."""
        task = self._talking(ref)
        self.ctx.db.events.append(task.id, EventKind.STATE,
                                  {"state": INTERRUPT_REQUESTED, "message": "Stopping the current turn…"})
        AgentChannel(self.ctx, task).send(control.interrupt(interrupt_id()))
        return self.get(task.id)

    def say(self, ref: str, text: str) -> Task:
        """Send a message to the running agent: it reads it once its current
        step is done (or at once, when it waits after a stopped turn)."""
        task = self._talking(ref)
        text = _check_prompt(text)
        for request in self.ctx.db.requests.waiting(task.id):
            if request.kind is RequestKind.MESSAGE:
                answer(self.ctx, task, request, Decision.ALLOW, by="message")
        # Counted before it is sent: the run closes the agent's input only
        # once it has answered every message sent.
        self.ctx.db.events.append(task.id, EventKind.STATE, {"state": SAID, "message": "Message sent"})
        AgentChannel(self.ctx, task).send(control.user_message(text))
        self.ctx.record("task.message", task.id, text)
        return self.get(task.id)

    def _reachable(self, task: Task) -> None:
        """A long-lived process that answers a task also serves its agent's
        proxy: the process that ran it may have quit, and the agent's next
        request to the model must find one (the agent takes any that answers)."""
        if self.ctx.shared:
            from desktop.services.egress import serve

            serve(self.ctx, self.ctx.db.workspaces.get(task.workspace_id))
            if task.id not in self.running_here():
                # Its process may have quit: take it over (a no-op if it runs elsewhere).
                threading.Thread(target=self.adopt_orphans, name="adopt", daemon=True).start()

    def _talking(self, ref: str) -> Task:
        task = self.get(ref)
        self._reachable(task)
        if task.state is not TaskState.RUNNING:
            raise UserError(f"Task {task.id} is {task.state}, not running: "
                            + ("follow it up instead" if task.is_final else "wait for it to start"))
        return task

    def _waiting_request(self, ref: str, request_id: str | None) -> tuple[Task, PendingRequest]:
        task = self.get(ref)
        self._reachable(task)
        waiting = self.ctx.db.requests.waiting(task.id)
        if request_id:
            found = next((r for r in waiting if r.request_id == request_id), None)
            if found is None:
                known = self.ctx.db.requests.get(task.id, request_id)
                if known is not None:
                    raise Conflict(f"Request {request_id} of task {task.id} was already answered ({known.decision})")
                raise NotFound(f"Task {task.id} has no request {request_id!r} (see 'aicode task show {task.id}')")
            return task, found
        if not waiting:
            raise UserError(f"Task {task.id} is not waiting for an answer")
        return task, waiting[0]

    def orphans(self) -> list[str]:
        """Running tasks whose app process has quit (their agent may go on)."""
        return [task.id for task, _ in orphaned_tasks(self.ctx)]

    def adopt_orphans(self) -> list[str]:
        """Take over the tasks whose app process quit while their agent went
        on in its container (for long-lived processes: the GUI, the service)."""
        return adopt_orphans(self.ctx, self.scheduler.adopt)

    # -- following --

    def follow(self, ref: str, stop: threading.Event | None = None) -> Iterator[TaskEvent | Task]:
        """Every event of a task in order, stored ones first, then live ones,
        with no gap and no duplicate; ends with the task once it has ended."""
        return self._follow(self.get(ref), stop)

    def run_here(self, ref: str, stop: threading.Event | None = None) -> Iterator[TaskEvent | Task]:
        """Run a queued task in this process once its turn comes (the global
        limit, one running task per workspace), streaming it as ``follow``
        does; ends with the task once its run has finished its bookkeeping.

        Another process may start it first (the GUI runs the whole queue):
        then this only follows it.
        """
        task = self.get(ref)

        def try_to_start() -> bool:
            """True once there is nothing more to try."""
            return self.scheduler.start_if_ready(task.id) or self.ctx.db.tasks.get(task.id).state is not TaskState.QUEUED

        for item in self._follow(task, stop, try_to_start):
            if isinstance(item, Task):
                self.scheduler.join(task.id, RUN_BOOKKEEPING_SECONDS)
                yield self.get(task.id)
                return
            yield item

    def _follow(self, task: Task, stop: threading.Event | None,
                while_waiting: Callable[[], bool] | None = None) -> Iterator[TaskEvent | Task]:
        """``while_waiting`` is called at the start and whenever nothing has
        arrived for a while, until it returns True."""
        subscription = self.ctx.hub.subscribe(task.id)
        db = self.ctx.db
        last = 0

        def stored_after() -> Iterator[TaskEvent]:
            nonlocal last
            for event in db.events.list(task.id, after_seq=last):
                last = event.seq
                yield event

        try:
            if while_waiting is not None and while_waiting():
                while_waiting = None
            yield from stored_after()
            check_state = True
            while not (stop and stop.is_set()):
                # The state is read when it may have changed, not once per event.
                if check_state:
                    current = db.tasks.get(task.id)
                    if current.is_final:
                        yield from stored_after()
                        yield current
                        return
                    check_state = False
                try:
                    item = subscription.updates.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    # Written by another process (the GUI runs it, the CLI follows).
                    yield from stored_after()
                    check_state = True
                    if while_waiting is not None and while_waiting():
                        while_waiting = None
                    continue
                if isinstance(item, Task):
                    check_state = True
                elif item.seq == last + 1:
                    last = item.seq
                    yield item
                elif item.seq > last:  # never skip one: fill the gap from the store
                    yield from stored_after()
        finally:
            self.ctx.hub.unsubscribe(subscription)

    def watch_changes(self, stop: threading.Event) -> Iterator[Task]:
        """Every change of any task made in this process, until ``stop`` is set
        (other processes' changes are only in the database: list them)."""
        changes = self.ctx.hub.watch()
        try:
            while not stop.is_set():
                try:
                    yield changes.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
        finally:
            self.ctx.hub.unwatch(changes)

    def running_here(self) -> list[str]:
        """Ids of the tasks whose agent this process runs."""
        return self.scheduler.running_here()

    def wait(self, ref: str, timeout: float | None = None) -> Task:
        task = self.get(ref)
        self.scheduler.join(task.id, timeout)
        return self.get(task.id)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _mode(mode: PermissionMode | str | None) -> PermissionMode | None:
    if not mode:
        return None
    try:
        return PermissionMode(mode)
    except ValueError:
        known = ", ".join(m.value for m in PermissionMode)
        raise UserError(f"Unknown permission mode {mode!r}: use one of {known}") from None


def _check_prompt(prompt: str) -> str:
    if not prompt or not prompt.strip():
        raise UserError("The prompt is empty: say what the agent should do")
    if "\x00" in prompt:
        raise UserError("The prompt contains a NUL character")
    if len(prompt.encode()) > MAX_PROMPT_BYTES:
        raise UserError(f"The prompt is longer than {MAX_PROMPT_BYTES // 1000} kB: put the details in a file of the workspace")
    return prompt
