"""What a folder holds, by path, size, time and mode, without reading files."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

# Git metadata never travels: the agent gets a repository of the app's own,
# and a user's hooks or config must not reach it (nor come back).
SKIPPED_NAMES = frozenset({".git"})

Entry = tuple[str, int, int, int, str]  # kind (f, d, l), size, mtime_ns, mode, link target


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


def scan(root: Path) -> Manifest:
    """Walk ``root`` without following links; sockets, fifos and devices are skipped."""
    entries: dict[str, Entry] = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(root / rel if rel else root) as listing:
            for item in listing:
                if item.name in SKIPPED_NAMES:
                    continue
                path = f"{rel}/{item.name}" if rel else item.name
                info = item.stat(follow_symlinks=False)
                mode = info.st_mode
                if stat.S_ISDIR(mode):
                    entries[path] = ("d", 0, 0, stat.S_IMODE(mode), "")
                    stack.append(path)
                elif stat.S_ISREG(mode):
                    entries[path] = ("f", info.st_size, info.st_mtime_ns, stat.S_IMODE(mode), "")
                elif stat.S_ISLNK(mode):
                    entries[path] = ("l", 0, info.st_mtime_ns, 0, os.readlink(item.path))
    return Manifest(entries)


class ManifestStore:
    """The last snapshot's manifest of each workspace, in the app's data folder."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, workspace_id: str) -> Path:
        return self._folder / f"{workspace_id}.json"

    def load(self, workspace_id: str) -> Manifest | None:
        try:
            return Manifest.from_json(self._path(workspace_id).read_text())
        except (OSError, ValueError, KeyError, TypeError):
            return None  # no or unreadable manifest: the next snapshot is a full one

    def save(self, workspace_id: str, manifest: Manifest) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._path(workspace_id)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(manifest.to_json())
        os.replace(tmp, path)

    def forget(self, workspace_id: str) -> None:
        self._path(workspace_id).unlink(missing_ok=True)
