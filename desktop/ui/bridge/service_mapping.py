"""The services' answers turned into the views' data, and back; no Qt.

The views never see the services' own classes (``EngineStatus`` of the
engine, ``StoreStatus`` of the keyring...): each is mapped here, next to the
controller that makes the calls, so a change in the services is one file's
work. Their types are imported for type checking only: this module loads
before the services do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from desktop.domain import Task, TaskState, Workspace
from desktop.ui.bridge.viewdata import (
    BuildProgress,
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

if TYPE_CHECKING:
    from desktop.services import results, workspaces
    from desktop.services.containers import ContainerStatus
    from desktop.services.settings import Settings

ACTIVE = (TaskState.QUEUED, TaskState.RUNNING)
API_KEY = "anthropic-api-key"  # desktop.secrets.SecretName.ANTHROPIC_API_KEY
OAUTH_TOKEN = "claude-oauth-token"  # desktop.secrets.SecretName.CLAUDE_OAUTH_TOKEN
BUILD_FIX = "Build it with the Build image button (or 'aicode image build')."


def engine_status(value: results.EngineStatus) -> EngineStatus:
    return EngineStatus(ok=value.ok, message=value.message, fix=_sentence(value.fix))


def engine_failure(message: str) -> EngineStatus:
    return EngineStatus(False, "Cannot reach the Docker engine", message)


def image_status(value: results.ImageStatus) -> ImageStatus:
    if not value.present:
        return ImageStatus(False, f"The agent image {value.tag} is not built yet.", BUILD_FIX)
    if not value.schema_ok:
        return ImageStatus(False, f"{value.tag} was built by another version of AICode Manager.",
                           "Rebuild it with the Build image button.")
    version = f" with Claude Code {value.claude_code_version}" if value.claude_code_version else ""
    return ImageStatus(True, f"{value.tag}{version}")


def image_unknown(message: str) -> ImageStatus:
    """The image could not be looked at (no engine): not usable, for now."""
    return ImageStatus(False, "The agent image cannot be checked without the Docker engine.", message)


def secret_status(value: results.StoreStatus) -> SecretStatus:
    stored = {str(name): is_set for name, is_set in value.secrets.items()}
    key, token = stored.get(API_KEY, False), stored.get(OAUTH_TOKEN, False)
    return SecretStatus(stored=key or token, backend=value.backend, api_key=key, token=token)


def keyring_problem(message: str) -> SecretStatus:
    """No usable keyring: nothing can be stored, and the message says how to fix it."""
    return SecretStatus(stored=False, warning=message)


def build_progress(fraction: float | None, line: str) -> BuildProgress:
    """``App.build_image`` reports ``(fraction or None, line)``."""
    return BuildProgress(line=line or "", fraction=None if fraction is None else max(0.0, min(1.0, float(fraction))))


def clone_progress(value: results.CloneProgress) -> BuildProgress:
    fraction = None if value.fraction is None else max(0.0, min(1.0, float(value.fraction)))
    return BuildProgress(line=value.message or str(value.phase), fraction=fraction)


def settings_values(value: Settings) -> SettingsValues:
    theme = ThemeMode(value.theme) if value.theme in ThemeMode._value2member_map_ else ThemeMode.SYSTEM
    return SettingsValues(concurrency=value.concurrency, default_image=value.default_image,
                          default_cpus=value.default_cpus, default_memory=value.default_memory, theme=theme,
                          notifications=value.notifications, answer_timeout_minutes=value.answer_timeout_minutes,
                          terminal_font=str(value.terminal_font or ""),
                          terminal_font_size=max(0, min(72, int(value.terminal_font_size or 0))))


def service_settings(current: Settings, values: SettingsValues) -> Settings:
    """The stored settings with the dialog's values put in (they may have more fields)."""
    return dataclasses.replace(current, concurrency=values.concurrency, default_image=values.default_image,
                               default_cpus=values.default_cpus, default_memory=values.default_memory,
                               theme=values.theme.value, notifications=values.notifications,
                               answer_timeout_minutes=values.answer_timeout_minutes,
                               terminal_font=values.terminal_font, terminal_font_size=values.terminal_font_size)


def workspace_spec(spec: WorkspaceSpec) -> workspaces.WorkspaceSpec:
    from desktop.services.workspaces import WorkspaceSpec as Spec

    return Spec(name=spec.name, path=spec.folder, git_url=spec.git_url, image=spec.image or None,
                    cpus=spec.cpus, memory=spec.memory or None, network=spec.network or None, env=dict(spec.env),
                    permission_mode=spec.permission_mode or None, egress=spec.egress or None,
                    secret_env=dict(spec.secret_env), excluded=tuple(spec.excluded), engine=spec.engine or None)


def container_info(workspace_id: str, value: ContainerStatus) -> ContainerInfo:
    state = ContainerState(value.state.value) if value.state.value in ContainerState._value2member_map_ \
        else ContainerState.UNKNOWN
    pending = "The change to its settings applies when the running task ends." if value.settings_pending else ""
    return ContainerInfo(workspace_id=workspace_id, state=state, image=value.image,
                         cli_version=value.claude_code_version or "", detail=pending)


def stats_sample(value: results.StatsSample) -> tuple[float, int, int]:
    return value.cpu_percent, value.memory_bytes, value.memory_limit


def workspace_items(workspaces: Iterable[Workspace], active: Iterable[Task],
                    to_review: Iterable[Task] = ()) -> list[WorkspaceItem]:
    active, to_review = list(active), list(to_review)
    items = []
    for ws in workspaces:
        mine = [t for t in active if t.workspace_id == ws.id]
        items.append(WorkspaceItem(ws, running_tasks=sum(t.state is TaskState.RUNNING for t in mine),
                                   queued_tasks=sum(t.state is TaskState.QUEUED for t in mine),
                                   waiting_tasks=sum(t.needs_input for t in mine),
                                   review_tasks=sum(t.workspace_id == ws.id for t in to_review)))
    return items


def error_text(exc: BaseException) -> str:
    """An exception as one sentence for people (the log has the traceback).

    The services' errors say what went wrong, and what to do, in their str().
    """
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, KeyError) and text.startswith("'"):
        text = f"{type(exc).__name__}: {text}"
    return _sentence(text)


def expected(exc: BaseException) -> bool:
    """An error the services raise on purpose, whose message is the whole story (no traceback needed)."""
    from desktop.services.errors import ErrorKind, ServiceError

    return isinstance(exc, ServiceError) and exc.kind is not ErrorKind.UNEXPECTED


def engine_gone(exc: BaseException) -> bool:
    """Whether a failed call means the Docker engine went away (worth checking again)."""
    from desktop.services.errors import ErrorKind, ServiceError

    return isinstance(exc, ServiceError) and exc.kind is ErrorKind.ENGINE_UNAVAILABLE


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text[0].upper() + text[1:] if text else text
