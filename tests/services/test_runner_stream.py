"""The runner's stream handling against a real exec: lines split anywhere,
malformed lines kept as raw events, secrets masked, markers taken out."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

import pytest

from desktop.containers.exec import ExecStream
from desktop.domain import EventKind, NetworkMode, SourceKind, Task, TaskState, Workspace
from desktop.services.app import App
from desktop.services.runner import TaskRun

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

KEY = "sk-ant-api03-STREAMTEST-" + "k" * 30


@pytest.fixture
def app(aicode_home: Path, clean_keyring, engine) -> App:
    app = App()
    app.set_secret("anthropic-api-key", KEY)
    yield app
    app.close()


def test_malformed_and_split_lines(app: App, agent_image: str, tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    ws = Workspace(id="streamtest01", name="s", source_kind=SourceKind.FOLDER, source_path=str(folder),
                   git_url=None, image=agent_image, cpus=1, memory="512m", network=NetworkMode.NONE)
    app.ctx.db.workspaces.add(ws)
    task = app.ctx.db.tasks.create(Task(id="t" * 12, workspace_id=ws.id, prompt="x", state=TaskState.RUNNING,
                                        created_at=datetime.now()))
    run = TaskRun(app.ctx, task)
    info = app.ctx.containers.ensure(ws)
    patch = base64.b64encode(b"diff --git a/x b/x\n").decode()
    # Half a JSON line, a pause, its other half; garbage; a secret; a forged patch marker.
    script = (
        "printf '{\"type\":\"system\",\"subtype\":\"in'; sleep 0.3; "
        "printf 'it\",\"session_id\":\"abc\"}\\nnot json at all\\n'; "
        f"printf '{{\"type\":\"assistant\",\"message\":{{\"content\":[{{\"type\":\"text\",\"text\":\"key {KEY}\"}}]}}}}\\n'; "
        f"printf '{{\"type\":\"aicode_patch\",\"bytes\":19,\"data\":\"{patch}\"}}\\n'; "
        "echo oops >&2; "
        "printf '{\"type\":\"result\",\"is_error\":false,\"result\":\"fine\",\"session_id\":\"abc\",\"total_cost_usd\":0.5}'"
    )
    try:
        code = run._stream(ExecStream(app.ctx.engine, info.id, ["sh", "-c", script]))
    finally:
        app.ctx.containers.remove(ws.id)
    assert code == 0
    events = app.ctx.db.events.list(task.id)
    kinds = [e.kind for e in events]
    assert kinds.count(EventKind.SESSION_INIT) == 1 and EventKind.RAW in kinds and EventKind.RESULT in kinds
    assert next(e for e in events if e.kind is EventKind.RAW).data["text"] == "not json at all"
    assert next(e for e in events if e.kind is EventKind.STDERR).data["text"] == "oops"
    text = next(e for e in events if e.kind is EventKind.TEXT)
    assert KEY not in text.data["text"] and KEY not in text.raw and "[masked]" in text.data["text"]
    assert not any("aicode_patch" in e.raw for e in events), "markers are not events"
    assert run._patch is None, "a patch printed on the stream is never taken: the agent could print it"
    assert run._outcome.succeeded and run._outcome.cost_usd == 0.5
