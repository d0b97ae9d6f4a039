"""A person's terminal in a workspace's container: a shell, a command, or
the interactive ``claude``.

``Terminals.open`` starts the container if it is not running and returns a
``Terminal``: one thread reads it (``read`` blocks), any thread writes,
resizes and closes it. The interactive claude gets its credentials as tasks
do: a placeholder and this process's proxy (services.egress), never the key.
"""

from __future__ import annotations

import enum
import shlex
import threading
from dataclasses import dataclass
from typing import Iterator

from desktop.containers.terminal import TerminalExec
from desktop.services.context import AppContext
from desktop.services.egress import agent_environment
from desktop.services.egress import serve as serve_proxy
from desktop.services.errors import UserError, boundary
from desktop.services.placement import check_proxy_visible
from desktop.services.task_env import exec_environment
from desktop.services.workspaces import Workspaces

# Bash without the start-up files of the agent's home (the agent writes
# them): the image's own /etc/bash.bashrc gives the prompt.
SHELL_ARGV = ["bash", "--noprofile", "--rcfile", "/etc/bash.bashrc", "-i"]
# The interactive claude keeps its settings apart from the tasks' ~/.claude
# (a task's clean-up would otherwise remove them under it, and their
# sessions stay the tasks'), in a folder of each terminal's own (two claude
# tabs at once), removed when the terminal ends. Onboarding is marked done and the placeholder
# key accepted; the folder's trust question is left to the person, since
# the working copy (and any .claude/settings.json in it) is the agent's.
CLAUDE_DIR = "/home/agent/.claude-terminal"
CLAUDE_SCRIPT = r"""
export CLAUDE_CONFIG_DIR="$1/$AICODE_TERMINAL"
mkdir -p -m 700 "$1" && rm -rf "$CLAUDE_CONFIG_DIR" && mkdir -m 700 "$CLAUDE_CONFIG_DIR" || exit 70
printf '{"hasCompletedOnboarding":true,"theme":"%s","customApiKeyResponses":{"approved":["%s"],"rejected":[]}}' \
  "$2" "$3" > "$CLAUDE_CONFIG_DIR/.claude.json" || exit 70
shift 3
exec claude "$@"
"""
MAX_ROWS, MAX_COLS = 1000, 1000


class TerminalKind(enum.StrEnum):
    SHELL = "shell"
    CLAUDE = "claude"
    COMMAND = "command"


@dataclass(frozen=True)
class TerminalSpec:
    """What to run: a shell, the interactive claude, or ``argv``."""

    kind: TerminalKind = TerminalKind.SHELL
    argv: tuple[str, ...] = ()
    tty: bool = True
    rows: int = 24
    cols: int = 80
    dark: bool = False  # the interactive claude's theme

    def title(self) -> str:
        if self.kind is TerminalKind.COMMAND:
            return shlex.join(self.argv)[:40]
        return "claude" if self.kind is TerminalKind.CLAUDE else "shell"


@boundary
class Terminal:
    """One open terminal. ``read``/``frames`` end when its process has ended."""

    def __init__(self, workspace_id: str, workspace_name: str, title: str, process: TerminalExec,
                 leftovers: tuple[str, ...] = ()) -> None:
        self.workspace_id = workspace_id
        self._leftovers = leftovers  # folders of its own to remove once it has ended
        self.workspace_name = workspace_name
        self.title = title
        self._process = process
        self._ended = threading.Event()

    @property
    def tty(self) -> bool:
        return self._process.tty

    def read(self) -> bytes:
        return self._process.read()

    def frames(self) -> Iterator[tuple[bool, bytes]]:
        yield from self._process.frames()

    def write(self, data: bytes) -> None:
        self._process.write(data)

    def close_input(self) -> None:
        self._process.close_input()

    def resize(self, rows: int, cols: int) -> None:
        self._process.resize(*_checked_size(rows, cols))

    def exit_code(self) -> int | None:
        return self._process.exit_code()

    def close(self) -> None:
        """End the terminal's processes in the container (idempotent)."""
        if self._ended.is_set():
            return
        self._ended.set()
        self._process.end(remove=self._leftovers)


@boundary
class Terminals:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._workspaces = Workspaces(ctx)

    def open(self, workspace: str, spec: TerminalSpec = TerminalSpec()) -> Terminal:
        ws = self._workspaces.get(workspace)
        rows, cols = _checked_size(spec.rows, spec.cols)
        if spec.kind is TerminalKind.COMMAND and not spec.argv:
            raise UserError("Name a command to run")
        env, served = self._environment(ws, needs_key=spec.kind is TerminalKind.CLAUDE)
        env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"})
        info = self.ctx.containers_of(ws).ensure(ws)
        if served:  # the proxy serves it: carried there on an added engine
            self._reach_proxy(ws, info.id, needs_key=spec.kind is TerminalKind.CLAUDE)
        process = TerminalExec(self.ctx.engine_of(ws), info.id, self._argv(ws.id, spec, env), env,
                               tty=spec.tty, rows=rows, cols=cols)
        self.ctx.record("terminal.opened", ws.id, spec.title())
        leftovers = (f"{CLAUDE_DIR}/{process.token}",) if spec.kind is TerminalKind.CLAUDE else ()
        return Terminal(ws.id, ws.name, spec.title(), process, leftovers)

    def _environment(self, ws, needs_key: bool) -> tuple[dict[str, str], bool]:  # noqa: ANN001 - Workspace
        from desktop.secrets.errors import KeyringUnavailable

        try:
            agent = agent_environment(self.ctx, ws)
        except (UserError, KeyringUnavailable):
            if needs_key:
                raise
            agent = {}  # a shell works without a stored key (or a keyring)
        if agent:
            serve_proxy(self.ctx, ws)
        return exec_environment(ws, agent), bool(agent)

    def _reach_proxy(self, ws, container_id: str, needs_key: bool) -> None:  # noqa: ANN001 - Workspace
        from desktop.containers.errors import ContainerFailed

        try:
            check_proxy_visible(self.ctx, ws, container_id)
        except ContainerFailed:
            if needs_key:
                raise  # a shell works without the model

    def _argv(self, workspace_id: str, spec: TerminalSpec, env: dict[str, str]) -> list[str]:
        if spec.kind is TerminalKind.COMMAND:
            return list(spec.argv)
        if spec.kind is TerminalKind.SHELL:
            return list(SHELL_ARGV)
        key = env.get("ANTHROPIC_API_KEY", "")
        theme = "dark" if spec.dark else "light"
        # claude remembers an accepted key by its last 20 characters.
        return ["sh", "-c", CLAUDE_SCRIPT, "aicode-claude", CLAUDE_DIR, theme, key[-20:], *spec.argv]


def _checked_size(rows: int, cols: int) -> tuple[int, int]:
    if not (0 < rows <= MAX_ROWS and 0 < cols <= MAX_COLS):
        raise UserError(f"A terminal's size is 1 to {MAX_ROWS} rows and columns, not {rows}×{cols}")
    return rows, cols
