"""How much disk a workspace's volumes take, as the engine counts it.

``docker system df`` is the engine's own count (it walks each volume's files on
the engine's side), so it works whether the container runs or not, and no
process of ours runs in a volume the agent could fill with odd names. It may
take a while on an engine with many images: callers keep it off any thread
that must answer quickly.
"""

from __future__ import annotations

import time

from desktop.containers.engine import Engine, translate

BUSY_TRIES = 20  # the engine counts one df at a time: another program's may be under way
BUSY_WAIT_S = 0.5


def volume_sizes(engine: Engine, names: tuple[str, ...]) -> dict[str, int | None]:
    """Each named volume's size in bytes; None for one that does not exist (yet)
    or that the engine did not measure."""
    usage = _df(engine)
    found: dict[str, int | None] = dict.fromkeys(names)
    for volume in usage.get("Volumes") or []:
        name = volume.get("Name") if isinstance(volume, dict) else None
        if name in found:
            size = (volume.get("UsageData") or {}).get("Size")
            # -1 is the engine's "not computed"; anything else not a count is not believed.
            found[name] = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None
    return found


def _df(engine: Engine) -> dict:
    import docker.errors

    for attempt in range(BUSY_TRIES):
        try:
            return engine.client.df()
        except docker.errors.APIError as error:
            if "already running" not in str(error.explanation or "") or attempt == BUSY_TRIES - 1:
                raise translate(error) or error from None
        except Exception as error:
            raise translate(error) or error from None
        time.sleep(BUSY_WAIT_S)  # on a worker thread: the engine finishes the other count first
    raise AssertionError("unreachable")  # pragma: no cover - the last try raises
