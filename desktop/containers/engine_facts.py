"""What an engine is and has, for its connection test: its version, its
machine, its free disk and whether the agent image is there and current."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.containers import images
from desktop.containers.engine import Engine, translate
from desktop.containers.errors import ContainerFailed, EngineUnavailable


@dataclass(frozen=True)
class EngineFacts:
    version: str  # "20.10.24"
    api_version: str
    os: str  # "linux"
    arch: str  # "amd64"
    cpus: int
    memory_bytes: int
    running: int  # containers running now, the app's and others'
    reserved_memory_bytes: int  # the memory limits of the running containers, summed
    free_disk_bytes: int | None  # of the engine's data root; None if it could not be measured
    image: images.ImageStatus


def gather(engine: Engine, tag: str = images.DEFAULT_IMAGE) -> EngineFacts:
    """Ask ``engine``; raises EngineUnavailable (naming it) if it does not answer."""
    try:
        version: dict[str, Any] = engine.client.version()
        info: dict[str, Any] = engine.client.info()
        image = images.status(engine, tag)
        reserved = sum(_int((c.attrs.get("HostConfig") or {}).get("Memory"))
                       for c in engine.client.containers.list())
    except EngineUnavailable:
        raise
    except Exception as error:
        engine.reset()
        raise _unavailable(engine, error) from None
    return EngineFacts(
        version=str(version.get("Version", "?"))[:40],
        api_version=str(version.get("ApiVersion", "?"))[:20],
        os=str(version.get("Os", "?"))[:20],
        arch=str(version.get("Arch", "?"))[:20],
        cpus=_int(info.get("NCPU")),
        memory_bytes=_int(info.get("MemTotal")),
        running=_int(info.get("ContainersRunning")),
        reserved_memory_bytes=reserved,
        free_disk_bytes=_free_disk(engine, tag) if image.usable else None,
        image=image,
    )


def _free_disk(engine: Engine, tag: str) -> int | None:
    """The free space of the engine's data root: a container's root file
    system is made there. The API has no call for it, so ``df`` runs once in
    a throwaway container of the agent image (no network, no capabilities)."""
    try:
        output = images.run_in_image(engine, tag, ["df", "-Pk", "/"])
    except (ContainerFailed, EngineUnavailable):
        return None
    lines = output.decode("utf-8", "replace").splitlines()
    if len(lines) < 2:
        return None
    fields = lines[-1].split()
    if len(fields) < 4 or not fields[3].isdigit():
        return None
    return int(fields[3]) * 1024


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _unavailable(engine: Engine, error: Exception) -> EngineUnavailable:
    went = translate(error)
    if went is not None and engine.name:
        return EngineUnavailable(went.message.replace("The Docker engine", engine.label, 1), went.fix)
    return went or EngineUnavailable(f"{engine.label} gave an error ({str(error)[:200]})")
