"""The Core's answers turned into the views' data, and back; no Qt, no Core import.

Every assumption about the shape of a Core value lives here, next to the
controller that makes the calls, so adapting to the Core is one file's work.
Attributes are read by name, so the Core's own dataclasses (or any object with
those attributes) fit without the GUI importing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, is_dataclass, replace
from typing import Any

from desktop.domain import Task, TaskState, Workspace
from desktop.ui.viewdata import (
    BuildProgress,
    ChangedFile,
    ContainerInfo,
    ContainerState,
    EngineStatus,
    ImageStatus,
    SecretStatus,
    SettingsValues,
    ThemeMode,
    WorkspaceItem,
    WorkspaceSpec,
)

ACTIVE = (TaskState.QUEUED, TaskState.RUNNING)


def engine_status(value: Any) -> EngineStatus:
    return EngineStatus(ok=bool(getattr(value, "ok", False)), message=str(getattr(value, "message", "") or ""),
                        fix=str(getattr(value, "fix", "") or ""))


def image_status(value: Any) -> ImageStatus:
    ok = getattr(value, "ok", None)
    if ok is None:
        ok = getattr(value, "present", False)
    return ImageStatus(ok=bool(ok), message=str(getattr(value, "message", "") or ""),
                       fix=str(getattr(value, "fix", "") or ""))


def secret_status(value: Any) -> SecretStatus:
    stored = getattr(value, "stored", None)
    if stored is None:
        stored = getattr(value, "present", False)
    backend = getattr(value, "backend", None) or getattr(value, "backend_name", None) or getattr(value, "where", "")
    return SecretStatus(stored=bool(stored), backend=str(backend or ""),
                        secure=bool(getattr(value, "secure", True)), warning=str(getattr(value, "warning", "") or ""))


def changed_files(rows: Iterable[Any]) -> tuple[ChangedFile, ...]:
    out = []
    for row in rows:
        if isinstance(row, tuple | list):
            path, ins, dels, status = row
        else:
            path, ins, dels, status = row.path, row.insertions, row.deletions, row.status
        out.append(ChangedFile(str(path), int(ins or 0), int(dels or 0), str(status or "M")))
    return tuple(out)


def progress(*args: Any) -> BuildProgress:
    """A progress callback's arguments: ``(fraction or None, message)`` as the Core's
    ``build_image`` calls it, or one fraction, line, or object with either."""
    if len(args) == 2:
        fraction, message = args
        return BuildProgress(line=str(message or ""), fraction=None if fraction is None else max(0.0, min(1.0, float(fraction))))
    value = args[0] if args else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return BuildProgress(fraction=max(0.0, min(1.0, float(value))))
    if isinstance(value, str):
        return BuildProgress(line=value)
    fraction = getattr(value, "fraction", None)
    line = getattr(value, "line", None) or getattr(value, "message", None) or ""
    return BuildProgress(line=str(line), fraction=None if fraction is None else float(fraction))


def settings_values(value: Any) -> SettingsValues:
    d = SettingsValues()
    theme = getattr(value, "theme", d.theme)
    return SettingsValues(
        concurrency=int(getattr(value, "concurrency", d.concurrency)),
        default_image=str(getattr(value, "default_image", d.default_image)),
        default_cpus=float(getattr(value, "default_cpus", d.default_cpus)),
        default_memory=str(getattr(value, "default_memory", d.default_memory)),
        theme=ThemeMode(theme) if theme in ThemeMode._value2member_map_ else d.theme,
        notifications=bool(getattr(value, "notifications", d.notifications)),
    )


def settings_kwargs(values: SettingsValues) -> dict[str, Any]:
    out = asdict(values)
    out["theme"] = values.theme.value
    return out


def core_settings(current: Any, values: SettingsValues) -> Any:
    """The Core's own settings object with the dialog's values put in (same field names)."""
    if is_dataclass(current) and not isinstance(current, type):
        return replace(current, **settings_kwargs(values))
    return settings_kwargs(values)


def workspace_spec(spec: WorkspaceSpec) -> WorkspaceSpec:
    """What ``add_workspace`` is given; today the GUI's own spec (map here if the Core has its own)."""
    return spec


def container_info(workspace_id: str, value: Any) -> ContainerInfo:
    state = str(getattr(value, "state", "unknown") or "unknown").lower().replace("_", " ")
    state = {"created": "stopped", "exited": "stopped", "missing": "not created", "absent": "not created"}.get(state, state)
    return ContainerInfo(
        workspace_id=workspace_id,
        state=ContainerState(state) if state in ContainerState._value2member_map_ else ContainerState.UNKNOWN,
        image=str(getattr(value, "image", "") or ""),
        cli_version=str(getattr(value, "cli_version", "") or ""),
        detail=str(getattr(value, "detail", "") or getattr(value, "message", "") or ""),
    )


def stats_sample(value: Any) -> tuple[float, int, int]:
    if isinstance(value, tuple | list):
        cpu, mem, limit = value
    else:
        cpu, mem, limit = value.cpu_percent, value.mem_bytes, value.mem_limit
    return float(cpu), int(mem), int(limit)


def workspace_items(workspaces: Iterable[Workspace], active: Iterable[Task]) -> list[WorkspaceItem]:
    active = list(active)
    items = []
    for ws in workspaces:
        mine = [t for t in active if t.workspace_id == ws.id]
        items.append(WorkspaceItem(ws, running_tasks=sum(t.state is TaskState.RUNNING for t in mine),
                                   queued_tasks=sum(t.state is TaskState.QUEUED for t in mine)))
    return items


def error_text(exc: BaseException) -> str:
    """An exception as one sentence for people (the log has the traceback)."""
    text = str(exc).strip() or type(exc).__name__
    return text[0].upper() + text[1:] if text else text
