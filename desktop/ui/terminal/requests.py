"""What the workspace panel asks of the terminal: a payload, no Qt."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TerminalRequested:
    workspace_id: str
    workspace_name: str
    claude: bool = False  # the interactive claude rather than a shell
