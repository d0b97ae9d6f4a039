"""The whole chain, end to end: the fake API, the real `claude` in a container
of the agent image (non-root, the folder bind-mounted at /workspace), a
scripted Write that lands on the host, and the final `result` event."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall

pytestmark = pytest.mark.docker


def test_real_claude_writes_through_the_fake_api(engine, agent_image, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    os.chmod(folder, 0o777)  # the agent user (uid 1000) writes into a root-owned tmp dir
    content = "Hello from the agent\nsecond line ✓\n"
    fake_api.script(
        Reply(text="I'll write the file.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/greeting.txt", "content": content}),)),
        Reply(text="The file is written."),
        match="write a greeting",
    )
    output = engine.client.containers.run(
        agent_image,
        ["claude", "-p", "--output-format", "stream-json", "--verbose",
         "--permission-mode", "bypassPermissions", "--", "write a greeting"],
        user="agent",
        network_mode="host",
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        volumes={str(folder): {"bind": "/workspace", "mode": "rw"}},
        environment={"ANTHROPIC_BASE_URL": fake_api.base_url, "ANTHROPIC_API_KEY": "sk-ant-test-chain"},
        remove=True,
        stdout=True,
        stderr=False,
    )
    events = [json.loads(line) for line in output.decode().splitlines() if line.strip()]

    assert (folder / "greeting.txt").read_text() == content
    written = (folder / "greeting.txt").stat()
    assert (written.st_uid, written.st_gid) == (1000, 1000), "the agent runs as the non-root user"
    init, final = events[0], events[-1]
    assert init["type"] == "system" and init["subtype"] == "init" and init["cwd"] == "/workspace"
    assert final["type"] == "result" and final["is_error"] is False
    assert final["result"] == "The file is written."
    assert final["session_id"] == init["session_id"]
    assert final["total_cost_usd"] > 0 and final["usage"]["output_tokens"] > 0
    # The CLI really talked to the fake API, with the key it was given.
    assert fake_api.agent_requests("write a greeting")
    assert fake_api.api_keys == {"sk-ant-test-chain"}


def test_the_image_is_labelled_with_its_versions(engine, agent_image) -> None:
    from desktop.containers import images

    found = images.status(engine, agent_image)
    assert found.schema_ok and found.claude_code_version == images.CLAUDE_CODE_VERSION
    version = engine.client.containers.run(agent_image, ["claude", "--version"], remove=True, network_mode="none")
    assert version.decode().startswith(images.CLAUDE_CODE_VERSION)
    user = engine.client.containers.run(agent_image, ["id", "-u"], remove=True, network_mode="none")
    assert user.decode().strip() == "1000"
