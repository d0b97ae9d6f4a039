"""Paths of a workspace's folder that never travel into the container (a
dataset, a cache the agent never needs), chosen by the user.

Two kinds of entry, both read the same way by the app's scan and by git in
the container (its info/exclude), so what does not travel is also left out of
the agent's change:

- a name without "/" (``node_modules``, ``*.log``): any file or folder of that
  name, at any depth; ``*`` and ``?`` match within the name;
- a path with "/" (``data/raw``): that one path from the folder's top, and
  all below it; no wildcards.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

MAX_ENTRIES = 100
MAX_LENGTH = 200
_REFUSED = set('[]\\!#"') | {chr(c) for c in range(32)} | {"\x7f"}


def check_entry(text: str) -> str:
    """The entry as stored (``./`` and a trailing ``/`` dropped), or ValueError saying why not."""
    entry = text.strip()
    if entry.startswith("./"):
        entry = entry[2:]
    entry = entry.rstrip("/")
    if not entry:
        raise ValueError("an excluded path cannot be empty")
    if len(entry) > MAX_LENGTH:
        raise ValueError(f"an excluded path is at most {MAX_LENGTH} characters")
    if entry.startswith("/") or text.strip().startswith("~"):
        raise ValueError(f"'{entry}' must be a path inside the folder, like data/raw or node_modules")
    if any(c in _REFUSED for c in entry) or entry != entry.strip():
        raise ValueError(f"'{entry}' holds a character an excluded path cannot have ([ ] \\ ! # \" or a control)")
    parts = entry.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"'{entry}' must be a plain path inside the folder")
    if len(parts) > 1 and any(c in entry for c in "*?"):
        raise ValueError(f"'{entry}': wildcards only in a name without '/' (like *.log)")
    if parts == [".git"]:
        raise ValueError("'.git' never travels anyway")
    return entry


def check_entries(entries: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    checked: list[str] = []
    for entry in entries:
        value = check_entry(entry)
        if value not in checked:
            checked.append(value)
    if len(checked) > MAX_ENTRIES:
        raise ValueError(f"at most {MAX_ENTRIES} excluded paths")
    return tuple(checked)


@dataclass(frozen=True)
class Exclusions:
    entries: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def excludes(self, path: str) -> bool:
        """Whether ``path`` (relative, "/"-separated) itself is left out (not what is below it)."""
        name = path.rpartition("/")[2]
        for entry in self.entries:
            if "/" in entry:
                if path == entry:
                    return True
            elif fnmatchcase(name, entry):
                return True
        return False

    def excludes_within(self, path: str) -> bool:
        """Whether ``path`` or any folder above it is left out."""
        parts = path.split("/")
        return any(self.excludes("/".join(parts[:i])) for i in range(1, len(parts) + 1))

    def git_patterns(self) -> str:
        """The same rules for git's info/exclude (a path anchored at the top)."""
        return "".join(f"/{e}\n" if "/" in e else f"{e}\n" for e in self.entries)
