"""How much disk a workspace's volumes take, as the engine counts it.

``docker system df`` is the engine's own count (it walks each volume's files on
the engine's side), so it works whether the container runs or not, and no
process of ours runs in a volume the agent could fill with odd names. It may
take a while on an engine with many images: callers keep it off any thread
that must answer quickly.
"""

from __future__ import annotations

from desktop.containers.engine import Engine, translate


def volume_sizes(engine: Engine, names: tuple[str, ...]) -> dict[str, int | None]:
    """Each named volume's size in bytes; None for one that does not exist (yet)
    or that the engine did not measure."""
    try:
        usage = engine.client.df()
    except Exception as error:
        raise translate(error) or error from None
    found: dict[str, int | None] = dict.fromkeys(names)
    for volume in usage.get("Volumes") or []:
        name = volume.get("Name") if isinstance(volume, dict) else None
        if name in found:
            size = (volume.get("UsageData") or {}).get("Size")
            # -1 is the engine's "not computed"; anything else not a count is not believed.
            found[name] = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None
    return found
