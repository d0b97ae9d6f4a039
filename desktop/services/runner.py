"""Running one task, start to end, in the calling thread.

The stream of a task is endless until claude exits, so each task gets its
own thread (the scheduler's); nothing here touches an event loop. Every
event is stored as it arrives (a crash loses nothing already received),
masked, and published to in-process subscribers.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime
from typing import Any, Callable

from desktop.agent import task_script
from desktop.agent.command import RunOptions, claude_stream_argv
from desktop.agent.control import control_of
from desktop.agent.lines import LineSplitter
from desktop.agent.outcome import TaskOutcome
from desktop.agent.stream import parse_split_line
from desktop.containers.engine import Engine
from desktop.containers.errors import EngineError, EngineUnavailable
from desktop.containers.events import out_of_memory_since
from desktop.containers.exec import ExecStream, run
from desktop.containers.workspace_container import KEEPER_USER
from desktop.domain import EventKind, Task, TaskState, Workspace
from desktop.domain.events import NewEvent
from desktop.domain.task import PatchState
from desktop.secrets import KeyringUnavailable
from desktop.services.agent_channel import MAX_LINE_BYTES, AgentChannel
from desktop.services.context import AppContext
from desktop.services.conversation import Conversation, first_input
from desktop.services.egress import agent_environment
from desktop.services.egress import serve as serve_proxy
from desktop.services.errors import UserError
from desktop.services.output_budget import OutputBudget
from desktop.services.patch_checks import withheld_for_secrets
from desktop.services.patch_collect import collect_patches
from desktop.services.patch_store import PatchStore
from desktop.services.placement import check_proxy_visible, image_for
from desktop.services.settings import load_settings
from desktop.services.snapshot_plan import Plan, forget_ignored, plan_follow_up, plan_fresh, send_stage
from desktop.services.task_env import exec_environment, secret_variables
from desktop.services.workspaces import follow_saved_settings

log = logging.getLogger(__name__)

CANCEL_GRACE_SECONDS = 2.0
OUT_OF_MEMORY_EXIT = 137
SIGNALLED_EXITS = frozenset({130, 137, 143})
CANCEL_REQUESTED = "cancel_requested"


def stop_agent(engine: Engine, container_id: str, task_id: str, ended_within: Callable[[float], bool]) -> None:
    """TERM the task's process group; KILL it unless it ended within the grace time."""
    run(engine, container_id, task_script.cancel_argv(task_id, "TERM"))
    if not ended_within(CANCEL_GRACE_SECONDS):
        run(engine, container_id, task_script.cancel_argv(task_id, "KILL"))


def naming_the_engine(engine: Engine, failure: EngineUnavailable) -> str:
    """The failure as the user reads it, saying which engine went away when
    it is not this machine's (the containers' errors say "The Docker engine")."""
    text = str(failure)
    if engine.name and engine.label not in text:
        text = text.replace("The Docker engine", engine.label, 1)
    return text


class TaskRun:
    """One claimed (running) task; ``run()`` blocks until it has ended."""

    def __init__(self, ctx: AppContext, task: Task) -> None:
        self.ctx = ctx
        self.task = task
        self.workspace: Workspace = ctx.db.workspaces.get(task.workspace_id)
        # The engine the workspace lives on now; a move waits for its tasks.
        self._containers = ctx.containers_of(self.workspace)
        self._engine = self._containers.engine
        self._cancel = threading.Event()
        self._container_id: str | None = None
        self._outcome = TaskOutcome()
        self._patch: bytes | None = None
        self._step_patch: bytes | None = None  # a follow-up's own step
        self._plan: Plan | None = None
        self._base_missing = False
        self._exit_code: int | None = None
        self._finished = threading.Event()
        self._conversation: Conversation | None = None
        self._lines_read = task.stream_lines  # claude's output lines read (an adopted run goes on from there)
        self._budget = OutputBudget()

    # -- control --

    def cancel(self) -> None:
        """Stop claude and the tools it runs; the task ends as cancelled."""
        self._cancel.set()
        if self._container_id is not None:
            threading.Thread(target=self._signal_until_gone, daemon=True, name=f"cancel-{self.task.id}").start()

    def _signal_until_gone(self) -> None:
        assert self._container_id is not None
        try:
            stop_agent(self._engine, self._container_id, self.task.id, self._finished.wait)
        except Exception:  # noqa: BLE001 - the runner reports what happened to the task
            log.exception("cancelling task %s", self.task.id)

    # -- the run --

    def run(self) -> Task:
        try:
            state, error = self._run()
        except (EngineError, UserError, KeyringUnavailable) as failure:
            state, error = TaskState.FAILED, str(failure)
            if isinstance(failure, EngineUnavailable):
                self._engine.reset()
                error = naming_the_engine(self._engine, failure)
        except Exception as failure:  # noqa: BLE001 - a task fails; the app goes on
            log.exception("task %s", self.task.id)
            state, error = TaskState.FAILED, f"Unexpected error: {type(failure).__name__}: {failure}"
        finally:
            if self._conversation is not None:
                self._conversation.end()
            self._finished.set()
        if self._cancel.is_set() and state is not TaskState.SUCCEEDED and not self._budget.exceeded:
            state, error = TaskState.CANCELLED, "Cancelled"
        return self._finish(state, error)

    def _run(self) -> tuple[TaskState, str | None]:
        self._note("preparing", f"Preparing the container of '{self.workspace.name}'")
        secret = secret_variables(self.ctx.secrets, self.workspace)
        self.ctx.mask_also(list(secret.values()))  # stored by another process, maybe
        env = exec_environment(self.workspace, agent_environment(self.ctx, self.workspace), secret)
        serve_proxy(self.ctx, self.workspace)
        image = image_for(self.ctx, self.workspace, self._copy_progress())
        self.task = self.ctx.db.tasks.update(self.task.id, cli_version=image.claude_code_version)
        info = self._containers.ensure(self.workspace)
        self._container_id = info.id
        check_proxy_visible(self.ctx, self.workspace, info.id)
        argv = self._claude_argv()
        first = first_input(self.task.prompt)
        if len(first.encode()) > MAX_LINE_BYTES:
            raise UserError("The prompt is too long to send to the agent once encoded: "
                            "put the details in a file of the workspace")
        self._talk(info.id)
        for attempt in range(2):
            if self._cancel.is_set():
                return TaskState.CANCELLED, "Cancelled"
            self._plan = self._make_plan(full=attempt > 0)
            send_stage(self._engine, info.id, self.task, self.workspace, self._plan)
            script = task_script.TaskScript(
                self.task.id, self._plan.mode, self._plan.from_ref, self._plan.diff_base, argv, first
            )
            stream = ExecStream(self._engine, info.id, script.argv(), env=env, stdin=True)
            if self._conversation is not None:
                self._conversation.close_input = lambda: stream.write(b"close\n")
            code = self._stream(stream)
            if not (self._base_missing and code == task_script.BASE_MISSING_EXIT and not self.task.parent_id):
                break
            # The volume lost the base the app remembered (recreated): send all.
            self.ctx.manifests.forget(self.workspace.id)
            self._base_missing = False
        if not (self._base_missing and code == task_script.BASE_MISSING_EXIT):
            self._collect(code)
        return self._judge(code)

    def _talk(self, container_id: str) -> None:
        timeout = load_settings(self.ctx.db).answer_timeout_minutes * 60.0
        self._conversation = Conversation(self.ctx, self.task, AgentChannel(self.ctx, self.task, container_id),
                                          self._store, timeout)

    def adopt(self) -> Task:
        """Take over a task whose runner (another app process) quit while its
        agent went on in the container: read claude's output from where that
        process stopped, answer its requests, collect its work as ``run`` does."""
        try:
            state, error = self._adopted()
        except (EngineError, UserError, KeyringUnavailable) as failure:
            state, error = TaskState.FAILED, str(failure)
        except Exception as failure:  # noqa: BLE001 - a task fails; the app goes on
            log.exception("task %s", self.task.id)
            state, error = TaskState.FAILED, f"Unexpected error: {type(failure).__name__}: {failure}"
        finally:
            if self._conversation is not None:
                self._conversation.end()
            self._finished.set()
        if self._cancel.is_set() and state is not TaskState.SUCCEEDED:
            state, error = TaskState.CANCELLED, "Cancelled"
        return self._finish(state, error)

    def _adopted(self) -> tuple[TaskState, str | None]:
        info = self._containers.info(self.workspace.id)
        if info is None:
            raise UserError("The task's container is gone")
        self._container_id = info.id
        serve_proxy(self.ctx, self.workspace)
        check_proxy_visible(self.ctx, self.workspace, info.id)
        self._talk(info.id)
        self._plan = self._make_plan(full=False)
        self._conversation.resume()
        self._stream(ExecStream(self._engine, info.id, task_script.follow_argv(self.task.id, self._lines_read),
                                user=KEEPER_USER, workdir="/"))
        # /run/aicode is a tmpfs, which the engine's archive API cannot read: cat it.
        result = run(self._engine, info.id, ["cat", task_script.exit_code_path(self.task.id)],
                     user=KEEPER_USER, workdir="/")
        try:
            code = int(result.stdout[:16].decode().strip()) if result.ok else -1
        except ValueError:
            code = -1
        self._exit_code = code
        self._collect(code)
        return self._judge(code)

    def _claude_argv(self) -> list[str]:
        resume = None
        if self.task.parent_id and not self.task.new_session:
            parent = self.ctx.db.tasks.get(self.task.parent_id)
            if not parent.session_id:
                raise UserError(f"Task {parent.id} has no Claude session to follow up (it never started one)")
            resume = parent.session_id
        mode = self.task.permission_mode or self.workspace.permission_mode
        options = RunOptions(permission_mode=mode, model=self.task.model, resume=resume)
        return claude_stream_argv(options)

    def _make_plan(self, full: bool) -> Plan:
        if self.task.parent_id:
            parent = self.ctx.db.tasks.get(self.task.parent_id)
            return plan_follow_up(parent, self._root_id(parent))
        return plan_fresh(self.task, self.workspace, self.ctx.manifests, self.ctx.folders, full=full)

    def _root_id(self, task: Task) -> str:
        while task.parent_id:
            task = self.ctx.db.tasks.get(task.parent_id)
        return task.id

    def _stream(self, stream: ExecStream) -> int:
        out, err = LineSplitter(), LineSplitter()
        for stdout, stderr in stream.chunks():
            batch: list[NewEvent] = []
            if stdout:
                batch += self._parse(out.feed(stdout))
            if stderr:
                batch += [NewEvent(EventKind.STDERR, {"text": line.text}, "") for line in err.feed(stderr)]
            self._store(batch)
            self._converse(batch)
        last = self._parse(out.close()) + [
            NewEvent(EventKind.STDERR, {"text": line.text}, "") for line in err.close()
        ]
        self._store(last)
        self._converse(last)
        code = stream.exit_code()
        self._exit_code = code
        return -1 if code is None else code

    def _parse(self, lines: list[Any]) -> list[NewEvent]:
        events: list[NewEvent] = []
        for line in lines:
            marker = None if line.truncated else task_script.parse_marker(line.text)
            if marker is not None:
                self._on_marker(marker)
                continue
            self._lines_read += 1
            control = None if line.truncated else control_of(line.text)
            if control is not None:
                if self._conversation is not None:
                    self._conversation.on_control(control)
                continue
            for event in parse_split_line(line):
                self._outcome.feed(event)
                if self._conversation is not None:
                    self._conversation.saw(event)
                events.append(event)
        return events

    def _on_marker(self, marker: dict[str, Any]) -> None:
        kind = marker.get("type")
        if kind == "aicode_base" and self._plan is not None and self._plan.manifest is not None:
            self.ctx.manifests.save(self.workspace.id, self._plan.manifest)
        elif kind == "aicode_base_missing":
            self._base_missing = True
        # Any other marker (an "aicode_patch" line an agent printed, say) is
        # ignored: the patches come from the collecting exec's files only.

    def _collect(self, code: int) -> None:
        assert self._container_id is not None and self._plan is not None
        collected = collect_patches(self._engine, self._container_id, self.task.id, code,
                                    self._plan.mode is task_script.PrepareMode.RESUME)
        self._patch, self._step_patch = collected.whole, collected.step
        # What the agent changed where git does not look is sent afresh (or
        # removed) before the next fresh task: it reached no review.
        forget_ignored(self.ctx.manifests, self.workspace.id, collected.ignored, task_script.MAX_IGNORED_BYTES)

    def _judge(self, code: int) -> tuple[TaskState, str | None]:
        outcome = self._outcome
        if self._budget.exceeded:
            return TaskState.FAILED, self._budget.exceeded
        if self._cancel.is_set() or (code in SIGNALLED_EXITS and self._cancelled_elsewhere()):
            return TaskState.CANCELLED, "Cancelled"
        if code == OUT_OF_MEMORY_EXIT and self._out_of_memory():
            return TaskState.FAILED, (
                f"Out of memory: the container's limit of {self.workspace.memory} was reached and "
                "the agent was killed — raise the workspace's memory limit"
            )
        if self._conversation is not None and self._conversation.last_turn_stopped and code == 0:
            return TaskState.CANCELLED, "Stopped by you"
        if outcome.succeeded and code == 0:
            return TaskState.SUCCEEDED, None
        if outcome.error:
            return TaskState.FAILED, outcome.error
        return TaskState.FAILED, f"Claude Code exited with code {code} before reporting a result"

    def _cancelled_elsewhere(self) -> bool:
        """Another process (the CLI while the GUI runs the task) asked to cancel."""
        return any(
            e.kind is EventKind.STATE and e.data.get("state") == CANCEL_REQUESTED
            for e in self.ctx.db.events.list(self.task.id)
        )

    def _out_of_memory(self) -> bool:
        """Exit 137 is also a plain KILL: only the engine's oom event tells them apart."""
        assert self._container_id is not None
        started = self.task.started_at or self.task.created_at
        return out_of_memory_since(self._engine, self._container_id, started)

    # -- storing --

    def _converse(self, events: list[NewEvent]) -> None:
        if self._conversation is not None:
            self._conversation.on_events(events)

    def _store(self, events: list[NewEvent]) -> None:
        """Store (masked) and publish events, and how far claude's output was read."""
        if not events and self._lines_read == self.task.stream_lines:
            return
        within = not self._budget.exceeded
        events = self._budget.admit(events)  # past the cap: nothing more is kept
        if within and self._budget.exceeded:
            self.cancel()
        masker = self.ctx.masker()
        with self.ctx.db.write():
            stored = self.ctx.db.events.append_many(
                self.task.id,
                [replace(e, data=masker.mask_obj(e.data), raw=masker.mask(e.raw)) for e in events],
            ) if events else []
            if self._lines_read != self.task.stream_lines:
                self.task = self.ctx.db.tasks.update(self.task.id, stream_lines=self._lines_read)
        if stored:
            self.ctx.hub.publish_events(self.task.id, stored)

    def _copy_progress(self) -> Callable[[float | None, str], None]:
        """Notes on copying the image to an added engine: a few, not one per megabyte."""
        shown: set[int] = set()

        def report(fraction: float | None, line: str) -> None:
            step = -1 if fraction is None else int(fraction * 4)
            if step not in shown:
                shown.add(step)
                self._note("preparing", line)
        return report

    def _note(self, state: str, message: str, **extra: Any) -> None:
        event = self.ctx.db.events.append(self.task.id, EventKind.STATE, {"state": state, "message": message, **extra})
        self.ctx.hub.publish_events(self.task.id, [event])

    def _finish(self, state: TaskState, error: str | None) -> Task:
        from desktop.store import StaleState

        follow_saved_settings(self.ctx, self.workspace)
        patch_state = PatchState.NONE
        store = PatchStore()
        if withheld := withheld_for_secrets((self._patch, self._step_patch), self.ctx.masker()):
            self._patch = self._step_patch = None
            state, error = TaskState.FAILED, withheld
        if self._patch:
            store.write(store.whole(self.task.id), self._patch)
            patch_state = PatchState.PENDING
        if self._step_patch is not None:
            store.write(store.step(self.task.id), self._step_patch)
        try:
            task = self._store_outcome(state, error, patch_state)
        except StaleState:
            # Settled meanwhile by someone else (reconcile): theirs stands.
            task = self.ctx.db.tasks.get(self.task.id)
        self.ctx.record(f"task.{'cancelled' if task.state is TaskState.CANCELLED else 'finished'}", task.id)
        self.ctx.hub.publish_task(task)
        return task

    def _store_outcome(self, state: TaskState, error: str | None, patch_state: PatchState) -> Task:
        """The task's final row and its last event, in one transaction."""
        masker = self.ctx.masker()
        outcome = self._outcome
        with self.ctx.db.write():
            task = self.ctx.db.tasks.update(
                self.task.id,
                expected_state=TaskState.RUNNING,
                state=state,
                finished_at=datetime.now(),
                error=masker.mask(error) if error else None,
                exit_code=self._exit_code,
                session_id=outcome.session_id or self.task.session_id,
                result=masker.mask(outcome.result) if outcome.result else None,
                cost_usd=outcome.cost_usd,
                input_tokens=outcome.input_tokens,
                output_tokens=outcome.output_tokens,
                num_turns=outcome.num_turns,
                duration_ms=outcome.duration_ms,
                patch_state=patch_state,
                cli_version=outcome.cli_version or self.task.cli_version,
            )
            message = masker.mask(error) if error else "Finished"
            event = self.ctx.db.events.append(self.task.id, EventKind.STATE, {"state": str(state), "message": message})
        self.ctx.hub.publish_events(self.task.id, [event])
        return task
