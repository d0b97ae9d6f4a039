"""The agent's way out, through ``app.egress`` and ``app.workspaces``: a
workspace's egress mode, its allowlist, the requests its agent was refused
(the whole log, and those of one task), and the app's default list.

Each call runs on a worker (``Calls``). Loads are numbered per workspace:
only the answer of the latest load is shown, so a slow early one never brings
back a list that a later change replaced. A host the services refuse (not a
host, a bad port) is said where it was typed, not as a failure of the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.domain import Task, Workspace
from desktop.services.errors import UserError
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.egress_payloads import (
    EgressChangeRefused,
    EgressLoaded,
    EgressModeChosen,
    HostAllowed,
    HostRemoved,
    Refusal,
    TaskBlocked,
)
from desktop.ui.bridge.payloads import OperationFailed

if TYPE_CHECKING:
    from desktop.services.app import App
    from desktop.services.results import EgressAttempt

LOG_ROWS = 200  # the log's newest entries shown; the services keep more
LATEST_TASKS = 5  # where the latest started task is looked for
BADGED_TASKS = 30  # listed tasks whose refusals are looked up at once (newest first)


def refusals(attempts: Iterable[EgressAttempt]) -> tuple[Refusal, ...]:
    return tuple(Refusal(a.at, a.host, a.port, a.reason) for a in attempts)


class EgressController(QObject):
    """Signals:
        egress_loaded(EgressLoaded): a workspace's mode, allowlist and log as they are now.
        change_refused(EgressChangeRefused): a host or mode the services did not take, and why.
        host_saved(HostAllowed): a host was put on (or, with origin "remove", taken off) the list.
        task_blocked(TaskBlocked): what a task's agent was refused.
        operation_failed(OperationFailed): a change failed for another reason than what was asked.
    """

    egress_loaded = Signal(object)
    change_refused = Signal(object)
    host_saved = Signal(object)
    task_blocked = Signal(object)
    operation_failed = Signal(object)

    def __init__(self, app: App, calls: Calls, workspace_saved: Callable[[Workspace], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._calls = calls
        self._workspace_saved = workspace_saved  # the controller's: the sidebar and panel follow
        self._loads: dict[str, int] = {}  # workspace id -> number of the latest load

    # -- a workspace's way out ------------------------------------------------

    def load(self, workspace_id: str) -> None:
        number = self._loads[workspace_id] = self._loads.get(workspace_id, 0) + 1
        app = self._app

        def read() -> EgressLoaded:
            ws = app.workspaces.get(workspace_id)
            follows = ws.egress_allow is None
            hosts = app.egress.default_list() if follows else list(ws.egress_allow or ())
            started = [t for t in app.tasks.list(workspace=ws.id, limit=LATEST_TASKS) if t.started_at]
            latest = len(app.egress.blocked_during(started[0])) if started else 0
            return EgressLoaded(ws.id, ws.egress, tuple(hosts), follows,
                                refusals(app.egress.log(ws.id, LOG_ROWS)), latest)

        def done(loaded: EgressLoaded) -> None:
            if self._loads.get(workspace_id) == number:
                self.egress_loaded.emit(loaded)

        self._calls.run("Load the egress log", read, then=done, quiet=True)

    def allow(self, asked: HostAllowed) -> None:
        ws = asked.workspace_id
        self._change("Allow a host", ws, asked.origin, self._app.egress.allow, ws, asked.host,
                     then=lambda _hosts: self.host_saved.emit(asked))

    def remove(self, asked: HostRemoved) -> None:
        ws = asked.workspace_id
        self._change("Remove a host", ws, "remove", self._app.egress.remove, ws, asked.host,
                     then=lambda _hosts: self.host_saved.emit(HostAllowed(ws, asked.host, "remove")))

    def set_mode(self, chosen: EgressModeChosen) -> None:
        from desktop.services.workspaces import WorkspaceChanges

        def saved(result: tuple[Workspace, dict]) -> None:
            self._workspace_saved(result[0])

        self._change("Change egress", chosen.workspace_id, "mode", self._app.workspaces.change, chosen.workspace_id,
                     WorkspaceChanges(egress=chosen.mode), then=saved)

    def _change(self, action: str, workspace_id: str, origin: str, fn: Callable, *args: object,
                then: Callable[[object], None]) -> None:
        def done(result: object) -> None:
            then(result)
            self.load(workspace_id)

        def refused(error: Exception) -> None:
            message = cm.error_text(error)
            self.change_refused.emit(EgressChangeRefused(workspace_id, origin, message))
            if not isinstance(error, UserError):  # not the person's typing: the app's failure, told as such
                self.operation_failed.emit(OperationFailed(action, message))
            self.load(workspace_id)

        self._calls.run(action, fn, *args, then=done, failed_error=refused, quiet=True)

    # -- what a task's agent was refused --------------------------------------

    def blocked(self, tasks: Iterable[Task]) -> None:
        """Look up the refusals of each started task (one worker call for all);
        one ``task_blocked`` per task, an empty one too (a badge to take down)."""
        started = [t for t in tasks if t.started_at is not None][:BADGED_TASKS]
        if not started:
            return

        def read() -> list[TaskBlocked]:
            return [TaskBlocked(t.id, refusals(self._app.egress.blocked_during(t))) for t in started]

        def done(found: list[TaskBlocked]) -> None:
            for blocked in found:
                self.task_blocked.emit(blocked)

        self._calls.run("Load a task's refused requests", read, then=done, quiet=True)

    # -- the app's default list -------------------------------------------------

    def load_default(self, then: Callable[[list[str]], None]) -> None:
        self._calls.run("Load the default allowlist", self._app.egress.default_list, then=then, quiet=True)

    def save_default(self, hosts: list[str], then: Callable[[list[str]], None],
                     failed: Callable[[str], None]) -> None:
        self._calls.run("Save the default allowlist", self._app.egress.set_default_list, hosts, then=then,
                        failed=failed, quiet=True)
