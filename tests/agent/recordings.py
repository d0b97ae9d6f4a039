"""The stream-json recorded from the real CLI (tests/data/stream, see record.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STREAM_DIR = Path(__file__).resolve().parents[1] / "data" / "stream"
NAMES = sorted(p.stem for p in STREAM_DIR.glob("*.jsonl"))


def recording(name: str) -> bytes:
    return (STREAM_DIR / f"{name}.jsonl").read_bytes()


def meta(name: str) -> dict[str, Any]:
    return json.loads((STREAM_DIR / f"{name}.meta.json").read_text())


def lines(name: str) -> list[str]:
    return recording(name).decode("utf-8").splitlines()
