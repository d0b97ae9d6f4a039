"""What a finished run amounts to, gathered from its events for the Task row."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.events import EventKind, NewEvent


@dataclass
class TaskOutcome:
    """Feed it every event of a run; read the fields once the run has ended.

    ``cost_usd`` is the CLI's ``total_cost_usd``, which after ``--resume``
    counts the whole session, earlier runs included; ``input_tokens`` and
    ``output_tokens`` count this run only.
    """

    session_id: str | None = None
    model: str | None = None
    cli_version: str | None = None
    result: str | None = None
    is_error: bool = False
    error: str | None = None
    cost_usd: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_tokens: int | None = None
    num_turns: int | None = None
    duration_ms: int | None = None
    duration_api_ms: int | None = None
    has_result: bool = False  # False: the CLI died or was stopped before its result line
    last_text: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.has_result and not self.is_error

    def feed(self, event: NewEvent) -> None:
        data = event.data
        if event.kind is EventKind.SESSION_INIT:
            self.session_id = data.get("session_id") or self.session_id
            self.model = data.get("model") or self.model
            self.cli_version = data.get("claude_code_version") or self.cli_version
        elif event.kind is EventKind.TEXT and isinstance(data.get("text"), str):
            self.last_text = data["text"]
            if data.get("is_api_error"):
                # Kept in case no result line follows (the CLI killed meanwhile).
                self.error = data["text"]
        elif event.kind is EventKind.RESULT:
            self._take_result(data)

    def feed_all(self, events: list[NewEvent]) -> None:
        for event in events:
            self.feed(event)

    def _take_result(self, data: dict[str, object]) -> None:
        self.has_result = True
        for name in ("session_id", "result", "cost_usd", "input_tokens", "output_tokens",
                     "cache_tokens", "num_turns", "duration_ms", "duration_api_ms"):
            value = data.get(name)
            if value is not None:
                setattr(self, name, value)
        self.is_error = data.get("is_error") is True
        if not self.is_error:
            self.error = None
            return
        errors = data.get("errors")
        reasons = [e for e in errors if isinstance(e, str)] if isinstance(errors, list) else []
        self.error = (
            "; ".join(reasons)
            or (data.get("result") if isinstance(data.get("result"), str) else None)
            or self.error
            or f"Claude Code failed ({data.get('subtype') or 'no reason given'})"
        )
