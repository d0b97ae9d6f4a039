"""What each workspace's folder holds now, for the snapshot of a task.

A long-lived process (the GUI, the warm service) keeps a watcher on each
folder it has snapshot once, so later tasks cost what changed; a one-off
command, or a folder that cannot be watched reliably, is read in full.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from desktop.snapshots.exclusions import Exclusions
from desktop.snapshots.inotify import WatchLimit
from desktop.snapshots.manifest import Manifest, scan
from desktop.snapshots.tracker import FolderTracker, trackable

log = logging.getLogger(__name__)


class FolderStates:
    def __init__(self, watch: bool) -> None:
        self.watch = watch
        self._trackers: dict[str, FolderTracker] = {}
        self._unwatchable: set[str] = set()
        self._lock = threading.Lock()

    def current(self, workspace_id: str, root: Path, exclusions: Exclusions = Exclusions()) -> Manifest:
        """The folder's manifest now (what travels of it). OSError if it cannot be read."""
        tracker = self._tracker(workspace_id, root, exclusions)
        if tracker is None:
            return scan(root, exclusions)
        try:
            return tracker.manifest()
        except WatchLimit as limit:
            self._give_up(workspace_id, tracker, limit.strerror or "the inotify limits are reached")
        except OSError:
            self.forget(workspace_id)  # unreadable now: the next task starts afresh
            raise
        return scan(root, exclusions)

    def tracker(self, workspace_id: str) -> FolderTracker | None:
        with self._lock:
            return self._trackers.get(workspace_id)

    def forget(self, workspace_id: str) -> None:
        """Stop watching a workspace's folder (removed, or its folder changed)."""
        with self._lock:
            tracker = self._trackers.pop(workspace_id, None)
            self._unwatchable.discard(workspace_id)
        if tracker is not None:
            tracker.close()

    def close(self) -> None:
        with self._lock:
            trackers, self._trackers = list(self._trackers.values()), {}
        for tracker in trackers:
            tracker.close()

    def _tracker(self, workspace_id: str, root: Path, exclusions: Exclusions) -> FolderTracker | None:
        if not self.watch:
            return None
        with self._lock:
            if workspace_id in self._unwatchable:
                return None
            tracker = self._trackers.get(workspace_id)
            if tracker is not None and tracker.root == root and tracker.exclusions == exclusions:
                return tracker
        if tracker is not None:
            self.forget(workspace_id)  # the workspace's folder, or what of it travels, changed
        if not trackable(root):
            with self._lock:
                self._unwatchable.add(workspace_id)
            log.info("folder %s is on a file system whose changes may not be seen: read in full each task", root)
            return None
        with self._lock:
            return self._trackers.setdefault(workspace_id, FolderTracker(root, exclusions))

    def _give_up(self, workspace_id: str, tracker: FolderTracker, why: str) -> None:
        log.warning("folder %s is read in full each task: %s", tracker.root, why)
        tracker.close()
        with self._lock:
            self._trackers.pop(workspace_id, None)
            self._unwatchable.add(workspace_id)
