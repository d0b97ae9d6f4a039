"""Which words of a changed line changed: spans to mark inside a removed/added pair; no Qt.

Lines are compared as words, runs of spaces and single punctuation marks,
so a renamed variable lights up as one word rather than as scattered letters.
A pair that has little in common gets no marks: the whole line changed, and
marking most of it would only add noise.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

Span = tuple[int, int]  # [start, end) in the line's display text

_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
MIN_SIMILARITY = 0.4
MAX_TOKENS = 600  # longer lines are not compared word by word (it would be slow and unreadable)


@lru_cache(maxsize=8192)
def changed_words(old: str, new: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The spans of ``old`` and of ``new`` that differ; both empty when the
    lines are too different (or too long) to compare usefully."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if not a or not b or len(a) > MAX_TOKENS or len(b) > MAX_TOKENS or old == new:
        return (), ()
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < MIN_SIMILARITY:
        return (), ()
    a_at, b_at = _offsets(a), _offsets(b)
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        _add(old_spans, a_at[i1], a_at[i2])
        _add(new_spans, b_at[j1], b_at[j2])
    return tuple(old_spans), tuple(new_spans)


def _offsets(tokens: list[str]) -> list[int]:
    at = [0]
    for token in tokens:
        at.append(at[-1] + len(token))
    return at


def _add(spans: list[Span], start: int, end: int) -> None:
    if start >= end:
        return
    if spans and spans[-1][1] == start:  # touching: one mark
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))
