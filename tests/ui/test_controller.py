"""The controller calls the Core off the GUI thread and reports back as signals."""

from __future__ import annotations

import pytest

from desktop.domain import TaskState
from desktop.domain.task import PatchState
from desktop.ui.controller import ADD_WORKSPACE, Controller
from desktop.ui.payloads import AddWorkspaceRequested, RunRequested, TaskRef, WorkspaceRef
from desktop.ui.viewdata import WorkspaceSpec
from tests.ui import factories as f
from tests.ui.fake_core import FakeCore


@pytest.fixture
def core() -> FakeCore:
    return FakeCore([f.workspace()], [f.task("t1"), f.task("t2", "running", TaskState.RUNNING)])


@pytest.fixture
def controller(qasync_loop, core: FakeCore, qtbot):  # noqa: ANN001
    c = Controller(core)
    failures = []
    c.operation_failed.connect(failures.append)
    yield c
    c.shutdown()
    assert not failures, failures


def test_start_loads_workspaces_with_their_running_counts(controller: Controller, qtbot) -> None:  # noqa: ANN001
    got = []
    controller.workspaces_loaded.connect(got.append)
    with qtbot.waitSignals([controller.workspaces_loaded, controller.settings_loaded]):
        controller.start()
    loaded = got[0]
    assert [(i.workspace.id, i.running_tasks) for i in loaded.items] == [("ws1", 1)]
    qtbot.waitUntil(lambda: controller.engine.ok)


def test_a_submitted_task_streams_its_events_and_its_end_is_news(controller: Controller, core: FakeCore,
                                                                  qtbot) -> None:  # noqa: ANN001
    with qtbot.waitSignal(controller.task_submitted) as submitted:
        controller.submit(RunRequested("ws1", "Do it"))
    task = submitted.args[0].task
    arrived = []
    controller.events_arrived.connect(arrived.append)
    controller.open_task(TaskRef(task.id))
    events = f.finished_conversation(task.id)
    core.emit(task.id, events[:5])
    qtbot.waitUntil(lambda: sum(len(a.events) for a in arrived) == 5)
    assert arrived[0].replace and not arrived[0].events
    core.emit(task.id, events[5:])
    with qtbot.waitSignal(controller.task_finished, timeout=3000) as finished:
        core.finish(task.id)
    assert finished.args[0].task.state is TaskState.SUCCEEDED
    qtbot.waitUntil(lambda: sum(len(a.events) for a in arrived) == len(events))
    seqs = [e.seq for a in arrived for e in a.events]
    assert seqs == sorted(set(seqs))  # no gap, no duplicate


def test_apply_reports_the_new_patch_state(controller: Controller, core: FakeCore, qtbot) -> None:  # noqa: ANN001
    with qtbot.waitSignal(controller.changes_loaded) as loaded:
        controller.load_changes(TaskRef("t1"))
    assert [c.path for c in loaded.args[0].files] == ["src/app.py", "tests/test_app.py"]
    with qtbot.waitSignal(controller.task_changed, check_params_cb=lambda ch: ch.task.patch_state is PatchState.APPLIED):
        controller.apply(TaskRef("t1"))
    assert core.applied == ["t1"]


def test_a_failing_call_becomes_a_sentence(qasync_loop, qtbot) -> None:  # noqa: ANN001
    core = FakeCore()

    def broken(task_id: str) -> None:
        raise RuntimeError("patch does not apply: src/app.py changed since")

    core.apply = broken  # type: ignore[method-assign]
    c = Controller(core)
    with qtbot.waitSignal(c.operation_failed) as failed:
        c.apply(TaskRef("t1"))
    assert failed.args[0].action == "Apply changes"
    assert failed.args[0].message == "Patch does not apply: src/app.py changed since"


def test_adding_a_workspace_reports_progress_and_can_be_cancelled(qasync_loop, qtbot) -> None:  # noqa: ANN001
    core = FakeCore()
    c = Controller(core)
    progress = []
    c.clone_progressed.connect(progress.append)
    with qtbot.waitSignal(c.workspace_added) as added:
        c.add_workspace(AddWorkspaceRequested(WorkspaceSpec("payments", git_url="https://x/payments.git")))
    assert added.args[0].workspace.name == "payments" and progress[-1].fraction == 1.0
    with qtbot.waitSignal(c.operation_failed) as failed:
        c.add_workspace(AddWorkspaceRequested(WorkspaceSpec("other", git_url="https://x/other.git")))
        c.cancel_add_workspace()
    assert failed.args[0].action == ADD_WORKSPACE and "cancelled" in failed.args[0].message


def test_an_engine_that_is_down_is_checked_again(controller: Controller, core: FakeCore, qtbot) -> None:  # noqa: ANN001
    core.engine_ok = False
    with qtbot.waitSignal(controller.engine_status_changed, check_params_cb=lambda s: not s.status.checking) as s:
        controller.check_engine()
    assert s.args[0].status.fix == "Start Docker Desktop"
    assert controller._engine_retry.isActive()


def test_history_queries_pass_text_and_states(controller: Controller, qtbot) -> None:  # noqa: ANN001
    from desktop.ui.payloads import HistoryQuery

    with qtbot.waitSignal(controller.history_loaded) as loaded:
        controller.search_history(HistoryQuery("running", ("running",)))
    assert [t.id for t in loaded.args[0].tasks] == ["t2"]


def test_load_tasks_of_a_workspace(controller: Controller, qtbot) -> None:  # noqa: ANN001
    with qtbot.waitSignal(controller.tasks_loaded) as loaded:
        controller.load_tasks(WorkspaceRef("ws1"))
    assert {t.id for t in loaded.args[0].tasks} == {"t1", "t2"}


def test_settings_are_saved_as_the_cores_own_object(controller: Controller, core: FakeCore, qtbot) -> None:  # noqa: ANN001
    from desktop.ui.viewdata import SettingsValues, ThemeMode

    with qtbot.waitSignal(controller.settings_loaded):
        controller.save_settings(SettingsValues(concurrency=5, theme=ThemeMode.DARK))
    assert core.saved_settings is not None and core.saved_settings.concurrency == 5
    assert core.saved_settings.theme == "dark"


def test_image_build_progress_reaches_the_gui(controller: Controller, qtbot) -> None:  # noqa: ANN001
    lines = []
    controller.image_build_progressed.connect(lambda p: lines.append(p.progress))
    with qtbot.waitSignal(controller.image_build_finished) as done:
        controller.build_image()
    assert done.args[0].ok and [p.line for p in lines][:3] == ["Step 1/3", "Step 2/3", "Step 3/3"]
    assert lines[-1].fraction == 1.0
