"""The one object the CLI and the GUI hold: every use case, over one context.

This is the services' façade: a front end calls ``App`` and the services it
exposes (``workspaces``, ``tasks``, ``review``, ``containers``, ``terminals``), names the types they
return from ``desktop.domain`` or ``desktop.services.results``, and catches
only ``desktop.services.errors``; every public method here raises nothing
else.
"""

from __future__ import annotations

from typing import Callable

from desktop.containers.engine import EngineStatus
from desktop.services.containers import Containers
from desktop.services.context import AppContext
from desktop.services.egress import Egress
from desktop.services.engines import Engines
from desktop.services.errors import boundary
from desktop.services.reconcile import ReconcileReport, reconcile
from desktop.services.review import Review
from desktop.services.scheduler import Scheduler
from desktop.services.settings import Settings, load_settings, save_settings
from desktop.services.tasks import Tasks
from desktop.services.terminals import Terminals
from desktop.services.workspaces import Workspaces


@boundary
class App:
    """``App()`` is cheap: the database, the engine and the keyring are opened
    when a use case first needs them.

    ``runs_queue``: whether this App starts any queued task as the limits
    allow (the GUI) or only those it is asked to run here (a CLI command,
    ``tasks.run_here``).
    """

    def __init__(self, ctx: AppContext | None = None, runs_queue: bool = True) -> None:
        self.ctx = ctx or AppContext.current()
        self.workspaces = Workspaces(self.ctx)
        scheduler = Scheduler(self.ctx, lambda: self.settings().concurrency, runs_queue)
        self.tasks = Tasks(self.ctx, scheduler)
        self.review = Review(self.ctx, self.tasks)
        self.egress = Egress(self.ctx)
        self.engines = Engines(self.ctx)
        self.containers = Containers(self.ctx)
        self.terminals = Terminals(self.ctx)

    @classmethod
    def for_process(cls, runs_queue: bool = True) -> "App":
        """An App over the process's own long-lived context (the GUI, the warm service)."""
        return cls(AppContext.share(), runs_queue)

    def open(self) -> None:
        """Open the database now (on a worker) rather than at the first use."""
        self.ctx.db  # noqa: B018 - the property opens it

    @property
    def long_lived(self) -> bool:
        """Whether this App's context outlives one command (the warm service, the GUI)."""
        return self.ctx.shared

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

    def flush_audit(self) -> None:
        """Store the audit entries still being written (before a command reports its end)."""
        self.ctx.flush_audit()

    def __enter__(self) -> "App":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self.ctx.shared:  # a shared context lives as long as its process
            self.ctx.close()

    def shutdown(self) -> None:
        """Close the context even when it is the process's own: the process is ending."""
        self.ctx.close()
