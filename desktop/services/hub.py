"""In-process publish/subscribe of task events and task state changes.

Runner threads publish; subscribers (the CLI's follower, the GUI's reader
thread) each get a thread-safe queue. Subscribing first and then reading the
store, dropping what was already seen, gives every event once, with no gap.
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from dataclasses import dataclass

from desktop.domain import Task, TaskEvent

Update = TaskEvent | Task


@dataclass
class Subscription:
    task_id: str
    updates: "queue.SimpleQueue[Update]"


class EventHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[Subscription]] = defaultdict(list)
        # Listeners of every task's state changes (the GUI's task lists, tray).
        self._watchers: list["queue.SimpleQueue[Task]"] = []

    def subscribe(self, task_id: str) -> Subscription:
        subscription = Subscription(task_id, queue.SimpleQueue())
        with self._lock:
            self._subscribers[task_id].append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            found = self._subscribers.get(subscription.task_id, [])
            if subscription in found:
                found.remove(subscription)
            if not found:
                self._subscribers.pop(subscription.task_id, None)

    def watch(self) -> "queue.SimpleQueue[Task]":
        watcher: queue.SimpleQueue[Task] = queue.SimpleQueue()
        with self._lock:
            self._watchers.append(watcher)
        return watcher

    def unwatch(self, watcher: "queue.SimpleQueue[Task]") -> None:
        with self._lock:
            if watcher in self._watchers:
                self._watchers.remove(watcher)

    def publish_events(self, task_id: str, events: list[TaskEvent]) -> None:
        with self._lock:
            targets = list(self._subscribers.get(task_id, ()))
        for subscription in targets:
            for event in events:
                subscription.updates.put(event)

    def publish_task(self, task: Task) -> None:
        with self._lock:
            targets = list(self._subscribers.get(task.id, ()))
            watchers = list(self._watchers)
        for subscription in targets:
            subscription.updates.put(task)
        for watcher in watchers:
            watcher.put(task)
