"""The one object the CLI and the GUI hold: every use case, over one context."""

from __future__ import annotations

from typing import Callable

from desktop.containers.engine import EngineStatus
from desktop.services.containers import Containers
from desktop.services.context import AppContext
from desktop.services.reconcile import ReconcileReport, reconcile
from desktop.services.scheduler import Scheduler
from desktop.services.settings import Settings, load_settings, save_settings
from desktop.services.tasks import Tasks
from desktop.services.workspaces import Workspaces


class App:
    """``App()`` is cheap: the database, the engine and the keyring are opened
    when a use case first needs them."""

    def __init__(self, ctx: AppContext | None = None, scope: set[str] | None = None) -> None:
        self.ctx = ctx or AppContext.current()
        self.workspaces = Workspaces(self.ctx)
        scheduler = Scheduler(self.ctx, lambda: self.settings().concurrency, scope)
        self.tasks = Tasks(self.ctx, scheduler)
        self.containers = Containers(self.ctx)

    # -- engine and image --

    def engine_status(self) -> EngineStatus:
        return self.ctx.engine.status()

    def image_status(self, tag: str | None = None):  # noqa: ANN201 - ImageStatus, imported lazily
        from desktop.containers import images

        return images.status(self.ctx.engine, tag or self.settings().default_image)

    def build_image(self, progress: Callable[[float | None, str], None] | None = None,
                    base: str | None = None, tag: str | None = None, force: bool = False):  # noqa: ANN201
        from desktop.containers import images

        return images.build(self.ctx.engine, tag=tag or self.settings().default_image,
                            base=base or images.DEFAULT_BASE, progress=progress, force=force)

    # -- secrets --

    def secret_status(self):  # noqa: ANN201 - StoreStatus
        return self.ctx.secrets.status()

    def set_secret(self, name: str, value: str) -> None:
        self.ctx.secrets.set(name, value)
        self.ctx.secrets_changed()
        self.ctx.record("secret.set", str(name))

    def delete_secret(self, name: str) -> bool:
        removed = self.ctx.secrets.delete(name)
        self.ctx.secrets_changed()
        if removed:
            self.ctx.record("secret.removed", str(name))
        return removed

    # -- settings --

    def settings(self) -> Settings:
        return load_settings(self.ctx.db)

    def save_settings(self, settings: Settings) -> Settings:
        saved = save_settings(self.ctx.db, settings)
        self.tasks.scheduler.pump()  # a higher limit may start waiting tasks
        return saved

    # -- upkeep --

    def reconcile(self, with_engine: bool = True) -> ReconcileReport:
        return reconcile(self.ctx, with_engine)

    def verify_audit(self):  # noqa: ANN201 - VerifyReport
        self.ctx.flush_audit()  # entries still being written count too
        return self.ctx.audit.verify()

    def __enter__(self) -> "App":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self.ctx.shared:  # a shared context lives as long as its process
            self.ctx.close()
