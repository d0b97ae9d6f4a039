"""Answering what an agent asked: one path for the user, a rule and the time-out.

The answer is recorded first (the first answer wins, whoever gives it: two
windows, the CLI, the time-out) and then written to claude's stdin.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from desktop.agent import control
from desktop.domain import EventKind, Task
from desktop.domain.approvals import Decision, PendingRequest, RequestKind
from desktop.services.agent_channel import AgentChannel
from desktop.services.context import AppContext
from desktop.services.errors import Conflict, UserError

log = logging.getLogger(__name__)

MAX_ANSWER_MESSAGE = 4000


def answer(
    ctx: AppContext,
    task: Task,
    request: PendingRequest,
    decision: Decision,
    message: str | None = None,
    *,
    always: bool = False,
    answers: dict[str, str] | None = None,
    by: str = "user",
    channel: AgentChannel | None = None,
) -> PendingRequest:
    message = _check_message(message)
    if always and request.kind is not RequestKind.PERMISSION:
        raise UserError("Only a tool's permission can be allowed always")
    decided = ctx.db.requests.decide(task.id, request.request_id, decision, message)
    if decided is None:
        current = ctx.db.requests.get(task.id, request.request_id)
        raise Conflict(f"That request of task {task.id} was already answered"
                       f" ({current.decision if current else 'gone'})")
    if always and decision is Decision.ALLOW:
        allow_always(ctx, task.workspace_id, request.tool)
    _publish(ctx, task, decided, always, by)
    if request.kind is not RequestKind.MESSAGE:
        line = _line(request, decision, message, answers)
        try:
            (channel or AgentChannel(ctx, task)).send(line)
        except UserError:
            log.info("task %s: the answer to %s found no agent listening", task.id, request.request_id)
            raise
    return decided


def allow_always(ctx: AppContext, workspace_id: str, tool: str) -> None:
    with ctx.db.write():
        workspace = ctx.db.workspaces.get(workspace_id)
        if tool not in workspace.allowed_tools:
            ctx.db.workspaces.update(replace(workspace, allowed_tools=(*workspace.allowed_tools, tool)))
    ctx.record("workspace.allowed_tool", workspace_id, tool)


def _line(request: PendingRequest, decision: Decision, message: str | None,
          answers: dict[str, str] | None) -> str:
    if decision is Decision.ALLOW:
        if request.kind is RequestKind.QUESTION:
            return control.allow(request.request_id, {**request.input, "answers": dict(answers or {})})
        return control.allow(request.request_id)
    default = {
        Decision.TIMEOUT: "Nobody answered in time, so this was not allowed.",
        Decision.WITHDRAWN: "This request was withdrawn.",
    }.get(decision, "The user denied this.")
    if request.kind is RequestKind.PLAN and decision is Decision.DENY:
        default = "The user wants you to keep planning."
    return control.deny(request.request_id, message or default)


def _publish(ctx: AppContext, task: Task, decided: PendingRequest, always: bool, by: str) -> None:
    data: dict[str, Any] = {
        "request_id": decided.request_id, "decision": str(decided.decision), "tool": decided.tool,
        "kind": str(decided.kind), "message": decided.message, "always": always, "by": by,
    }
    with ctx.db.write():
        event = ctx.db.events.append(task.id, EventKind.DECISION, ctx.masker().mask_obj(data))
        current = ctx.db.tasks.get(task.id)
    ctx.hub.publish_events(task.id, [event])
    ctx.hub.publish_task(current)


def _check_message(message: str | None) -> str | None:
    if not message:
        return None
    if "\x00" in message:
        raise UserError("The message contains a NUL character")
    if len(message) > MAX_ANSWER_MESSAGE:
        raise UserError(f"The message to the agent is longer than {MAX_ANSWER_MESSAGE} characters")
    return message
