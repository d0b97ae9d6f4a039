"""A folder's manifest kept current from inotify events, so a task's
snapshot costs what changed, not what the folder holds.

Correctness comes first; the watcher is only trusted when it has seen
everything since the last full scan:

- the first manifest is a full scan, taken with every folder watched before
  it is listed, so nothing changing during the scan is missed;
- each manifest reads the kernel's queue to its end first, which holds every
  change finished before the read (edits in the same second included: what
  is compared is the re-stat'ed entry, nanosecond times and all);
- a lost event (queue overflow), the folder itself moved or deleted, or a
  watch that could not be set makes the next manifest a full scan again;
- files with other hard links are re-stat'ed every time, since an edit
  through a path outside the folder reaches no watch of ours.

Writes through a shared memory map made after the file was closed raise no
event at all; so do changes on network file systems made by another machine,
which is why such folders are never tracked (``trackable``).
"""

from __future__ import annotations

import errno
import logging
import os
import select
import threading
import time
from pathlib import Path

from desktop.snapshots import inotify
from desktop.snapshots.exclusions import Exclusions
from desktop.snapshots.manifest import SKIPPED_NAMES, Entry, Manifest, entry_of, mark_racy, scan_into

log = logging.getLogger(__name__)

# File systems whose changes may come from elsewhere, unseen by this kernel.
REMOTE_TYPES = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre",
                          "virtiofs", "fuse", "fuseblk"})
# A backlog of changed names past this (plus the folder's size) is cheaper rescanned.
DIRTY_SLACK = 20_000


def _mount_types(root: Path) -> set[str]:
    """The types of the file systems mounted at or above ``root``'s path and below it."""
    target = os.path.realpath(root)
    best, found = "", set()
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return {"unknown"}
    for line in lines:
        fields = line.split(" ")
        if " - " not in line or len(fields) < 5:
            continue
        point = fields[4].replace("\\040", " ")
        kind = line.split(" - ", 1)[1].split(" ")[0]
        if target == point or target.startswith(point.rstrip("/") + "/") or point == "/":
            if len(point) >= len(best):
                best, top = point, kind
        elif point.startswith(target.rstrip("/") + "/"):
            found.add(kind)  # something mounted inside the folder
    if best:
        found.add(top)
    return found


def trackable(root: Path) -> bool:
    """Whether inotify sees every change of this folder (a local file system)."""
    if not inotify.available():
        return False
    return not any(kind in REMOTE_TYPES or kind.startswith("fuse.") for kind in _mount_types(root))


class FolderTracker:
    """One folder, watched while this process runs; ``manifest()`` is its state now."""

    def __init__(self, root: Path, exclusions: Exclusions = Exclusions()) -> None:
        self.root = root
        self.exclusions = exclusions
        self._lock = threading.Lock()
        self._inotify: inotify.Inotify | None = None
        self._folders: dict[int, str] = {}  # watch number -> folder path ("" the root)
        self._entries: dict[str, Entry] | None = None  # trusted up to the last drain
        self._linked: set[str] = set()
        self._dirty: set[str] = set()
        self._new_folders: set[str] = set()  # whose whole content is to be read
        self._closed = False
        self._budget = inotify.watch_budget()
        self._rewrites = 0
        self.full_scans = 0  # how many times it had to read the whole folder (for tests and the bench)

    # -- the state now --

    def manifest(self) -> Manifest:
        """The folder as it is now: a copy the caller may keep."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the tracker is closed")
            if self._inotify is None:
                self._start()
            self._drain()
            started = time.time_ns()
            if self._entries is None:
                self._full_scan()
                self._drain()  # what changed while the scan ran
            self._apply()
            return Manifest(mark_racy(dict(self._entries or {}), started))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._inotify is not None:
                self._inotify.close()
                self._inotify = None

    # -- watching --

    def _start(self) -> None:
        self._inotify = inotify.Inotify()
        threading.Thread(target=self._keep_draining, name=f"watch-{self.root.name}", daemon=True).start()

    def _keep_draining(self) -> None:
        """Empty the kernel's queue as events come, so a burst (an npm install
        in the folder) does not overflow it between two tasks."""
        while True:
            with self._lock:
                if self._closed or self._inotify is None:
                    return
                fd = self._inotify.fd
            try:
                ready, _, _ = select.select([fd], [], [], 5.0)
            except (OSError, ValueError):
                return  # closed under us
            if ready:
                with self._lock:
                    if self._closed:
                        return
                    self._drain()

    def _watch(self, folder: str) -> None:
        assert self._inotify is not None
        try:
            wd = self._inotify.watch(str(self.root / folder) if folder else str(self.root))
        except inotify.WatchLimit:
            raise
        except OSError as error:
            if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP) and folder:
                return  # gone or replaced since it was listed: its parent's event tells
            raise
        self._folders[wd] = folder
        if len(self._folders) > self._budget:
            raise inotify.WatchLimit(0, f"more than {self._budget} folders to watch")

    def _drain(self) -> None:
        assert self._inotify is not None
        for event in self._inotify.read():
            if event.mask & inotify.IN_Q_OVERFLOW:
                self._distrust("events were lost")
                continue
            folder = self._folders.get(event.wd)
            if folder is None:
                continue
            if event.mask & inotify.IN_IGNORED:
                del self._folders[event.wd]
                if folder == "":
                    self._distrust("the folder's watch ended")
                continue
            if event.mask & (inotify.IN_DELETE_SELF | inotify.IN_MOVE_SELF | inotify.IN_UNMOUNT):
                if folder == "":
                    self._distrust("the folder itself moved or went")
                else:
                    self._dirty.add(folder)
                continue
            if event.name in SKIPPED_NAMES:
                continue
            path = f"{folder}/{event.name}" if folder and event.name else (event.name or folder)
            if self.exclusions and self.exclusions.excludes_within(path):
                continue
            if event.mask & inotify.IN_ISDIR and event.mask & (inotify.IN_CREATE | inotify.IN_MOVED_TO):
                self._new_folders.add(path)
            self._dirty.add(path)
        if self._entries is not None and len(self._dirty) > len(self._entries) + DIRTY_SLACK:
            self._distrust("too many changes to follow one by one")

    def _distrust(self, why: str) -> None:
        log.info("folder %s is read again in full: %s", self.root, why)
        self._entries = None
        self._dirty.clear()
        self._new_folders.clear()

    # -- reading the folder --

    def _full_scan(self) -> None:
        self.full_scans += 1
        self._dirty.clear()
        self._new_folders.clear()
        self._linked = set()
        self._folders.clear()  # watched again below (a folder keeps its number); others are stale
        entries: dict[str, Entry] = {}
        try:
            scan_into(entries, self.root, on_folder=self._watch, linked=self._linked, exclusions=self.exclusions)
        except inotify.WatchLimit:
            log.warning("folder %s cannot be watched (inotify watch limit): it is read in full each time", self.root)
            raise
        self._entries = entries

    def _apply(self) -> None:
        """Bring the entries up to date with the changed names (parents first)."""
        entries = self._entries
        assert entries is not None
        for path in sorted(self._dirty | self._new_folders | self._linked):
            full = os.path.join(self.root, path)
            try:
                info = os.lstat(full)
                entry = entry_of(info, full)
            except (FileNotFoundError, NotADirectoryError):
                entry = None
            parent = path.rpartition("/")[0]
            if entry is None or (parent and entries.get(parent, ("",))[0] != "d"):
                self._remove(path)  # gone, a special file, or below something no longer a folder
                continue
            was = entries.get(path)
            if entry[0] == "d" and (path in self._new_folders or was is None or was[0] != "d"):
                self._remove(path)
                scan_into(entries, self.root, prefix=path, on_folder=self._watch, linked=self._linked,
                          exclusions=self.exclusions)
            elif entry[0] != "d" and was is not None and was[0] == "d":
                self._remove(path)
            elif entry[0] == "f" and was is not None and was[:4] == entry[:4] and path in self._dirty:
                # Written, yet the same size and time (copied with its time
                # kept, say): sent again rather than trusted unchanged.
                self._rewrites += 1
                entry = (*entry[:4], f"#{self._rewrites}")
            elif was is not None and was[:4] == entry[:4]:
                entry = was  # unchanged: keeps its mark
            entries[path] = entry
            if entry[0] == "f" and info.st_nlink > 1:
                self._linked.add(path)
            else:
                self._linked.discard(path)
        self._dirty.clear()
        self._new_folders.clear()

    def _remove(self, path: str) -> None:
        entries = self._entries
        assert entries is not None
        was = entries.pop(path, None)
        self._linked.discard(path)
        if was is None or was[0] != "d":
            return  # only a folder has entries below it
        inside = path + "/"
        for key in [k for k in entries if k.startswith(inside)]:
            del entries[key]
        self._linked = {k for k in self._linked if not k.startswith(inside)}
