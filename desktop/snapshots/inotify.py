"""Linux's inotify, through libc: the kernel's own queue of what changed in
watched folders.

A small binding rather than a watcher library because the snapshot needs a
barrier: reading the queue to its end (non-blocking) sees every change that
finished before the read, since the kernel queues an event within the
system call that made the change. Libraries deliver events on their own
thread, some after a delay, with no way to ask "is that everything up to now?".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import struct
import sys
from dataclasses import dataclass

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_UNMOUNT = 0x00002000
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000
IN_EXCL_UNLINK = 0x04000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC

# What changes a folder's manifest: content, metadata, names coming and going.
# Only folders are watched (a file's events reach its folder's watch), links
# are not followed, and a deleted file's late events are not reported.
FOLDER_MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
               | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of NUL-padded name)
_READ_SIZE = 256 * 1024


class WatchLimit(OSError):
    """The user's inotify watches ran out (fs.inotify.max_user_watches)."""


@dataclass(frozen=True)
class Event:
    wd: int
    mask: int
    name: str  # "" for an event of the watched folder itself


def watch_budget() -> int:
    """How many folders one watcher may take: a quarter of the user's limit,
    so the user's editors and tools keep theirs."""
    try:
        with open("/proc/sys/fs/inotify/max_user_watches") as limit:
            return int(limit.read()) // 4
    except (OSError, ValueError):
        return 8192 // 4


def available() -> bool:
    return sys.platform.startswith("linux") and _libc() is not None


_LIBC: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL | None:
    global _LIBC
    if _LIBC is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.inotify_init1.argtypes = [ctypes.c_int]
            libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            libc.inotify_rm_watch.argtypes = [ctypes.c_int, ctypes.c_int]
        except (OSError, AttributeError):
            return None
        _LIBC = libc
    return _LIBC


class Inotify:
    """One inotify instance; its queue is read without blocking."""

    def __init__(self) -> None:
        libc = _libc()
        if libc is None:
            raise OSError(errno.ENOSYS, "inotify is not available")
        self._libc = libc
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            code = ctypes.get_errno()
            if code in (errno.EMFILE, errno.ENFILE, errno.ENOMEM):
                raise WatchLimit(code, "no more inotify instances (fs.inotify.max_user_instances)")
            raise OSError(code, os.strerror(code))
        self.fd = fd

    def watch(self, path: str, mask: int = FOLDER_MASK) -> int:
        """Watch a folder; the same folder (inode) watched again keeps its number."""
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(path), mask)
        if wd < 0:
            code = ctypes.get_errno()
            if code == errno.ENOSPC:
                raise WatchLimit(code, "the limit of inotify watches is reached")
            raise OSError(code, os.strerror(code), path)
        return int(wd)

    def read(self) -> list[Event]:
        """Every event queued now (none: an empty list)."""
        events: list[Event] = []
        while True:
            try:
                data = os.read(self.fd, _READ_SIZE)
            except BlockingIOError:
                return events
            offset = 0
            while offset + _HEADER.size <= len(data):
                wd, mask, _cookie, length = _HEADER.unpack_from(data, offset)
                offset += _HEADER.size
                raw = data[offset:offset + length].split(b"\0", 1)[0]
                offset += length
                events.append(Event(wd, mask, os.fsdecode(raw)))

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
