"""The GUI's calls about the machine rather than the work: the Docker engine,
the agent image, the Claude credential, the settings, and a workspace's container."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.container_payloads import (
    ContainerAction,
    ContainerActionEnded,
    ContainerActionStarted,
    DiskUsageLoaded,
)
from desktop.ui.bridge.payloads import (
    ContainerChanged,
    EngineStatusChanged,
    ImageBuildFinished,
    ImageBuildProgressed,
    ImageStatusChanged,
    SecretStatusChanged,
    SecretSubmitted,
    SettingsLoaded,
    StatsSampled,
    WorkspaceRef,
)
from desktop.ui.bridge.stream_reader import ItemsArrived, StreamReader
from desktop.ui.bridge.viewdata import EngineStatus, SecretStatus, SettingsValues

if TYPE_CHECKING:
    from desktop.services.app import App
    from desktop.services.containers import ContainerStatus, DiskUsage
    from desktop.services.results import StatsSample

ENGINE_RETRY_MS = 15_000  # while the engine is down, look again this often
BUILD_IMAGE = "Build image"
CHECKING = EngineStatus(False, "Checking the Docker engine…", checking=True)


class SystemController(QObject):
    """Signals:
        engine_status_changed(EngineStatusChanged), image_status_changed(ImageStatusChanged),
        image_build_progressed(ImageBuildProgressed), image_build_finished(ImageBuildFinished),
        secret_status_changed(SecretStatusChanged), settings_loaded(SettingsLoaded),
        container_changed(ContainerChanged), stats_sampled(StatsSampled),
        container_action_started(ContainerActionStarted), container_action_ended(ContainerActionEnded),
        disk_usage_loaded(DiskUsageLoaded).
    """

    engine_status_changed = Signal(object)
    image_status_changed = Signal(object)
    image_build_progressed = Signal(object)
    image_build_finished = Signal(object)
    secret_status_changed = Signal(object)
    settings_loaded = Signal(object)
    container_changed = Signal(object)
    stats_sampled = Signal(object)
    container_action_started = Signal(object)
    container_action_ended = Signal(object)
    disk_usage_loaded = Signal(object)

    def __init__(self, app: App, calls: Calls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._calls = calls
        self.engine = CHECKING
        self._checking = False
        self._reconciled = False
        self._stats: StreamReader | None = None
        self.container_busy: dict[str, ContainerAction] = {}  # by workspace: the action under way
        self._engine_retry = QTimer(self, singleShot=True, interval=ENGINE_RETRY_MS, timeout=self.check_engine)
        calls.engine_lost.connect(self.engine_maybe_lost)

    def stop(self) -> list[StreamReader]:
        """Stop the timers and the stats reader; returns the reader stopped, to wait for."""
        self._engine_retry.stop()
        stats = self._stats
        self.unwatch_stats()
        return [stats] if stats is not None else []

    # -- engine and image ---------------------------------------------------

    def check_engine(self) -> None:
        if self._checking:
            return
        self._checking = True
        self._engine_retry.stop()
        self.engine_status_changed.emit(EngineStatusChanged(CHECKING))
        self._calls.run("Check engine", self._app.engine_status, quiet=True,
                        then=lambda status: self._engine_known(cm.engine_status(status)),
                        failed=lambda message: self._engine_known(cm.engine_failure(message)))

    def engine_maybe_lost(self) -> None:
        """Something failed the way a vanished engine makes things fail: if the
        engine was thought to be up, look again (when down, the retry timer looks)."""
        if self.engine.ok:
            self.check_engine()

    def _engine_known(self, status: EngineStatus) -> None:
        self._checking = False
        self.engine = status
        self.engine_status_changed.emit(EngineStatusChanged(status))
        if not status.ok:
            self._engine_retry.start()
        elif not self._reconciled:
            # The engine is here: remove containers of workspaces that no longer exist.
            self._reconciled = True
            self._calls.run("Tidy up containers", self._app.reconcile, quiet=True)

    def check_image(self) -> None:
        self._calls.run("Check image", self._app.image_status, quiet=True,
                        then=lambda v: self.image_status_changed.emit(ImageStatusChanged(cm.image_status(v))),
                        failed=lambda message: self.image_status_changed.emit(
                            ImageStatusChanged(cm.image_unknown(message))))

    def build_image(self) -> None:
        def progress(fraction: float | None, line: str) -> None:  # on the worker: the signal is queued to the GUI
            self.image_build_progressed.emit(ImageBuildProgressed(cm.build_progress(fraction, line)))

        def done(_image: object) -> None:
            self.image_build_finished.emit(ImageBuildFinished(True, "The agent image is ready."))
            self.check_image()

        self._calls.run(BUILD_IMAGE, self._app.build_image, progress, then=done, quiet=True,
                        failed=lambda message: self.image_build_finished.emit(ImageBuildFinished(False, message)))

    # -- the Claude credential (API key or subscription token) ---------------

    def check_secret(self) -> None:
        def status() -> SecretStatus:
            from desktop.services.errors import KeyringUnavailable

            try:
                return cm.secret_status(self._app.secret_status())
            except KeyringUnavailable as error:  # no keyring: say how to get one
                return cm.keyring_problem(str(error))

        self._calls.run("Check API key", status, quiet=True,
                        then=lambda s: self.secret_status_changed.emit(SecretStatusChanged(cm.API_KEY, s)))

    def set_secret(self, submitted: SecretSubmitted) -> None:
        what = "subscription token" if submitted.name == cm.OAUTH_TOKEN else "API key"
        self._calls.run(f"Store the {what}", self._app.set_secret, submitted.name, submitted.value,
                        then=lambda _r: self.check_secret())

    def delete_secret(self, name: str) -> None:
        self._calls.run("Remove a credential", self._app.delete_secret, name, then=lambda _r: self.check_secret())

    # -- settings -----------------------------------------------------------

    def load_settings(self) -> None:
        self._calls.run("Load settings", self._app.settings, quiet=True,
                        then=lambda v: self.settings_loaded.emit(SettingsLoaded(cm.settings_values(v))))

    def save_settings(self, values: SettingsValues) -> None:
        def save() -> SettingsValues:
            return cm.settings_values(self._app.save_settings(cm.service_settings(self._app.settings(), values)))

        self._calls.run("Save settings", save, then=lambda v: self.settings_loaded.emit(SettingsLoaded(v)))

    # -- a workspace's container --------------------------------------------

    def load_container(self, ref: WorkspaceRef) -> None:
        self._calls.run("Container status", self._app.containers.status, ref.workspace_id, quiet=True,
                        then=lambda v: self.container_changed.emit(
                            ContainerChanged(cm.container_info(ref.workspace_id, v))))

    def container_action(self, ref: WorkspaceRef, action: ContainerAction) -> None:
        """Start, stop or recreate a workspace's container; one action a workspace at a
        time (a second press while one runs is dropped: its buttons are off meanwhile)."""
        workspace_id = ref.workspace_id
        if workspace_id in self.container_busy:
            return
        fn = {ContainerAction.START: self._app.containers.start, ContainerAction.STOP: self._app.containers.stop,
              ContainerAction.RECREATE: self._app.containers.recreate}[action]
        self.container_busy[workspace_id] = action
        self.container_action_started.emit(ContainerActionStarted(workspace_id, action))

        def done(status: ContainerStatus) -> None:
            self.container_busy.pop(workspace_id, None)
            self.container_changed.emit(ContainerChanged(cm.container_info(workspace_id, status)))
            self.container_action_ended.emit(ContainerActionEnded(workspace_id, action, True, action.done))
            if action is not ContainerAction.STOP:
                self.watch_stats(ref)  # a (re)started container: its stats stream anew

        def failed(message: str) -> None:
            self.container_busy.pop(workspace_id, None)
            self.container_action_ended.emit(ContainerActionEnded(workspace_id, action, False, message))
            self.load_container(ref)  # whatever state it was left in

        self._calls.run(action.title, fn, workspace_id, then=done, failed=failed)

    def load_disk_usage(self, ref: WorkspaceRef) -> None:
        """The sizes of a workspace's volumes (the engine counts them: it may take a while)."""
        workspace_id = ref.workspace_id

        def known(usage: DiskUsage) -> None:
            self.disk_usage_loaded.emit(DiskUsageLoaded(workspace_id, usage.working_copy, usage.home, usage.folder))

        self._calls.run("Measure volumes", self._app.containers.disk_usage, workspace_id, quiet=True, then=known,
                        failed=lambda message: self.disk_usage_loaded.emit(DiskUsageLoaded(workspace_id,
                                                                                           problem=message)))

    def watch_stats(self, ref: WorkspaceRef) -> None:
        self.unwatch_stats()
        if self._calls.closed:
            return
        workspace_id = ref.workspace_id

        def samples(stop: threading.Event) -> Iterator[StatsSample]:
            return iter(self._app.containers.stats(workspace_id, stop))

        reader = self._stats = StreamReader("stats", samples, self, describe_error=cm.error_text)
        reader.items_arrived.connect(lambda batch: self._sampled(workspace_id, batch))
        reader.start()

    def unwatch_stats(self) -> None:
        if self._stats is not None:
            self._stats.stop()
            self._stats = None

    def _sampled(self, workspace_id: str, batch: ItemsArrived) -> None:
        for item in batch.items[-5:]:  # a backlog of samples: the newest few are enough
            cpu, memory, limit = cm.stats_sample(item)
            self.stats_sampled.emit(StatsSampled(workspace_id, cpu, memory, limit))
