"""The agent's way out, for both front ends: the credential proxy each task
runs behind, the allowlist of a workspace and the log of what was refused.

The agent's environment holds a placeholder key and the proxy's address;
the proxy (desktop.egress.proxy, one per app process, serving the
workspaces whose tasks this process runs) checks the placeholder and puts
the real credential in, which so never enters a container.
"""

from __future__ import annotations

import os
import secrets as random
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from desktop import paths
from desktop.domain import EgressMode, Task, Workspace
from desktop.egress.proxy import PROXY_PORT, Route
from desktop.egress.rules import BadEntry, parse_entry, parse_list
from desktop.services.context import AppContext
from desktop.services.errors import UserError, boundary
from desktop.services.settings import load_settings, save_settings
from desktop.services.task_env import BASE_URL_VARIABLE
from desktop.services.workspaces import Workspaces
from desktop.store.egress_repository import EgressAttempt

MODEL_URL = "https://api.anthropic.com"
PROXY_URL = f"http://127.0.0.1:{PROXY_PORT}"
_PLACEHOLDERS = "proxy_placeholders"


def proxy_folder() -> Path:
    """Where the proxy's sockets live: in the user's private runtime folder
    (sockets' paths are short)."""
    proxies = paths.runtime_dir() / "proxy"
    proxies.mkdir(exist_ok=True)
    return proxies


def placeholder(ctx: AppContext, workspace_id: str, token: bool = False) -> str:
    """The stand-in for the credential in a workspace's agent: valid only
    through that workspace's own proxy socket, useless anywhere else."""
    known = ctx.db.settings.get(_PLACEHOLDERS, {}) or {}
    if workspace_id not in known:  # once per workspace: a write only then
        with ctx.db.write():
            known = dict(ctx.db.settings.get(_PLACEHOLDERS, {}) or {})
            if workspace_id not in known:
                known[workspace_id] = random.token_hex(20)
                ctx.db.settings.set(_PLACEHOLDERS, known)
    kind = "oat01" if token else "api03"
    return f"sk-ant-{kind}-aicode-proxy-{known[workspace_id]}"


def entries_of(ctx: AppContext, workspace: Workspace) -> list[str]:
    if EgressMode(workspace.egress) is EgressMode.NONE:
        return []
    if workspace.egress_allow is not None:
        return list(workspace.egress_allow)
    return list(load_settings(ctx.db).egress_default)


def serve(ctx: AppContext, workspace: Workspace) -> None:
    """Make sure this process's proxy answers the workspace's agent."""
    credentials = ctx.credentials()
    token = "CLAUDE_CODE_OAUTH_TOKEN" in credentials and "ANTHROPIC_API_KEY" not in credentials
    workspace_id = workspace.id

    def current() -> Workspace:
        return ctx.db.workspaces.get(workspace_id)

    def credential() -> tuple[str, str]:
        values = ctx.credentials()
        if "ANTHROPIC_API_KEY" in values:
            return "x-api-key", values["ANTHROPIC_API_KEY"]
        return "Authorization", f"Bearer {values['CLAUDE_CODE_OAUTH_TOKEN']}"

    def blocked(host: str, port: int, reason: str) -> None:
        ctx.db.egress.add(EgressAttempt(workspace_id, datetime.now(), host, port, "blocked", reason))

    ctx.proxy.serve(Route(
        workspace_id=workspace_id,
        placeholder=placeholder(ctx, workspace_id, token),
        upstream=os.environ.get(BASE_URL_VARIABLE) or MODEL_URL,
        entries=lambda: parse_list(entries_of(ctx, current())),
        open=lambda: EgressMode(current().egress) is EgressMode.OPEN,
        credential=credential,
        blocked=blocked,
    ))


def agent_environment(ctx: AppContext, workspace: Workspace) -> dict[str, str]:
    """The credential and network variables of the agent's exec: a
    placeholder, the proxy as the model's address and, unless egress is
    open, as the HTTP(S) proxy of every tool."""
    credentials = ctx.credentials()
    if "ANTHROPIC_API_KEY" in credentials:
        env = {"ANTHROPIC_API_KEY": placeholder(ctx, workspace.id)}
    else:
        env = {"CLAUDE_CODE_OAUTH_TOKEN": placeholder(ctx, workspace.id, token=True)}
    env["ANTHROPIC_BASE_URL"] = PROXY_URL
    if EgressMode(workspace.egress) is not EgressMode.OPEN:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[name] = PROXY_URL
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


@boundary
class Egress:
    """A workspace's allowlist and the log of its refused attempts."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.workspaces = Workspaces(ctx)

    def list(self, ref: str) -> list[str]:
        return entries_of(self.ctx, self.workspaces.get(ref))

    def allow(self, ref: str, host: str) -> list[str]:
        workspace = self.workspaces.get(ref)
        entry = str(_entry(host))
        current = entries_of(self.ctx, replace(workspace, egress=EgressMode.ALLOWLIST))
        if entry not in current:
            current.append(entry)
        self._save(workspace, current)
        self.ctx.record("egress.allowed", workspace.id, entry)
        return current

    def remove(self, ref: str, host: str) -> list[str]:
        workspace = self.workspaces.get(ref)
        entry = str(_entry(host))
        current = entries_of(self.ctx, replace(workspace, egress=EgressMode.ALLOWLIST))
        if entry not in current:
            raise UserError(f"{entry} is not on the allowlist of '{workspace.name}'")
        current.remove(entry)
        self._save(workspace, current)
        self.ctx.record("egress.removed", workspace.id, entry)
        return current

    def _save(self, workspace: Workspace, entries: list[str]) -> None:
        self.ctx.db.workspaces.update(replace(workspace, egress_allow=tuple(entries)))

    def log(self, ref: str, limit: int = 200) -> list[EgressAttempt]:
        return self.ctx.db.egress.list(self.workspaces.get(ref).id, limit)

    def blocked_during(self, task: Task) -> list[EgressAttempt]:
        if task.started_at is None:
            return []
        return self.ctx.db.egress.list(task.workspace_id, since=task.started_at, until=task.finished_at)

    def default_list(self) -> list[str]:
        return list(load_settings(self.ctx.db).egress_default)

    def set_default_list(self, hosts: list[str]) -> list[str]:
        entries = [str(_entry(h)) for h in hosts]
        save_settings(self.ctx.db, replace(load_settings(self.ctx.db), egress_default=tuple(dict.fromkeys(entries))))
        return entries


def _entry(text: str):  # noqa: ANN202 - desktop.egress.rules.Entry
    try:
        return parse_entry(text)
    except BadEntry as error:
        raise UserError(str(error)) from None
