"""Many writers at once, in threads and in another process: no "database is
locked", and every task's seqs stay gapless."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from desktop.domain import EventKind, NewEvent, Task
from desktop.store import Database
from desktop.store.migrations import SCHEMA_VERSION

MakeTask = Callable[..., Task]


def _run_together(jobs: Sequence[Callable[[], None]]) -> list[BaseException]:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        start.wait()
        try:
            job()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _assert_gapless(db: Database, task_id: str, count: int) -> None:
    seqs = [event.seq for event in db.events.list(task_id)]
    assert seqs == list(range(1, count + 1)), task_id


def test_threads_appending_at_once(db: Database, make_task: MakeTask) -> None:
    own_tasks = [db.tasks.create(make_task()) for _ in range(8)]
    shared = db.tasks.create(make_task())

    def append_own(task_id: str) -> None:
        for n in range(200):
            db.events.append(task_id, EventKind.TEXT, {"n": n})

    def append_shared(writer: int) -> None:
        for n in range(50):
            db.events.append(shared.id, EventKind.TEXT, {"writer": writer, "n": n})
            db.events.append_many(
                shared.id, [NewEvent(EventKind.RAW, {"writer": writer}, raw="x")] * 2
            )

    jobs = [partial(append_own, task.id) for task in own_tasks]
    jobs += [partial(append_shared, writer) for writer in range(4)]
    assert _run_together(jobs) == []

    for task in own_tasks:
        _assert_gapless(db, task.id, 200)
        assert [e.data["n"] for e in db.events.list(task.id)] == list(range(200))
    _assert_gapless(db, shared.id, 4 * 50 * 3)
    texts = [e for e in db.events.list(shared.id) if e.kind is EventKind.TEXT]
    for writer in range(4):
        mine = [e.data["n"] for e in texts if e.data["writer"] == writer]
        assert mine == list(range(50))  # each writer's events keep their order


def test_another_process_appending_at_the_same_time(db: Database, make_task: MakeTask) -> None:
    ours, theirs, shared = (db.tasks.create(make_task()) for _ in range(3))
    writer = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("event_writer.py")),
            str(db.path),
            *(theirs.id, "300", shared.id, "300"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "ready"
        writer.stdin.write("go\n")
        writer.stdin.flush()
        for n in range(300):
            db.events.append(ours.id, EventKind.TEXT, {"n": n})
            db.events.append(shared.id, EventKind.TEXT, {"writer": "test", "n": n})
        assert writer.wait(timeout=120) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        for pipe in (writer.stdin, writer.stdout):
            if pipe is not None:
                pipe.close()

    _assert_gapless(db, ours.id, 300)
    _assert_gapless(db, theirs.id, 300)
    _assert_gapless(db, shared.id, 600)
    writers = {event.data["writer"] for event in db.events.list(shared.id)}
    assert writers == {"test", "process"}


def test_opening_a_new_file_from_many_threads_at_once(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    opened: list[Database] = []
    lock = threading.Lock()

    def open_it() -> None:
        db = Database.open(path)
        with lock:
            opened.append(db)

    try:
        assert _run_together([open_it] * 8) == []
    finally:
        for db in opened:
            db.close()
    assert len(opened) == 8
    with Database.open(path) as db, db.read() as connection:
        version = connection.exec_driver_sql("PRAGMA user_version").scalar()
    assert version == SCHEMA_VERSION
