"""The running task's side of the talk with its agent.

The runner hands over every control line claude writes (permission
requests, answers to our own requests, withdrawn requests) and every event
it parsed. This decides what waits for the user (a stored request, so any
app process can answer it, even one started later), what a workspace's
rules answer at once, what the time-out denies, and when claude's input is
closed: once it has answered every message the user sent, unless the user
stopped its turn, in which case it waits for the user's next message.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any, Callable

from desktop.agent import control
from desktop.domain import EventKind, NewEvent, Task
from desktop.domain.approvals import Decision, PendingRequest, RequestKind, kind_of
from desktop.services.agent_channel import AgentChannel
from desktop.services.answers import answer
from desktop.services.context import AppContext
from desktop.services.errors import ServiceError

log = logging.getLogger(__name__)

INITIALIZE_ID = "initialize"
INTERRUPT_PREFIX = "interrupt-"
MESSAGE_PREFIX = "message-"
_CALLS_KEPT = 64
# At most this many requests a task, and waiting at once; more are denied.
MAX_REQUESTS = 500
MAX_WAITING = 20
SAID = "message_sent"  # the STATE event Tasks.say writes before sending a message
INTERRUPT_REQUESTED = "interrupt_requested"


def first_input(prompt: str) -> str:
    """What claude reads first: the control handshake, then the prompt."""
    return f"{control.initialize(INITIALIZE_ID)}\n{control.user_message(prompt)}\n"


def interrupt_id() -> str:
    return f"{INTERRUPT_PREFIX}{uuid.uuid4().hex[:12]}"


class Conversation:
    def __init__(self, ctx: AppContext, task: Task, channel: AgentChannel,
                 store: Callable[[list[NewEvent]], None], timeout_seconds: float) -> None:
        self.ctx = ctx
        self.task = task
        self.channel = channel
        self._store = store
        self._timeout = timeout_seconds
        self._timers: dict[str, threading.Timer] = {}
        self._lock = threading.Lock()
        self._results = 0
        self._interrupted = False
        self.closed = False
        self.last_turn_stopped = False  # the user stopped the last turn (and sent nothing after)
        # The inputs of the latest tool calls by id: a request may come without
        # its input (ExitPlanMode's plan is only in the model's tool call).
        self._calls: dict[str, dict[str, Any]] = {}
        self._asked_count = 0
        # How to end claude's input: by a word on the task's own exec when this
        # process started it, else through the channel (an adopted run).
        self.close_input: Callable[[], None] = channel.close

    def resume(self) -> None:
        """For a run taken over from a process that quit: count the turns it
        saw, and time out what waited too long while nobody watched."""
        self._results = sum(1 for e in self.ctx.db.events.list(self.task.id) if e.kind is EventKind.RESULT)
        now = datetime.now()
        for request in self.ctx.db.requests.waiting(self.task.id):
            left = self._timeout - (now - request.created_at).total_seconds()
            if left <= 0:
                self._time_out(request)
            else:
                self._start_timer(request, left)

    # -- from the stream --

    def on_control(self, value: dict[str, Any]) -> None:
        message = control.read_control(value)
        if isinstance(message, control.ToolAsk):
            self._asked(message)
        elif isinstance(message, control.Reply):
            if message.request_id.startswith(INTERRUPT_PREFIX) and message.error is None:
                self._interrupted = True
            elif message.error:
                log.info("task %s: claude refused %s: %s", self.task.id, message.request_id, message.error)
        elif isinstance(message, control.Withdrawn):
            self._settle(message.request_id, Decision.WITHDRAWN, by="agent")
        elif isinstance(message, control.Unsupported):
            self._send(control.unsupported(message.request_id, message.subtype))

    def saw(self, event: NewEvent) -> None:
        """An event parsed from the stream, before the control lines after it."""
        if event.kind is EventKind.TOOL_CALL and isinstance(event.data.get("input"), dict):
            self._calls[str(event.data.get("id"))] = event.data["input"]
            while len(self._calls) > _CALLS_KEPT:
                self._calls.pop(next(iter(self._calls)))

    def on_events(self, events: list[NewEvent]) -> None:
        for event in events:
            if event.kind is EventKind.RESULT:
                self._turn_ended()

    # -- requests --

    def _asked(self, ask: control.ToolAsk) -> None:
        masker = self.ctx.masker()
        shown = ask.input or (self._calls.get(ask.tool_use_id, {}) if ask.tool_use_id else {})
        request = PendingRequest(self.task.id, ask.request_id, kind_of(ask.tool), ask.tool,
                                 masker.mask_obj(shown), masker.mask(ask.description))
        workspace = self.ctx.db.workspaces.get(self.task.workspace_id)
        rule = request.kind is RequestKind.PERMISSION and ask.tool in workspace.allowed_tools
        # Requests come from the container: a flood of them (forged lines, a
        # loop) is refused rather than stored and announced one by one.
        self._asked_count += 1
        flood = self._asked_count > MAX_REQUESTS or len(self.ctx.db.requests.waiting(self.task.id)) >= MAX_WAITING
        refused = ask.too_large or flood
        if rule or refused:
            # Answered at once: stored already decided, so nobody is told to answer it.
            decision = Decision.DENY if refused else Decision.ALLOW
            note = ("Allowed always in this workspace" if not refused
                    else "Too many requests at once, so it was not allowed" if flood
                    else "Its input is too large to review, so it was not allowed")
            stored = replace(request, decision=decision, message=note, decided_at=datetime.now())
            if not self.ctx.db.requests.add(stored):
                return
            self._store([self._request_event(request), NewEvent(EventKind.DECISION, {
                "request_id": request.request_id, "decision": str(decision), "tool": request.tool,
                "kind": str(request.kind), "message": note, "always": not refused,
                "by": "rule" if not refused else "flood" if flood else "size",
            })])
            self._send(control.deny(request.request_id, note) if refused else control.allow(request.request_id))
            return
        if not self.ctx.db.requests.add(request):
            return  # the same request again (a replayed line): it waits already
        self._store([self._request_event(request)])
        self.ctx.hub.publish_task(self.ctx.db.tasks.get(self.task.id))
        self._start_timer(request)

    def wait_for_message(self) -> None:
        """The user stopped the turn: the agent waits for their next message."""
        request = PendingRequest(self.task.id, f"{MESSAGE_PREFIX}{self._results}-{uuid.uuid4().hex[:6]}",
                                 RequestKind.MESSAGE, "", {}, "The agent stopped and waits for your message")
        if self.ctx.db.requests.add(request):
            self._store([self._request_event(request)])
            self.ctx.hub.publish_task(self.ctx.db.tasks.get(self.task.id))
            self._start_timer(request)

    def _request_event(self, request: PendingRequest) -> NewEvent:
        return NewEvent(EventKind.REQUEST, {
            "request_id": request.request_id, "kind": str(request.kind), "tool": request.tool,
            "input": request.input, "description": request.description, "summary": request.summary,
        })

    def _start_timer(self, request: PendingRequest, seconds: float | None = None) -> None:
        timer = threading.Timer(self._timeout if seconds is None else seconds, self._time_out, args=(request,))
        timer.daemon = True
        with self._lock:
            self._timers[request.request_id] = timer
        timer.start()

    def _time_out(self, request: PendingRequest) -> None:
        try:
            answer(self.ctx, self.task, request, Decision.TIMEOUT, by="timeout", channel=self.channel)
        except ServiceError:
            return  # answered meanwhile, or the agent has gone
        except Exception:  # noqa: BLE001 - a timer thread must not die loudly
            log.exception("task %s: timing out %s", self.task.id, request.request_id)
            return
        if request.kind is RequestKind.MESSAGE:
            self.close()

    def _settle(self, request_id: str, decision: Decision, by: str) -> None:
        decided = self.ctx.db.requests.decide(self.task.id, request_id, decision)
        if decided is None:
            return
        self._cancel_timer(request_id)
        self._store([NewEvent(EventKind.DECISION, {
            "request_id": request_id, "decision": str(decision), "tool": decided.tool,
            "kind": str(decided.kind), "message": None, "always": False, "by": by,
        })])
        self.ctx.hub.publish_task(self.ctx.db.tasks.get(self.task.id))

    def _cancel_timer(self, request_id: str) -> None:
        with self._lock:
            timer = self._timers.pop(request_id, None)
        if timer is not None:
            timer.cancel()

    # -- turns --

    def _turn_ended(self) -> None:
        self._results += 1
        self.last_turn_stopped = self._interrupted
        if self._interrupted:
            self._interrupted = False
            self.wait_for_message()
            return
        if self._results >= 1 + self._messages_sent():
            self.close()

    def _messages_sent(self) -> int:
        return sum(1 for e in self.ctx.db.events.list(self.task.id)
                   if e.kind is EventKind.STATE and e.data.get("state") == SAID)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.close_input()
        except Exception:  # noqa: BLE001 - the script ends claude anyway when the exec goes
            log.exception("task %s: closing the agent's input", self.task.id)

    def _send(self, line: str) -> None:
        try:
            self.channel.send(line)
        except ServiceError as error:
            log.info("task %s: %s", self.task.id, error)

    def end(self) -> None:
        """The run is over: nothing it asked waits any more."""
        with self._lock:
            timers, self._timers = list(self._timers.values()), {}
        for timer in timers:
            timer.cancel()
        for request in self.ctx.db.requests.waiting(self.task.id):
            self._settle(request.request_id, Decision.WITHDRAWN, by="end")
