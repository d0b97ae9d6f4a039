"""The contents a patch's binary blocks write, inflated piece by piece.

``git diff --binary`` writes a binary file's new content (or a delta to it)
deflated and base85-encoded: a text search of the patch never sees what is
inside. Reading it back is bounded: the patch is at most tens of MB, but
deflate can expand a thousandfold, so pieces are inflated a few at a time
and the total is capped.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator

from desktop.hostgit.errors import PatchError

_BLOCK = re.compile(rb"^(literal|delta) (\d+)$")
PIECE_BYTES = 1 << 20
# The most a patch's binary blocks may inflate to, in all: past it, what they
# write cannot be looked at, and the patch is refused.
MAX_INFLATED_BYTES = 1 << 30


class TooLargeToCheck(PatchError):
    """A binary block inflates to more than can be looked at."""


def written_pieces(body: bytes, budget: list[int] | None = None) -> Iterator[bytes]:
    """The inflated bytes of the first block after "GIT binary patch" in one
    file's part of a patch: the new content (a literal), or the delta that
    makes it (whose inserted bytes are the new content's, as they are). The
    second block, the old content, is not what the change writes.
    ``budget`` ([bytes left]) is shared between the calls for one patch."""
    budget = budget if budget is not None else [MAX_INFLATED_BYTES]
    lines = body.split(b"\n")
    try:
        start = lines.index(b"GIT binary patch") + 1
    except ValueError:
        return
    if start >= len(lines) or not _BLOCK.match(lines[start]):
        return
    inflater = zlib.decompressobj()
    for line in lines[start + 1:]:
        if not line:
            break
        try:
            chunk = base64.b85decode(line[1:])[:_line_size(line)]
            piece = inflater.decompress(chunk, PIECE_BYTES)
            while True:
                budget[0] -= len(piece)
                if budget[0] < 0:
                    raise TooLargeToCheck("a binary file of the change inflates to more than "
                                          f"{MAX_INFLATED_BYTES >> 20} MB")
                if piece:
                    yield piece
                if not inflater.unconsumed_tail:
                    break
                piece = inflater.decompress(inflater.unconsumed_tail, PIECE_BYTES)
        except (ValueError, zlib.error):
            return  # not what git writes: the patch parser refuses it elsewhere


def _line_size(line: bytes) -> int:
    head = line[0]
    return head - 0x41 + 1 if head <= 0x5A else head - 0x61 + 27
