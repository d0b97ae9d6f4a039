"""Hide secret values in text and structures before they are shown or stored.

Used on every line a task streams, so the work is one pre-compiled regex:
the known values (and their JSON- and URL-escaped spellings, as they appear
inside stream-json or URLs), plus anything shaped like an Anthropic key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

# Shorter values would mask ordinary words; real keys and tokens are far longer.
MIN_SECRET_LENGTH = 8
MASK = "[secret masked]"
ANTHROPIC_PREFIX = "sk-ant-"
ANTHROPIC_MASK = ANTHROPIC_PREFIX + "…[masked]"
_ANTHROPIC_KEY = r"sk-ant-[A-Za-z0-9_-]{20,}"


class Masker:
    """Replaces every known secret value, and any sk-ant-… key, in text.

    Immutable: when the secrets change, build a new one (``SecretStore.masker``).
    """

    def __init__(self, values: Iterable[str] = ()) -> None:
        values = tuple(v for v in values if len(v) >= MIN_SECRET_LENGTH)
        self.values = values  # for a Masker that knows more (``adding``)
        spellings = {s for v in values for s in _spellings(v)}
        # Longest first: a value containing another must win the alternation.
        known = [re.escape(s) for s in sorted(spellings, key=len, reverse=True)]
        self._has_known = bool(known)
        self._pattern = re.compile("|".join([*known, _ANTHROPIC_KEY]))
        self._known = re.compile("|".join(known)) if known else None
        # The same values as UTF-8 bytes, for file contents that are not text.
        raw = sorted({v.encode() for v in values}, key=len, reverse=True)
        self._known_bytes = re.compile(b"|".join(re.escape(v) for v in raw)) if raw else None
        self.longest = len(raw[0]) if raw else 0  # bytes a search across pieces must overlap by

    def adding(self, values: Iterable[str]) -> Masker:
        """This Masker, or one that also knows ``values`` if it did not."""
        missing = [v for v in values if len(v) >= MIN_SECRET_LENGTH and not self.reveals(v)]
        return Masker([*self.values, *missing]) if missing else self

    def mask(self, text: str) -> str:
        # The common case, a line with nothing to hide, costs one C-level scan.
        if not self._has_known and ANTHROPIC_PREFIX not in text:
            return text
        return self._pattern.sub(_replacement, text)

    def reveals(self, text: str) -> bool:
        """Whether ``text`` holds a known secret value (key-shaped text alone
        does not count: code and tests hold made-up keys)."""
        return self._known is not None and self._known.search(text) is not None

    def reveals_bytes(self, data: bytes) -> bool:
        """Whether ``data`` (a binary file's content) holds a known secret value."""
        return self._known_bytes is not None and self._known_bytes.search(data) is not None

    def mask_obj(self, obj: Any) -> Any:
        """A copy of ``obj`` with strings masked inside dicts, lists and tuples."""
        if isinstance(obj, str):
            return self.mask(obj)
        if isinstance(obj, dict):
            return {self.mask_obj(k): self.mask_obj(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.mask_obj(v) for v in obj]
        if isinstance(obj, tuple):
            return tuple(self.mask_obj(v) for v in obj)
        return obj


def _spellings(value: str) -> set[str]:
    return {value, json.dumps(value)[1:-1], quote(value, safe="")}


def _replacement(match: re.Match[str]) -> str:
    # The sk-ant- prefix only says "an Anthropic credential was here".
    return ANTHROPIC_MASK if match.group().startswith(ANTHROPIC_PREFIX) else MASK
