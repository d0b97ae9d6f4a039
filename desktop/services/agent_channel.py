"""Lines into a running task's claude, from whichever app process answers.

claude reads a FIFO in its container (see ``desktop.agent.task_script``);
each line goes in with one short exec run as the container's keeper user, so
the agent's own clean-up (it kills every process of its user) cannot cut a
line in half. Any process can answer: the one running the task, another
GUI, the CLI, or one started after the first quit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.agent import task_script
from desktop.containers.exec import run
from desktop.containers.workspace_container import AGENT_USER, KEEPER_USER
from desktop.domain import Task
from desktop.services.context import AppContext
from desktop.services.errors import UserError

if TYPE_CHECKING:
    from desktop.containers.engine import Engine

# claude's stdin cannot take more in one argv element (Linux's MAX_ARG_STRLEN).
MAX_LINE_BYTES = 128 * 1024 - 1


class AgentChannel:
    def __init__(self, ctx: AppContext, task: Task, container_id: str | None = None) -> None:
        self.ctx = ctx
        self.task = task
        self._container_id = container_id
        self._engine_found: Engine | None = None

    def _engine(self) -> Engine:
        # Looked up once: each lookup reads the workspace's row, and a workspace
        # is never moved while one of its tasks runs.
        if self._engine_found is None:
            self._engine_found = self.ctx.engine_of(self.task.workspace_id)
        return self._engine_found

    def _container(self) -> str:
        if self._container_id is None:
            info = self.ctx.containers_of(self.task.workspace_id).info(self.task.workspace_id)
            if info is None:
                raise UserError(f"Task {self.task.id}'s container is gone: the agent cannot be reached")
            self._container_id = info.id
        return self._container_id

    def send(self, line: str) -> None:
        """Write one line to claude's stdin; UserError if it no longer reads."""
        if "\n" in line or "\x00" in line:
            raise ValueError("a control line is one line of JSON")
        if len(line.encode()) > MAX_LINE_BYTES:
            raise UserError("The message is too long to send to the agent (over 128 kB)")
        result = run(self._engine(), self._container(), task_script.write_argv(self.task.id, line),
                     user=KEEPER_USER, workdir="/")
        if not result.ok:
            raise UserError(f"Task {self.task.id}'s agent is no longer listening (it has ended)")

    def close(self) -> None:
        """End claude's input: it finishes and exits, and the task's script collects its work."""
        run(self._engine(), self._container(), task_script.close_argv(self.task.id), user=AGENT_USER, workdir="/")

    def alive(self) -> bool:
        """Whether the task's script still runs in the container."""
        info = self.ctx.containers_of(self.task.workspace_id).info(self.task.workspace_id)
        if info is None:
            return False
        self._container_id = info.id
        return run(self._engine(), info.id, task_script.alive_argv(self.task.id),
                   user=KEEPER_USER, workdir="/").ok
