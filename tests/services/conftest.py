"""A real App for service tests: its own data folder, a real keyring holding
a key, and the fake API as the agent's endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from desktop.services.app import App
from tests.fakeapi import FakeAnthropic


@pytest.fixture
def app(aicode_home: Path, clean_keyring, agent_image: str, fake_api: FakeAnthropic,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("AICODE_ANTHROPIC_BASE_URL", fake_api.base_url)
    app = App()
    app.set_secret("anthropic-api-key", "sk-ant-api03-SERVICES-" + "s" * 30)
    yield app
    for workspace in app.workspaces.list():
        app.workspaces.remove(workspace.id)
    app.close()
