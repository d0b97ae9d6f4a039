"""A folder of one container copied into another's, across engines: the
engines' own archive calls, streamed (``docker cp`` out of one, into the
other). The bytes are the agent's and are never looked at here: only counted."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from desktop.containers.engine import Engine, translate
from desktop.containers.errors import ContainerFailed

CHUNK_BYTES = 1 << 20


def copy_folder(source: Engine, source_id: str, target: Engine, target_id: str, folder: str,
                progress: Callable[[int], None] | None = None) -> int:
    """Copy ``folder``'s content (owners and modes kept) from the container
    ``source_id`` on ``source`` into the same folder of ``target_id`` on
    ``target``; returns the bytes of the archive sent."""
    import docker.errors

    sent = 0

    def counted(blocks: Iterator[bytes]) -> Iterator[bytes]:
        nonlocal sent
        for block in blocks:
            sent += len(block)
            if progress is not None:
                progress(sent)
            yield block

    try:
        # "folder/." archives the content itself, to be unpacked into the same
        # folder (a mounted volume): never into the read-only root above it.
        blocks, _ = source.api.get_archive(source_id, f"{folder}/.", chunk_size=CHUNK_BYTES)
        if not target.api.put_archive(target_id, folder, counted(blocks)):
            raise ContainerFailed(f"{target.label} did not take the copy of {folder}")
    except docker.errors.DockerException as error:
        raise translate(error) or ContainerFailed(f"{folder} could not be copied ({str(error)[:200]})") from None
    except ContainerFailed:
        raise
    except Exception as error:
        raise translate(error) or error from None
    return sent
