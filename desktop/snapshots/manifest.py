"""What a folder holds, by path, size, time and mode, without reading files."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from desktop.snapshots.exclusions import Exclusions

# Git metadata never travels: the agent gets a repository of the app's own,
# and a user's hooks or config must not reach it (nor come back).
SKIPPED_NAMES = frozenset({".git"})

# kind (f, d, l), size, mtime_ns, mode, and a link's target (for a file: a
# mark that makes the entry differ from any other manifest's, see mark_racy)
Entry = tuple[str, int, int, int, str]


@dataclass
class Manifest:
    entries: dict[str, Entry]
    # The ref in the container's repository whose tree equals these entries.
    base_ref: str = ""

    def changes(self, newer: "Manifest") -> tuple[list[str], list[str]]:
        """(paths added or changed, paths deleted) going from self to newer."""
        changed = [p for p, e in newer.entries.items() if self.entries.get(p) != e]
        deleted = [p for p in self.entries if p not in newer.entries]
        # Deleting a folder deletes what is inside it: keep only the tops.
        deleted_set = set(deleted)
        tops = [p for p in deleted if not _has_parent_in(p, deleted_set)]
        return sorted(changed), sorted(tops)

    def to_json(self) -> str:
        return json.dumps({"base_ref": self.base_ref, "entries": self.entries}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        entries = {path: tuple(value) for path, value in data["entries"].items()}
        return cls(entries, data.get("base_ref", ""))  # type: ignore[arg-type]


def _has_parent_in(path: str, paths: set[str]) -> bool:
    parts = path.split("/")
    return any("/".join(parts[:i]) in paths for i in range(1, len(parts)))


def entry_of(info: os.stat_result, full_path: str) -> Entry | None:
    """The manifest's entry of one lstat result (None: not something that travels)."""
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return ("d", 0, 0, stat.S_IMODE(mode), "")
    if stat.S_ISREG(mode):
        return ("f", info.st_size, info.st_mtime_ns, stat.S_IMODE(mode), "")
    if stat.S_ISLNK(mode):
        return ("l", 0, info.st_mtime_ns, 0, os.readlink(full_path))
    return None  # sockets, fifos and devices are skipped


def scan(root: Path, exclusions: Exclusions | None = None) -> Manifest:
    """Walk ``root`` without following links; sockets, fifos, devices and
    excluded paths are skipped."""
    started = time.time_ns()
    entries: dict[str, Entry] = {}
    scan_into(entries, root, exclusions=exclusions)
    return Manifest(mark_racy(entries, started))


# A file's time has the file system's granularity (a kernel tick, two seconds
# on FAT): a file written this close to the manifest's making may be written
# again with the same size and time, and look unchanged. Such entries are
# made unequal to any other manifest's, so they are sent again until they
# have aged (git's "racily clean" entries, solved the same way).
RACY_NS = 2_000_000_000


def mark_racy(entries: dict[str, Entry], made_ns: int) -> dict[str, Entry]:
    """``entries`` with each recently written file's entry made unique to this manifest."""
    since = made_ns - RACY_NS
    for path, entry in entries.items():
        if entry[0] == "f" and entry[2] >= since:
            entries[path] = (entry[0], entry[1], entry[2], entry[3], f"~{made_ns}")
    return entries


def scan_into(entries: dict[str, Entry], root: Path, prefix: str = "",
              on_folder: Callable[[str], None] | None = None, linked: set[str] | None = None,
              exclusions: Exclusions | None = None) -> None:
    """Add what is under the folder ``prefix`` of ``root`` (all of it: "") to
    ``entries``, by paths relative to ``root``.

    ``on_folder(path)`` is called for each folder (``prefix`` itself first)
    before it is listed, so a watch set there sees every later change;
    ``linked`` collects files with other hard links (their edits can come
    through a path outside the folder)."""
    stack = [prefix]
    while stack:
        rel = stack.pop()
        if on_folder is not None:
            on_folder(rel)
        try:
            listing = os.scandir(root / rel if rel else root)
        except (FileNotFoundError, NotADirectoryError):
            if rel == prefix:
                raise
            continue  # gone (or replaced) since its parent was listed: its parent's change tells
        with listing:
            for item in listing:
                if item.name in SKIPPED_NAMES:
                    continue
                path = f"{rel}/{item.name}" if rel else item.name
                if exclusions and exclusions.excludes(path):
                    continue
                try:
                    info = item.stat(follow_symlinks=False)
                    entry = entry_of(info, item.path)
                except FileNotFoundError:
                    continue
                if entry is None:
                    continue
                entries[path] = entry
                if entry[0] == "d":
                    stack.append(path)
                elif linked is not None and entry[0] == "f" and info.st_nlink > 1:
                    linked.add(path)


class ManifestStore:
    """The last snapshot's manifest of each workspace, in the app's data folder.

    A long-lived process keeps the last one it read or wrote in memory, and
    reads the file again only when another process has replaced it (a JSON
    of 70,000 entries takes a fifth of a second to parse)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._known: dict[str, tuple[tuple[int, int, int], dict[str, Entry], str]] = {}
        self._lock = threading.Lock()

    def _path(self, workspace_id: str) -> Path:
        return self._folder / f"{workspace_id}.json"

    def load(self, workspace_id: str) -> Manifest | None:
        path = self._path(workspace_id)
        try:
            signature = _signature(path)
            with self._lock:
                known = self._known.get(workspace_id)
            if known is not None and known[0] == signature:
                return Manifest(dict(known[1]), known[2])
            manifest = Manifest.from_json(path.read_text())
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no or unreadable manifest: the next snapshot is a full one
        with self._lock:
            self._known[workspace_id] = (signature, dict(manifest.entries), manifest.base_ref)
        return manifest

    def save(self, workspace_id: str, manifest: Manifest) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._path(workspace_id)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(manifest.to_json())
        os.replace(tmp, path)
        with self._lock:
            self._known[workspace_id] = (_signature(path), dict(manifest.entries), manifest.base_ref)

    def forget(self, workspace_id: str) -> None:
        with self._lock:
            self._known.pop(workspace_id, None)
        self._path(workspace_id).unlink(missing_ok=True)


def _signature(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns
