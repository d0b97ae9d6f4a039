"""Turning domain objects into JSON documents and readable lines."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from desktop.domain import Task, Workspace
from desktop.domain.approvals import PendingRequest


def task_document(task: Task, workspace_name: str, pending: list[PendingRequest] | None = None) -> dict[str, Any]:
    """``pending``: the requests waiting for the user, listed while the task needs input."""
    document = {
        "id": task.id,
        "workspace": workspace_name,
        "workspace_id": task.workspace_id,
        "state": task.shown_state,
        "prompt": task.prompt,
        "model": task.model,
        "parent_id": task.parent_id,
        "session_id": task.session_id,
        "cost_usd": task.cost_usd,
        "input_tokens": task.input_tokens,
        "output_tokens": task.output_tokens,
        "num_turns": task.num_turns,
        "duration_ms": task.duration_ms,
        "result": task.result,
        "error": task.error,
        "exit_code": task.exit_code,
        "changes": str(task.patch_state),
        "cli_version": task.cli_version,
        "created_at": _time(task.created_at),
        "started_at": _time(task.started_at),
        "finished_at": _time(task.finished_at),
        "permission_mode": None if task.permission_mode is None else str(task.permission_mode),
    }
    if pending is not None:
        document["pending"] = [request_document(r) for r in pending]
    return document


def request_document(request: PendingRequest) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "kind": str(request.kind),
        "tool": request.tool,
        "input": request.input,
        "summary": request.summary,
        "description": request.description,
        "created_at": _time(request.created_at),
    }


def workspace_document(workspace: Workspace) -> dict[str, Any]:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "source": str(workspace.source_kind),
        "path": workspace.source_path,
        "git_url": workspace.git_url,
        "image": workspace.image,
        "cpus": workspace.cpus,
        "memory": workspace.memory,
        "network": str(workspace.network),
        "env": sorted(workspace.env),  # names only: values may be sensitive
        "secret_env": sorted(workspace.secret_env),  # their values are in the keyring
        "permission_mode": str(workspace.permission_mode),
        "allowed_tools": list(workspace.allowed_tools),
        "egress": str(workspace.egress),
        "excluded": list(workspace.excluded),
        "engine": workspace.engine,
        "created_at": _time(workspace.created_at),
    }


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def duration(ms: int | None) -> str:
    if ms is None:
        return "–"
    seconds = ms / 1000
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s"


def cost(usd: float | None) -> str:
    return "–" if usd is None else f"${usd:.4f}"
