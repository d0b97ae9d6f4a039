"""Files into and out of a container, as the engine moves them: tar archives.

This is what ``docker cp`` does; it needs no process in the container, so it
works whatever the agent left running.
"""

from __future__ import annotations

import io
import tarfile
from typing import IO

from desktop.containers.engine import Engine, translate


def read_file(engine: Engine, container_id: str, path: str) -> bytes:
    """The content of one file of the container (empty if ``path`` is no file)."""
    try:
        chunks, _ = engine.client.containers.get(container_id).get_archive(path)
        data = b"".join(chunks)
    except Exception as error:
        raise translate(error) or error from None
    # The engine sends the file as a tar of one member.
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.next()
        handle = tar.extractfile(member) if member else None
        return handle.read() if handle else b""


def put_archive(engine: Engine, container_id: str, folder: str, archive: IO[bytes]) -> None:
    """Unpack a tar ``archive`` into ``folder`` of the container (through its volumes)."""
    try:
        engine.api.put_archive(container_id, folder, archive)
    except Exception as error:
        raise translate(error) or error from None
