"""A fake Anthropic Messages API that the real Claude Code CLI talks to in tests."""

from tests.fakeapi.script import Reply, Script, ToolCall
from tests.fakeapi.server import FakeAnthropic

__all__ = ["FakeAnthropic", "Reply", "Script", "ToolCall"]
