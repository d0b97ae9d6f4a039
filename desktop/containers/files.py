"""Files into and out of a container, as the engine moves them: tar archives.

This is what ``docker cp`` does; it needs no process in the container, so it
works whatever the agent left running.
"""

from __future__ import annotations

import io
import tarfile
from typing import IO, Iterator

import docker.errors

from desktop.containers.engine import Engine, translate
from desktop.containers.errors import ContainerFailed

# A tar of one file: headers and padding around the content.
TAR_OVERHEAD = 64 * 1024


class FileTooLarge(ContainerFailed):
    """The file is larger than the caller agreed to hold in memory."""


def read_file(engine: Engine, container_id: str, path: str, max_bytes: int | None = None) -> bytes:
    """The content of one file of the container (empty if ``path`` is no file).

    ``max_bytes``: refuse a larger file, having read little more than that
    (the agent chose its size: a sparse file of a terabyte is cheap to make).
    """
    data = bytearray()
    limit = None if max_bytes is None else max_bytes + TAR_OVERHEAD
    try:
        chunks, stat = engine.client.containers.get(container_id).get_archive(path)
        if max_bytes is not None and int(stat.get("size", 0)) > max_bytes:
            raise FileTooLarge(f"{path} is larger than {max_bytes} bytes")
        for chunk in chunks:
            data += chunk
            if limit is not None and len(data) > limit:
                raise FileTooLarge(f"{path} is larger than {max_bytes} bytes")
    except FileTooLarge:
        raise
    except Exception as error:
        raise translate(error) or error from None
    # The engine sends the file as a tar of one member.
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        member = tar.next()
        handle = tar.extractfile(member) if member else None
        return handle.read() if handle else b""


def put_archive(engine: Engine, container_id: str, folder: str, archive: IO[bytes] | Iterator[bytes]) -> None:
    """Unpack a tar ``archive`` (a file, or blocks as they are made) into
    ``folder`` of the container (through its volumes)."""
    try:
        engine.api.put_archive(container_id, folder, archive)
    except Exception as error:
        raise translate(error) or error from None


def read_folder(engine: Engine, container_id: str, path: str, max_bytes: int) -> dict[str, bytes]:
    """The regular files directly in one folder of the container, by name, in
    one request (each request through the engine costs tens of milliseconds).

    Refused (FileTooLarge) past ``max_bytes`` in all; a missing folder is empty."""
    data = bytearray()
    limit = max_bytes + TAR_OVERHEAD
    try:
        chunks, _stat = engine.client.containers.get(container_id).get_archive(path)
        for chunk in chunks:
            data += chunk
            if len(data) > limit:
                raise FileTooLarge(f"{path} holds more than {max_bytes} bytes")
    except FileTooLarge:
        raise
    except docker.errors.NotFound:
        return {}
    except Exception as error:
        raise translate(error) or error from None
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        for member in tar:
            parts = member.name.split("/")
            if not member.isreg() or len(parts) != 2:
                continue  # only the folder's own files (named "<folder>/<name>" in the archive)
            handle = tar.extractfile(member)
            files[parts[1]] = handle.read() if handle else b""
    return files
