"""The tar stream that carries changed files into the container's volume.

Members land under ``.git/aicode-stage/<task>/`` of the volume, owned by the agent
user (dockerd extracts as root, so ownership comes from the tar headers);
the task script moves them into the tree and removes what was deleted.
"""

from __future__ import annotations

import os
import stat
import tarfile
import tempfile
import threading
from pathlib import Path
from typing import IO, Iterator

from desktop.snapshots.manifest import Manifest

# One folder per task, so a stage left by an interrupted task is never taken
# by the next one (the task script removes them all once it has its own).
STAGE_ROOT = ".git/aicode-stage"
AGENT_UID = AGENT_GID = 1000
# Archives up to this size stay in memory; larger ones spill to disk.
_SPOOL_BYTES = 16 * 1024 * 1024
BLOCK = 1024 * 1024


def _dir_info(name: str, mode: int = 0o755) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = mode
    info.uid, info.gid = AGENT_UID, AGENT_GID
    return info


def build_stage(
    task_id: str, root: Path, manifest: Manifest, changed: list[str], deleted: list[str]
) -> IO[bytes]:
    """A rewound tar file holding ``changed`` paths of ``root`` and the deleted list."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
    write_stage(spool, task_id, root, manifest, changed, deleted)
    spool.seek(0)
    return spool


def write_stage(out: IO[bytes], task_id: str, root: Path, manifest: Manifest, changed: list[str],
                deleted: list[str]) -> None:
    """Write the stage's tar stream to ``out`` (a file, or a pipe the engine reads as it is written)."""
    stage = f"{STAGE_ROOT}/{task_id}"
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT, bufsize=BLOCK) as tar:
        for folder in (".git", STAGE_ROOT, stage):
            tar.addfile(_dir_info(folder))
        made: set[str] = set()
        for path in changed:
            _add_parents(tar, stage, manifest, path, made)
            _add(tar, stage, root, manifest, path, made)
        listing = "".join(f"./{p}\0" for p in deleted).encode()
        info = tarfile.TarInfo(f"{stage}.deleted")
        info.size, info.mode = len(listing), 0o644
        info.uid, info.gid = AGENT_UID, AGENT_GID
        tar.addfile(info, _bytes_io(listing))


def stream_stage(task_id: str, root: Path, manifest: Manifest, changed: list[str],
                 deleted: list[str]) -> Iterator[bytes]:
    """The stage's tar stream in blocks, made on a thread as they are taken:
    a large first copy goes to the engine as it is read from the folder,
    never through a temporary file (that wrote it all to disk first)."""
    read_end, write_end = os.pipe()
    failure: list[BaseException] = []

    def write() -> None:
        try:
            with os.fdopen(write_end, "wb", buffering=BLOCK) as out:
                write_stage(out, task_id, root, manifest, changed, deleted)
        except BrokenPipeError:
            pass  # the reader stopped (the engine refused): its error is the one to report
        except BaseException as error:  # noqa: BLE001 - handed to the reader
            failure.append(error)

    writer = threading.Thread(target=write, name=f"stage-{task_id}", daemon=True)
    writer.start()
    with os.fdopen(read_end, "rb", buffering=0) as source:
        while block := source.read(BLOCK):
            yield block
    writer.join()
    if failure:
        raise failure[0]


def _bytes_io(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


def _add_parents(tar: tarfile.TarFile, stage: str, manifest: Manifest, path: str, made: set[str]) -> None:
    parts = path.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        parent = "/".join(parts[:i])
        if parent not in made:
            entry = manifest.entries.get(parent)
            tar.addfile(_dir_info(f"{stage}/{parent}", (entry[3] if entry else 0o755) | 0o700))
            made.add(parent)


def _add(tar: tarfile.TarFile, stage: str, root: Path, manifest: Manifest, path: str, made: set[str]) -> None:
    kind, _size, mtime_ns, mode, target = manifest.entries[path]
    name = f"{stage}/{path}"
    if kind == "d":
        if path not in made:
            tar.addfile(_dir_info(name, mode | 0o700))
            made.add(path)
        return
    info = tarfile.TarInfo(name)
    info.uid, info.gid = AGENT_UID, AGENT_GID
    info.mtime = mtime_ns // 1_000_000_000
    if kind == "l":
        info.type, info.linkname = tarfile.SYMTYPE, target
        tar.addfile(info)
        return
    # The agent may edit what it gets, so it owns it and can write it.
    info.mode = mode | 0o600
    try:
        fd = open_inside(root, path)
    except FileNotFoundError:
        return  # deleted while we walked: the next snapshot notices
    except PermissionError:
        return  # unreadable to the user too: the agent cannot have it either
    except OSError:
        return  # a link or a special file now where the walk saw a file: the next snapshot sends what it is
    with os.fdopen(fd, "rb") as handle:
        info.size = os.fstat(fd).st_size
        tar.addfile(info, handle)


def open_inside(root: Path, path: str) -> int:
    """A read-only descriptor of the regular file ``path`` under ``root``,
    following no link on the way: each folder is opened relative to the one
    before it with O_NOFOLLOW, so a file or folder replaced by a link after
    the walk (to ~/.ssh, say) is refused instead of read. OSError otherwise."""
    nofollow = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise OSError(f"{path!r} is not a path inside the folder")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(part, nofollow | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        # O_NONBLOCK: a fifo put in the file's place must not hang the snapshot.
        handle = os.open(parts[-1], nofollow | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise OSError(f"{path} is no longer a regular file")
    return handle
