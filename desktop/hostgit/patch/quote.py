"""Git's C-style path quoting, read exactly as git writes it.

git quotes a path in diff headers when it holds a control character, a
double quote, a backslash or (with the default core.quotePath) any byte
>= 0x80: ``"a/tab\\there"``, ``"b/caf\\303\\251"``.
"""

from __future__ import annotations

from desktop.hostgit.errors import PatchFormatError

_SIMPLE_ESCAPES = {
    ord("a"): 0x07,
    ord("b"): 0x08,
    ord("t"): 0x09,
    ord("n"): 0x0A,
    ord("v"): 0x0B,
    ord("f"): 0x0C,
    ord("r"): 0x0D,
    ord('"'): 0x22,
    ord("\\"): 0x5C,
}


def unquote_c(data: bytes) -> tuple[bytes, bytes]:
    """Read the quoted name at the start of ``data``: (name, what follows it)."""
    if not data.startswith(b'"'):
        raise PatchFormatError("Malformed patch: expected a quoted file name.")
    out = bytearray()
    i = 1
    while i < len(data):
        byte = data[i]
        if byte == 0x22:  # closing quote
            return bytes(out), data[i + 1 :]
        if byte != 0x5C:
            out.append(byte)
            i += 1
            continue
        i += 1
        if i >= len(data):
            break
        escaped = data[i]
        if escaped in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[escaped])
            i += 1
        elif 0x30 <= escaped <= 0x33:  # \ooo, first digit 0-3
            octal = data[i : i + 3]
            if len(octal) != 3 or any(not 0x30 <= d <= 0x37 for d in octal):
                raise PatchFormatError("Malformed patch: bad octal escape in a quoted file name.")
            out.append(int(octal, 8))
            i += 3
        else:
            raise PatchFormatError("Malformed patch: unknown escape in a quoted file name.")
    raise PatchFormatError("Malformed patch: a quoted file name is not closed.")


def read_name(data: bytes) -> bytes:
    """A whole header value: quoted (then nothing may follow) or taken as is."""
    if data.startswith(b'"'):
        name, rest = unquote_c(data)
        if rest.strip(b"\t"):
            raise PatchFormatError("Malformed patch: text after a quoted file name.")
        return name
    return data


def decode_path(raw: bytes) -> str:
    # surrogateescape: any byte sequence survives, os.fsencode() restores it.
    return raw.decode("utf-8", "surrogateescape")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: no escape sequences, no newlines."""
    if text.isprintable():
        return text
    return text.encode("unicode_escape", "backslashreplace").decode("ascii")
